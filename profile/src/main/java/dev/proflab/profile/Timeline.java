package dev.proflab.profile;

import dev.proflab.text.Phrase;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every thread of a JFR recording did over time: Java's answer to Go's {@code go tool trace}.
 * Read by {@link TimelineReader}; summed up for a time window by {@code dev.proflab.report.TimelineReport}.
 *
 * <p>All times are nanoseconds since the start of the recording.
 *
 * @param file         the recording
 * @param engine       {@code jfr} or {@code async-profiler}
 * @param durationNanos how long the recording lasts
 * @param cpuIntervalNanos  sampling period of {@code jdk.ExecutionSample} (0: unknown or none)
 * @param wallIntervalNanos sampling period of async-profiler's {@code profiler.WallClockSample} (0: none)
 * @param lanes        one per thread that left any event, in order of first appearance
 * @param bands        GC pauses and safepoints: they stop every Java thread, so they span all lanes
 * @param hasJdkEvents whether the recording holds the JDK's GC or safepoint events at all (async-profiler's
 *                     recordings do not, unless made with {@code jfrsync})
 * @param eventCounts  events read per JFR type, for the report and the tests
 */
public record Timeline(Path file, String engine, long durationNanos, long cpuIntervalNanos, long wallIntervalNanos,
                       List<Lane> lanes, List<Band> bands, boolean hasJdkEvents, Map<String, Long> eventCounts) {

    /** What a thread is doing. */
    public enum State {
        /** Running Java code (an execution sample, or a wall-clock sample in state RUNNABLE). */
        RUNNING,
        /** {@code LockSupport.park}: java.util.concurrent locks, queues, futures ({@code jdk.ThreadPark}). */
        PARKED,
        /** Waiting to enter a {@code synchronized} block held by another thread ({@code jdk.JavaMonitorEnter}). */
        BLOCKED,
        /** {@code Object.wait} ({@code jdk.JavaMonitorWait}). */
        WAITING,
        /** {@code Thread.sleep} ({@code jdk.ThreadSleep}). */
        SLEEPING,
        /** Not running, reason unknown (an async-profiler wall-clock sample in state SLEEPING). */
        IDLE;

        /** The lower-case name used in JSON and on the page. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A time range in which a thread was in one state, from an event with a duration. */
    public record Interval(long start, long end, State state) {
        public long duration() {
            return end - start;
        }
    }

    /**
     * One thread.
     *
     * @param id          the recording's thread id (constant-pool key)
     * @param name        the Java name (or the OS name for threads without one)
     * @param javaThreadId {@code Thread.threadId()}, 0 for VM-internal threads
     * @param start       when it started ({@code jdk.ThreadStart}), else its first event
     * @param end         when it ended ({@code jdk.ThreadEnd}), else its last event
     * @param startSeen   whether {@code start} is a real thread start seen in the recording
     * @param endSeen     whether {@code end} is a real thread end
     * @param cpuSamples  times of its execution samples, sorted
     * @param wallSamples times of its wall-clock samples (end of each batch), sorted
     * @param wallCounts  samples each wall-clock event stands for (async-profiler batches idle ones)
     * @param wallStates  the state of each wall-clock sample: RUNNING or IDLE
     * @param intervals   its park, monitor enter, wait and sleep intervals, sorted by start
     */
    public record Lane(long id, String name, long javaThreadId, long start, long end, boolean startSeen,
                       boolean endSeen, long[] cpuSamples, long[] wallSamples, int[] wallCounts, State[] wallStates,
                       List<Interval> intervals) {

        public long lifetime() {
            return Math.max(0, end - start);
        }
    }

    /** A stop-the-world pause across all threads. */
    public record Band(Kind kind, String name, long start, long duration) {

        public enum Kind {
            /** A GC pause ({@code jdk.GCPhasePause}, or {@code jdk.GarbageCollection} without phases). */
            GC,
            /** A safepoint ({@code jdk.SafepointBegin} to {@code SafepointEnd}, named by its VM operation). */
            SAFEPOINT;

            public String id() {
                return name().toLowerCase(Locale.ROOT);
            }
        }

        public long end() {
            return start + duration;
        }
    }

    /**
     * A line for the user when a part of the timeline cannot be shown, or null; it names the capture's settings
     * ({@code timeline}, {@code engine}) as {@link Phrase parameters}, for the caller to name its own way.
     */
    public Phrase notePhrase() {
        return notePhrase(hasJdkEvents, engine);
    }

    static Phrase notePhrase(boolean hasJdkEvents, String engine) {
        if (!hasJdkEvents) {
            return Phrase.of("no GC or safepoint events in this recording (" + engine + "): GC pauses and safepoints"
                    + " need a JDK Flight Recorder recording, e.g. one captured with ", Phrase.parameter("timeline"),
                    " (", Phrase.parameter("engine"), " jfr)");
        }
        return null;
    }

    /** {@link #notePhrase()} with the parameters named as this library names them, or null. */
    public String note() {
        Phrase p = notePhrase();
        return p == null ? null : p.toString();
    }
}
