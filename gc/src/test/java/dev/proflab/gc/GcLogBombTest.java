package dev.proflab.gc;

import dev.proflab.profile.fixture.Bombs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GC "logs" made to exhaust the parser: gigabytes without a newline, lines made to make its patterns
 * backtrack, millions of collections. Each ends in seconds, in memory that does not grow with the file.
 */
@Tag("slow")
class GcLogBombTest {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String HEAD = "[0.001s][info][gc] Using G1\n";

    @TempDir
    Path dir;

    private static long allocated(Runnable read) {
        return Bombs.allocatedWithin(BOUND, read);
    }

    @Test
    void gigabytesOfZerosWithoutANewline() throws IOException {
        Path p = dir.resolve("sparse.log");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(HEAD.getBytes(StandardCharsets.ISO_8859_1));
            f.setLength(2L << 30); // a hole: zeros, without taking the disk
        }
        try {
            long bytes = allocated(() -> assertThatThrownBy(() -> GcLogParser.read(p))
                    .isInstanceOf(GcLogException.class)
                    .hasMessage(p + ":2: a binary file, not a GC log (record one with -Xlog:gc*:file=gc.log)"));
            assertThat(bytes).isLessThan(16L << 20);
        } finally {
            Files.delete(p);
        }
    }

    @Test
    void aGigabyteOfTextWithoutANewline() throws IOException {
        Path p = dir.resolve("one-line.log");
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) 'a');
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(p), 1 << 20)) {
            out.write(HEAD.getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 1024; i++) {
                out.write(block);
            }
        }
        try {
            long bytes = allocated(() -> assertThatThrownBy(() -> GcLogParser.read(p))
                    .isInstanceOf(GcLogException.class)
                    .hasMessage(p + ":2: a line of more than 64 kB that does not end (a truncated log, or not a GC log)"));
            assertThat(bytes).isLessThan(16L << 20);
        } finally {
            Files.delete(p);
        }
    }

    @Test
    void longLinesAreSkippedAsTheProgramsOutput() throws IOException {
        String log = HEAD + "x".repeat(200_000) + "\n"
                + "[0.010s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->5M(256M) 3.048ms\n";
        GcLog l = GcLogParser.read(new ByteArrayInputStream(log.getBytes(StandardCharsets.ISO_8859_1)), "long.log");
        assertThat(l.otherLines()).isEqualTo(1);
        assertThat(l.pauses()).hasSize(1);
        assertThat(l.pauses().get(0).ms()).isEqualTo(3.048);
    }

    @Test
    void linesThatWouldMakePatternsBacktrack() {
        String[] bodies = {
                "Pause" + " ".repeat(60_000) + "x",
                "Pause " + "1 ".repeat(30_000) + "x",
                "Pause " + "1".repeat(60_000),
                "Pause " + "1M->".repeat(15_000) + "x",
                "x" + " 1".repeat(30_000) + "ms x",
                "Capacity: " + "1".repeat(60_000) + "M",
                "[".repeat(60_000),
        };
        StringBuilder log = new StringBuilder(HEAD);
        for (int i = 0; i < 20; i++) {
            for (String tags : new String[] {"gc", "gc,phases", "gc,heap"}) {
                log.append("[0.002s][info][").append(tags).append("] GC(").append(i).append(") ")
                        .append(bodies[i % bodies.length]).append('\n');
            }
        }
        byte[] b = log.toString().getBytes(StandardCharsets.ISO_8859_1);
        assertTimeoutPreemptively(BOUND, () -> GcLogParser.read(new ByteArrayInputStream(b), "backtrack.log"));
    }

    @Test
    void millionsOfCollections() throws IOException {
        Path p = dir.resolve("many.log");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(p), 1 << 20)) {
            out.write(HEAD.getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i <= GcLogParser.MAX_EVENTS / 2; i++) { // a collection and its pause each
                out.write(("[1s][info][gc] GC(" + i + ") Pause Young 1ms\n").getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> GcLogParser.read(p))
                .isInstanceOf(GcLogException.class)
                .hasMessage(p + ":1000002: more than 2000000 collections and pauses: more than proflab summarises"
                        + " from one log (split it, or log less)"));
    }

    @Test
    void aStreamThatDoesNotEnd() {
        // `yes | proflab gclog /dev/stdin`: a line of the program's output, for ever
        java.io.InputStream yes = new java.io.InputStream() {
            private long n;

            @Override
            public int read() {
                return n++ % 2 == 0 ? 'y' : '\n';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                for (int i = 0; i < len; i++) {
                    b[off + i] = (byte) read();
                }
                return len;
            }
        };
        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> GcLogParser.read(yes, "fifo"))
                .isInstanceOf(GcLogException.class)
                .hasMessage("fifo: more than 20000000 lines: more than proflab summarises from one log (split it, or log less)"));
    }

    // ---- the tail of a message, as the patterns it replaces read it -------------------------------

    private static final String SIZE = "\\d+[BKMG](?:\\(\\d+%\\))?";
    private static final Pattern PAUSE = Pattern.compile(
            "(Pause\\b.*?)(?:\\s+" + SIZE + "->" + SIZE + "(?:\\(\\d+[BKMG]\\))?)?\\s+(\\d+(?:[.,]\\d+)?)ms");
    private static final Pattern TRAILING = Pattern.compile(
            "(.*?)(?:\\s+" + SIZE + "->" + SIZE + "(?:\\(\\d+[BKMG]\\))?)?(?:\\s+(\\d+(?:[.,]\\d+)?)(ms|s))?");

    @Test
    void tailsReadAsThePatternsDid() {
        String[] parts = {" ", "  ", "\t", "1", "23", ".", ",", "M", "K", "G", "(", ")", "%", "->", "ms", "s", "Pause",
                "Pauses", "Young", "x", "_", "1M->2M", "3M(4%)->5M(6%)", "(7M)", "1.5ms", "0.037s"};
        Random random = new Random(7);
        for (int round = 0; round < 200_000; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(9);
            for (int i = 0; i < n; i++) {
                sb.append(parts[random.nextInt(parts.length)]);
            }
            String s = sb.toString();
            GcLogParser.Tail t = GcLogParser.Tail.of(s);
            Matcher trailing = TRAILING.matcher(s);
            assertThat(trailing.matches()).isTrue();
            assertThat(t.head()).as("head of '%s'", s).isEqualTo(trailing.group(1));
            assertThat(t.number()).as("number of '%s'", s).isEqualTo(trailing.group(2));
            assertThat(t.unit()).as("unit of '%s'", s).isEqualTo(trailing.group(3));
            Matcher pause = PAUSE.matcher(s);
            boolean isPause = pause.matches();
            assertThat(t.isPause()).as("pause '%s'", s).isEqualTo(isPause);
            if (isPause) {
                assertThat(t.head()).isEqualTo(pause.group(1));
                assertThat(t.number()).isEqualTo(pause.group(2));
            }
        }
    }
}
