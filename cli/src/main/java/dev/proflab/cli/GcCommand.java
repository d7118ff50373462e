package dev.proflab.cli;

import dev.proflab.gc.GcCharts;
import dev.proflab.gc.GcCompareException;
import dev.proflab.gc.GcConfig;
import dev.proflab.gc.GcReport;
import dev.proflab.gc.GcRun;
import dev.proflab.gc.GcRunner;
import dev.proflab.gc.HeapSize;
import dev.proflab.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code proflab gc}: the GC lab, the mem-hot workload under several collectors and heap settings. */
@Command(name = "gc", addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        description = {
                "Compare garbage collectors and heap settings on the mem-hot workload (step 7).",
                "Forks a JVM per configuration, workload and run, with -Xlog:gc*: before is",
                "Alloc.allocate, after is Alloc.allocatePooled, each a fixed number of calls.",
                "Reports medians: wall time, GC count, pause total/max/p99, GC CPU time,",
                "allocation rate, peak heap used and committed, peak RSS. Each configuration",
                "is first checked with 'java OPTIONS -version': one this JDK refuses is",
                "skipped with the JVM's own words. Ctrl-C stops the running JVM.",
                "",
                "Go's knobs and their Java counterparts:",
                "  GOGC=N (let the heap grow to live x (1 + N/100)): no single flag. Closest:",
                "    -XX:GCTimeRatio=N, GC may take 1/(1+N) of the time (G1 default 12,",
                "    Parallel 99): 4 keeps the heap small and collects often (a low GOGC),",
                "    99 grows the heap (a high GOGC); it needs room: -Xms below -Xmx.",
                "    -XX:Min/MaxHeapFreeRatio bound the free share after a GC (Parallel,",
                "    Serial; G1 at full GC and remark). -Xmn sizes the young generation.",
                "  GOMEMLIMIT (a soft limit): -XX:SoftMaxHeapSize, honoured by ZGC and",
                "    Shenandoah (G1 on JDK 25 accepts it, with little effect), with -Xmx as",
                "    the hard limit Go does not have: past it Java throws OutOfMemoryError.",
                "The default matrix adds presets for these: g1-gctimeratio4, g1-gctimeratio99",
                "(-Xms heap/4, -Xmx heap x 4) and zgc-softmax (-XX:SoftMaxHeapSize=heap,",
                "-Xmx heap x 4); --no-presets drops them."},
        footer = {"", "Examples:",
                "  proflab gc --quick --charts tmp/gc",
                "  proflab gc --collectors g1,zgc --heap 64m,256m --runs 5 --format markdown",
                "  proflab gc --config g1-pause5=\"-XX:+UseG1GC -Xmx128m -XX:MaxGCPauseMillis=5\" --workload before",
                "  proflab gc --config leak=\"-XX:+UseSerialGC -Xmx32m\" --hold --workload before",
                "      (the leak: OutOfMemoryError after N items)"})
final class GcCommand implements Callable<Integer> {

    enum Format { TEXT, MARKDOWN, JSON }

    static final String QUICK_COLLECTORS = "g1,parallel,zgc";
    /** The gc library's parameters by this command's flags, for its messages. */
    private static final Map<String, String> FLAGS = Map.of("collector", "--collectors", "config", "--config");
    static final String ALL_COLLECTORS = "g1,parallel,serial,zgc,shenandoah";

    @Option(names = "--quick", description = "A short run: g1, parallel, zgc; 3 runs of 300 rounds; no presets (< 1 min here)")
    boolean quick;

    @Option(names = "--collectors", paramLabel = "LIST", split = ",",
            description = "Collectors: g1, parallel, serial, zgc, shenandoah (default: " + ALL_COLLECTORS
                    + "; --quick: " + QUICK_COLLECTORS + "; none when --config is given)")
    List<String> collectors;

    @Option(names = "--heap", paramLabel = "SIZE", split = ",",
            description = "Maximum heap (-Xmx) of each collector, one configuration per size (default: 64m)")
    List<String> heaps;

    @Option(names = "--fixed-heap", description = "Also set -Xms to the same size (no heap resizing)")
    boolean fixedHeap;

    @Option(names = "--presets", negatable = true,
            description = "Add the GOGC/GOMEMLIMIT counterparts (default: on, off with --quick, --collectors or --config)")
    Boolean presets;

    @Option(names = "--config", paramLabel = "NAME=OPTIONS",
            description = "A configuration of your own: a name and JVM options, e.g. "
                    + "g1-pause5=\"-XX:+UseG1GC -Xmx128m -XX:MaxGCPauseMillis=5\" (repeatable)")
    List<String> configs = new ArrayList<>();

    @Option(names = "--workload", paramLabel = "LIST", split = ",",
            description = "before (Alloc.allocate), after (Alloc.allocatePooled) (default: before,after)")
    List<String> workloads;

    @Option(names = "--bytes", paramLabel = "N", defaultValue = "1024", description = "Bytes per item (default: ${DEFAULT-VALUE})")
    int bytes;

    @Option(names = "--count", paramLabel = "N", defaultValue = "10000",
            description = "Items per call, all alive until the call ends: the live set (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--hold", description = "Keep every item (the leak): the heap fills until OutOfMemoryError")
    boolean hold;

    @Option(names = "--rounds", paramLabel = "N", description = "Calls per run: the fixed work (default: 1000; --quick: 300)")
    Integer rounds;

    @Option(names = "--runs", paramLabel = "N", description = "Runs of each configuration and workload; the table shows medians (default: 5; --quick: 3)")
    Integer runs;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "120s",
            description = "Kill a run after this long and report it as an error (default: ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, markdown or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the table to FILE instead of stdout")
    Path output;

    @Option(names = "--charts", paramLabel = "DIR",
            description = "Write SVG charts to DIR: heap-WORKLOAD.svg (heap over time) and pauses-WORKLOAD.svg")
    Path charts;

    @Option(names = "--labs-jar", paramLabel = "FILE", description = "The labs jar (default: labs/target/proflab-labs-*.jar)")
    Path labsJar;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GcRunner.Plan plan;
        try {
            plan = plan();
        } catch (GcCompareException e) {
            throw new UsageException(e.phrase().in(FLAGS::get));
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        int perConfig = plan.workloads().size() * plan.runs();
        GcProbe probe = (GcProbe) plan.probe();
        err.printf(Locale.ROOT, "==> gc: %d configurations x %d workloads x %d runs = %d runs; bytes=%d count=%d hold=%b rounds=%d%n",
                plan.configs().size(), plan.workloads().size(), plan.runs(), plan.configs().size() * perConfig,
                probe.bytes(), probe.count(), probe.hold(), probe.rounds());
        err.flush();
        GcRunner runner = new GcRunner(plan);
        Thread hook = new Thread(runner::cancel, "proflab-gc-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        long started = System.nanoTime();
        GcRunner.Result result;
        try {
            result = runner.run(new ProgressLines(err, started));
        } catch (GcRunner.CancelledException e) {
            throw new UsageException("gc: cancelled");
        } catch (GcCompareException e) {
            throw new UsageException(e.phrase().in(FLAGS::get));
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        String table = switch (format) {
            case TEXT -> GcReport.text(result.rows());
            case MARKDOWN -> GcReport.markdown(result.rows());
            case JSON -> GcReport.json(result.rows());
        };
        if (output != null) {
            AtomicFiles.writeString(output, table);
        } else {
            if (format != Format.JSON) {
                out.println();
            }
            out.print(table);
            out.flush();
        }
        List<String> written = new ArrayList<>();
        if (output != null) {
            written.add(CompareCommand.display(output));
        }
        if (charts != null) {
            written.addAll(writeCharts(result, plan));
        }
        err.printf(Locale.ROOT, "==> gc: %d runs in %.1f s%s%n", result.runs().size(), seconds,
                written.isEmpty() ? "" : "; wrote " + String.join(", ", written));
        err.flush();
        return 0;
    }

    private List<String> writeCharts(GcRunner.Result result, GcRunner.Plan plan) throws IOException {
        List<String> written = new ArrayList<>();
        GcProbe probe = (GcProbe) plan.probe();
        String what = String.format(Locale.ROOT, "bytes=%d count=%d hold=%b rounds=%d", probe.bytes(), probe.count(),
                probe.hold(), probe.rounds());
        try {
            Files.createDirectories(charts);
        } catch (IOException e) {
            throw AtomicFiles.explain(charts, e);
        }
        for (String w : plan.workloads()) {
            List<GcRun> runs = result.medianRuns().stream().filter(r -> r.workload().equals(w)).toList();
            String method = w.equals("before") ? "Alloc.allocate" : "Alloc.allocatePooled";
            Path heap = charts.resolve("heap-" + w + ".svg");
            String subtitle = what + "; median run of " + plan.runs() + " per configuration; -Xlog:gc*, JDK "
                    + Runtime.version().feature();
            AtomicFiles.writeString(heap, GcCharts.heap("Heap used over time: " + method + " (" + w + ")", subtitle, runs));
            Path pauses = charts.resolve("pauses-" + w + ".svg");
            AtomicFiles.writeString(pauses, GcCharts.pauses("GC pause distribution: " + method + " (" + w + ")", subtitle,
                    runs));
            written.add(CompareCommand.display(heap));
            written.add(CompareCommand.display(pauses));
        }
        return written;
    }

    /** Checks every input and builds the plan; nothing runs before this passes. */
    GcRunner.Plan plan() {
        List<GcConfig> list = new ArrayList<>();
        List<Long> heapBytes = new ArrayList<>();
        for (String h : heaps == null ? List.of("64m") : heaps) {
            heapBytes.add(HeapSize.parseHeap(h, "--heap"));
        }
        List<String> cs = collectors != null ? collectors
                : !configs.isEmpty() ? List.of() : Arrays.asList((quick ? QUICK_COLLECTORS : ALL_COLLECTORS).split(","));
        Set<GcConfig.Collector> chosen = new LinkedHashSet<>();
        for (String c : cs) {
            if (!c.isBlank()) {
                chosen.add(GcConfig.Collector.byId(c));
            }
        }
        for (GcConfig.Collector c : chosen) {
            for (long h : heapBytes) {
                list.add(GcConfig.of(c, h, fixedHeap));
            }
        }
        boolean withPresets = presets != null ? presets : !quick && configs.isEmpty() && collectors == null;
        if (withPresets) {
            list.addAll(GcConfig.presets(heapBytes.get(0)));
        }
        for (String c : configs) {
            list.add(GcConfig.parse(c));
        }
        if (bytes < 0 || count < 0) {
            throw new UsageException("--bytes and --count must not be negative");
        }
        int r = rounds != null ? rounds : quick ? 300 : 1000;
        int n = runs != null ? runs : quick ? 3 : 5;
        if (r < 1) {
            throw new UsageException("--rounds must be at least 1, not " + r);
        }
        if (n < 1) {
            throw new UsageException("--runs must be at least 1, not " + n);
        }
        Duration t = Durations.parse(timeout, "--timeout");
        if (charts != null && Files.exists(charts) && !Files.isDirectory(charts)) {
            throw new UsageException("--charts: " + charts + " is a file, not a folder");
        }
        if (output != null && Files.isDirectory(output)) {
            throw new UsageException("-o: " + output + " is a folder");
        }
        Path java = Env.java();
        GcProbe probe = new GcProbe(Env.labsJar(labsJar), bytes, count, hold, r);
        List<String> ws = workloads == null ? GcProbe.WORKLOADS : GcProbe.checkWorkloads(workloads);
        return new GcRunner.Plan(java, probe, list, ws, n, t, null);
    }

    /** One line per run on stderr: what ran, its main numbers, how far, time left. */
    private static final class ProgressLines implements GcRunner.Listener {
        private final PrintWriter err;
        private final long started;
        private final boolean tty = Terminal.isInteractive();

        ProgressLines(PrintWriter err, long started) {
            this.err = err;
            this.started = started;
        }

        @Override
        public void checked(GcConfig config, String error) {
            if (error != null) {
                err.printf("    skip %s (%s): %s%n", config.name(), config.optionsText(), error);
                err.flush();
            }
        }

        @Override
        public void started(int index, int total, GcConfig config, String workload, int run) {
            if (tty) {
                err.printf("\r[%d/%d] %s %s run %d ...", index, total, config.name(), workload, run);
                err.flush();
            }
        }

        @Override
        public void finished(int index, int total, GcConfig config, GcRun r) {
            double elapsed = (System.nanoTime() - started) / 1e9;
            double left = elapsed / index * (total - index);
            String what = r.error() != null ? r.error()
                    : String.format(Locale.ROOT, "%s s, %s GCs, %s", GcReportCells.n(r.wallS(), 2),
                    r.gcCount() == null ? "-" : r.gcCount().toString(),
                    r.pauseMaxMs() == null ? "no pauses" : "max pause " + GcReportCells.n(r.pauseMaxMs(), 2) + " ms");
            err.printf(Locale.ROOT, "%s[%d/%d] %s %s run %d: %s (%.0f s, ~%.0f s left)%n", tty ? "\r\033[K" : "",
                    index, total, config.name(), r.workload(), r.run(), what, elapsed, left);
            err.flush();
        }
    }

    /** Small number formatting for progress lines. */
    private static final class GcReportCells {
        static String n(Double v, int decimals) {
            return v == null ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
    }
}
