package dev.proflab.profile;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads JFR's encodings (LEB128 varints, strings) from one chunk's bytes through a small heap window, filled
 * by position from the file (or a buffer): decoding from a byte[] is several times faster than
 * {@code ByteBuffer.get(int)} in the loops that read millions of stack frames. Positions are offsets in the
 * chunk.
 */
final class JfrCursor {

    /** The window of a cursor that reads on from where it is. */
    static final int WINDOW = 1 << 16;
    /** The window of a cursor that jumps around (to the symbols of methods), reading a little at each place. */
    static final int SMALL_WINDOW = 1 << 10;
    /** The most any single primitive read needs: a 9-byte varlong, an 8-byte double. */
    private static final int MAX_PRIMITIVE = 10;

    /** The bytes of one chunk, by position. */
    interface Bytes {
        /** How many bytes the chunk has. */
        int size();

        /** Copies {@code len} bytes at {@code pos} (in the chunk, with {@code pos + len <= size()}) into {@code dst}. */
        void get(int pos, byte[] dst, int off, int len);

        /** The bytes of a buffer, from 0 to its limit. */
        static Bytes of(ByteBuffer buf) {
            int size = buf.limit();
            return new Bytes() {
                @Override
                public int size() {
                    return size;
                }

                @Override
                public void get(int pos, byte[] dst, int off, int len) {
                    buf.get(pos, dst, off, len);
                }
            };
        }
    }

    private final Bytes src;
    private final int size;
    /** The window: {@link #WINDOW} or less, or the chunk if smaller (a file of thousands of tiny chunks opens a cursor on each). */
    private final byte[] win;
    /** Chunk offset of win[0]. */
    private int base;
    private int p;
    private int lim;

    JfrCursor(ByteBuffer buf, int pos) {
        this(Bytes.of(buf), pos);
    }

    JfrCursor(Bytes bytes, int pos) {
        this(bytes, pos, WINDOW);
    }

    JfrCursor(Bytes bytes, int pos, int window) {
        this.src = bytes;
        this.size = bytes.size();
        this.win = new byte[Math.min(Math.max(window, 4 * MAX_PRIMITIVE), size)];
        fill(pos);
    }

    /** The current offset in the chunk. */
    int pos() {
        return base + p;
    }

    /** The bytes from the current offset to the end of the chunk. */
    int remaining() {
        return size - pos();
    }

    /** Moves to an offset in the chunk. */
    void seek(int pos) {
        int rel = pos - base;
        if (rel >= 0 && rel + MAX_PRIMITIVE <= lim) {
            p = rel;
        } else {
            fill(pos);
        }
    }

    private void fill(int pos) {
        if (pos < 0 || pos > size) {
            throw new IndexOutOfBoundsException("offset " + pos + " outside the chunk (" + size + " bytes)");
        }
        base = pos;
        p = 0;
        lim = Math.min(win.length, size - pos);
        src.get(pos, win, 0, lim);
    }

    private byte next() {
        if (p >= lim) {
            if (base + p >= size) {
                throw new IndexOutOfBoundsException("past the end of the chunk");
            }
            fill(base + p);
        }
        return win[p++];
    }

    /** An int written as a varint; JFR may pad it to a long's length (JDK constant pools do). */
    int varint() {
        return (int) varlong();
    }

    long varlong() {
        if (lim - p < MAX_PRIMITIVE) {
            return slowVarlong();
        }
        byte[] w = win;
        int i = p;
        long result = 0;
        for (int shift = 0; shift < 56; shift += 7) {
            byte b = w[i++];
            result |= (b & 0x7fL) << shift;
            if (b >= 0) {
                p = i;
                return result;
            }
        }
        result |= (w[i++] & 0xffL) << 56;
        p = i;
        return result;
    }

    /** Reads {@code n} varlongs into {@code out} (one call per stack frame in the hottest loop). */
    void varlongs(long[] out, int n) {
        if (lim - p < MAX_PRIMITIVE * n) {
            for (int k = 0; k < n; k++) {
                out[k] = slowVarlong();
            }
            return;
        }
        byte[] w = win;
        int i = p;
        for (int k = 0; k < n; k++) {
            long result = 0;
            int shift = 0;
            while (true) {
                byte b = w[i++];
                result |= (b & 0x7fL) << shift;
                if (b >= 0) {
                    break;
                }
                shift += 7;
                if (shift == 56) {
                    result |= (w[i++] & 0xffL) << 56;
                    break;
                }
            }
            out[k] = result;
        }
        p = i;
    }

    /**
     * Passes {@code n} varlongs, as {@link #varlong} reads them, without decoding them: a varlong ends at its
     * first byte whose high bit is clear, or at its ninth, which takes all its bits.
     */
    void skipVarlongs(int n) {
        byte[] w = win;
        int left = n;
        while (left > 0) {
            if (lim - p < MAX_PRIMITIVE) {
                slowVarlong();
                left--;
                continue;
            }
            // within the window: up to the last byte from which a whole varlong can still be read
            int i = p;
            int stop = lim - MAX_PRIMITIVE;
            int run = 0;
            while (i <= stop) {
                if (w[i++] >= 0) {
                    run = 0;
                    if (--left == 0) {
                        break;
                    }
                } else if (++run == 8) {
                    i++; // the ninth byte
                    run = 0;
                    if (--left == 0) {
                        break;
                    }
                }
            }
            // a varlong begun before the stop is read from its start, past the window if need be
            p = i - run;
            if (left > 0) {
                slowVarlong();
                left--;
            }
        }
    }

    private long slowVarlong() {
        long result = 0;
        for (int shift = 0; shift < 56; shift += 7) {
            byte b = next();
            result |= (b & 0x7fL) << shift;
            if (b >= 0) {
                return result;
            }
        }
        return result | (next() & 0xffL) << 56;
    }

    int u1() {
        return next() & 0xff;
    }

    void skip(int n) {
        if (n < 0 || base + p + (long) n > size) {
            throw new IndexOutOfBoundsException("past the end of the chunk");
        }
        if (p + n <= lim) {
            p += n;
        } else {
            fill(base + p + n);
        }
    }

    float f4() {
        return Float.intBitsToFloat((int) fixed(4));
    }

    double f8() {
        return Double.longBitsToDouble(fixed(8));
    }

    private long fixed(int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | (next() & 0xff);
        }
        return v;
    }

    private byte[] bytes(int n) {
        if (n < 0 || base + p + (long) n > size) {
            throw new IndexOutOfBoundsException("string past the end of the chunk");
        }
        byte[] out = new byte[n];
        if (p + n <= lim) {
            System.arraycopy(win, p, out, 0, n);
            p += n;
        } else {
            src.get(base + p, out, 0, n);
            fill(base + p + n);
        }
        return out;
    }

    /** A string in any of JFR's encodings; constant-pool references (not resolvable here) read as null. */
    String string() {
        int encoding = u1();
        switch (encoding) {
            case 0:
                return null;
            case 1:
                return "";
            case 2:
                varlong();
                return null;
            case 3:
                return new String(bytes(varint()), StandardCharsets.UTF_8);
            case 5:
                return new String(bytes(varint()), StandardCharsets.ISO_8859_1);
            case 4: {
                int n = varint();
                if (n < 0 || n > remaining()) { // a char takes at least a byte
                    throw new IndexOutOfBoundsException("string past the end of the chunk");
                }
                char[] chars = new char[n];
                for (int i = 0; i < n; i++) {
                    chars[i] = (char) varint();
                }
                return new String(chars);
            }
            default:
                throw new IllegalStateException("unknown string encoding " + encoding + " at byte " + (pos() - 1));
        }
    }

    void skipString() {
        int encoding = u1();
        switch (encoding) {
            case 0, 1 -> {
            }
            case 2 -> varlong();
            case 3, 5 -> skip(varint());
            case 4 -> {
                int n = varint();
                if (n < 0 || n > remaining()) {
                    throw new IndexOutOfBoundsException("string past the end of the chunk");
                }
                for (int i = 0; i < n; i++) {
                    varint();
                }
            }
            default -> throw new IllegalStateException("unknown string encoding " + encoding + " at byte " + (pos() - 1));
        }
    }
}
