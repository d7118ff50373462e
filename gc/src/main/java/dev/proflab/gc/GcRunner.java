package dev.proflab.gc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.proflab.io.FileTrees;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the GC comparison: checks each configuration once ({@code java OPTIONS -version}), then forks the
 * {@link Probe} for every configuration, workload and repetition, interleaved (run 1 of every configuration, then
 * run 2 ...), each with {@code -Xlog:gc*} into a temporary folder. The numbers come from the JVM's own records: the
 * GC log (read by {@link GcLogParser}) and what the probe measured inside the JVM (its allocation counter,
 * {@code /proc/self} for peak RSS and GC thread CPU).
 *
 * <p>A configuration the JVM refuses is skipped with the JVM's first error line; a run that hangs is killed
 * after the timeout; an {@code OutOfMemoryError} is that run's result. {@link #cancel()} (from a shutdown hook
 * at Ctrl-C) kills the running JVM and removes the temporary folder.
 */
public final class GcRunner {

    /** How long {@code java OPTIONS -version} may take. */
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The program each run forks (the caller's: {@code proflab gc} runs the mem-hot lab's probe). It does a fixed
     * amount of work for one workload, then writes what it measured inside its JVM to a file, as one JSON object:
     * <ul>
     *   <li>{@code wall_ns}: the time the work took (required);</li>
     *   <li>{@code allocated_bytes}: bytes the work allocated ({@code ThreadMXBean}), else the GC log's rate is used;</li>
     *   <li>{@code gc_cpu_ns}: CPU time of the JVM's GC threads;</li>
     *   <li>{@code vm_hwm_kb}: peak resident set size ({@code VmHWM});</li>
     *   <li>{@code oom_items}: present when the work ended in {@code OutOfMemoryError}: how many items it had made.</li>
     * </ul>
     * A field it cannot measure is left out or null.
     */
    public interface Probe {
        /**
         * The command after {@code java} and the configuration's JVM options: class path, main class and
         * arguments for {@code workload}, writing its JSON to {@code out}.
         */
        List<String> command(String workload, Path out);

        /** What a run that ended in {@code OutOfMemoryError} after {@code items} items says. */
        default String outOfMemory(long items) {
            return "OutOfMemoryError after " + items + " items";
        }
    }

    /**
     * What to run.
     *
     * @param java      the java executable (forks use this JDK)
     * @param probe     the program each run forks
     * @param configs   the configurations, in table order
     * @param workloads the probe's workloads, in table order
     * @param runs      repetitions of each configuration and workload
     * @param timeout   how long one run may take before it is killed
     * @param tmpParent where the temporary folder goes (null: the system's)
     */
    public record Plan(Path java, Probe probe, List<GcConfig> configs, List<String> workloads, int runs,
                       Duration timeout, Path tmpParent) {
        public Plan {
            configs = List.copyOf(configs);
            workloads = List.copyOf(workloads);
            if (configs.isEmpty()) {
                throw new GcCompareException("no configuration to run");
            }
            if (workloads.isEmpty()) {
                throw new GcCompareException("no workload to run");
            }
            if (runs < 1) {
                throw new GcCompareException("runs must be at least 1, not " + runs);
            }
            List<String> names = new ArrayList<>();
            for (GcConfig c : configs) {
                if (names.contains(c.name())) {
                    throw new GcCompareException("config " + c.name() + ": given twice");
                }
                names.add(c.name());
            }
        }
    }

    /** Progress: the checks, then each run as it starts and ends. */
    public interface Listener {
        default void checked(GcConfig config, String error) {
        }

        default void started(int index, int total, GcConfig config, String workload, int run) {
        }

        default void finished(int index, int total, GcConfig config, GcRun result) {
        }
    }

    /** What came out: the rows in table order, every run, and per row the median run (for the charts). */
    public record Result(List<GcRow> rows, List<GcRun> runs, List<GcRun> medianRuns) {
    }

    /** The run was cancelled ({@link #cancel()}). */
    public static final class CancelledException extends RuntimeException {
        CancelledException() {
            super("cancelled");
        }
    }

    private final Plan plan;
    private volatile boolean cancelled;
    private volatile Process current;
    private volatile Path workDir;

    public GcRunner(Plan plan) {
        this.plan = plan;
    }

    /** Kills the running JVM, removes the temporary files; {@link #run} then throws {@link CancelledException}. */
    public void cancel() {
        cancelled = true;
        Process p = current;
        if (p != null) {
            kill(p);
        }
        Path d = workDir;
        if (d != null) {
            deleteTree(d);
        }
    }

    public Result run(Listener listener) throws IOException, InterruptedException {
        Path dir = plan.tmpParent() == null ? Files.createTempDirectory("proflab-gc-")
                : Files.createTempDirectory(Files.createDirectories(plan.tmpParent()), "proflab-gc-");
        workDir = dir;
        try {
            return runIn(dir, listener);
        } finally {
            deleteTree(dir);
            workDir = null;
        }
    }

    private Result runIn(Path dir, Listener listener) throws IOException, InterruptedException {
        Map<GcConfig, String> refused = new LinkedHashMap<>();
        List<GcConfig> live = new ArrayList<>();
        for (GcConfig c : plan.configs()) {
            checkCancelled();
            String error = check(c, dir);
            listener.checked(c, error);
            if (error == null) {
                live.add(c);
            } else {
                refused.put(c, error);
            }
        }
        Map<String, List<GcRun>> byRow = new LinkedHashMap<>();
        int total = live.size() * plan.workloads().size() * plan.runs();
        int index = 0;
        List<GcRun> all = new ArrayList<>();
        for (int r = 1; r <= plan.runs(); r++) {
            for (GcConfig c : live) {
                for (String w : plan.workloads()) {
                    checkCancelled();
                    index++;
                    listener.started(index, total, c, w, r);
                    GcRun run = runOnce(c, w, r, dir, index);
                    checkCancelled();
                    all.add(run);
                    byRow.computeIfAbsent(c.name() + "\u0000" + w, k -> new ArrayList<>()).add(run);
                    listener.finished(index, total, c, run);
                }
            }
        }
        List<GcRow> rows = new ArrayList<>();
        List<GcRun> medians = new ArrayList<>();
        for (GcConfig c : plan.configs()) {
            for (String w : plan.workloads()) {
                if (refused.containsKey(c)) {
                    rows.add(GcRow.skipped(c, w, refused.get(c)));
                    continue;
                }
                List<GcRun> runs = byRow.getOrDefault(c.name() + "\u0000" + w, List.of());
                rows.add(GcRow.of(c, w, runs));
                GcRun m = GcRow.medianRun(runs);
                if (m != null) {
                    medians.add(m);
                }
            }
        }
        return new Result(rows, all, medians);
    }

    private void checkCancelled() {
        if (cancelled || Thread.currentThread().isInterrupted()) {
            throw new CancelledException();
        }
    }

    /** {@code java OPTIONS -version}: null when the JVM starts, else its first error line. */
    String check(GcConfig c, Path dir) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(plan.java().toString());
        cmd.addAll(c.jvmOptions());
        cmd.add("-version");
        Path out = dir.resolve("check-" + c.name() + ".txt");
        Process p = start(cmd, out);
        boolean done = p.waitFor(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        current = null;
        if (!done) {
            kill(p);
            return "java " + c.optionsText() + " -version did not end in " + CHECK_TIMEOUT.toSeconds() + " s";
        }
        if (p.exitValue() == 0) {
            return null;
        }
        return firstError(readLines(out), p.exitValue());
    }

    private GcRun runOnce(GcConfig c, String workload, int run, Path dir, int index) throws IOException,
            InterruptedException {
        Path log = dir.resolve("gc-" + index + ".log");
        Path probe = dir.resolve("probe-" + index + ".json");
        Path out = dir.resolve("out-" + index + ".txt");
        List<String> cmd = new ArrayList<>();
        cmd.add(plan.java().toString());
        cmd.addAll(c.jvmOptions());
        cmd.add("-Xlog:gc*:file=" + log);
        cmd.addAll(plan.probe().command(workload, probe));
        Process p = start(cmd, out);
        boolean done = p.waitFor(plan.timeout().toMillis(), TimeUnit.MILLISECONDS);
        current = null;
        String collectorGuess = c.collector().map(GcConfig.Collector::label).orElse(null);
        if (!done) {
            kill(p);
            return GcRun.failed(c.name(), workload, run, collectorGuess,
                    "timed out after " + seconds(plan.timeout()) + " (killed)");
        }
        checkCancelled();
        int code = p.exitValue();
        JsonNode j = null;
        if (Files.isRegularFile(probe)) {
            try {
                j = new ObjectMapper().readTree(probe.toFile());
            } catch (IOException e) {
                j = null;
            }
        }
        String error = null;
        if (code != 0 || j == null) {
            error = lastWords(readLines(out), code);
        } else if (j.hasNonNull("oom_items")) {
            error = plan.probe().outOfMemory(j.get("oom_items").asLong());
        }
        GcLogSummary s = null;
        if (Files.isRegularFile(log)) {
            try {
                s = GcLogSummary.of(GcLogParser.read(log));
            } catch (GcLogException e) {
                if (error == null) {
                    error = "GC log: " + e.getMessage().replace(dir.toString() + "/", "");
                }
            }
        }
        String collector = s == null ? collectorGuess : GcConfig.Collector.fromLog(s.log().collector());
        if (j == null) {
            return GcRun.failed(c.name(), workload, run, collector, error);
        }
        return measured(c.name(), workload, run, collector, error, j, s);
    }

    /** The numbers of one run from the probe's line and the GC log's summary (null: no log). */
    static GcRun measured(String config, String workload, int run, String collector, String error, JsonNode j,
                          GcLogSummary s) {
        double wallS = j.get("wall_ns").asLong() / 1e9;
        Double gcCpu = j.hasNonNull("gc_cpu_ns") ? j.get("gc_cpu_ns").asLong() / 1e9 : null;
        Double rss = j.hasNonNull("vm_hwm_kb") ? j.get("vm_hwm_kb").asLong() / 1024.0 : null;
        Double alloc = j.hasNonNull("allocated_bytes") && wallS > 0
                ? j.get("allocated_bytes").asLong() / 1048576.0 / wallS : null;
        Integer gcCount = null;
        Double total = null;
        Double max = null;
        Double p99 = null;
        Double peakUsed = null;
        Double peakCommitted = null;
        List<GcRun.HeapPoint> heap = new ArrayList<>();
        List<Double> pauses = new ArrayList<>();
        if (s != null) {
            gcCount = s.gcCount();
            if (s.pausesLogged()) {
                total = s.pauseTotalMs();
                if (s.pauseCount() > 0) {
                    max = s.pauseMaxMs();
                    p99 = s.pauseP99Ms();
                }
            }
            if (alloc == null && s.allocRateMbS().isPresent()) {
                alloc = s.allocRateMbS().getAsDouble();
            }
            peakUsed = s.heapPeakUsedMb().isPresent() ? s.heapPeakUsedMb().getAsDouble() : null;
            peakCommitted = s.heapPeakCommittedMb().isPresent() ? s.heapPeakCommittedMb().getAsDouble() : null;
            for (GcLog.Collection c : s.log().collections()) {
                if (!c.hasHeap()) {
                    continue;
                }
                double end = c.startMs() + Math.max(c.pauseMs(), Math.max(0, c.cycleMs()));
                heap.add(new GcRun.HeapPoint(c.startMs() / 1000, c.heapBeforeKb() / 1024.0));
                heap.add(new GcRun.HeapPoint(end / 1000, c.heapAfterKb() / 1024.0));
            }
            s.log().pauses().stream().map(GcLog.Pause::ms).sorted().forEach(pauses::add);
        }
        return new GcRun(config, workload, run, collector, error, wallS, gcCount, total, max, p99, gcCpu, alloc,
                peakUsed, peakCommitted, rss, heap, pauses);
    }

    private Process start(List<String> cmd, Path out) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        checkCancelled();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new GcCompareException("cannot start " + cmd.get(0) + ": " + e.getMessage());
        }
        current = p;
        if (cancelled) {
            kill(p);
            throw new CancelledException();
        }
        return p;
    }

    private static void kill(Process p) {
        try (Stream<ProcessHandle> children = p.descendants()) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The JVM's first error line ({@code Unrecognized VM option 'UseFooGC'}); its generic "Error occurred during
     * initialization of VM" is joined with the line after it, which says what the error is.
     */
    static String firstError(List<String> lines, int code) {
        List<String> text = lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (text.isEmpty()) {
            return "the JVM exited with code " + code;
        }
        String first = text.get(0);
        if (first.startsWith("Error occurred during initialization of VM") && text.size() > 1) {
            return first + ": " + text.get(1);
        }
        return first;
    }

    /** The line that says why a JVM failed: an error or exception line, else the last line. */
    static String lastWords(List<String> lines, int code) {
        String last = null;
        for (String l : lines) {
            String t = l.strip();
            if (t.isEmpty() || t.startsWith("at ") || t.startsWith("...")) {
                continue;
            }
            if (t.contains("Error") || t.contains("Exception")) {
                return t.replaceFirst("^Exception in thread \"main\" ", "");
            }
            last = t;
        }
        if (last != null) {
            return last;
        }
        return code == 0 ? "no result from the probe" : "the JVM exited with code " + code;
    }

    private static List<String> readLines(Path f) {
        try {
            return Files.readAllLines(f, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    static void deleteTree(Path dir) {
        FileTrees.deleteQuietly(dir);
    }
}
