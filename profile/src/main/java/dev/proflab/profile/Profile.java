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
 * objects). Reports are pure functions of this model.
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
            shared = false;
        }
    }
}
