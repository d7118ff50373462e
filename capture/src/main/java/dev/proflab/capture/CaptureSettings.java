package dev.proflab.capture;

import dev.proflab.text.Phrase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to sample and how often, independent of the engine that does it.
 *
 * @param events        what to record; not empty
 * @param interval      sampling period of cpu, itimer and wall; null for the defaults (10 ms; wall 50 ms)
 * @param allocBytes    alloc and live: async-profiler takes one sample every this many allocated bytes
 * @param lockThreshold lock: contended waits shorter than this are not recorded
 * @param jdkEvents     async-profiler: also record the JDK's own events (GC, safepoints, ...) into the same
 *                      file ({@code jfrsync=default}); JFR always records them
 * @param timeline      JFR: also record what a timeline needs ({@link #TIMELINE_SETTINGS}): thread start/end,
 *                      parks, monitor enters and waits, sleeps of {@link #TIMELINE_THRESHOLD} and more, every
 *                      safepoint and VM operation (GC pauses are in the default settings)
 */
public record CaptureSettings(Set<Event> events, Duration interval, long allocBytes, Duration lockThreshold,
                              boolean jdkEvents, boolean timeline) {

    /** {@code timeline}: waits shorter than this are not recorded. */
    public static final Duration TIMELINE_THRESHOLD = Duration.ofMillis(1);
    /** {@code timeline}: the JFR settings laid over the default ones (a lock threshold given with event lock wins). */
    public static final Map<String, String> TIMELINE_SETTINGS = timelineSettings();

    private static Map<String, String> timelineSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        String t = jfrTime(TIMELINE_THRESHOLD);
        s.put("jdk.ThreadStart#enabled", "true");
        s.put("jdk.ThreadEnd#enabled", "true");
        for (String e : List.of("jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait", "jdk.ThreadSleep")) {
            s.put(e + "#enabled", "true");
            s.put(e + "#threshold", t);
        }
        for (String e : List.of("jdk.SafepointBegin", "jdk.SafepointEnd", "jdk.ExecuteVMOperation")) {
            s.put(e + "#enabled", "true");
            s.put(e + "#threshold", "0 ns");
        }
        s.put("jdk.GCPhasePause#enabled", "true");
        s.put("jdk.GarbageCollection#enabled", "true");
        return Collections.unmodifiableMap(s);
    }

    /** Without the timeline's settings. */
    public CaptureSettings(Set<Event> events, Duration interval, long allocBytes, Duration lockThreshold,
                           boolean jdkEvents) {
        this(events, interval, allocBytes, lockThreshold, jdkEvents, false);
    }

    public static final Duration DEFAULT_CPU_INTERVAL = Duration.ofMillis(10);
    public static final Duration DEFAULT_WALL_INTERVAL = Duration.ofMillis(50);
    public static final long DEFAULT_ALLOC_BYTES = 512 * 1024;
    public static final Duration DEFAULT_LOCK_THRESHOLD = Duration.ofNanos(10_000);
    /** JFR samples allocations by rate, not by bytes: this many per second at most. */
    public static final String JFR_ALLOCATION_THROTTLE = "300/s";

    private static final Duration MIN_INTERVAL = Duration.ofNanos(100_000);
    private static final Duration MAX_INTERVAL = Duration.ofSeconds(10);

    public CaptureSettings {
        if (events == null || events.isEmpty()) {
            throw new CaptureException("no event given: use " + Event.ids());
        }
        events = Collections.unmodifiableSet(EnumSet.copyOf(events));
        if (interval != null && (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0)) {
            throw new CaptureException(Phrase.of(Phrase.parameter("interval"), ": " + format(interval)
                    + " is out of range (100us to 10s)"));
        }
        if (allocBytes < 1 || allocBytes > (1L << 30)) {
            throw new CaptureException(Phrase.of(Phrase.parameter("allocBytes"), ": " + allocBytes
                    + " bytes is out of range (1 to 1g)"));
        }
        if (lockThreshold == null) {
            lockThreshold = DEFAULT_LOCK_THRESHOLD;
        }
        if (lockThreshold.isNegative() || lockThreshold.compareTo(MAX_INTERVAL) > 0) {
            throw new CaptureException(Phrase.of(Phrase.parameter("lockThreshold"), ": " + format(lockThreshold)
                    + " is out of range (0 to 10s)"));
        }
    }

    /** The given events with every other setting at its default. */
    public static CaptureSettings of(Set<Event> events) {
        return new CaptureSettings(events, null, DEFAULT_ALLOC_BYTES, DEFAULT_LOCK_THRESHOLD, false);
    }

    public boolean has(Event e) {
        return events.contains(e);
    }

    /** The sampling period of cpu/itimer ({@code wall == false}) or of wall. */
    public Duration intervalOf(boolean wall) {
        return interval != null ? interval : wall ? DEFAULT_WALL_INTERVAL : DEFAULT_CPU_INTERVAL;
    }

    /** Fails with a one-line reason when {@code engine} cannot record these events together. */
    public void check(Engine engine) {
        if (has(Event.CPU) && has(Event.ITIMER)) {
            throw new CaptureException("cpu and itimer both sample CPU time: choose one");
        }
        if (engine.isJfr()) {
            for (Event e : List.of(Event.WALL, Event.ITIMER)) {
                if (has(e)) {
                    throw new CaptureException("event " + e.id() + " needs async-profiler: JDK Flight Recorder has "
                            + (e == Event.WALL ? "no wall-clock sampler" : "no setitimer sampler (use cpu)"));
                }
            }
        }
        if (timeline && !engine.isJfr()) {
            throw new CaptureException(Phrase.of(Phrase.parameter("timeline"), " needs JDK Flight Recorder (",
                    Phrase.parameter("engine"), " jfr): async-profiler does not record thread parks, sleeps, safepoints"
                    + " at these thresholds"));
        }
        if (engine == Engine.JFR_CPU_TIME && !has(Event.CPU)) {
            throw new CaptureException(Phrase.of("engine jfr-cpu-time samples CPU time: add ", Phrase.parameter("event"),
                    " cpu"));
        }
    }

    /**
     * async-profiler's options for these events (without {@code start}, {@code file} or the output format):
     * {@code event=cpu,interval=10000000,alloc=524288,live,lock=10000}. Times in nanoseconds, sizes in bytes.
     */
    public String asyncProfilerOptions() {
        check(Engine.ASYNC_PROFILER);
        List<String> o = new ArrayList<>();
        Event cpu = has(Event.CPU) ? Event.CPU : has(Event.ITIMER) ? Event.ITIMER : null;
        if (cpu != null) {
            o.add("event=" + cpu.id());
            o.add("interval=" + intervalOf(false).toNanos());
            if (has(Event.WALL)) {
                o.add("wall=" + intervalOf(true).toNanos());
            }
        } else if (has(Event.WALL)) {
            o.add("event=wall");
            o.add("interval=" + intervalOf(true).toNanos());
        }
        if (has(Event.ALLOC) || has(Event.LIVE)) {
            o.add("alloc=" + allocBytes);
            if (has(Event.LIVE)) {
                o.add("live");
            }
        }
        if (has(Event.LOCK)) {
            o.add("lock=" + lockThreshold.toNanos());
        }
        if (jdkEvents) {
            o.add("jfrsync=default");
        }
        return String.join(",", o);
    }

    /**
     * JFR settings to lay over the JDK's {@code default} configuration, in the form of
     * {@code jdk.jfr.Configuration#getSettings()}: {@code "jdk.ExecutionSample#period" -> "10 ms"}.
     */
    public Map<String, String> jfrSettings(Engine engine) {
        check(engine);
        Map<String, String> s = new LinkedHashMap<>();
        if (timeline) {
            s.putAll(TIMELINE_SETTINGS);
        }
        if (has(Event.CPU)) {
            if (engine == Engine.JFR_CPU_TIME) {
                s.put("jdk.CPUTimeSample#enabled", "true");
                s.put("jdk.CPUTimeSample#throttle", jfrTime(intervalOf(false)));
                s.put("jdk.ExecutionSample#enabled", "false");
            } else {
                s.put("jdk.ExecutionSample#enabled", "true");
                s.put("jdk.ExecutionSample#period", jfrTime(intervalOf(false)));
            }
        }
        if (has(Event.ALLOC)) {
            s.put("jdk.ObjectAllocationSample#enabled", "true");
            s.put("jdk.ObjectAllocationSample#throttle", JFR_ALLOCATION_THROTTLE);
        }
        if (has(Event.LIVE)) {
            s.put("jdk.OldObjectSample#enabled", "true");
            s.put("jdk.OldObjectSample#cutoff", "0 ns");
        }
        if (has(Event.LOCK)) {
            s.put("jdk.JavaMonitorEnter#enabled", "true");
            s.put("jdk.JavaMonitorEnter#threshold", jfrTime(lockThreshold));
            s.put("jdk.ThreadPark#enabled", "true");
            s.put("jdk.ThreadPark#threshold", jfrTime(lockThreshold));
        }
        return s;
    }

    /**
     * The JFR event types that hold each event in a recording made by {@code engine}: what a reader
     * should look at for "cpu", "alloc" and so on. Also written to the sidecar ({@link Metadata#eventTypes()}).
     */
    public Map<String, List<String>> eventTypes(Engine engine) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (Event e : events) {
            m.put(e.id(), eventTypes(engine, e));
        }
        return m;
    }

    static List<String> eventTypes(Engine engine, Event e) {
        if (engine == Engine.ASYNC_PROFILER) {
            return switch (e) {
                case CPU, ITIMER -> List.of("jdk.ExecutionSample");
                case WALL -> List.of("profiler.WallClockSample");
                case ALLOC -> List.of("jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB");
                case LIVE -> List.of("profiler.LiveObject");
                case LOCK -> List.of("jdk.JavaMonitorEnter", "jdk.ThreadPark");
            };
        }
        return switch (e) {
            case CPU -> List.of(engine == Engine.JFR_CPU_TIME ? "jdk.CPUTimeSample" : "jdk.ExecutionSample");
            case ALLOC -> List.of("jdk.ObjectAllocationSample");
            case LIVE -> List.of("jdk.OldObjectSample");
            case LOCK -> List.of("jdk.JavaMonitorEnter", "jdk.ThreadPark");
            case WALL, ITIMER -> List.of();
        };
    }

    /** A time the way JFR settings take it: "10 ms", "250 us", "7 ns". */
    static String jfrTime(Duration d) {
        long ns = d.toNanos();
        if (ns == 0) {
            return "0 ns";
        } else if (ns % 1_000_000 == 0) {
            return ns / 1_000_000 + " ms";
        } else if (ns % 1_000 == 0) {
            return ns / 1_000 + " us";
        }
        return ns + " ns";
    }

    private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?");

    /** Parses 10ms, 250us, 1s, 5000ns; a bare number is milliseconds. */
    public static Duration parseTime(String text, String option) {
        Matcher m = TIME.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CaptureException(option + ": '" + text + "' is not a time (use e.g. 10ms, 100us, 1s)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        double ns = v * switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> throw new IllegalStateException(unit);
        };
        if (ns > 3600e9) {
            throw new CaptureException(option + ": '" + text + "' is too long");
        }
        return Duration.ofNanos(Math.round(ns));
    }

    /** Parses 512k, 1m, 4096 (bytes), 2g; k, m, g are powers of 1024. */
    public static long parseBytes(String text, String option) {
        Matcher m = SIZE.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CaptureException(option + ": '" + text + "' is not a size (use e.g. 512k, 1m, 4096)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).substring(0, 1);
        double bytes = v * switch (unit) {
            case "b" -> 1;
            case "k" -> 1024;
            case "m" -> 1024 * 1024;
            case "g" -> 1024 * 1024 * 1024;
            case "t" -> 1024d * 1024 * 1024 * 1024;
            default -> throw new IllegalStateException(unit);
        };
        if (bytes > (1L << 40)) {
            throw new CaptureException(option + ": '" + text + "' is too large");
        }
        return Math.round(bytes);
    }

    /** A duration for people: 10ms, 250us, 1.5s. */
    public static String format(Duration d) {
        long ns = d.toNanos();
        if (ns % 1_000_000_000L == 0 && ns != 0) {
            return ns / 1_000_000_000L + "s";
        } else if (ns >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1fs", ns / 1e9);
        } else if (ns % 1_000_000 == 0 && ns != 0) {
            return ns / 1_000_000 + "ms";
        } else if (ns % 1_000 == 0 && ns != 0) {
            return ns / 1_000 + "us";
        }
        return ns + "ns";
    }

    /** A size for people: 512k, 1m, 100. */
    public static String formatBytes(long b) {
        if (b % (1L << 30) == 0) {
            return b / (1L << 30) + "g";
        } else if (b % (1L << 20) == 0) {
            return b / (1L << 20) + "m";
        } else if (b % 1024 == 0) {
            return b / 1024 + "k";
        }
        return Long.toString(b);
    }

    /** One line describing the sampling: {@code cpu every 10ms, alloc every 512k, lock waits >= 10us}. */
    public String describe(Engine engine) {
        List<String> parts = new ArrayList<>();
        for (Event e : events) {
            parts.add(switch (e) {
                case CPU -> engine == Engine.JFR_CPU_TIME ? "cpu time every " + format(intervalOf(false))
                        : "cpu every " + format(intervalOf(false));
                case ITIMER -> "itimer every " + format(intervalOf(false));
                case WALL -> "wall every " + format(intervalOf(true));
                case ALLOC -> engine.isJfr() ? "alloc at most " + JFR_ALLOCATION_THROTTLE
                        : "alloc every " + formatBytes(allocBytes);
                case LIVE -> engine.isJfr() ? "live (old object samples)" : "live every " + formatBytes(allocBytes);
                case LOCK -> "lock waits >= " + format(lockThreshold);
            });
        }
        if (timeline) {
            parts.add("timeline (thread start/end, waits >= " + format(TIMELINE_THRESHOLD) + ", GC, safepoints)");
        }
        return String.join(", ", parts);
    }
}
