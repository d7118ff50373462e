package dev.proflab.labs.leak;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Lesson 4 (step 3, thread dump — Go's goroutine dump): threads that never end unless someone stops them.
 *
 * <p>{@link #start(int, int)} starts {@code n} threads named {@code leaky-worker-<i>}. Each one allocates a
 * buffer, then waits in {@code waitForWorkThatNeverComes} for a signal that only {@link #stop()} gives.
 * Nothing else ever wakes them, so in a real program that forgot to call {@code stop()} they would stay
 * for the life of the JVM, each holding its buffer — the Java form of the seed's {@code LeakGoroutines}.
 *
 * <p>What you see:
 * <ul>
 *   <li>A thread dump ({@code jcmd <pid> Thread.print}, {@code jstack}, or JFR's {@code jdk.ThreadDump})
 *       shows n threads with the same name pattern and the same stack, all {@code WAITING (parking)} in
 *       {@code CountDownLatch.await} called from {@code Leak.waitForWorkThatNeverComes}. The count grows
 *       every time the leaking code runs again: compare two dumps taken a minute apart.</li>
 *   <li>A heap dump shows the buffers retained by those threads' stacks (GC roots of type "Java frame"):
 *       a thread that never ends keeps alive everything its frames reference.</li>
 *   <li>A CPU profile shows nothing: parked threads use no CPU. Leaks of this kind are found by counting,
 *       not by sampling.</li>
 * </ul>
 *
 * <p>The threads are daemon threads so that a forgotten leak in a demo cannot keep the JVM from exiting;
 * a real leak made of non-daemon threads would also do that. They ignore interrupts, as much code that
 * loops around a blocking call does; only {@link #stop()} (or {@link #close()}) ends them. Virtual threads
 * leak the same way but do not appear in {@code Thread.print}: use
 * {@code jcmd <pid> Thread.dump_to_file -format=json out.json} for them.
 *
 * <p>How to run it:
 * <pre>
 *   ./proflab profile leak -e wall -d 60s n=100 &amp;            # the lab in a new JVM, for 60 s
 *   ./proflab threads --pid $(pgrep -f 'labs.Run leak')       # 100 x WAITING leaky-worker-*
 * </pre>
 */
public final class Leak implements AutoCloseable {

    /** Buffer each worker holds when none is given: 64 KiB. */
    public static final int DEFAULT_BYTES_EACH = 64 * 1024;

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final List<Thread> threads;

    private Leak(int n, int bytesEach) {
        List<Thread> started = new ArrayList<>(n);
        CountDownLatch running = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Thread thread = new Thread(() -> {
                byte[] held = new byte[bytesEach];
                running.countDown();
                waitForWorkThatNeverComes(held, stopSignal);
            }, "leaky-worker-" + i);
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        this.threads = List.copyOf(started);
        awaitUninterruptibly(running); // when start() returns, every thread has its buffer
    }

    /** Starts {@code n} leaking threads holding {@value #DEFAULT_BYTES_EACH} bytes each. */
    public static Leak start(int n) {
        return start(n, DEFAULT_BYTES_EACH);
    }

    /**
     * Starts {@code n} threads that each allocate {@code bytesEach} bytes and then wait until {@link #stop()}.
     *
     * @throws IllegalArgumentException if {@code n} or {@code bytesEach} is negative
     */
    public static Leak start(int n, int bytesEach) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        if (bytesEach < 0) {
            throw new IllegalArgumentException("bytesEach must be >= 0, was " + bytesEach);
        }
        return new Leak(n, bytesEach);
    }

    /** The threads started, alive or not. */
    public List<Thread> threads() {
        return threads;
    }

    /** How many of the threads are still alive. */
    public int alive() {
        int alive = 0;
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                alive++;
            }
        }
        return alive;
    }

    /**
     * Signals every thread to end and waits for them, up to 10 seconds in all. Safe to call more than once.
     *
     * @return true if all threads have ended
     */
    public boolean stop() {
        stopSignal.countDown();
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        boolean interrupted = false;
        try {
            for (Thread thread : threads) {
                while (thread.isAlive()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        thread.join(Duration.ofNanos(left));
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Where every leaked thread sits, holding {@code held}, until the stop signal. */
    private static void waitForWorkThatNeverComes(byte[] held, CountDownLatch stopSignal) {
        awaitUninterruptibly(stopSignal);
        Reference.reachabilityFence(held); // the buffer stays reachable for as long as the thread waits
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
