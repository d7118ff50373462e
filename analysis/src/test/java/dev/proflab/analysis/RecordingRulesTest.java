package dev.proflab.analysis;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The rules on a recording's own events: real recordings for what must and must not fire, numbers for the edges. */
class RecordingRulesTest {

    /** Recordings of the contention lab ({@code proflab profile mutex-before|mutex-after -e cpu,lock -d 4s}). */
    private static Path lab(String name) {
        return Path.of("src/test/resources/labs", name);
    }

    private static List<Finding> rules(Path file) {
        return RecordingRules.run(file, file.getFileName().toString(), ProfileReader.read(file, "cpu"), null);
    }

    private static List<String> ids(List<Finding> all) {
        return all.stream().map(Finding::rule).toList();
    }

    @Test
    void oneLockEveryThreadWaitsForIsFoundAndItsStripedFixIsNot() {
        Finding f = rules(lab("mutex-before.jfr")).stream().filter(x -> x.rule().equals("proflab.one-lock"))
                .findFirst().orElseThrow();
        // all 98 waits of the before are on one java.lang.Object: the table's single lock
        assertThat(f.summary()).startsWith("100.0% of the time threads waited to enter the monitor of one object, "
                + "java.lang.Object @");
        assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING);
        assertThat(f.evidence().get(0)).startsWith("98 waits for java.lang.Object").contains("of 98 waits on 1 objects");
        assertThat(f.evidence().get(1)).startsWith("waits from dev.proflab.labs.contention.Contention$OneLockTable.record");
        assertThat(f.next()).isEqualTo("proflab list 'dev.proflab.labs.contention.Contention$OneLockTable.record' "
                + "mutex-before.jfr --event lock");
        // the after's 131 waits are spread over 55 stripes (the most waited one has 8% of them): no one lock
        assertThat(ids(rules(lab("mutex-after.jfr")))).doesNotContain("proflab.one-lock");
    }

    @Test
    void theFixtureWorkloadsGateIsOneLockOnBothEngines() {
        for (String f : List.of("ap-lock.jfr", "jfr-lock.jfr")) {
            Path p = Fixture.path(f);
            List<Finding> all = RecordingRules.run(p, f, null, null);
            assertThat(all).as(f).anySatisfy(x -> assertThat(x.summary())
                    .contains("one object, dev.proflab.profile.fixture.Workload$Gate @"));
        }
    }

    @Test
    void noFalseAlarmOnRecordingsWhereNothingIsWrong() {
        // the CPU fixtures: one busy thread sampled by each engine, no locks, no GC worth a word
        assertThat(rules(Fixture.path("ap-cpu.jfr"))).isEmpty();
        assertThat(rules(Fixture.path("jfr-cpu.jfr"))).isEmpty();
        assertThat(RecordingRules.run(Fixture.path("ap-alloc.jfr"), "ap-alloc.jfr", null, null)).isEmpty();
    }

    private static RecordingRules.Facts facts(double seconds) {
        RecordingRules.Facts f = new RecordingRules.Facts();
        f.first = Instant.EPOCH;
        f.last = Instant.EPOCH.plusNanos((long) (seconds * 1e9));
        return f;
    }

    @Test
    void gcPausesAreReportedFromTwoPercentOfTheRecording() {
        RecordingRules.Facts f = facts(10);
        f.gcCount = 40;
        f.gcPauseNanos = 150_000_000; // 1.5% of 10 s
        f.gcLongest = 9_000_000;
        assertThat(RecordingRules.run(f, "x.jfr", null, null)).isEmpty();
        f.gcPauseNanos = 1_500_000_000; // 15%
        Finding gc = RecordingRules.run(f, "x.jfr", null, null).get(0);
        assertThat(gc.rule()).isEqualTo("proflab.gc-pauses");
        assertThat(gc.score()).isCloseTo(75, within(1e-9));
        assertThat(gc.summary()).isEqualTo("The application was stopped for garbage collection 15.0% of the time "
                + "(40 collections, 1500.0 ms of pauses in 10.0 s).");
        assertThat(gc.next()).isEqualTo("proflab timeline x.jfr");
    }

    @Test
    void aCpuProfileThatMissesMostOfTheJvmsCpuTimeSaysSo() {
        Profile cpu = ProfileReader.read(Fixture.path("ap-cpu.jfr"), "cpu");
        double seconds = cpu.meta().duration().toNanos() / 1e9;
        double sampledCores = cpu.recordCount() * (cpu.meta().interval() / 1e9) / seconds;
        RecordingRules.Facts f = facts(seconds);
        f.hwThreads = 8;
        f.cpuLoads = 2;
        // jdk.CPULoad says the JVM used four times what the samples account for: 25% coverage
        f.cpuLoadSum = 2 * (4 * sampledCores / 8);
        Finding c = RecordingRules.run(f, "ap-cpu.jfr", cpu, null).get(0);
        assertThat(c.rule()).isEqualTo("proflab.cpu-coverage");
        assertThat(c.score()).isCloseTo(75, within(0.01));
        assertThat(c.summary()).startsWith("The CPU profile accounts for 25% of the CPU time the JVM used");
        assertThat(c.explanation()).contains("kernel's timer"); // an async-profiler recording
        // the same profile against what it did account for: nothing to say
        f.cpuLoadSum = 2 * (sampledCores / 8);
        assertThat(RecordingRules.run(f, "ap-cpu.jfr", cpu, null)).isEmpty();
    }
}
