package dev.proflab.profile;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads pprof's profile.proto (already gunzipped) into a {@link Profile}: a small hand-written
 * decoder of the few messages a profile has (no protoc, no dependency). Only reads; writing pprof is
 * {@code dev.proflab.export}'s job.
 */
final class PprofReader {

    /** A decoding error: the data is not (valid) protobuf. */
    static final class BadProto extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadProto(String m) {
            super(m);
        }
    }

    private record Line(long function, long line) {
    }

    private record Function(long nameIndex, long systemNameIndex, long fileIndex) {
    }

    private record Sample(long[] locations, long[] values, long[] labels) {
    }

    private static final long[] NO_LABELS = new long[0];

    private final Path path;
    private final List<String> strings = new ArrayList<>();
    private final List<long[]> sampleTypes = new ArrayList<>();
    private final List<Sample> samples = new ArrayList<>();
    private final Map<Long, Line[]> locations = new HashMap<>();
    private final Map<Long, Function> functions = new HashMap<>();
    private final List<Long> comments = new ArrayList<>();
    private long timeNanos;
    private long durationNanos;
    private long[] periodType;
    private long period;
    private long defaultSampleType;
    private final List<Long> mappingFiles = new ArrayList<>();

    private PprofReader(Path path) {
        this.path = path;
    }

    /** Decodes a profile; throws {@link BadProto} when the bytes are not a pprof profile. */
    static PprofReader decode(Path path, byte[] data) {
        PprofReader r = new PprofReader(path);
        r.profile(new Proto(data, 0, data.length));
        if (r.strings.isEmpty() || !r.strings.get(0).isEmpty()) {
            throw new BadProto("its string table does not start with the empty string");
        }
        if (r.sampleTypes.isEmpty()) {
            throw new BadProto("it has no sample types");
        }
        return r;
    }

    // ---- protobuf wire format ---------------------------------------------------------------------

    private static final class Proto {
        final byte[] b;
        int pos;
        final int end;

        Proto(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long r = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new BadProto("truncated varint");
                }
                byte x = b[pos++];
                r |= (long) (x & 0x7f) << shift;
                if (x >= 0) {
                    return r;
                }
            }
            throw new BadProto("varint too long");
        }

        Proto message() {
            long n = varint();
            if (n < 0 || n > end - pos) {
                throw new BadProto("field length " + n + " past the end");
            }
            Proto p = new Proto(b, pos, pos + (int) n);
            pos += (int) n;
            return p;
        }

        String string() {
            Proto p = message();
            return new String(b, p.pos, p.end - p.pos, java.nio.charset.StandardCharsets.UTF_8);
        }

        void skip(int wire) {
            switch (wire) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> message();
                case 5 -> advance(4);
                default -> throw new BadProto("unsupported wire type " + wire);
            }
        }

        private void advance(int n) {
            if (end - pos < n) {
                throw new BadProto("truncated field");
            }
            pos += n;
        }

        /** A repeated integer field, packed (wire type 2) or not (0): appends to {@code out}. */
        void repeated(int wire, LongList out) {
            if (wire == 2) {
                Proto p = message();
                while (p.more()) {
                    out.add(p.varint());
                }
            } else if (wire == 0) {
                out.add(varint());
            } else {
                throw new BadProto("bad wire type " + wire + " for a repeated integer");
            }
        }
    }

    private static final class LongList {
        long[] a = new long[8];
        int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    private void profile(Proto p) {
        while (p.more()) {
            long tag = p.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (field) {
                case 1 -> sampleTypes.add(valueType(p.message()));
                case 2 -> samples.add(sample(p.message()));
                case 3 -> mapping(p.message());
                case 4 -> location(p.message());
                case 5 -> function(p.message());
                case 6 -> strings.add(p.string());
                case 9 -> timeNanos = p.varint();
                case 10 -> durationNanos = p.varint();
                case 11 -> periodType = valueType(p.message());
                case 12 -> period = p.varint();
                case 13 -> {
                    LongList l = new LongList();
                    p.repeated(wire, l);
                    for (long c : l.toArray()) {
                        comments.add(c);
                    }
                }
                case 14 -> defaultSampleType = p.varint();
                default -> p.skip(wire);
            }
        }
    }

    private static long[] valueType(Proto p) {
        long[] t = new long[2];
        while (p.more()) {
            long tag = p.varint();
            int field = (int) (tag >>> 3);
            if (field == 1 || field == 2) {
                t[field - 1] = p.varint();
            } else {
                p.skip((int) (tag & 7));
            }
        }
        return t;
    }

    private Sample sample(Proto p) {
        LongList locs = new LongList();
        LongList values = new LongList();
        LongList labels = new LongList();
        while (p.more()) {
            long tag = p.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (field) {
                case 1 -> p.repeated(wire, locs);
                case 2 -> p.repeated(wire, values);
                case 3 -> {
                    long[] label = label(p.message());
                    if (label[0] != 0 && label[1] != 0) {
                        labels.add(label[0]);
                        labels.add(label[1]);
                    }
                }
                default -> p.skip(wire);
            }
        }
        return new Sample(locs.toArray(), values.toArray(), labels.n == 0 ? NO_LABELS : labels.toArray());
    }

    private static long[] label(Proto p) {
        long[] l = new long[2];
        while (p.more()) {
            long tag = p.varint();
            int field = (int) (tag >>> 3);
            if (field == 1 || field == 2) {
                l[field - 1] = p.varint();
            } else {
                p.skip((int) (tag & 7));
            }
        }
        return l;
    }

    private void mapping(Proto p) {
        while (p.more()) {
            long tag = p.varint();
            if ((tag >>> 3) == 5) {
                mappingFiles.add(p.varint());
            } else {
                p.skip((int) (tag & 7));
            }
        }
    }

    private void location(Proto p) {
        long id = 0;
        List<Line> lines = new ArrayList<>(1);
        while (p.more()) {
            long tag = p.varint();
            int field = (int) (tag >>> 3);
            if (field == 1) {
                id = p.varint();
            } else if (field == 4) {
                Proto l = p.message();
                long fn = 0;
                long line = 0;
                while (l.more()) {
                    long t = l.varint();
                    int f = (int) (t >>> 3);
                    if (f == 1) {
                        fn = l.varint();
                    } else if (f == 2) {
                        line = l.varint();
                    } else {
                        l.skip((int) (t & 7));
                    }
                }
                lines.add(new Line(fn, line));
            } else {
                p.skip((int) (tag & 7));
            }
        }
        locations.put(id, lines.toArray(new Line[0]));
    }

    private void function(Proto p) {
        long id = 0;
        long name = 0;
        long system = 0;
        long file = 0;
        while (p.more()) {
            long tag = p.varint();
            switch ((int) (tag >>> 3)) {
                case 1 -> id = p.varint();
                case 2 -> name = p.varint();
                case 3 -> system = p.varint();
                case 4 -> file = p.varint();
                default -> p.skip((int) (tag & 7));
            }
        }
        functions.put(id, new Function(name, system, file));
    }

    // ---- the model ----------------------------------------------------------------------------------

    private String str(long i) {
        if (i < 0 || i >= strings.size()) {
            throw new BadProto("string index " + i + " out of range (" + strings.size() + " strings)");
        }
        return strings.get((int) i);
    }

    List<ValueType> valueTypes() {
        List<ValueType> out = new ArrayList<>();
        for (long[] t : sampleTypes) {
            out.add(new ValueType(str(t[0]), str(t[1])));
        }
        return out;
    }

    /** The event this profile holds, named like the JFR ones: cpu, wall, alloc, live, lock, heap, ... */
    String event() {
        List<String> types = valueTypes().stream().map(t -> t.type().toLowerCase(Locale.ROOT)).toList();
        if (types.contains("cpu")) {
            return "cpu";
        }
        if (types.contains("wall")) {
            return "wall";
        }
        boolean alloc = types.stream().anyMatch(t -> t.startsWith("alloc_") || t.equals("alloc")
                || t.equals("allocations"));
        boolean inuse = types.stream().anyMatch(t -> t.startsWith("inuse_") || t.equals("live"));
        if (alloc && inuse) {
            return "heap";
        }
        if (alloc) {
            return "alloc";
        }
        if (inuse) {
            return "live";
        }
        if (types.contains("contentions") || types.contains("delay") || types.contains("lock")
                || types.contains("locks")) {
            return "lock";
        }
        if (periodType != null && !str(periodType[0]).isEmpty()) {
            return str(periodType[0]);
        }
        return types.get(0);
    }

    long sampleCount() {
        return samples.size();
    }

    private boolean fromAsyncProfiler() {
        for (long c : comments) {
            if (str(c).contains("async-profiler")) {
                return true;
            }
        }
        for (long m : mappingFiles) {
            if (str(m).contains("async-profiler")) {
                return true;
            }
        }
        return false;
    }

    Profile toProfile(String event, ReadOptions options) {
        if (options.hasTimeRange()) {
            throw new ProfileException(path, "a pprof profile has no sample times: --from/--to need a JFR recording");
        }
        List<ValueType> types = valueTypes();
        String name = event();
        int defaultIndex = -1;
        if (defaultSampleType != 0) {
            String d = str(defaultSampleType);
            for (int i = 0; i < types.size(); i++) {
                if (types.get(i).type().equals(d)) {
                    defaultIndex = i;
                }
            }
        }
        if (event != null && !event.equalsIgnoreCase(name)) {
            String e = event.toLowerCase(Locale.ROOT);
            int i = switch (e) {
                case "alloc" -> ValueType.indexOf(types, "alloc_space");
                case "live" -> ValueType.indexOf(types, "inuse_space");
                default -> ValueType.indexOf(types, e);
            };
            if (i < 0) {
                throw new ProfileException(path, "no " + event + " samples in this pprof profile; it holds one event: "
                        + name + " (" + types.stream().map(ValueType::type).toList().toString().replaceAll("[\\[\\]]", "")
                        + ")");
            }
            name = e;
            defaultIndex = i;
        }
        if (options.sampleIndex() != null && !options.sampleIndex().isBlank()) {
            int i = ValueType.indexOf(types, options.sampleIndex());
            if (i < 0) {
                throw new ProfileException(path, "sample index '" + options.sampleIndex() + "' is not in this profile: it has "
                        + types.stream().map(ValueType::type).toList().toString().replaceAll("[\\[\\]]", ""));
            }
            defaultIndex = i;
        }
        long interval = periodType != null ? period : 0;
        Profile.Meta meta = new Profile.Meta("pprof", name, interval,
                timeNanos == 0 ? null : Instant.ofEpochSecond(0, timeNanos),
                durationNanos == 0 ? null : Duration.ofNanos(durationNanos), "", "", path.toString());
        Profile.Builder b = new Profile.Builder(meta, types);
        b.defaultValueIndex(defaultIndex);
        boolean slashes = fromAsyncProfiler();
        Map<Long, int[]> locationFrames = new HashMap<>();
        Map<Long, Integer> threads = new HashMap<>();
        int noThread = -1;
        int[] ids = new int[64];
        for (Sample s : samples) {
            if (s.values().length != types.size()) {
                throw new BadProto("a sample has " + s.values().length + " values for " + types.size() + " sample types");
            }
            int n = 0;
            for (long loc : s.locations()) {
                int[] frames = locationFrames.get(loc);
                if (frames == null) {
                    frames = frames(b, loc, slashes);
                    locationFrames.put(loc, frames);
                }
                if (n + frames.length > ids.length) {
                    ids = Arrays.copyOf(ids, Math.max(ids.length * 2, n + frames.length));
                }
                System.arraycopy(frames, 0, ids, n, frames.length);
                n += frames.length;
            }
            int stack = b.stack(Arrays.copyOf(ids, n));
            int thread = -1;
            long[] labels = s.labels();
            for (int i = 0; i < labels.length; i += 2) {
                if ("thread".equals(str(labels[i]))) {
                    long value = labels[i + 1];
                    thread = threads.computeIfAbsent(value, l -> b.thread(str(l)));
                    break;
                }
            }
            if (thread < 0) {
                if (noThread < 0) {
                    noThread = b.thread("[unknown thread]");
                }
                thread = noThread;
            }
            b.sample(stack, thread, 0, s.values());
        }
        return b.build();
    }

    /** The frames of one location, leaf (the innermost inlined function) first. */
    private int[] frames(Profile.Builder b, long location, boolean slashes) {
        Line[] lines = locations.get(location);
        if (lines == null) {
            throw new BadProto("a sample refers to location " + location + ", which is not in the profile");
        }
        int[] out = new int[lines.length];
        for (int i = 0; i < lines.length; i++) {
            Function f = functions.get(lines[i].function());
            String name = f == null ? "[unknown]" : str(f.nameIndex());
            if (name.isEmpty() && f != null) {
                name = str(f.systemNameIndex());
            }
            out[i] = b.frame(frame(name, (int) lines[i].line(), slashes));
        }
        return out;
    }

    /** Splits a pprof function name into class and method: {@code pkg.Class.method}, {@code main.fib}. */
    static Frame frame(String name, int line, boolean slashes) {
        String n = name;
        int paren = n.indexOf('(');
        String head = paren > 0 ? n.substring(0, paren) : n;
        String params = paren > 0 ? n.substring(paren) : "";
        if (slashes && head.indexOf('/') >= 0 && head.indexOf("::") < 0 && head.indexOf(' ') < 0) {
            head = head.replace('/', '.');
        }
        int dot = head.lastIndexOf('.');
        if (dot <= 0 || dot == head.length() - 1 || head.indexOf("::") >= 0) {
            return new Frame("", head + params, "", line, Frame.Kind.UNKNOWN);
        }
        return new Frame(head.substring(0, dot), head.substring(dot + 1) + params, "", line, Frame.Kind.UNKNOWN);
    }
}
