package dev.proflab.profile;


import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one event of a JFR recording, of async-profiler or of JDK Flight Recorder, into a
 * {@link Profile}: per chunk, the constant pools ({@link JfrConstants}) and then the events of the
 * chosen types, decoded field by field from the chunk's metadata ({@link JfrMetadata.Layout}), so
 * that each JFR event type stays apart (async-profiler's {@code one.jfr.JfrReader}, the reference
 * the tests compare with, merges {@code jdk.ExecutionSample} with {@code jdk.NativeMethodSample},
 * {@code jdk.JavaMonitorEnter} with {@code jdk.ThreadPark}, and cannot tell them apart afterwards).
 * Values follow async-profiler's converter: an allocation weighs its TLAB size or its sampled
 * weight, a lock its duration, a wall-clock sample its batched sample count.
 */
final class JfrProfileReader {

    /** How the samples of an event turn into values. */
    enum Kind { SAMPLE, ALLOC, LIVE, LOCK }

    /** An event as users name it and the JFR types behind it. */
    record Def(String name, Kind kind, List<String> types) {
    }

    static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
    static final String CPU_TIME_SAMPLE = "jdk.CPUTimeSample";
    static final String WALL_SAMPLE = "profiler.WallClockSample";
    static final String NATIVE_SAMPLE = "jdk.NativeMethodSample";
    static final String IN_NEW_TLAB = "jdk.ObjectAllocationInNewTLAB";
    static final String OUTSIDE_TLAB = "jdk.ObjectAllocationOutsideTLAB";
    static final String ALLOCATION_SAMPLE = "jdk.ObjectAllocationSample";
    static final String LIVE_OBJECT = "profiler.LiveObject";
    static final String MONITOR_ENTER = "jdk.JavaMonitorEnter";
    static final String THREAD_PARK = "jdk.ThreadPark";

    /** Every event in the order a default is chosen. */
    static final List<Def> DEFS = List.of(
            new Def("cpu", Kind.SAMPLE, List.of(EXECUTION_SAMPLE)),
            new Def("cpu-time", Kind.SAMPLE, List.of(CPU_TIME_SAMPLE)),
            new Def("wall", Kind.SAMPLE, List.of(WALL_SAMPLE)),
            new Def("alloc", Kind.ALLOC, List.of(IN_NEW_TLAB, OUTSIDE_TLAB, ALLOCATION_SAMPLE)),
            new Def("live", Kind.LIVE, List.of(LIVE_OBJECT)),
            new Def("lock", Kind.LOCK, List.of(MONITOR_ENTER, THREAD_PARK)),
            new Def("monitor", Kind.LOCK, List.of(MONITOR_ENTER)),
            new Def("park", Kind.LOCK, List.of(THREAD_PARK)),
            new Def("native", Kind.SAMPLE, List.of(NATIVE_SAMPLE)));

    /** async-profiler's events whose samples measure time (interval in ns). */
    private static final List<String> TIME_EVENTS = List.of("cpu", "itimer", "ctimer", "cpu-clock", "wall");

    // slots of the decoded fields
    private static final int TIME = 0;
    private static final int THREAD = 1;
    private static final int STACK = 2;
    private static final int CLASS = 3;
    private static final int SIZE = 4;
    private static final int TLAB = 5;
    private static final int WEIGHT = 6;
    private static final int DURATION = 7;
    private static final int SAMPLES = 8;
    private static final int PERIOD = 9;
    private static final int FAILED = 10;
    private static final int SLOTS = 11;

    private static final long DEFAULT_CPU_INTERVAL = 10_000_000;
    private static final long DEFAULT_WALL_INTERVAL = 50_000_000;

    private final Path path;
    private final JfrFile file;
    private final String engine;
    /** async-profiler's settings (one namespace), last value wins. */
    private final Map<String, String> profilerSettings = new LinkedHashMap<>();
    /** JDK Flight Recorder's settings per event type, first value wins. */
    private final Map<String, Map<String, String>> typeSettings = new HashMap<>();
    private String jvmVersion = "";
    private String command = "";

    JfrProfileReader(Path path, JfrFile file) {
        this.path = path;
        this.file = file;
        this.engine = file.hasType("profiler.Window") || file.hasType(WALL_SAMPLE) || file.hasType(LIVE_OBJECT)
                ? "async-profiler" : "jfr";
        try {
            for (JfrFile.Chunk c : file.chunks) {
                readInfo(c);
            }
        } catch (ProfileException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new ProfileException(path, "corrupted JFR recording: " + JfrFile.describe(e), e);
        }
    }

    String engine() {
        return engine;
    }

    /** The sampling interval of an event as users name it (ns for cpu and wall), 0 if unknown; for the timeline. */
    long intervalOf(String event) {
        Def d = def(event);
        return d == null ? 0 : interval(d);
    }

    private void readInfo(JfrFile.Chunk chunk) {
        JfrMetadata.Type setting = chunk.meta.type("jdk.ActiveSetting");
        JfrMetadata.Type jvm = chunk.meta.type("jdk.JVMInformation");
        JfrCursor c = new JfrCursor(chunk.buf, 0);
        for (int pos : chunk.infoRecords) {
            c.seek(pos);
            c.varint();
            long type = c.varint();
            JfrMetadata.Type t = setting != null && type == setting.id ? setting : jvm;
            Map<String, Object> fields = new HashMap<>();
            for (JfrMetadata.Field f : t.data) {
                fields.put(f.name(), chunk.meta.value(c, f));
            }
            if (t == setting) {
                Object name = fields.get("name");
                Object value = fields.get("value");
                if (name instanceof String n && value instanceof String v) {
                    if (engine.equals("async-profiler")) {
                        profilerSettings.put(n, v);
                    } else if (fields.get("id") instanceof Long id) {
                        JfrMetadata.Type of = chunk.meta.type(id);
                        if (of != null) {
                            typeSettings.computeIfAbsent(of.name, k -> new HashMap<>()).putIfAbsent(n, v);
                        }
                    }
                }
            } else {
                if (fields.get("jvmVersion") instanceof String v && jvmVersion.isEmpty()) {
                    // "OpenJDK 64-Bit Server VM (25.0.3+9-LTS) for linux-amd64 JRE (...)" -> 25.0.3+9-LTS
                    Matcher m = Pattern.compile("\\(([^)\\s]+)\\)").matcher(v);
                    jvmVersion = m.find() ? m.group(1) : v;
                }
                if (fields.get("javaArguments") instanceof String a && command.isEmpty()) {
                    command = a;
                }
            }
        }
    }

    // ---- events ---------------------------------------------------------------------------------

    /** The JFR types one event reads in this file (alloc: TLAB events when present, else samples). */
    List<String> typesOf(Def def) {
        if (def.kind() == Kind.ALLOC) {
            if (count(List.of(IN_NEW_TLAB, OUTSIDE_TLAB)) > 0) {
                return List.of(IN_NEW_TLAB, OUTSIDE_TLAB);
            }
            return List.of(ALLOCATION_SAMPLE);
        }
        return def.types();
    }

    long count(List<String> types) {
        long n = 0;
        for (JfrFile.Chunk c : file.chunks) {
            for (String t : types) {
                n += c.count(t);
            }
        }
        return n;
    }

    List<EventInfo> events() {
        List<EventInfo> out = new ArrayList<>();
        boolean bothLocks = count(List.of(MONITOR_ENTER)) > 0 && count(List.of(THREAD_PARK)) > 0;
        for (Def d : DEFS) {
            if ((d.name().equals("monitor") || d.name().equals("park")) && !bothLocks) {
                continue;
            }
            List<String> types = typesOf(d);
            List<String> present = new ArrayList<>();
            for (String t : types) {
                if (count(List.of(t)) > 0) {
                    present.add(t);
                }
            }
            long n = count(types);
            if (n > 0) {
                out.add(new EventInfo(d.name(), n, present, detail(d)));
            }
        }
        return out;
    }

    static Def def(String event) {
        String e = event.strip().toLowerCase(Locale.ROOT);
        e = switch (e) {
            case "itimer", "ctimer", "cpu-clock", "cpu_clock", "execution" -> "cpu";
            case "cputime", "cpu_time", "cpu-time-sample" -> "cpu-time";
            case "allocation", "allocations", "heap-alloc" -> "alloc";
            case "heap", "inuse" -> "live";
            case "contention", "contentions", "locks" -> "lock";
            default -> e;
        };
        for (Def d : DEFS) {
            if (d.name().equals(e)) {
                return d;
            }
        }
        return null;
    }

    /** The interval of an event in its unit (ns for time, bytes for alloc), 0 if unknown. */
    private long interval(Def d) {
        switch (d.name()) {
            case "cpu":
                if (engine.equals("async-profiler")) {
                    String ev = profilerSettings.getOrDefault("event", "cpu");
                    long i = number(profilerSettings.get("interval"));
                    if (TIME_EVENTS.contains(ev)) {
                        return i > 0 ? i : DEFAULT_CPU_INTERVAL;
                    }
                    return i;
                }
                return period(EXECUTION_SAMPLE, "period");
            case "cpu-time": {
                long p = period(CPU_TIME_SAMPLE, "throttle");
                return p > 0 ? p : period(CPU_TIME_SAMPLE, "period");
            }
            case "wall": {
                long w = number(profilerSettings.get("wall"));
                if (w > 0) {
                    return w;
                }
                if ("wall".equals(profilerSettings.get("event"))) {
                    long i = number(profilerSettings.get("interval"));
                    return i > 0 ? i : DEFAULT_WALL_INTERVAL;
                }
                return profilerSettings.containsKey("wall") ? DEFAULT_WALL_INTERVAL : 0;
            }
            case "native":
                return period(NATIVE_SAMPLE, "period");
            case "alloc", "live": {
                long a = number(profilerSettings.get("alloc"));
                if (a <= 0 && "alloc".equals(profilerSettings.get("event"))) {
                    a = number(profilerSettings.get("interval"));
                }
                return Math.max(a, 0);
            }
            default: {
                long l = number(profilerSettings.get("lock"));
                if (l <= 0 && "lock".equals(profilerSettings.get("event"))) {
                    l = number(profilerSettings.get("interval"));
                }
                if (l > 0 || engine.equals("async-profiler")) {
                    return Math.max(l, 0);
                }
                return period(MONITOR_ENTER, "threshold");
            }
        }
    }

    /** The name the recording gives the event: async-profiler's {@code event=itimer} is "itimer". */
    private String eventName(Def d) {
        if (d.name().equals("cpu") && engine.equals("async-profiler")) {
            String ev = profilerSettings.get("event");
            if (ev != null && !ev.isBlank() && !List.of("alloc", "lock", "wall", "live", "nativemem").contains(ev)) {
                return ev;
            }
        }
        return d.name();
    }

    private boolean measuresTime(Def d) {
        return switch (d.name()) {
            case "cpu" -> !engine.equals("async-profiler") || TIME_EVENTS.contains(eventName(d));
            case "cpu-time" -> true;
            default -> interval(d) > 0;
        };
    }

    private String detail(Def d) {
        StringBuilder sb = new StringBuilder();
        if (engine.equals("async-profiler")) {
            String ev = eventName(d);
            if (d.name().equals("cpu")) {
                sb.append("event=").append(ev);
                String e = profilerSettings.get("engine");
                if (e != null && !e.isBlank() && !e.equals(ev)) {
                    sb.append(" (").append(e).append(')');
                }
            }
        } else {
            sb.append(String.join("+", typesOf(d)));
        }
        long i = interval(d);
        if (i > 0) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            switch (d.kind()) {
                case ALLOC, LIVE -> sb.append("interval ").append(Quantities.bytes(i));
                case LOCK -> sb.append("threshold ").append(Quantities.nanos(i));
                default -> sb.append(measuresTime(d) ? "interval " + Quantities.nanos(i) : "interval " + i);
            }
        }
        return sb.toString();
    }

    private long period(String type, String setting) {
        Map<String, String> s = typeSettings.get(type);
        return s == null ? 0 : parseDuration(s.get(setting));
    }

    private static final Pattern DURATION_TEXT = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|min|h)\\s*");

    /** JFR's setting values for time: "20 ms", "10ms", "1 s"; 0 for anything else ("150/s", "endChunk"). */
    static long parseDuration(String text) {
        if (text == null) {
            return 0;
        }
        Matcher m = DURATION_TEXT.matcher(text);
        if (!m.matches()) {
            return 0;
        }
        double v = Double.parseDouble(m.group(1));
        double unit = switch (m.group(2)) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m", "min" -> 60e9;
            default -> 3600e9;
        };
        return (long) (v * unit);
    }

    private static long number(String s) {
        if (s == null) {
            return 0;
        }
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // ---- reading --------------------------------------------------------------------------------

    /** The samples of {@code def}; {@code emptyRange}: a time range without samples is no error, but an empty profile. */
    Profile read(Def def, String userEvent, ReadOptions options, boolean emptyRange) {
        List<String> types = typesOf(def);
        long n = count(types);
        if (n == 0) {
            List<EventInfo> there = events();
            throw new ProfileException(path, "no " + userEvent + " samples in this recording ("
                    + String.join(", ", types) + "); it has "
                    + (there.isEmpty() ? "no samples of any event proflab reads" : there.toString()
                    .replaceAll("[\\[\\]]", "")));
        }
        boolean time = measuresTime(def);
        long interval = interval(def);
        List<ValueType> valueTypes = switch (def.kind()) {
            case SAMPLE -> time
                    ? List.of(new ValueType("samples", "count"),
                    new ValueType(def.name().equals("wall") || def.name().equals("native") ? "wall" : "cpu", "nanoseconds"))
                    : List.of(new ValueType("samples", "count"));
            // the same types for every engine; JFR's ObjectAllocationSample counts sampled objects (1 each)
            case ALLOC -> List.of(new ValueType("alloc_objects", "count"), new ValueType("alloc_space", "bytes"));
            case LIVE -> List.of(new ValueType("inuse_objects", "count"), new ValueType("inuse_space", "bytes"));
            case LOCK -> List.of(new ValueType("contentions", "count"), new ValueType("delay", "nanoseconds"));
        };
        long start = file.startNanos();
        long end = file.endNanos();
        Profile.Meta meta = new Profile.Meta(engine, eventName(def), interval,
                Instant.ofEpochSecond(0, start), Duration.ofNanos(Math.max(0, end - start)),
                jvmVersion.isEmpty() ? profilerSettings.getOrDefault("jdk", "") : jvmVersion, command, path.toString());
        Profile.Builder b = new Profile.Builder(meta, valueTypes);
        if (options.sampleIndex() != null && !options.sampleIndex().isBlank()) {
            int i = ValueType.indexOf(valueTypes, options.sampleIndex());
            if (i < 0) {
                throw new ProfileException(path, "sample index '" + options.sampleIndex() + "' does not fit event "
                        + def.name() + ": it has " + valueTypes.stream().map(ValueType::type).toList()
                        .toString().replaceAll("[\\[\\]]", ""));
            }
            b.defaultValueIndex(i);
        }
        Sink sink = new Sink(b, valueTypes.size(), options.aggregate());
        for (JfrFile.Chunk chunk : file.chunks) {
            try {
                readChunk(chunk, def, types, time, interval, start, options, sink);
            } catch (ProfileException e) {
                throw e;
            } catch (RuntimeException | StackOverflowError e) {
                throw new ProfileException(path, "corrupted JFR recording: chunk " + (chunk.index + 1) + ": "
                        + JfrFile.describe(e), e);
            }
        }
        if (b.sampleCount() == 0 && options.hasTimeRange() && !emptyRange) {
            throw new ProfileException(path, "no " + userEvent + " samples from " + Quantities.nanos(options.fromNanos())
                    + (options.toNanos() == Long.MAX_VALUE ? " to the end" : " to " + Quantities.nanos(options.toNanos()))
                    + " (the recording lasts " + Quantities.nanos(Math.max(0, end - start)) + ")");
        }
        return b.build();
    }

    private void readChunk(JfrFile.Chunk chunk, Def def, List<String> types, boolean time, long interval,
                           long recordingStart, ReadOptions options, Sink sink) {
        JfrMetadata meta = chunk.meta;
        // type id -> layout; -1 marks a TLAB event to tell it from the others
        Map<Long, JfrMetadata.Layout> layouts = new HashMap<>();
        long inNewTlab = -1;
        long allocSample = -1;
        for (String t : types) {
            JfrMetadata.Type type = meta.type(t);
            if (type == null || chunk.count(type.id) == 0) {
                continue;
            }
            layouts.put(type.id, meta.new Layout(type, slotsOf(type)));
            if (t.equals(IN_NEW_TLAB)) {
                inNewTlab = type.id;
            } else if (t.equals(ALLOCATION_SAMPLE)) {
                allocSample = type.id;
            }
        }
        if (layouts.isEmpty()) {
            return;
        }
        JfrConstants pools = JfrConstants.read(chunk, sink.builder);
        Resolver resolver = new Resolver(pools, sink.builder, options.classFrames() && def.kind() != Kind.SAMPLE, path,
                PprofReader.FRAME_FLOOR + PprofReader.FRAMES_PER_BYTE * file.fileSize);
        long[] slot = new long[SLOTS];
        long[] values = new long[sink.width];
        int[] typeIds = new int[layouts.size()];
        JfrMetadata.Layout[] byIndex = new JfrMetadata.Layout[layouts.size()];
        int k = 0;
        for (Map.Entry<Long, JfrMetadata.Layout> e : layouts.entrySet()) {
            typeIds[k] = (int) (long) e.getKey();
            byIndex[k++] = e.getValue();
        }
        final long tlabType = inNewTlab;
        final long sampleType = allocSample;
        final boolean cpuTime = def.name().equals("cpu-time");
        JfrFile.walk(chunk, (ch, type, c) -> {
            JfrMetadata.Layout layout = null;
            for (int i = 0; i < typeIds.length; i++) {
                if (typeIds[i] == type) {
                    layout = byIndex[i];
                    break;
                }
            }
            if (layout == null) {
                return;
            }
            Arrays.fill(slot, 0);
            slot[SAMPLES] = 1;
            layout.read(c, slot);
            if (slot[FAILED] != 0) {
                slot[STACK] = 0; // JDK 25 CPU-time samples whose stack walk failed: time without a stack
            }
            long t = ch.epochNanos(slot[TIME]) - recordingStart;
            if (!options.inRange(t)) {
                return;
            }
            switch (def.kind()) {
                case SAMPLE -> {
                    long n = slot[SAMPLES];
                    values[0] = n;
                    if (time) {
                        long p = cpuTime && slot[PERIOD] > 0 ? slot[PERIOD] : interval;
                        values[1] = n * p;
                    }
                }
                case ALLOC -> {
                    long size = slot[SIZE];
                    long bytes;
                    long objects = 1;
                    if (type == tlabType) {
                        bytes = slot[TLAB] != 0 ? slot[TLAB] : size;
                        if (size > 0) {
                            objects = Math.max(1, Math.round((double) bytes / size));
                        }
                    } else if (type == sampleType) {
                        bytes = slot[WEIGHT];
                    } else {
                        bytes = size;
                    }
                    values[0] = objects;
                    values[1] = bytes;
                }
                case LIVE -> {
                    // a sampled object stands for the bytes sampled with it: size / (1 - e^(-size/interval)),
                    // as pprof scales Go's heap samples (async-profiler records only the object's size)
                    long size = slot[SIZE];
                    if (interval > 0 && size > 0) {
                        double w = size / -Math.expm1(-(double) size / interval);
                        values[0] = Math.max(1, Math.round(w / size));
                        values[1] = Math.round(w);
                    } else {
                        values[0] = 1;
                        values[1] = size;
                    }
                }
                case LOCK -> {
                    values[0] = 1;
                    values[1] = ch.ticksToNanos(slot[DURATION]);
                }
            }
            int stack = resolver.stack(slot[STACK], slot[CLASS]);
            int thread = resolver.thread(slot[THREAD]);
            sink.add(stack, thread, t, values);
        });
    }

    private static Map<String, Integer> slotsOf(JfrMetadata.Type type) {
        Map<String, Integer> m = new HashMap<>();
        m.put("startTime", TIME);
        m.put(type.fieldIndex("sampledThread") >= 0 ? "sampledThread" : "eventThread", THREAD);
        m.put("stackTrace", STACK);
        m.put("objectClass", CLASS);
        m.put("monitorClass", CLASS);
        m.put("parkedClass", CLASS);
        m.put("allocationSize", SIZE);
        m.put("tlabSize", TLAB);
        m.put("weight", WEIGHT);
        m.put("duration", DURATION);
        m.put("samples", SAMPLES);
        m.put("samplingPeriod", PERIOD);
        m.put("failed", FAILED);
        return m;
    }

    /**
     * Adds samples to the builder, merging equal (stack, thread) pairs when aggregating. The rows of a stack are
     * a chain (its first row, then per row the next of the same stack): 4 bytes a row and a stack, where a map
     * of (stack, thread) pairs took 24 a row. A stack's chain holds at most {@value #CHAIN} rows; the rows of
     * its further threads go to a map, so that no file can make a lookup walk more than that.
     */
    private static final class Sink {
        static final int CHAIN = 16;
        final Profile.Builder builder;
        final int width;
        private final boolean aggregate;
        /** Per stack id: its first row (+1; 0: none). */
        private int[] first = new int[1024];
        /** Per row: the next row of its stack (+1; 0: none). */
        private int[] next = new int[1024];
        /** The rows of stacks past their chain's {@value #CHAIN}: (stack, thread) -> row. */
        private LongIntMap others;

        Sink(Profile.Builder builder, int width, boolean aggregate) {
            this.builder = builder;
            this.width = width;
            this.aggregate = aggregate;
        }

        void add(int stack, int thread, long time, long[] v) {
            if (!aggregate) {
                builder.sample(stack, thread, time, v);
                return;
            }
            if (stack >= first.length) {
                first = Arrays.copyOf(first, Math.max(stack + 1, first.length + (first.length >> 1)));
            }
            int row = first[stack] - 1;
            if (row < 0) {
                first[stack] = newRow(stack, thread, time, v) + 1;
                return;
            }
            int walked = 1;
            while (true) {
                if (builder.threadOf(row) == thread) {
                    builder.addTo(row, time, v);
                    return;
                }
                int after = next[row] - 1;
                if (after < 0) {
                    break;
                }
                row = after;
                walked++;
            }
            if (walked < CHAIN) {
                next[row] = newRow(stack, thread, time, v) + 1;
                return;
            }
            long key = (long) stack << 32 | (thread & 0xffffffffL);
            if (others == null) {
                others = new LongIntMap(256);
            }
            int i = others.get(key);
            if (i < 0) {
                others.put(key, newRow(stack, thread, time, v));
            } else {
                builder.addTo(i, time, v);
            }
        }

        private int newRow(int stack, int thread, long time, long[] v) {
            int row = builder.sampleCount();
            if (row >= next.length) {
                next = Arrays.copyOf(next, Math.max(row + 1, next.length + (next.length >> 1)));
            }
            builder.sample(stack, thread, time, v);
            return row;
        }
    }

    /** Turns one chunk's stack trace, class and thread ids into the builder's interned ids. */
    private static final class Resolver {
        private final JfrConstants pools;
        private final Profile.Builder b;
        private final boolean classFrames;
        private final LongIntMap withClass;
        private final LongIntMap classFrameIds;
        private final LongIntMap threads = new LongIntMap(64);
        private final Path path;
        /** The most frames the stacks with a class frame may copy, together: each (stack, class) pair is a new stack. */
        private final long budget;
        private long copied;

        Resolver(JfrConstants pools, Profile.Builder b, boolean classFrames, Path path, long budget) {
            this.pools = pools;
            this.b = b;
            this.classFrames = classFrames;
            this.path = path;
            this.budget = budget;
            this.withClass = classFrames ? new LongIntMap(256) : null;
            this.classFrameIds = classFrames ? new LongIntMap(64) : null;
        }

        int thread(long id) {
            int t = threads.get(id);
            if (t < 0) {
                String name = id == 0 ? null : pools.thread(id);
                t = b.thread(name != null ? name : "[tid=" + id + "]");
                threads.put(id, t);
            }
            return t;
        }

        int stack(long stackId, long classId) {
            int s = pools.stack(stackId);
            if (!classFrames || classId == 0) {
                return s;
            }
            int frame = classFrameIds.get(classId);
            if (frame < 0) {
                String name = pools.className(classId);
                frame = b.frame(new Frame("", name == null ? "[unknown class]" : name, "", 0, Frame.Kind.UNKNOWN));
                classFrameIds.put(classId, frame);
            }
            // by frame, not class id: ids without a class in the pools are all "[unknown class]"
            long key = (long) s << 32 | (frame & 0xffffffffL);
            int w = withClass.get(key);
            if (w < 0) {
                int[] base = b.stackFrames(s);
                copied += base.length + 1;
                if (copied > budget) {
                    throw new ProfileException(path, "its stacks with the allocated or locked class add up to more than "
                            + budget + " frames (" + PprofReader.FRAMES_PER_BYTE + " per byte of the recording, plus "
                            + PprofReader.FRAME_FLOOR + "): not a recording proflab reads with class frames");
                }
                int[] ids = new int[base.length + 1];
                ids[0] = frame;
                System.arraycopy(base, 0, ids, 1, base.length);
                w = b.stack(ids);
                withClass.put(key, w);
            }
            return w;
        }
    }

    private static final Pattern HIDDEN = Pattern.compile("(\\$\\$Lambda)(?:\\$\\d+)?(?:[/+.]0x[0-9a-fA-F]+)?(?:/\\d+)?"
            + "|[/+]0x[0-9a-fA-F]+(?:/\\d+)?$");

    /** {@code Foo$$Lambda/0x0000012345} and {@code Foo$$Lambda$14/0x...} -> {@code Foo$$Lambda}. */
    static String normalizeHidden(String name) {
        if (name.indexOf("0x") < 0 && name.indexOf("$$Lambda") < 0) {
            return name;
        }
        return HIDDEN.matcher(name).replaceAll("$1");
    }

    /** A class name as JFR stores it (internal or descriptor form, arrays) as Java writes it: {@code byte[]}. */
    static String typeName(String s) {
        int dims = 0;
        while (dims < s.length() && s.charAt(dims) == '[') {
            dims++;
        }
        String base;
        if (dims == 0) {
            base = s;
        } else {
            String rest = s.substring(dims);
            base = switch (rest) {
                case "B" -> "byte";
                case "C" -> "char";
                case "S" -> "short";
                case "I" -> "int";
                case "J" -> "long";
                case "Z" -> "boolean";
                case "F" -> "float";
                case "D" -> "double";
                default -> rest.startsWith("L") && rest.endsWith(";") ? rest.substring(1, rest.length() - 1) : rest;
            };
        }
        return normalizeHidden(base).replace('/', '.') + "[]".repeat(dims);
    }
}
