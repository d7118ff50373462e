package dev.proflab.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One profile in memory: the samples of one event (cpu, wall, alloc, lock, live, ...) read from a JFR
 * recording of either engine, or from pprof. Columnar and interned, so that millions of samples fit in
 * little memory: every distinct frame and every distinct stack is stored once.
 *
 * <p>A sample has a stack (frames leaf first), a thread, a time (nanoseconds since the start of the
 * recording) and one value per {@link #valueTypes() value type} (e.g. for allocations: bytes and
 * objects), and a set of labels ({@link #labelSetOf(int)}: pprof's sample labels, the {@code file} of each
 * recording merged with others; interned, none on a JFR recording read alone). Reports are pure functions of
 * this model.
 */
public final class Profile {

    /**
     * What was recorded and how.
     *
     * @param engine {@code async-profiler}, {@code jfr} or {@code pprof}
     * @param event the event as the user names it: cpu, wall, alloc, lock, live, itimer, ...
     * @param interval sampling interval in the event's unit (ns for time, bytes for alloc), 0 if unknown
     * @param start wall-clock start of the recording, or null
     * @param duration length of the recording, or null
     * @param jdk the JDK of the profiled JVM, or empty
     * @param command the command that was profiled, or empty
     * @param source the file it was read from, for messages
     */
    public record Meta(String engine, String event, long interval, Instant start, Duration duration,
                       String jdk, String command, String source) {

        public Meta {
            Objects.requireNonNull(engine, "engine");
            Objects.requireNonNull(event, "event");
            jdk = jdk == null ? "" : jdk;
            command = command == null ? "" : command;
            source = source == null ? "" : source;
        }
    }

    private final Meta meta;
    private final List<ValueType> valueTypes;
    private final Frame[] frames;
    private final int[][] stacks;
    private final String[] threads;
    private final int count;
    private final long records;
    private final int[] sampleStack;
    private final int[] sampleThread;
    private final long[] sampleTime;
    private final long[][] sampleValues;
    /** Samples merged into each sample, or null when none was merged (one each). */
    private final int[] sampleRecords;
    private final int defaultValueIndex;
    /** Per sample: its label set, or null when no sample has labels (all set 0, the empty one). */
    private final int[] sampleLabels;
    /** The distinct label sets: per set, key and value string ids by turns, in order of ids; set 0 is empty. */
    private final int[][] labelSets;
    private final String[] labelStrings;

    /**
     * The most distinct label sets a profile holds ({@value}): a pprof file may give each sample labels of its own
     * (a request id); reading one with more fails, as memory follows the stacks, not the file.
     */
    public static final int MAX_LABEL_SETS = 200_000;

    /** The most labels one sample may have ({@value}). */
    public static final int MAX_LABELS = 64;

    private Profile(Builder b) {
        this.meta = b.meta;
        this.valueTypes = List.copyOf(b.valueTypes);
        this.frames = b.frames.toArray(new Frame[0]);
        this.stacks = b.stacks.toArray(new int[0][]);
        this.threads = b.threads.toArray(new String[0]);
        this.count = b.count;
        this.records = b.records;
        // the builder's columns, trimmed to the samples by build() and no longer the builder's to change
        this.sampleStack = b.sampleStack;
        this.sampleThread = b.sampleThread;
        this.sampleTime = b.sampleTime;
        this.sampleValues = b.sampleValues.clone();
        this.sampleRecords = b.sampleRecords;
        this.defaultValueIndex = b.defaultValueIndex < 0 ? valueTypes.size() - 1 : b.defaultValueIndex;
        this.sampleLabels = b.sampleLabels;
        this.labelSets = b.labelSets.toArray(new int[0][]);
        this.labelStrings = b.labelStrings.toArray(new String[0]);
    }

    public Meta meta() {
        return meta;
    }

    /** What each value of a sample measures; index {@code v} of {@link #value(int, int)}. */
    public List<ValueType> valueTypes() {
        return valueTypes;
    }

    /** Index of the value type named {@code type} (e.g. "alloc_space"), or -1. */
    public int valueIndex(String type) {
        for (int i = 0; i < valueTypes.size(); i++) {
            if (valueTypes.get(i).type().equals(type)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The value reports show unless told otherwise (pprof's default sample type): the one chosen
     * when the profile was read ({@code --sample-index}), else the last value type, as pprof does
     * ({@code cpu} of {@code samples, cpu}; {@code alloc_space} of {@code alloc_objects, alloc_space}).
     */
    public int defaultValueIndex() {
        return defaultValueIndex;
    }

    public int sampleCount() {
        return count;
    }

    /**
     * How many samples were added to this profile, those merged into another counted too: more than
     * {@link #sampleCount()} when samples of the same stack and thread were merged as they were read
     * ({@link ReadOptions#aggregate()}), the number of samples the recording holds.
     */
    public long recordCount() {
        return records;
    }

    /**
     * How many samples sample {@code sample} stands for: 1, or more when samples of the same stack and thread were
     * merged into it as they were read (a report that counts samples without a count value, e.g. allocations, counts
     * these).
     */
    public int recordsOf(int sample) {
        return sampleRecords == null ? 1 : sampleRecords[sample];
    }

    public int stackOf(int sample) {
        return sampleStack[sample];
    }

    public int threadOf(int sample) {
        return sampleThread[sample];
    }

    /** Nanoseconds since the start of the recording. */
    public long timeOf(int sample) {
        return sampleTime[sample];
    }

    public long value(int sample, int valueIndex) {
        return sampleValues[valueIndex][sample];
    }

    public int stackCount() {
        return stacks.length;
    }

    /** Frame ids of a stack, leaf (the running method) first. Do not modify. */
    public int[] stack(int stackId) {
        return stacks[stackId];
    }

    public int frameCount() {
        return frames.length;
    }

    public Frame frame(int frameId) {
        return frames[frameId];
    }

    public int threadCount() {
        return threads.length;
    }

    public String threadName(int threadId) {
        return threads[threadId];
    }

    /** The label set of sample {@code sample}: 0, the empty set, for a sample without labels. */
    public int labelSetOf(int sample) {
        return sampleLabels == null ? 0 : sampleLabels[sample];
    }

    /** How many distinct label sets the samples have, the empty set (0) included. */
    public int labelSetCount() {
        return labelSets.length;
    }

    /** Whether any sample has a label. */
    public boolean hasLabels() {
        return sampleLabels != null;
    }

    /** How many labels set {@code set} has. */
    public int labelCount(int set) {
        return labelSets[set].length / 2;
    }

    /** The key of label {@code k} of set {@code set} (in the order of the strings' ids: first seen first). */
    public String labelKey(int set, int k) {
        return labelStrings[labelSets[set][2 * k]];
    }

    /** The value of label {@code k} of set {@code set}. */
    public String labelValue(int set, int k) {
        return labelStrings[labelSets[set][2 * k + 1]];
    }

    /** The values set {@code set} has for {@code key}, in order (a key may have several, as in pprof). */
    public List<String> labelValues(int set, String key) {
        List<String> out = new ArrayList<>(1);
        int[] s = labelSets[set];
        for (int k = 0; k < s.length; k += 2) {
            if (labelStrings[s[k]].equals(key)) {
                out.add(labelStrings[s[k + 1]]);
            }
        }
        return out;
    }

    /** The label keys of the profile, sorted. */
    public List<String> labelKeys() {
        java.util.TreeSet<String> keys = new java.util.TreeSet<>();
        for (int[] s : labelSets) {
            for (int k = 0; k < s.length; k += 2) {
                keys.add(labelStrings[s[k]]);
            }
        }
        return List.copyOf(keys);
    }

    /** Sum of one value over all samples. */
    public long total(int valueIndex) {
        long t = 0;
        for (long v : sampleValues[valueIndex]) {
            t += v;
        }
        return t;
    }

    /** Builds a profile: intern frames, stacks and threads, then add samples. Not thread-safe. */
    public static final class Builder {
        private final Meta meta;
        private final List<ValueType> valueTypes;
        private final List<Frame> frames = new ArrayList<>();
        private final Map<Frame, Integer> frameIds = new HashMap<>();
        private final List<int[]> stacks = new ArrayList<>();
        /** Open-addressing table of stack ids by content (-1: empty), with the stacks' hash codes. */
        private int[] stackTable = newTable(1024);
        private int[] stackHashes = new int[1024];
        private final List<String> threads = new ArrayList<>();
        private final Map<String, Integer> threadIds = new HashMap<>();
        private int count;
        private long records;
        private int[] sampleStack = new int[1024];
        private int[] sampleThread = new int[1024];
        private long[] sampleTime = new long[1024];
        private long[][] sampleValues;
        /** Samples merged into each, from the first merge on (null: one each). */
        private int[] sampleRecords;
        private int defaultValueIndex = -1;
        /** Whether a built profile holds the sample columns: the next change copies them first. */
        private boolean shared;
        /** Per sample: its label set, from the first sample with labels on (null: all the empty set). */
        private int[] sampleLabels;
        private final List<int[]> labelSets = new ArrayList<>(List.of(new int[0]));
        private final Map<LabelSetKey, Integer> labelSetIds = new HashMap<>();
        private final List<String> labelStrings = new ArrayList<>();
        private final Map<String, Integer> labelStringIds = new HashMap<>();

        public Builder(Meta meta, List<ValueType> valueTypes) {
            this.meta = Objects.requireNonNull(meta, "meta");
            if (valueTypes.isEmpty()) {
                throw new IllegalArgumentException("a profile needs at least one value type");
            }
            this.valueTypes = List.copyOf(valueTypes);
            this.sampleValues = new long[valueTypes.size()][1024];
        }

        /** Makes value {@code index} the {@link Profile#defaultValueIndex() default}; -1: the last. */
        public Builder defaultValueIndex(int index) {
            if (index < -1 || index >= valueTypes.size()) {
                throw new IllegalArgumentException("no value type " + index);
            }
            this.defaultValueIndex = index;
            return this;
        }

        public int frame(Frame f) {
            Integer id = frameIds.get(f);
            if (id == null) {
                id = frames.size();
                frames.add(f);
                frameIds.put(f, id);
            }
            return id;
        }

        /** Interns a stack of frame ids, leaf first (the array is copied). */
        public int stack(int[] frameIdsLeafFirst) {
            return stack(frameIdsLeafFirst, frameIdsLeafFirst.length);
        }

        /** Interns the first {@code length} frame ids of {@code frames}, leaf first (copied when new). */
        int stack(int[] frames, int length) {
            return intern(frames, length, true);
        }

        /** Interns a stack the caller hands over: stored as it is if new, so it must not change afterwards. */
        int stackOwned(int[] frameIdsLeafFirst) {
            return intern(frameIdsLeafFirst, frameIdsLeafFirst.length, false);
        }

        /** How many distinct stacks were interned so far. */
        int stackCount() {
            return stacks.size();
        }

        private int intern(int[] frames, int length, boolean copy) {
            int h = hash(frames, length);
            int mask = stackTable.length - 1;
            int i = mix(h) & mask;
            while (true) {
                int id = stackTable[i];
                if (id < 0) {
                    break;
                }
                if (stackHashes[id] == h) {
                    int[] other = stacks.get(id);
                    if (other.length == length && Arrays.equals(other, 0, length, frames, 0, length)) {
                        return id;
                    }
                }
                i = (i + 1) & mask;
            }
            int id = stacks.size();
            stacks.add(copy ? Arrays.copyOf(frames, length) : frames);
            if (id == stackHashes.length) {
                stackHashes = Arrays.copyOf(stackHashes, id * 2);
            }
            stackHashes[id] = h;
            stackTable[i] = id;
            if (stacks.size() * 2 > stackTable.length) {
                rehash();
            }
            return id;
        }

        private void rehash() {
            int[] table = newTable(stackTable.length * 2);
            int mask = table.length - 1;
            for (int id = 0; id < stacks.size(); id++) {
                int i = mix(stackHashes[id]) & mask;
                while (table[i] >= 0) {
                    i = (i + 1) & mask;
                }
                table[i] = id;
            }
            stackTable = table;
        }

        private static int[] newTable(int size) {
            int[] t = new int[size];
            Arrays.fill(t, -1);
            return t;
        }

        /**
         * A hash of a stack seeded per JVM: a file decides the frame ids of its stacks and could otherwise
         * make thousands of them collide ({@code Arrays.hashCode} is a polynomial), and each intern linear.
         */
        private static int hash(int[] frames, int length) {
            long h = LongIntMap.SEED ^ length;
            for (int k = 0; k < length; k++) {
                h = (h ^ frames[k]) * 0x9E3779B97F4A7C15L;
                h ^= h >>> 29;
            }
            h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
            return (int) (h ^ (h >>> 32));
        }

        private static int mix(int h) {
            h *= 0x9E3779B9;
            return h ^ (h >>> 16);
        }

        public int thread(String name) {
            Integer id = threadIds.get(name);
            if (id == null) {
                id = threads.size();
                threads.add(name);
                threadIds.put(name, id);
            }
            return id;
        }

        /** The id of a label key or value, interned (for {@link #labelSet(int[], int)}). */
        int labelString(String s) {
            Integer id = labelStringIds.get(s);
            if (id == null) {
                id = labelStrings.size();
                labelStrings.add(s);
                labelStringIds.put(s, id);
            }
            return id;
        }

        /**
         * Interns a label set given as key and value by turns ({@code "file", "a.jfr", "tenant", "x"}); the order does not
         * matter, a pair given twice counts once. No labels: set 0.
         *
         * @throws ProfileException beyond {@link #MAX_LABELS} labels or {@link #MAX_LABEL_SETS} sets
         */
        public int labelSet(String... keysAndValues) {
            if (keysAndValues.length % 2 != 0) {
                throw new IllegalArgumentException("a label needs a key and a value");
            }
            int[] ids = new int[keysAndValues.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = labelString(Objects.requireNonNull(keysAndValues[i], "label"));
            }
            return labelSet(ids, ids.length);
        }

        /** The set of {@code other}'s label set {@code set} in this builder. */
        public int labelSet(Profile other, int set) {
            int[] s = other.labelSets[set];
            int[] ids = new int[s.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = labelString(other.labelStrings[s[i]]);
            }
            return labelSet(ids, ids.length);
        }

        /** Interns the first {@code n} ids of {@code pairs} (key and value string ids by turns, {@link #labelString}). */
        int labelSet(int[] pairs, int n) {
            if (n == 0) {
                return 0;
            }
            if (n / 2 > MAX_LABELS) {
                throw new ProfileException(where() + "a sample has more than " + MAX_LABELS + " labels: not a profile"
                        + " proflab reads");
            }
            // sort the pairs by their ids (equal ids: equal strings), so that one set has one form
            long[] sorted = new long[n / 2];
            for (int k = 0; k < sorted.length; k++) {
                sorted[k] = (long) pairs[2 * k] << 32 | (pairs[2 * k + 1] & 0xffffffffL);
            }
            Arrays.sort(sorted);
            int m = 0;
            for (int k = 0; k < sorted.length; k++) {
                if (m == 0 || sorted[m - 1] != sorted[k]) {
                    sorted[m++] = sorted[k];
                }
            }
            int[] set = new int[2 * m];
            for (int k = 0; k < m; k++) {
                set[2 * k] = (int) (sorted[k] >>> 32);
                set[2 * k + 1] = (int) sorted[k];
            }
            LabelSetKey key = new LabelSetKey(set);
            Integer id = labelSetIds.get(key);
            if (id == null) {
                if (labelSets.size() >= MAX_LABEL_SETS) {
                    throw new ProfileException(where() + "its samples have more than " + MAX_LABEL_SETS
                            + " distinct sets of labels: not a profile proflab reads");
                }
                id = labelSets.size();
                labelSets.add(set);
                labelSetIds.put(key, id);
            }
            return id;
        }

        /** How many distinct label sets were interned, the empty one included. */
        public int labelSetCount() {
            return labelSets.size();
        }

        private String where() {
            return meta.source().isEmpty() ? "" : meta.source() + ": ";
        }

        /** The label set of sample {@code index}. */
        int labelSetOf(int index) {
            return sampleLabels == null ? 0 : sampleLabels[index];
        }

        /**
         * Adds a sample with labels (an interned {@link #labelSet}) that stands for {@code records} samples of the
         * recording.
         */
        public Builder sample(int stackId, int threadId, int labelSet, long timeNanos, int records, long[] values) {
            if (labelSet < 0 || labelSet >= labelSets.size()) {
                throw new IllegalArgumentException("no label set " + labelSet);
            }
            sample(stackId, threadId, timeNanos, records, values);
            if (labelSet != 0) {
                if (sampleLabels == null) {
                    sampleLabels = new int[sampleStack.length];
                }
                sampleLabels[count - 1] = labelSet;
            }
            return this;
        }

        /** Adds a sample; {@code values} has one entry per value type. */
        public Builder sample(int stackId, int threadId, long timeNanos, long... values) {
            if (values.length != valueTypes.size()) {
                throw new IllegalArgumentException("expected " + valueTypes.size() + " values, got " + values.length);
            }
            if (shared) {
                unshare();
            }
            if (count == sampleStack.length) {
                int n = Math.max(1024, count + (count >> 1));
                sampleStack = Arrays.copyOf(sampleStack, n);
                sampleThread = Arrays.copyOf(sampleThread, n);
                sampleTime = Arrays.copyOf(sampleTime, n);
                for (int v = 0; v < sampleValues.length; v++) {
                    sampleValues[v] = Arrays.copyOf(sampleValues[v], n);
                }
                if (sampleRecords != null) {
                    sampleRecords = Arrays.copyOf(sampleRecords, n);
                }
                if (sampleLabels != null) {
                    sampleLabels = Arrays.copyOf(sampleLabels, n);
                }
            }
            sampleStack[count] = stackId;
            sampleThread[count] = threadId;
            sampleTime[count] = timeNanos;
            for (int v = 0; v < values.length; v++) {
                sampleValues[v][count] = values[v];
            }
            if (sampleRecords != null) {
                sampleRecords[count] = 1;
            }
            if (sampleLabels != null) {
                sampleLabels[count] = 0;
            }
            count++;
            records++;
            return this;
        }

        /**
         * Adds a sample that stands for {@code records} samples of the recording (a row merged per stack and thread,
         * copied from another profile: {@link Profile#recordsOf}).
         */
        public Builder sample(int stackId, int threadId, long timeNanos, int records, long[] values) {
            if (records < 1) {
                throw new IllegalArgumentException("records " + records + " < 1");
            }
            sample(stackId, threadId, timeNanos, values);
            if (records > 1) {
                if (sampleRecords == null) {
                    sampleRecords = new int[sampleStack.length];
                    Arrays.fill(sampleRecords, 1);
                }
                sampleRecords[count - 1] = records;
                this.records += records - 1;
            }
            return this;
        }

        /** The frames of an interned stack (do not modify). */
        int[] stackFrames(int stackId) {
            return stacks.get(stackId);
        }

        /** The thread of sample {@code index}. */
        int threadOf(int index) {
            return sampleThread[index];
        }

        /** How many samples were added so far (the next sample's index). */
        int sampleCount() {
            return count;
        }

        /** As {@link #addTo(int, long, long[])}, for a sample that stands for {@code records} samples. */
        void addTo(int index, long timeNanos, int records, long[] values) {
            addTo(index, timeNanos, values);
            if (records > 1) {
                sampleRecords[index] += records - 1;
                this.records += records - 1;
            }
        }

        /** Adds {@code values} to sample {@code index} (merging two samples); it keeps the earlier time. */
        void addTo(int index, long timeNanos, long[] values) {
            if (shared) {
                unshare();
            }
            for (int v = 0; v < values.length; v++) {
                sampleValues[v][index] += values[v];
            }
            if (timeNanos < sampleTime[index]) {
                sampleTime[index] = timeNanos;
            }
            if (sampleRecords == null) {
                sampleRecords = new int[sampleStack.length];
                Arrays.fill(sampleRecords, 1);
            }
            sampleRecords[index]++;
            records++;
        }

        /**
         * The profile of what was added so far. Its sample columns are the builder's, trimmed one at a time (a
         * profile of millions of samples never needs its columns twice at once); the builder may go on,
         * copying them before it changes them.
         */
        public Profile build() {
            if (!shared && sampleStack.length != count) {
                sampleStack = Arrays.copyOf(sampleStack, count);
                sampleThread = Arrays.copyOf(sampleThread, count);
                sampleTime = Arrays.copyOf(sampleTime, count);
                for (int v = 0; v < sampleValues.length; v++) {
                    sampleValues[v] = Arrays.copyOf(sampleValues[v], count);
                }
                if (sampleRecords != null) {
                    sampleRecords = Arrays.copyOf(sampleRecords, count);
                }
                if (sampleLabels != null) {
                    sampleLabels = Arrays.copyOf(sampleLabels, count);
                }
            }
            shared = true;
            return new Profile(this);
        }

        private void unshare() {
            sampleStack = sampleStack.clone();
            sampleThread = sampleThread.clone();
            sampleTime = sampleTime.clone();
            for (int v = 0; v < sampleValues.length; v++) {
                sampleValues[v] = sampleValues[v].clone();
            }
            if (sampleRecords != null) {
                sampleRecords = sampleRecords.clone();
            }
            if (sampleLabels != null) {
                sampleLabels = sampleLabels.clone();
            }
            shared = false;
        }
    }

    /** A label set's ids as a hash key (equals and hashCode written out, as {@link Frame}'s). */
    private static final class LabelSetKey implements Comparable<LabelSetKey> {
        final int[] ids;
        final int hash;

        LabelSetKey(int[] ids) {
            this.ids = ids;
            this.hash = Arrays.hashCode(ids);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LabelSetKey k && hash == k.hash && Arrays.equals(ids, k.ids);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        /** Keeps a hash map of sets whose hash codes a file made collide a tree instead of a list. */
        @Override
        public int compareTo(LabelSetKey o) {
            return Arrays.compare(ids, o.ids);
        }
    }
}
