package dev.proflab.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proflab.export.Pprof;
import dev.proflab.profile.fixture.Bombs;
import dev.proflab.profile.fixture.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labels in the model: interned, capped, read from pprof, given per file by a merge, kept by the export. */
class ProfileLabelsTest {

    @TempDir
    Path tmp;

    private static Profile.Builder builder(String source) {
        return new Profile.Builder(new Profile.Meta("test", "cpu", 0, null, null, "", "", source),
                List.of(new ValueType("samples", "count")));
    }

    @Test
    void labelSetsAreInternedWhateverTheOrderAndAProfileWithoutLabelsHasNone() {
        Profile.Builder b = builder("x");
        int s1 = b.labelSet("tenant", "a", "route", "/x");
        int s2 = b.labelSet("route", "/x", "tenant", "a", "tenant", "a");
        assertThat(s2).isEqualTo(s1).isPositive();
        assertThat(b.labelSet()).isZero();
        int st = b.stack(new int[] {b.frame(new Frame("A", "run", "", 0, Frame.Kind.JIT))});
        b.sample(st, b.thread("main"), s1, 0, 1, new long[] {3});
        b.sample(st, b.thread("main"), 0, new long[] {4});
        Profile p = b.build();
        assertThat(p.hasLabels()).isTrue();
        assertThat(p.labelSetOf(0)).isEqualTo(s1);
        assertThat(p.labelSetOf(1)).isZero();
        assertThat(p.labelValues(s1, "tenant")).containsExactly("a");
        assertThat(p.labelKeys()).containsExactly("route", "tenant");
        assertThat(List.of(p.labelKey(s1, 0), p.labelKey(s1, 1))).containsExactlyInAnyOrder("route", "tenant");

        Profile none = builder("y").build();
        assertThat(none.hasLabels()).isFalse();
        assertThat(none.labelSetCount()).isEqualTo(1);
    }

    @Test
    void beyondTheCapOfDistinctSetsReadingFailsWithOneLine() {
        Profile.Builder b = builder("many.pb.gz");
        for (int i = 1; i < Profile.MAX_LABEL_SETS; i++) {
            b.labelSet("request", Integer.toString(i));
        }
        assertThat(b.labelSetCount()).isEqualTo(Profile.MAX_LABEL_SETS);
        assertThatThrownBy(() -> b.labelSet("request", "one more"))
                .isInstanceOf(ProfileException.class)
                .hasMessage("many.pb.gz: its samples have more than " + Profile.MAX_LABEL_SETS
                        + " distinct sets of labels: not a profile proflab reads");
        String[] tooMany = new String[2 * (Profile.MAX_LABELS + 1)];
        for (int i = 0; i < tooMany.length; i += 2) {
            tooMany[i] = "k" + i;
            tooMany[i + 1] = "v";
        }
        assertThatThrownBy(() -> builder("wide.pb.gz").labelSet(tooMany)).isInstanceOf(ProfileException.class)
                .hasMessageContaining("more than " + Profile.MAX_LABELS + " labels");
    }

    /** A pprof file whose every sample has a label of its own (a request id): one line, not the heap filled. */
    @Test
    void aPprofFileWithALabelPerSampleFailsWithOneLine() throws IOException {
        Bombs.Proto p = Bombs.profileHead().string(6, "request");   // string 3
        int n = Profile.MAX_LABEL_SETS + 10;
        for (int i = 0; i < n; i++) {
            p.string(6, "r" + i);                                     // strings 4 ...
        }
        p.message(5, new Bombs.Proto().varint(1, 1).varint(2, 2));
        p.message(4, new Bombs.Proto().varint(1, 1).message(4, new Bombs.Proto().varint(1, 1)));
        for (int i = 0; i < n; i++) {
            p.message(2, new Bombs.Proto().packed(1, 1).packed(2, 1)
                    .message(3, new Bombs.Proto().varint(1, 3).varint(2, 4 + i)));
        }
        Path f = Files.write(tmp.resolve("requests.pb.gz"), FuzzTest.gzip(p.toBytes()));
        assertThatThrownBy(() -> ProfileReader.read(f)).isInstanceOf(ProfileException.class)
                .hasMessage(f + ": its samples have more than " + Profile.MAX_LABEL_SETS
                        + " distinct sets of labels: not a profile proflab reads");
    }

    @Test
    void pprofStringLabelsAreReadTheThreadLabelStaysTheThread() {
        Profile p = ProfileReader.read(Fixtures.checkedIn("go-labels.pb.gz"), ReadOptions.defaults());
        assertThat(p.labelKeys()).containsExactly("route", "tenant");
        Map<String, Long> byTenant = new HashMap<>();
        int v = p.defaultValueIndex();
        for (int i = 0; i < p.sampleCount(); i++) {
            for (String t : p.labelValues(p.labelSetOf(i), "tenant")) {
                byTenant.merge(t, p.value(i, v), Long::sum);
            }
        }
        // as go tool pprof -tags reads this file: a 270ms, b 100ms
        assertThat(byTenant).containsExactlyInAnyOrderEntriesOf(Map.of("a", 270_000_000L, "b", 100_000_000L));

        Profile ap = ProfileReader.read(Fixtures.checkedIn("ap-cpu.pb.gz"), ReadOptions.defaults());
        assertThat(ap.hasLabels()).isFalse(); // its only label is the thread
        assertThat(ap.threadName(0)).isNotEqualTo("[unknown thread]");
    }

    /** Two JVMs: the same ids mean different threads and stacks in each; the merge maps them by content. */
    @Test
    void aMergeOfTwoJvmsNeverMixesTheirIdsAndLabelsEachSampleWithItsFile() {
        Profile.Builder a = builder("a.jfr");
        int fa = a.frame(new Frame("A", "work", "", 0, Frame.Kind.JIT));
        a.sample(a.stack(new int[] {fa}), a.thread("main"), 0, new long[] {5});
        a.sample(a.stack(new int[] {fa}), a.thread("main"), 1, new long[] {1});
        Profile.Builder b = builder("b.jfr");
        int fb = b.frame(new Frame("B", "serve", "", 0, Frame.Kind.JIT));
        b.sample(b.stack(new int[] {fb}), b.thread("worker"), 0, new long[] {7}); // stack 0, thread 0 as in a
        b.sample(b.stack(new int[] {b.frame(new Frame("A", "work", "", 0, Frame.Kind.JIT))}), b.thread("main"), 0,
                new long[] {2});
        Profile m = ProfileMerge.merge(List.of(new ProfileMerge.Part(a.build(), null, "a.jfr"),
                new ProfileMerge.Part(b.build(), null, "b.jfr")), "2 recordings");
        Map<String, Long> byKey = new HashMap<>();
        for (int i = 0; i < m.sampleCount(); i++) {
            String frame = m.frame(m.stack(m.stackOf(i))[0]).name();
            String key = m.labelValues(m.labelSetOf(i), ProfileMerge.FILE) + " " + m.threadName(m.threadOf(i))
                    + " " + frame;
            byKey.merge(key, m.value(i, 0), Long::sum);
        }
        assertThat(byKey).containsExactlyInAnyOrderEntriesOf(Map.of(
                "[a.jfr] main A.work", 6L,
                "[b.jfr] worker B.serve", 7L,
                "[b.jfr] main A.work", 2L));
        // a's two samples of one stack, thread and file are one row standing for both
        assertThat(m.sampleCount()).isEqualTo(3);
        assertThat(m.recordCount()).isEqualTo(4);
        assertThat(m.stackCount()).isEqualTo(2);
    }

    @Test
    void namesOfFilesAreUniqueWhenTwoShareAName() {
        assertThat(ProfileMerge.uniqueNames(List.of(Path.of("x/run1/cpu.jfr"), Path.of("x/run2/cpu.jfr"),
                Path.of("x/other.jfr")))).containsExactly("run1/cpu.jfr", "run2/cpu.jfr", "other.jfr");
    }

    @Test
    void thePprofExportWritesTheLabelsBack() throws IOException {
        Path a = Fixtures.checkedIn("ap-cpu.jfr");
        Path b = Fixtures.checkedIn("jfr-cpu.jfr");
        ReadOptions o = ReadOptions.defaults().withEvent("cpu").withAggregate(true);
        Profile m = ProfileMerge.merge(List.of(new ProfileMerge.Part(ProfileReader.read(a, o), null, "ap-cpu.jfr"),
                new ProfileMerge.Part(ProfileReader.read(b, o), null, "jfr-cpu.jfr")), "2");
        Path out = tmp.resolve("m.pb.gz");
        try (OutputStream os = Files.newOutputStream(out)) {
            Pprof.write(m, Pprof.Options.defaults(), os);
        }
        Profile back = ProfileReader.read(out, ReadOptions.defaults());
        assertThat(fileTotals(back, back.valueIndex("cpu"))).isEqualTo(fileTotals(m, m.valueIndex("cpu")));
        assertThat(fileTotals(back, back.valueIndex("cpu"))).containsOnlyKeys("ap-cpu.jfr", "jfr-cpu.jfr");
    }

    private static Map<String, Long> fileTotals(Profile p, int v) {
        Map<String, Long> t = new HashMap<>();
        for (int i = 0; i < p.sampleCount(); i++) {
            for (String f : p.labelValues(p.labelSetOf(i), ProfileMerge.FILE)) {
                t.merge(f, p.value(i, v), Long::sum);
            }
        }
        return t;
    }

    /** {@code cat a.jfr b.jfr}: each chunk read with its own pools, the totals those of a and b merged. */
    @Test
    void concatenatedRecordingsOfTwoJvmsReadChunkByChunkAsTheirMerge() throws IOException {
        Path a = Fixtures.checkedIn("diff/a01.jfr");
        Path b = Fixtures.checkedIn("diff/b01.jfr");
        Path ab = tmp.resolve("ab.jfr");
        try (OutputStream out = Files.newOutputStream(ab)) {
            out.write(Files.readAllBytes(a));
            out.write(Files.readAllBytes(b));
        }
        ReadOptions o = ReadOptions.defaults().withEvent("cpu").withAggregate(true);
        Profile cat = ProfileReader.read(ab, o);
        Profile merged = ProfileMerge.merge(List.of(new ProfileMerge.Part(ProfileReader.read(a, o), null),
                new ProfileMerge.Part(ProfileReader.read(b, o), null)), "a+b");
        assertThat(byStackAndThread(cat)).isEqualTo(byStackAndThread(merged));
        assertThat(cat.recordCount()).isEqualTo(merged.recordCount());
        int v = cat.defaultValueIndex();
        assertThat(cat.total(v)).isEqualTo(merged.total(merged.defaultValueIndex()));
    }

    private static Map<String, Long> byStackAndThread(Profile p) {
        Map<String, Long> m = new HashMap<>();
        int v = p.defaultValueIndex();
        for (int i = 0; i < p.sampleCount(); i++) {
            StringBuilder k = new StringBuilder(p.threadName(p.threadOf(i)));
            for (int f : p.stack(p.stackOf(i))) {
                k.append(';').append(p.frame(f));
            }
            m.merge(k.toString(), p.value(i, v), Long::sum);
        }
        return m;
    }
}
