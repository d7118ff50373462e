package dev.proflab.cli;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A JVM that burns CPU in one recursive method, {@link #fib}, on its main thread: prints {@code burning} when it
 * starts and stops by itself after {@code seconds} (the first argument) if nobody stops it before.
 *
 * <p>With {@code alloc-lock} as second argument it also allocates and contends, on daemon threads: one thread
 * allocates about 50 MB/s in {@link #allocate} ({@code byte[1024]}, so in TLABs); two threads take turns on one
 * monitor in {@link #holdMonitor}, two on one {@link ReentrantLock} in {@link #holdLock}, each holding it 2 ms
 * (asleep) then resting 1 ms, so that the other waits up to 2 ms: {@code jdk.JavaMonitorEnter} and {@code jdk.ThreadPark} for a
 * lock profiler with a threshold below 2 ms. Where the Pyroscope agent's label API is on the class path (the agent
 * runs), the burning is labelled {@code endpoint=/fib} ({@link ContextLabels}).
 */
public final class BurnFixture {

    static volatile long sink;
    static volatile Object kept;
    static final Object MONITOR = new Object();
    static final ReentrantLock LOCK = new ReentrantLock();

    public static void main(String[] args) {
        long end = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
        if (args.length > 1 && args[1].equals("alloc-lock")) {
            daemon("allocator", BurnFixture::allocate);
            for (int i = 0; i < 2; i++) {
                daemon("monitor-" + i, BurnFixture::holdMonitor);
                daemon("lock-" + i, BurnFixture::holdLock);
            }
        }
        boolean labelled = args.length > 1 && args[1].equals("alloc-lock") && ContextLabels.available();
        System.out.println(labelled ? "burning, labelled endpoint=/fib" : "burning");
        System.out.flush();
        if (labelled) {
            ContextLabels.burn(end);
        } else {
            burn(end);
        }
    }

    static void burn(long end) {
        while (System.nanoTime() < end) {
            sink += fib(24);
        }
    }

    /**
     * The Pyroscope agent's context labels ({@code io.pyroscope.labels.v2}, in its jar, on the class path only when
     * it is the {@code -javaagent}): the burning runs inside a {@code ScopedContext} labelled
     * {@code endpoint=/fib}. A class of its own, loaded only when the API is there.
     */
    static final class ContextLabels {

        static boolean available() {
            try {
                Class.forName("io.pyroscope.labels.v2.ScopedContext", false, BurnFixture.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException e) {
                return false;
            }
        }

        static void burn(long end) {
            try (io.pyroscope.labels.v2.ScopedContext ignored = new io.pyroscope.labels.v2.ScopedContext(
                    new io.pyroscope.labels.v2.LabelsSet("endpoint", "/fib"))) {
                BurnFixture.burn(end);
            }
        }
    }

    static long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    static void allocate() {
        Object[] ring = new Object[256];
        for (int i = 0; ; i++) {
            ring[i & 255] = new byte[1024];
            if ((i & 511) == 511) { // 512 KB, then 10 ms of rest: about 50 MB/s
                kept = ring[i & 255];
                sleep(10);
            }
        }
    }

    static void holdMonitor() {
        while (true) {
            synchronized (MONITOR) {
                sleep(2);
            }
            sleep(1); // the other's turn
        }
    }

    static void holdLock() {
        while (true) {
            LOCK.lock();
            try {
                sleep(2);
            } finally {
                LOCK.unlock();
            }
            sleep(1);
        }
    }

    static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
