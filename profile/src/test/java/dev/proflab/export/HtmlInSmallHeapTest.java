package dev.proflab.export;

import dev.proflab.io.AtomicFiles;
import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;
import dev.proflab.report.Flame;
import dev.proflab.report.Selection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTML flame graph of a profile with many distinct call paths is written in a small heap: about what
 * its call tree needs, as the other reports. A forked JVM makes the page of a generated profile
 * ({@link #profile}: 200,000 samples over 40,000 distinct stacks, ~520,000 frames in the page) with
 * {@code -Xmx} set. Measured least heaps (C1, SerialGC): the page written as it goes 63 MB, most of it the
 * call tree's index; the page of async-profiler's {@code FlameGraph} fed from an object tree
 * ({@link AsyncProfilersPage}, as it was made before) 238 MB. {@value #HEAP_MB} MB passes the first with
 * room to spare and fails the second by far.
 */
@Tag("slow")
class HtmlInSmallHeapTest {

    static final int HEAP_MB = 96;

    @Test
    void pageOfManyCallPathsInASmallHeap(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("many.html");
        Run r = fork(HEAP_MB, "stream", out);
        assertThat(r.exit).as(r.output).isZero();
        assertThat(Files.size(out)).isGreaterThan(4L << 20);
        String page = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(page).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    }

    record Run(int exit, String output) {
    }

    static Run fork(int heapMb, String how, Path out) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx" + heapMb + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), HtmlInSmallHeapTest.class.getName(), how, out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the forked JVM did not end in 2 minutes: " + output);
        }
        return new Run(p.exitValue(), output);
    }

    /** {@code stream OUT}: the page as {@code convert} writes it; {@code objects OUT}: as async-profiler made it. */
    public static void main(String[] args) throws IOException {
        Profile p = profile();
        Path out = Path.of(args[1]);
        if (args[0].equals("objects")) {
            String page = AsyncProfilersPage.render(Flame.compute(p, Selection.all(), 0), "many");
            AtomicFiles.write(out, o -> o.write(page.getBytes(StandardCharsets.UTF_8)));
        } else {
            AtomicFiles.write(out, o -> ExportFormat.HTML.write(p, Selection.all(), null, "many", o));
        }
    }

    /**
     * 200,000 samples over 40,000 distinct stacks 8 to 24 frames deep, from 3,000 functions: the first frames
     * shared by many stacks (as thread entry points are), the rest mostly their own.
     */
    static Profile profile() {
        Profile.Builder b = new Profile.Builder(new Profile.Meta("async-profiler", "cpu", 10_000_000,
                Instant.parse("2026-11-26T06:00:00Z"), Duration.ofSeconds(10), "25", "java", "/tmp/many.jfr"),
                List.of(new ValueType("samples", "count"), new ValueType("cpu", "nanoseconds")));
        SplittableRandom r = new SplittableRandom(42);
        Frame.Kind[] kinds = {Frame.Kind.JIT, Frame.Kind.INLINED, Frame.Kind.INTERPRETED, Frame.Kind.NATIVE};
        int[] frames = new int[3000];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = b.frame(new Frame("com.example.pkg" + i % 37 + ".Class" + i / 37, "method" + i % 11,
                    "()V", 1 + i % 400, kinds[i % kinds.length]));
        }
        int[] stacks = new int[40_000];
        for (int s = 0; s < stacks.length; s++) {
            int depth = 8 + r.nextInt(17);
            int[] stack = new int[depth];
            for (int i = 0; i < depth; i++) {
                int level = depth - 1 - i; // the stack is leaf first
                stack[i] = frames[level < 3 ? r.nextInt(4 << level) : r.nextInt(frames.length)];
            }
            stacks[s] = b.stack(stack);
        }
        int thread = b.thread("main");
        for (int i = 0; i < 200_000; i++) {
            b.sample(stacks[r.nextInt(stacks.length)], thread, i * 10_000L, 1, 10_000_000);
        }
        return b.build();
    }
}
