package dev.proflab.labs.trace;

import dev.proflab.labs.fib.Fib;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lesson (step 4, the timeline — Go's {@code go tool trace}): where every thread spends its time, over
 * time. The workload is a handful of threads, each doing one thing that leaves its own shape on the
 * timeline of {@code make trace}: running, starting and ending, allocating (and so GC pauses), blocking on a
 * monitor, waiting and parking. The comment on each part's method says which shape to look for.
 *
 * <p>How to run it: {@code make trace} records it with JDK Flight Recorder (thresholds lowered to 1 ms
 * so that short waits show) and opens the timeline in {@code proflab view}. By hand:
 * <pre>
 *   ./proflab profile trace --engine jfr --timeline -d 6s -o tmp/trace.jfr
 *   ./proflab timeline tmp/trace.jfr
 *   ./proflab view tmp/trace.jfr
 * </pre>
 */
public final class Trace {

    static final int BURST_EVERY_MS = 400;
    static final int BURST_SIZE = 6;
    static final int SHORT_FIB_N = 29;
    static final int HOLD_MS = 20;
    static final int SIGNAL_EVERY_MS = 50;
    static final int ALLOC_CHUNK = 32 * 1024;
    static final long ALLOC_BURST = 32L << 20;
    static final int ALLOC_PAUSE_MS = 40;

    private final long deadline;
    private final AtomicLong fibCalls = new AtomicLong();
    private final AtomicLong shortThreads = new AtomicLong();
    private final AtomicLong allocatedBytes = new AtomicLong();
    private final AtomicLong lockEntries = new AtomicLong();
    private final AtomicLong signals = new AtomicLong();
    private final Object lock = new Object();
    private final Object signal = new Object();
    private boolean signalled;
    private volatile boolean stop;
    private volatile long sink;

    private Trace(long deadlineNanos) {
        this.deadline = deadlineNanos;
    }

    /** Runs every part until {@code deadlineNanos} ({@link System#nanoTime()}), then returns a summary line. */
    public static String run(long deadlineNanos) throws InterruptedException {
        return new Trace(deadlineNanos).runAll();
    }

    private boolean running() {
        return !stop && System.nanoTime() - deadline < 0;
    }

    private String runAll() throws InterruptedException {
        BlockingQueue<Long> queue = new ArrayBlockingQueue<>(16);
        List<Thread> threads = new ArrayList<>();
        threads.add(thread("fib-long-1", this::computeForever));
        threads.add(thread("fib-long-2", this::computeForever));
        threads.add(thread("allocator", this::allocate));
        threads.add(thread("lock-holder", this::holdLock));
        for (int i = 1; i <= 3; i++) {
            threads.add(thread("lock-waiter-" + i, this::enterLock));
        }
        threads.add(thread("consumer", this::waitForSignals));
        threads.add(thread("producer", () -> produce(queue)));
        threads.add(thread("queue-taker", () -> take(queue)));
        threads.add(thread("burst", this::bursts));
        for (Thread t : threads) {
            t.start();
        }
        try {
            for (Thread t : threads) {
                t.join();
            }
        } finally {
            stop = true;
            synchronized (signal) {
                signal.notifyAll();
            }
        }
        return String.format(Locale.ROOT, "trace: %d fib calls on 2 long threads, %d short-lived threads, "
                        + "%d MB allocated, %d lock entries, %d signals",
                fibCalls.get(), shortThreads.get(), allocatedBytes.get() >> 20, lockEntries.get(), signals.get());
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Two long-lived threads, {@code fib-long-1} and {@code fib-long-2}, compute recursive fib from start to
     * end and never block: two lanes solid with "running" samples for the whole recording. In Go terms, two
     * goroutines that never block.
     */
    private void computeForever() {
        long s = 0;
        while (running()) {
            s += Fib.recursive(27);
            fibCalls.incrementAndGet();
        }
        sink = s;
    }

    /**
     * Bursts of short-lived threads: every {@value #BURST_EVERY_MS} ms, {@value #BURST_SIZE} new threads
     * {@code short-<burst>-<i>}, each computing fib({@value #SHORT_FIB_N}) and ending after a few milliseconds.
     * On the timeline they are many thin lanes that exist only briefly; their start-up costs (a thread is an
     * OS thread with its own stack) are why pools exist.
     */
    private void bursts() {
        int burst = 0;
        while (running()) {
            burst++;
            List<Thread> group = new ArrayList<>();
            for (int i = 1; i <= BURST_SIZE; i++) {
                Thread t = thread("short-" + burst + "-" + i, () -> sink = Fib.recursive(SHORT_FIB_N));
                t.start();
                group.add(t);
                shortThreads.incrementAndGet();
            }
            try {
                for (Thread t : group) {
                    t.join();
                }
                Thread.sleep(BURST_EVERY_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * The {@code allocator} thread makes garbage as fast as it can in bursts of 32 MB, with a
     * {@code Thread.sleep} of {@value #ALLOC_PAUSE_MS} ms between them ("sleeping" intervals on its lane): the
     * young generation fills up and the GC stops every thread for a moment. The pauses are the bands across
     * all lanes.
     */
    private void allocate() {
        byte[][] ring = new byte[64][];
        long n = 0;
        while (running()) {
            byte[] b = new byte[ALLOC_CHUNK];
            b[n % 7 == 0 ? 0 : b.length - 1] = (byte) n;
            ring[(int) (n++ & 63)] = b;
            if (allocatedBytes.addAndGet(ALLOC_CHUNK) % ALLOC_BURST == 0) {
                try {
                    Thread.sleep(ALLOC_PAUSE_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        sink = ring[0] == null ? 0 : ring[0].length;
    }

    /**
     * A lock: {@code lock-holder} holds a monitor for {@value #HOLD_MS} ms at a time, sleeping with it (a
     * classic mistake: "sleeping" on its lane), then lets the others in; see {@link #enterLock()}.
     */
    private void holdLock() {
        while (running()) {
            synchronized (lock) {
                try {
                    Thread.sleep(HOLD_MS);
                } catch (InterruptedException e) {
                    return;
                }
                lockEntries.incrementAndGet();
            }
            sink = Fib.recursive(20);
        }
    }

    /**
     * {@code lock-waiter-1..3} enter the monitor briefly, again and again: mostly "blocked" behind
     * {@code lock-holder}, one interval (JFR's {@code jdk.JavaMonitorEnter}) under each of its sleeps.
     */
    private void enterLock() {
        while (running()) {
            synchronized (lock) {
                sink = Fib.recursive(18);
                lockEntries.incrementAndGet();
            }
        }
    }

    /**
     * Waiting: {@code consumer} waits in {@code Object.wait} for the signal the {@code producer} sends every
     * {@value #SIGNAL_EVERY_MS} ms: "waiting" intervals, JFR's {@code jdk.JavaMonitorWait}.
     */
    private void waitForSignals() {
        while (running()) {
            synchronized (signal) {
                while (!signalled && running()) {
                    try {
                        signal.wait(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                signalled = false;
            }
            sink = Fib.recursive(20);
        }
    }

    /** Every SIGNAL_EVERY_MS: a signal for the consumer and an item for the queue-taker. */
    private void produce(BlockingQueue<Long> queue) {
        long i = 0;
        while (running()) {
            try {
                Thread.sleep(SIGNAL_EVERY_MS);
                synchronized (signal) {
                    signalled = true;
                    signal.notifyAll();
                }
                signals.incrementAndGet();
                if (++i % 2 == 0) {
                    queue.offer(i, 100, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Parking: {@code queue-taker} waits in {@code BlockingQueue.poll} until the producer puts something in:
     * "parked" intervals, JFR's {@code jdk.ThreadPark}.
     */
    private void take(BlockingQueue<Long> queue) {
        while (running()) {
            try {
                Long v = queue.poll(500, TimeUnit.MILLISECONDS);
                if (v != null) {
                    sink = Fib.recursive(20) + v;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
