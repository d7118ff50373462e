package dev.proflab.profile;

import dev.proflab.io.BoundedInput;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads profiles: JFR recordings of async-profiler or JDK Flight Recorder ({@code .jfr}) and pprof
 * ({@code .pb.gz}, or uncompressed). The format is told by the content, not the name.
 *
 * <pre>{@code
 * List<EventInfo> events = ProfileReader.events(Path.of("app.jfr"));   // cpu (1994), alloc (86), ...
 * Profile cpu = ProfileReader.read(Path.of("app.jfr"));                 // the main event
 * Profile alloc = ProfileReader.read(Path.of("app.jfr"), "alloc", "objects");
 * Profile fast = ProfileReader.read(Path.of("app.jfr"), ReadOptions.defaults().withAggregate(true));
 * }</pre>
 *
 * <p>Events ({@link #EVENTS}) and their values:
 * <ul>
 *   <li>{@code cpu}: {@code jdk.ExecutionSample} (async-profiler cpu/itimer/ctimer, JFR's Java
 *       samples): {@code samples/count}, {@code cpu/nanoseconds} = samples x interval;
 *   <li>{@code cpu-time}: {@code jdk.CPUTimeSample} (JDK 25, JEP 509): each sample weighs its
 *       sampling period;
 *   <li>{@code wall}: async-profiler's {@code profiler.WallClockSample}: {@code samples/count},
 *       {@code wall/nanoseconds};
 *   <li>{@code alloc}: {@code jdk.ObjectAllocationInNewTLAB} + {@code OutsideTLAB} (async-profiler,
 *       or JFR when enabled), else {@code jdk.ObjectAllocationSample}: {@code alloc_objects/count},
 *       {@code alloc_space/bytes}; bytes are the sample's weight as async-profiler's converter counts
 *       them (the TLAB size or the sampled weight); objects are weight / object size where the size
 *       is known (TLAB events), else 1 per event: for JFR's {@code ObjectAllocationSample}, which
 *       weighs bytes and cannot say how many objects they were, alloc_objects counts the sampled
 *       objects and is no estimate of all of them (use bytes);
 *   <li>{@code live}: async-profiler's {@code profiler.LiveObject} (sampled objects still alive
 *       when profiling stopped): {@code inuse_objects/count}, {@code inuse_space/bytes}, each sample
 *       scaled by the sampling interval as pprof scales Go's heap samples,
 *       size / (1 - e^(-size/interval));
 *   <li>{@code lock}: {@code jdk.JavaMonitorEnter} + {@code jdk.ThreadPark}; {@code monitor} and
 *       {@code park} one of them: {@code contentions/count}, {@code delay/nanoseconds};
 *   <li>{@code native}: JFR's {@code jdk.NativeMethodSample} (threads in native code).
 * </ul>
 *
 * <p>Every problem is a {@link ProfileException} with a one-line message naming the file.
 *
 * <p>What a file can make the reader do is bounded by the file: gzip is inflated to at most
 * {@value #MAX_INFLATE_RATIO} times its size (at least {@link #INFLATE_FLOOR}), and profile.proto (inflated or
 * not) to at most {@link #MAX_PROTO_BYTES} or 1/{@value #HEAP_SHARE} of the heap; a pprof profile has at most
 * 1024 sample types, stacks of at most 65536 frames, and 4 frames per byte of it in all its stacks together
 * (plus 4 million); a JFR recording
 * has at most {@value #MAX_JFR_CHUNKS} chunks, and decoding its events never costs more than their bytes. A file
 * that still needs more heap than there is fails as {@code "too large to read in this JVM's ... heap"}: no
 * {@link OutOfMemoryError} leaves here.
 */
public final class ProfileReader {

    /** A gzip file is inflated to at most this many times its size (real pprof profiles: 2 to 15)... */
    public static final int MAX_INFLATE_RATIO = 100;
    /** ... or to this many bytes, for small files. */
    public static final long INFLATE_FLOOR = 16 * BoundedInput.MB;
    /** The most bytes of profile.proto (inflated, or an uncompressed file) read... */
    public static final long MAX_PROTO_BYTES = BoundedInput.GB;
    /** ... and at most this share of the JVM's heap: the model read from them takes several times their size. */
    public static final int HEAP_SHARE = 16;

    /**
     * The most chunks a JFR recording may have. JDK Flight Recorder starts a new chunk every 12 MB (by
     * default) or when a recording starts or stops; each chunk is checked and read on its own.
     */
    public static final int MAX_JFR_CHUNKS = 10_000;

    /** The events as users name them, in the order the main event is chosen. */
    public static final List<String> EVENTS = JfrProfileReader.DEFS.stream().map(JfrProfileReader.Def::name).toList();

    private ProfileReader() {
    }

    /** The events the file holds samples of, the main one first. */
    public static List<EventInfo> events(Path path) {
        try {
            return eventsOf(path);
        } catch (OutOfMemoryError e) {
            throw tooLarge(path, e);
        }
    }

    /**
     * The last resort behind the limits on what is read: a file that still needs more heap than there
     * is fails as itself, and what was read for it is garbage again.
     */
    static ProfileException tooLarge(Path path, OutOfMemoryError e) {
        return new ProfileException(path, "too large to read in this JVM's " + BoundedInput.maxHeap()
                + " heap (a larger -Xmx in PROFLAB_JAVA_OPTS may help)", e);
    }

    private static List<EventInfo> eventsOf(Path path) {
        try (Source s = open(path)) {
            return eventsOf(path, s);
        }
    }

    private static List<EventInfo> eventsOf(Path path, Source s) {
        if (s.pprof != null) {
            try {
                return List.of(new EventInfo(s.pprof.event(), s.pprof.sampleCount(), List.of("pprof"),
                        s.pprof.valueTypes().toString().replaceAll("[\\[\\]]", "")));
            } catch (PprofReader.BadProto e) {
                throw new ProfileException(path, "corrupted pprof profile: " + e.getMessage(), e);
            }
        }
        return s.jfr.events();
    }

    /** The main event ({@code cpu} if there is one), every sample. */
    public static Profile read(Path path) {
        return read(path, ReadOptions.defaults());
    }

    /** One event ({@code cpu}, {@code wall}, {@code alloc}, {@code lock}, {@code live}, ...; null: the main one). */
    public static Profile read(Path path, String event) {
        return read(path, ReadOptions.defaults().withEvent(event));
    }

    /**
     * One event, with the value reports show by default chosen: {@code bytes} or {@code objects} for
     * alloc and live, {@code samples} or {@code time} for cpu, ... (null: the event's default).
     */
    public static Profile read(Path path, String event, String sampleIndex) {
        return read(path, ReadOptions.defaults().withEvent(event).withSampleIndex(sampleIndex));
    }

    public static Profile read(Path path, ReadOptions options) {
        return read(path, options, false);
    }

    /**
     * As {@link #read(Path, ReadOptions)}, except that a time range of a recording without samples of the event is a
     * profile without samples, rather than an error (e.g. a range selected on a page, which shows it empty).
     */
    public static Profile readRange(Path path, ReadOptions options) {
        return read(path, options, true);
    }

    private static Profile read(Path path, ReadOptions options, boolean emptyRange) {
        try {
            return readOf(path, options, emptyRange);
        } catch (OutOfMemoryError e) {
            throw tooLarge(path, e);
        }
    }

    private static Profile readOf(Path path, ReadOptions options, boolean emptyRange) {
        try (Source s = open(path)) {
            return readOf(path, options, s, emptyRange);
        }
    }

    private static Profile readOf(Path path, ReadOptions options, Source s, boolean emptyRange) {
        if (s.pprof != null) {
            try {
                return s.pprof.toProfile(options.event(), options);
            } catch (PprofReader.BadProto e) {
                throw new ProfileException(path, "corrupted pprof profile: " + e.getMessage(), e);
            }
        }
        String event = options.event();
        JfrProfileReader.Def def;
        String asked;
        if (event == null || event.isBlank()) {
            List<EventInfo> events = s.jfr.events();
            if (events.isEmpty()) {
                throw new ProfileException(path, "no samples in this recording: it has none of the events proflab reads ("
                        + String.join(", ", EVENTS) + ")");
            }
            asked = events.get(0).name();
            def = JfrProfileReader.def(asked);
        } else {
            asked = event.strip();
            def = JfrProfileReader.def(asked);
            if (def == null) {
                throw new ProfileException(path, "unknown event '" + event + "': use one of " + String.join(", ", EVENTS));
            }
        }
        return s.jfr.read(def, asked, options, emptyRange);
    }

    // ---- opening ----------------------------------------------------------------------------------

    /** A profile opened: a JFR recording (whose file stays open until closed) or a decoded pprof profile. */
    private record Source(JfrProfileReader jfr, JfrFile file, PprofReader pprof) implements AutoCloseable {

        @Override
        public void close() {
            if (file != null) {
                file.close();
            }
        }
    }

    private static Source open(Path path) {
        if (Files.isDirectory(path)) {
            throw new ProfileException(path, "is a directory, not a profile");
        }
        FileChannel ch = null;
        boolean kept = false;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
            long size = ch.size();
            if (size == 0) {
                throw new ProfileException(path, "empty file");
            }
            ByteBuffer head = ByteBuffer.allocate(4);
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
                // first bytes
            }
            byte[] h = head.array();
            int n = head.position();
            if (n >= 4 && head.getInt(0) == JfrFile.MAGIC) {
                kept = true; // the JFR file's from here (closed by it when it fails)
                JfrFile file = JfrFile.open(path, ch);
                try {
                    return new Source(new JfrProfileReader(path, file), file, null);
                } catch (RuntimeException e) {
                    file.close();
                    throw e;
                }
            }
            if (n >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
                if (gzippedJfr(path)) {
                    throw new ProfileException(path, "a gzip-compressed JFR recording: gunzip it first");
                }
                return new Source(null, null, pprof(path, gunzip(path, size), true));
            }
            if ((h[0] & 0xff) == 0x0a) {
                long max = maxProtoBytes();
                if (size > max) {
                    throw new ProfileException(path, whyTooLarge(size));
                }
                byte[] data;
                try {
                    data = BoundedInput.readAll(path, max);
                } catch (BoundedInput.TooLargeException e) {
                    throw new ProfileException(path, e.getMessage() + heapHint(max));
                }
                return new Source(null, null, pprof(path, data, false));
            }
            throw new ProfileException(path, "not a JFR recording or a pprof profile (it starts with "
                    + describe(h, n) + ")");
        } catch (NoSuchFileException e) {
            throw new ProfileException(path, "no such file");
        } catch (AccessDeniedException e) {
            throw new ProfileException(path, "permission denied");
        } catch (IOException e) {
            throw new ProfileException(path, "cannot read: " + JfrFile.describe(e), e);
        } finally {
            if (ch != null && !kept) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // read only: nothing was lost
                }
            }
        }
    }

    private static PprofReader pprof(Path path, byte[] data, boolean gzipped) {
        try {
            return PprofReader.decode(path, data);
        } catch (PprofReader.BadProto | IndexOutOfBoundsException e) {
            throw new ProfileException(path, gzipped
                    ? "corrupted pprof profile: " + e.getMessage()
                    : "not a JFR recording or a pprof profile (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The most bytes of profile.proto read or inflated: {@link #MAX_PROTO_BYTES}, or 1/{@value #HEAP_SHARE}
     * of the JVM's heap when that is less (the model read from it takes several times as much).
     */
    static long maxProtoBytes() {
        return BoundedInput.heapShare(MAX_PROTO_BYTES, HEAP_SHARE);
    }

    private static String heapHint(long max) {
        return max < MAX_PROTO_BYTES
                ? " (1/" + HEAP_SHARE + " of the JVM's " + BoundedInput.maxHeap() + " heap: a larger -Xmx in PROFLAB_JAVA_OPTS raises it)"
                : "";
    }

    /**
     * The most profile.proto inflated from a gzip file of {@code gzipSize} bytes:
     * {@value #MAX_INFLATE_RATIO} times its size, at least {@link #INFLATE_FLOOR}, at most
     * {@link #MAX_PROTO_BYTES} or 1/{@value #HEAP_SHARE} of the JVM's heap.
     */
    public static BoundedInput.Limit inflateLimit(long gzipSize) {
        return BoundedInput.inflateLimit(gzipSize, MAX_INFLATE_RATIO, INFLATE_FLOOR, maxProtoBytes());
    }

    /** Why a gzip file of {@code gzipSize} bytes that inflates past {@code limit} is not read (for messages). */
    public static String inflatesTooMuch(long gzipSize, BoundedInput.Limit limit) {
        long max = maxProtoBytes();
        String why;
        if (limit.bytes() == max) {
            why = "the most proflab reads of a pprof profile" + heapHint(max);
        } else if (limit.bytes() == INFLATE_FLOOR) {
            why = "the most proflab inflates from a file of " + BoundedInput.size(gzipSize);
        } else {
            why = MAX_INFLATE_RATIO + " times the file's " + BoundedInput.size(gzipSize);
        }
        return "gzip data that inflates to more than " + BoundedInput.size(limit.bytes()) + ", " + why
                + ": not read (a decompression bomb?)";
    }

    /** Why an uncompressed pprof profile of {@code size} bytes is not read, or null when it is small enough. */
    public static String whyTooLarge(long size) {
        long max = maxProtoBytes();
        return size <= max ? null : "a pprof profile of " + BoundedInput.size(size) + ", more than the "
                + BoundedInput.size(max) + " proflab reads" + heapHint(max);
    }

    private static byte[] gunzip(Path path, long compressed) {
        BoundedInput.Limit limit = inflateLimit(compressed);
        try {
            return BoundedInput.gunzip(path, limit);
        } catch (BoundedInput.TooLargeException e) {
            throw new ProfileException(path, inflatesTooMuch(compressed, limit));
        } catch (EOFException e) {
            throw new ProfileException(path, "truncated gzip file");
        } catch (ZipException e) {
            throw new ProfileException(path, "corrupted gzip file: " + JfrFile.describe(e));
        } catch (IOException e) {
            throw new ProfileException(path, "cannot read: " + JfrFile.describe(e), e);
        }
    }

    /** Whether a gzip file holds a JFR recording (its first four inflated bytes). */
    private static boolean gzippedJfr(Path path) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path), 512)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && ByteBuffer.wrap(head).getInt(0) == JfrFile.MAGIC;
        } catch (IOException e) {
            return false; // reading it whole says what is wrong
        }
    }

    private static String describe(byte[] h, int n) {
        List<String> parts = new ArrayList<>();
        boolean text = true;
        for (int i = 0; i < n; i++) {
            if (h[i] < 0x20 || h[i] > 0x7e) {
                text = false;
            }
        }
        if (text) {
            return "'" + new String(h, 0, n, java.nio.charset.StandardCharsets.US_ASCII) + "'";
        }
        for (int i = 0; i < n; i++) {
            parts.add(String.format("%02x", h[i] & 0xff));
        }
        return "bytes " + String.join(" ", parts);
    }
}
