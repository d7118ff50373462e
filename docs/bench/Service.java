import java.math.BigInteger;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.regex.*;
import java.util.stream.*;

/**
 * A service-like workload for wall-clock profiles with many threads and varied stacks (the input of
 * scripts/bench-viewer): request workers that take jobs from a queue and walk a few layers of
 * randomly chosen handlers down to JDK work (maps, formatting, regex, sorting, BigInteger, streams),
 * sometimes waiting on a shared lock or sleeping as if on I/O; a producer; idle pool threads parked
 * on an empty queue; a scheduler with a periodic task.
 *
 * <p>Usage: {@code java Service.java SECONDS WORKERS IDLE}
 */
public class Service {
    static volatile long sink;
    static final Pattern P = Pattern.compile("([a-z]+)(\\d+)");
    static final Object LOCK = new Object();
    static final Map<Integer, Long> SHARED = new HashMap<>();

    record Job(int kind, int depth, long seed) {}

    static long work(Random r, int kind) throws InterruptedException {
        switch (kind) {
            case 0: { Map<Integer, String> m = new HashMap<>(); for (int i = 0; i < 200; i++) m.put(r.nextInt(1000), "v" + i); return m.size(); }
            case 1: return String.format("%d-%s-%.2f", r.nextInt(), "x", r.nextDouble()).length();
            case 2: { Matcher m = P.matcher("abc123 def456 ghi789"); long n = 0; while (m.find()) n += m.group(2).length(); return n; }
            case 3: { int[] a = r.ints(300).toArray(); Arrays.sort(a); return a[0]; }
            case 4: return BigInteger.valueOf(r.nextLong()).pow(7).bitLength();
            case 5: return IntStream.range(0, 200).map(i -> i * r.nextInt(10)).filter(i -> i % 3 == 0).sum();
            case 6: { StringBuilder sb = new StringBuilder(); for (int i = 0; i < 50; i++) sb.append(i).append(','); return sb.toString().split(",").length; }
            case 7: synchronized (LOCK) { long s = 0; for (int i = 0; i < 300; i++) s += SHARED.merge(r.nextInt(64), 1L, Long::sum); return s; }
            case 8: Thread.sleep(0, 200_000); return 1; // "I/O"
            default: { long x = r.nextLong(); for (int i = 0; i < 2000; i++) { x = x * 6364136223846793005L + 1; x ^= x >>> 13; } return x; }
        }
    }

    // layers of a request: controller -> service -> repository/cache/codec, chosen at random
    /** Mostly CPU work; 3% of the leaves wait for the shared lock, 5% sleep as if on I/O. */
    static int kind(Random r) {
        int k = r.nextInt(100);
        return k < 3 ? 7 : k < 8 ? 8 : k % 8 == 7 ? 9 : k % 8;
    }

    static long controllerOrders(Random r, int d) throws InterruptedException { return d <= 0 ? work(r, kind(r)) : nextLayer(r, d) + 1; }
    static long controllerUsers(Random r, int d) throws InterruptedException { return d <= 0 ? work(r, kind(r)) : nextLayer(r, d) + 2; }
    static long serviceBilling(Random r, int d) throws InterruptedException { return d <= 0 ? work(r, kind(r)) : nextLayer(r, d) + 3; }
    static long serviceSearch(Random r, int d) throws InterruptedException { return d <= 0 ? work(r, kind(r)) : nextLayer(r, d) + 4; }
    static long repositoryLoad(Random r, int d) throws InterruptedException { return d <= 0 ? work(r, kind(r)) : nextLayer(r, d) + 5; }
    static long cacheLookup(Random r, int d) throws InterruptedException { return d <= 0 ? work(r, kind(r)) : nextLayer(r, d) + 6; }
    static long codecEncode(Random r, int d) throws InterruptedException { return d <= 0 ? work(r, kind(r)) : nextLayer(r, d) + 7; }
    static long codecDecode(Random r, int d) throws InterruptedException { return d <= 0 ? work(r, kind(r)) : nextLayer(r, d) + 8; }

    static long nextLayer(Random r, int d) throws InterruptedException {
        switch (r.nextInt(8)) {
            case 0: return controllerOrders(r, d - 1); case 1: return controllerUsers(r, d - 1);
            case 2: return serviceBilling(r, d - 1); case 3: return serviceSearch(r, d - 1);
            case 4: return repositoryLoad(r, d - 1); case 5: return cacheLookup(r, d - 1);
            case 6: return codecEncode(r, d - 1); default: return codecDecode(r, d - 1);
        }
    }

    static long handle(Job j) throws InterruptedException {
        Random r = new Random(j.seed());
        long s = 0;
        for (int i = 0; i < 20; i++) s += nextLayer(r, j.depth());
        return s;
    }

    public static void main(String[] a) throws Exception {
        long seconds = Long.parseLong(a[0]);
        int workers = Integer.parseInt(a[1]);
        int idle = Integer.parseInt(a[2]);
        long stop = System.nanoTime() + seconds * 1_000_000_000L;
        BlockingQueue<Job> jobs = new ArrayBlockingQueue<>(256);
        AtomicLong done = new AtomicLong();
        List<Thread> all = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Thread t = new Thread(() -> {
                long s = 0;
                try {
                    while (System.nanoTime() < stop) {
                        Job j = jobs.poll(100, TimeUnit.MILLISECONDS);
                        if (j != null) { s += handle(j); done.incrementAndGet(); }
                    }
                } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                sink = s;
            }, "http-worker-" + w);
            all.add(t);
        }
        Thread producer = new Thread(() -> {
            Random r = new Random(42);
            try {
                while (System.nanoTime() < stop) {
                    jobs.offer(new Job(r.nextInt(10), 1 + r.nextInt(5), r.nextLong()), 100, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        }, "acceptor");
        all.add(producer);
        BlockingQueue<Runnable> never = new LinkedBlockingQueue<>();
        ExecutorService pool = new ThreadPoolExecutor(idle, idle, 1, TimeUnit.HOURS, never, r -> {
            Thread t = new Thread(r, "idle-pool-" + UUID.randomUUID().toString().substring(0, 4));
            t.setDaemon(true);
            return t;
        });
        ((ThreadPoolExecutor) pool).prestartAllCoreThreads();
        ScheduledExecutorService sched = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metrics-reporter");
            t.setDaemon(true);
            return t;
        });
        sched.scheduleAtFixedRate(() -> sink += work0(), 10, 10, TimeUnit.MILLISECONDS);
        for (Thread t : all) t.start();
        for (Thread t : all) t.join();
        sched.shutdownNow();
        pool.shutdownNow();
        System.out.println(done.get() + " jobs");
    }

    static long work0() {
        return Stream.of("a", "b", "c").map(String::toUpperCase).collect(Collectors.joining()).length();
    }
}
