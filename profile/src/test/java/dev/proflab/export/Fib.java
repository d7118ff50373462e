package dev.proflab.export;

/** The workload of the real recordings in these tests: a CPU profile of it is one tall tower of {@code recursive}. */
final class Fib {

    private Fib() {
    }

    static long recursive(int n) {
        if (n < 2) {
            return n;
        }
        return recursive(n - 1) + recursive(n - 2);
    }

    /** Allocates: one boxed list per call, so an allocation profile has a clear hot spot here. */
    static long boxes(int n) {
        java.util.List<Long> list = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add((long) i * 1_000_003);
        }
        long sum = 0;
        for (Long x : list) {
            sum += x;
        }
        return sum;
    }
}
