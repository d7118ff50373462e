package dev.proflab.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proflab.io.BoundedInput;
import dev.proflab.profile.fixture.Bombs;
import dev.proflab.profile.fixture.Bombs.Proto;
import dev.proflab.profile.fixture.Fixtures;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pprof profiles made to exhaust the reader: gzip that inflates to gigabytes (one member or many), files
 * of gigabytes, length fields that lie, stacks of millions of frames from a few kB, thousands of sample
 * types, function names that collide in {@code String.hashCode}, a million comments naming one long
 * string. Each ends in seconds as a one-line {@link ProfileException} naming the file and the limit (or
 * reads, when it is only slow to read naively), allocating in proportion to the file.
 */
@Tag("slow")
class PprofBombTest {

    private static final Duration BOUND = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    private static long allocated(Runnable read) {
        return Bombs.allocatedWithin(BOUND, read);
    }

    /**
     * Reading the profile fails with {@code message}, allocating less than {@code maxAllocated}; listing its
     * events (which decodes no samples) fails so too, or lists them.
     */
    private static void fails(Path p, String message, long maxAllocated) {
        long bytes = allocated(() -> {
            try {
                ProfileReader.events(p);
            } catch (ProfileException e) {
                assertThat(e).hasMessageStartingWith(p + ": ").hasMessageContaining(message).hasMessageNotContaining("\n");
            }
            assertThatThrownBy(() -> ProfileReader.read(p)).isInstanceOf(ProfileException.class)
                    .hasMessageStartingWith(p + ": ").hasMessageContaining(message).hasMessageNotContaining("\n");
        });
        assertThat(bytes).as("bytes allocated").isLessThan(maxAllocated);
    }

    private Path write(String name, byte[] b) throws IOException {
        return Files.write(tmp.resolve(name), b);
    }

    @Test
    void gzipOfGigabytesInManyMembers() throws IOException {
        Path p = Bombs.zeros(tmp.resolve("zeros.pb.gz"), 128); // 8 GB from 8 MB
        long limit = ProfileReader.inflateLimit(Files.size(p)).bytes();
        assertThat(limit).isLessThanOrEqualTo(ProfileReader.MAX_PROTO_BYTES);
        // counted while inflating, not buffered: the bomb costs time up to the limit, and no memory
        fails(p, "gzip data that inflates to more than " + BoundedInput.size(limit) + ", ", 32L << 20);
        assertThat(ProfileReader.inflatesTooMuch(Files.size(p), ProfileReader.inflateLimit(Files.size(p))))
                .endsWith(": not read (a decompression bomb?)");
    }

    @Test
    void gzipThatInflatesAHundredTimesItsSize() throws IOException {
        Path p = Bombs.zeros(tmp.resolve("four.pb.gz"), 4); // 256 MB from 255 kB
        long size = Files.size(p);
        fails(p, "gzip data that inflates to more than " + BoundedInput.size(100 * size) + ", 100 times the file's "
                + BoundedInput.size(size) + ": not read (a decompression bomb?)", 32L << 20);
    }

    @Test
    void aSmallGzipInflatesToAtMostSixteenMegabytes() throws IOException {
        Path p = Bombs.zeros(tmp.resolve("one.pb.gz"), 1); // 64 MB from 64 kB
        fails(p, "gzip data that inflates to more than 16 MB, the most proflab inflates from a file of "
                + BoundedInput.size(Files.size(p)) + ": not read (a decompression bomb?)", 32L << 20);
    }

    @Test
    void membersAfterAProfileCountAndGarbageAfterItIsIgnored() throws IOException {
        byte[] good = Files.readAllBytes(Fixtures.checkedIn("ap-cpu.pb.gz"));
        // a bomb as the second member: what all members inflate to is what counts
        Path bomb = tmp.resolve("then-bomb.pb.gz");
        Files.write(bomb, good);
        byte[] member = Bombs.zeroMember();
        try (java.io.OutputStream out = Files.newOutputStream(bomb, java.nio.file.StandardOpenOption.APPEND)) {
            for (int i = 0; i < 16; i++) {
                out.write(member);
            }
        }
        fails(bomb, "gzip data that inflates to more than ", 32L << 20);
        // bytes after the last member that are not gzip: ignored, as gunzip does
        byte[] garbage = Arrays.copyOf(good, good.length + 100);
        Arrays.fill(garbage, good.length, garbage.length, (byte) 'x');
        Path trailing = write("trailing.pb.gz", garbage);
        assertThat(ProfileReader.read(trailing).sampleCount())
                .isEqualTo(ProfileReader.read(Fixtures.checkedIn("ap-cpu.pb.gz")).sampleCount());
    }

    @Test
    void anUncompressedProfileOfGigabytes() throws IOException {
        Path p = tmp.resolve("huge.pb");
        long size = ProfileReader.MAX_PROTO_BYTES + 1;
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(0x0a);
            f.setLength(size); // sparse
        }
        fails(p, "a pprof profile of 1 GB, more than the ", 16L << 20);
        Files.delete(p);
    }

    @Test
    void lengthsThatLie() throws IOException {
        byte[] head = Bombs.profileHead().toBytes();
        // a string of 2 GB, a sample of 2^62 bytes, a negative length, a varint that does not end
        byte[][] tails = {
                new Proto().raw(6 << 3 | 2).raw(Integer.MAX_VALUE).toBytes(),
                new Proto().raw(2 << 3 | 2).raw(1L << 62).toBytes(),
                new Proto().raw(2 << 3 | 2).raw(-1L).toBytes(),
                new Proto().raw(6 << 3 | 2).raw(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}).toBytes(),
                new Proto().raw(2 << 3 | 2).raw(3).raw(1 << 3 | 2).raw(1000).toBytes(),
        };
        String[] messages = {"field length 2147483647 past the end", "field length 4611686018427387904 past the end",
                "field length -1 past the end", "varint too long", "field length 1000 past the end"};
        for (int i = 0; i < tails.length; i++) {
            byte[] b = Arrays.copyOf(head, head.length + tails[i].length);
            System.arraycopy(tails[i], 0, b, head.length, tails[i].length);
            fails(write("lie-" + i + ".pb", b), messages[i], 16L << 20);
            fails(write("lie-" + i + ".pb.gz", FuzzTest.gzip(b)), "corrupted pprof profile: " + messages[i], 16L << 20);
        }
    }

    /** Function 1 ({@code a.B.c}); location 1: {@code lines} inlined lines of it; location 2: one line. */
    private static Proto inlined(int lines) {
        Proto p = Bombs.profileHead().string(6, "a.B.c");
        p.message(5, new Proto().varint(1, 1).varint(2, 3));
        Proto loc = new Proto().varint(1, 1);
        for (int i = 0; i < lines; i++) {
            loc.message(4, new Proto().varint(1, 1).varint(2, i + 1));
        }
        p.message(4, loc);
        p.message(4, new Proto().varint(1, 2).message(4, new Proto().varint(1, 1).varint(2, 7)));
        return p;
    }

    /** A sample of {@code twos} references to location 2, then {@code ones} to location 1; one value. */
    private static Proto sample(int twos, int ones) {
        long[] refs = new long[twos + ones];
        Arrays.fill(refs, 0, twos, 2);
        Arrays.fill(refs, twos, refs.length, 1);
        return new Proto().packed(1, refs).packed(2, 1);
    }

    @Test
    void aStackOfMillionsOfFramesFromAFewKilobytes() throws IOException {
        // location 1 inlines 1000 functions; 10,000 references to it make a stack of 10 million frames
        Proto p = inlined(1000);
        for (int i = 0; i < 500; i++) {
            p.message(2, sample(i, 10_000));
        }
        Path f = write("deep.pb.gz", FuzzTest.gzip(p.toBytes()));
        fails(f, "a sample's stack has more than 65536 frames: not a profile proflab reads", 64L << 20);
    }

    @Test
    void aPackedFieldOfMillionsOfLocationsIsCountedBeforeItIsDecoded() throws IOException {
        // one sample whose packed location ids are 8 million varints (8 MB, uncompressed): refused before 64 MB
        // of longs are decoded from it
        Proto p = inlined(1);
        p.message(2, sample(0, 8_000_000));
        Path f = write("packed.pb", p.toBytes());
        fails(f, "a sample's stack has more than 65536 frames: not a profile proflab reads", 48L << 20);
    }

    @Test
    void stacksThatAddUpToBillionsOfFrames() throws IOException {
        // 60,000 frames each (under the depth limit), all different: 240 kB of frame ids a sample, from 2.5 kB
        Proto p = inlined(1000);
        for (int i = 0; i < 5000; i++) {
            p.message(2, sample(i, 60));
        }
        byte[] raw = p.toBytes();
        Path f = write("wide.pb.gz", FuzzTest.gzip(raw));
        long budget = PprofReader.FRAME_FLOOR + (long) PprofReader.FRAMES_PER_BYTE * raw.length;
        fails(f, "its samples' stacks hold more than " + budget + " frames together (" + PprofReader.FRAMES_PER_BYTE
                + " per byte of profile.proto, plus " + PprofReader.FRAME_FLOOR + "): not a profile proflab reads", 512L << 20);
    }

    @Test
    void thousandsOfSampleTypes() throws IOException {
        Proto p = Bombs.profileHead();
        for (int i = 0; i < 100_000; i++) {
            p.message(1, new Proto().varint(1, 1).varint(2, 2));
        }
        fails(write("types.pb.gz", FuzzTest.gzip(p.toBytes())), "more than 1024 sample types: not a profile proflab reads",
                64L << 20);
    }

    @Test
    void functionNamesThatCollide() throws IOException {
        // 65,536 names of 32 characters with one String.hashCode ("Aa" and "BB" hash alike)
        int n = 1 << 16;
        Proto p = Bombs.profileHead();
        for (int i = 0; i < n; i++) {
            StringBuilder name = new StringBuilder(32);
            for (int bit = 0; bit < 16; bit++) {
                name.append((i >>> bit & 1) == 0 ? "Aa" : "BB");
            }
            p.string(6, name.toString());
        }
        for (int i = 1; i <= n; i++) {
            p.message(5, new Proto().varint(1, i).varint(2, i + 2));
            p.message(4, new Proto().varint(1, i).message(4, new Proto().varint(1, i).varint(2, 1)));
            p.message(2, new Proto().packed(1, i).packed(2, 1));
        }
        Path f = write("collide.pb.gz", FuzzTest.gzip(p.toBytes()));
        allocated(() -> assertThat(ProfileReader.read(f).frameCount()).isEqualTo(n));
    }

    @Test
    void aMillionCommentsNamingOneLongString() throws IOException {
        Proto p = Bombs.profileHead().string(6, "x".repeat(10 << 20));
        long[] refs = new long[1_000_000];
        Arrays.fill(refs, 3);
        p.packed(13, refs);
        p.message(5, new Proto().varint(1, 1).varint(2, 2));
        p.message(4, new Proto().varint(1, 1).message(4, new Proto().varint(1, 1)));
        p.message(2, new Proto().packed(1, 1).packed(2, 5));
        Path f = write("comments.pb.gz", FuzzTest.gzip(p.toBytes()));
        allocated(() -> assertThat(ProfileReader.read(f).sampleCount()).isEqualTo(1));
    }

    @Test
    void aGzippedRecordingIsToldAtOnce() throws IOException {
        Path f = write("rec.jfr.gz", FuzzTest.gzip(Files.readAllBytes(Fixtures.checkedIn("jfr-cpu.jfr"))));
        fails(f, "a gzip-compressed JFR recording: gunzip it first", 16L << 20);
    }
}
