package dev.proflab.bench;

import dev.proflab.labs.challenge.Challenge;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The final challenge: one nightly report (a log of {@code lines} lines on a pool of {@code workers} threads)
 * by the original job, your copy and the reference fix; see {@link Challenge}.
 *
 * <p>Time per report, lower is better; {@code -prof gc} gives the bytes allocated per report by all the job's
 * threads (the pool lives as long as the fork, so none of its threads' allocations are lost). The setup first
 * checks that the variant writes the same report as the original and stops the fork with the difference if
 * it does not: a faster wrong answer is not a result.
 *
 * <pre>
 *   ./proflab compare challenge                               # before vs mine (make challenge-compare)
 *   java -jar bench/target/benchmarks.jar Challenge -prof gc -p impl=before,solution
 *   java -jar bench/target/benchmarks.jar Challenge -p impl=before,solution -p workers=1,2,4,8
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class ChallengeBench {

    /** before (the original), mine (your copy), solution (the reference fix). */
    @Param({"before", "mine", "solution"})
    public String impl;

    /** The job's worker threads. */
    @Param({"" + Challenge.DEFAULT_WORKERS})
    public int workers;

    /** Lines of the log, one report per operation. */
    @Param({"" + Challenge.DEFAULT_LINES})
    public int lines;

    private List<String> log;
    private Challenge.Job job;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        String wrong = Challenge.check(impl, workers, Math.min(lines, Challenge.DEFAULT_LINES));
        if (!wrong.isEmpty()) {
            throw new IllegalStateException(wrong);
        }
        log = Challenge.log(lines, Challenge.SEED);
        job = Challenge.create(impl, workers);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        job.close();
    }

    @Benchmark
    public String report() throws InterruptedException {
        return job.report(log);
    }
}
