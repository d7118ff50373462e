package dev.proflab.labs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proflab.labs.alloc.Alloc;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("slow")
class RunTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void releaseHeld() {
        Alloc.release();
    }

    private int run(String... args) {
        return Run.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                     | no workload",
            "fib-slow                               | unknown workload 'fib-slow'",
            "fib-before n                           | expected key=value",
            "fib-before n=abc                       | n='abc' is not an integer",
            "fib-before n=46                        | n must be 0..45",
            "fib-after n=-1                         | n must be 0..92",
            "fib-before m=3                         | unknown parameter 'm'",
            "fib-best --seconds                     | --seconds needs a value",
            "fib-best --seconds abc                 | --seconds: 'abc' is not a number",
            "fib-best --seconds -1                  | must be a number >= 0",
            "fib-best --seconds 0                   | must be > 0",
            "fib-best --seconds=NaN                 | must be a number >= 0",
            "fib-best --verbose                     | unknown option '--verbose'",
            "alloc-before hold=yes                  | hold must be true or false",
            "alloc-after bytes=-1                   | bytes must be 0..",
            "mem-hot count=1x                       | count='1x' is not an integer",
            "mutex-before threads=0                 | threads must be 1..1024",
            "mutex-seed-after work=5                | unknown parameter 'work'",
            "mutex-seed-before hold-ns=5 work=5     | unknown parameter 'work'",
            "cpu-hot workers=0                      | workers must be 1..1024",
            "leak n=-2                              | n must be 0..100000",
            "challenge-before workers=0             | workers must be 1..256",
            "challenge-mine lines=x                 | lines='x' is not an integer",
            "challenge-solution n=3                 | unknown parameter 'n', expected workers, lines",
            "challenge-fast                         | unknown workload 'challenge-fast'",
    })
    void badArgumentsGiveOneLineOnStderrAndExit2(String commandLine, String message) {
        String[] args = commandLine.isEmpty() ? new String[0] : commandLine.trim().split("\\s+");
        assertThat(run(args)).isEqualTo(2);
        assertThat(err()).contains(message).endsWith(System.lineSeparator());
        assertThat(err().lines()).hasSize(1);
        assertThat(out()).isEmpty();
    }

    @Test
    void helpListsEveryWorkload() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("fib-before", "fib-after", "fib-best", "cpu-hot", "alloc-before", "alloc-after",
                "mem-hot", "mutex-before", "mutex-after", "leak", "challenge-before", "challenge-mine",
                "challenge-solution");
        assertThat(err()).isEmpty();
    }

    @Test
    void fibRepeatsAndPrintsTheResult() {
        assertThat(run("fib-before", "--seconds", "0.2", "n=20")).isZero();
        assertThat(out()).startsWith("fib-before n=20: ").contains("result 6765");
        assertThat(err()).isEmpty();
    }

    @Test
    void fibAfterAndBestGiveTheSameResult() {
        assertThat(run("fib-after", "--seconds=0.1", "n=60")).isZero();
        assertThat(run("fib-best", "--seconds=0.1", "n=60")).isZero();
        assertThat(out().lines()).hasSize(2).allMatch(line -> line.contains("result 1548008755920"));
    }

    @Test
    void cpuHotRunsOnTheWorkers() {
        assertThat(run("cpu-hot", "--seconds", "0.1", "n=20", "workers=3")).isZero();
        assertThat(out()).contains("workers=3").contains("total=" + 3 * 6765);
    }

    @Test
    void allocVersionsPrintTheSameChecksum() {
        assertThat(run("alloc-before", "--seconds", "0.1", "bytes=256", "count=100")).isZero();
        assertThat(run("alloc-reuse-digest", "--seconds", "0.1", "bytes=256", "count=100")).isZero();
        assertThat(run("alloc-after", "--seconds", "0.1", "bytes=256", "count=100")).isZero();
        long expected = Alloc.allocate(256, 100, false);
        assertThat(out().lines()).hasSize(3).allMatch(line -> line.contains("checksum " + expected + ","));
    }

    @Test
    void memHotAllocatesOnceAndHolds() {
        assertThat(run("mem-hot", "bytes=64", "count=1000")).isZero();
        assertThat(out().strip()).isEqualTo("allocated items=1000");
        assertThat(Alloc.heldItems()).isEqualTo(1000);
        assertThat(Alloc.heldBytes()).isEqualTo(64_000);
    }

    @Test
    void memHotWithoutHoldKeepsNothing() {
        assertThat(run("mem-hot", "bytes=64", "count=1000", "hold=false")).isZero();
        assertThat(out().strip()).isEqualTo("allocated items=1000");
        assertThat(Alloc.heldItems()).isZero();
    }

    @Test
    void memHotWithSecondsHoldsThenReleases() {
        assertThat(run("mem-hot", "--seconds", "0.1", "bytes=8", "count=10")).isZero();
        assertThat(out()).startsWith("allocated items=10").contains("released items=10");
        assertThat(Alloc.heldItems()).isZero();
    }

    @Test
    void mutexWorkloadsRecord() {
        for (String workload : new String[] {"mutex-before", "mutex-after", "mutex-adder", "mutex-seed-before",
                "mutex-seed-after"}) {
            out.reset();
            assertThat(run(workload, "--seconds", "0.1", "threads=2")).as(workload).isZero();
            assertThat(out()).startsWith(workload + " threads=2").contains("records in").contains("records/us");
        }
    }

    @Test
    void leakStartsAndStopsItsThreads() {
        assertThat(run("leak", "--seconds", "0.1", "n=5", "bytes=16")).isZero();
        assertThat(out()).contains("leak: 5 threads").contains("stopped 5 threads");
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("leaky-worker-") && t.isAlive());
    }

    @Test
    void leakWithEveryStartsMoreThreadsAsTimePasses() {
        assertThat(run("leak", "--seconds", "2.5", "n=3", "bytes=16", "every=1")).isZero();
        assertThat(out()).contains("leak: 3 threads named leaky-worker-* parked, 3 more every 1 s")
                .contains("stopped 9 threads");
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("leaky-worker-") && t.isAlive());
    }

    @Test
    void challengeVariantsWriteTheSameReportQuickly() {
        for (String variant : new String[] {"before", "mine", "solution"}) {
            assertThat(run("challenge-" + variant, "--seconds", "0.1", "lines=1000", "workers=2")).as(variant).isZero();
        }
        assertThat(err()).isEmpty();
        assertThat(out().lines()).hasSize(3)
                .allMatch(line -> line.contains(" reports, sales report: 1000 lines, "))
                .filteredOn(line -> !line.startsWith("challenge-before")).allMatch(line -> line.endsWith(", same report as the original"));
        assertThat(out().lines().map(line -> line.replaceAll("^.*(sales report: [^,]*,[^,]*,[^,]*,[^,]*) in .*$", "$1"))
                .distinct()).hasSize(1);
    }
}
