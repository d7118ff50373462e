package dev.proflab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JMH JSON made to exhaust the reader: nesting thousands deep, a number of a million digits, a name of
 * megabytes, a file of hundreds of MB, millions of samples and results. Each is one line naming the file
 * and the limit, in seconds, in memory that does not grow with the file.
 */
@Tag("slow")
class JmhBombTest {

    private static final Duration BOUND = Duration.ofSeconds(15);
    private static final String RESULT = "{\"benchmark\":\"a.B.c\",\"mode\":\"avgt\",\"primaryMetric\":"
            + "{\"scoreUnit\":\"ns/op\",\"rawData\":[[1.5,2.5]]}}";

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static void fails(Path p, String message) {
        fails(p, message, 256L << 20);
    }

    private static void fails(Path p, String message, long maxAllocated) {
        long bytes = assertTimeoutPreemptively(BOUND, () -> {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = mx.getCurrentThreadAllocatedBytes();
            assertThatThrownBy(() -> JmhReader.read(p))
                    .isInstanceOf(StatException.class)
                    .hasMessageStartingWith(p + ": ")
                    .hasMessageContaining(message)
                    .hasMessageNotContaining("\n");
            return mx.getCurrentThreadAllocatedBytes() - before;
        });
        assertThat(bytes).as("bytes allocated").isLessThan(maxAllocated);
    }

    @Test
    void nestingThousandsDeep() throws IOException {
        fails(write("deep.json", "[{\"benchmark\":\"x\",\"jvmArgs\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}]"),
                "not JMH output: Document nesting depth (33) exceeds the maximum allowed (32)");
        fails(write("deep-object.json", "[{\"benchmark\":\"x\",\"params\":" + "{\"a\":".repeat(50_000) + "1"
                + "}".repeat(50_000) + "}]"), "Document nesting depth (33) exceeds the maximum allowed (32)");
    }

    @Test
    void aNumberOfAMillionDigits() throws IOException {
        fails(write("digits.json", "[{\"benchmark\":\"a\",\"primaryMetric\":{\"scoreUnit\":\"ns/op\",\"rawData\":[[1"
                + "1".repeat(1_000_000) + "]]}}]"), "not JMH output: Number value length (");
        fails(write("fraction.json", "[{\"benchmark\":\"a\",\"primaryMetric\":{\"scoreUnit\":\"ns/op\",\"rawData\":[[1."
                + "1".repeat(1_000_000) + "]]}}]"), "exceeds the maximum allowed (100)");
    }

    @Test
    void namesAndStringsOfMegabytes() throws IOException {
        fails(write("name.json", "[{\"" + "n".repeat(5_000_000) + "\":1}]"),
                "not JMH output: Name length (");
        fails(write("string.json", "[{\"benchmark\":\"" + "b".repeat(5_000_000) + "\"}]"),
                "not JMH output: String value length (");
    }

    @Test
    void aFileOfHundredsOfMegabytes() throws IOException {
        Path p = dir.resolve("huge.json");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write('[');
            f.setLength(JmhReader.MAX_FILE_BYTES + 1); // sparse
        }
        fails(p, "a file of 256 MB, more than the 256 MB of JMH results proflab reads");
        Files.delete(p);
    }

    @Test
    void millionsOfSamplesAndResults() throws IOException {
        Path samples = dir.resolve("samples.json");
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(samples), 1 << 20)) {
            w.write("[{\"benchmark\":\"a\",\"primaryMetric\":{\"scoreUnit\":\"ns/op\",\"rawData\":[[");
            for (int i = 0; i <= JmhReader.MAX_SAMPLES; i++) {
                w.write(i == 0 ? "1" : ",1");
            }
            w.write("]]}}]");
        }
        // 10 million samples are 80 MB (and the copies of a growing array)
        fails(samples, "more than 10000000 samples: more than proflab compares from one file", 512L << 20);
        Path results = dir.resolve("results.json");
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(results), 1 << 20)) {
            w.write("[");
            for (int i = 0; i <= JmhReader.MAX_RESULTS; i++) {
                w.write(i == 0 ? RESULT : "," + RESULT);
            }
            w.write("]");
        }
        fails(results, "more than 100000 results: more than proflab compares from one file");
    }

    @Test
    void aGoodFileStillReads() throws IOException {
        assertThat(JmhReader.read(write("good.json", "[" + RESULT + "]"))).hasSize(1);
    }
}
