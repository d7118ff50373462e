package dev.proflab.analysis;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.report.Selection;
import dev.proflab.report.Top;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * proflab's own rules: pure functions of the profile model, so they work on both engines' JFR files and on pprof
 * files. Each says what a teacher would point to on the labs: the frame that dominates and what kind of code it is,
 * time a CPU profile spends waiting for locks, whether there are enough samples to conclude, and whether
 * {@code list} will have line numbers to show.
 */
public final class ProfileRules {

    /** How many rules {@link #run} evaluates on one event. */
    public static final int RULES = 4;
    /** Below this many samples a share is too uncertain to act on alone. */
    static final int FEW_SAMPLES = 200;
    /** A frame with at least this share of the self value is reported as dominant. */
    static final double DOMINANT = 0.20;

    /** Frames that mean a thread is waiting for a lock or a condition, not computing. */
    private static final Pattern WAITING = Pattern.compile(
            "Unsafe\\.park|LockSupport\\.park|Object\\.wait|ObjectMonitor::|ObjectSynchronizer::|SpinPause"
                    + "|pthread_cond_(timed)?wait|futex|__lll_lock_wait|AbstractQueuedSynchronizer\\.acquire");
    private static final java.util.Set<String> ON_CPU = java.util.Set.of("cpu", "itimer");
    /** The events a profile is recorded for; the others are the timeline's. */
    private static final java.util.Set<String> MAIN = java.util.Set.of("cpu", "itimer", "wall", "alloc", "live", "lock");
    /** Allocation at this rate or more counts fully; below, a dominant site matters in proportion. */
    static final double ALLOC_BYTES_PER_S = 100e6;
    /** Waiting for locks this many seconds per second of recording or more counts fully. */
    static final double LOCK_WAIT_PER_S = 0.1;
    /** A leaf frame of a thread that waits: the JDK's park and wait, and what they become in native code and the kernel. */
    private static final Pattern WAITING_LEAF = Pattern.compile("park|Object\\.wait|Thread\\.sleep|futex|pthread_cond"
            + "|epoll_wait|nanosleep|ObjectMonitor::|__schedule");
    private static final Pattern JDK = Pattern.compile("^(java|javax|jdk|sun|com\\.sun)\\.");
    private static final Pattern GC = Pattern.compile("G1|ZGC|Shenandoah|ParallelGC|Serial|GCTask|GangWorker|WorkerThread::"
            + "|Par(New|Scavenge)|(^| )GC|MarkSweep|Evacuat|CollectedHeap");
    private static final Pattern JIT = Pattern.compile("CompileBroker|C2Compiler|Compilation::|Compile::|PhaseIdealLoop"
            + "|PhaseChaitin|Parse::|ciEnv|C1_|LinearScan");

    private ProfileRules() {
    }

    /** Every rule's finding on {@code p} (the file named {@code file} in the commands they suggest). */
    public static List<Finding> run(Profile p, String file) {
        List<Finding> out = new ArrayList<>();
        Top.Result top = Top.compute(p, Selection.all(), 0, false);
        Map<String, Frame> frames = framesByName(p);
        long samples = top.header().samples();
        String event = p.meta().event();
        if (!MAIN.contains(event)) {
            return out; // the timeline's events (park, monitor, native, ...): JMC's rules and proflab timeline read them
        }
        dominant(p, top, frames, event, file).ifPresent(out::add);
        if (event.equals("cpu") || event.equals("itimer")) {
            waiting(top, event, file).ifPresent(out::add);
        }
        if (event.equals("cpu") || event.equals("itimer") || event.equals("wall")) {
            idleThreads(p, event, file).ifPresent(out::add);
        }
        // too few samples qualifies a conclusion drawn from them: an event nothing is concluded from (a handful of
        // the JDK's lock events in a CPU recording) needs no warning of its own
        if (out.stream().anyMatch(f -> f.severity() == Finding.Severity.WARNING || f.severity() == Finding.Severity.INFO)) {
            fewSamples(top, samples, event).ifPresent(out::add);
        }
        noLines(top, frames, file).ifPresent(out::add);
        return out;
    }

    private static Optional<Finding> dominant(Profile p, Top.Result top, Map<String, Frame> frames, String event,
                                              String file) {
        if (top.rows().isEmpty() || top.header().total() <= 0) {
            return Optional.empty();
        }
        boolean onCpu = ON_CPU.contains(event);
        Top.Row self = top.rows().get(0);
        String name = self.name();
        double share = self.flatPercent() / 100;
        String kind = kind(name, frames.get(name));
        List<String> evidence = new ArrayList<>();
        evidence.add(String.format(Locale.ROOT, "%s: flat %.2f%%, cum %.2f%%", name, self.flatPercent(), self.cumPercent()));
        Map.Entry<String, Long> site = topOwnSite(p);
        if (!onCpu && site != null) {
            // an allocation, a lock wait, a park: the leaf is the JDK's (or the type allocated); the teacher points to
            // the application's own frame nearest to it
            name = site.getKey();
            share = (double) site.getValue() / top.header().total();
            kind = "own code";
        } else if (onCpu && !kind.equals("own code") && site != null) {
            evidence.add(String.format(Locale.ROOT, "nearest own code below the leaves: %s (%.1f%%)", site.getKey(),
                    100.0 * site.getValue() / top.header().total()));
        }
        if (share < DOMINANT) {
            return Optional.empty();
        }
        String what = switch (event) {
            case "cpu", "itimer" -> "runs on the CPU (self)";
            case "wall" -> "spends wall-clock time (the nearest own frame)";
            case "alloc" -> "allocates (the nearest own frame to each allocation)";
            case "live" -> "allocated what is still live (the nearest own frame)";
            case "lock", "monitor", "park" -> "waits (the nearest own frame to each wait)";
            default -> "is the nearest own frame";
        };
        // a share says where; how much there is says whether it matters: the same dominant site in a program that
        // allocates 0.1 MB/s, or waits a few milliseconds, is not a finding
        double intensity = 1;
        String rate = "";
        double seconds = p.meta().duration() == null ? 0 : p.meta().duration().toNanos() / 1e9;
        String unit = top.header().type().unit();
        if (seconds > 0 && (event.equals("alloc") || event.equals("live")) && unit.equals("bytes")) {
            double perS = top.header().total() / seconds;
            intensity = Math.min(1, perS / ALLOC_BYTES_PER_S);
            rate = String.format(Locale.ROOT, " (%.1f MB/s allocated)", perS / 1e6);
        } else if (seconds > 0 && event.equals("lock") && unit.equals("nanoseconds")) {
            double perS = top.header().total() / 1e9 / seconds;
            intensity = Math.min(1, perS / LOCK_WAIT_PER_S);
            rate = String.format(Locale.ROOT, " (%.3f s of waiting per second of recording)", perS);
        }
        double score = Math.min(100, share * 100 * intensity);
        String summary = String.format(Locale.ROOT, "%s (%s) %s in %.1f%% of the %s profile%s.", name, kind, what,
                share * 100, event, rate);
        String explanation = switch (kind) {
            case "own code" -> onCpu
                    ? "One method of the application holds most of the profile: making it cheaper, or calling it "
                    + "less, is where a change pays most."
                    : "One method of the application is where most of this profile's events come from: that is the "
                    + "line to change (list shows the lines).";
            case "JDK" -> "A method of the JDK holds most of the profile: look at who calls it (peek); the fix is "
                    + "usually in the caller, calling it less or with other arguments.";
            case "GC" -> "Garbage collection holds most of the profile: allocate less (an allocation profile shows "
                    + "where), or give the collector more room.";
            case "JIT" -> "The JIT compiler holds most of the profile: usual during warm-up; if it lasts, the program "
                    + "may keep deoptimising.";
            case "kernel" -> "The kernel holds most of the profile: system calls (I/O, locks, memory mapping); peek "
                    + "shows which Java code makes them.";
            default -> "Native code holds most of the profile: a library of the JVM or of the application.";
        };
        String next = kind.equals("own code") && !onCpu
                ? "proflab list '" + quote(name) + "' " + file + (event.equals("cpu") ? "" : " --event " + event)
                : "proflab peek '" + quote(name) + "' " + file;
        return Optional.of(new Finding("proflab.dominant-frame", "proflab", score, Finding.severityOf(score),
                summary, explanation, evidence, next));
    }

    /** The application's own frame nearest to the leaf of each sample, by value: the heaviest one, or null. */
    static Map.Entry<String, Long> topOwnSite(Profile p) {
        int vi = p.defaultValueIndex();
        String[] own = new String[p.frameCount()]; // each frame's name when it is the application's own, else ""
        long[] byStack = new long[p.stackCount()];
        for (int i = 0; i < p.sampleCount(); i++) {
            byStack[p.stackOf(i)] += p.value(i, vi);
        }
        Map<String, Long> sites = new HashMap<>();
        for (int st = 0; st < byStack.length; st++) {
            if (byStack[st] == 0) {
                continue;
            }
            for (int fid : p.stack(st)) { // leaf first
                if (own[fid] == null) {
                    Frame f = p.frame(fid);
                    own[fid] = f.kind().isJava() && !JDK.matcher(f.name()).find() ? f.name() : "";
                }
                String name = own[fid];
                if (!name.isEmpty()) {
                    sites.merge(name, byStack[st], Long::sum);
                    break;
                }
            }
        }
        return sites.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))).orElse(null);
    }

    private static Optional<Finding> waiting(Top.Result top, String event, String file) {
        double share = 0;
        List<String> evidence = new ArrayList<>();
        for (Top.Row r : top.rows()) {
            if (WAITING.matcher(r.name()).find() && r.flatPercent() > 0) {
                share += r.flatPercent() / 100;
                if (evidence.size() < 5) {
                    evidence.add(String.format(Locale.ROOT, "%s: flat %.2f%%", r.name(), r.flatPercent()));
                }
            }
        }
        if (share < 0.05) {
            return Optional.empty();
        }
        double score = Math.min(100, share * 150);
        String summary = String.format(Locale.ROOT, "%.1f%% of the %s profile is threads waiting for locks or "
                + "conditions (parking, monitor enter, spinning).", share * 100, event);
        String explanation = event.equals("wall")
                ? "In a wall-clock profile waiting threads are expected (idle pools); it matters when the threads "
                + "that wait are the ones doing the work. A lock profile shows which lock and who holds it."
                : "CPU spent spinning or parking is contention: threads compete for a lock. A lock profile shows "
                + "which lock and how long each wait is.";
        return Optional.of(new Finding("proflab.contention", "proflab", score, Finding.severityOf(score),
                summary, explanation, evidence, "proflab profile --pid PID -e lock; proflab timeline " + file));
    }

    private static Optional<Finding> idleThreads(Profile p, String event, String file) {
        int threads = p.threadCount();
        if (threads == 0) {
            return Optional.empty();
        }
        long[] all = new long[threads];
        long[] waiting = new long[threads];
        byte[] waits = new byte[p.frameCount()]; // 0 not known yet, 1 a leaf that waits, 2 one that does not
        for (int i = 0; i < p.sampleCount(); i++) {
            int t = p.threadOf(i);
            if (t < 0 || t >= threads) {
                continue;
            }
            int[] stack = p.stack(p.stackOf(i));
            all[t]++;
            if (stack.length > 0 && waits[stack[0]] == 0) {
                waits[stack[0]] = (byte) (WAITING_LEAF.matcher(p.frame(stack[0]).name()).find() ? 1 : 2);
            }
            if (stack.length > 0 && waits[stack[0]] == 1) {
                waiting[t]++;
            }
        }
        int seen = 0;
        int idle = 0;
        List<String> names = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            if (all[t] == 0) {
                continue;
            }
            seen++;
            if (waiting[t] == all[t]) {
                idle++;
                if (names.size() < 5) {
                    names.add(p.threadName(t));
                }
            }
        }
        if (idle < 10 || idle * 2 < seen) {
            return Optional.empty();
        }
        double score = Math.min(100, 100.0 * idle / seen);
        return Optional.of(new Finding("proflab.idle-threads", "proflab", score, Finding.severityOf(score),
                String.format(Locale.ROOT, "%d of the %d threads sampled never ran: every sample of theirs waits "
                        + "(parked, sleeping, in a monitor or a futex).", idle, seen),
                "Threads that only wait cost memory (a stack each) and hide the ones that work: a pool larger than "
                        + "its work, or threads started and never ended (a leak: their number grows). The timeline shows "
                        + "when each started and what it waits for.",
                names.stream().map(n -> "thread " + n).toList(), "proflab timeline " + file));
    }

    private static Optional<Finding> fewSamples(Top.Result top, long samples, String event) {
        if (samples < 0 || samples >= FEW_SAMPLES) {
            return Optional.empty();
        }
        String interval = "";
        if (!top.rows().isEmpty() && samples > 0) {
            double p = top.rows().get(0).flatPercent() / 100;
            double[] w = wilson(p, samples);
            if (samples >= 50 && w[1] - w[0] < 0.15) {
                return Optional.empty(); // few, but the top share is already known to within 15 points
            }
            interval = String.format(Locale.ROOT, " The top frame's share, %.1f%%, could be anywhere from %.1f%% to "
                    + "%.1f%% (95%% Wilson interval).", p * 100, w[0] * 100, w[1] * 100);
        }
        double score = samples < 50 ? 80 : 50;
        return Optional.of(new Finding("proflab.few-samples", "proflab", score, Finding.severityOf(score),
                samples + " samples of " + event + ": too few to tell small differences apart." + interval,
                "Record longer or at a shorter interval; to compare two versions, record each several times "
                        + "(proflab diff a1,a2,a3 b1,b2,b3).",
                List.of(samples + " samples of " + event), "proflab profile ... -d 30s"));
    }

    /** The 95% Wilson score interval of a proportion {@code p} of {@code n}. */
    static double[] wilson(double p, long n) {
        double z = 1.959963984540054;
        double z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    private static Optional<Finding> noLines(Top.Result top, Map<String, Frame> frames, String file) {
        int java = 0;
        int withLine = 0;
        for (Top.Row r : top.rows().subList(0, Math.min(10, top.rows().size()))) {
            Frame f = frames.get(r.name());
            if (f != null && f.kind().isJava()) {
                java++;
                if (f.line() > 0) {
                    withLine++;
                }
            }
        }
        if (java == 0 || withLine > 0) {
            return Optional.empty();
        }
        return Optional.of(new Finding("proflab.no-line-numbers", "proflab", 30, Finding.Severity.INFO,
                "The hottest Java frames carry no line numbers: 'proflab list' can name the methods but not their lines.",
                "The recording was made without line numbers (a pprof file without them, or classes compiled with "
                        + "-g:none); record again with async-profiler or JFR from classes with debug information.",
                List.of(java + " of the top Java frames without a line"), ""));
    }

    /** The kind of code a frame is, as a reader would say it. */
    static String kind(String name, Frame f) {
        Frame.Kind k = f == null ? Frame.Kind.UNKNOWN : f.kind();
        if (k == Frame.Kind.KERNEL) {
            return "kernel";
        }
        if (k.isJava() || (k == Frame.Kind.UNKNOWN && name.contains("."))) {
            return JDK.matcher(name).find() ? "JDK" : "own code";
        }
        if (GC.matcher(name).find()) {
            return "GC";
        }
        if (JIT.matcher(name).find()) {
            return "JIT";
        }
        return "native";
    }

    private static Map<String, Frame> framesByName(Profile p) {
        Map<String, Frame> m = new HashMap<>();
        for (int i = 0; i < p.frameCount(); i++) {
            Frame f = p.frame(i);
            Frame old = m.putIfAbsent(f.name(), f);
            if (old != null && old.line() <= 0 && f.line() > 0) {
                m.put(f.name(), f); // any frame of that method with a line says lines were recorded
            }
        }
        return m;
    }

    private static String quote(String name) {
        return name.replace("'", "");
    }
}
