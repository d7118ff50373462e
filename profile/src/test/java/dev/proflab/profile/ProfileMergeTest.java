package dev.proflab.profile;

import dev.proflab.report.Selection;
import dev.proflab.report.Top;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Windows of one kind merged into one profile: sums per stack, on real recordings of the fixture workload. */
class ProfileMergeTest {

    static final Path CPU = Path.of("src/test/resources/profiles/ap-cpu.jfr");
    static final Path JFR_CPU = Path.of("src/test/resources/profiles/jfr-cpu.jfr");
    static final Path CPU_PPROF = Path.of("src/test/resources/profiles/ap-cpu.pb.gz");

    private static Profile read(Path p) {
        return ProfileReader.read(p, ReadOptions.defaults().withEvent("cpu").withAggregate(true));
    }

    private static long flat(Profile p, String suffix) {
        return Top.compute(p, Selection.all(), 0, false).rows().stream()
                .filter(r -> r.name().endsWith(suffix)).mapToLong(Top.Row::flat).sum();
    }

    @Test
    void theMergeSumsEveryValueAndKeepsEachStackOnce() {
        Profile a = read(CPU);
        Profile b = read(CPU);
        Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
        Profile m = ProfileMerge.merge(List.of(new ProfileMerge.Part(a, t0), new ProfileMerge.Part(b, t0.plusSeconds(60))),
                "two windows");
        assertThat(m.valueTypes()).isEqualTo(a.valueTypes());
        for (int v = 0; v < a.valueTypes().size(); v++) {
            assertThat(m.total(v)).isEqualTo(a.total(v) + b.total(v));
        }
        // the same stacks and threads: as many samples as one of them (aggregated), each worth double
        assertThat(m.sampleCount()).isEqualTo(a.sampleCount());
        assertThat(m.stackCount()).isEqualTo(a.stackCount());
        int vi = m.defaultValueIndex();
        assertThat(m.valueTypes().get(vi)).isEqualTo(a.valueTypes().get(a.defaultValueIndex()));
        assertThat(flat(m, "Workload.methodA")).isEqualTo(2 * flat(a, "Workload.methodA")).isPositive();
        Profile.Meta meta = m.meta();
        assertThat(meta.start()).isEqualTo(t0);
        assertThat(meta.duration()).isEqualTo(a.meta().duration().plus(b.meta().duration()));
        assertThat(meta.engine()).isEqualTo("async-profiler");
        assertThat(meta.interval()).isEqualTo(a.meta().interval());
        assertThat(meta.source()).isEqualTo("two windows");
    }

    @Test
    void laterWindowsLieLaterOnTheMergedTime() {
        Profile a = read(CPU);
        Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
        Profile m = ProfileMerge.merge(List.of(new ProfileMerge.Part(a, t0), new ProfileMerge.Part(read(JFR_CPU), t0.plusSeconds(60))),
                "two engines");
        long late = 0;
        for (int i = 0; i < m.sampleCount(); i++) {
            if (m.timeOf(i) >= Duration.ofSeconds(60).toNanos()) {
                late++;
            }
        }
        assertThat(late).isPositive().isLessThan(m.sampleCount());
        assertThat(m.meta().engine()).isEqualTo("mixed");
    }

    @Test
    void differentValueTypesAreUnitedByName() {
        Profile jfr = read(CPU);
        Profile pprof = ProfileReader.read(CPU_PPROF);
        Profile m = ProfileMerge.merge(List.of(new ProfileMerge.Part(jfr, null), new ProfileMerge.Part(pprof, null)), "x");
        for (ValueType t : m.valueTypes()) {
            int i = m.valueIndex(t.type());
            int ji = jfr.valueIndex(t.type());
            int pi = pprof.valueIndex(t.type());
            assertThat(m.total(i)).isEqualTo((ji < 0 ? 0 : jfr.total(ji)) + (pi < 0 ? 0 : pprof.total(pi)));
        }
        assertThat(m.valueTypes().size()).isGreaterThanOrEqualTo(jfr.valueTypes().size());
    }

    @Test
    void nothingToMergeIsAnError() {
        assertThatThrownBy(() -> ProfileMerge.merge(List.of(), "none")).isInstanceOf(IllegalArgumentException.class);
    }
}
