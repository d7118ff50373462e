package dev.proflab.cli;

import dev.proflab.profile.ProfileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the user sees when a command fails: their mistake (or the machine's) is one line and exit 2; a bug in
 * proflab is "internal error", exit 1, and the stack trace only under {@code --debug}.
 */
class ErrorReportTest {

    @TempDir
    Path dir;

    private record Reported(int code, String err) {
    }

    private static Reported report(Throwable t, boolean debug) {
        StringWriter err = new StringWriter();
        int code = Main.report(t, new PrintWriter(err, true), debug);
        return new Reported(code, err.toString());
    }

    @Test
    void theUsersMistakeIsOneLineAndExitTwo() {
        Reported r = report(new ProfileException(Path.of("x.jfr"), "empty file"), false);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("proflab: x.jfr: empty file" + System.lineSeparator());
        assertThat(report(new UsageException("--depth: must be positive"), false).code()).isEqualTo(2);
        assertThat(report(new java.nio.file.AccessDeniedException("/srv/out.svg"), false).code()).isEqualTo(2);
    }

    @Test
    void aFailedCheckIsExitOne() {
        Reported r = report(new CheckFailedException("regression: +12% > +5%"), false);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("internal error");
    }

    @Test
    void anUnexpectedExceptionIsAnInternalErrorNotBadInput() {
        Reported r = report(new IllegalStateException("stack trace 7 has -1 frames"), false);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("proflab: internal error: java.lang.IllegalStateException: stack trace 7 has -1 frames"
                + " (run with --debug for the stack trace)" + System.lineSeparator());
        Reported npe = report(new NullPointerException(), false);
        assertThat(npe.code()).isEqualTo(1);
        assertThat(npe.err()).startsWith("proflab: internal error: java.lang.NullPointerException (run with --debug");
        Reported oom = report(new OutOfMemoryError("Java heap space"), false);
        assertThat(oom.code()).isEqualTo(1);
        assertThat(oom.err()).contains("internal error: out of memory (Java heap space)").contains("PROFLAB_JAVA_OPTS");
    }

    @Test
    void debugShowsTheStackTrace() {
        Reported r = report(new IllegalStateException("boom"), true);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("\tat ").contains("proflab: internal error: java.lang.IllegalStateException: boom")
                .doesNotContain("run with --debug");
    }

    @Test
    void anOutputThroughAFileNamesTheFileTheUserAskedFor() throws Exception {
        Path recording = dir.resolve("cpu.jfr");
        try (jdk.jfr.Recording rec = new jdk.jfr.Recording()) {
            rec.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(1));
            rec.start();
            long end = System.nanoTime() + 300_000_000L;
            double x = 0;
            while (System.nanoTime() < end) {
                x += Math.sqrt(x + 1);
            }
            rec.stop();
            rec.dump(recording);
            assertThat(x).isPositive();
        }
        Path file = Files.writeString(dir.resolve("notes.txt"), "x");
        Path out = file.resolve("cpu.svg");
        CliRun r = CliRun.of("convert", recording.toString(), "-o", out.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proflab: " + out + ": " + file + " is not a folder");
    }
}
