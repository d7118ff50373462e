package dev.proflab.profile;

import dev.proflab.text.Phrase;

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

    /** The most sample types a profile may have (Go's have 2 to 4); every sample holds a value of each. */
    static final int MAX_SAMPLE_TYPES = 1024;
    /** The most frames one sample's stack may have, inlined functions included. */
    static final int MAX_STACK_DEPTH = 1 << 16;
    /**
     * The frames of all samples' stacks together (a location's inlined functions counted once per
     * sample that refers to it): at most this many per byte of profile.proto, plus {@link #FRAME_FLOOR}.
     * A location referred to takes at least a byte, so without inlined functions there is at most one; real
     * profiles have 0.01 to 0.5. A location of thousands of lines, referred to thousands of times by each of
     * thousands of samples, would make reading take hours and the heap gigabytes.
     */
    static final int FRAMES_PER_BYTE = 4;
    static final long FRAME_FLOOR = 1L << 22;

    private final Path path;
    /** profile.proto; the messages below are kept as positions in it and decoded when needed. */
    private final byte[] data;
    private final IntList strings = new IntList();
    private String[] stringCache;
    /** A frame (line 0) per string index of a function name, split once. */
    private Frame[] nameFrames;
    private final List<long[]> sampleTypes = new ArrayList<>();
    private final IntList samples = new IntList();
    /** Location id -> index into locationPos (and the frames of the location, once resolved). */
    private final LongIntMap locationIndex = new LongIntMap(1024);
    private final IntList locationPos = new IntList();
    private final LongIntMap functionPos = new LongIntMap(1024);
    private final LongList comments = new LongList();
    private final LongList mappingFiles = new LongList();
    private long timeNanos;
    private long durationNanos;
    private long[] periodType;
    private long period;
    private long defaultSampleType;

    private PprofReader(Path path, byte[] data) {
        this.path = path;
        this.data = data;
    }

    /** Decodes a profile; throws {@link BadProto} when the bytes are not a pprof profile. */
    static PprofReader decode(Path path, byte[] data) {
        PprofReader r = new PprofReader(path, data);
        r.profile(new Proto(data, 0, data.length));
        if (r.strings.n == 0 || !r.str(0).isEmpty()) {
            throw new BadProto("its string table does not start with the empty string");
        }
        if (r.sampleTypes.isEmpty()) {
            throw new BadProto("it has no sample types");
        }
        return r;
    }

    /** The message whose length varint is at {@code pos}. */
    private Proto at(int pos) {
        Proto p = new Proto(data, pos, data.length);
        return p.message();
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

        /** Checks that the message at the cursor fits, skips it and returns where it starts (its length). */
        int skipMessage() {
            int start = pos;
            message();
            return start;
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
            repeated(wire, out, Integer.MAX_VALUE, null);
        }

        /**
         * {@link #repeated(int, LongList)}, refusing to hold more than {@code max} values: a packed field of a few
         * MB is millions of varints, counted before any is kept ({@code what} says what they are).
         */
        void repeated(int wire, LongList out, int max, String what) {
            if (wire == 2) {
                Proto p = message();
                if (max < Integer.MAX_VALUE) {
                    int count = 0;
                    for (int i = p.pos; i < p.end; i++) {
                        if (p.b[i] >= 0) { // the last byte of each varint
                            count++;
                        }
                    }
                    if (out.n + count > max) {
                        throw new TooMany(what, max);
                    }
                }
                while (p.more()) {
                    out.add(p.varint());
                }
            } else if (wire == 0) {
                if (out.n >= max) {
                    throw new TooMany(what, max);
                }
                out.add(varint());
            } else {
                throw new BadProto("bad wire type " + wire + " for a repeated integer");
            }
        }
    }

    /** More values in a repeated field than a profile can mean: {@link #max} of {@link #what}. */
    static final class TooMany extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String what;
        final int max;

        TooMany(String what, int max) {
            super(what + ": more than " + max, null, false, false);
            this.what = what;
            this.max = max;
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
    }

    private static final class IntList {
        int[] a = new int[16];
        int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }
    }

    private void profile(Proto p) {
        while (p.more()) {
            long tag = p.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (field) {
                case 1 -> {
                    if (sampleTypes.size() == MAX_SAMPLE_TYPES) {
                        throw new ProfileException(path, "more than " + MAX_SAMPLE_TYPES
                                + " sample types: not a profile proflab reads");
                    }
                    sampleTypes.add(valueType(p.message()));
                }
                case 2 -> samples.add(p.skipMessage());
                case 3 -> mapping(p.message());
                case 4 -> {
                    int pos = p.skipMessage();
                    locationIndex.put(locationId(at(pos)), locationPos.n);
                    locationPos.add(pos);
                }
                case 5 -> {
                    int pos = p.skipMessage();
                    functionPos.put(functionId(at(pos)), pos);
                }
                case 6 -> strings.add(p.skipMessage());
                case 9 -> timeNanos = p.varint();
                case 10 -> durationNanos = p.varint();
                case 11 -> periodType = valueType(p.message());
                case 12 -> period = p.varint();
                case 13 -> p.repeated(wire, comments);
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

    /** Decodes one sample into the lists (cleared first); labels as key, string value pairs. */
    private static void sample(Proto p, LongList locs, LongList values, LongList labels) {
        locs.n = 0;
        values.n = 0;
        labels.n = 0;
        while (p.more()) {
            long tag = p.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (field) {
                case 1 -> p.repeated(wire, locs, MAX_STACK_DEPTH, "locations");
                case 2 -> p.repeated(wire, values, MAX_SAMPLE_TYPES, "values");
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

    private static long locationId(Proto p) {
        long id = 0;
        while (p.more()) {
            long tag = p.varint();
            if ((tag >>> 3) == 1) {
                id = p.varint();
            } else {
                p.skip((int) (tag & 7));
            }
        }
        return id;
    }

    private static long functionId(Proto p) {
        return locationId(p); // field 1 as well
    }

    /** The lines of a location as (function id, line) pairs, appended to {@code out}. */
    private static void lines(Proto p, LongList out) {
        while (p.more()) {
            long tag = p.varint();
            int field = (int) (tag >>> 3);
            if (field == 4) {
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
                out.add(fn);
                out.add(line);
            } else {
                p.skip((int) (tag & 7));
            }
        }
    }

    // ---- the model ----------------------------------------------------------------------------------

    private String str(long i) {
        if (i < 0 || i >= strings.n) {
            throw new BadProto("string index " + i + " out of range (" + strings.n + " strings)");
        }
        if (stringCache == null) {
            stringCache = new String[strings.n];
        }
        String s = stringCache[(int) i];
        if (s == null) {
            s = new Proto(data, strings.a[(int) i], data.length).string();
            stringCache[(int) i] = s;
        }
        return s;
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
        return samples.n;
    }

    private boolean fromAsyncProfiler() {
        // each string once: a million comments may name the same long string
        java.util.BitSet seen = new java.util.BitSet();
        for (LongList refs : List.of(comments, mappingFiles)) {
            for (int k = 0; k < refs.n; k++) {
                long c = refs.a[k];
                if (c >= 0 && c < strings.n && seen.get((int) c)) {
                    continue;
                }
                if (str(c).contains("async-profiler")) {
                    return true;
                }
                seen.set((int) c);
            }
        }
        return false;
    }

    Profile toProfile(String event, ReadOptions options) {
        if (options.hasTimeRange()) {
            throw new ProfileException(path, Phrase.of("a pprof profile has no sample times: ",
                    Phrase.parameter("fromNanos"), "/", Phrase.parameter("toNanos"), " need a JFR recording"));
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
        Locations locs = new Locations(b, slashes);
        Map<Long, Integer> threads = new HashMap<>();
        int noThread = -1;
        int[] ids = new int[64];
        LongList refs = new LongList();
        LongList values = new LongList();
        LongList labels = new LongList();
        // label strings: the string table's index -> the builder's id
        LongIntMap labelStringIds = new LongIntMap(64);
        int[] labelIds = new int[8];
        long[] v = new long[types.size()];
        long budget = FRAME_FLOOR + (long) FRAMES_PER_BYTE * data.length;
        long frames = 0;
        for (int si = 0; si < samples.n; si++) {
            try {
                sample(at(samples.a[si]), refs, values, labels);
            } catch (TooMany e) {
                throw new ProfileException(path, e.what.equals("locations")
                        ? "a sample's stack has more than " + MAX_STACK_DEPTH + " frames: not a profile proflab reads"
                        : "a sample has more than " + MAX_SAMPLE_TYPES + " values: not a profile proflab reads");
            }
            if (values.n != types.size()) {
                throw new BadProto("a sample has " + values.n + " values for " + types.size() + " sample types");
            }
            int n = 0;
            for (int k = 0; k < refs.n; k++) {
                int loc = locs.resolve(refs.a[k]);
                int len = locs.length[loc];
                if (n + len > MAX_STACK_DEPTH) {
                    throw new ProfileException(path, "a sample's stack has more than " + MAX_STACK_DEPTH
                            + " frames: not a profile proflab reads");
                }
                if (n + len > ids.length) {
                    ids = Arrays.copyOf(ids, Math.max(ids.length * 2, n + len));
                }
                System.arraycopy(locs.frames.a, locs.start[loc], ids, n, len);
                n += len;
            }
            frames += n;
            if (frames > budget) {
                throw new ProfileException(path, "its samples' stacks hold more than " + budget + " frames together ("
                        + FRAMES_PER_BYTE + " per byte of profile.proto, plus " + FRAME_FLOOR
                        + "): not a profile proflab reads");
            }
            int stack = b.stack(ids, n); // copied only when new
            int thread = -1;
            int pairs = 0;
            for (int i = 0; i < labels.n; i += 2) {
                if ("thread".equals(str(labels.a[i]))) {
                    if (thread < 0) {
                        long value = labels.a[i + 1];
                        thread = threads.computeIfAbsent(value, l -> b.thread(str(l)));
                    }
                    continue;
                }
                // the other string labels: key and value, as the builder's string ids
                if (pairs + 2 > labelIds.length) {
                    labelIds = Arrays.copyOf(labelIds, Math.max(2 * labelIds.length, pairs + 2));
                }
                labelIds[pairs++] = labelString(b, labelStringIds, labels.a[i]);
                labelIds[pairs++] = labelString(b, labelStringIds, labels.a[i + 1]);
            }
            int labelSet = pairs == 0 ? 0 : b.labelSet(labelIds, pairs);
            if (thread < 0) {
                if (noThread < 0) {
                    noThread = b.thread("[unknown thread]");
                }
                thread = noThread;
            }
            System.arraycopy(values.a, 0, v, 0, v.length);
            if (labelSet == 0) {
                b.sample(stack, thread, 0, v);
            } else {
                b.sample(stack, thread, labelSet, 0, 1, v);
            }
        }
        return b.build();
    }

    /** The builder's id of string {@code index} of the string table, interned once. */
    private int labelString(Profile.Builder b, LongIntMap ids, long index) {
        int id = ids.get(index);
        if (id < 0) {
            id = b.labelString(str(index));
            ids.put(index, id);
        }
        return id;
    }

    /** The frames of the locations samples refer to, resolved once each: leaf (the innermost inlined function) first. */
    private final class Locations {
        final Profile.Builder builder;
        final boolean slashes;
        /** Per location index: where its frame ids start in {@link #frames} (-1: not resolved yet), how many. */
        final int[] start = new int[locationPos.n];
        final int[] length = new int[locationPos.n];
        final IntList frames = new IntList();
        final LongList lines = new LongList();

        Locations(Profile.Builder builder, boolean slashes) {
            this.builder = builder;
            this.slashes = slashes;
            Arrays.fill(start, -1);
        }

        /** The index of a location, its frames resolved. */
        int resolve(long id) {
            int loc = locationIndex.get(id);
            if (loc < 0) {
                throw new BadProto("a sample refers to location " + id + ", which is not in the profile");
            }
            if (start[loc] >= 0) {
                return loc;
            }
            lines.n = 0;
            PprofReader.lines(at(locationPos.a[loc]), lines);
            int from = frames.n;
            for (int i = 0; i < lines.n; i += 2) {
                frames.add(frame(lines.a[i], lines.a[i + 1]));
            }
            start[loc] = from;
            length[loc] = frames.n - from;
            return loc;
        }

        private int frame(long function, long line) {
            int l = line < 0 || line > Integer.MAX_VALUE ? 0 : (int) line;
            int pos = functionPos.get(function);
            if (pos < 0) {
                return builder.frame(new Frame("", "[unknown]", "", l, Frame.Kind.UNKNOWN));
            }
            long name = 0;
            long system = 0;
            Proto p = at(pos);
            while (p.more()) {
                long tag = p.varint();
                switch ((int) (tag >>> 3)) {
                    case 2 -> name = p.varint();
                    case 3 -> system = p.varint();
                    default -> p.skip((int) (tag & 7));
                }
            }
            long index = str(name).isEmpty() ? system : name;
            String s = str(index);
            if (nameFrames == null) {
                nameFrames = new Frame[strings.n];
            }
            // the name split once per string, shared by every location of the function
            Frame f = nameFrames[(int) index];
            if (f == null) {
                f = PprofReader.frame(s, 0, slashes);
                nameFrames[(int) index] = f;
            }
            return builder.frame(l == 0 ? f : new Frame(f.type(), f.method(), "", l, Frame.Kind.UNKNOWN));
        }
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
