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
import org.openjdk.jmh.infra.Blackhole;

/**
 * A pitfall, not a lab: a result nobody uses is code the JIT may delete (JMH's {@code JMHSample_08_DeadCode}).
 *
 * <p>Each variant computes the same {@code Fib.iterative(n)}, a loop of {@code n} additions:
 * <ul>
 *   <li>{@code returned}: the benchmark returns the result, and JMH consumes what a benchmark returns;</li>
 *   <li>{@code discarded}: the result is dropped. The loop has no other effect, so C2 removes it, and what is
 *   left to measure is the benchmark's own call: a "speed-up" that measures nothing;</li>
 *   <li>{@code blackhole}: the result goes into a {@link Blackhole}, which the JIT cannot see through: the
 *   same cost as {@code returned}. Use it when a benchmark has several results.</li>
 * </ul>
 * Every lab benchmark here returns its result for this reason ({@code FibBench.fib} returns the fib,
 * {@code AllocBench.allocate} the checksum).
 *
 * <pre>
 *   ./proflab compare dce                       # returned vs discarded vs blackhole, with a verdict
 *   ./proflab bench dce                         # JMH's own report
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class DeadCodeBench {

    /** returned (the right way), discarded (the pitfall), blackhole (the right way with several results). */
    @Param({"returned", "discarded", "blackhole"})
    public String impl;

    /** A field, not a constant, so the JIT cannot compute the result ahead of time either. */
    @Param({"90"})
    public int n;

    private int kind;

    @Setup
    public void setUp() {
        kind = switch (impl) {
            case "returned" -> 0;
            case "discarded" -> 1;
            case "blackhole" -> 2;
            default -> throw new IllegalArgumentException("impl must be returned, discarded or blackhole, was " + impl);
        };
    }

    @Benchmark
    public long fib(Blackhole bh) {
        switch (kind) {
            case 0:
                return Fib.iterative(n);
            case 1:
                Fib.iterative(n);
                return 0;
            default:
                bh.consume(Fib.iterative(n));
                return 0;
        }
    }
}
