package dev.proflab.cli;

/**
 * A JVM that burns CPU in one recursive method, {@link #fib}, on its main thread: prints {@code burning} when it
 * starts and stops by itself after {@code seconds} (the first argument) if nobody stops it before.
 */
public final class BurnFixture {

    static volatile long sink;

    public static void main(String[] args) {
        long end = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
        System.out.println("burning");
        System.out.flush();
        while (System.nanoTime() < end) {
            sink += fib(24);
        }
    }

    static long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }
}
