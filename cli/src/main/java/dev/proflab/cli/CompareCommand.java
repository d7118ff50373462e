package dev.proflab.cli;

import dev.proflab.io.AtomicFiles;
import dev.proflab.jmh.InterleavedRun;
import dev.proflab.jmh.Lab;
import dev.proflab.stats.Comparison;
import dev.proflab.stats.StatFormat;
import dev.proflab.stats.StatInput;
import dev.proflab.stats.StatOptions;
import dev.proflab.stats.chart.ComparisonChart;
import dev.proflab.text.Escape;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code proflab compare fib|alloc|mutex}: runs the lab's before, after (and best) in interleaved
 * forks, then prints the comparison table and a verdict.
 */
@Command(mixinStandardHelpOptions = true, name = "compare", addMethodSubcommands = false,
        description = {"Benchmark a lab's before and after, compare them, and say what changed.",
                "The variants run in interleaved forks (before, after, before, ...), then are compared like",
                "benchstat. Raw JMH JSON, the table, a chart and JMH's log are kept in tmp/<lab>.json, .txt,",
                ".svg and .log."})
final class CompareCommand implements Callable<Integer> {

    // the defaults, which the Makefile shares; a rerun command repeats only what differs from them
    static final String ITERATIONS = "2";
    static final String WARMUP = "1";
    static final String TIME = "200ms";
    static final String ALPHA = "0.05";

    @Parameters(index = "0", paramLabel = "LAB", description = "fib, alloc, mutex, mutex-seed, dce, challenge or challenge-solution")
    String lab;

    @Option(names = "--count", paramLabel = "N", defaultValue = "5",
            description = "Forks per variant, run in interleaved rounds (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = ITERATIONS,
            description = "Measurement iterations per fork: n = count x iterations (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = WARMUP,
            description = "Warm-up iterations per fork (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--time", paramLabel = "DURATION", defaultValue = TIME,
            description = "Time of each warm-up and measurement iteration (default: ${DEFAULT-VALUE})")
    String time;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = ALPHA,
            description = "Significance level (default: ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, markdown, csv or json; json prints only the JSON rows (default: ${DEFAULT-VALUE})")
    StatFormat format;

    @Option(names = "--record",
            description = "Append a dated entry (JDK, CPU, cores, command, table, verdict) to docs/results.md")
    boolean record;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to keep results (default: tmp/ in the project)")
    Path outDir;

    @Option(names = "--jar", paramLabel = "FILE", description = "The benchmarks jar (default: bench/target/benchmarks.jar)")
    Path jar;

    @Spec
    CommandSpec spec;

    static final String RESULTS_HEADER = """
            # Recorded results

            Entries appended by `proflab compare LAB --record` (`make compare-fib COMPARE_FLAGS=--record`):
            the command, the JDK and machine it ran on, the comparison table and the verdict, as printed.
            """;

    @Override
    public Integer call() throws Exception {
        Lab l = Lab.byId(lab).orElseThrow(() -> new UsageException("unknown lab '" + lab + "': use " + Lab.ids()));
        if (count < 1) {
            throw new UsageException("--count must be at least 1, not " + count);
        }
        if (iterations < 1) {
            throw new UsageException("--iterations must be at least 1, not " + iterations);
        }
        if (warmup < 0) {
            throw new UsageException("--warmup must not be negative, not " + warmup);
        }
        Duration t = Durations.parse(time, "--time");
        StatOptions options = StatCommand.options(alpha, StatOptions.DEFAULT_CONFIDENCE, Lab.PARAM, l.variants());
        Path benchJar = Env.benchmarksJar(jar);
        Path dir = (outDir != null ? outDir : Env.tmp()).toAbsolutePath();

        InterleavedRun.Plan plan = new InterleavedRun.Plan(Env.java(), benchJar, l.include(), Lab.PARAM,
                l.variants(), List.of(), count, warmup, t, iterations, t, List.of("gc"), List.of());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean text = format != StatFormat.JSON;
        PrintWriter info = text ? out : err;
        info.printf("==> compare %s: %s, %s%n", l.id(), shortName(l.benchmark()), describeVariants(l));
        info.printf("    %d rounds x %d forks (interleaved), %d warm-up + %d measurement iterations of %s each, -prof gc%n",
                count, l.variants().size(), warmup, iterations, t.toMillis() + "ms");
        info.flush();

        Path json = dir.resolve(l.id() + ".json");
        Path table = dir.resolve(l.id() + ".txt");
        Path log = dir.resolve(l.id() + ".log");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw AtomicFiles.explain(dir, e);
        }
        InterleavedRun run = new InterleavedRun(plan);
        Thread hook = new Thread(run::cancel, "proflab-compare-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        long started = System.nanoTime();
        try (Writer logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
             ProgressBar bar = progressBar(l, plan.totalIterations())) {
            run.run(dir.resolve("." + l.id() + "-rounds"), json, InterleavedRun.logTo(logWriter,
                    new InterleavedRun.Listener() {
                        private String round = "";

                        @Override
                        public void waiting(String message) {
                            System.err.println("proflab: " + message);
                        }

                        @Override
                        public void roundStarted(int r, int rounds, List<String> order) {
                            round = "round " + r + "/" + rounds;
                            bar.setExtraMessage(round);
                        }

                        @Override
                        public void iterationDone(int done, int total, String variant, String line) {
                            bar.stepTo(done);
                            bar.setExtraMessage(round + " " + variant);
                        }
                    }));
        } catch (InterleavedRun.JmhException e) {
            throw new UsageException(e.getMessage() + " (JMH log: " + display(log) + ")");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook is running
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        Comparison c = Comparison.compute(List.of(StatInput.of(display(json), json)), options);
        String rendered = StatFormat.TEXT.render(c);
        AtomicFiles.writeString(table, rendered);
        Path chart = dir.resolve(l.id() + ".svg");
        AtomicFiles.writeString(chart, ComparisonChart.svg(c, ComparisonChart.Options.defaults()
                .withTitle("compare " + l.id() + ": " + shortName(l.benchmark()) + ", " + describeVariants(l))));
        List<String> verdict = Verdict.lines(c, l, new Verdict.Rerun(this::rerunCommand,
                seconds / ((double) count * l.variants().size()), l.variants().size()));
        if (format == StatFormat.JSON) {
            out.print(StatFormat.JSON.render(c));
        } else {
            out.println();
            out.print(format.render(c));
            out.println();
            out.println("==> verdict");
            verdict.forEach(v -> out.println("    " + v));
        }
        c.warnings().forEach(w -> err.println("warning: " + Escape.terminal(w.toString())));
        info.printf("    %.1f s; raw: %s, table: %s, chart: %s, JMH log: %s%n", seconds, display(json), display(table),
                display(chart), display(log));
        if (record) {
            Path results = Env.home().resolve("docs/results.md");
            String header = Files.exists(results) ? "" : RESULTS_HEADER;
            AtomicFiles.append(results, header + recordEntry(l, c, verdict));
            info.println("    recorded in " + display(results));
        }
        out.flush();
        err.flush();
        return 0;
    }

    private String recordEntry(Lab l, Comparison c, List<String> verdict) {
        StringBuilder sb = new StringBuilder();
        String when = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        sb.append("\n## ").append(when).append(" — compare ").append(l.id()).append("\n\n");
        sb.append("- command: `").append(commandLine()).append("`\n");
        sb.append("- JDK ").append(Runtime.version()).append(" (").append(System.getProperty("java.vendor")).append("), ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append('\n');
        sb.append("- CPU: ").append(Machine.cpuModel()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores\n\n");
        sb.append(StatFormat.MARKDOWN.render(c)).append('\n');
        verdict.forEach(v -> sb.append("- ").append(v).append('\n'));
        return sb.toString();
    }

    private String commandLine() {
        List<String> args = new ArrayList<>(List.of("proflab", "compare", lab, "--count", Integer.toString(count),
                "--iterations", Integer.toString(iterations), "--warmup", Integer.toString(warmup), "--time", time));
        if (alpha != 0.05) {
            args.addAll(List.of("--alpha", Double.toString(alpha)));
        }
        return String.join(" ", args);
    }

    /** The labs with a {@code make compare-LAB} target. */
    private static final List<String> MAKE_TARGETS = List.of("fib", "alloc", "mutex");

    /**
     * This comparison again with {@code forks} forks per variant: as the make target when make started
     * this command (make exports MAKELEVEL to its commands) and the lab has one, otherwise as a proflab
     * command; options are repeated only where they differ from the defaults (which the Makefile shares).
     */
    String rerunCommand(int forks) {
        boolean make = System.getenv("MAKELEVEL") != null && MAKE_TARGETS.contains(lab);
        List<String> args = new ArrayList<>();
        if (make) {
            args.addAll(List.of("make", "compare-" + lab, "BENCH_COUNT=" + forks));
            if (iterations != Integer.parseInt(ITERATIONS)) {
                args.add("BENCH_ITERATIONS=" + iterations);
            }
            if (!time.equals(TIME)) {
                args.add("BENCH_TIME=" + time);
            }
            if (warmup != Integer.parseInt(WARMUP) || alpha != Double.parseDouble(ALPHA)) {
                List<String> flags = new ArrayList<>();
                if (warmup != Integer.parseInt(WARMUP)) {
                    flags.add("--warmup " + warmup);
                }
                if (alpha != Double.parseDouble(ALPHA)) {
                    flags.add("--alpha " + alpha);
                }
                args.add("COMPARE_FLAGS='" + String.join(" ", flags) + "'");
            }
            return String.join(" ", args);
        }
        args.addAll(List.of("./proflab", "compare", lab, "--count", Integer.toString(forks)));
        if (iterations != Integer.parseInt(ITERATIONS)) {
            args.addAll(List.of("--iterations", Integer.toString(iterations)));
        }
        if (warmup != Integer.parseInt(WARMUP)) {
            args.addAll(List.of("--warmup", Integer.toString(warmup)));
        }
        if (!time.equals(TIME)) {
            args.addAll(List.of("--time", time));
        }
        if (alpha != Double.parseDouble(ALPHA)) {
            args.addAll(List.of("--alpha", Double.toString(alpha)));
        }
        return String.join(" ", args);
    }

    /** A bar redrawn in place on a terminal; a line every few seconds in a log or a pipe. */
    private ProgressBar progressBar(Lab l, int total) {
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(l.id())
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" it", 1)
                .setMaxRenderedLength(100);
        if (Terminal.isInteractive()) {
            b.setConsumer(new ConsoleProgressBarConsumer(System.err)).continuousUpdate();
        } else {
            b.setConsumer(new DelegatingProgressBarConsumer(System.err::println, 100)).setUpdateIntervalMillis(3000);
        }
        return b.build();
    }

    private static String describeVariants(Lab l) {
        List<String> parts = new ArrayList<>();
        for (String v : l.variants()) {
            String role = l.role(v);
            parts.add(role.isEmpty() ? v : v + " (" + role + ")");
        }
        return Lab.PARAM + " = " + String.join(" vs ", parts);
    }

    static String shortName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : benchmark;
    }

    /** A path as short as it can be said: relative to the working directory when inside it. */
    static String display(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
