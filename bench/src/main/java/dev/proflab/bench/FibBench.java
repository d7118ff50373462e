package dev.proflab.bench;

import dev.proflab.labs.fib.Fib;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Step 1 and 5: fib(n) recursive (before), memoized (after) and iterative (best); see {@link Fib} for the lesson.
 *
 * <p>Time per call in nanoseconds, lower is better: recursive in milliseconds, memo under a microsecond,
 * iterative a few nanoseconds (the numbers measured on the project's test machine are in docs/labs.md).
 * Add {@code -prof gc} for bytes per call: memo about 2 KiB (its {@code HashMap}: table, nodes, boxed values),
 * iterative 0. Recursive also allocates nothing, but shows several hundred B/op in short iterations: that is
 * JMH's own per-iteration bookkeeping (a few KB) divided by the few calls that fit in an iteration.
 *
 * <pre>
 *   ./proflab bench fib                           # all three, -prof gc; defaults: 2 forks, 3 x 1 s + 5 x 1 s
 *   ./proflab bench fib --time 200ms -- -p n=20,25,30    # how each grows with n
 *   make compare-fib                              # interleaved forks, statistics and a verdict
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class FibBench {

    /** before, after, best. */
    @Param({"recursive", "memo", "iterative"})
    public String impl;

    /** The argument. At 35 recursive takes tens of milliseconds per call, so one round stays short. */
    @Param({"35"})
    public int n;

    private int kind;

    @Setup
    public void setUp() {
        kind = switch (impl) {
            case "recursive" -> 0;
            case "memo" -> 1;
            case "iterative" -> 2;
            default -> throw new IllegalArgumentException("impl must be recursive, memo or iterative, was " + impl);
        };
    }

    @Benchmark
    public long fib() {
        return switch (kind) {
            case 0 -> Fib.recursive(n);
            case 1 -> Fib.memo(n);
            default -> Fib.iterative(n);
        };
    }
}
