package dev.proflab.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.proflab.profile.fixture.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real recordings and profiles damaged at random (fixed seeds): flipped bytes, runs of 0xff (varints that
 * claim huge lengths and counts), runs of zeros, cut short. Every outcome of every reader (events, each
 * event's profile, the timeline) is a result or a one-line {@link ProfileException} naming the file: never
 * another exception, an error, a hang, or an allocation out of proportion to the file.
 */
@Tag("slow")
class FuzzTest {

    /** What one reading of a damaged file of ~300 kB may allocate: far above what real reading takes. */
    private static final long MAX_ALLOCATED = 256L << 20;

    private static ExecutorService worker;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stop() {
        worker.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ap-cpu.jfr", "ap-alloc.jfr", "ap-lock.jfr", "jfr-cpu.jfr", "jfr-alloc.jfr", "jfr-lock.jfr",
            "jfr-timeline.jfr"})
    void damagedRecordings(String name) throws Exception {
        byte[] original = Files.readAllBytes(Fixtures.checkedIn(name));
        fuzz(name, original, 120, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ap-cpu.pb.gz", "ap-alloc.pb.gz"})
    void damagedProfiles(String name) throws Exception {
        byte[] raw = gunzip(Files.readAllBytes(Fixtures.checkedIn(name)));
        fuzz("raw-" + name.replace(".gz", ""), raw, 300, false);
        fuzz(name, raw, 150, true);
    }

    private void fuzz(String name, byte[] original, int rounds, boolean gzip) throws Exception {
        Random random = new Random(name.hashCode());
        Path p = tmp.resolve("damaged-" + name);
        int noticed = 0;
        for (int round = 0; round < rounds; round++) {
            byte[] b = damage(original, random);
            Files.write(p, gzip ? gzip(b) : b);
            Future<Long> f = worker.submit(() -> readEverything(p));
            long allocated;
            try {
                allocated = f.get(20, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                Files.write(tmp.resolve("hang-" + name), b);
                fail("round " + round + " of " + name + " did not finish in 20 s");
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof ProfileException pe) {
                    noticed++;
                    assertThat(pe.getMessage()).startsWith(p + ": ").doesNotContain("\n");
                    continue;
                }
                Files.write(Path.of("target", "fuzz-" + name + "-" + round), b);
                throw new AssertionError("round " + round + " of " + name + ": " + cause, cause);
            }
            assertThat(allocated).as("bytes allocated reading round %d of %s", round, name).isLessThan(MAX_ALLOCATED);
        }
        assertThat(noticed).as("damaged files that were noticed").isPositive();
    }

    /** Reads every event and, for a recording, the timeline; returns the bytes allocated. */
    private static long readEverything(Path p) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        for (EventInfo e : ProfileReader.events(p)) {
            ProfileReader.read(p, ReadOptions.defaults().withEvent(e.name()).withClassFrames(true));
        }
        if (!p.toString().contains(".pb")) {
            TimelineReader.read(p);
        }
        return mx.getCurrentThreadAllocatedBytes() - before;
    }

    private static byte[] damage(byte[] original, Random random) {
        byte[] b = original.clone();
        switch (random.nextInt(5)) {
            case 0 -> { // a few random bytes
                int n = 1 + random.nextInt(8);
                for (int i = 0; i < n; i++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> { // a varint that goes on: huge lengths, counts, ids
                int at = random.nextInt(b.length);
                int len = 1 + random.nextInt(5);
                for (int i = at; i < Math.min(b.length, at + len); i++) {
                    b[i] = (byte) (i == at + len - 1 ? random.nextInt(0x80) : 0xff);
                }
            }
            case 2 -> { // zeros: empty types, zero sizes
                int at = random.nextInt(b.length);
                Arrays.fill(b, at, Math.min(b.length, at + 1 + random.nextInt(16)), (byte) 0);
            }
            case 3 -> { // cut short
                return Arrays.copyOf(b, 1 + random.nextInt(b.length - 1));
            }
            default -> { // one bit
                int at = random.nextInt(b.length);
                b[at] ^= (byte) (1 << random.nextInt(8));
            }
        }
        return b;
    }

    static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        }
        return out.toByteArray();
    }
}
