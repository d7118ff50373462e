package dev.proflab.export;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pprof export, field by field (decoded by {@link PprofDecoder}, which knows nothing of the
 * encoder), on a hand-built profile and on a real recording; then the real client, Go's pprof.
 */
class PprofTest {

    static final Frame RECURSIVE_12 = new Frame("dev.proflab.labs.fib.Fib", "recursive", "(I)J", 12, Frame.Kind.JIT);
    static final Frame RECURSIVE_14 = new Frame("dev.proflab.labs.fib.Fib", "recursive", "(I)J", 14, Frame.Kind.INLINED);
    static final Frame RECURSIVE_14_INT =
            new Frame("dev.proflab.labs.fib.Fib", "recursive", "(I)J", 14, Frame.Kind.INTERPRETED);
    static final Frame RUN = new Frame("java.lang.Thread", "run", "()V", 1583, Frame.Kind.JIT);
    static final Frame INNER = new Frame("dev.proflab.labs.fib.Fib$Worker", "call", "()Ljava/lang/Object;", 7,
            Frame.Kind.JIT);
    static final Frame NATIVE = new Frame("", "__memset_avx2_unaligned_erms", "", 0, Frame.Kind.NATIVE);
    static final Instant START = Instant.parse("2026-11-26T06:00:00.123456789Z");

    /** 2 threads, 3 stacks, 5 samples; values samples/count and cpu/nanoseconds. */
    static Profile handMade() {
        Profile.Builder b = new Profile.Builder(
                new Profile.Meta("async-profiler", "cpu", 10_000_000, START, Duration.ofMillis(2500), "25.0.3",
                        "java -jar app.jar", "/tmp/cpu.jfr"),
                List.of(new ValueType("samples", "count"), new ValueType("cpu", "nanoseconds")));
        int r12 = b.frame(RECURSIVE_12);
        int r14 = b.frame(RECURSIVE_14);
        int r14i = b.frame(RECURSIVE_14_INT);
        int run = b.frame(RUN);
        int inner = b.frame(INNER);
        int nat = b.frame(NATIVE);
        int s1 = b.stack(new int[] {r12, r14, run});
        int s2 = b.stack(new int[] {nat, r14i, inner, run});
        int s3 = b.stack(new int[] {});
        int main = b.thread("main");
        int worker = b.thread("worker-1");
        b.sample(s1, main, 0, 1, 10_000_000);
        b.sample(s1, main, 10, 1, 10_000_000);
        b.sample(s1, worker, 20, 1, 10_000_000);
        b.sample(s2, worker, 30, 1, 10_000_000);
        b.sample(s3, main, 40, 1, 10_000_000);
        return b.build();
    }

    @Test
    void everyFieldOfAHandMadeProfile() {
        Profile p = handMade();
        PprofDecoder.Decoded d = PprofDecoder.decodeGzipped(Pprof.encode(p, new Pprof.Options(1, true)));

        assertThat(d.unknownFields()).isEmpty();
        assertThat(d.strings().get(0)).isEmpty();
        assertThat(d.strings()).doesNotHaveDuplicates();
        assertThat(d.sampleTypes()).containsExactly(new PprofDecoder.ValueType("samples", "count"),
                new PprofDecoder.ValueType("cpu", "nanoseconds"));
        assertThat(d.defaultSampleType()).isEqualTo("cpu");
        assertThat(d.periodType()).isEqualTo(new PprofDecoder.ValueType("cpu", "nanoseconds"));
        assertThat(d.period()).isEqualTo(10_000_000);
        assertThat(d.timeNanos()).isEqualTo(START.getEpochSecond() * 1_000_000_000L + 123_456_789);
        assertThat(d.durationNanos()).isEqualTo(2_500_000_000L);
        assertThat(d.comments()).anySatisfy(c -> assertThat(c).contains("cpu", "async-profiler", "/tmp/cpu.jfr"));
        assertThat(d.comments()).contains("JDK 25.0.3", "command: java -jar app.jar");

        // One mapping that says "symbolized": pprof must not look for binaries.
        assertThat(d.mappings()).hasSize(1);
        PprofDecoder.Mapping m = d.mappings().get(0);
        assertThat(m.id()).isEqualTo(1);
        assertThat(m.hasFunctions()).isTrue();
        assertThat(m.hasFilenames()).isTrue();
        assertThat(m.hasLineNumbers()).isTrue();

        // Functions: one per method, Java ones with the file; system_name has the descriptor.
        Map<String, PprofDecoder.Function> byName = new HashMap<>();
        d.functions().values().forEach(f -> byName.put(f.name(), f));
        assertThat(byName).containsOnlyKeys("dev.proflab.labs.fib.Fib.recursive", "java.lang.Thread.run",
                "dev.proflab.labs.fib.Fib$Worker.call", "__memset_avx2_unaligned_erms");
        PprofDecoder.Function rec = byName.get("dev.proflab.labs.fib.Fib.recursive");
        assertThat(rec.systemName()).isEqualTo("dev.proflab.labs.fib.Fib.recursive(I)J");
        assertThat(rec.filename()).isEqualTo("dev/proflab/labs/fib/Fib.java");
        assertThat(byName.get("dev.proflab.labs.fib.Fib$Worker.call").filename())
                .isEqualTo("dev/proflab/labs/fib/Fib.java");
        assertThat(byName.get("java.lang.Thread.run").filename()).isEqualTo("java/lang/Thread.java");
        assertThat(byName.get("__memset_avx2_unaligned_erms").filename()).isEmpty();
        assertThat(byName.get("__memset_avx2_unaligned_erms").systemName()).isEqualTo("__memset_avx2_unaligned_erms");

        // Locations: one per (function, line): recursive:14 inlined and interpreted are one location.
        assertThat(d.locations()).hasSize(5);
        d.locations().values().forEach(l -> {
            assertThat(l.mappingId()).isEqualTo(1);
            assertThat(l.address()).isZero();
            assertThat(l.lines()).hasSize(1);
        });

        // Samples: aggregated by (stack, thread), values summed, thread labels, leaf first.
        assertThat(d.samples()).hasSize(4);
        PprofDecoder.Sample mainS1 = d.samples().get(0);
        assertThat(d.stack(mainS1)).containsExactly("dev.proflab.labs.fib.Fib.recursive",
                "dev.proflab.labs.fib.Fib.recursive", "java.lang.Thread.run");
        assertThat(lines(d, mainS1)).containsExactly(12L, 14L, 1583L);
        assertThat(mainS1.values()).containsExactly(2L, 20_000_000L);
        assertThat(mainS1.labels()).containsExactly(new PprofDecoder.Label("thread", "main", 0));
        PprofDecoder.Sample workerS2 = d.samples().get(2);
        assertThat(d.stack(workerS2)).containsExactly("__memset_avx2_unaligned_erms",
                "dev.proflab.labs.fib.Fib.recursive", "dev.proflab.labs.fib.Fib$Worker.call", "java.lang.Thread.run");
        assertThat(lines(d, workerS2)).containsExactly(0L, 14L, 7L, 1583L);
        assertThat(workerS2.labels()).containsExactly(new PprofDecoder.Label("thread", "worker-1", 0));
        PprofDecoder.Sample empty = d.samples().get(3);
        assertThat(empty.locationIds()).isEmpty();
        assertThat(empty.values()).containsExactly(1L, 10_000_000L);

        assertThat(d.total(0)).isEqualTo(p.total(0));
        assertThat(d.total(1)).isEqualTo(p.total(1));
    }

    @Test
    void withoutThreadLabelsSamplesOfAllThreadsMerge() {
        PprofDecoder.Decoded d = PprofDecoder.decodeGzipped(Pprof.encode(handMade(), new Pprof.Options(-1, false)));
        assertThat(d.samples()).hasSize(3);
        assertThat(d.samples()).allSatisfy(s -> assertThat(s.labels()).isEmpty());
        assertThat(d.samples().get(0).values()).containsExactly(3L, 30_000_000L);
        assertThat(d.defaultSampleType()).isEqualTo("cpu"); // the profile's default: the last
    }

    @Test
    void negativeAndLargeValuesSurviveTheVarints() {
        Profile.Builder b = new Profile.Builder(new Profile.Meta("pprof", "diff", 0, null, null, "", "", ""),
                List.of(new ValueType("delta", "bytes")));
        int s = b.stack(new int[] {b.frame(RECURSIVE_12)});
        b.sample(s, b.thread(""), 0, -5);
        b.sample(s, b.thread("t"), 0, Long.MAX_VALUE / 2);
        PprofDecoder.Decoded d = PprofDecoder.decodeGzipped(Pprof.encode(b.build()));
        assertThat(d.samples()).hasSize(2);
        assertThat(d.samples().get(0).values()).containsExactly(-5L);
        assertThat(d.samples().get(0).labels()).isEmpty(); // no name, no label
        assertThat(d.samples().get(1).values()).containsExactly(Long.MAX_VALUE / 2);
        assertThat(d.timeNanos()).isZero();
        assertThat(d.durationNanos()).isZero();
        assertThat(d.period()).isZero();
        assertThat(d.periodType()).isEqualTo(new PprofDecoder.ValueType("delta", "bytes"));
    }

    @Test
    void realRecordingKeepsFilesLinesAndTotals() {
        Profile p = Recordings.cpuProfile();
        assertThat(p.sampleCount()).as("samples in the recording").isGreaterThan(50);
        PprofDecoder.Decoded d = PprofDecoder.decodeGzipped(Pprof.encode(p));
        assertThat(d.total(0)).isEqualTo(p.sampleCount());
        assertThat(d.total(1)).isEqualTo(p.total(1));
        PprofDecoder.Function fib = d.functions().values().stream()
                .filter(f -> f.name().equals("dev.proflab.export.Fib.recursive")).findFirst().orElseThrow();
        assertThat(fib.filename()).isEqualTo("dev/proflab/export/Fib.java");
        assertThat(fib.systemName()).isEqualTo("dev.proflab.export.Fib.recursive(I)J");
        // Every location of Fib.recursive is on a line of its body.
        List<Long> fibLines = d.locations().values().stream()
                .flatMap(l -> l.lines().stream())
                .filter(l -> l.functionId() == fib.id())
                .map(PprofDecoder.Line::line).toList();
        assertThat(fibLines).isNotEmpty().allSatisfy(l -> assertThat(l).isBetween(9L, 15L));
        assertThat(d.samples()).allSatisfy(s ->
                assertThat(s.labels()).extracting(PprofDecoder.Label::key).containsExactly("thread"));
    }

    @Test
    void goPprofShowsTopAndSourceOfARealRecording(@TempDir Path dir) throws Exception {
        GoPprof.requireGo();
        Path pb = dir.resolve("cpu.pb.gz");
        Files.write(pb, Pprof.encode(Recordings.cpuProfile()));
        Keep.copy(pb);

        GoPprof.Result top = GoPprof.run(dir, "-top", pb.toString());
        assertThat(top.exitCode()).as(top.err()).isZero();
        assertThat(top.out()).contains("Type: cpu", "dev.proflab.export.Fib.recursive");
        assertThat(top.err()).doesNotContain("symbolization failed", "Local symbolization");

        // -list finds the source file through -source_path: the test sources are the source root.
        Path sources = Path.of("src/test/java").toAbsolutePath();
        GoPprof.Result list = GoPprof.run(dir, "-list", "Fib.recursive", "-source_path", sources.toString(),
                pb.toString());
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("ROUTINE ======================== dev.proflab.export.Fib.recursive in ")
                .contains("dev/proflab/export/Fib.java")
                .contains("return recursive(n - 1) + recursive(n - 2);")
                .doesNotContain("No source information");

        GoPprof.Result traces = GoPprof.run(dir, "-traces", pb.toString());
        assertThat(traces.exitCode()).as(traces.err()).isZero();
        assertThat(traces.out()).containsPattern("thread:\\s+fib-worker").contains("dev.proflab.export.Fib.recursive");

        GoPprof.Result raw = GoPprof.run(dir, "-raw", pb.toString());
        assertThat(raw.exitCode()).as(raw.err()).isZero();
        assertThat(raw.out()).contains("PeriodType: cpu nanoseconds", "Period: 1000000",
                "dev/proflab/export/Fib.java");
    }

    @Test
    void goPprofUsesTheDefaultSampleType(@TempDir Path dir) throws Exception {
        GoPprof.requireGo();
        Path pb = dir.resolve("alloc.pb.gz");
        Profile p = Recordings.allocProfile();
        Files.write(pb, ExportFormat.PPROF.export(p, "objects"));
        GoPprof.Result top = GoPprof.run(dir, "-top", pb.toString());
        assertThat(top.exitCode()).as(top.err()).isZero();
        assertThat(top.out()).contains("Type: alloc_objects");
        Files.write(pb, ExportFormat.PPROF.export(p, "bytes"));
        top = GoPprof.run(dir, "-top", pb.toString());
        assertThat(top.out()).contains("Type: alloc_space", "dev.proflab.export.Fib.boxes");
    }

    @Test
    void longIntMapGrowsAndFinds() {
        Pprof.LongIntMap m = new Pprof.LongIntMap(16);
        for (int i = 0; i < 100_000; i++) {
            m.put((long) i << 32 | (i % 7), i);
        }
        for (int i = 0; i < 100_000; i++) {
            assertThat(m.get((long) i << 32 | (i % 7))).isEqualTo(i);
        }
        assertThat(m.get(-1L)).isEqualTo(-1);
        m.put(5L << 32 | 5, 42);
        assertThat(m.get(5L << 32 | 5)).isEqualTo(42);
    }

    private static List<Long> lines(PprofDecoder.Decoded d, PprofDecoder.Sample s) {
        return s.locationIds().stream().map(id -> d.locations().get(id).lines().get(0).line()).toList();
    }
}
