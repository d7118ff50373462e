package dev.proflab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decompression and size bombs through the CLI: each command ends within the bound with exit 2 and one
 * line on stderr naming the file and the limit, nothing on stdout, no stack trace, and no file left behind;
 * {@code proflab view DIR} starts with a bomb in the folder.
 */
@Tag("slow")
class BombCliTest {

    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** A gzip of 8 GB of zeros ({@link FetchCommandTest#gzipBomb}): about 8 MB. */
    static Path gzipBomb(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, FetchCommandTest.gzipBomb(8L << 30));
        return file;
    }

    /** Runs the CLI within the bound; asserts exit 2 and one line on stderr containing {@code message}. */
    private static CliRun fails(String message, String... args) {
        CliRun r = assertTimeoutPreemptively(BOUND, () -> CliRun.of(args));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).startsWith("proflab: ").contains(message)
                .doesNotContain("\n", "\tat ", "Exception", "Error");
        return r;
    }

    private Stream<Path> leftIn(Path folder) throws IOException {
        return Files.list(folder).filter(p -> p.getFileName().toString().startsWith("."));
    }

    @Test
    void aGzipBombIsRefused() throws IOException {
        Path bomb = gzipBomb(dir.resolve("in/bomb.pb.gz"));
        fails(bomb + ": gzip data that inflates to more than ", "top", bomb.toString());
        fails("not read (a decompression bomb?)", "view", "--no-browser", "--port", "0", bomb.toString());
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        fails("(a decompression bomb?)", "convert", bomb.toString(), "-o", out.resolve("bomb.html").toString());
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files).as("nothing left behind").isEmpty();
        }
    }

    @Test
    void aProfileOfGigabytesIsRefused() throws IOException {
        Path huge = dir.resolve("huge.pb");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.write(0x0a);
            f.setLength((1L << 30) + 1); // sparse: no disk taken
        }
        fails(huge + ": a pprof profile of 1 GB, more than the ", "top", huge.toString());
        Files.delete(huge);
    }

    @Test
    void aGcLogOfGigabytesWithoutANewline() throws IOException {
        Path zeros = dir.resolve("zeros.log");
        try (RandomAccessFile f = new RandomAccessFile(zeros.toFile(), "rw")) {
            f.write("[0.001s][info][gc] Using G1\n".getBytes(StandardCharsets.ISO_8859_1));
            f.setLength(2L << 30);
        }
        fails(zeros + ":2: a binary file, not a GC log", "gclog", zeros.toString());
        Files.delete(zeros);
        Path text = dir.resolve("text.log");
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) 'x');
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(text), 1 << 20)) {
            for (int i = 0; i < 1024; i++) {
                out.write(block);
            }
        }
        fails(text + ":1: a line of more than 64 kB that does not end", "gclog", text.toString());
        Files.delete(text);
    }

    @Test
    void jmhJsonThatNestsAndNumbersThatDoNotEnd() throws IOException {
        Path deep = Files.writeString(dir.resolve("deep.json"), "[{\"benchmark\":\"x\",\"jvmArgs\":"
                + "[".repeat(100_000) + "]".repeat(100_000) + "}]");
        fails(deep + ": not JMH output: Document nesting depth (33) exceeds the maximum allowed (32)",
                "stat", deep.toString());
        Path digits = Files.writeString(dir.resolve("digits.json"),
                "[{\"benchmark\":\"a\",\"primaryMetric\":{\"scoreUnit\":\"ns/op\",\"rawData\":[[1"
                        + "1".repeat(1_000_000) + "]]}}]");
        fails(digits + ": not JMH output: Number value length (", "stat", digits.toString());
    }

    @Test
    void listWithASourceOfGigabytes() throws IOException {
        Path root = Files.createDirectories(dir.resolve("src/dev/proflab/labs/fib"));
        Path huge = root.resolve("Fib.java");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.write("package dev.proflab.labs.fib;".getBytes(StandardCharsets.UTF_8));
            f.setLength(2L << 30);
        }
        CliRun r = assertTimeoutPreemptively(BOUND, () -> CliRun.of("list", "--source-path", dir.resolve("src").toString(),
                "Fib.recursive", "../viewer/src/test/resources/profiles/fib-before-cpu.jfr"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Fib.recursive");
        Files.delete(huge);
    }

    @Test
    void viewOfAFolderWithABombStarts() throws Exception {
        Path folder = dir.resolve("collected");
        Files.createDirectories(folder.resolve("cpu"));
        Files.copy(Path.of(ViewCommandTest.CPU), folder.resolve("cpu/cpu_20261126-100000.jfr"));
        gzipBomb(folder.resolve("cpu/cpu_20261126-100100.pb.gz"));
        gzipBomb(folder.resolve("profile.pb.gz"));
        assertThat(ViewFolderCommandTest.serveHistory(folder).history()).contains(
                "\"name\":\"cpu/cpu_20261126-100100.pb.gz\"", "gzip data that inflates to more than",
                "\"skipped\":[{\"name\":\"profile.pb.gz\"");
        try (Stream<Path> hidden = leftIn(folder)) {
            assertThat(hidden).isEmpty();
        }
    }
}
