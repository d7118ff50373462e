package dev.proflab.labs.fib;

import java.util.HashMap;
import java.util.Map;

/**
 * Lesson 1 (step 1, CPU profile): the same number computed three ways.
 *
 * <p>{@link #recursive(int)} is the "before": the textbook definition, which calls itself about
 * fib(n) times. For n = 35 that is ~30 million calls for one result. A CPU profile of it is a
 * single tall tower of {@code Fib.recursive} frames: the method is 100% of the <em>self</em> time
 * (pprof's {@code top}) and also 100% of the <em>cumulative</em> time ({@code top -cum}) of every
 * frame below it, because it does nothing but call itself. {@code list Fib.recursive} puts nearly
 * all samples on the one line {@code return recursive(n - 1) + recursive(n - 2)}. Nothing in
 * the profile says "you compute fib(33) twice, fib(32) three times ..." — the profile tells you
 * <em>where</em> the time goes; seeing <em>why</em> is your part.
 *
 * <p>{@link #memo(int)} is the "after", as in the Go seed's {@code FibMemo}: every value is
 * computed once and remembered in a map that lives for one top-level call and is shared by its
 * recursive calls. That turns ~fib(n) calls into ~2n calls, and the time drops from milliseconds
 * to under a microsecond for n = 35 (docs/labs.md has the numbers measured on the project's test
 * machine). The price shows up in the allocation profile instead: a fresh
 * {@code HashMap} per call, its table, one {@code HashMap.Node} per entry and boxed {@code Long}
 * values above 127 — about 2 KiB per call (the Go seed's map: 2 KiB/op, 8 allocs/op). Run the
 * benchmark with {@code -prof gc} and look at {@code gc.alloc.rate.norm}: recursive and iterative
 * allocate nothing, memo does. (The Go version also locked a mutex around the map because one map was shared by
 * several goroutines; a memo owned by one call needs no lock, so this one has none.)
 *
 * <p>{@link #iterative(int)} is the "best": two variables and a loop, n additions, no memory. It
 * is again tens of times faster than memo and allocates nothing. Algorithm first, then allocation.
 *
 * <p>All three agree for every n, also past fib(92) where {@code long} overflows, because
 * addition modulo 2<sup>64</sup> does not care about the order of the additions. For n &lt; 2
 * all three return n.
 *
 * <p>How to run it:
 * <pre>
 *   make compare-fib                        # before/after numbers, statistics, flame graphs
 *   make pprof-fib-before                   # CPU profile of recursive, its top, then proflab view
 *   ./proflab bench fib                     # all three with JMH, time and B/op (-prof gc)
 *   ./proflab profile fib-before -d 10s n=35 && ./proflab list Fib.recursive tmp/fib-before-cpu.jfr
 * </pre>
 *
 * <p>{@link #burnCpu(int, int)} is the seed's {@code cmd/cpu_hot}: recursive fib(n) on several
 * threads at once, to fill a CPU profile with samples from more than one thread.
 */
public final class Fib {

    private Fib() {
    }

    /** Before: the definition, exponential time (about 1.6<sup>n</sup> calls). */
    public static long recursive(int n) {
        if (n < 2) {
            return n;
        }
        return recursive(n - 1) + recursive(n - 2);
    }

    /** After: memoized; one memo per top-level call, shared by that call's recursion. */
    public static long memo(int n) {
        return memo(n, new HashMap<>());
    }

    private static long memo(int n, Map<Integer, Long> memo) {
        if (n < 2) {
            return n;
        }
        Long known = memo.get(n);
        if (known != null) {
            return known;
        }
        long value = memo(n - 1, memo) + memo(n - 2, memo);
        memo.put(n, value);
        return value;
    }

    /** Best: linear time, constant space, no allocation. */
    public static long iterative(int n) {
        if (n < 2) {
            return n;
        }
        long previous = 0;
        long current = 1;
        for (int i = 2; i <= n; i++) {
            long next = previous + current;
            previous = current;
            current = next;
        }
        return current;
    }

    /**
     * The seed's {@code cmd/cpu_hot}: computes {@link #recursive(int) recursive(n)} on {@code workers}
     * platform threads named {@code fib-worker-<i>} and waits for all of them.
     *
     * @return the sum of the workers' results, {@code workers * fib(n)}, so the work cannot be optimised away
     * @throws IllegalArgumentException if {@code workers < 1}
     * @throws InterruptedException if interrupted while waiting; the workers are interrupted too
     *         but, being pure computation, finish their current fib first
     */
    public static long burnCpu(int n, int workers) throws InterruptedException {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, was " + workers);
        }
        long[] results = new long[workers];
        Thread[] threads = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            int slot = w;
            threads[w] = new Thread(() -> results[slot] = recursive(n), "fib-worker-" + w);
            threads[w].start();
        }
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            for (Thread thread : threads) {
                thread.interrupt();
            }
            throw e;
        }
        long total = 0;
        for (long result : results) {
            total += result;
        }
        return total;
    }
}
