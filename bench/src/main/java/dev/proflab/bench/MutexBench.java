package dev.proflab.bench;

import dev.proflab.labs.contention.Contention;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Step 3 and 5: two threads recording into one table of counters under one lock (before), 64 striped locks
 * (after), no lock at all (adder: a LongAdder per slot), and the Go seed's pair; see {@link Contention} for
 * the lesson; docs/labs.md has the numbers measured on the project's test machine.
 *
 * <p>Throughput in records per microsecond, summed over both threads: <b>higher is better</b> (the other
 * benchmarks report time, lower is better). One operation is one {@code record(key)}, also for the seed's
 * pair, whose Go benchmark counted 1000 increments per operation. Keys are random, so with striped locks the
 * two threads meet on the same lock once in 64 records.
 *
 * <p>{@code work} is the number of hashing rounds added to the critical section (about 1 ns each); the
 * default, 0, is chosen in {@link Contention#DEFAULT_WORK_ROUNDS}: the critical section is then the table
 * update alone, and the after does several times the before's records. With more work the JVM often lets one
 * thread keep the lock while the other one sleeps, and the measured gain shrinks: compare
 * {@code -p work=0,5,20,40}, and look at the per-fork scores, not only the mean.
 * {@code holdNs} is the seed-before's busy-wait.
 *
 * <pre>
 *   ./proflab bench mutex                                 # 4 forks: the lock's mode varies per fork
 *   ./proflab bench mutex --time 200ms -- -p work=0,5,20,40
 *   ./proflab bench mutex -- -t 4                         # more threads than cores
 *   make compare-mutex                                    # interleaved forks, statistics and a verdict
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 4, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "--enable-native-access=ALL-UNNAMED"})
@Threads(2)
@State(Scope.Benchmark)
public class MutexBench {

    /** before, after, lock-free, then the seed's HotMutex and HotMutexSharded. */
    @Param({"before", "after", "adder", "seed-before", "seed-after"})
    public String impl;

    /** Rounds of work inside the critical section (before, after; adder has no critical section). */
    @Param({"" + Contention.DEFAULT_WORK_ROUNDS})
    public int work;

    /** Busy-wait inside seed-before's critical section, in nanoseconds (the seed's benchmark used 10). */
    @Param({"" + Contention.DEFAULT_SEED_HOLD_NANOS})
    public long holdNs;

    private Contention.Table table;

    @Setup
    public void setUp() {
        table = Contention.newTable(impl, work, holdNs);
    }

    /** Each benchmark thread's own key sequence. */
    @State(Scope.Thread)
    public static class Keys {
        long key;

        @Setup
        public void setUp(ThreadParams thread) {
            key = Contention.seed(thread.getThreadIndex());
        }
    }

    @Benchmark
    public void record(Keys keys) {
        long key = Contention.nextKey(keys.key);
        keys.key = key;
        table.record(key);
    }
}
