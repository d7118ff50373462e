package dev.proflab.profile;

import dev.proflab.profile.fixture.Bombs;

import static dev.proflab.profile.fixture.SyntheticJfr.chunk;
import static dev.proflab.profile.fixture.SyntheticJfr.event;
import static dev.proflab.profile.fixture.SyntheticJfr.field;
import static dev.proflab.profile.fixture.SyntheticJfr.metadata;
import static dev.proflab.profile.fixture.SyntheticJfr.type;
import static dev.proflab.profile.fixture.SyntheticJfr.varint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.proflab.profile.fixture.SyntheticJfr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JFR recordings made to cost their reader far more than their size: types that hold nothing but are
 * decoded per event, arrays of nothing of two billion elements, type ids that size arrays, chunks by the
 * thousand, counts that lie. Each reads (or fails as one line) in seconds, allocating in proportion to the file.
 */
class JfrBombTest {

    private static final Duration BOUND = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    private static long allocated(Runnable read) {
        return Bombs.allocatedWithin(BOUND, read);
    }

    private static <T> T timed(Supplier<T> read) {
        return assertTimeoutPreemptively(BOUND, read::get);
    }

    @Test
    void typesOfNothingCostNothing() throws IOException {
        // "Empty" has no fields; "Nest1".."Nest8" each hold 30 of the one below: 30^8 values of nothing
        List<SyntheticJfr.Element> types = new ArrayList<>();
        types.add(type(1, "long"));
        types.add(type(2, "Empty"));
        types.add(type(3, "java.lang.Thread"));
        types.add(type(4, "jdk.types.StackTrace"));
        long below = 2;
        for (int level = 1; level <= 8; level++) {
            List<SyntheticJfr.Element> fields = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                fields.add(field("n", below, false, false));
            }
            types.add(type(10 + level, "Nest" + level, fields));
            below = 10 + level;
        }
        List<SyntheticJfr.Element> sample = new ArrayList<>();
        sample.add(field("startTime", 1, false, false));
        for (int i = 0; i < 100_000; i++) {
            sample.add(field("e", 2, false, false));
        }
        sample.add(field("nothing", 2, false, true));
        sample.add(field("nested", below, false, false));
        sample.add(field("sampledThread", 3, true, false));
        sample.add(field("stackTrace", 4, true, false));
        types.add(type(100, "jdk.ExecutionSample", sample));
        List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            varint(f, i); // startTime
            varint(f, Integer.MAX_VALUE); // an array of 2^31-1 values of nothing
            varint(f, 1); // thread
            varint(f, 0); // no stack trace
            events.add(event(100, f.toByteArray()));
        }
        Path p = tmp.resolve("nothing.jfr");
        Files.write(p, chunk(metadata(types), events));

        Profile profile = timed(() -> ProfileReader.read(p));
        assertThat(profile.sampleCount()).isEqualTo(10_000);
        long[] bytes = new long[1];
        bytes[0] = allocated(() -> assertThat(TimelineReader.read(p).lanes()).hasSize(1));
        assertThat(bytes[0]).as("allocated reading the timeline").isLessThan(256L << 20);
    }

    @Test
    void typeIdsDoNotSizeArrays() throws IOException {
        // every chunk has one record of type 2^20 - 1: counted in an array indexed by type id, 8 MB a chunk
        byte[] one = chunk(metadata(List.of(type(1, "long"))), List.of(event((1 << 20) - 1, new byte[0])));
        Path p = tmp.resolve("ids.jfr");
        try (OutputStream out = Files.newOutputStream(p)) {
            for (int i = 0; i < 3000; i++) {
                out.write(one);
            }
        }
        long bytes = allocated(() -> assertThatThrownBy(() -> ProfileReader.read(p))
                .isInstanceOf(ProfileException.class).hasMessage(p + ": no samples in this recording: it has none of"
                        + " the events proflab reads (" + String.join(", ", ProfileReader.EVENTS) + ")"));
        assertThat(bytes).isLessThan(512L << 20);
    }

    @Test
    void tooManyChunks() throws IOException {
        byte[] one = chunk(metadata(List.of(type(1, "long"))), List.of());
        Path p = tmp.resolve("chunks.jfr");
        try (OutputStream out = Files.newOutputStream(p)) {
            for (int i = 0; i <= ProfileReader.MAX_JFR_CHUNKS; i++) {
                out.write(one);
            }
        }
        allocated(() -> assertThatThrownBy(() -> ProfileReader.events(p))
                .isInstanceOf(ProfileException.class)
                .hasMessage(p + ": more than 10000 chunks: not a recording proflab reads"));
    }

    @Test
    void countsThatLie() throws IOException {
        // a metadata record that claims 256 MB and 268 million strings, in a chunk of 100 bytes
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        varint(meta, 0x0fffffff, 4); // size
        varint(meta, 0); // metadata
        varint(meta, 0);
        varint(meta, 0);
        varint(meta, 1);
        varint(meta, 0x0ffffff0, 4); // strings
        byte[] body = meta.toByteArray();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(body);
        int cp = 68 + all.size();
        all.writeBytes(SyntheticJfr.emptyPool());
        Path p = tmp.resolve("lies.jfr");
        Files.write(p, SyntheticJfr.withHeader(68, cp, all.toByteArray()));
        long bytes = allocated(() -> assertThatThrownBy(() -> ProfileReader.read(p))
                .isInstanceOf(ProfileException.class)
                .hasMessage(p + ": corrupted JFR recording: chunk 1: bad metadata string count 268435440"));
        assertThat(bytes).isLessThan(64L << 20);
    }
}
