package dev.proflab.io;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * Reads files into memory with a cap on what is buffered or inflated, so that a hostile or broken file
 * (a gzip stream that inflates to gigabytes, a file that grows while it is read, a FIFO) fails fast with
 * a {@link TooLargeException} instead of exhausting the heap. Every reader of a user's file in
 * proflab's libraries goes through here and turns the exception into its own one-line error naming the file.
 *
 * <p>A cap on inflating is derived from the input ({@link #inflateLimit}: a multiple of the compressed
 * size, with a floor for tiny files) and a ceiling, which readers that build a model several times the
 * size of their input take as a share of the JVM's heap ({@link #heapShare}).
 */
public final class BoundedInput {

    public static final long KB = 1L << 10;
    public static final long MB = 1L << 20;
    public static final long GB = 1L << 30;

    private BoundedInput() {
    }

    /**
     * An input holds more than its limit. The message is one line without the file's name (the
     * caller's exception names it): {@code "inflates to more than 40 MB (limit: ...)"}.
     */
    public static final class TooLargeException extends IOException {

        private static final long serialVersionUID = 1L;

        private final long limit;

        public TooLargeException(String message, long limit) {
            super(message);
            this.limit = limit;
        }

        /** The limit that was exceeded, in bytes. */
        public long limit() {
            return limit;
        }
    }

    /**
     * How much may be inflated from a compressed input, and why.
     *
     * @param bytes the most bytes to inflate
     * @param rule the rule, for messages: {@code "100 times its 400 kB, at most 384 MB"}
     */
    public record Limit(long bytes, String rule) {
    }

    /**
     * The cap for inflating {@code compressedSize} bytes: {@code ratio} times them, at least
     * {@code floor} (tiny files compress well too), at most {@code ceiling}.
     */
    public static Limit inflateLimit(long compressedSize, int ratio, long floor, long ceiling) {
        long derived = compressedSize > Long.MAX_VALUE / ratio ? Long.MAX_VALUE : compressedSize * ratio;
        long bytes = Math.min(ceiling, Math.max(floor, derived));
        return new Limit(bytes, ratio + " times its " + size(compressedSize) + ", at least " + size(Math.min(floor, ceiling))
                + ", at most " + size(ceiling));
    }

    /**
     * A ceiling for what a reader buffers when the model it builds from it takes several times as much:
     * {@code max} or {@code 1/divisor} of the JVM's maximum heap, whichever is smaller.
     */
    public static long heapShare(long max, int divisor) {
        long heap = Runtime.getRuntime().maxMemory();
        return heap == Long.MAX_VALUE ? max : Math.min(max, heap / divisor);
    }

    /** The JVM's maximum heap, for messages: {@code "1.5 GB"}. */
    public static String maxHeap() {
        return size(Runtime.getRuntime().maxMemory());
    }

    /**
     * Reads a whole file of at most {@code limit} bytes. The size is checked before reading and
     * again while reading (a file that grows, a FIFO, a device).
     *
     * @throws TooLargeException when it holds more: {@code "is 300 MB, more than the 256 MB ..."}
     */
    public static byte[] readAll(Path file, long limit) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > limit) {
                throw new TooLargeException("is " + size(size) + ", more than the " + size(limit) + " limit", limit);
            }
            return readAll(Channels.newInputStream(ch), (int) Math.max(size, 0), limit,
                    () -> "grew past the " + size(limit) + " limit while it was read");
        }
    }

    /**
     * Inflates a gzip file (every member of it, as {@code gunzip} does) into memory. It is inflated twice:
     * once to count (a decompression bomb costs time up to the limit, and no memory), then into an
     * array of the exact size.
     *
     * @throws TooLargeException when it inflates to more than {@code limit.bytes()}
     * @throws EOFException when the gzip data is cut short
     * @throws java.util.zip.ZipException when it is not valid gzip data
     */
    public static byte[] gunzip(Path file, Limit limit) throws IOException {
        Supplier<String> tooLarge = () -> "inflates to more than " + size(limit.bytes()) + " (the limit: " + limit.rule() + ")";
        long max = Math.min(limit.bytes(), Integer.MAX_VALUE - 16); // an array's most
        long n = 0;
        byte[] scratch = new byte[1 << 16];
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            int r;
            while ((r = in.read(scratch)) > 0) {
                n += r;
                if (n > max) {
                    throw new TooLargeException(tooLarge.get(), limit.bytes());
                }
            }
        }
        byte[] out = new byte[(int) n];
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            if (in.readNBytes(out, 0, out.length) != out.length || in.read() >= 0) {
                throw new IOException("the file changed while it was read");
            }
        }
        return out;
    }

    /**
     * Reads a stream to its end, buffering at most {@code limit} bytes.
     *
     * @param hint the expected size (the first buffer's), 0 if unknown
     * @param tooLarge the message when there is more
     */
    public static byte[] readAll(InputStream in, int hint, long limit, Supplier<String> tooLarge)
            throws IOException {
        int max = (int) Math.min(limit, Integer.MAX_VALUE - 16);
        byte[] buf = new byte[hint > 0 ? Math.min(hint, max) : Math.min(8192, max)];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                int b = in.read();
                if (b < 0) {
                    return buf;
                }
                if (n >= max) {
                    throw new TooLargeException(tooLarge.get(), limit);
                }
                buf = Arrays.copyOf(buf, (int) Math.min(max, Math.max(8192, 2L * n)));
                buf[n++] = (byte) b;
                continue;
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                return n == buf.length ? buf : Arrays.copyOf(buf, n);
            }
            n += r;
        }
    }

    /**
     * A stream that reads at most {@code limit} bytes of {@code in}: one more fails with a
     * {@link TooLargeException} with {@code message}. Skipped bytes count.
     */
    public static InputStream limited(InputStream in, long limit, Supplier<String> message) {
        return new FilterInputStream(in) {
            private long count;

            private void add(long k) throws TooLargeException {
                count += k;
                if (count > limit) {
                    throw new TooLargeException(message.get(), limit);
                }
            }

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    add(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int r = super.read(b, off, len);
                if (r > 0) {
                    add(r);
                }
                return r;
            }

            @Override
            public long skip(long n) throws IOException {
                long k = super.skip(Math.min(n, limit - count + 1));
                if (k > 0) {
                    add(k);
                }
                return k;
            }
        };
    }

    /** A size as the messages write it: {@code 512 B}, {@code 400 kB}, {@code 1.5 MB}, {@code 256 MB}. */
    public static String size(long bytes) {
        if (bytes < KB) {
            return bytes + " B";
        }
        double v;
        String unit;
        if (bytes >= GB) {
            v = bytes / (double) GB;
            unit = "GB";
        } else if (bytes >= MB) {
            v = bytes / (double) MB;
            unit = "MB";
        } else {
            v = bytes / (double) KB;
            unit = "kB";
        }
        String s = v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
        if (s.endsWith(".0")) {
            s = s.substring(0, s.length() - 2);
        }
        return s + " " + unit;
    }
}
