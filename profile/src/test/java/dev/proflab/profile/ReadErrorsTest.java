package dev.proflab.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.proflab.profile.fixture.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input is a ProfileException with one line naming the file and the problem; never a hang or another exception. */
@Tag("slow")
class ReadErrorsTest {

    @TempDir
    Path tmp;

    private Path write(String name, byte[] content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(Fixtures.checkedIn(name));
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> fails(Path p, ReadOptions o, String message) {
        return assertThatThrownBy(() -> ProfileReader.read(p, o))
                .isInstanceOf(ProfileException.class)
                .hasMessageStartingWith(p + ": ")
                .hasMessageContaining(message)
                .hasMessageNotContaining("\n");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> fails(Path p, String message) {
        return fails(p, ReadOptions.defaults(), message);
    }

    @Test
    void missingEmptyDirectoryAndNotAProfile() throws IOException {
        fails(tmp.resolve("nope.jfr"), "no such file");
        fails(write("empty.jfr", new byte[0]), "empty file");
        fails(tmp, "is a directory");
        fails(write("notes.txt", "hello, world\n".getBytes(StandardCharsets.UTF_8)),
                "not a JFR recording or a pprof profile (it starts with 'hell')");
        fails(write("zeros.bin", new byte[100]), "not a JFR recording or a pprof profile");
        assertThatThrownBy(() -> ProfileReader.events(tmp.resolve("nope.jfr"))).isInstanceOf(ProfileException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ap-cpu.jfr", "jfr-cpu.jfr"})
    void truncatedRecordings(String name) throws IOException {
        byte[] b = bytes(name);
        fails(write("half-" + name, Arrays.copyOf(b, b.length / 2)), "truncated JFR recording: chunk 1");
        fails(write("head-" + name, Arrays.copyOf(b, 30)), "truncated JFR recording: chunk 1 at byte 0 has only 30");
        fails(write("less-" + name, Arrays.copyOf(b, b.length - 1)), "truncated JFR recording");
        byte[] more = Arrays.copyOf(b, b.length + 10);
        fails(write("more-" + name, more), "truncated JFR recording: chunk 2");
    }

    @Test
    void corruptedRecordings() throws IOException {
        byte[] b = bytes("ap-cpu.jfr");
        byte[] badPool = b.clone();
        ByteBuffer.wrap(badPool).putLong(16, 100); // constant pools "at" byte 100
        fails(write("pool.jfr", badPool), "corrupted JFR recording");
        byte[] badMeta = b.clone();
        ByteBuffer.wrap(badMeta).putLong(24, 70);
        fails(write("meta.jfr", badMeta), "corrupted JFR recording");
        byte[] badRecord = b.clone();
        int second = 68 + varint(b, 68); // async-profiler writes its metadata first, at byte 68
        badRecord[second] = 0; // the size of the record after it
        fails(write("record.jfr", badRecord), "corrupted JFR recording: chunk 1: bad record size 0 at byte " + second);
        fails(write("first.jfr", zeroFirst(b)), "corrupted JFR recording: chunk 1: no metadata at byte 68");
        byte[] v1 = b.clone();
        v1[5] = 1; // version 1.x
        fails(write("v1.jfr", v1), "unsupported JFR version");
        byte[] unfinished = b.clone();
        ByteBuffer.wrap(unfinished).putLong(8, 0);
        fails(write("running.jfr", unfinished), "was not finished");
    }

    private static int varint(byte[] b, int pos) {
        int r = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[pos++];
            r |= (x & 0x7f) << shift;
            if (x >= 0) {
                return r;
            }
        }
    }

    private static byte[] zeroFirst(byte[] b) {
        byte[] c = b.clone();
        c[68] = 0;
        return c;
    }

    @Test
    void eventsThatAreNotThere() {
        Path cpu = Fixtures.checkedIn("ap-cpu.jfr");
        fails(cpu, ReadOptions.defaults().withEvent("alloc"),
                "no alloc samples in this recording (jdk.ObjectAllocationSample); it has cpu (");
        fails(cpu, ReadOptions.defaults().withEvent("bogus"), "unknown event 'bogus': use one of cpu, cpu-time, wall,");
        fails(cpu, ReadOptions.defaults().withSampleIndex("bytes"), "sample index 'bytes' does not fit event cpu");
        Path pprof = Fixtures.checkedIn("ap-cpu.pb.gz");
        fails(pprof, ReadOptions.defaults().withEvent("lock"), "no lock samples in this pprof profile; it holds one event: cpu");
        fails(pprof, ReadOptions.defaults().withTimeRange(0, 1_000_000), "a pprof profile has no sample times");
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void brokenPprof() throws IOException {
        byte[] gz = bytes("ap-cpu.pb.gz");
        fails(write("cut.pb.gz", Arrays.copyOf(gz, gz.length / 2)), "truncated gzip file");
        byte[] raw = gunzip(gz);
        fails(write("cut-raw.pb.gz", gzip(Arrays.copyOf(raw, raw.length - 5))), "corrupted pprof profile");
        fails(write("junk.pb.gz", gzip("not a profile at all".getBytes(StandardCharsets.UTF_8))), "corrupted pprof profile");
        // uncompressed pprof reads as well
        Profile plain = ProfileReader.read(write("plain.pb", raw));
        assertThat(plain.total(0)).isEqualTo(ProfileReader.read(Fixtures.checkedIn("ap-cpu.pb.gz")).total(0));
    }

    /**
     * Random damage to real files: every outcome is a profile or a ProfileException, quickly. (The
     * reader never trusts a size, an offset or a count it reads.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"ap-cpu.jfr", "jfr-lock.jfr", "ap-alloc.pb.gz"})
    void randomDamage(String name) throws IOException {
        byte[] original = name.endsWith(".gz") ? gunzip(bytes(name)) : bytes(name);
        Random random = new Random(42);
        Path p = tmp.resolve("damaged-" + name);
        int failures = 0;
        for (int round = 0; round < 150; round++) {
            byte[] b = original.clone();
            int n = 1 + random.nextInt(8);
            for (int i = 0; i < n; i++) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            Files.write(p, b);
            int r = round;
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                    for (EventInfo e : ProfileReader.events(p)) {
                        ProfileReader.read(p, e.name());
                    }
                }, () -> "round " + r);
            } catch (ProfileException e) {
                failures++;
                assertThat(e.getMessage()).startsWith(p + ": ").doesNotContain("\n");
            }
        }
        assertThat(failures).as("damaged files that were noticed").isPositive();
    }
}
