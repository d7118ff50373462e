package dev.proflab.bench;

import dev.proflab.labs.alloc.Alloc;
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
 * Step 2 and 5: 1000 items of 1 KiB, each carrying a SHA-256 digest, made three ways; see {@link Alloc}.
 *
 * <p>Time per call in nanoseconds, lower is better. Run it with {@code -prof gc} and read
 * {@code gc.alloc.rate.norm}, the bytes allocated per call: before allocates about 1.4 MB per call (the
 * buffers and small arrays, and a fifth of it from {@code MessageDigest.getInstance}), reuse-digest about
 * 1.1 MB, after nothing; docs/labs.md has the numbers measured on the project's test machine. The items are
 * never held here ({@code hold = false}); the held version is the leak of {@code Run mem-hot}, which would
 * fill any heap in a benchmark.
 *
 * <p>The forks run with a fixed, pre-touched 512 MiB heap ({@code -Xms512m -Xmx512m -XX:+AlwaysPreTouch}, on
 * all three benchmark classes). Without it G1 grows the heap while the benchmark runs, and memory the JVM
 * touches for the first time is slow to fault in: a few iterations in a row can then take many times the
 * usual time per call, more noise than the difference being measured. Passing {@code -jvmArgsAppend} on the
 * command line replaces these options.
 *
 * <pre>
 *   ./proflab bench alloc                                  # all three, -prof gc
 *   ./proflab bench alloc --time 200ms -- -p bytes=64,1024,16384
 *   make compare-alloc                                     # interleaved forks, statistics and a verdict
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class AllocBench {

    /** before; the getInstance fix alone; after. */
    @Param({"before", "reuse-digest", "after"})
    public String impl;

    /** Bytes per item, as in the Go seed's benchmark. */
    @Param({"1024"})
    public int bytes;

    /** Items per call, as in the Go seed's benchmark. */
    @Param({"1000"})
    public int count;

    private int kind;

    @Setup
    public void setUp() {
        kind = switch (impl) {
            case "before" -> 0;
            case "reuse-digest" -> 1;
            case "after" -> 2;
            default -> throw new IllegalArgumentException("impl must be before, reuse-digest or after, was " + impl);
        };
    }

    @Benchmark
    public long allocate() {
        return switch (kind) {
            case 0 -> Alloc.allocate(bytes, count, false);
            case 1 -> Alloc.allocateReusingDigest(bytes, count, false);
            default -> Alloc.allocatePooled(bytes, count, false);
        };
    }
}
