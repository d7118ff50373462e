package dev.proflab.cli;

import jdk.jfr.Recording;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proflab convert} on a real recording: JDK Flight Recorder in this JVM, of a recursive fib on
 * a thread of its own.
 */
@Tag("slow")
class ConvertCommandTest {

    @TempDir
    static Path recordings;
    static Path jfr;

    @TempDir
    Path dir;

    static volatile long sink;

    static long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    @BeforeAll
    static void record() throws Exception {
        jfr = recordings.resolve("fib.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1)).withStackTrace();
            r.enable("jdk.ActiveSetting");
            r.start();
            Thread t = new Thread(() -> {
                long end = System.nanoTime() + 800_000_000L;
                long s = 0;
                while (System.nanoTime() < end) {
                    s += fib(25);
                }
                sink = s;
            }, "fib-worker");
            t.start();
            t.join();
            r.stop();
            r.dump(jfr);
        }
    }

    @Test
    void toPprofByExtensionThenBackToCollapsed() throws IOException {
        Path pb = dir.resolve("cpu.pb.gz");
        CliRun r = CliRun.of("convert", jfr.toString(), "-o", pb.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote ", "cpu.pb.gz: pprof, cpu profile (jfr)", "samples",
                "values samples/count, cpu/nanoseconds", "go tool pprof -list");
        byte[] raw = new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(pb))).readAllBytes();
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("dev.proflab.cli.ConvertCommandTest.fib", "dev/proflab/cli/ConvertCommandTest.java",
                "fib-worker", "cpu", "nanoseconds");

        // The round trip: collapsed stacks straight from the JFR and from the pprof are the same text.
        Path fromJfr = dir.resolve("a.collapsed");
        Path fromPprof = dir.resolve("b.collapsed");
        assertThat(CliRun.of("convert", jfr.toString(), "--format", "collapsed", "-o", fromJfr.toString()).exitCode())
                .isZero();
        CliRun back = CliRun.of("convert", pb.toString(), "--format", "collapsed", "-o", fromPprof.toString());
        assertThat(back.exitCode()).as(back.err()).isZero();
        String collapsed = Files.readString(fromJfr);
        assertThat(collapsed).contains("java.lang.Thread.run;", ";dev.proflab.cli.ConvertCommandTest.fib ");
        assertThat(Files.readString(fromPprof)).isEqualTo(collapsed);
    }

    @Test
    void flameGraphs() throws IOException {
        Path svg = dir.resolve("cpu.svg");
        CliRun r = CliRun.of("convert", jfr.toString(), "--format", "svg", "--title", "fib on a worker", "-o",
                svg.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(svg)).startsWith("<?xml").contains("<svg", "fib on a worker",
                "dev.proflab.cli.ConvertCommandTest.fib");
        Path html = dir.resolve("cpu.html");
        r = CliRun.of("convert", jfr.toString(), "-o", html.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").contains("fib'", "<h1>cpu: ");
    }

    @Test
    void jfrIsACopyAndPprofCannotBecomeOne() throws IOException {
        Path copy = dir.resolve("copy.jfr");
        CliRun r = CliRun.of("convert", jfr.toString(), "--format", "jfr", "-o", copy.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(jfr));

        Path pb = dir.resolve("cpu.pb.gz");
        assertThat(CliRun.of("convert", jfr.toString(), "-o", pb.toString()).exitCode()).isZero();
        Path notJfr = dir.resolve("not.jfr");
        r = CliRun.of("convert", pb.toString(), "-o", notJfr.toString());
        assertOneLineError(r, "not a JFR recording");
        assertThat(notJfr).doesNotExist();
    }

    @Test
    void sampleIndexPicksTheValue() throws IOException {
        Path samples = dir.resolve("samples.collapsed");
        Path time = dir.resolve("time.collapsed");
        assertThat(CliRun.of("convert", jfr.toString(), "--sample-index", "samples", "-o", samples.toString())
                .exitCode()).isZero();
        assertThat(CliRun.of("convert", jfr.toString(), "-o", time.toString()).exitCode()).isZero();
        long nSamples = sum(samples);
        long nanos = sum(time);
        assertThat(nSamples).isPositive();
        assertThat(nanos).isEqualTo(nSamples * 1_000_000); // cpu time = samples x the 1 ms period

        CliRun r = CliRun.of("convert", jfr.toString(), "--sample-index", "bytes", "-o", dir.resolve("x.svg").toString());
        assertOneLineError(r, "bytes");
        assertThat(dir.resolve("x.svg")).doesNotExist();
    }

    @Test
    void badInputIsOneLineExitTwoAndLeavesNothing() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.jfr"));
        Path text = Files.writeString(dir.resolve("text.jfr"), "not a profile\n");
        byte[] all = Files.readAllBytes(jfr);
        Path cut = Files.write(dir.resolve("cut.jfr"), java.util.Arrays.copyOf(all, all.length / 2));
        Path out = dir.resolve("out").resolve("cpu.pb.gz");
        for (Path bad : List.of(empty, text, cut, dir.resolve("missing.jfr"))) {
            CliRun r = CliRun.of("convert", bad.toString(), "-o", out.toString());
            assertOneLineError(r, bad.getFileName().toString());
            assertThat(out).as(bad.toString()).doesNotExist();
        }
        assertOneLineError(CliRun.of("convert", jfr.toString(), "-o", dir.resolve("cpu.xyz").toString()),
                "--format is needed");
        assertOneLineError(CliRun.of("convert", jfr.toString(), "--format", "png", "-o", dir.resolve("a.png").toString()),
                "unknown format 'png'");
        assertOneLineError(CliRun.of("convert", jfr.toString(), "--event", "wall", "-o", out.toString()), "wall");
        assertOneLineError(CliRun.of("convert", jfr.toString(), "-o", dir.toString()), "is a directory");
        assertOneLineError(CliRun.of("convert", jfr.toString()), "-o");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary files left")
                    .noneMatch(n -> n.endsWith(".part"));
        }
        if (Files.exists(out.getParent())) {
            try (var files = Files.list(out.getParent())) {
                assertThat(files).isEmpty();
            }
        }
    }

    private static long sum(Path collapsed) throws IOException {
        return Files.readAllLines(collapsed).stream()
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static void assertOneLineError(CliRun r, String mentions) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("  try ")).toList();
        assertThat(lines).as(r.err()).hasSize(1);
        assertThat(lines.get(0)).startsWith("proflab: ").contains(mentions);
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }
}
