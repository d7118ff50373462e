package dev.proflab.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.runner.IterationType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * A JMH profiler that counts the operations of the measurement iterations, for {@code proflab profile --bench}:
 * JMH's own profilers ({@code -prof async}, {@code -prof jfr}) record exactly those iterations, so the count is
 * the work the recording covers, and the profile can be read per operation.
 *
 * <p>Run as {@code -prof dev.proflab.bench.OperationCounter:FILE}, <em>before</em> the recording profiler: JMH
 * ends an iteration's profilers in the reverse order, so the recorder has stopped when this one writes, and its
 * work stays out of the recording. After the last measurement iteration it writes, to FILE (atomically, by a
 * rename), the sums: {@code all_ops} (every operation the benchmark threads ran in
 * the iteration, including those JMH runs while it lines the threads up at the start and end, which a profiler
 * sees too) and {@code measured_ops} (the ones JMH's score divides by), the iterations and threads. Warm-up
 * iterations are neither recorded nor counted. It adds no result of its own to JMH's report.
 */
public final class OperationCounter implements InternalProfiler {

    private final Path out;
    private long allOps;
    private long measuredOps;
    private int iterations;

    /** JMH's constructor: the text after {@code OperationCounter:} is the file to write. */
    public OperationCounter(String options) {
        if (options == null || options.isBlank()) {
            throw new IllegalArgumentException("OperationCounter needs a file: -prof dev.proflab.bench.OperationCounter:FILE");
        }
        this.out = Path.of(options.strip());
    }

    @Override
    public String getDescription() {
        return "Counts the operations of the measurement iterations (for proflab profile --bench)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    }

    @Override
    public List<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                 IterationResult result) {
        if (iterationParams.getType() != IterationType.MEASUREMENT) {
            return List.of();
        }
        allOps += result.getMetadata().getAllOps();
        measuredOps += result.getMetadata().getMeasuredOps();
        iterations++;
        if (iterations < iterationParams.getCount()) {
            return List.of();   // within the recording: a sum only
        }
        String json = String.format(Locale.ROOT, "{\"all_ops\": %d, \"measured_ops\": %d, \"iterations\": %d,"
                        + " \"of_iterations\": %d, \"threads\": %d, \"iteration_ms\": %d, \"benchmark\": \"%s\"}%n",
                allOps, measuredOps, iterations, iterationParams.getCount(), benchmarkParams.getThreads(),
                iterationParams.getTime().convertTo(java.util.concurrent.TimeUnit.MILLISECONDS),
                benchmarkParams.getBenchmark().replace("\\", "\\\\").replace("\"", "\\\""));
        try {
            Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.of();
    }
}
