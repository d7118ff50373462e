package dev.proflab.profile;

import dev.proflab.text.Phrase;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a {@link Timeline} from a JFR recording (JDK Flight Recorder or async-profiler): per thread its
 * lifetime ({@code jdk.ThreadStart}/{@code ThreadEnd}, else its first and last event), its samples
 * ({@code jdk.ExecutionSample}, {@code profiler.WallClockSample}) and its intervals ({@code jdk.ThreadPark},
 * {@code JavaMonitorEnter}, {@code JavaMonitorWait}, {@code ThreadSleep}); across all threads the GC pauses
 * ({@code jdk.GCPhasePause}, named after their {@code jdk.GarbageCollection}; that event's
 * {@code sumOfPauses} when there are no phases) and the safepoints ({@code jdk.SafepointBegin} to
 * {@code SafepointEnd}, named by the {@code jdk.ExecuteVMOperation} that asked for them).
 *
 * <p>Events are decoded field by field from each chunk's metadata, as {@link JfrProfileReader} does;
 * constant pools are read by the same code ({@link JfrConstants#names}) for threads and the small
 * enumerations (thread states, GC names, VM operations), stack traces skipped. Every problem is a
 * one-line {@link ProfileException}.
 */
public final class TimelineReader {

    static final String THREAD_START = "jdk.ThreadStart";
    static final String THREAD_END = "jdk.ThreadEnd";
    static final String MONITOR_WAIT = "jdk.JavaMonitorWait";
    static final String THREAD_SLEEP = "jdk.ThreadSleep";
    static final String GC_PHASE_PAUSE = "jdk.GCPhasePause";
    static final String GARBAGE_COLLECTION = "jdk.GarbageCollection";
    static final String SAFEPOINT_BEGIN = "jdk.SafepointBegin";
    static final String SAFEPOINT_END = "jdk.SafepointEnd";
    static final String VM_OPERATION = "jdk.ExecuteVMOperation";

    /** Every event type the timeline reads. */
    static final List<String> TYPES = List.of(JfrProfileReader.EXECUTION_SAMPLE, JfrProfileReader.WALL_SAMPLE,
            JfrProfileReader.THREAD_PARK, JfrProfileReader.MONITOR_ENTER, MONITOR_WAIT, THREAD_SLEEP,
            THREAD_START, THREAD_END, GC_PHASE_PAUSE, GARBAGE_COLLECTION, SAFEPOINT_BEGIN, SAFEPOINT_END, VM_OPERATION);

    private static final List<String> JDK_TYPES = List.of(GC_PHASE_PAUSE, GARBAGE_COLLECTION, SAFEPOINT_BEGIN,
            SAFEPOINT_END, VM_OPERATION);

    private TimelineReader() {
    }

    /** Reads the timeline of a JFR recording, every sample and interval of every thread. */
    public static Timeline read(Path path) {
        try (Recording r = open(path)) {
            return r.read(null);
        }
    }

    /**
     * Receives the samples and intervals of each thread (lane) as the recording is read, in the order of the file,
     * instead of the timeline keeping them: what a report of one window needs is then a sum per lane, not the
     * samples, whose number grows with the recording's length.
     */
    public interface Sink {
        /** An execution sample of lane {@code lane} (the recording's thread id) at {@code time}. */
        void cpu(long lane, long time);

        /** A wall-clock sample standing for {@code count} samples ending at {@code time}. */
        void wall(long lane, long time, int count, Timeline.State state);

        /** A park, monitor enter, wait or sleep. */
        void interval(long lane, Timeline.Interval interval);
    }

    /**
     * A JFR recording opened for its timeline: what its chunks' headers and settings say (its duration, its
     * sampling intervals), then readings of its events ({@link #read(Sink)}). The file stays open until
     * {@link #close}.
     */
    public static final class Recording implements AutoCloseable {
        private final Path path;
        private final JfrFile file;
        private final JfrProfileReader info;
        private final long durationNanos;
        private final long cpuIntervalNanos;
        private final long wallIntervalNanos;

        private Recording(Path path, JfrFile file) {
            this.path = path;
            this.file = file;
            this.info = new JfrProfileReader(path, file);
            this.durationNanos = Math.max(0, file.endNanos() - file.startNanos());
            this.cpuIntervalNanos = count(file, JfrProfileReader.EXECUTION_SAMPLE) > 0 ? info.intervalOf("cpu") : 0;
            this.wallIntervalNanos = count(file, JfrProfileReader.WALL_SAMPLE) > 0 ? info.intervalOf("wall") : 0;
        }

        public Path path() {
            return path;
        }

        /** How long the recording lasts, as {@link Timeline#durationNanos()}. */
        public long durationNanos() {
            return durationNanos;
        }

        public long cpuIntervalNanos() {
            return cpuIntervalNanos;
        }

        public long wallIntervalNanos() {
            return wallIntervalNanos;
        }

        /** {@link Timeline#notePhrase()} of the timeline this recording reads. */
        public Phrase notePhrase() {
            boolean jdk = false;
            for (String t : JDK_TYPES) {
                jdk |= file.hasType(t) && count(file, t) > 0;
            }
            return Timeline.notePhrase(jdk, info.engine());
        }

        /**
         * Reads the timeline. With a sink, each lane's samples and intervals go to it as they are read and the
         * timeline's lanes hold none (empty arrays and lists: their threads, lifetimes and the bands are all
         * there); without one ({@code null}) the lanes keep them all.
         */
        public Timeline read(Sink sink) {
            try {
                return new Run(path, file, info, sink).read(durationNanos, cpuIntervalNanos, wallIntervalNanos);
            } catch (OutOfMemoryError e) {
                throw ProfileReader.tooLarge(path, e);
            }
        }

        @Override
        public void close() {
            file.close();
        }
    }

    private static long count(JfrFile file, String type) {
        long n = 0;
        for (JfrFile.Chunk c : file.chunks) {
            n += c.count(type);
        }
        return n;
    }

    /** Opens a JFR recording to read its timeline. */
    public static Recording open(Path path) {
        try {
            return openOf(path);
        } catch (OutOfMemoryError e) {
            throw ProfileReader.tooLarge(path, e);
        }
    }

    private static Recording openOf(Path path) {
        if (Files.isDirectory(path)) {
            throw new ProfileException(path, "is a directory, not a JFR recording");
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
            if (head.position() < 4 || head.getInt(0) != JfrFile.MAGIC) {
                byte[] h = head.array();
                boolean pprof = (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b || (h[0] & 0xff) == 0x0a;
                throw new ProfileException(path, pprof
                        ? "a timeline needs a JFR recording (threads and time), not a pprof profile"
                        : "not a JFR recording: a timeline needs one");
            }
            kept = true; // the JFR file's from here (closed by it when it fails)
            JfrFile file = JfrFile.open(path, ch);
            try {
                return new Recording(path, file);
            } catch (RuntimeException e) {
                file.close();
                throw e;
            }
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

    // ---- one reading --------------------------------------------------------------------------------

    private static final class LaneBuilder {
        final long id;
        /** Where its samples and intervals go instead of the arrays below, or null. */
        final Sink sink;
        String name;
        long javaThreadId;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long started = -1;
        long ended = -1;
        long[] cpu = new long[0];
        int cpuCount;
        long[] wall = new long[0];
        int[] wallCounts = new int[0];
        Timeline.State[] wallStates = new Timeline.State[0];
        int wallCount;
        final List<Timeline.Interval> intervals = new ArrayList<>();

        LaneBuilder(long id, Sink sink) {
            this.id = id;
            this.sink = sink;
        }

        void seen(long t) {
            first = Math.min(first, t);
            last = Math.max(last, t);
        }

        void cpu(long t) {
            seen(t);
            if (sink != null) {
                sink.cpu(id, t);
                return;
            }
            if (cpuCount == cpu.length) {
                cpu = Arrays.copyOf(cpu, Math.max(16, cpu.length * 2));
            }
            cpu[cpuCount++] = t;
        }

        void wall(long t, int n, Timeline.State s) {
            seen(t);
            if (sink != null) {
                sink.wall(id, t, n, s);
                return;
            }
            if (wallCount == wall.length) {
                int len = Math.max(16, wall.length * 2);
                wall = Arrays.copyOf(wall, len);
                wallCounts = Arrays.copyOf(wallCounts, len);
                wallStates = Arrays.copyOf(wallStates, len);
            }
            wall[wallCount] = t;
            wallCounts[wallCount] = n;
            wallStates[wallCount++] = s;
        }

        void interval(Timeline.Interval iv) {
            seen(iv.start());
            seen(iv.end());
            if (sink != null) {
                sink.interval(id, iv);
            } else {
                intervals.add(iv);
            }
        }

        Timeline.Lane build(long duration) {
            long start = started >= 0 ? started : first;
            long end = ended >= 0 ? ended : last;
            start = Math.max(0, Math.min(start, duration));
            end = Math.max(start, Math.min(end, duration));
            long[] c = Arrays.copyOf(cpu, cpuCount);
            Arrays.sort(c);
            // wall samples sorted by time, keeping their counts and states
            Integer[] order = new Integer[wallCount];
            for (int i = 0; i < wallCount; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingLong(i -> wall[i]));
            long[] w = new long[wallCount];
            int[] wc = new int[wallCount];
            Timeline.State[] ws = new Timeline.State[wallCount];
            for (int i = 0; i < wallCount; i++) {
                w[i] = wall[order[i]];
                wc[i] = wallCounts[order[i]];
                ws[i] = wallStates[order[i]];
            }
            intervals.sort(Comparator.comparingLong(Timeline.Interval::start));
            return new Timeline.Lane(id, name == null ? "[tid=" + id + "]" : name, javaThreadId, start, end,
                    started >= 0, ended >= 0, c, w, wc, ws, List.copyOf(intervals));
        }
    }

    private record Pause(long gcId, String name, long start, long duration) {
    }

    private record Gc(String name, String cause, long start, long sumOfPauses) {
    }

    private static final class Safepoint {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        boolean begun;
        String operation;

        void cover(long s, long e) {
            start = Math.min(start, s);
            end = Math.max(end, e);
        }
    }

    private static final class Run {
        private final Path path;
        private final JfrFile file;
        private final JfrProfileReader info;
        private final Sink sink;
        private final long recordingStart;
        private final Map<Long, LaneBuilder> lanes = new LinkedHashMap<>();
        private final List<Pause> pauses = new ArrayList<>();
        private final Map<Long, Gc> gcs = new HashMap<>();
        private final Map<Long, Safepoint> safepoints = new TreeMap<>();
        private final Map<String, Long> counts = new LinkedHashMap<>();

        Run(Path path, JfrFile file, JfrProfileReader info, Sink sink) {
            this.path = path;
            this.file = file;
            this.info = info;
            this.sink = sink;
            this.recordingStart = file.startNanos();
        }

        Timeline read(long duration, long cpu, long wall) {
            for (JfrFile.Chunk chunk : file.chunks) {
                try {
                    readChunk(chunk);
                } catch (ProfileException e) {
                    throw e;
                } catch (RuntimeException | StackOverflowError e) {
                    throw new ProfileException(path, "corrupted JFR recording: chunk " + (chunk.index + 1) + ": "
                            + JfrFile.describe(e), e);
                }
            }
            List<Timeline.Lane> built = new ArrayList<>();
            for (LaneBuilder b : lanes.values()) {
                if (b.first != Long.MAX_VALUE || b.started >= 0 || b.ended >= 0) {
                    if (b.first == Long.MAX_VALUE) {
                        b.seen(b.started >= 0 ? b.started : b.ended);
                    }
                    built.add(b.build(duration));
                }
            }
            built.sort(Comparator.comparingLong(Timeline.Lane::start).thenComparingLong(Timeline.Lane::id));
            boolean jdk = false;
            for (String t : JDK_TYPES) {
                jdk |= file.hasType(t) && count(file, t) > 0;
            }
            Map<String, Long> c = new LinkedHashMap<>();
            for (String t : TYPES) {
                c.put(t, counts.getOrDefault(t, 0L));
            }
            return new Timeline(path, info.engine(), duration, cpu, wall, List.copyOf(built), bands(), jdk,
                    java.util.Collections.unmodifiableMap(c));
        }

        private List<Timeline.Band> bands() {
            List<Timeline.Band> out = new ArrayList<>();
            if (!pauses.isEmpty()) {
                for (Pause p : pauses) {
                    Gc gc = gcs.get(p.gcId());
                    String name = p.name() == null || p.name().isEmpty() ? "GC Pause" : p.name();
                    if (gc != null) {
                        name += " (" + join(gc.name(), gc.cause()) + ")";
                    }
                    out.add(new Timeline.Band(Timeline.Band.Kind.GC, name, p.start(), p.duration()));
                }
            } else {
                for (Gc gc : gcs.values()) {
                    if (gc.sumOfPauses() > 0) {
                        out.add(new Timeline.Band(Timeline.Band.Kind.GC, "GC " + join(gc.name(), gc.cause()),
                                gc.start(), gc.sumOfPauses()));
                    }
                }
            }
            safepoints.forEach((id, s) -> {
                if (s.begun && s.end >= s.start) {
                    out.add(new Timeline.Band(Timeline.Band.Kind.SAFEPOINT,
                            s.operation == null ? "safepoint " + id : s.operation, s.start, s.end - s.start));
                }
            });
            out.sort(Comparator.comparingLong(Timeline.Band::start).thenComparing(Timeline.Band::kind));
            return List.copyOf(out);
        }

        private static String join(String a, String b) {
            if (a == null || a.isEmpty()) {
                return b == null ? "" : b;
            }
            return b == null || b.isEmpty() ? a : a + ", " + b;
        }

        private LaneBuilder lane(long threadId, JfrConstants pools) {
            LaneBuilder b = lanes.computeIfAbsent(threadId, id -> new LaneBuilder(id, sink));
            JfrConstants.ThreadInfo t = pools.threadInfo(threadId);
            if (t != null && (b.name == null || t.name() != null)) {
                b.name = t.name();
                b.javaThreadId = t.javaThreadId();
            }
            return b;
        }

        private void readChunk(JfrFile.Chunk chunk) {
            JfrMetadata meta = chunk.meta;
            Map<Integer, Decoder> decoders = new HashMap<>();
            for (String t : TYPES) {
                JfrMetadata.Type type = meta.type(t);
                if (type != null && chunk.count(type.id) > 0) {
                    decoders.put((int) type.id, new Decoder(type, meta));
                }
            }
            if (decoders.isEmpty()) {
                return;
            }
            JfrConstants pools = JfrConstants.names(chunk);
            JfrFile.walk(chunk, (ch, type, c) -> {
                Decoder d = decoders.get(type);
                if (d == null) {
                    return;
                }
                Object[] v = d.read(c);
                counts.merge(d.type.name, 1L, Long::sum);
                long t = ch.epochNanos(d.longValue(v, d.startTime)) - recordingStart;
                long dur = ch.ticksToNanos(d.longValue(v, d.duration));
                switch (d.type.name) {
                    case JfrProfileReader.EXECUTION_SAMPLE -> lane(d.longValue(v, d.thread), pools).cpu(t);
                    case JfrProfileReader.WALL_SAMPLE -> {
                        String state = pools.constant(d.stateType, d.longValue(v, d.state));
                        long n = d.samples < 0 ? 1 : Math.max(1, d.longValue(v, d.samples));
                        lane(d.longValue(v, d.thread), pools).wall(t, (int) Math.min(n, Integer.MAX_VALUE),
                                state == null || state.contains("RUNNABLE") || state.contains("RUNNING")
                                        ? Timeline.State.RUNNING : Timeline.State.IDLE);
                    }
                    case JfrProfileReader.THREAD_PARK -> interval(d, v, pools, t, dur, Timeline.State.PARKED);
                    case JfrProfileReader.MONITOR_ENTER -> interval(d, v, pools, t, dur, Timeline.State.BLOCKED);
                    case MONITOR_WAIT -> interval(d, v, pools, t, dur, Timeline.State.WAITING);
                    case THREAD_SLEEP -> interval(d, v, pools, t, dur, Timeline.State.SLEEPING);
                    case THREAD_START -> {
                        LaneBuilder b = lane(d.longValue(v, d.thread), pools);
                        b.started = t;
                        b.seen(t);
                    }
                    case THREAD_END -> {
                        LaneBuilder b = lane(d.longValue(v, d.thread), pools);
                        b.ended = t;
                        b.seen(t);
                    }
                    case GC_PHASE_PAUSE -> pauses.add(new Pause(d.longValue(v, d.gcId),
                            d.string(v, d.name, pools), t, dur));
                    case GARBAGE_COLLECTION -> gcs.put(d.longValue(v, d.gcId), new Gc(d.string(v, d.name, pools),
                            d.string(v, d.cause, pools), t, ch.ticksToNanos(d.longValue(v, d.sumOfPauses))));
                    case SAFEPOINT_BEGIN -> {
                        Safepoint s = safepoints.computeIfAbsent(d.longValue(v, d.safepointId), k -> new Safepoint());
                        s.begun = true;
                        s.cover(t, t + dur);
                    }
                    case SAFEPOINT_END -> safepoints.computeIfAbsent(d.longValue(v, d.safepointId),
                            k -> new Safepoint()).cover(t, t + dur);
                    case VM_OPERATION -> {
                        if (d.safepoint >= 0 && d.longValue(v, d.safepoint) != 0) {
                            Safepoint s = safepoints.computeIfAbsent(d.longValue(v, d.safepointId),
                                    k -> new Safepoint());
                            s.cover(t, t + dur);
                            s.operation = d.string(v, d.operation, pools);
                        }
                    }
                    default -> {
                    }
                }
            });
        }

        private void interval(Decoder d, Object[] v, JfrConstants pools, long t, long dur, Timeline.State state) {
            lane(d.longValue(v, d.thread), pools).interval(new Timeline.Interval(t, t + dur, state));
        }
    }

    /** Decodes the fields of one event type up to the last one the timeline uses. */
    private static final class Decoder {
        final JfrMetadata.Type type;
        final JfrMetadata meta;
        final int startTime;
        final int duration;
        final int thread;
        final int state;
        final String stateType;
        final int samples;
        final int gcId;
        final int name;
        final int cause;
        final int sumOfPauses;
        final int safepointId;
        final int safepoint;
        final int operation;
        final int last;

        /**
         * The positions below are in {@link JfrMetadata.Type#data} (the fields that take bytes), so that
         * decoding an event costs what its fields hold, not how many the metadata declares.
         */
        Decoder(JfrMetadata.Type type, JfrMetadata meta) {
            this.type = type;
            this.meta = meta;
            startTime = data(type.fieldIndex("startTime"));
            duration = data(type.fieldIndex("duration"));
            int th = switch (type.name) {
                case THREAD_START, THREAD_END -> type.fieldIndex("thread");
                default -> type.fieldIndex("sampledThread");
            };
            thread = data(th >= 0 ? th : type.fieldIndex("eventThread"));
            state = type.name.equals(JfrProfileReader.WALL_SAMPLE) ? data(type.fieldIndex("state")) : -1;
            JfrMetadata.Type st = state < 0 ? null : meta.type(type.data[state].typeId());
            stateType = st == null ? null : st.name;
            samples = type.name.equals(JfrProfileReader.WALL_SAMPLE) ? data(type.fieldIndex("samples")) : -1;
            gcId = data(type.fieldIndex("gcId"));
            name = type.name.equals(GC_PHASE_PAUSE) || type.name.equals(GARBAGE_COLLECTION)
                    ? data(type.fieldIndex("name")) : -1;
            cause = type.name.equals(GARBAGE_COLLECTION) ? data(type.fieldIndex("cause")) : -1;
            sumOfPauses = type.name.equals(GARBAGE_COLLECTION) ? data(type.fieldIndex("sumOfPauses")) : -1;
            safepointId = data(type.fieldIndex("safepointId"));
            safepoint = type.name.equals(VM_OPERATION) ? data(type.fieldIndex("safepoint")) : -1;
            operation = type.name.equals(VM_OPERATION) ? data(type.fieldIndex("operation")) : -1;
            int l = -1;
            for (int i : new int[] {startTime, duration, thread, state, samples, gcId, name, cause, sumOfPauses,
                    safepointId, safepoint, operation}) {
                l = Math.max(l, i);
            }
            last = l;
        }

        /** The position of a field (an index of {@code type.fields}) among the fields that take bytes, or -1. */
        private int data(int field) {
            int k = field < 0 ? -1 : Arrays.binarySearch(type.dataIndex, field);
            return Math.max(k, -1);
        }

        Object[] read(JfrCursor c) {
            Object[] v = new Object[last + 1];
            for (int k = 0; k <= last; k++) {
                v[k] = meta.value(c, type.data[k]);
            }
            return v;
        }

        long longValue(Object[] v, int i) {
            return i >= 0 && v[i] instanceof Long l ? l : 0;
        }

        /** A string field, inline or by reference into a constant pool (GC names, VM operations). */
        String string(Object[] v, int i, JfrConstants pools) {
            if (i < 0) {
                return null;
            }
            if (v[i] instanceof String s) {
                return s;
            }
            JfrMetadata.Field f = type.data[i];
            if (f.constantPool() && v[i] instanceof Long id) {
                JfrMetadata.Type t = meta.type(f.typeId());
                return t == null ? null : pools.constant(t.name, id);
            }
            return null;
        }
    }
}
