package dev.proflab.export;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;
import one.proto.Proto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A {@link Profile} as pprof's {@code profile.proto}, gzipped: the file Go's {@code go tool pprof},
 * Pyroscope and Parca open.
 *
 * <p>Unlike async-profiler's converter this one fills in what pprof needs to show source: every
 * function has a file name ({@link Frame#sourceFile()}, e.g. {@code dev/proflab/labs/fib/Fib.java},
 * relative to a source root) and every location a line, so
 * {@code go tool pprof -list Fib.recursive -source_path labs/src/main/java cpu.pb.gz} prints the
 * annotated source. What goes where:
 *
 * <ul>
 *   <li>sample types: the profile's {@link Profile#valueTypes() value types}, in order;
 *       {@code default_sample_type} the one asked for ({@link Options#defaultSampleIndex()}), else the
 *       profile's {@link Profile#defaultValueIndex() default};
 *   <li>samples: one per distinct stack and thread, values summed; label {@code thread} = the
 *       thread's name (pprof's {@code -tagfocus thread=main}, {@code -tags});
 *   <li>locations: one per distinct function and line; functions: {@code name} =
 *       {@link Frame#name()} ({@code package.Class.method}), {@code system_name} = name + JVM
 *       descriptor ({@code dev.proflab.labs.fib.Fib.recursive(I)J}), {@code filename} =
 *       {@link Frame#sourceFile()} (empty for native and kernel frames);
 *   <li>one mapping, marked as having functions, file names and lines, so that pprof does not try
 *       to symbolize addresses (there are none);
 *   <li>{@code period_type}/{@code period}: the first value type that is not a count and the
 *       recording's interval; {@code time_nanos}, {@code duration_nanos} from the recording;
 *       comments: where it came from.
 * </ul>
 *
 * <p>Encoded with async-profiler's small protobuf writer ({@code one.proto.Proto}): no protobuf
 * runtime, no generated code. Field numbers are those of
 * <a href="https://github.com/google/pprof/blob/main/proto/profile.proto">profile.proto</a>.
 */
public final class Pprof {

    /**
     * How to encode.
     *
     * @param defaultSampleIndex the value type pprof shows by default (its {@code default_sample_type}),
     *     or -1 for the profile's {@link Profile#defaultValueIndex() default}
     * @param threadLabels label each sample with its thread's name
     */
    public record Options(int defaultSampleIndex, boolean threadLabels) {

        public static Options defaults() {
            return new Options(-1, true);
        }
    }

    // profile.proto field numbers (google/pprof proto/profile.proto).
    static final int PROFILE_SAMPLE_TYPE = 1;
    static final int PROFILE_SAMPLE = 2;
    static final int PROFILE_MAPPING = 3;
    static final int PROFILE_LOCATION = 4;
    static final int PROFILE_FUNCTION = 5;
    static final int PROFILE_STRING_TABLE = 6;
    static final int PROFILE_TIME_NANOS = 9;
    static final int PROFILE_DURATION_NANOS = 10;
    static final int PROFILE_PERIOD_TYPE = 11;
    static final int PROFILE_PERIOD = 12;
    static final int PROFILE_COMMENT = 13;
    static final int PROFILE_DEFAULT_SAMPLE_TYPE = 14;
    static final int VALUE_TYPE_TYPE = 1;
    static final int VALUE_TYPE_UNIT = 2;
    static final int SAMPLE_LOCATION_ID = 1;
    static final int SAMPLE_VALUE = 2;
    static final int SAMPLE_LABEL = 3;
    static final int LABEL_KEY = 1;
    static final int LABEL_STR = 2;
    static final int MAPPING_ID = 1;
    static final int MAPPING_MEMORY_START = 2;
    static final int MAPPING_MEMORY_LIMIT = 3;
    static final int MAPPING_FILENAME = 5;
    static final int MAPPING_HAS_FUNCTIONS = 7;
    static final int MAPPING_HAS_FILENAMES = 8;
    static final int MAPPING_HAS_LINE_NUMBERS = 9;
    static final int LOCATION_ID = 1;
    static final int LOCATION_MAPPING_ID = 2;
    static final int LOCATION_LINE = 4;
    static final int LINE_FUNCTION_ID = 1;
    static final int LINE_LINE = 2;
    static final int FUNCTION_ID = 1;
    static final int FUNCTION_NAME = 2;
    static final int FUNCTION_SYSTEM_NAME = 3;
    static final int FUNCTION_FILENAME = 4;

    /** The label key of a sample's thread name. */
    public static final String THREAD_LABEL = "thread";

    private Pprof() {
    }

    /** The profile as gzipped profile.proto with default options. */
    public static byte[] encode(Profile profile) {
        return encode(profile, Options.defaults());
    }

    /** The profile as gzipped profile.proto (a {@code .pb.gz} file). */
    public static byte[] encode(Profile profile, Options options) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(profile, options, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a byte array
        }
        return bytes.toByteArray();
    }

    /** Writes the gzipped profile.proto to {@code out} (which stays open). */
    public static void write(Profile profile, Options options, OutputStream out) throws IOException {
        Proto proto = encodeUncompressed(profile, options);
        GZIPOutputStream gz = new GZIPOutputStream(new NonClosing(out), 1 << 16);
        gz.write(proto.buffer(), 0, proto.size());
        gz.finish();
        gz.flush();
    }

    /** The profile.proto message, not compressed. */
    static Proto encodeUncompressed(Profile profile, Options options) {
        return new Encoder(profile, options).encode();
    }

    private static final class Encoder {
        private final Profile profile;
        private final Options options;
        private final Map<String, Integer> strings = new HashMap<>();
        private final List<String> stringList = new ArrayList<>();
        private final Map<FunctionKey, Integer> functions = new HashMap<>();
        private final List<FunctionKey> functionList = new ArrayList<>();
        private final Map<Long, Integer> locations = new HashMap<>();
        private final List<Long> locationList = new ArrayList<>();

        Encoder(Profile profile, Options options) {
            this.profile = profile;
            this.options = options;
            string("");
        }

        Proto encode() {
            List<ValueType> types = profile.valueTypes();
            int nv = types.size();
            Proto out = new Proto(1 << 16);
            for (ValueType t : types) {
                out.field(PROFILE_SAMPLE_TYPE, valueType(t));
            }

            // Aggregate samples by (stack, thread), in order of first appearance; by (stack, thread, labels) when
            // samples have labels (a pair of thread and label set is then numbered in pairs).
            boolean labelled = profile.hasLabels();
            LongIntMap pairs = labelled ? new LongIntMap(64) : null;
            int[] pairThread = new int[labelled ? 64 : 0];
            int[] pairSet = new int[labelled ? 64 : 0];
            int npairs = 0;
            LongIntMap groups = new LongIntMap(Math.max(16, profile.stackCount() * 2));
            long[] keys = new long[64];
            long[] sums = new long[64 * nv];
            int ngroups = 0;
            for (int s = 0; s < profile.sampleCount(); s++) {
                int second = options.threadLabels() ? profile.threadOf(s) : 0;
                if (labelled) {
                    long pk = (long) profile.labelSetOf(s) << 32 | second;
                    int pair = pairs.get(pk);
                    if (pair < 0) {
                        pair = npairs++;
                        pairs.put(pk, pair);
                        if (pair == pairThread.length) {
                            pairThread = Arrays.copyOf(pairThread, pair * 2);
                            pairSet = Arrays.copyOf(pairSet, pair * 2);
                        }
                        pairThread[pair] = second;
                        pairSet[pair] = profile.labelSetOf(s);
                    }
                    second = pair;
                }
                long key = (long) profile.stackOf(s) << 32 | second;
                int g = groups.get(key);
                if (g < 0) {
                    g = ngroups++;
                    groups.put(key, g);
                    if (g == keys.length) {
                        keys = Arrays.copyOf(keys, g * 2);
                        sums = Arrays.copyOf(sums, g * 2 * nv);
                    }
                    keys[g] = key;
                }
                for (int i = 0; i < nv; i++) {
                    sums[g * nv + i] += profile.value(s, i);
                }
            }

            // Locations per frame id, interned by (function, line).
            int[] locationOfFrame = new int[profile.frameCount()];
            for (int f = 0; f < profile.frameCount(); f++) {
                Frame frame = profile.frame(f);
                int function = function(frame);
                long key = (long) function << 32 | (frame.line() & 0xffffffffL);
                Integer id = locations.get(key);
                if (id == null) {
                    id = locationList.size() + 1;
                    locations.put(key, id);
                    locationList.add(key);
                }
                locationOfFrame[f] = id;
            }

            // The thread label of each thread, encoded once.
            Proto[] threadLabel = new Proto[profile.threadCount()];
            if (options.threadLabels()) {
                for (int t = 0; t < threadLabel.length; t++) {
                    String thread = profile.threadName(t);
                    if (thread != null && !thread.isEmpty()) {
                        threadLabel[t] = new Proto(16).field(LABEL_KEY, string(THREAD_LABEL)).field(LABEL_STR, string(thread));
                    }
                }
            }
            // The labels of each label set (other than the thread), encoded once each.
            Proto[][] setLabels = new Proto[labelled ? profile.labelSetCount() : 0][];
            for (int ls = 0; ls < setLabels.length; ls++) {
                setLabels[ls] = new Proto[profile.labelCount(ls)];
                for (int k = 0; k < setLabels[ls].length; k++) {
                    setLabels[ls][k] = new Proto(16).field(LABEL_KEY, string(profile.labelKey(ls, k)))
                            .field(LABEL_STR, string(profile.labelValue(ls, k)));
                }
            }
            Proto sample = new Proto(256);
            Proto packed = new Proto(256);
            for (int g = 0; g < ngroups; g++) {
                long key = keys[g];
                int[] stack = profile.stack((int) (key >>> 32));
                sample.reset();
                packed.reset();
                for (int frameId : stack) {
                    packed.writeInt(locationOfFrame[frameId]);
                }
                sample.field(SAMPLE_LOCATION_ID, packed);
                packed.reset();
                for (int i = 0; i < nv; i++) {
                    packed.writeLong(sums[g * nv + i]);
                }
                sample.field(SAMPLE_VALUE, packed);
                int second = (int) key;
                int thread = labelled ? pairThread[second] : second;
                if (options.threadLabels() && threadLabel[thread] != null) {
                    sample.field(SAMPLE_LABEL, threadLabel[thread]);
                }
                if (labelled) {
                    for (Proto label : setLabels[pairSet[second]]) {
                        sample.field(SAMPLE_LABEL, label);
                    }
                }
                out.field(PROFILE_SAMPLE, sample);
            }

            Profile.Meta meta = profile.meta();
            out.field(PROFILE_MAPPING, new Proto(32)
                    .field(MAPPING_ID, 1)
                    .field(MAPPING_MEMORY_START, 0L)
                    .field(MAPPING_MEMORY_LIMIT, 0L)
                    .field(MAPPING_FILENAME, string("java"))
                    .field(MAPPING_HAS_FUNCTIONS, 1)
                    .field(MAPPING_HAS_FILENAMES, 1)
                    .field(MAPPING_HAS_LINE_NUMBERS, 1));

            for (int i = 0; i < locationList.size(); i++) {
                long key = locationList.get(i);
                Proto line = new Proto(16).field(LINE_FUNCTION_ID, (int) (key >>> 32));
                long lineNumber = key & 0xffffffffL;
                if (lineNumber > 0) {
                    line.field(LINE_LINE, lineNumber);
                }
                out.field(PROFILE_LOCATION, new Proto(32)
                        .field(LOCATION_ID, i + 1)
                        .field(LOCATION_MAPPING_ID, 1)
                        .field(LOCATION_LINE, line));
            }
            for (int i = 0; i < functionList.size(); i++) {
                FunctionKey f = functionList.get(i);
                Proto fn = new Proto(32)
                        .field(FUNCTION_ID, i + 1)
                        .field(FUNCTION_NAME, f.name)
                        .field(FUNCTION_SYSTEM_NAME, f.systemName);
                if (f.filename != 0) {
                    fn.field(FUNCTION_FILENAME, f.filename);
                }
                out.field(PROFILE_FUNCTION, fn);
            }

            // Strings referenced below must be interned before the table is written.
            if (meta.start() != null) {
                long nanos = Math.addExact(Math.multiplyExact(meta.start().getEpochSecond(), 1_000_000_000L),
                        meta.start().getNano());
                out.field(PROFILE_TIME_NANOS, nanos);
            }
            if (meta.duration() != null && !meta.duration().isNegative()) {
                out.field(PROFILE_DURATION_NANOS, meta.duration().toNanos());
            }
            int periodIndex = periodIndex(types);
            out.field(PROFILE_PERIOD_TYPE, valueType(types.get(periodIndex)));
            if (meta.interval() > 0) {
                out.field(PROFILE_PERIOD, meta.interval());
            }
            StringBuilder comment = new StringBuilder("proflab: ").append(meta.event()).append(" profile recorded by ")
                    .append(meta.engine());
            if (!meta.source().isEmpty()) {
                comment.append(", from ").append(meta.source());
            }
            out.field(PROFILE_COMMENT, (long) string(comment.toString()));
            if (!meta.jdk().isEmpty()) {
                out.field(PROFILE_COMMENT, (long) string("JDK " + meta.jdk()));
            }
            if (!meta.command().isEmpty()) {
                out.field(PROFILE_COMMENT, (long) string("command: " + meta.command()));
            }
            int def = options.defaultSampleIndex() >= 0 && options.defaultSampleIndex() < types.size()
                    ? options.defaultSampleIndex() : profile.defaultValueIndex();
            out.field(PROFILE_DEFAULT_SAMPLE_TYPE, (long) string(types.get(def).type()));

            // Last, when every string above is interned (readers resolve indexes after the whole message).
            for (String str : stringList) {
                out.field(PROFILE_STRING_TABLE, str);
            }
            return out;
        }

        /** The value type a recording's interval is measured in: the first that is not a count. */
        private static int periodIndex(List<ValueType> types) {
            for (int i = 0; i < types.size(); i++) {
                if (!types.get(i).unit().equals("count")) {
                    return i;
                }
            }
            return 0;
        }

        private Proto valueType(ValueType t) {
            return new Proto(8).field(VALUE_TYPE_TYPE, string(t.type())).field(VALUE_TYPE_UNIT, string(t.unit()));
        }

        private int function(Frame f) {
            String name = f.name();
            String system = f.descriptor().isEmpty() ? name : name + f.descriptor();
            FunctionKey key = new FunctionKey(string(name), string(system), string(f.sourceFile()));
            Integer id = functions.get(key);
            if (id == null) {
                id = functionList.size() + 1;
                functions.put(key, id);
                functionList.add(key);
            }
            return id;
        }

        private int string(String s) {
            Integer id = strings.get(s);
            if (id == null) {
                id = stringList.size();
                strings.put(s, id);
                stringList.add(s);
            }
            return id;
        }
    }

    private record FunctionKey(int name, int systemName, int filename) {
    }

    /** A map from long to non-negative int, open addressing: no boxing for millions of samples. */
    static final class LongIntMap {
        private long[] keys;
        private int[] values;
        private int size;

        LongIntMap(int capacity) {
            int n = Integer.highestOneBit(Math.max(16, capacity) * 2 - 1);
            keys = new long[n];
            values = new int[n];
            Arrays.fill(values, -1);
        }

        /** The value of {@code key}, or -1. */
        int get(long key) {
            int mask = keys.length - 1;
            for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
                if (values[i] < 0) {
                    return -1;
                }
                if (keys[i] == key) {
                    return values[i];
                }
            }
        }

        void put(long key, int value) {
            if ((size + 1) * 2 > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
                if (values[i] < 0) {
                    keys[i] = key;
                    values[i] = value;
                    size++;
                    return;
                }
                if (keys[i] == key) {
                    values[i] = value;
                    return;
                }
            }
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new int[oldKeys.length * 2];
            Arrays.fill(values, -1);
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldValues[i] >= 0) {
                    put(oldKeys[i], oldValues[i]);
                }
            }
        }

        private static int hash(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ h >>> 32);
        }
    }

    /** Keeps {@link GZIPOutputStream#close()} from closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
