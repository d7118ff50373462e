package dev.proflab.analysis;

import dev.proflab.profile.Frame;
import dev.proflab.profile.ProfileReader;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** proflab's own rules on the checked-in recordings, whose workloads are known (profile's fixture.Workload). */
class ProfileRulesTest {

    private static List<Finding> rules(String file, String event) {
        return ProfileRules.run(ProfileReader.read(Fixture.path(file), event), file);
    }

    private static Finding only(List<Finding> all, String rule) {
        List<Finding> l = all.stream().filter(f -> f.rule().equals(rule)).toList();
        assertThat(l).as(rule).hasSize(1);
        return l.get(0);
    }

    @Test
    void theCpuHotMethodIsTheDominantFrameAndOwnCode() {
        // Workload.cpu spends about two thirds in methodA and one third in methodB (ap-cpu.jfr: 66.1% / 33.8%)
        List<Finding> all = rules("ap-cpu.jfr", "cpu");
        Finding d = only(all, "proflab.dominant-frame");
        assertThat(d.summary()).startsWith("dev.proflab.profile.fixture.Workload.methodA (own code) runs on the CPU");
        assertThat(d.score()).isCloseTo(66.1, within(0.1));
        assertThat(d.severity()).isEqualTo(Finding.Severity.INFO);
        assertThat(d.next()).isEqualTo("proflab peek 'dev.proflab.profile.fixture.Workload.methodA' ap-cpu.jfr");
        assertThat(all).noneMatch(f -> f.rule().equals("proflab.few-samples"));   // 1,493 samples
        assertThat(all).noneMatch(f -> f.rule().equals("proflab.contention"));    // nothing waits
        assertThat(all).noneMatch(f -> f.rule().equals("proflab.no-line-numbers")); // async-profiler records lines
    }

    @Test
    void aLockProfileNamesTheOwnFrameThatWaitsAndSaysNineSamplesAreFew() {
        List<Finding> all = rules("jfr-lock.jfr", "lock");
        Finding d = only(all, "proflab.dominant-frame");
        assertThat(d.summary()).startsWith("dev.proflab.profile.fixture.Workload.contend (own code) waits");
        assertThat(d.next()).endsWith("--event lock").startsWith("proflab list ");
        Finding few = only(all, "proflab.few-samples");
        assertThat(few.summary()).startsWith("9 samples of lock").contains("Wilson");
        assertThat(few.severity()).isEqualTo(Finding.Severity.WARNING);
    }

    @Test
    void anAllocationProfileNamesTheAllocatingMethod() {
        Finding d = only(rules("ap-alloc.jfr", "alloc"), "proflab.dominant-frame");
        assertThat(d.summary()).startsWith("dev.proflab.profile.fixture.Workload.allocA (own code) allocates");
    }

    @Test
    void pprofFilesGetTheSameRules() {
        Finding d = only(rules("ap-cpu.pb.gz", null), "proflab.dominant-frame");
        assertThat(d.summary()).startsWith("dev.proflab.profile.fixture.Workload.methodA");
    }

    @Test
    void wilsonIntervalMatchesTheTextbook() {
        // Wilson (1927), p = 0.5, n = 10: 0.2366 to 0.7634; p = 1, n = 2: from 2 / (2 + z^2) = 0.342
        double[] w = ProfileRules.wilson(0.5, 10);
        assertThat(w[0]).isCloseTo(0.2366, within(1e-4));
        assertThat(w[1]).isCloseTo(0.7634, within(1e-4));
        assertThat(ProfileRules.wilson(1, 2)[0]).isCloseTo(0.3424, within(1e-4));
        assertThat(ProfileRules.wilson(1, 2)[1]).isEqualTo(1.0);
    }

    @Test
    void kindsOfFrames() {
        assertThat(ProfileRules.kind("java.util.HashMap.putVal",
                new Frame("java.util.HashMap", "putVal", "", 1, Frame.Kind.JIT))).isEqualTo("JDK");
        assertThat(ProfileRules.kind("com.acme.Orders.total",
                new Frame("com.acme.Orders", "total", "", 1, Frame.Kind.INLINED))).isEqualTo("own code");
        assertThat(ProfileRules.kind("G1ParScanThreadState::trim_queue_partially",
                new Frame("", "G1ParScanThreadState::trim_queue_partially", "", 0, Frame.Kind.NATIVE))).isEqualTo("GC");
        assertThat(ProfileRules.kind("CompileBroker::compiler_thread_loop",
                new Frame("", "CompileBroker::compiler_thread_loop", "", 0, Frame.Kind.NATIVE))).isEqualTo("JIT");
        assertThat(ProfileRules.kind("do_syscall_64",
                new Frame("", "do_syscall_64", "", 0, Frame.Kind.KERNEL))).isEqualTo("kernel");
        assertThat(ProfileRules.kind("memcpy", new Frame("", "memcpy", "", 0, Frame.Kind.NATIVE))).isEqualTo("native");
    }

    @Test
    void fewSamplesQualifyAConclusionAndAreNotAFindingOfTheirOwn() {
        // three short waits in 10 s (the JDK's lock events beside a CPU profile): the dominant site scores ~0, so
        // nothing is concluded and "too few samples" has nothing to qualify
        dev.proflab.profile.Profile.Builder b = new dev.proflab.profile.Profile.Builder(
                new dev.proflab.profile.Profile.Meta("JDK Flight Recorder", "lock", 0, null,
                        java.time.Duration.ofSeconds(10), null, null, "x.jfr"),
                List.of(new dev.proflab.profile.ValueType("delay", "nanoseconds")));
        int own = b.frame(new Frame("app.Worker", "run", "()V", 12, Frame.Kind.JIT));
        int thread = b.thread("worker");
        int stack = b.stack(new int[] {own});
        for (int i = 0; i < 3; i++) {
            b.sample(stack, thread, i * 1_000_000_000L, 25_000_000L);
        }
        List<Finding> all = ProfileRules.run(b.build(), "x.jfr");
        assertThat(all).noneMatch(f -> f.rule().equals("proflab.few-samples"));
        assertThat(all).allMatch(f -> f.severity() == Finding.Severity.OK);
    }
}
