package dev.proflab.history;

import dev.proflab.io.BoundedInput;
import dev.proflab.profile.ProfileException;
import dev.proflab.profile.ProfileReader;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * When a profile was recorded, read from its header only: the chunk headers of a JFR recording
 * (start and duration of each chunk), or the {@code time_nanos} and {@code duration_nanos} fields
 * of a pprof profile (the protobuf is skimmed, not decoded). Fast enough to run on every new file of
 * a folder.
 *
 * @param start the start, or null when the profile does not say
 * @param duration the length, or null when the profile does not say
 * @param format {@code jfr} or {@code pprof}
 */
public record ProfileTimes(Instant start, Duration duration, String format) {

    private static final int JFR_MAGIC = 0x464c5200;   // "FLR\0"
    private static final int JFR_HEADER = 68;

    /**
     * Reads the times of a profile.
     *
     * @throws ProfileException when the file is missing, truncated, or neither JFR nor pprof
     */
    public static ProfileTimes read(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 4) {
                throw new ProfileException(path, size == 0 ? "empty file" : "not a JFR recording or a pprof profile");
            }
            ByteBuffer head = ByteBuffer.allocate(4);
            readFully(ch, head, 0);
            int magic = head.getInt(0);
            if (magic == JFR_MAGIC) {
                return jfr(path, ch, size);
            }
            if ((magic >>> 16) == 0x1f8b) {
                // skimmed as the reader reads it: inflating no more than it would
                BoundedInput.Limit limit = ProfileReader.inflateLimit(size);
                try (InputStream in = BoundedInput.limited(new GZIPInputStream(Files.newInputStream(path), 1 << 16),
                        limit.bytes(), () -> "")) {
                    return pprof(path, in);
                } catch (BoundedInput.TooLargeException e) {
                    throw new ProfileException(path, ProfileReader.inflatesTooMuch(size, limit));
                }
            }
            if ((magic >>> 24) == 0x0a) {
                String tooLarge = ProfileReader.whyTooLarge(size);
                if (tooLarge != null) {
                    throw new ProfileException(path, tooLarge);
                }
                try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
                    return pprof(path, in);
                }
            }
            throw new ProfileException(path, "not a JFR recording or a pprof profile");
        } catch (NoSuchFileException e) {
            throw new ProfileException(path, "no such file");
        } catch (EOFException e) {
            throw new ProfileException(path, "truncated file");
        } catch (ZipException e) {
            throw new ProfileException(path, "corrupted gzip file: " + e.getMessage());
        } catch (IOException e) {
            throw new ProfileException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    private static ProfileTimes jfr(Path path, FileChannel ch, long size) throws IOException {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        ByteBuffer h = ByteBuffer.allocate(JFR_HEADER);
        int chunks = 0;
        for (long pos = 0; pos < size; ) {
            if (++chunks > ProfileReader.MAX_JFR_CHUNKS) {
                throw new ProfileException(path, "more than " + ProfileReader.MAX_JFR_CHUNKS
                        + " chunks: not a recording proflab reads");
            }
            if (size - pos < JFR_HEADER) {
                throw new ProfileException(path, "truncated JFR recording at byte " + pos);
            }
            h.clear();
            readFully(ch, h, pos);
            if (h.getInt(0) != JFR_MAGIC) {
                throw new ProfileException(path, "corrupted JFR recording: no chunk header at byte " + pos);
            }
            long chunkSize = h.getLong(8);
            long start = h.getLong(32);
            long duration = h.getLong(40);
            if (chunkSize < JFR_HEADER || chunkSize > size - pos) {
                throw new ProfileException(path, "truncated JFR recording: chunk at byte " + pos + " of " + chunkSize + " bytes");
            }
            if (start > 0) {
                first = Math.min(first, start);
                last = Math.max(last, start + Math.max(0, duration));
            }
            pos += chunkSize;
        }
        if (first == Long.MAX_VALUE) {
            return new ProfileTimes(null, null, "jfr");
        }
        return new ProfileTimes(Instant.ofEpochSecond(0, first), last > first ? Duration.ofNanos(last - first) : null, "jfr");
    }

    /** Skims the top-level fields of a profile.proto for time_nanos (9) and duration_nanos (10). */
    private static ProfileTimes pprof(Path path, InputStream stream) throws IOException {
        Bytes in = new Bytes(stream);
        long time = 0;
        long duration = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            long tag = in.varint(b);
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (wire) {
                case 0 -> {
                    long v = in.varint(in.read());
                    if (field == 9) {
                        time = v;
                    } else if (field == 10) {
                        duration = v;
                    }
                }
                case 1 -> in.skip(8);
                case 2 -> in.skip(in.varint(in.read()));
                case 5 -> in.skip(4);
                default -> throw new ProfileException(path, "not a pprof profile (wire type " + wire + ")");
            }
        }
        return new ProfileTimes(time > 0 ? Instant.ofEpochSecond(0, time) : null,
                duration > 0 ? Duration.ofNanos(duration) : null, "pprof");
    }

    /** A stream read through a buffer of its own: a byte at a time without a call down the streams for each. */
    private static final class Bytes {
        private final InputStream in;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int lim;

        Bytes(InputStream in) {
            this.in = in;
        }

        int read() throws IOException {
            if (pos == lim) {
                int n = in.read(buf, 0, buf.length);
                if (n <= 0) {
                    return -1;
                }
                pos = 0;
                lim = n;
            }
            return buf[pos++] & 0xff;
        }

        long varint(int first) throws IOException {
            long v = 0;
            int shift = 0;
            int b = first;
            while (true) {
                if (b < 0) {
                    throw new EOFException();
                }
                v |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
                shift += 7;
                if (shift > 63) {
                    throw new IOException("varint too long");
                }
                b = read();
            }
        }

        void skip(long n) throws IOException {
            if (n < 0) {
                throw new IOException("negative length");
            }
            int here = (int) Math.min(n, lim - pos);
            pos += here;
            n -= here;
            while (n > 0) {
                long k = in.skip(n);
                if (k <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException();
                    }
                    k = 1;
                }
                n -= k;
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                throw new EOFException();
            }
        }
    }
}
