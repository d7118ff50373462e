package dev.proflab.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Passing over varints ({@link JfrCursor#skipVarlongs}) ends where reading them one by one does. */
class JfrCursorTest {

    /** Varints of every length from 1 to 9 bytes, padded ones, and nine-byte ones whose last byte has its high bit. */
    private static byte[] varints(Random r, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            int kind = r.nextInt(10);
            if (kind < 6) {
                long v = r.nextInt(1 << (7 * (1 + r.nextInt(3))));
                while (v >= 0x80) {
                    out.write((int) (v & 0x7f) | 0x80);
                    v >>>= 7;
                }
                out.write((int) v);
            } else if (kind < 9) {
                // padded to 1..8 bytes, as JDK constant pools pad ints
                int bytes = 1 + r.nextInt(8);
                long v = r.nextInt(100);
                for (int b = 0; b < bytes - 1; b++) {
                    out.write((int) (v & 0x7f) | 0x80);
                    v >>>= 7;
                }
                out.write((int) (v & 0x7f));
            } else {
                // nine bytes: eight that go on, and a ninth that takes all its bits (high bit set or not)
                for (int b = 0; b < 8; b++) {
                    out.write(0x80 | r.nextInt(0x80));
                }
                out.write(r.nextInt(0x100));
            }
        }
        return out.toByteArray();
    }

    @Test
    void skippingEndsWhereReadingEnds() {
        Random r = new Random(42);
        byte[] data = varints(r, 60_000); // several of the cursor's 64 kB windows
        ByteBuffer buf = ByteBuffer.wrap(data);
        // the offsets where each varint starts, as varlong() reads them
        JfrCursor reader = new JfrCursor(buf, 0);
        int[] starts = new int[60_001];
        int n = 0;
        while (reader.pos() < data.length) {
            starts[n++] = reader.pos();
            reader.varlong();
        }
        starts[n] = data.length;
        assertThat(n).isEqualTo(60_000);
        JfrCursor skipper = new JfrCursor(buf, 0);
        for (int trial = 0; trial < 5_000; trial++) {
            int from = r.nextInt(n);
            int count = r.nextInt(Math.min(n - from, trial % 2 == 0 ? 20 : 3_000) + 1);
            skipper.seek(starts[from]);
            skipper.skipVarlongs(count);
            assertThat(skipper.pos()).as("%d varints from #%d", count, from).isEqualTo(starts[from + count]);
        }
        // all of them in one go, and to the very end
        skipper.seek(0);
        skipper.skipVarlongs(n);
        assertThat(skipper.pos()).isEqualTo(data.length);
    }

    @Test
    void skippingPastTheEndFailsAsReadingDoes() {
        byte[] data = {1, 2, (byte) 0x83, 4, 5};
        JfrCursor c = new JfrCursor(ByteBuffer.wrap(data), 0);
        c.skipVarlongs(4);
        assertThat(c.pos()).isEqualTo(5);
        c.seek(0);
        assertThatThrownBy(() -> c.skipVarlongs(5)).isInstanceOf(IndexOutOfBoundsException.class);
        // a varint cut off by the end
        JfrCursor d = new JfrCursor(ByteBuffer.wrap(new byte[] {1, (byte) 0x80, (byte) 0x80}), 0);
        assertThatThrownBy(() -> d.skipVarlongs(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
