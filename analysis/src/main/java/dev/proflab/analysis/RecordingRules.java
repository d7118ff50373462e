package dev.proflab.analysis;

import dev.proflab.profile.JfrEvents;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileException;
import jdk.jfr.consumer.EventStream;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * proflab's rules that need a JFR recording's own events beside the samples: either engine's files,
 * async-profiler's with the events it writes itself ({@code jdk.CPULoad}, {@code jdk.CPUInformation}, its lock
 * events) and those of {@code --jdk-events} ({@code jfrsync}). The small events are read by proflab's reader without
 * the stack traces ({@link JfrEvents}); the waits, when there are any, by the JDK's {@link EventStream}, for their
 * objects' classes and their stacks.
 *
 * <ul>
 *   <li>{@code proflab.one-lock}: most of the time spent waiting to enter monitors (or parked on one object) is
 *       spent on one object, found by its address: the lock every thread needs, which striping or a lock-free
 *       structure removes.
 *   <li>{@code proflab.gc-pauses}: the share of the recording the application was stopped for garbage collection
 *       ({@code jdk.GarbageCollection}'s {@code sumOfPauses}).
 *   <li>{@code proflab.cpu-coverage}: how much of the CPU time the JVM used ({@code jdk.CPULoad} times the
 *       hardware threads of {@code jdk.CPUInformation}) the CPU profile's samples account for: samples that were
 *       never taken (JFR's method sampler sees only Java code of Java threads; a timer coarser than the interval
 *       asked for) make every share in the profile a share of part of the time.
 * </ul>
 */
public final class RecordingRules {

    /** How many rules {@link #run} evaluates. */
    public static final int RULES = 3;
    /** A monitor with at least this share of the waiting is "the one lock". */
    static final double ONE_LOCK = 0.5;
    /** Waiting this many seconds per second of recording or more counts fully (as {@link ProfileRules}). */
    static final double LOCK_WAIT_PER_S = ProfileRules.LOCK_WAIT_PER_S;
    /** ... or this many waits for the lock per second of recording. */
    static final double LOCK_WAITS_PER_S = 100;
    /** Below this share of the recording spent in GC pauses, nothing is said. */
    static final double GC_PAUSE_SHARE = 0.02;
    /** A CPU profile accounting for less than this share of the JVM's CPU time is reported. */
    static final double COVERAGE = 0.5;
    /** ... when the JVM used at least this many cores on average (less is too little to compare). */
    static final double COVERAGE_MIN_CORES = 0.2;
    private static final Pattern JDK = Pattern.compile("^(java|javax|jdk|sun|com\\.sun)\\.");

    private RecordingRules() {
    }

    /** What one object was waited for. */
    static final class Waits {
        final String kind;
        final String type;
        long nanos;
        long count;
        final Map<String, Long> sites = new HashMap<>();

        Waits(String kind, String type) {
            this.kind = kind;
            this.type = type;
        }
    }

    /** What the pass over the recording collects (package-private: tests give the rules numbers of their own). */
    static final class Facts {
        final Map<String, Waits> waits = new HashMap<>(); // by kind and address
        long waitNanos;
        long gcCount;
        long gcPauseNanos;
        long gcLongest;
        double cpuLoadSum;
        int cpuLoads;
        int hwThreads;
        Instant first;
        Instant last;

        void seen(RecordedEvent e) {
            Instant s = e.getStartTime();
            Instant end = e.getEndTime();
            if (first == null || s.isBefore(first)) {
                first = s;
            }
            if (last == null || end.isAfter(last)) {
                last = end;
            }
        }
    }

    /**
     * Every rule's finding on the JFR recording {@code path}, named {@code file} in the commands they suggest.
     *
     * @param cpu      the recording's CPU profile (event cpu or itimer), or null when it has none
     * @param duration the recording's duration, as the other rules and reports count it (per second of recording),
     *                 or null: from the first to the last event read
     */
    public static List<Finding> run(Path path, String file, Profile cpu, Duration duration) {
        Facts f;
        try {
            f = read(path);
        } catch (OutOfMemoryError e) {
            // the JDK's parser reads each chunk's constant pools (every stack trace of it) before its events
            return List.of(new Finding("proflab.recording-rules", "proflab", -1, Finding.Severity.NA,
                    "proflab's rules on the recording's events did not run: the JDK's parser ran out of memory on "
                            + path.getFileName() + " (it holds each chunk's stack traces): give the JVM more with "
                            + "PROFLAB_JAVA_OPTS=-Xmx...", "", List.of(), ""));
        }
        return run(f, file, cpu, duration);
    }

    static List<Finding> run(Facts f, String file, Profile cpu, Duration duration) {
        List<Finding> out = new ArrayList<>();
        double seconds = duration != null && !duration.isZero() ? duration.toNanos() / 1e9
                : f.first == null ? 0 : Duration.between(f.first, f.last).toNanos() / 1e9;
        oneLock(f, seconds, file).ifPresent(out::add);
        gcPauses(f, seconds, file).ifPresent(out::add);
        if (cpu != null) {
            coverage(f, cpu, file).ifPresent(out::add);
        }
        return out;
    }

    /** Events of these types are read (few: one a second, one a collection) and all kept. */
    private static final Set<String> SMALL = Set.of("jdk.CPULoad", "jdk.CPUInformation", "jdk.GarbageCollection");
    private static final Set<String> WAITS = Set.of("jdk.JavaMonitorEnter", "jdk.ThreadPark");
    /** At most this many of {@link #SMALL}: a day of CPU load readings and collections. */
    private static final int MAX_SMALL = 1_000_000;

    private static Facts read(Path path) {
        Facts f = new Facts();
        // the small events by proflab's own reader, which leaves the stack traces alone (the JDK's parser reads every
        // one of a chunk first: 1.4 s of a 24 MB recording of 171,000 stacks that has no wait at all)
        JfrEvents.Result small;
        try {
            small = JfrEvents.read(path, SMALL, WAITS, MAX_SMALL);
        } catch (ProfileException e) {
            throw new AnalysisException(e.getMessage());
        }
        for (JfrEvents.Event e : small.events()) {
            Instant at = Instant.EPOCH.plusNanos(e.startNanos());
            f.first = f.first == null || at.isBefore(f.first) ? at : f.first;
            f.last = f.last == null || at.isAfter(f.last) ? at : f.last;
            switch (e.type()) {
                case "jdk.GarbageCollection" -> {
                    long pause = e.nanos("sumOfPauses");
                    f.gcCount++;
                    f.gcPauseNanos += pause;
                    f.gcLongest = Math.max(f.gcLongest, pause);
                }
                case "jdk.CPULoad" -> {
                    if (e.number("machineTotal") > 0) { // the first reading of a recording: nothing measured yet
                        f.cpuLoadSum += e.number("jvmUser") + e.number("jvmSystem");
                        f.cpuLoads++;
                    }
                }
                case "jdk.CPUInformation" -> f.hwThreads = Math.max(f.hwThreads, (int) e.number("hwThreads"));
                default -> {
                }
            }
        }
        if (WAITS.stream().mapToLong(t -> small.counts().getOrDefault(t, 0L)).sum() == 0) {
            return f;
        }
        // the waits need their object's class and their stacks: the JDK's parser, which builds only these events
        try (EventStream s = EventStream.openFile(path)) {
            s.onEvent("jdk.JavaMonitorEnter", e -> waited(f, e, "monitor", "monitorClass"));
            s.onEvent("jdk.ThreadPark", e -> waited(f, e, "park", "parkedClass"));
            s.start();
        } catch (IOException | RuntimeException e) {
            throw new AnalysisException(path + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        return f;
    }

    private static void waited(Facts f, RecordedEvent e, String kind, String classField) {
        f.seen(e);
        if (!e.hasField("address")) {
            return;
        }
        long address = e.getLong("address");
        if (address == 0) {
            return; // parked on nothing in particular (LockSupport.park() without a blocker)
        }
        RecordedClass c = e.getValue(classField);
        long nanos = e.getDuration().toNanos();
        Waits w = f.waits.computeIfAbsent(kind + "@" + Long.toHexString(address),
                k -> new Waits(kind, c == null ? "?" : c.getName()));
        w.nanos += nanos;
        w.count++;
        f.waitNanos += nanos;
        String site = ownSite(e.getStackTrace());
        if (site != null) {
            w.sites.merge(site, nanos, Long::sum);
        }
    }

    /** The application's own frame nearest to the top of a stack, or null. */
    private static String ownSite(RecordedStackTrace st) {
        if (st == null) {
            return null;
        }
        for (RecordedFrame fr : st.getFrames()) {
            if (fr.isJavaFrame() && fr.getMethod() != null && fr.getMethod().getType() != null) {
                String name = fr.getMethod().getType().getName() + "." + fr.getMethod().getName();
                if (!JDK.matcher(name).find()) {
                    return name;
                }
            }
        }
        return null;
    }

    private static Optional<Finding> oneLock(Facts f, double seconds, String file) {
        if (f.waitNanos <= 0 || seconds <= 0) {
            return Optional.empty();
        }
        Map.Entry<String, Waits> top = f.waits.entrySet().stream()
                .max(Map.Entry.<String, Waits>comparingByValue(java.util.Comparator.comparingLong(w -> w.nanos))
                        .thenComparing(Map.Entry.comparingByKey()))
                .orElseThrow();
        Waits w = top.getValue();
        double share = (double) w.nanos / f.waitNanos;
        if (share < ONE_LOCK) {
            return Optional.empty();
        }
        double perS = w.nanos / 1e9 / seconds;
        // how much it matters: the waiting, or how often threads collide on it (short waits are mostly spent
        // spinning, on the CPU, before a thread blocks: a wait profile sees only their end)
        double intensity = Math.min(1, Math.max(perS / LOCK_WAIT_PER_S, w.count / seconds / LOCK_WAITS_PER_S));
        double score = Math.min(100, share * 100 * intensity);
        String object = w.type + " " + top.getKey().substring(top.getKey().indexOf('@'));
        String what = w.kind.equals("monitor") ? "to enter the monitor of" : "parked on";
        List<String> evidence = new ArrayList<>();
        evidence.add(String.format(Locale.ROOT, "%d waits for %s (%.3f s) of %d waits on %d objects (%.3f s)",
                w.count, object, w.nanos / 1e9, f.waits.values().stream().mapToLong(x -> x.count).sum(),
                f.waits.size(), f.waitNanos / 1e9));
        String site = w.sites.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(null);
        if (site != null) {
            evidence.add(String.format(Locale.ROOT, "waits from %s: %.3f s", site, w.sites.get(site) / 1e9));
        }
        String summary = String.format(Locale.ROOT, "%.1f%% of the time threads waited %s one object, %s "
                + "(%.0f waits and %.3f s of waiting per second of recording).", share * 100, what, object,
                w.count / seconds, perS);
        String explanation = "Every thread needs this one lock, so they take turns: fewer threads could do the same "
                + "work. Hold it for less (move work out of the critical section), split what it guards (a lock per "
                + "part, striping), or use a structure that needs no lock (java.util.concurrent, LongAdder).";
        String next = site == null ? "proflab top " + file + " --event lock --classes"
                : "proflab list '" + site.replace("'", "") + "' " + file + " --event lock";
        return Optional.of(new Finding("proflab.one-lock", "proflab", score, Finding.severityOf(score), summary,
                explanation, evidence, next));
    }

    private static Optional<Finding> gcPauses(Facts f, double seconds, String file) {
        if (f.gcCount == 0 || seconds <= 0) {
            return Optional.empty();
        }
        double share = f.gcPauseNanos / 1e9 / seconds;
        if (share < GC_PAUSE_SHARE) {
            return Optional.empty();
        }
        double score = Math.min(100, share * 500);
        return Optional.of(new Finding("proflab.gc-pauses", "proflab", score, Finding.severityOf(score),
                String.format(Locale.ROOT, "The application was stopped for garbage collection %.1f%% of the time "
                        + "(%d collections, %.1f ms of pauses in %.1f s).", share * 100, f.gcCount,
                        f.gcPauseNanos / 1e6, seconds),
                "While the collector pauses the application, no request is served: every pause is latency. Allocate "
                        + "less (an allocation profile shows where), keep less alive, or give the heap more room.",
                List.of(String.format(Locale.ROOT, "longest pause %.2f ms", f.gcLongest / 1e6),
                        String.format(Locale.ROOT, "%d collections, %.1f ms in all", f.gcCount, f.gcPauseNanos / 1e6)),
                "proflab timeline " + file));
    }

    private static Optional<Finding> coverage(Facts f, Profile cpu, String file) {
        if (f.cpuLoads == 0 || f.hwThreads <= 0 || cpu.meta().interval() <= 0
                || cpu.meta().duration() == null) {
            return Optional.empty();
        }
        double cores = f.cpuLoadSum / f.cpuLoads * f.hwThreads;
        double seconds = cpu.meta().duration().toNanos() / 1e9;
        if (cores < COVERAGE_MIN_CORES || seconds <= 0) {
            return Optional.empty();
        }
        long samples = cpu.recordCount();
        double sampled = samples * (cpu.meta().interval() / 1e9) / seconds;
        double coverage = sampled / cores;
        if (coverage >= COVERAGE) {
            return Optional.empty();
        }
        double score = Math.min(100, (1 - coverage) * 100);
        String engine = cpu.meta().engine() == null ? "" : cpu.meta().engine();
        String why = engine.toLowerCase(Locale.ROOT).contains("async")
                ? "the kernel's timer may be coarser than the interval asked for (250 Hz: one sample per 4 ms at "
                + "most per thread), or samples were dropped"
                : "JDK Flight Recorder's method sampler sees only Java threads running Java code: native code, the "
                + "garbage collector and the JIT compiler are not in the profile";
        return Optional.of(new Finding("proflab.cpu-coverage", "proflab", score, Finding.severityOf(score),
                String.format(Locale.ROOT, "The CPU profile accounts for %.0f%% of the CPU time the JVM used "
                        + "(%.2f of %.2f cores).", coverage * 100, sampled, cores),
                "A share in this profile is a share of the part that was sampled: " + why + ". Record with "
                        + "async-profiler (--engine async) to see every thread, or at a longer interval.",
                List.of(String.format(Locale.ROOT, "%d samples every %.1f ms over %.1f s", samples,
                                cpu.meta().interval() / 1e6, seconds),
                        String.format(Locale.ROOT, "jdk.CPULoad: the JVM used %.2f cores on average (%d readings, %d "
                                + "hardware threads)", cores, f.cpuLoads, f.hwThreads)),
                "proflab profile --pid PID --engine async -e cpu"));
    }
}
