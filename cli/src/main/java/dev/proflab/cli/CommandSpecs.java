// Written by CommandSpecsSource (make specs) from the commands' picocli annotations: do not edit.
package dev.proflab.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Range;

/**
 * The commands' picocli models, built with picocli's programmatic API instead of from their annotations at
 * run time (which was most of a short command's start-up): the annotations stay where options are declared.
 * {@code CommandSpecsTest} checks that both models agree.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class CommandSpecs {

    private CommandSpecs() {
    }

    /** The top command's model, bound to {@code o}. */
    static CommandSpec main(Main o) {
        return mainSpec(o);
    }

    /** The model of the subcommand NAME, bound to a new instance of its class; null for picocli's own. */
    static CommandSpec of(String name) {
        return switch (name) {
            case "compare" -> compareCommandSpec(new CompareCommand());
            case "stat" -> statCommandSpec(new StatCommand());
            case "bench" -> benchCommandSpec(new BenchCommand());
            case "profile" -> profileCommandSpec(new ProfileCommand());
            case "threads" -> threadsCommandSpec(new ThreadsCommand());
            case "convert" -> convertCommandSpec(new ConvertCommand());
            case "top" -> topCommandSpec(new TopCommand());
            case "diff" -> diffCommandSpec(new DiffCommand());
            case "list" -> listCommandSpec(new ListCommand());
            case "peek" -> peekCommandSpec(new PeekCommand());
            case "tree" -> treeCommandSpec(new TreeCommand());
            case "traces" -> tracesCommandSpec(new TracesCommand());
            case "tags" -> tagsCommandSpec(new TagsCommand());
            case "timeline" -> timelineCommandSpec(new TimelineCommand());
            case "analyze" -> analyzeCommandSpec(new AnalyzeCommand());
            case "view" -> viewCommandSpec(new ViewCommand());
            case "serve" -> serveCommandSpec(new ServeCommand());
            case "load" -> loadCommandSpec(new LoadCommand());
            case "fetch" -> fetchCommandSpec(new FetchCommand());
            case "collect" -> collectCommandSpec(new CollectCommand());
            case "agent" -> agentCommandSpec(new AgentCommand());
            case "gclog" -> gcLogCommandSpec(new GcLogCommand());
            case "gc" -> gcCommandSpec(new GcCommand());
            case "completion" -> completionCommandSpec(new CompletionCommand());
            default -> null;
        };
    }

    static CommandSpec compareCommandSpec(CompareCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "Benchmark a lab's before and after, compare them, and say what changed.",
                "The variants run in interleaved forks (before, after, before, ...), then are compared like",
                "benchstat. Raw JMH JSON, the table, a chart and JMH's log are kept in tmp/<lab>.json, .txt,",
                ".svg and .log.");
        s.name("compare");
        s.addPositional(PositionalParamSpec.builder()
                .description("fib, alloc, mutex, mutex-seed, dce, challenge or challenge-solution")
                .paramLabel("LAB").required(true).descriptionKey("").arity(Range.valueOf("1").unspecified(true)).index(Range.valueOf("0"))
                .type(java.lang.String.class)
                .initialValue(o.lab).getter(new Binding(0, o)).setter(new Binding(0, o)).build());
        s.addOption(OptionSpec.builder("--count")
                .defaultValue("5")
                .description("Forks per variant, run in interleaved rounds (default: ${DEFAULT-VALUE})")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.count).getter(new Binding(1, o)).setter(new Binding(1, o)).build());
        s.addOption(OptionSpec.builder("--iterations")
                .defaultValue("2")
                .description("Measurement iterations per fork: n = count x iterations (default: ${DEFAULT-VALUE})")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.iterations).getter(new Binding(2, o)).setter(new Binding(2, o)).build());
        s.addOption(OptionSpec.builder("--warmup")
                .defaultValue("1")
                .description("Warm-up iterations per fork (default: ${DEFAULT-VALUE})")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.warmup).getter(new Binding(3, o)).setter(new Binding(3, o)).build());
        s.addOption(OptionSpec.builder("--time")
                .defaultValue("200ms")
                .description("Time of each warm-up and measurement iteration (default: ${DEFAULT-VALUE})")
                .paramLabel("DURATION").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.time).getter(new Binding(4, o)).setter(new Binding(4, o)).build());
        s.addOption(OptionSpec.builder("--alpha")
                .defaultValue("0.05")
                .description("Significance level (default: ${DEFAULT-VALUE})")
                .paramLabel("A").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(double.class)
                .initialValue(o.alpha).getter(new Binding(5, o)).setter(new Binding(5, o)).build());
        s.addOption(OptionSpec.builder("--format")
                .defaultValue("text")
                .description("text, markdown, csv or json; json prints only the JSON rows (default: ${DEFAULT-VALUE})")
                .paramLabel("FORMAT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(dev.proflab.stats.StatFormat.class)
                .initialValue(o.format).getter(new Binding(6, o)).setter(new Binding(6, o)).build());
        s.addOption(OptionSpec.builder("--record")
                .description("Append a dated entry (JDK, CPU, cores, command, table, verdict) to docs/results.md")
                .paramLabel("<record>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.record).getter(new Binding(7, o)).setter(new Binding(7, o)).build());
        s.addOption(OptionSpec.builder("--out")
                .description("Where to keep results (default: tmp/ in the project)")
                .paramLabel("DIR").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.outDir).getter(new Binding(8, o)).setter(new Binding(8, o)).build());
        s.addOption(OptionSpec.builder("--jar")
                .description("The benchmarks jar (default: bench/target/benchmarks.jar)")
                .paramLabel("FILE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.jar).getter(new Binding(9, o)).setter(new Binding(9, o)).build());
        o.spec = s;
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    static CommandSpec statCommandSpec(StatCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "Compare JMH JSON results (-rf json) like benchstat.",
                "Median, 95%% CI of the median, Mann-Whitney U test (alpha 0.05), geomean. Samples are every",
                "measurement iteration of every fork; B/op comes from -prof gc. The first column is the baseline.",
                "With --max-regression or --budget, a regression gate: exit 1 when a benchmark",
                "is significantly worse than the baseline by more than its limit, else 0.");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  proflab stat old.json new.json",
                "  proflab stat --col impl tmp/fib.json          # impl=recursive vs impl=memo in one file",
                "  proflab stat --format json a.json b.json",
                "  proflab stat --max-regression 5%% --format markdown main.json branch.json",
                "",
                "A budget file (--budget) has a rule a line, 'REGEX LIMIT', and # comments.",
                "The first rule whose REGEX occurs in a row's name (as the table shows it)",
                "gives its limit; 'none' exempts the row:",
                "  FibBench\\.fib/.*impl=recursive   none",
                "  AllocBench\\.                      10%%",
                "Rows no rule finds get --max-regression, or no limit. A gate in CI: docs/ci.md");
        s.name("stat");
        s.addPositional(PositionalParamSpec.builder()
                .description("JMH JSON result files; the first is the baseline")
                .paramLabel("FILE").required(true).descriptionKey("").arity(Range.valueOf("1..*")).index(Range.valueOf("*"))
                .type(java.util.List.class).auxiliaryTypes(java.nio.file.Path.class)
                .initialValue(o.files).getter(new Binding(10, o)).setter(new Binding(10, o)).build());
        s.addOption(OptionSpec.builder("--col")
                .description("Make the values of this @Param the columns (compare variants within one file)")
                .paramLabel("PARAM").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.col).getter(new Binding(11, o)).setter(new Binding(11, o)).build());
        s.addOption(OptionSpec.builder("--alpha")
                .defaultValue("0.05")
                .description("Significance level of the Mann-Whitney U test (default: ${DEFAULT-VALUE})")
                .paramLabel("A").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(double.class)
                .initialValue(o.alpha).getter(new Binding(12, o)).setter(new Binding(12, o)).build());
        s.addOption(OptionSpec.builder("--confidence")
                .defaultValue("0.95")
                .description("Confidence level of the interval around each median (default: ${DEFAULT-VALUE})")
                .paramLabel("C").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(double.class)
                .initialValue(o.confidence).getter(new Binding(13, o)).setter(new Binding(13, o)).build());
        s.addOption(OptionSpec.builder("--format")
                .defaultValue("text")
                .description("text, markdown, csv or json (default: ${DEFAULT-VALUE})")
                .paramLabel("FORMAT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(dev.proflab.stats.StatFormat.class)
                .initialValue(o.format).getter(new Binding(14, o)).setter(new Binding(14, o)).build());
        s.addOption(OptionSpec.builder("--max-regression")
                .description("Regression gate: exit 1 when a benchmark is significantly worse (Mann-Whitney at --alpha, forks agreeing) by more than PCT: sec/op or B/op up, ops/s down. 5%%, 5 or 0.5%%; 0 fails any significant regression. Inconclusive rows are not judged.")
                .paramLabel("PCT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.maxRegression).getter(new Binding(15, o)).setter(new Binding(15, o)).build());
        s.addOption(OptionSpec.builder("--budget")
                .description("Regression gate with a limit per benchmark: lines 'REGEX LIMIT' (LIMIT a percentage or 'none'); the first regex found in a row's name wins, else --max-regression")
                .paramLabel("FILE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.budget).getter(new Binding(16, o)).setter(new Binding(16, o)).build());
        o.spec = s;
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    static CommandSpec benchCommandSpec(BenchCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "Run the labs' JMH benchmarks (all variants) with -prof gc and print JMH's report.",
                "The JSON result is kept as tmp/bench-<lab>.json for 'proflab stat'.");
        s.name("bench");
        s.addPositional(PositionalParamSpec.builder()
                .defaultValue("all")
                .description("fib, alloc, mutex, dce or all (default: ${DEFAULT-VALUE})")
                .paramLabel("LAB").descriptionKey("").arity(Range.valueOf("1").unspecified(true)).index(Range.valueOf("0"))
                .type(java.lang.String.class)
                .initialValue(o.lab).getter(new Binding(17, o)).setter(new Binding(17, o)).build());
        s.addPositional(PositionalParamSpec.builder()
                .description("More JMH options, after '--' (e.g. -- -p n=25)")
                .paramLabel("JMH_ARG").descriptionKey("").arity(Range.valueOf("0..1").unspecified(true)).index(Range.valueOf("1..*"))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.jmhArgs).getter(new Binding(18, o)).setter(new Binding(18, o)).build());
        s.addOption(OptionSpec.builder("--time")
                .description("Warm-up and measurement iteration time, e.g. 500ms or 1s (default: the benchmark's own)")
                .paramLabel("DURATION").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.time).getter(new Binding(19, o)).setter(new Binding(19, o)).build());
        s.addOption(OptionSpec.builder("--forks")
                .description("JMH forks (default: the benchmark's own)")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.Integer.class)
                .initialValue(o.forks).getter(new Binding(20, o)).setter(new Binding(20, o)).build());
        s.addOption(OptionSpec.builder("--jar")
                .description("The benchmarks jar (default: bench/target/benchmarks.jar)")
                .paramLabel("FILE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.jar).getter(new Binding(21, o)).setter(new Binding(21, o)).build());
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    static CommandSpec profileCommandSpec(ProfileCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "Record a profile of a lab, a benchmark, a running JVM or a command into one .jfr file.",
                "FILE.json beside it says what was recorded, how, how long and on which JDK.",
                "",
                "  profile fib-before [-e cpu] [-d 10s] [n=30]   a lab workload, in a new JVM",
                "  profile --bench Fib -p impl=recursive        a JMH benchmark (measurement)",
                "  profile --pid 4242 -d 30s                    a running JVM (Attach API)",
                "  profile [-d 30s] -- java -jar app.jar        any command, until it exits",
                "",
                "Engines: async-profiler (default), else JDK Flight Recorder; jfr-cpu-time is",
                "JFR's CPU-time sampler (JDK 25+). Ctrl-C stops early, keeps what was recorded.",
                "");
        s.usageMessage().footer(
                "",
                "Then: proflab top FILE (or jfr summary FILE, jfr view hot-methods FILE).");
        s.name("profile");
        s.usageMessage().sortOptions(false);
        s.addPositional(PositionalParamSpec.builder()
                .description("A lab workload (fib-before, fib-after, fib-best, cpu-hot, alloc-before, alloc-after, mem-hot, mutex-before, mutex-after, leak, ...) and its key=value parameters; or, after --, a command")
                .paramLabel("TARGET").descriptionKey("").arity(Range.valueOf("0..*")).index(Range.valueOf("*"))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.positional).getter(new Binding(22, o)).setter(new Binding(22, o)).build());
        s.addOption(OptionSpec.builder("-e", "--event")
                .defaultValue("cpu")
                .description("cpu, wall, alloc, lock, live, itimer; several with commas (default: ${DEFAULT-VALUE})")
                .splitRegex(",")
                .paramLabel("EVENTS").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.events).getter(new Binding(23, o)).setter(new Binding(23, o)).build());
        s.addOption(OptionSpec.builder("-d", "--duration")
                .description("How long to record (default: 10s; a command: until it exits)")
                .paramLabel("DURATION").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.duration).getter(new Binding(24, o)).setter(new Binding(24, o)).build());
        s.addOption(OptionSpec.builder("-i", "--interval")
                .description("Sampling period of cpu, itimer, wall (default: 10ms; wall 50ms)")
                .paramLabel("TIME").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.interval).getter(new Binding(25, o)).setter(new Binding(25, o)).build());
        s.addOption(OptionSpec.builder("--alloc")
                .defaultValue("512k")
                .description("alloc, live: one sample per SIZE allocated, async-profiler (default: ${DEFAULT-VALUE})")
                .paramLabel("SIZE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.alloc).getter(new Binding(26, o)).setter(new Binding(26, o)).build());
        s.addOption(OptionSpec.builder("--lock")
                .defaultValue("10us")
                .description("lock: record waits of at least TIME (default: ${DEFAULT-VALUE})")
                .paramLabel("TIME").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.lock).getter(new Binding(27, o)).setter(new Binding(27, o)).build());
        s.addOption(OptionSpec.builder("--engine")
                .defaultValue("auto")
                .description("auto (async-profiler, else JFR), async, jfr, jfr-cpu-time (default: ${DEFAULT-VALUE})")
                .paramLabel("ENGINE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.engine).getter(new Binding(28, o)).setter(new Binding(28, o)).build());
        s.addOption(OptionSpec.builder("--jdk-events")
                .description("async-profiler: also record the JDK's own events (GC, safepoints, ...) in the same file")
                .paramLabel("<jdkEvents>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.jdkEvents).getter(new Binding(29, o)).setter(new Binding(29, o)).build());
        s.addOption(OptionSpec.builder("--timeline")
                .description("Also record what proflab view's timeline shows: thread start/end, parks, monitor waits, sleeps >= 1ms, GC pauses, safepoints (JDK Flight Recorder; --engine auto picks it)")
                .paramLabel("<timeline>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.timeline).getter(new Binding(30, o)).setter(new Binding(30, o)).build());
        s.addOption(OptionSpec.builder("-o", "--output")
                .description("The recording (default: tmp/<target>-<events>.jfr in the project)")
                .paramLabel("FILE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.output).getter(new Binding(31, o)).setter(new Binding(31, o)).build());
        s.addOption(OptionSpec.builder("--pid")
                .description("Record a running JVM")
                .paramLabel("PID").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.Long.class)
                .initialValue(o.pid).getter(new Binding(32, o)).setter(new Binding(32, o)).build());
        s.addOption(OptionSpec.builder("--bench")
                .description("Record a JMH benchmark of bench/target/benchmarks.jar")
                .paramLabel("PATTERN").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.bench).getter(new Binding(33, o)).setter(new Binding(33, o)).build());
        s.addOption(OptionSpec.builder("-p", "--param")
                .description("--bench: a JMH parameter (one value each)")
                .paramLabel("NAME=VALUE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.params).getter(new Binding(34, o)).setter(new Binding(34, o)).build());
        s.addOption(OptionSpec.builder("--warmup")
                .defaultValue("2")
                .description("--bench: warm-up iterations, not recorded (default: ${DEFAULT-VALUE})")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.warmup).getter(new Binding(35, o)).setter(new Binding(35, o)).build());
        s.addOption(OptionSpec.builder("--iterations")
                .description("--bench: measurement iterations, recorded (default: -d / --time, or 5)")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.Integer.class)
                .initialValue(o.iterations).getter(new Binding(36, o)).setter(new Binding(36, o)).build());
        s.addOption(OptionSpec.builder("--time")
                .defaultValue("1s")
                .description("--bench: time of each iteration (default: ${DEFAULT-VALUE})")
                .paramLabel("DURATION").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.time).getter(new Binding(37, o)).setter(new Binding(37, o)).build());
        s.addOption(OptionSpec.builder("--jvm-args")
                .description("JVM options for the lab's JVM, the benchmark's fork or a java command, e.g. --jvm-args=\"-XX:+UseZGC -Xmx256m\"")
                .paramLabel("ARGS").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.jvmArgs).getter(new Binding(38, o)).setter(new Binding(38, o)).build());
        s.addOption(OptionSpec.builder("--labs-jar")
                .description("The labs jar (default: labs/target/proflab-labs-*.jar)")
                .paramLabel("FILE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.labsJar).getter(new Binding(39, o)).setter(new Binding(39, o)).build());
        s.addOption(OptionSpec.builder("--jar")
                .description("--bench: the benchmarks jar (default: bench/target/benchmarks.jar)")
                .paramLabel("FILE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.jar).getter(new Binding(40, o)).setter(new Binding(40, o)).build());
        s.addOption(OptionSpec.builder("--format")
                .defaultValue("text")
                .description("text, or json: print only the metadata (the sidecar) on stdout (default: ${DEFAULT-VALUE})")
                .paramLabel("FORMAT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.format).getter(new Binding(41, o)).setter(new Binding(41, o)).build());
        o.spec = s;
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    static CommandSpec threadsCommandSpec(ThreadsCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "Summarise the threads of a running JVM, like a goroutine dump.",
                "Counts by state, threads grouped by identical stack (largest group first), deadlocks spelled out. With --twice, take a second dump later and show what",
                "grew: a thread leak is a group that keeps growing. Over JMX through the Attach API (platform threads).");
        s.name("threads");
        s.usageMessage().sortOptions(false);
        s.addOption(OptionSpec.builder("--pid")
                .description("The JVM")
                .paramLabel("PID").required(true).descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(long.class)
                .initialValue(o.pid).getter(new Binding(42, o)).setter(new Binding(42, o)).build());
        s.addOption(OptionSpec.builder("--twice")
                .description("Take a second dump after DURATION and show the growth between the two")
                .paramLabel("DURATION").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.twice).getter(new Binding(43, o)).setter(new Binding(43, o)).build());
        s.addOption(OptionSpec.builder("--depth")
                .defaultValue("8")
                .description("Frames shown per group of 2+ threads, 0 for all (default: ${DEFAULT-VALUE}); single threads show 1")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.depth).getter(new Binding(44, o)).setter(new Binding(44, o)).build());
        s.addOption(OptionSpec.builder("--full")
                .description("Show --depth frames for single threads too")
                .paramLabel("<full>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.full).getter(new Binding(45, o)).setter(new Binding(45, o)).build());
        s.addOption(OptionSpec.builder("--format")
                .defaultValue("text")
                .description("text or json (default: ${DEFAULT-VALUE})")
                .paramLabel("FORMAT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.format).getter(new Binding(46, o)).setter(new Binding(46, o)).build());
        o.spec = s;
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    static CommandSpec selectionOptionsSpec(SelectionOptions o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.addOption(OptionSpec.builder("--event")
                .description("cpu, cpu-time, wall, alloc, live, lock, monitor, park or native (default: the recording's main event, cpu if there is one)")
                .paramLabel("EVENT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.event).getter(new Binding(50, o)).setter(new Binding(50, o)).build());
        s.addOption(OptionSpec.builder("--sample-index")
                .description("Which value: bytes or objects (alloc, live), samples or time (cpu, wall), contentions or delay (lock), or a value type such as alloc_space")
                .paramLabel("VALUE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.sampleIndex).getter(new Binding(51, o)).setter(new Binding(51, o)).build());
        s.addOption(OptionSpec.builder("--focus")
                .description("Keep only samples with a function matching REGEX on the stack")
                .paramLabel("REGEX").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.focus).getter(new Binding(52, o)).setter(new Binding(52, o)).build());
        s.addOption(OptionSpec.builder("--ignore")
                .description("Drop samples with a function matching REGEX on the stack")
                .paramLabel("REGEX").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.ignore).getter(new Binding(53, o)).setter(new Binding(53, o)).build());
        s.addOption(OptionSpec.builder("--hide")
                .description("Remove functions matching REGEX from the stacks (their samples go to the callers)")
                .paramLabel("REGEX").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.hide).getter(new Binding(54, o)).setter(new Binding(54, o)).build());
        s.addOption(OptionSpec.builder("--thread")
                .description("Keep only samples of threads matching REGEX")
                .paramLabel("REGEX").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.thread).getter(new Binding(55, o)).setter(new Binding(55, o)).build());
        s.addOption(OptionSpec.builder("--tagfocus")
                .description("Keep only samples with a label KEY whose value matches REGEX (R1,R2: either); a bare REGEX must match some label. Labels: file (of several files), thread, pprof's. Repeatable")
                .paramLabel("KEY=REGEX").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.tagfocus).getter(new Binding(56, o)).setter(new Binding(56, o)).build());
        s.addOption(OptionSpec.builder("--tagignore")
                .description("Drop samples with a label KEY whose value matches REGEX (as --tagfocus)")
                .paramLabel("KEY=REGEX").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.tagignore).getter(new Binding(57, o)).setter(new Binding(57, o)).build());
        s.addOption(OptionSpec.builder("--tagroot")
                .description("Add a frame KEY:VALUE above each stack's root per label key (a,b: a outermost): one tree per file, thread or label value")
                .paramLabel("KEYS").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.tagroot).getter(new Binding(58, o)).setter(new Binding(58, o)).build());
        s.addOption(OptionSpec.builder("--tagleaf")
                .description("Add a frame KEY:VALUE below each stack's leaf per label key (a,b: b innermost)")
                .paramLabel("KEYS").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.tagleaf).getter(new Binding(59, o)).setter(new Binding(59, o)).build());
        s.addOption(OptionSpec.builder("--from")
                .description("Keep samples from this time into the recording (e.g. 2s, 1500ms)")
                .paramLabel("TIME").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.from).getter(new Binding(60, o)).setter(new Binding(60, o)).build());
        s.addOption(OptionSpec.builder("--to")
                .description("Keep samples up to this time into the recording")
                .paramLabel("TIME").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.to).getter(new Binding(61, o)).setter(new Binding(61, o)).build());
        s.addOption(OptionSpec.builder("--signatures")
                .description("Tell overloads apart: show parameter types (Foo.bar(int))")
                .paramLabel("<signatures>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.signatures).getter(new Binding(62, o)).setter(new Binding(62, o)).build());
        s.addOption(OptionSpec.builder("--lines")
                .description("One row per source line instead of per function")
                .paramLabel("<lines>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.lines).getter(new Binding(63, o)).setter(new Binding(63, o)).build());
        s.addOption(OptionSpec.builder("--base")
                .description("Compare with this profile: show the change from it (new - base), as pprof's -diff_base; several recordings of the base as a,b,c or a folder of them")
                .paramLabel("FILES").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.base).getter(new Binding(64, o)).setter(new Binding(64, o)).build());
        s.addOption(OptionSpec.builder("--normalize")
                .defaultValue("total")
                .description("With --base: compare shares of each side's total (total), values per second of each recording (duration), or per operation of each side (ops: FILE.ops.json, --ops, --ops-base) (default: ${DEFAULT-VALUE})")
                .paramLabel("HOW").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.normalize).getter(new Binding(65, o)).setter(new Binding(65, o)).build());
        s.addOption(OptionSpec.builder("--ops")
                .description("The operations (or requests) the recordings cover, for --per-op and --normalize ops; instead of their FILE.ops.json")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.ops).getter(new Binding(66, o)).setter(new Binding(66, o)).build());
        s.addOption(OptionSpec.builder("--ops-base")
                .description("The same for the --base side (diff: BASE), for --normalize ops")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.opsBase).getter(new Binding(67, o)).setter(new Binding(67, o)).build());
        s.addOption(OptionSpec.builder("--classes")
                .description("alloc, live, lock: add the allocated class or the monitor's class as the leaf frame")
                .paramLabel("<classes>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.classes).getter(new Binding(68, o)).setter(new Binding(68, o)).build());
        return s;
    }

    static CommandSpec convertCommandSpec(ConvertCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "Convert a profile to pprof, collapsed stacks, a flame graph, a heatmap or OTLP.",
                "Input: JFR of async-profiler or JDK Flight Recorder, or pprof. Output formats:",
                "  pprof      gzipped profile.proto with Java source files and lines,",
                "             so that 'go tool pprof -list' shows the source",
                "  collapsed  collapsed stacks (flamegraph.pl, speedscope)",
                "  html       async-profiler's interactive flame graph, one file",
                "  svg        a static flame graph image, for docs and tickets",
                "  heatmap    async-profiler's heatmap: seconds across, sub-second rows,",
                "             a selected moment's flame graph (JFR input; --event)",
                "  otlp       OpenTelemetry profiles: the bytes of an OTLP/HTTP request",
                "             (ExportProfilesServiceRequest, JFR input; --event)",
                "  jfr        a copy of the JFR recording",
                "OUT is written whole or not at all.");
        s.usageMessage().descriptionHeading("%n");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  proflab convert tmp/cpu.jfr -o tmp/cpu.pb.gz      # format from the name",
                "  go tool pprof -list Fib.recursive \\",
                "      -source_path labs/src/main/java tmp/cpu.pb.gz",
                "  proflab convert tmp/cpu.jfr --format svg -o docs/img/cpu.svg",
                "  proflab convert app.jfr --event alloc --sample-index objects \\",
                "      -o alloc.html",
                "  proflab convert cpu.pb.gz -o cpu.collapsed",
                "  proflab convert cpu.jfr --inverted -o cpu.bottom-up.html",
                "  proflab convert app.jfr --event wall -o app.heatmap.html",
                "  proflab convert app.jfr --event cpu -o app.otlp",
                "  proflab convert cpu.jfr --focus 'Fib\\.' --hide '^java\\.' -o fib.svg",
                "  proflab convert a1.jfr,a2.jfr,a3.jfr --base b1.jfr,b2.jfr,b3.jfr -o change.svg",
                "      # the change from b to a: red grew, blue shrank (3 runs a side make a claim)");
        s.name("convert");
        s.usageMessage().optionListHeading("%nOptions (the filters are those of top, peek and the page: every format shows the samples they select)%n");
        s.addPositional(PositionalParamSpec.builder()
                .description("The profile: .jfr (either engine) or pprof (.pb.gz); with --base, several recordings as a,b,c or a folder")
                .paramLabel("IN").required(true).descriptionKey("").arity(Range.valueOf("1").unspecified(true)).index(Range.valueOf("0"))
                .type(java.nio.file.Path.class)
                .initialValue(o.in).getter(new Binding(47, o)).setter(new Binding(47, o)).build());
        s.addOption(OptionSpec.builder("-o", "--output")
                .description("The file to write")
                .paramLabel("OUT").required(true).descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.out).getter(new Binding(48, o)).setter(new Binding(48, o)).build());
        s.addOption(OptionSpec.builder("-f", "--format")
                .description("pprof, collapsed, html, svg, heatmap, otlp or jfr (default: from OUT's name: .pb.gz, .collapsed, .html, .svg, .heatmap.html, .otlp, .jfr)")
                .paramLabel("FORMAT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.format).getter(new Binding(49, o)).setter(new Binding(49, o)).build());
        o.select = new SelectionOptions();
        s.addMixin("select", selectionOptionsSpec(o.select));
        s.addOption(OptionSpec.builder("--inverted")
                .description("Bottom-up (html, svg, collapsed): each stack turned over, the frames that were running at its root, their callers above them")
                .paramLabel("<inverted>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.inverted).getter(new Binding(69, o)).setter(new Binding(69, o)).build());
        s.addOption(OptionSpec.builder("--title")
                .description("Title of the flame graph (html, svg; default: event, samples, total and file)")
                .paramLabel("TEXT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.title).getter(new Binding(70, o)).setter(new Binding(70, o)).build());
        o.spec = s;
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    static CommandSpec reportOptionsSpec(ReportOptions o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.addOption(OptionSpec.builder("-h", "--help")
                .description("Show this help message and exit.")
                .usageHelp(true)
                .paramLabel("<help>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.help).getter(new Binding(75, o)).setter(new Binding(75, o)).build());
        o.select = new SelectionOptions();
        s.addMixin("select", selectionOptionsSpec(o.select));
        s.addOption(OptionSpec.builder("--format")
                .defaultValue("text")
                .description("text or json (default: ${DEFAULT-VALUE})")
                .paramLabel("FORMAT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(dev.proflab.report.ReportFormat.class)
                .initialValue(o.format).getter(new Binding(76, o)).setter(new Binding(76, o)).build());
        return s;
    }

    static CommandSpec topCommandSpec(TopCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "The functions with the most samples, like pprof's top.",
                "flat: the function itself was running; cum: it was on the stack (once per",
                "stack, however deep it recurses). Percentages are of the total before",
                "--focus/--ignore/--hide/--thread, as pprof's.");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  proflab top cpu.jfr",
                "  proflab top --cum -n 20 cpu.jfr",
                "  proflab top --event alloc --sample-index objects app.jfr",
                "  proflab top --focus 'Fib\\.' --hide '^java\\.' --format json cpu.jfr",
                "  proflab top --base before.jfr after.jfr       # what changed (= proflab diff)",
                "  proflab top --per-op bench.jfr                # time per JMH operation",
                "  proflab top --per-op --ops 12000 cpu.jfr      # per request, 12000 sent",
                "",
                "--per-op divides by the operations the recording covers: FILE.ops.json",
                "beside it (profile --bench writes one), or --ops N.");
        s.name("top");
        s.addPositional(PositionalParamSpec.builder()
                .description("Recordings: .jfr (async-profiler or JFR) or pprof; several (a.jfr b.jfr, a,b,c or a folder) are merged")
                .paramLabel("FILE").required(true).descriptionKey("").arity(Range.valueOf("1..*")).index(Range.valueOf("0..*"))
                .type(java.util.List.class).auxiliaryTypes(java.nio.file.Path.class)
                .initialValue(o.files).getter(new Binding(71, o)).setter(new Binding(71, o)).build());
        s.addOption(OptionSpec.builder("-n")
                .defaultValue("10")
                .description("Rows to show, 0 for all (default: ${DEFAULT-VALUE})")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.n).getter(new Binding(72, o)).setter(new Binding(72, o)).build());
        s.addOption(OptionSpec.builder("--cum")
                .description("Sort by cum instead of flat")
                .paramLabel("<cum>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.cum).getter(new Binding(73, o)).setter(new Binding(73, o)).build());
        s.addOption(OptionSpec.builder("--per-op")
                .description("Values per operation: time, bytes or objects per op (FILE.ops.json or --ops N); with --base, the same as --normalize ops")
                .paramLabel("<perOp>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.perOp).getter(new Binding(74, o)).setter(new Binding(74, o)).build());
        o.options = new ReportOptions();
        s.addMixin("options", reportOptionsSpec(o.options));
        o.spec = s;
        return s;
    }

    static CommandSpec diffCommandSpec(DiffCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "What changed between two profiles of the same program, and whether it is noise.",
                "Function by function, like pprof's -diff_base top: each side's flat and cum",
                "as a share of its own total (--normalize duration: per second; ops: per",
                "operation, from FILE.ops.json or --ops-base/--ops), the change",
                "(new - base), and a q-value from a test against the differences between",
                "runs; * marks a change beyond them at a 5%% false discovery rate. A claim",
                "needs 3 recordings a side (BASE and NEW take a,b,c or a folder); with fewer",
                "the report says so. The filters apply to both sides; tree, peek, traces,",
                "list, top and convert take --base too.",
                "With --max-growth or --budget, a regression gate: exit 1 when a function's",
                "share grew significantly by more than its limit in percentage points, else 0.");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  proflab diff before.jfr after.jfr",
                "  proflab diff --hide '^java\\.' -n 20 before.jfr after.jfr",
                "  proflab diff --normalize duration --format json before.jfr after.jfr",
                "  proflab diff --normalize ops before.jfr after.jfr  # per op: FILE.ops.json",
                "  proflab diff before1.jfr,before2.jfr,before3.jfr after/   # 3+ runs a side: a claim",
                "  proflab tree --base before.jfr after.jfr      # the change along the call tree",
                "  proflab diff base/ new/ --max-growth 'OrderService\\.=2pp'  # a gate for CI",
                "",
                "A budget file (--budget) has a rule a line, 'REGEX LIMIT', and # comments;",
                "the first rule whose REGEX occurs in a function's name (as the report prints",
                "it) gives its limit, and 'none' exempts it (--max-growth rules come first):",
                "  Workload\\.checksum   0.5pp",
                "  ^java\\.              none",
                "  OrderService\\.       2pp",
                "The gate needs 3+ recordings a side; a rule that finds no function is an",
                "error (exit 2). Profiles as a gate in CI: docs/ci.md");
        s.name("diff");
        s.addPositional(PositionalParamSpec.builder()
                .description("The profile to compare with (before); several recordings as a,b,c or a folder")
                .paramLabel("BASE").required(true).descriptionKey("").arity(Range.valueOf("1").unspecified(true)).index(Range.valueOf("0"))
                .type(java.lang.String.class)
                .initialValue(o.base).getter(new Binding(77, o)).setter(new Binding(77, o)).build());
        s.addPositional(PositionalParamSpec.builder()
                .description("The profile to compare (after); the same")
                .paramLabel("NEW").required(true).descriptionKey("").arity(Range.valueOf("1").unspecified(true)).index(Range.valueOf("1"))
                .type(java.lang.String.class)
                .initialValue(o.file).getter(new Binding(78, o)).setter(new Binding(78, o)).build());
        s.addOption(OptionSpec.builder("-n")
                .defaultValue("20")
                .description("Functions to show (the largest changes of flat first), 0 for all (default: ${DEFAULT-VALUE})")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.n).getter(new Binding(79, o)).setter(new Binding(79, o)).build());
        o.options = new ReportOptions();
        s.addMixin("options", reportOptionsSpec(o.options));
        s.addOption(OptionSpec.builder("--max-growth")
                .description("Regression gate: exit 1 when a function whose name REGEX finds grew its share of the total significantly (the diff's test) by more than LIMIT percentage points: 2pp, 0.5pp; 0pp fails any significant growth. Repeatable; the first rule that finds a function wins. Needs 3+ recordings a side.")
                .paramLabel("REGEX=LIMIT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.maxGrowth).getter(new Binding(80, o)).setter(new Binding(80, o)).build());
        s.addOption(OptionSpec.builder("--budget")
                .description("Regression gate with a limit per function: lines 'REGEX LIMIT' (LIMIT such as 2pp, or 'none'); tried after --max-growth, the first that finds a function wins")
                .paramLabel("FILE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.budget).getter(new Binding(81, o)).setter(new Binding(81, o)).build());
        s.addOption(OptionSpec.builder("--gate-on")
                .description("The share the gate reads: cum (the function and all below it) or flat (the function itself) (default: cum)")
                .paramLabel("SHARE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.gateOn).getter(new Binding(82, o)).setter(new Binding(82, o)).build());
        o.spec = s;
        return s;
    }

    static CommandSpec listCommandSpec(ListCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "Samples per source line of the functions matching REGEX, like pprof's list.",
                "flat: the line was running; cum: it was on the stack. The source is shown",
                "when it is found under the source roots: --source-path, then",
                "src/main/java and */src/main/java of the current folder.");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  proflab list 'Fib.recursive' cpu.jfr",
                "  proflab list --source-path ~/app/src/main/java 'OrderService\\.' cpu.jfr",
                "  proflab list --event alloc 'Alloc\\.' app.jfr");
        s.name("list");
        s.addPositional(PositionalParamSpec.builder()
                .description("Functions to list (package.Class.method)")
                .paramLabel("REGEX").required(true).descriptionKey("").arity(Range.valueOf("1").unspecified(true)).index(Range.valueOf("0"))
                .type(java.lang.String.class)
                .initialValue(o.regex).getter(new Binding(83, o)).setter(new Binding(83, o)).build());
        s.addPositional(PositionalParamSpec.builder()
                .description("Recordings: .jfr (async-profiler or JFR) or pprof; several (a.jfr b.jfr, a,b,c or a folder) are merged")
                .paramLabel("FILE").required(true).descriptionKey("").arity(Range.valueOf("1..*")).index(Range.valueOf("1..*"))
                .type(java.util.List.class).auxiliaryTypes(java.nio.file.Path.class)
                .initialValue(o.files).getter(new Binding(84, o)).setter(new Binding(84, o)).build());
        s.addOption(OptionSpec.builder("--source-path")
                .description("Source roots to search first (separated by the path separator, ':' on Unix; repeatable)")
                .paramLabel("DIRS").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.sourcePath).getter(new Binding(85, o)).setter(new Binding(85, o)).build());
        o.options = new ReportOptions();
        s.addMixin("options", reportOptionsSpec(o.options));
        o.spec = s;
        return s;
    }

    static CommandSpec peekCommandSpec(PeekCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "Callers and callees of the functions matching REGEX, like pprof's peek.",
                "Callers above, callees below, with the samples along each call and",
                "their share of the function's cum.");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  proflab peek 'HashMap.resize' cpu.jfr",
                "  proflab peek --event lock 'Counter' app.jfr");
        s.name("peek");
        s.addPositional(PositionalParamSpec.builder()
                .description("Functions to show (package.Class.method)")
                .paramLabel("REGEX").required(true).descriptionKey("").arity(Range.valueOf("1").unspecified(true)).index(Range.valueOf("0"))
                .type(java.lang.String.class)
                .initialValue(o.regex).getter(new Binding(86, o)).setter(new Binding(86, o)).build());
        s.addPositional(PositionalParamSpec.builder()
                .description("Recordings: .jfr (async-profiler or JFR) or pprof; several (a.jfr b.jfr, a,b,c or a folder) are merged")
                .paramLabel("FILE").required(true).descriptionKey("").arity(Range.valueOf("1..*")).index(Range.valueOf("1..*"))
                .type(java.util.List.class).auxiliaryTypes(java.nio.file.Path.class)
                .initialValue(o.files).getter(new Binding(87, o)).setter(new Binding(87, o)).build());
        s.addOption(OptionSpec.builder("-n")
                .defaultValue("0")
                .description("Functions to show (the heaviest), 0 for all (default: ${DEFAULT-VALUE})")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.n).getter(new Binding(88, o)).setter(new Binding(88, o)).build());
        s.addOption(OptionSpec.builder("--cum")
                .description("Order the functions by cum instead of flat")
                .paramLabel("<cum>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.cum).getter(new Binding(89, o)).setter(new Binding(89, o)).build());
        o.options = new ReportOptions();
        s.addMixin("options", reportOptionsSpec(o.options));
        o.spec = s;
        return s;
    }

    static CommandSpec treeCommandSpec(TreeCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "The call tree, top down from the threads' entry points.",
                "cum: samples under a call path; self: samples ending there. Nodes below",
                "--node-fraction of the total are left out.");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  proflab tree cpu.jfr",
                "  proflab tree --depth 6 -n 3 --hide '^java\\.' cpu.jfr",
                "  proflab tree --inverted --depth 3 cpu.jfr   # bottom-up: running frames first");
        s.name("tree");
        s.addPositional(PositionalParamSpec.builder()
                .description("Recordings: .jfr (async-profiler or JFR) or pprof; several (a.jfr b.jfr, a,b,c or a folder) are merged")
                .paramLabel("FILE").required(true).descriptionKey("").arity(Range.valueOf("1..*")).index(Range.valueOf("0..*"))
                .type(java.util.List.class).auxiliaryTypes(java.nio.file.Path.class)
                .initialValue(o.files).getter(new Binding(90, o)).setter(new Binding(90, o)).build());
        s.addOption(OptionSpec.builder("-n")
                .defaultValue("0")
                .description("Children to show per node (the heaviest), 0 for all (default: ${DEFAULT-VALUE})")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.n).getter(new Binding(91, o)).setter(new Binding(91, o)).build());
        s.addOption(OptionSpec.builder("--depth")
                .defaultValue("0")
                .description("Levels to show, 0 for all (default: ${DEFAULT-VALUE})")
                .paramLabel("D").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.depth).getter(new Binding(92, o)).setter(new Binding(92, o)).build());
        s.addOption(OptionSpec.builder("--node-fraction")
                .defaultValue("0.005")
                .description("Leave out nodes below this fraction of the total (default: ${DEFAULT-VALUE})")
                .paramLabel("F").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(double.class)
                .initialValue(o.nodeFraction).getter(new Binding(93, o)).setter(new Binding(93, o)).build());
        s.addOption(OptionSpec.builder("--inverted")
                .description("Bottom-up: each path starts at the frame that was running, its callers below it")
                .paramLabel("<inverted>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.inverted).getter(new Binding(94, o)).setter(new Binding(94, o)).build());
        o.options = new ReportOptions();
        s.addMixin("options", reportOptionsSpec(o.options));
        o.spec = s;
        return s;
    }

    static CommandSpec tracesCommandSpec(TracesCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "The distinct stacks with their samples, heaviest first, like pprof's traces.",
                "The running frame (the leaf) is at the top of each stack.");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  proflab traces -n 5 cpu.jfr",
                "  proflab traces --event lock --format json app.jfr");
        s.name("traces");
        s.addPositional(PositionalParamSpec.builder()
                .description("Recordings: .jfr (async-profiler or JFR) or pprof; several (a.jfr b.jfr, a,b,c or a folder) are merged")
                .paramLabel("FILE").required(true).descriptionKey("").arity(Range.valueOf("1..*")).index(Range.valueOf("0..*"))
                .type(java.util.List.class).auxiliaryTypes(java.nio.file.Path.class)
                .initialValue(o.files).getter(new Binding(95, o)).setter(new Binding(95, o)).build());
        s.addOption(OptionSpec.builder("-n")
                .defaultValue("0")
                .description("Stacks to show (the heaviest), 0 for all (default: ${DEFAULT-VALUE})")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.n).getter(new Binding(96, o)).setter(new Binding(96, o)).build());
        o.options = new ReportOptions();
        s.addMixin("options", reportOptionsSpec(o.options));
        o.spec = s;
        return s;
    }

    static CommandSpec tagsCommandSpec(TagsCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "Each label of the samples with its values and their totals, as pprof -tags.",
                "Labels: file (when several recordings are merged), thread, and the",
                "string labels of a pprof profile. A key's total is of the samples that",
                "have it; each value's share is of that total.");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  proflab tags a.jfr b.jfr                  # each file's and thread's share",
                "  proflab tags --tagfocus file=a.jfr a.jfr b.jfr",
                "  proflab tags --focus 'Fib\\.' --format json profile.pb.gz");
        s.name("tags");
        s.addPositional(PositionalParamSpec.builder()
                .description("Recordings: .jfr (async-profiler or JFR) or pprof; several (a.jfr b.jfr, a,b,c or a folder) are merged")
                .paramLabel("FILE").required(true).descriptionKey("").arity(Range.valueOf("1..*")).index(Range.valueOf("0..*"))
                .type(java.util.List.class).auxiliaryTypes(java.nio.file.Path.class)
                .initialValue(o.files).getter(new Binding(97, o)).setter(new Binding(97, o)).build());
        o.options = new ReportOptions();
        s.addMixin("options", reportOptionsSpec(o.options));
        o.spec = s;
        return s;
    }

    static CommandSpec timelineCommandSpec(TimelineCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "What each thread did over the recording, and the longest GC pauses and safepoints.",
                "Per thread: lifetime, running share, parked, blocked, waiting and sleeping time.",
                "The terminal's view of the timeline that 'proflab view' draws; record with",
                "'proflab profile --timeline' (JDK Flight Recorder) to get waits, GC pauses and safepoints.");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  proflab timeline tmp/trace.jfr",
                "  proflab timeline --sort busy -n 10 --from 1s --to 2s tmp/trace.jfr",
                "  proflab timeline --thread 'lock-' --format json tmp/trace.jfr");
        s.name("timeline");
        s.addPositional(PositionalParamSpec.builder()
                .description("A .jfr recording (JDK Flight Recorder or async-profiler)")
                .paramLabel("FILE").required(true).descriptionKey("").arity(Range.valueOf("1").unspecified(true)).index(Range.valueOf("0"))
                .type(java.nio.file.Path.class)
                .initialValue(o.file).getter(new Binding(98, o)).setter(new Binding(98, o)).build());
        s.addOption(OptionSpec.builder("-n")
                .defaultValue("40")
                .description("Threads to show at most (default: ${DEFAULT-VALUE}); the rest are counted")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.lanes).getter(new Binding(99, o)).setter(new Binding(99, o)).build());
        s.addOption(OptionSpec.builder("--sort")
                .defaultValue("busy")
                .description("start, busy (running time), lifetime or name (default: ${DEFAULT-VALUE})")
                .paramLabel("ORDER").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.sort).getter(new Binding(100, o)).setter(new Binding(100, o)).build());
        s.addOption(OptionSpec.builder("--thread")
                .description("Only threads whose name matches")
                .paramLabel("REGEX").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.thread).getter(new Binding(101, o)).setter(new Binding(101, o)).build());
        s.addOption(OptionSpec.builder("--from")
                .description("Start of the window into the recording (e.g. 2s, 1500ms)")
                .paramLabel("TIME").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.from).getter(new Binding(102, o)).setter(new Binding(102, o)).build());
        s.addOption(OptionSpec.builder("--to")
                .description("End of the window (default: the end of the recording)")
                .paramLabel("TIME").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.to).getter(new Binding(103, o)).setter(new Binding(103, o)).build());
        s.addOption(OptionSpec.builder("--bands")
                .defaultValue("10")
                .description("The longest GC pauses and safepoints to list (default: ${DEFAULT-VALUE})")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.bands).getter(new Binding(104, o)).setter(new Binding(104, o)).build());
        s.addOption(OptionSpec.builder("--format")
                .defaultValue("text")
                .description("text or json (default: ${DEFAULT-VALUE}); json is the viewer's /api/timeline")
                .paramLabel("FORMAT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(dev.proflab.report.ReportFormat.class)
                .initialValue(o.format).getter(new Binding(105, o)).setter(new Binding(105, o)).build());
        o.spec = s;
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    static CommandSpec analyzeCommandSpec(AnalyzeCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "What a recording says, as findings from JMC's rules and proflab's.",
                "JDK Mission Control's automated analysis (its 68 rules, headless) on a",
                "JFR file, and proflab's rules on every event of any file (.jfr of either",
                "engine, pprof): the dominant frame and its kind, CPU spent waiting for",
                "locks, threads that never run, too few samples, missing line numbers.",
                "Each: severity, score 0-100 (as JMC's), summary, explanation, evidence",
                "and the command to look next. Warnings and information are shown; --all",
                "shows every result.");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  proflab analyze tmp/fib-before-cpu.jfr",
                "  proflab analyze --format markdown app.jfr",
                "  proflab analyze --format json --all app.jfr");
        s.name("analyze");
        s.addPositional(PositionalParamSpec.builder()
                .description("A .jfr recording (async-profiler or JFR) or a pprof file")
                .paramLabel("FILE").required(true).descriptionKey("").arity(Range.valueOf("1").unspecified(true)).index(Range.valueOf("0"))
                .type(java.nio.file.Path.class)
                .initialValue(o.file).getter(new Binding(106, o)).setter(new Binding(106, o)).build());
        s.addOption(OptionSpec.builder("--format")
                .defaultValue("text")
                .description("text, markdown or json (default: ${DEFAULT-VALUE})")
                .paramLabel("FORMAT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(dev.proflab.cli.AnalyzeCommand.Format.class)
                .initialValue(o.format).getter(new Binding(107, o)).setter(new Binding(107, o)).build());
        s.addOption(OptionSpec.builder("--all")
                .description("Every rule's result, also OK and not applicable")
                .paramLabel("<all>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.all).getter(new Binding(108, o)).setter(new Binding(108, o)).build());
        s.addOption(OptionSpec.builder("--no-jmc")
                .description("Only proflab's rules (JMC's parser holds every event in memory)")
                .paramLabel("<noJmc>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.noJmc).getter(new Binding(109, o)).setter(new Binding(109, o)).build());
        s.addOption(OptionSpec.builder("--jmc-max-size")
                .defaultValue("256")
                .description("Largest file given to JMC's rules, in MB (default: ${DEFAULT-VALUE})")
                .paramLabel("MB").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(long.class)
                .initialValue(o.jmcMaxMb).getter(new Binding(110, o)).setter(new Binding(110, o)).build());
        s.addOption(OptionSpec.builder("--jmc-timeout")
                .defaultValue("120s")
                .description("Time JMC's rules may take (default: ${DEFAULT-VALUE})")
                .paramLabel("DURATION").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.jmcTimeout).getter(new Binding(111, o)).setter(new Binding(111, o)).build());
        o.spec = s;
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    static CommandSpec viewCommandSpec(ViewCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "Open a recording in the browser: flame graph, top table, source, callers/callees.",
                "Click a frame to zoom and select it, search to highlight, switch between the file's events;",
                "with --base, the difference of two profiles; a timeline of threads when the recording has times.",
                "FILE may be a folder of profiles collected over time (proflab collect --out DIR): a time axis of",
                "the windows, click one, drag a range (merged), Compare two ranges; new windows appear as they come.",
                "Listens on 127.0.0.1 only, unless --bind says otherwise; Ctrl-C stops it.",
                "It has no token. Against DNS rebinding it answers only requests whose Host",
                "is localhost, 127.0.0.1 or [::1] (any port), or a host given with --allow-host;",
                "with --bind to another address, also that address and any IP address (give",
                "this machine's names with --allow-host). Anything else gets 403, and so do",
                "requests that another site's page sends (an <img> or fetch of evil.example).");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  proflab view cpu.jfr",
                "  proflab view --event alloc --port 9000 app.jfr",
                "  proflab view --no-browser cpu.jfr",
                "  proflab view --base before.jfr after.jfr",
                "  proflab view run1.jfr run2.jfr          # merged; tagfocus=file=run1 filters",
                "  proflab view profiles/",
                "  proflab view --event heap profiles/",
                "  proflab view --source-path ~/app/src/main/java cpu.jfr",
                "  proflab view --bind 0.0.0.0 --allow-host devbox.lan cpu.jfr");
        s.name("view");
        s.addPositional(PositionalParamSpec.builder()
                .description("A .jfr recording (async-profiler or JFR) or a pprof file; or a folder of profiles collected over time (DIR/<kind>/<kind>_<yyyyMMdd-HHmmss>.pb.gz|.jfr, or flat); several recordings (a.jfr b.jfr, a,b or a pattern) are shown merged")
                .paramLabel("FILE").required(true).descriptionKey("").arity(Range.valueOf("1..*")).index(Range.valueOf("0..*"))
                .type(java.util.List.class).auxiliaryTypes(java.nio.file.Path.class)
                .initialValue(o.files).getter(new Binding(112, o)).setter(new Binding(112, o)).build());
        s.addOption(OptionSpec.builder("--event")
                .description("The event shown first (default: the recording's main event); the page switches between all. With a folder: the kind shown first (cpu, heap, allocs, mutex, block, wall)")
                .paramLabel("EVENT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.event).getter(new Binding(113, o)).setter(new Binding(113, o)).build());
        s.addOption(OptionSpec.builder("--base")
                .description("The profile to compare against: the page shows base, current and their difference, normalised by total or by duration")
                .paramLabel("FILE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.base).getter(new Binding(114, o)).setter(new Binding(114, o)).build());
        s.addOption(OptionSpec.builder("--source-path")
                .description("Source roots for the Source tab, searched first (separated by the path separator, ':' on Unix; repeatable); then src/main/java of this folder and its modules")
                .paramLabel("DIRS").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.sourcePath).getter(new Binding(115, o)).setter(new Binding(115, o)).build());
        s.addOption(OptionSpec.builder("--port")
                .defaultValue("7070")
                .description("Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE})")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.port).getter(new Binding(116, o)).setter(new Binding(116, o)).build());
        s.addOption(OptionSpec.builder("--bind")
                .defaultValue("127.0.0.1")
                .description("Address to listen on (default: ${DEFAULT-VALUE}); another address exposes the profile to the network (there is no token): requests may then name that address, any IP address, or --allow-host")
                .paramLabel("ADDR").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.bind).getter(new Binding(117, o)).setter(new Binding(117, o)).build());
        s.addOption(OptionSpec.builder("--allow-host")
                .description("Also answer requests whose Host is HOST (a name or an IP address, without a port; repeatable): this machine's name with --bind, a reverse proxy's or an SSH tunnel's name")
                .paramLabel("HOST").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.allowHosts).getter(new Binding(118, o)).setter(new Binding(118, o)).build());
        s.addOption(OptionSpec.builder("--no-browser")
                .description("Do not open a browser, only print the URL")
                .paramLabel("<noBrowser>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.noBrowser).getter(new Binding(119, o)).setter(new Binding(119, o)).build());
        s.addOption(OptionSpec.builder("--no-jmc")
                .description("Findings panel: only proflab's rules, not JDK Mission Control's (they run after the page's first answers; their parser holds every event in memory)")
                .paramLabel("<noJmc>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.noJmc).getter(new Binding(120, o)).setter(new Binding(120, o)).build());
        s.addOption(OptionSpec.builder("--until-key")
                .description("Also stop, with exit 0, on q, Enter or Ctrl-C read from the standard input, or at its end: for a terminal whose Ctrl-C no longer sends a signal (stty -isig -icanon), as the make targets set it so that make itself is not interrupted (scripts/view-page)")
                .paramLabel("<untilKey>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.untilKey).getter(new Binding(121, o)).setter(new Binding(121, o)).build());
        o.spec = s;
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    static CommandSpec serveCommandSpec(ServeCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "Run the demo service: load endpoints over the labs' code, and /debug/pprof.",
                "/work/cpu, /work/mem, /work/contention, /work/leak run a lab's before or after (impl=before|after)",
                "so that a profile taken under load shows the lesson; GET /work lists their parameters and bounds.",
                "Listens on 127.0.0.1 only, unless --bind says otherwise; Ctrl-C stops it.",
                "Against DNS rebinding, requests must name the Host localhost, 127.0.0.1 or",
                "[::1] (any port), a host given with --allow-host, or, with --bind to another",
                "address, that address or any IP address; else 403 (/debug/pprof: unless they",
                "carry the token). Requests that another site's page sends (an <img>, <iframe>",
                "or fetch of evil.example) get 403 too.",
                "The seed's BLOCK_PROFILE_RATE_NS and MUTEX_PROFILE_FRACTION set the lock profiling threshold.");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  proflab serve",
                "  proflab load 'http://127.0.0.1:6060/work/cpu?n=30&workers=2' --duration 30s",
                "  BLOCK_PROFILE_RATE_NS=50000 proflab serve --port 6061");
        s.name("serve");
        s.addOption(OptionSpec.builder("--port")
                .defaultValue("6060")
                .description("Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE})")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.port).getter(new Binding(122, o)).setter(new Binding(122, o)).build());
        s.addOption(OptionSpec.builder("--bind")
                .defaultValue("127.0.0.1")
                .description("Address to listen on (default: ${DEFAULT-VALUE}); another address exposes the service to the network")
                .paramLabel("ADDR").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.bind).getter(new Binding(123, o)).setter(new Binding(123, o)).build());
        s.addOption(OptionSpec.builder("--max-concurrent")
                .defaultValue("8")
                .description("Work requests running at once; more get 503 with Retry-After (default: ${DEFAULT-VALUE})")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.maxConcurrent).getter(new Binding(124, o)).setter(new Binding(124, o)).build());
        s.addOption(OptionSpec.builder("--lock-threshold")
                .description("Lock waits shorter than this are not profiled, e.g. 10us, 1ms (default: from BLOCK_PROFILE_RATE_NS or MUTEX_PROFILE_FRACTION, else 10us)")
                .paramLabel("D").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.lockThreshold).getter(new Binding(125, o)).setter(new Binding(125, o)).build());
        s.addOption(OptionSpec.builder("--debug-port")
                .description("Serve /debug/pprof on this separate port instead of the service's (an admin port)")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.Integer.class)
                .initialValue(o.debugPort).getter(new Binding(126, o)).setter(new Binding(126, o)).build());
        s.addOption(OptionSpec.builder("--debug-bind")
                .defaultValue("127.0.0.1")
                .description("Address of the --debug-port listener (default: ${DEFAULT-VALUE}: the service may face the network while its admin port stays on loopback)")
                .paramLabel("ADDR").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.debugBind).getter(new Binding(127, o)).setter(new Binding(127, o)).build());
        s.addOption(OptionSpec.builder("--allow-host")
                .description("Also answer requests whose Host is HOST (a name or an IP address, without a port; repeatable), e.g. the name of this machine, of a reverse proxy or of an SSH tunnel: /work and, on loopback without the token, /debug/pprof")
                .paramLabel("HOST").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.allowHosts).getter(new Binding(128, o)).setter(new Binding(128, o)).build());
        s.addOption(OptionSpec.builder("--debug-token-file")
                .description("Bearer token for /debug/pprof on non-loopback addresses (without one they are off there)")
                .paramLabel("F").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.debugTokenFile).getter(new Binding(129, o)).setter(new Binding(129, o)).build());
        s.addOption(OptionSpec.builder("--flight-recorder")
                .description("Keep an always-on JFR recording of the last AGE (default when given without a value: 15m) that /debug/jfr?last=5m dumps: the recording that was running when the spike happened")
                .fallbackValue("15m")
                .paramLabel("AGE").descriptionKey("").arity(Range.valueOf("0..1"))
                .type(java.lang.String.class)
                .initialValue(o.flightRecorder).getter(new Binding(130, o)).setter(new Binding(130, o)).build());
        s.addOption(OptionSpec.builder("--flight-recorder-size")
                .defaultValue("100m")
                .description("At most this much on disk for --flight-recorder (default: ${DEFAULT-VALUE})")
                .paramLabel("SIZE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.flightRecorderSize).getter(new Binding(131, o)).setter(new Binding(131, o)).build());
        o.spec = s;
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    static CommandSpec loadCommandSpec(LoadCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "Put a URL under HTTP load for a while: C workers, closed loop or a fixed rate.",
                "Prints throughput, latency percentiles (HdrHistogram; at a fixed rate measured from each request's",
                "scheduled start, so a stalled server is not hidden), answers by status class and errors.",
                "Progress on stderr once a second; Ctrl-C ends early and still prints the summary.");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  proflab load 'http://127.0.0.1:6060/work/cpu?n=30&workers=2' --duration 30s",
                "  proflab load 'http://127.0.0.1:6060/work/contention?workers=16&iter=5000&holdNs=50000' -c 2 -d 1m",
                "  proflab load 'http://127.0.0.1:6060/work/cpu?n=25' --rate 100 --duration 10s --format json",
                "  proflab load 'http://127.0.0.1:6060/work/cpu?n=30&workers=2' --rate 100 --warmup 5s -d 15s --timeline",
                "  proflab load URL -d 20s --profile PID -o srv.jfr   # then: proflab top --per-op srv.jfr",
                "",
                "--profile PID records the server (async-profiler, else JFR) while the load is",
                "measured, and writes FILE.ops.json: the requests answered while it recorded.");
        s.name("load");
        s.addPositional(PositionalParamSpec.builder()
                .description("The URL to GET (http or https)")
                .paramLabel("URL").required(true).descriptionKey("").arity(Range.valueOf("1").unspecified(true)).index(Range.valueOf("0"))
                .type(java.lang.String.class)
                .initialValue(o.url).getter(new Binding(132, o)).setter(new Binding(132, o)).build());
        s.addOption(OptionSpec.builder("-c", "--concurrency")
                .defaultValue("4")
                .description("Workers, each with one request in flight (default: ${DEFAULT-VALUE})")
                .paramLabel("C").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.concurrency).getter(new Binding(133, o)).setter(new Binding(133, o)).build());
        s.addOption(OptionSpec.builder("-d", "--duration")
                .description("How long to run, e.g. 10s, 1m (default: 10s, or until --requests when only that is given)")
                .paramLabel("D").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.duration).getter(new Binding(134, o)).setter(new Binding(134, o)).build());
        s.addOption(OptionSpec.builder("-r", "--rate")
                .description("Requests per second over all workers (fixed rate); default: closed loop, as fast as answers come")
                .paramLabel("R").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.Double.class)
                .initialValue(o.rate).getter(new Binding(135, o)).setter(new Binding(135, o)).build());
        s.addOption(OptionSpec.builder("-n", "--requests")
                .description("Stop after N requests (default: no limit)")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.Long.class)
                .initialValue(o.requests).getter(new Binding(136, o)).setter(new Binding(136, o)).build());
        s.addOption(OptionSpec.builder("--warmup")
                .defaultValue("0s")
                .description("Load this long first without measuring it: the client's and the server's JIT, connections (default: ${DEFAULT-VALUE})")
                .paramLabel("D").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.warmup).getter(new Binding(137, o)).setter(new Binding(137, o)).build());
        s.addOption(OptionSpec.builder("--timeout")
                .defaultValue("10s")
                .description("For each whole answer, connecting and the body included: a server that trickles its answer costs a worker this long, not the run (default: ${DEFAULT-VALUE})")
                .paramLabel("D").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.timeout).getter(new Binding(138, o)).setter(new Binding(138, o)).build());
        s.addOption(OptionSpec.builder("--timeline")
                .description("Also print a line a second: answers, p50, p99, max of that second (--format json always has it)")
                .paramLabel("<timeline>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.timeline).getter(new Binding(139, o)).setter(new Binding(139, o)).build());
        s.addOption(OptionSpec.builder("--format")
                .defaultValue("text")
                .description("text or json (default: ${DEFAULT-VALUE})")
                .paramLabel("FMT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(dev.proflab.cli.LoadCommand.Format.class)
                .initialValue(o.format).getter(new Binding(140, o)).setter(new Binding(140, o)).build());
        s.addOption(OptionSpec.builder("--profile")
                .description("Record this JVM (the server under load) with its CPU profile from the end of the warm-up for --duration, and count the requests answered while it recorded (FILE.ops.json)")
                .paramLabel("PID").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.Long.class)
                .initialValue(o.profilePid).getter(new Binding(141, o)).setter(new Binding(141, o)).build());
        s.addOption(OptionSpec.builder("-o", "--output")
                .description("--profile: the recording (default: tmp/load-PID-cpu.jfr in the project)")
                .paramLabel("FILE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.output).getter(new Binding(142, o)).setter(new Binding(142, o)).build());
        o.spec = s;
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    static CommandSpec fetchCommandSpec(FetchCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "Download a profile from a running service (a /debug/pprof endpoint) into FILE.",
                "Written to a temporary file beside FILE and renamed only when what arrived is a profile",
                "(gzipped pprof or JFR) of the format FILE's name says (.pb.gz pprof, .jfr JFR, else either):",
                "an error page or a broken download leaves nothing behind.",
                "The whole answer must arrive within --timeout (a server that sends its headers and then",
                "trickles is given up) and be at most --max-profile-bytes. The hidden .FILE.*.part files",
                "a killed fetch leaves are deleted by the next fetch into the same folder.");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  proflab fetch 'http://127.0.0.1:6060/debug/pprof/profile?seconds=30' -o cpu.pb.gz",
                "  proflab fetch 'https://app:6060/debug/pprof/heap' --token-file ~/.proflab-token -o heap.pb.gz",
                "",
                "Exit codes: 0 written, 2 bad arguments, or no profile: the server cannot be reached, answers",
                "an error, too slowly or too much, or what it sends is not a profile.");
        s.name("fetch");
        s.addPositional(PositionalParamSpec.builder()
                .description("The profile's URL (http or https)")
                .paramLabel("URL").required(true).descriptionKey("").arity(Range.valueOf("1").unspecified(true)).index(Range.valueOf("0"))
                .type(java.lang.String.class)
                .initialValue(o.url).getter(new Binding(143, o)).setter(new Binding(143, o)).build());
        s.addOption(OptionSpec.builder("-o", "--output")
                .description("Where to write it")
                .paramLabel("FILE").required(true).descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.output).getter(new Binding(144, o)).setter(new Binding(144, o)).build());
        s.addOption(OptionSpec.builder("--token-file")
                .description("Send 'Authorization: Bearer <the file's content, trimmed>'")
                .paramLabel("F").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.tokenFile).getter(new Binding(145, o)).setter(new Binding(145, o)).build());
        s.addOption(OptionSpec.builder("--timeout")
                .description("For the whole answer, headers and body (default: the URL's seconds= plus 30 s, else 60 s)")
                .paramLabel("D").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.timeout).getter(new Binding(146, o)).setter(new Binding(146, o)).build());
        s.addOption(OptionSpec.builder("--max-profile-bytes")
                .defaultValue("256MB")
                .description("Give up on an answer larger than this, counted as sent (compressed), e.g. 64MB, 1GB (powers of 1024) (default: ${DEFAULT-VALUE})")
                .paramLabel("SIZE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.maxProfileBytes).getter(new Binding(147, o)).setter(new Binding(147, o)).build());
        o.spec = s;
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    static CommandSpec collectCommandSpec(CollectCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "Collect profiles from a running service every interval (continuous profiling).",
                "Every --interval: a CPU window of --window and a heap snapshot (and, on request,",
                "allocation, lock and wall profiles) from its /debug/pprof, saved as",
                "OUT/<kind>/<kind>_<yyyyMMdd-HHmmss>.pb.gz (the window's start, UTC).",
                "Each file is written under a hidden temporary name and renamed only when it",
                "reads as a profile; the folder keeps --keep files per kind and at most",
                "--max-bytes. A target that goes down is waited for (said once) and collection",
                "resumes when it is back. Each answer must arrive whole within its window (or",
                "snapshot) plus 30 s, be at most --max-profile-bytes, and be the kind and",
                "format asked for: one that is not is skipped, said in the cycle's line, and",
                "the next capture goes on. One line per cycle on stderr. With --pyroscope each",
                "window is also pushed (as JFR) to Grafana Pyroscope's /ingest, with --otlp as",
                "OpenTelemetry profiles; --out is then optional. A push never holds up a",
                "capture: windows wait in a bounded queue (kept under --out across restarts),",
                "sent in order and retried through outages (docs/pyroscope.md).");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  proflab collect --target http://127.0.0.1:6060 --interval 60s --window 30s \\",
                "      --out profiles --keep 100",
                "  proflab collect --interval 10s --window 5s --snapshot 2s --allocs --mutex \\",
                "      --max-bytes 500MB",
                "  proflab collect --pyroscope http://pyroscope:4040 --app demo --label env=lab \\",
                "      --interval 15s --window 10s",
                "",
                "Read them: proflab top $(ls profiles/cpu/*.pb.gz | tail -1), proflab view ...",
                "",
                "Exit codes: 0 done (--cycles), 130/143 stopped by SIGINT/SIGTERM,",
                "1 cannot write, 2 bad arguments.");
        s.name("collect");
        s.addOption(OptionSpec.builder("--target")
                .defaultValue("http://127.0.0.1:6060")
                .description("The service, e.g. http://127.0.0.1:6060 (/debug/pprof/... is added) (default: ${DEFAULT-VALUE})")
                .paramLabel("URL").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.target).getter(new Binding(148, o)).setter(new Binding(148, o)).build());
        s.addOption(OptionSpec.builder("--interval")
                .defaultValue("60s")
                .description("From the start of one cycle to the next (default: ${DEFAULT-VALUE})")
                .paramLabel("D").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.interval).getter(new Binding(149, o)).setter(new Binding(149, o)).build());
        s.addOption(OptionSpec.builder("--window")
                .defaultValue("30s")
                .description("Length of each CPU (and wall) window, whole seconds (default: ${DEFAULT-VALUE})")
                .paramLabel("D").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.window).getter(new Binding(150, o)).setter(new Binding(150, o)).build());
        s.addOption(OptionSpec.builder("--snapshot")
                .defaultValue("5s")
                .description("Sampling time of heap, allocs, mutex and block, whole seconds (default: ${DEFAULT-VALUE})")
                .paramLabel("D").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.snapshot).getter(new Binding(151, o)).setter(new Binding(151, o)).build());
        s.addOption(OptionSpec.builder("-o", "--out")
                .description("Collection folder (default: profiles; none with --pyroscope unless given)")
                .paramLabel("DIR").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.out).getter(new Binding(152, o)).setter(new Binding(152, o)).build());
        s.addOption(OptionSpec.builder("--keep")
                .defaultValue("100")
                .description("Newest files kept per kind, 0 for all (default: ${DEFAULT-VALUE})")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.keep).getter(new Binding(153, o)).setter(new Binding(153, o)).build());
        s.addOption(OptionSpec.builder("--max-bytes")
                .description("At most this much in the folder, oldest deleted first, e.g. 500MB, 1GB (powers of 1024)")
                .paramLabel("SIZE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.maxBytes).getter(new Binding(154, o)).setter(new Binding(154, o)).build());
        s.addOption(OptionSpec.builder("--max-profile-bytes")
                .defaultValue("64MB")
                .description("Skip an answer larger than this, counted as sent (compressed), e.g. 16MB, 1GB (powers of 1024) (default: ${DEFAULT-VALUE}; a 30 s CPU window is ~0.1 MB as pprof, ~2 MB as JFR)")
                .paramLabel("SIZE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.maxProfileBytes).getter(new Binding(155, o)).setter(new Binding(155, o)).build());
        s.addOption(OptionSpec.builder("--format")
                .defaultValue("pprof")
                .description("pprof (.pb.gz, as the seed) or jfr (.jfr) (default: ${DEFAULT-VALUE}; jfr with --pyroscope)")
                .paramLabel("FMT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(dev.proflab.cli.CollectCommand.Format.class)
                .initialValue(o.format).getter(new Binding(156, o)).setter(new Binding(156, o)).build());
        s.addOption(OptionSpec.builder("--no-heap")
                .description("Skip the heap snapshot")
                .paramLabel("<noHeap>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.noHeap).getter(new Binding(157, o)).setter(new Binding(157, o)).build());
        s.addOption(OptionSpec.builder("--allocs")
                .description("Also an allocation profile of --snapshot each cycle")
                .paramLabel("<allocs>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.allocs).getter(new Binding(158, o)).setter(new Binding(158, o)).build());
        s.addOption(OptionSpec.builder("--mutex")
                .description("Also a lock contention profile of --snapshot each cycle")
                .paramLabel("<mutex>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.mutex).getter(new Binding(159, o)).setter(new Binding(159, o)).build());
        s.addOption(OptionSpec.builder("--block")
                .description("Also a block profile of --snapshot each cycle (the same lock events)")
                .paramLabel("<block>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.block).getter(new Binding(160, o)).setter(new Binding(160, o)).build());
        s.addOption(OptionSpec.builder("--wall")
                .description("Also a wall-clock window of --window each cycle")
                .paramLabel("<wall>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.wall).getter(new Binding(161, o)).setter(new Binding(161, o)).build());
        s.addOption(OptionSpec.builder("--token-file")
                .description("Send 'Authorization: Bearer <the file's content>' to the target")
                .paramLabel("F").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.tokenFile).getter(new Binding(162, o)).setter(new Binding(162, o)).build());
        s.addOption(OptionSpec.builder("--cycles")
                .defaultValue("0")
                .description("Stop after N cycles (default: run until Ctrl-C)")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(long.class)
                .initialValue(o.cycles).getter(new Binding(163, o)).setter(new Binding(163, o)).build());
        s.addOption(OptionSpec.builder("--stop-grace")
                .defaultValue("5s")
                .description("On Ctrl-C, how long a capture under way may take to finish before it is dropped (default: ${DEFAULT-VALUE})")
                .paramLabel("D").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.stopGrace).getter(new Binding(164, o)).setter(new Binding(164, o)).build());
        s.addOption(OptionSpec.builder("--pyroscope")
                .description("Also push each window to this Grafana Pyroscope server (POST /ingest, format=jfr)")
                .paramLabel("URL").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.pyroscope).getter(new Binding(165, o)).setter(new Binding(165, o)).build());
        s.addOption(OptionSpec.builder("--otlp")
                .description("Also push each window as OpenTelemetry profiles (POST URL/v1development/profiles, protobuf, gzip); --app is service.name, --label k=v resource attributes")
                .paramLabel("URL").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.otlp).getter(new Binding(166, o)).setter(new Binding(166, o)).build());
        s.addOption(OptionSpec.builder("--app")
                .description("Application name in Pyroscope (with --pyroscope)")
                .paramLabel("NAME").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.app).getter(new Binding(167, o)).setter(new Binding(167, o)).build());
        s.addOption(OptionSpec.builder("--label")
                .description("Static Pyroscope label, repeatable: --label env=lab")
                .paramLabel("K=V").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.labels).getter(new Binding(168, o)).setter(new Binding(168, o)).build());
        s.addOption(OptionSpec.builder("--no-default-labels")
                .description("Push only --app and the --label given: not host, instance and the runtime (process.runtime.name, process.runtime.version) that are added otherwise")
                .paramLabel("<noDefaultLabels>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.noDefaultLabels).getter(new Binding(169, o)).setter(new Binding(169, o)).build());
        s.addOption(OptionSpec.builder("--pyroscope-token-file")
                .description("Send 'Authorization: Bearer <token>' to Pyroscope (behind an authenticating proxy)")
                .paramLabel("F").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.pyroscopeTokenFile).getter(new Binding(170, o)).setter(new Binding(170, o)).build());
        s.addOption(OptionSpec.builder("--pyroscope-basic-auth-file")
                .description("Basic auth to Pyroscope: the file holds user:password (as the URL's http://user:password@host, which the Java agent also reads)")
                .paramLabel("F").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.pyroscopeBasicAuthFile).getter(new Binding(171, o)).setter(new Binding(171, o)).build());
        s.addOption(OptionSpec.builder("--tenant")
                .description("X-Scope-OrgID for a multi-tenant Pyroscope")
                .paramLabel("ID").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.tenant).getter(new Binding(172, o)).setter(new Binding(172, o)).build());
        s.addOption(OptionSpec.builder("--queue-max")
                .defaultValue("100")
                .description("Windows waiting for Pyroscope at most; the oldest is dropped beyond (default: ${DEFAULT-VALUE})")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.queueMax).getter(new Binding(173, o)).setter(new Binding(173, o)).build());
        s.addOption(OptionSpec.builder("--queue-max-bytes")
                .defaultValue("256MB")
                .description("Bytes (gzipped) waiting for Pyroscope at most (default: ${DEFAULT-VALUE})")
                .paramLabel("SIZE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.queueMaxBytes).getter(new Binding(174, o)).setter(new Binding(174, o)).build());
        s.addOption(OptionSpec.builder("--push-max-age")
                .defaultValue("1h")
                .description("Give a window up when its start is older than this: Pyroscope refuses profiles older than 1 h by default (default: ${DEFAULT-VALUE})")
                .paramLabel("D").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.pushMaxAge).getter(new Binding(175, o)).setter(new Binding(175, o)).build());
        s.addOption(OptionSpec.builder("--log-format")
                .defaultValue("text")
                .description("text (lines on stderr) or json: one JSON object per line on stdout, each cycle with its captures and the Pyroscope counts, and the summary (default: ${DEFAULT-VALUE})")
                .paramLabel("FMT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(dev.proflab.cli.CollectCommand.LogFormat.class)
                .initialValue(o.logFormat).getter(new Binding(176, o)).setter(new Binding(176, o)).build());
        o.spec = s;
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    static CommandSpec agentCommandSpec(AgentCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "Start the /debug/pprof endpoints in a running JVM, with no change to its code.",
                "Loads proflab-agent.jar through the Attach API; the JVM then serves /debug/pprof/*, /debug/jfr and /debug/gc on --port",
                "(go tool pprof http://127.0.0.1:6060/debug/pprof/profile). The same as starting it with",
                "-javaagent:proflab-agent.jar=port=6060. The endpoints stay until that JVM exits. See docs/agent.md.");
        s.name("agent");
        s.usageMessage().sortOptions(false);
        s.addOption(OptionSpec.builder("--pid")
                .description("The JVM")
                .paramLabel("PID").required(true).descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(long.class)
                .initialValue(o.pid).getter(new Binding(177, o)).setter(new Binding(177, o)).build());
        s.addOption(OptionSpec.builder("--port")
                .defaultValue("6060")
                .description("The port to listen on (default: ${DEFAULT-VALUE})")
                .paramLabel("PORT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.port).getter(new Binding(178, o)).setter(new Binding(178, o)).build());
        s.addOption(OptionSpec.builder("--bind")
                .defaultValue("127.0.0.1")
                .description("The address to listen on (default: ${DEFAULT-VALUE}); another needs --token-file")
                .paramLabel("ADDRESS").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.bind).getter(new Binding(179, o)).setter(new Binding(179, o)).build());
        s.addOption(OptionSpec.builder("--token-file")
                .description("A file whose first line is the bearer token non-loopback clients must send (read by the JVM)")
                .paramLabel("FILE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.tokenFile).getter(new Binding(180, o)).setter(new Binding(180, o)).build());
        s.addOption(OptionSpec.builder("--flight-recorder")
                .description("Keep an always-on JFR recording of the last AGE (15m) for /debug/jfr?last=5m")
                .paramLabel("AGE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.flightRecorder).getter(new Binding(181, o)).setter(new Binding(181, o)).build());
        s.addOption(OptionSpec.builder("--debug-heap-dumps")
                .description("Enable /debug/pprof/heapdump, writing .hprof files into FOLDER (in the JVM's file system)")
                .paramLabel("FOLDER").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.heapDumps).getter(new Binding(182, o)).setter(new Binding(182, o)).build());
        s.addOption(OptionSpec.builder("--jar")
                .description("proflab-agent.jar (default: $PROFLAB_AGENT_JAR, else the installed lib/ or agent/target)")
                .paramLabel("FILE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.jar).getter(new Binding(183, o)).setter(new Binding(183, o)).build());
        s.addOption(OptionSpec.builder("--wait")
                .defaultValue("10")
                .description("How long to wait for the port to answer (default: ${DEFAULT-VALUE}; 0: do not wait)")
                .paramLabel("SECONDS").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.waitSeconds).getter(new Binding(184, o)).setter(new Binding(184, o)).build());
        o.spec = s;
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    static CommandSpec gcLogCommandSpec(GcLogCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "Summarise a unified JVM GC log (-Xlog:gc, -Xlog:gc*): collections, pauses, throughput.",
                "Java's GODEBUG=gctrace=1: every collection's type, pause and heap",
                "before->after(committed); pause percentiles (p50/p90/p99/max, nearest rank);",
                "throughput (1 - pauses / uptime); allocation rate. Reads G1, Parallel, Serial,",
                "ZGC and Shenandoah logs; ZGC logs its pauses only with -Xlog:gc*. See docs/gclog.md.");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  java -Xlog:gc*:file=tmp/gc.log -cp labs/target/proflab-labs-0.1.0.jar \\",
                "       dev.proflab.labs.Run alloc-before --seconds 3",
                "  proflab gclog tmp/gc.log",
                "  proflab gclog -n 0 --format markdown tmp/gc.log",
                "  proflab gclog --format json tmp/gc.log");
        s.name("gclog");
        s.addPositional(PositionalParamSpec.builder()
                .description("A unified GC log, as -Xlog:gc*:file=FILE writes it")
                .paramLabel("FILE").required(true).descriptionKey("").arity(Range.valueOf("1").unspecified(true)).index(Range.valueOf("0"))
                .type(java.nio.file.Path.class)
                .initialValue(o.file).getter(new Binding(185, o)).setter(new Binding(185, o)).build());
        s.addOption(OptionSpec.builder("--format")
                .defaultValue("text")
                .description("text, markdown or json (default: ${DEFAULT-VALUE})")
                .paramLabel("FORMAT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(dev.proflab.cli.GcLogCommand.Format.class)
                .initialValue(o.format).getter(new Binding(186, o)).setter(new Binding(186, o)).build());
        s.addOption(OptionSpec.builder("-n")
                .defaultValue("20")
                .description("Collections to list: the N with the longest pauses, in log order; 0 lists all (default: ${DEFAULT-VALUE}). The numbers above the table always count them all.")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.rows).getter(new Binding(187, o)).setter(new Binding(187, o)).build());
        o.spec = s;
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    static CommandSpec gcCommandSpec(GcCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
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
                "-Xmx heap x 4); --no-presets drops them.");
        s.usageMessage().footer(
                "",
                "Examples:",
                "  proflab gc --quick --charts tmp/gc",
                "  proflab gc --collectors g1,zgc --heap 64m,256m --runs 5 --format markdown",
                "  proflab gc --config g1-pause5=\"-XX:+UseG1GC -Xmx128m -XX:MaxGCPauseMillis=5\" --workload before",
                "  proflab gc --config leak=\"-XX:+UseSerialGC -Xmx32m\" --hold --workload before",
                "      (the leak: OutOfMemoryError after N items)");
        s.name("gc");
        s.addOption(OptionSpec.builder("--quick")
                .description("A short run: g1, parallel, zgc; 3 runs of 300 rounds; no presets (< 1 min here)")
                .paramLabel("<quick>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.quick).getter(new Binding(188, o)).setter(new Binding(188, o)).build());
        s.addOption(OptionSpec.builder("--collectors")
                .description("Collectors: g1, parallel, serial, zgc, shenandoah (default: g1,parallel,serial,zgc,shenandoah; --quick: g1,parallel,zgc; none when --config is given)")
                .splitRegex(",")
                .paramLabel("LIST").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.collectors).getter(new Binding(189, o)).setter(new Binding(189, o)).build());
        s.addOption(OptionSpec.builder("--heap")
                .description("Maximum heap (-Xmx) of each collector, one configuration per size (default: 64m)")
                .splitRegex(",")
                .paramLabel("SIZE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.heaps).getter(new Binding(190, o)).setter(new Binding(190, o)).build());
        s.addOption(OptionSpec.builder("--fixed-heap")
                .description("Also set -Xms to the same size (no heap resizing)")
                .paramLabel("<fixedHeap>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.fixedHeap).getter(new Binding(191, o)).setter(new Binding(191, o)).build());
        s.addOption(OptionSpec.builder("--presets")
                .description("Add the GOGC/GOMEMLIMIT counterparts (default: on, off with --quick, --collectors or --config)")
                .negatable(true)
                .paramLabel("<presets>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(java.lang.Boolean.class)
                .initialValue(o.presets).getter(new Binding(192, o)).setter(new Binding(192, o)).build());
        s.addOption(OptionSpec.builder("--config")
                .description("A configuration of your own: a name and JVM options, e.g. g1-pause5=\"-XX:+UseG1GC -Xmx128m -XX:MaxGCPauseMillis=5\" (repeatable)")
                .paramLabel("NAME=OPTIONS").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.configs).getter(new Binding(193, o)).setter(new Binding(193, o)).build());
        s.addOption(OptionSpec.builder("--workload")
                .description("before (Alloc.allocate), after (Alloc.allocatePooled) (default: before,after)")
                .splitRegex(",")
                .paramLabel("LIST").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.util.List.class).auxiliaryTypes(java.lang.String.class)
                .initialValue(o.workloads).getter(new Binding(194, o)).setter(new Binding(194, o)).build());
        s.addOption(OptionSpec.builder("--bytes")
                .defaultValue("1024")
                .description("Bytes per item (default: ${DEFAULT-VALUE})")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.bytes).getter(new Binding(195, o)).setter(new Binding(195, o)).build());
        s.addOption(OptionSpec.builder("--count")
                .defaultValue("10000")
                .description("Items per call, all alive until the call ends: the live set (default: ${DEFAULT-VALUE})")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(int.class)
                .initialValue(o.count).getter(new Binding(196, o)).setter(new Binding(196, o)).build());
        s.addOption(OptionSpec.builder("--hold")
                .description("Keep every item (the leak): the heap fills until OutOfMemoryError")
                .paramLabel("<hold>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.hold).getter(new Binding(197, o)).setter(new Binding(197, o)).build());
        s.addOption(OptionSpec.builder("--rounds")
                .description("Calls per run: the fixed work (default: 1000; --quick: 300)")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.Integer.class)
                .initialValue(o.rounds).getter(new Binding(198, o)).setter(new Binding(198, o)).build());
        s.addOption(OptionSpec.builder("--runs")
                .description("Runs of each configuration and workload; the table shows medians (default: 5; --quick: 3)")
                .paramLabel("N").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.Integer.class)
                .initialValue(o.runs).getter(new Binding(199, o)).setter(new Binding(199, o)).build());
        s.addOption(OptionSpec.builder("--timeout")
                .defaultValue("120s")
                .description("Kill a run after this long and report it as an error (default: ${DEFAULT-VALUE})")
                .paramLabel("DURATION").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.lang.String.class)
                .initialValue(o.timeout).getter(new Binding(200, o)).setter(new Binding(200, o)).build());
        s.addOption(OptionSpec.builder("--format")
                .defaultValue("text")
                .description("text, markdown or json (default: ${DEFAULT-VALUE})")
                .paramLabel("FORMAT").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(dev.proflab.cli.GcCommand.Format.class)
                .initialValue(o.format).getter(new Binding(201, o)).setter(new Binding(201, o)).build());
        s.addOption(OptionSpec.builder("-o", "--output")
                .description("Write the table to FILE instead of stdout")
                .paramLabel("FILE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.output).getter(new Binding(202, o)).setter(new Binding(202, o)).build());
        s.addOption(OptionSpec.builder("--charts")
                .description("Write SVG charts to DIR: heap-WORKLOAD.svg (heap over time) and pauses-WORKLOAD.svg")
                .paramLabel("DIR").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.charts).getter(new Binding(203, o)).setter(new Binding(203, o)).build());
        s.addOption(OptionSpec.builder("--labs-jar")
                .description("The labs jar (default: labs/target/proflab-labs-*.jar)")
                .paramLabel("FILE").descriptionKey("").arity(Range.valueOf("1").unspecified(true))
                .type(java.nio.file.Path.class)
                .initialValue(o.labsJar).getter(new Binding(204, o)).setter(new Binding(204, o)).build());
        o.spec = s;
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    static CommandSpec completionCommandSpec(CompletionCommand o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description(
                "Print the bash/zsh completion script of proflab's commands and options.",
                "For this shell:      source <(proflab completion)",
                "For every new shell: proflab completion > ~/.proflab-completion.bash, and 'source' it from ~/.bashrc or ~/.zshrc",
                "The installed archive ships it as completions/proflab.bash.");
        s.helpCommand(true);
        s.name("completion");
        o.spec = s;
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    static CommandSpec mainSpec(Main o) {
        CommandSpec s = CommandSpec.wrapWithoutInspection(o);
        s.usageMessage().description("Profile JVM programs and compare benchmarks: the java-prof-labs toolkit.");
        s.name("proflab");
        s.versionProvider(new VersionProvider());
        s.addOption(OptionSpec.builder("--debug")
                .description("Show stack traces of errors.")
                .scopeType(picocli.CommandLine.ScopeType.INHERIT)
                .paramLabel("<debug>").descriptionKey("").arity(Range.valueOf("0").unspecified(true))
                .type(boolean.class)
                .initialValue(o.debug).getter(new Binding(205, o)).setter(new Binding(205, o)).build());
        o.spec = s;
        s.addMixin("mixinStandardHelpOptions", standardHelp());
        return s;
    }

    private static CommandSpec standardHelp() {
        CommandSpec s = CommandSpec.create();
        s.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).descriptionKey("mixinStandardHelpOptions.help")
                .paramLabel("<helpRequested>")                .description("Show this help message and exit.").type(boolean.class).arity(Range.valueOf("0").unspecified(true)).initialValue(false).build());
        s.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).descriptionKey("mixinStandardHelpOptions.version")
                .paramLabel("<versionRequested>")                .description("Print version information and exit.").type(boolean.class).arity(Range.valueOf("0").unspecified(true)).initialValue(false).build());
        return s;
    }

    /** Reads and writes the field each option is declared on (the index is the field's). */
    private record Binding(int field, Object o) implements IGetter, ISetter {

        @Override
        public <T> T get() {
            return (T) switch (field) {
                case 0 -> ((CompareCommand) o).lab;
                case 1 -> ((CompareCommand) o).count;
                case 2 -> ((CompareCommand) o).iterations;
                case 3 -> ((CompareCommand) o).warmup;
                case 4 -> ((CompareCommand) o).time;
                case 5 -> ((CompareCommand) o).alpha;
                case 6 -> ((CompareCommand) o).format;
                case 7 -> ((CompareCommand) o).record;
                case 8 -> ((CompareCommand) o).outDir;
                case 9 -> ((CompareCommand) o).jar;
                case 10 -> ((StatCommand) o).files;
                case 11 -> ((StatCommand) o).col;
                case 12 -> ((StatCommand) o).alpha;
                case 13 -> ((StatCommand) o).confidence;
                case 14 -> ((StatCommand) o).format;
                case 15 -> ((StatCommand) o).maxRegression;
                case 16 -> ((StatCommand) o).budget;
                case 17 -> ((BenchCommand) o).lab;
                case 18 -> ((BenchCommand) o).jmhArgs;
                case 19 -> ((BenchCommand) o).time;
                case 20 -> ((BenchCommand) o).forks;
                case 21 -> ((BenchCommand) o).jar;
                case 22 -> ((ProfileCommand) o).positional;
                case 23 -> ((ProfileCommand) o).events;
                case 24 -> ((ProfileCommand) o).duration;
                case 25 -> ((ProfileCommand) o).interval;
                case 26 -> ((ProfileCommand) o).alloc;
                case 27 -> ((ProfileCommand) o).lock;
                case 28 -> ((ProfileCommand) o).engine;
                case 29 -> ((ProfileCommand) o).jdkEvents;
                case 30 -> ((ProfileCommand) o).timeline;
                case 31 -> ((ProfileCommand) o).output;
                case 32 -> ((ProfileCommand) o).pid;
                case 33 -> ((ProfileCommand) o).bench;
                case 34 -> ((ProfileCommand) o).params;
                case 35 -> ((ProfileCommand) o).warmup;
                case 36 -> ((ProfileCommand) o).iterations;
                case 37 -> ((ProfileCommand) o).time;
                case 38 -> ((ProfileCommand) o).jvmArgs;
                case 39 -> ((ProfileCommand) o).labsJar;
                case 40 -> ((ProfileCommand) o).jar;
                case 41 -> ((ProfileCommand) o).format;
                case 42 -> ((ThreadsCommand) o).pid;
                case 43 -> ((ThreadsCommand) o).twice;
                case 44 -> ((ThreadsCommand) o).depth;
                case 45 -> ((ThreadsCommand) o).full;
                case 46 -> ((ThreadsCommand) o).format;
                case 47 -> ((ConvertCommand) o).in;
                case 48 -> ((ConvertCommand) o).out;
                case 49 -> ((ConvertCommand) o).format;
                case 50 -> ((SelectionOptions) o).event;
                case 51 -> ((SelectionOptions) o).sampleIndex;
                case 52 -> ((SelectionOptions) o).focus;
                case 53 -> ((SelectionOptions) o).ignore;
                case 54 -> ((SelectionOptions) o).hide;
                case 55 -> ((SelectionOptions) o).thread;
                case 56 -> ((SelectionOptions) o).tagfocus;
                case 57 -> ((SelectionOptions) o).tagignore;
                case 58 -> ((SelectionOptions) o).tagroot;
                case 59 -> ((SelectionOptions) o).tagleaf;
                case 60 -> ((SelectionOptions) o).from;
                case 61 -> ((SelectionOptions) o).to;
                case 62 -> ((SelectionOptions) o).signatures;
                case 63 -> ((SelectionOptions) o).lines;
                case 64 -> ((SelectionOptions) o).base;
                case 65 -> ((SelectionOptions) o).normalize;
                case 66 -> ((SelectionOptions) o).ops;
                case 67 -> ((SelectionOptions) o).opsBase;
                case 68 -> ((SelectionOptions) o).classes;
                case 69 -> ((ConvertCommand) o).inverted;
                case 70 -> ((ConvertCommand) o).title;
                case 71 -> ((TopCommand) o).files;
                case 72 -> ((TopCommand) o).n;
                case 73 -> ((TopCommand) o).cum;
                case 74 -> ((TopCommand) o).perOp;
                case 75 -> ((ReportOptions) o).help;
                case 76 -> ((ReportOptions) o).format;
                case 77 -> ((DiffCommand) o).base;
                case 78 -> ((DiffCommand) o).file;
                case 79 -> ((DiffCommand) o).n;
                case 80 -> ((DiffCommand) o).maxGrowth;
                case 81 -> ((DiffCommand) o).budget;
                case 82 -> ((DiffCommand) o).gateOn;
                case 83 -> ((ListCommand) o).regex;
                case 84 -> ((ListCommand) o).files;
                case 85 -> ((ListCommand) o).sourcePath;
                case 86 -> ((PeekCommand) o).regex;
                case 87 -> ((PeekCommand) o).files;
                case 88 -> ((PeekCommand) o).n;
                case 89 -> ((PeekCommand) o).cum;
                case 90 -> ((TreeCommand) o).files;
                case 91 -> ((TreeCommand) o).n;
                case 92 -> ((TreeCommand) o).depth;
                case 93 -> ((TreeCommand) o).nodeFraction;
                case 94 -> ((TreeCommand) o).inverted;
                case 95 -> ((TracesCommand) o).files;
                case 96 -> ((TracesCommand) o).n;
                case 97 -> ((TagsCommand) o).files;
                case 98 -> ((TimelineCommand) o).file;
                case 99 -> ((TimelineCommand) o).lanes;
                case 100 -> ((TimelineCommand) o).sort;
                case 101 -> ((TimelineCommand) o).thread;
                case 102 -> ((TimelineCommand) o).from;
                case 103 -> ((TimelineCommand) o).to;
                case 104 -> ((TimelineCommand) o).bands;
                case 105 -> ((TimelineCommand) o).format;
                case 106 -> ((AnalyzeCommand) o).file;
                case 107 -> ((AnalyzeCommand) o).format;
                case 108 -> ((AnalyzeCommand) o).all;
                case 109 -> ((AnalyzeCommand) o).noJmc;
                case 110 -> ((AnalyzeCommand) o).jmcMaxMb;
                case 111 -> ((AnalyzeCommand) o).jmcTimeout;
                case 112 -> ((ViewCommand) o).files;
                case 113 -> ((ViewCommand) o).event;
                case 114 -> ((ViewCommand) o).base;
                case 115 -> ((ViewCommand) o).sourcePath;
                case 116 -> ((ViewCommand) o).port;
                case 117 -> ((ViewCommand) o).bind;
                case 118 -> ((ViewCommand) o).allowHosts;
                case 119 -> ((ViewCommand) o).noBrowser;
                case 120 -> ((ViewCommand) o).noJmc;
                case 121 -> ((ViewCommand) o).untilKey;
                case 122 -> ((ServeCommand) o).port;
                case 123 -> ((ServeCommand) o).bind;
                case 124 -> ((ServeCommand) o).maxConcurrent;
                case 125 -> ((ServeCommand) o).lockThreshold;
                case 126 -> ((ServeCommand) o).debugPort;
                case 127 -> ((ServeCommand) o).debugBind;
                case 128 -> ((ServeCommand) o).allowHosts;
                case 129 -> ((ServeCommand) o).debugTokenFile;
                case 130 -> ((ServeCommand) o).flightRecorder;
                case 131 -> ((ServeCommand) o).flightRecorderSize;
                case 132 -> ((LoadCommand) o).url;
                case 133 -> ((LoadCommand) o).concurrency;
                case 134 -> ((LoadCommand) o).duration;
                case 135 -> ((LoadCommand) o).rate;
                case 136 -> ((LoadCommand) o).requests;
                case 137 -> ((LoadCommand) o).warmup;
                case 138 -> ((LoadCommand) o).timeout;
                case 139 -> ((LoadCommand) o).timeline;
                case 140 -> ((LoadCommand) o).format;
                case 141 -> ((LoadCommand) o).profilePid;
                case 142 -> ((LoadCommand) o).output;
                case 143 -> ((FetchCommand) o).url;
                case 144 -> ((FetchCommand) o).output;
                case 145 -> ((FetchCommand) o).tokenFile;
                case 146 -> ((FetchCommand) o).timeout;
                case 147 -> ((FetchCommand) o).maxProfileBytes;
                case 148 -> ((CollectCommand) o).target;
                case 149 -> ((CollectCommand) o).interval;
                case 150 -> ((CollectCommand) o).window;
                case 151 -> ((CollectCommand) o).snapshot;
                case 152 -> ((CollectCommand) o).out;
                case 153 -> ((CollectCommand) o).keep;
                case 154 -> ((CollectCommand) o).maxBytes;
                case 155 -> ((CollectCommand) o).maxProfileBytes;
                case 156 -> ((CollectCommand) o).format;
                case 157 -> ((CollectCommand) o).noHeap;
                case 158 -> ((CollectCommand) o).allocs;
                case 159 -> ((CollectCommand) o).mutex;
                case 160 -> ((CollectCommand) o).block;
                case 161 -> ((CollectCommand) o).wall;
                case 162 -> ((CollectCommand) o).tokenFile;
                case 163 -> ((CollectCommand) o).cycles;
                case 164 -> ((CollectCommand) o).stopGrace;
                case 165 -> ((CollectCommand) o).pyroscope;
                case 166 -> ((CollectCommand) o).otlp;
                case 167 -> ((CollectCommand) o).app;
                case 168 -> ((CollectCommand) o).labels;
                case 169 -> ((CollectCommand) o).noDefaultLabels;
                case 170 -> ((CollectCommand) o).pyroscopeTokenFile;
                case 171 -> ((CollectCommand) o).pyroscopeBasicAuthFile;
                case 172 -> ((CollectCommand) o).tenant;
                case 173 -> ((CollectCommand) o).queueMax;
                case 174 -> ((CollectCommand) o).queueMaxBytes;
                case 175 -> ((CollectCommand) o).pushMaxAge;
                case 176 -> ((CollectCommand) o).logFormat;
                case 177 -> ((AgentCommand) o).pid;
                case 178 -> ((AgentCommand) o).port;
                case 179 -> ((AgentCommand) o).bind;
                case 180 -> ((AgentCommand) o).tokenFile;
                case 181 -> ((AgentCommand) o).flightRecorder;
                case 182 -> ((AgentCommand) o).heapDumps;
                case 183 -> ((AgentCommand) o).jar;
                case 184 -> ((AgentCommand) o).waitSeconds;
                case 185 -> ((GcLogCommand) o).file;
                case 186 -> ((GcLogCommand) o).format;
                case 187 -> ((GcLogCommand) o).rows;
                case 188 -> ((GcCommand) o).quick;
                case 189 -> ((GcCommand) o).collectors;
                case 190 -> ((GcCommand) o).heaps;
                case 191 -> ((GcCommand) o).fixedHeap;
                case 192 -> ((GcCommand) o).presets;
                case 193 -> ((GcCommand) o).configs;
                case 194 -> ((GcCommand) o).workloads;
                case 195 -> ((GcCommand) o).bytes;
                case 196 -> ((GcCommand) o).count;
                case 197 -> ((GcCommand) o).hold;
                case 198 -> ((GcCommand) o).rounds;
                case 199 -> ((GcCommand) o).runs;
                case 200 -> ((GcCommand) o).timeout;
                case 201 -> ((GcCommand) o).format;
                case 202 -> ((GcCommand) o).output;
                case 203 -> ((GcCommand) o).charts;
                case 204 -> ((GcCommand) o).labsJar;
                case 205 -> ((Main) o).debug;
                default -> throw new IllegalStateException("no field " + field);
            };
        }

        @Override
        public <T> T set(T value) {
            T old = get();
            switch (field) {
                case 0 -> ((CompareCommand) o).lab = (java.lang.String) value;
                case 1 -> ((CompareCommand) o).count = (java.lang.Integer) value;
                case 2 -> ((CompareCommand) o).iterations = (java.lang.Integer) value;
                case 3 -> ((CompareCommand) o).warmup = (java.lang.Integer) value;
                case 4 -> ((CompareCommand) o).time = (java.lang.String) value;
                case 5 -> ((CompareCommand) o).alpha = (java.lang.Double) value;
                case 6 -> ((CompareCommand) o).format = (dev.proflab.stats.StatFormat) value;
                case 7 -> ((CompareCommand) o).record = (java.lang.Boolean) value;
                case 8 -> ((CompareCommand) o).outDir = (java.nio.file.Path) value;
                case 9 -> ((CompareCommand) o).jar = (java.nio.file.Path) value;
                case 10 -> ((StatCommand) o).files = (java.util.List<java.nio.file.Path>) value;
                case 11 -> ((StatCommand) o).col = (java.lang.String) value;
                case 12 -> ((StatCommand) o).alpha = (java.lang.Double) value;
                case 13 -> ((StatCommand) o).confidence = (java.lang.Double) value;
                case 14 -> ((StatCommand) o).format = (dev.proflab.stats.StatFormat) value;
                case 15 -> ((StatCommand) o).maxRegression = (java.lang.String) value;
                case 16 -> ((StatCommand) o).budget = (java.nio.file.Path) value;
                case 17 -> ((BenchCommand) o).lab = (java.lang.String) value;
                case 18 -> ((BenchCommand) o).jmhArgs = (java.util.List<java.lang.String>) value;
                case 19 -> ((BenchCommand) o).time = (java.lang.String) value;
                case 20 -> ((BenchCommand) o).forks = (java.lang.Integer) value;
                case 21 -> ((BenchCommand) o).jar = (java.nio.file.Path) value;
                case 22 -> ((ProfileCommand) o).positional = (java.util.List<java.lang.String>) value;
                case 23 -> ((ProfileCommand) o).events = (java.util.List<java.lang.String>) value;
                case 24 -> ((ProfileCommand) o).duration = (java.lang.String) value;
                case 25 -> ((ProfileCommand) o).interval = (java.lang.String) value;
                case 26 -> ((ProfileCommand) o).alloc = (java.lang.String) value;
                case 27 -> ((ProfileCommand) o).lock = (java.lang.String) value;
                case 28 -> ((ProfileCommand) o).engine = (java.lang.String) value;
                case 29 -> ((ProfileCommand) o).jdkEvents = (java.lang.Boolean) value;
                case 30 -> ((ProfileCommand) o).timeline = (java.lang.Boolean) value;
                case 31 -> ((ProfileCommand) o).output = (java.nio.file.Path) value;
                case 32 -> ((ProfileCommand) o).pid = (java.lang.Long) value;
                case 33 -> ((ProfileCommand) o).bench = (java.lang.String) value;
                case 34 -> ((ProfileCommand) o).params = (java.util.List<java.lang.String>) value;
                case 35 -> ((ProfileCommand) o).warmup = (java.lang.Integer) value;
                case 36 -> ((ProfileCommand) o).iterations = (java.lang.Integer) value;
                case 37 -> ((ProfileCommand) o).time = (java.lang.String) value;
                case 38 -> ((ProfileCommand) o).jvmArgs = (java.lang.String) value;
                case 39 -> ((ProfileCommand) o).labsJar = (java.nio.file.Path) value;
                case 40 -> ((ProfileCommand) o).jar = (java.nio.file.Path) value;
                case 41 -> ((ProfileCommand) o).format = (java.lang.String) value;
                case 42 -> ((ThreadsCommand) o).pid = (java.lang.Long) value;
                case 43 -> ((ThreadsCommand) o).twice = (java.lang.String) value;
                case 44 -> ((ThreadsCommand) o).depth = (java.lang.Integer) value;
                case 45 -> ((ThreadsCommand) o).full = (java.lang.Boolean) value;
                case 46 -> ((ThreadsCommand) o).format = (java.lang.String) value;
                case 47 -> ((ConvertCommand) o).in = (java.nio.file.Path) value;
                case 48 -> ((ConvertCommand) o).out = (java.nio.file.Path) value;
                case 49 -> ((ConvertCommand) o).format = (java.lang.String) value;
                case 50 -> ((SelectionOptions) o).event = (java.lang.String) value;
                case 51 -> ((SelectionOptions) o).sampleIndex = (java.lang.String) value;
                case 52 -> ((SelectionOptions) o).focus = (java.lang.String) value;
                case 53 -> ((SelectionOptions) o).ignore = (java.lang.String) value;
                case 54 -> ((SelectionOptions) o).hide = (java.lang.String) value;
                case 55 -> ((SelectionOptions) o).thread = (java.lang.String) value;
                case 56 -> ((SelectionOptions) o).tagfocus = (java.util.List<java.lang.String>) value;
                case 57 -> ((SelectionOptions) o).tagignore = (java.util.List<java.lang.String>) value;
                case 58 -> ((SelectionOptions) o).tagroot = (java.util.List<java.lang.String>) value;
                case 59 -> ((SelectionOptions) o).tagleaf = (java.util.List<java.lang.String>) value;
                case 60 -> ((SelectionOptions) o).from = (java.lang.String) value;
                case 61 -> ((SelectionOptions) o).to = (java.lang.String) value;
                case 62 -> ((SelectionOptions) o).signatures = (java.lang.Boolean) value;
                case 63 -> ((SelectionOptions) o).lines = (java.lang.Boolean) value;
                case 64 -> ((SelectionOptions) o).base = (java.lang.String) value;
                case 65 -> ((SelectionOptions) o).normalize = (java.lang.String) value;
                case 66 -> ((SelectionOptions) o).ops = (java.lang.String) value;
                case 67 -> ((SelectionOptions) o).opsBase = (java.lang.String) value;
                case 68 -> ((SelectionOptions) o).classes = (java.lang.Boolean) value;
                case 69 -> ((ConvertCommand) o).inverted = (java.lang.Boolean) value;
                case 70 -> ((ConvertCommand) o).title = (java.lang.String) value;
                case 71 -> ((TopCommand) o).files = (java.util.List<java.nio.file.Path>) value;
                case 72 -> ((TopCommand) o).n = (java.lang.Integer) value;
                case 73 -> ((TopCommand) o).cum = (java.lang.Boolean) value;
                case 74 -> ((TopCommand) o).perOp = (java.lang.Boolean) value;
                case 75 -> ((ReportOptions) o).help = (java.lang.Boolean) value;
                case 76 -> ((ReportOptions) o).format = (dev.proflab.report.ReportFormat) value;
                case 77 -> ((DiffCommand) o).base = (java.lang.String) value;
                case 78 -> ((DiffCommand) o).file = (java.lang.String) value;
                case 79 -> ((DiffCommand) o).n = (java.lang.Integer) value;
                case 80 -> ((DiffCommand) o).maxGrowth = (java.util.List<java.lang.String>) value;
                case 81 -> ((DiffCommand) o).budget = (java.nio.file.Path) value;
                case 82 -> ((DiffCommand) o).gateOn = (java.lang.String) value;
                case 83 -> ((ListCommand) o).regex = (java.lang.String) value;
                case 84 -> ((ListCommand) o).files = (java.util.List<java.nio.file.Path>) value;
                case 85 -> ((ListCommand) o).sourcePath = (java.util.List<java.lang.String>) value;
                case 86 -> ((PeekCommand) o).regex = (java.lang.String) value;
                case 87 -> ((PeekCommand) o).files = (java.util.List<java.nio.file.Path>) value;
                case 88 -> ((PeekCommand) o).n = (java.lang.Integer) value;
                case 89 -> ((PeekCommand) o).cum = (java.lang.Boolean) value;
                case 90 -> ((TreeCommand) o).files = (java.util.List<java.nio.file.Path>) value;
                case 91 -> ((TreeCommand) o).n = (java.lang.Integer) value;
                case 92 -> ((TreeCommand) o).depth = (java.lang.Integer) value;
                case 93 -> ((TreeCommand) o).nodeFraction = (java.lang.Double) value;
                case 94 -> ((TreeCommand) o).inverted = (java.lang.Boolean) value;
                case 95 -> ((TracesCommand) o).files = (java.util.List<java.nio.file.Path>) value;
                case 96 -> ((TracesCommand) o).n = (java.lang.Integer) value;
                case 97 -> ((TagsCommand) o).files = (java.util.List<java.nio.file.Path>) value;
                case 98 -> ((TimelineCommand) o).file = (java.nio.file.Path) value;
                case 99 -> ((TimelineCommand) o).lanes = (java.lang.Integer) value;
                case 100 -> ((TimelineCommand) o).sort = (java.lang.String) value;
                case 101 -> ((TimelineCommand) o).thread = (java.lang.String) value;
                case 102 -> ((TimelineCommand) o).from = (java.lang.String) value;
                case 103 -> ((TimelineCommand) o).to = (java.lang.String) value;
                case 104 -> ((TimelineCommand) o).bands = (java.lang.Integer) value;
                case 105 -> ((TimelineCommand) o).format = (dev.proflab.report.ReportFormat) value;
                case 106 -> ((AnalyzeCommand) o).file = (java.nio.file.Path) value;
                case 107 -> ((AnalyzeCommand) o).format = (dev.proflab.cli.AnalyzeCommand.Format) value;
                case 108 -> ((AnalyzeCommand) o).all = (java.lang.Boolean) value;
                case 109 -> ((AnalyzeCommand) o).noJmc = (java.lang.Boolean) value;
                case 110 -> ((AnalyzeCommand) o).jmcMaxMb = (java.lang.Long) value;
                case 111 -> ((AnalyzeCommand) o).jmcTimeout = (java.lang.String) value;
                case 112 -> ((ViewCommand) o).files = (java.util.List<java.nio.file.Path>) value;
                case 113 -> ((ViewCommand) o).event = (java.lang.String) value;
                case 114 -> ((ViewCommand) o).base = (java.nio.file.Path) value;
                case 115 -> ((ViewCommand) o).sourcePath = (java.util.List<java.lang.String>) value;
                case 116 -> ((ViewCommand) o).port = (java.lang.Integer) value;
                case 117 -> ((ViewCommand) o).bind = (java.lang.String) value;
                case 118 -> ((ViewCommand) o).allowHosts = (java.util.List<java.lang.String>) value;
                case 119 -> ((ViewCommand) o).noBrowser = (java.lang.Boolean) value;
                case 120 -> ((ViewCommand) o).noJmc = (java.lang.Boolean) value;
                case 121 -> ((ViewCommand) o).untilKey = (java.lang.Boolean) value;
                case 122 -> ((ServeCommand) o).port = (java.lang.Integer) value;
                case 123 -> ((ServeCommand) o).bind = (java.lang.String) value;
                case 124 -> ((ServeCommand) o).maxConcurrent = (java.lang.Integer) value;
                case 125 -> ((ServeCommand) o).lockThreshold = (java.lang.String) value;
                case 126 -> ((ServeCommand) o).debugPort = (java.lang.Integer) value;
                case 127 -> ((ServeCommand) o).debugBind = (java.lang.String) value;
                case 128 -> ((ServeCommand) o).allowHosts = (java.util.List<java.lang.String>) value;
                case 129 -> ((ServeCommand) o).debugTokenFile = (java.nio.file.Path) value;
                case 130 -> ((ServeCommand) o).flightRecorder = (java.lang.String) value;
                case 131 -> ((ServeCommand) o).flightRecorderSize = (java.lang.String) value;
                case 132 -> ((LoadCommand) o).url = (java.lang.String) value;
                case 133 -> ((LoadCommand) o).concurrency = (java.lang.Integer) value;
                case 134 -> ((LoadCommand) o).duration = (java.lang.String) value;
                case 135 -> ((LoadCommand) o).rate = (java.lang.Double) value;
                case 136 -> ((LoadCommand) o).requests = (java.lang.Long) value;
                case 137 -> ((LoadCommand) o).warmup = (java.lang.String) value;
                case 138 -> ((LoadCommand) o).timeout = (java.lang.String) value;
                case 139 -> ((LoadCommand) o).timeline = (java.lang.Boolean) value;
                case 140 -> ((LoadCommand) o).format = (dev.proflab.cli.LoadCommand.Format) value;
                case 141 -> ((LoadCommand) o).profilePid = (java.lang.Long) value;
                case 142 -> ((LoadCommand) o).output = (java.nio.file.Path) value;
                case 143 -> ((FetchCommand) o).url = (java.lang.String) value;
                case 144 -> ((FetchCommand) o).output = (java.nio.file.Path) value;
                case 145 -> ((FetchCommand) o).tokenFile = (java.nio.file.Path) value;
                case 146 -> ((FetchCommand) o).timeout = (java.lang.String) value;
                case 147 -> ((FetchCommand) o).maxProfileBytes = (java.lang.String) value;
                case 148 -> ((CollectCommand) o).target = (java.lang.String) value;
                case 149 -> ((CollectCommand) o).interval = (java.lang.String) value;
                case 150 -> ((CollectCommand) o).window = (java.lang.String) value;
                case 151 -> ((CollectCommand) o).snapshot = (java.lang.String) value;
                case 152 -> ((CollectCommand) o).out = (java.nio.file.Path) value;
                case 153 -> ((CollectCommand) o).keep = (java.lang.Integer) value;
                case 154 -> ((CollectCommand) o).maxBytes = (java.lang.String) value;
                case 155 -> ((CollectCommand) o).maxProfileBytes = (java.lang.String) value;
                case 156 -> ((CollectCommand) o).format = (dev.proflab.cli.CollectCommand.Format) value;
                case 157 -> ((CollectCommand) o).noHeap = (java.lang.Boolean) value;
                case 158 -> ((CollectCommand) o).allocs = (java.lang.Boolean) value;
                case 159 -> ((CollectCommand) o).mutex = (java.lang.Boolean) value;
                case 160 -> ((CollectCommand) o).block = (java.lang.Boolean) value;
                case 161 -> ((CollectCommand) o).wall = (java.lang.Boolean) value;
                case 162 -> ((CollectCommand) o).tokenFile = (java.nio.file.Path) value;
                case 163 -> ((CollectCommand) o).cycles = (java.lang.Long) value;
                case 164 -> ((CollectCommand) o).stopGrace = (java.lang.String) value;
                case 165 -> ((CollectCommand) o).pyroscope = (java.lang.String) value;
                case 166 -> ((CollectCommand) o).otlp = (java.lang.String) value;
                case 167 -> ((CollectCommand) o).app = (java.lang.String) value;
                case 168 -> ((CollectCommand) o).labels = (java.util.List<java.lang.String>) value;
                case 169 -> ((CollectCommand) o).noDefaultLabels = (java.lang.Boolean) value;
                case 170 -> ((CollectCommand) o).pyroscopeTokenFile = (java.nio.file.Path) value;
                case 171 -> ((CollectCommand) o).pyroscopeBasicAuthFile = (java.nio.file.Path) value;
                case 172 -> ((CollectCommand) o).tenant = (java.lang.String) value;
                case 173 -> ((CollectCommand) o).queueMax = (java.lang.Integer) value;
                case 174 -> ((CollectCommand) o).queueMaxBytes = (java.lang.String) value;
                case 175 -> ((CollectCommand) o).pushMaxAge = (java.lang.String) value;
                case 176 -> ((CollectCommand) o).logFormat = (dev.proflab.cli.CollectCommand.LogFormat) value;
                case 177 -> ((AgentCommand) o).pid = (java.lang.Long) value;
                case 178 -> ((AgentCommand) o).port = (java.lang.Integer) value;
                case 179 -> ((AgentCommand) o).bind = (java.lang.String) value;
                case 180 -> ((AgentCommand) o).tokenFile = (java.nio.file.Path) value;
                case 181 -> ((AgentCommand) o).flightRecorder = (java.lang.String) value;
                case 182 -> ((AgentCommand) o).heapDumps = (java.nio.file.Path) value;
                case 183 -> ((AgentCommand) o).jar = (java.nio.file.Path) value;
                case 184 -> ((AgentCommand) o).waitSeconds = (java.lang.Integer) value;
                case 185 -> ((GcLogCommand) o).file = (java.nio.file.Path) value;
                case 186 -> ((GcLogCommand) o).format = (dev.proflab.cli.GcLogCommand.Format) value;
                case 187 -> ((GcLogCommand) o).rows = (java.lang.Integer) value;
                case 188 -> ((GcCommand) o).quick = (java.lang.Boolean) value;
                case 189 -> ((GcCommand) o).collectors = (java.util.List<java.lang.String>) value;
                case 190 -> ((GcCommand) o).heaps = (java.util.List<java.lang.String>) value;
                case 191 -> ((GcCommand) o).fixedHeap = (java.lang.Boolean) value;
                case 192 -> ((GcCommand) o).presets = (java.lang.Boolean) value;
                case 193 -> ((GcCommand) o).configs = (java.util.List<java.lang.String>) value;
                case 194 -> ((GcCommand) o).workloads = (java.util.List<java.lang.String>) value;
                case 195 -> ((GcCommand) o).bytes = (java.lang.Integer) value;
                case 196 -> ((GcCommand) o).count = (java.lang.Integer) value;
                case 197 -> ((GcCommand) o).hold = (java.lang.Boolean) value;
                case 198 -> ((GcCommand) o).rounds = (java.lang.Integer) value;
                case 199 -> ((GcCommand) o).runs = (java.lang.Integer) value;
                case 200 -> ((GcCommand) o).timeout = (java.lang.String) value;
                case 201 -> ((GcCommand) o).format = (dev.proflab.cli.GcCommand.Format) value;
                case 202 -> ((GcCommand) o).output = (java.nio.file.Path) value;
                case 203 -> ((GcCommand) o).charts = (java.nio.file.Path) value;
                case 204 -> ((GcCommand) o).labsJar = (java.nio.file.Path) value;
                case 205 -> ((Main) o).debug = (java.lang.Boolean) value;
                default -> throw new IllegalStateException("no field " + field);
            }
            return old;
        }
    }
}
