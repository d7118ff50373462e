import java.math.BigInteger;
import java.util.*;
import java.util.concurrent.*;
import java.util.regex.*;
import java.util.stream.*;

/** A busy program with many distinct stacks: random recursion through ten methods, then JDK work. */
public class Busy {
    static volatile long sink;
    static final Pattern P = Pattern.compile("([a-z]+)(\\d+)");

    static long work(Random r, int kind) {
        switch (kind) {
            case 0: { Map<Integer, String> m = new HashMap<>(); for (int i = 0; i < 200; i++) m.put(r.nextInt(1000), "v" + i); return m.size(); }
            case 1: return String.format("%d-%s-%.2f", r.nextInt(), "x", r.nextDouble()).length();
            case 2: { Matcher m = P.matcher("abc123 def456 ghi789"); long n = 0; while (m.find()) n += m.group(2).length(); return n; }
            case 3: { int[] a = r.ints(300).toArray(); Arrays.sort(a); return a[0]; }
            case 4: return BigInteger.valueOf(r.nextLong()).pow(7).bitLength();
            case 5: return IntStream.range(0, 200).map(i -> i * r.nextInt(10)).filter(i -> i % 3 == 0).sum();
            case 6: { StringBuilder sb = new StringBuilder(); for (int i = 0; i < 50; i++) sb.append(i).append(','); return sb.toString().split(",").length; }
            default: { long x = r.nextLong(); for (int i = 0; i < 2000; i++) { x = x * 6364136223846793005L + 1; x ^= x >>> 13; } return x; }
        }
    }
    static long m0(Random r, int d) { return d == 0 ? work(r, r.nextInt(8)) : next(r, d); }
    static long m1(Random r, int d) { return d == 0 ? work(r, r.nextInt(8)) : next(r, d) + 1; }
    static long m2(Random r, int d) { return d == 0 ? work(r, r.nextInt(8)) : next(r, d) + 2; }
    static long m3(Random r, int d) { return d == 0 ? work(r, r.nextInt(8)) : next(r, d) + 3; }
    static long m4(Random r, int d) { return d == 0 ? work(r, r.nextInt(8)) : next(r, d) + 4; }
    static long m5(Random r, int d) { return d == 0 ? work(r, r.nextInt(8)) : next(r, d) + 5; }
    static long m6(Random r, int d) { return d == 0 ? work(r, r.nextInt(8)) : next(r, d) + 6; }
    static long m7(Random r, int d) { return d == 0 ? work(r, r.nextInt(8)) : next(r, d) + 7; }
    static long next(Random r, int d) {
        switch (r.nextInt(8)) {
            case 0: return m0(r, d - 1); case 1: return m1(r, d - 1); case 2: return m2(r, d - 1); case 3: return m3(r, d - 1);
            case 4: return m4(r, d - 1); case 5: return m5(r, d - 1); case 6: return m6(r, d - 1); default: return m7(r, d - 1);
        }
    }
    public static void main(String[] a) throws Exception {
        long stop = System.nanoTime() + Long.parseLong(a[0]) * 1_000_000_000L;
        int threads = Integer.parseInt(a[1]);
        int depth = Integer.parseInt(a[2]);
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(ex.submit(() -> { Random r = new Random(); long s = 0; while (System.nanoTime() < stop) s += m0(r, r.nextInt(depth)); sink = s; }));
        }
        for (Future<?> f : fs) f.get();
        ex.shutdown();
    }
}
