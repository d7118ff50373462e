package dev.proflab.export;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ValueType;
import dev.proflab.report.Flame;
import dev.proflab.report.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page {@link HtmlFlameGraph} writes is the page async-profiler's {@code FlameGraph} makes of the same
 * stacks ({@link AsyncProfilersPage}), byte for byte: on real recordings of each kind, hand-made profiles
 * with a stack-less sample, hostile names, filters, and random trees; and it is written as it goes.
 */
class HtmlPageOracleTest {

    private static void same(Profile p, Selection s, String title) {
        Flame.Result flame = Flame.compute(p, s, 0);
        String expected = AsyncProfilersPage.render(flame, title);
        String actual = HtmlFlameGraph.render(Flame.table(p, s, 0), title);
        if (!actual.equals(expected)) {
            int i = 0;
            while (i < Math.min(actual.length(), expected.length()) && actual.charAt(i) == expected.charAt(i)) {
                i++;
            }
            assertThat(actual.substring(Math.max(0, i - 200), Math.min(actual.length(), i + 200)))
                    .as("first difference at %d", i)
                    .isEqualTo(expected.substring(Math.max(0, i - 200), Math.min(expected.length(), i + 200)));
        }
        assertThat(actual).isEqualTo(expected);
    }

    private static void eachValue(Profile p) {
        for (int v = 0; v < p.valueTypes().size(); v++) {
            same(p, Selection.all().withSampleIndex(String.valueOf(v)), "t " + v + " — <é>");
        }
    }

    @Test
    void handMadeProfileWithAStacklessSample() {
        eachValue(PprofTest.handMade());
    }

    @Test
    void recordingsOfEachKind() {
        for (String name : List.of("ap-cpu.jfr", "ap-alloc.jfr", "ap-lock.jfr", "jfr-cpu.jfr", "jfr-alloc.jfr",
                "jfr-lock.jfr", "ap-cpu.pb.gz", "ap-alloc.pb.gz")) {
            Path file = Path.of("src/test/resources/profiles", name);
            for (dev.proflab.profile.EventInfo event : ProfileReader.events(file)) {
                eachValue(ProfileReader.read(file, event.name()));
            }
        }
        eachValue(Recordings.allocProfile());
    }

    @Test
    void filtersAndNamings() {
        Profile p = ProfileReader.read(Path.of("src/test/resources/profiles/ap-cpu.jfr"), "cpu");
        String some = p.frame(p.stack(0)[0]).name();
        String other = p.frame(p.stack(p.stackCount() - 1)[p.stack(p.stackCount() - 1).length - 1]).name();
        same(p, Selection.all().withHide(java.util.regex.Pattern.quote(some)), "hide");
        same(p, Selection.all().withFocus(java.util.regex.Pattern.quote(other)), "focus");
        same(p, Selection.all().withIgnore(java.util.regex.Pattern.quote(some)), "ignore");
        same(p, Selection.all().withSignatures(true), "signatures");
        same(p, Selection.all().withLines(true), "lines");
    }

    @Test
    void hostileNames(@TempDir Path dir) throws Exception {
        Profile p = Hostile.profile();
        eachValue(p);
        Path file = dir.resolve("hostile.pb.gz");
        Files.write(file, Pprof.encode(p));
        eachValue(ProfileReader.read(file));
    }

    @Test
    void aNativeFunctionNamedNoStackBesideStacklessSamples() {
        Profile.Builder b = builder();
        int ns = b.frame(new Frame("", "[no stack]", "", 0, Frame.Kind.NATIVE));
        int a = b.frame(new Frame("a.B", "c", "()V", 1, Frame.Kind.JIT));
        int t = b.thread("main");
        b.sample(b.stack(new int[] {}), t, 0, 3);
        b.sample(b.stack(new int[] {a, ns}), t, 1, 5);
        b.sample(b.stack(new int[] {ns}), t, 2, 7);
        eachValue(b.build());
        Profile.Builder c = builder();
        int jit = c.frame(new Frame("", "[no stack]", "", 0, Frame.Kind.JIT));
        int tc = c.thread("main");
        c.sample(c.stack(new int[] {}), tc, 0, 3);
        c.sample(c.stack(new int[] {jit}), tc, 1, 5);
        eachValue(c.build());
    }

    @Test
    void randomTrees() {
        Random r = new Random(42);
        for (int round = 0; round < 20; round++) {
            eachValue(random(r, 200 + r.nextInt(2000), 1 + r.nextInt(40)));
        }
    }

    /** Stacks over a few names of every kind, some values 0, some prefix-sharing and odd names. */
    static Profile random(Random r, int samples, int maxDepth) {
        Profile.Builder b = builder();
        Frame.Kind[] kinds = Frame.Kind.values();
        String[] names = {"run", "call", "a", "ab", "abc", "x\\y", "q'q", "Zz", "~", "é", "_", "$lambda$0",
                "libjvm.so.Thread::call_run", "do_syscall_64_[k]", ""};
        int frames = 30 + r.nextInt(60);
        int[] ids = new int[frames];
        for (int i = 0; i < frames; i++) {
            String cls = r.nextInt(4) == 0 ? "" : "p" + r.nextInt(3) + (r.nextBoolean() ? ".java.C" : ".C") + r.nextInt(5);
            ids[i] = b.frame(new Frame(cls, names[r.nextInt(names.length)] + (r.nextInt(3) == 0 ? "" : r.nextInt(9)),
                    "()V", r.nextInt(50), kinds[r.nextInt(kinds.length)]));
        }
        int t = b.thread("main");
        for (int s = 0; s < samples; s++) {
            int depth = r.nextInt(maxDepth + 1);
            int[] stack = new int[depth];
            for (int i = 0; i < depth; i++) {
                stack[i] = ids[r.nextInt(Math.min(frames, 3 + i * 2))];
            }
            b.sample(b.stack(stack), t, s, r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(r.nextBoolean() ? 5 : 100_000));
        }
        return b.build();
    }

    private static Profile.Builder builder() {
        return new Profile.Builder(new Profile.Meta("async-profiler", "cpu", 10_000_000,
                Instant.parse("2026-11-26T06:00:00Z"), Duration.ofSeconds(1), "25", "java", "/tmp/x.jfr"),
                List.of(new ValueType("cpu", "nanoseconds")));
    }

    @Test
    void thePageGoesOutAsItIsMade() throws IOException {
        Profile p = random(new Random(7), 50_000, 60);
        // what had been written each time the writer wrote: never much more than a buffer behind
        long[] seen = new long[2];
        OutputStream counting = new OutputStream() {
            @Override
            public void write(int b) {
                seen[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                seen[0] += len;
                seen[1]++;
            }
        };
        HtmlFlameGraph.write(p, Selection.all(), "t", counting);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        HtmlFlameGraph.write(p, Selection.all(), "t", whole);
        assertThat(seen[0]).isEqualTo(whole.size()).isGreaterThan(1 << 20);
        // a write per 64 kB buffer at most: a page built in memory first would arrive in one piece
        assertThat(seen[1]).isGreaterThanOrEqualTo(whole.size() / (1 << 16));
        assertThat(whole.toString(StandardCharsets.UTF_8)).isEqualTo(
                AsyncProfilersPage.render(Flame.compute(p, Selection.all(), 0), "t"));
    }
}
