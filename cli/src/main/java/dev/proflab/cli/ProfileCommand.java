package dev.proflab.cli;

import dev.proflab.capture.Capture;
import dev.proflab.capture.CaptureException;
import dev.proflab.capture.CaptureSettings;
import dev.proflab.capture.Engine;
import dev.proflab.capture.Engines;
import dev.proflab.capture.Event;
import dev.proflab.capture.Jvms;
import dev.proflab.capture.Metadata;
import dev.proflab.jmh.InterleavedRun;
import dev.proflab.jmh.JmhLock;
import dev.proflab.text.Escape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code proflab profile}: records a lab workload, a JMH benchmark, a running JVM or any command into one
 * {@code .jfr} file with a {@code FILE.json} sidecar ({@link Metadata}).
 */
@Command(name = "profile", addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Record a profile of a lab, a benchmark, a running JVM or a command into one .jfr file.",
                "FILE.json beside it says what was recorded, how, how long and on which JDK.",
                "",
                "  profile fib-before [-e cpu] [-d 10s] [n=30]   a lab workload, in a new JVM",
                "  profile --bench Fib -p impl=recursive        a JMH benchmark (measurement)",
                "  profile --pid 4242 -d 30s                    a running JVM (Attach API)",
                "  profile [-d 30s] -- java -jar app.jar        any command, until it exits",
                "",
                "Engines: async-profiler (default), else JDK Flight Recorder; jfr-cpu-time is",
                "JFR's CPU-time sampler (JDK 25+). Ctrl-C stops early, keeps what was recorded.",
                ""},
        footer = {"", "Then: proflab top FILE (or jfr summary FILE, jfr view hot-methods FILE)."})
final class ProfileCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TARGET", arity = "0..*",
            description = "A lab workload (fib-before, fib-after, fib-best, cpu-hot, alloc-before, alloc-after, mem-hot, "
                    + "mutex-before, mutex-after, leak, ...) and its key=value parameters; or, after --, a command")
    List<String> positional = new ArrayList<>();

    @Option(names = {"-e", "--event"}, paramLabel = "EVENTS", split = ",", defaultValue = "cpu",
            description = "cpu, wall, alloc, lock, live, itimer; several with commas (default: ${DEFAULT-VALUE})")
    List<String> events;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION",
            description = "How long to record (default: 10s; a command: until it exits)")
    String duration;

    @Option(names = {"-i", "--interval"}, paramLabel = "TIME",
            description = "Sampling period of cpu, itimer, wall (default: 10ms; wall 50ms)")
    String interval;

    @Option(names = "--alloc", paramLabel = "SIZE", defaultValue = "512k",
            description = "alloc, live: one sample per SIZE allocated, async-profiler (default: ${DEFAULT-VALUE})")
    String alloc;

    @Option(names = "--lock", paramLabel = "TIME", defaultValue = "10us",
            description = "lock: record waits of at least TIME (default: ${DEFAULT-VALUE})")
    String lock;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "auto",
            description = "auto (async-profiler, else JFR), async, jfr, jfr-cpu-time (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--jdk-events",
            description = "async-profiler: also record the JDK's own events (GC, safepoints, ...) in the same file")
    boolean jdkEvents;

    @Option(names = "--timeline",
            description = "Also record what proflab view's timeline shows: thread start/end, parks, monitor waits, "
                    + "sleeps >= 1ms, GC pauses, safepoints (JDK Flight Recorder; --engine auto picks it)")
    boolean timeline;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "The recording (default: tmp/<target>-<events>.jfr in the project)")
    Path output;

    @Option(names = "--pid", paramLabel = "PID", description = "Record a running JVM")
    Long pid;

    @Option(names = "--bench", paramLabel = "PATTERN", description = "Record a JMH benchmark of bench/target/benchmarks.jar")
    String bench;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "--bench: a JMH parameter (one value each)")
    List<String> params = new ArrayList<>();

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2",
            description = "--bench: warm-up iterations, not recorded (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--iterations", paramLabel = "N",
            description = "--bench: measurement iterations, recorded (default: -d / --time, or 5)")
    Integer iterations;

    @Option(names = "--time", paramLabel = "DURATION", defaultValue = "1s",
            description = "--bench: time of each iteration (default: ${DEFAULT-VALUE})")
    String time;

    @Option(names = "--jvm-args", paramLabel = "ARGS",
            description = "JVM options for the lab's JVM, the benchmark's fork or a java command, e.g. --jvm-args=\"-XX:+UseZGC -Xmx256m\"")
    String jvmArgs;

    @Option(names = "--labs-jar", paramLabel = "FILE", description = "The labs jar (default: labs/target/proflab-labs-*.jar)")
    Path labsJar;

    @Option(names = "--jar", paramLabel = "FILE", description = "--bench: the benchmarks jar (default: bench/target/benchmarks.jar)")
    Path jar;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, or json: print only the metadata (the sidecar) on stdout (default: ${DEFAULT-VALUE})")
    String format;

    @Spec
    CommandSpec spec;

    static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
    /** The capture library's parameters by this command's flags, for its messages. */
    static final Map<String, String> FLAGS = Map.of("interval", "--interval", "allocBytes", "--alloc",
            "lockThreshold", "--lock", "timeline", "--timeline", "engine", "--engine", "event", "--event",
            "bench", "--bench", "params", "-p");
    /**
     * --bench: JMH's machine-wide lock ({@link JmhLock}) around the run, as compare and bench take it: a second run
     * waits for the first instead of failing, and never runs beside it.
     */
    static final Capture.RunLock JMH_LOCK = (waiting, cancelled) -> {
        JmhLock lock;
        try {
            lock = JmhLock.acquire(waiting, cancelled);
        } catch (InterleavedRun.CancelledException e) {
            return null;
        }
        return new Capture.RunLock.Held() {
            @Override
            public List<String> javaOptions() {
                return lock.held() ? List.of(JmhLock.IGNORE_LOCK) : List.of();
            }

            @Override
            public void close() {
                lock.close();
            }
        };
    };
    /** With live, a lab runs this much longer than the recording and is stopped at the duration. */
    static final Duration LIVE_HOLD = Duration.ofHours(1);

    @Override
    public Integer call() throws Exception {
        boolean json = switch (format.toLowerCase(Locale.ROOT)) {
            case "text" -> false;
            case "json" -> true;
            default -> throw new UsageException("--format: '" + format + "' is not text or json");
        };
        List<String> command = commandAfterDashes();
        List<String> labArgs = positional.subList(0, positional.size() - command.size());
        int targets = (labArgs.isEmpty() ? 0 : 1) + (command.isEmpty() ? 0 : 1) + (pid == null ? 0 : 1) + (bench == null ? 0 : 1);
        if (targets == 0) {
            throw new UsageException("nothing to profile: name a lab workload (e.g. fib-before), --pid, --bench, or a command after --");
        }
        if (targets > 1) {
            throw new UsageException("give one target: a lab workload, --pid, --bench or a command after --"
                    + (!labArgs.isEmpty() && (pid != null || bench != null) ? " (not also '" + String.join(" ", labArgs) + "')" : ""));
        }
        if (!params.isEmpty() && bench == null) {
            throw new UsageException("-p is for --bench; a lab takes key=value after its name (fib-before n=30)");
        }
        try {
            return profile(json, command, labArgs);
        } catch (CaptureException e) {
            throw new UsageException(e.phrase().in(FLAGS::get));
        }
    }

    private int profile(boolean json, List<String> command, List<String> labArgs) throws Exception {
        Set<Event> ev = Event.parseAll(events);
        CaptureSettings settings = new CaptureSettings(ev,
                interval == null ? null : CaptureSettings.parseTime(interval, "--interval"),
                CaptureSettings.parseBytes(alloc, "--alloc"), CaptureSettings.parseTime(lock, "--lock"), jdkEvents, timeline);
        Duration d = duration == null ? null : Durations.parse(duration, "--duration");
        List<String> jvm = jvmArgs == null || jvmArgs.isBlank() ? List.of() : List.of(jvmArgs.strip().split("\\s+"));

        if (pid != null) {
            Jvms.check(pid);
        }
        // the JDK of a lab or a benchmark is this one; a PID's is checked once attached; a command's is unknown
        int targetJdk = pid != null || !command.isEmpty() ? 0 : Runtime.version().feature();
        Engine asked = Engine.parse(engine);
        Engines.Choice choice = Engines.choose(timeline && asked == null ? Engine.JFR : asked, settings, targetJdk);

        Capture.Target target;
        String name;
        if (pid != null) {
            if (!jvm.isEmpty()) {
                throw new UsageException("--jvm-args cannot change a running JVM (--pid)");
            }
            d = d == null ? DEFAULT_DURATION : d;
            target = new Capture.Attach(pid);
            name = "pid-" + pid;
        } else if (bench != null) {
            Duration t = Durations.parse(time, "--time");
            if (warmup < 0) {
                throw new UsageException("--warmup must not be negative, not " + warmup);
            }
            int n = iterations != null ? iterations : d != null ? (int) Math.max(1, Math.ceil(d.toMillis() / (double) t.toMillis())) : 5;
            if (n < 1) {
                throw new UsageException("--iterations must be at least 1, not " + n);
            }
            d = t.multipliedBy(n);
            target = new Capture.Bench(Env.java(), Env.benchmarksJar(jar), bench, params, warmup, t, n, t, jvm, JMH_LOCK);
            name = "bench-" + bench + params.stream().map(p -> "-" + p.substring(p.indexOf('=') + 1)).reduce("", String::concat);
        } else if (!command.isEmpty()) {
            boolean java = isJava(command.get(0));
            if (!jvm.isEmpty() && !java) {
                throw new UsageException("--jvm-args needs a command that starts with java");
            }
            List<String> cmd = new ArrayList<>(command);
            if (java) {
                cmd.addAll(1, jvm);
            }
            name = commandName(command);
            target = new Capture.Launch("command", name, cmd, java ? 1 : -1, false, false);
        } else {
            String workload = labArgs.get(0);
            for (String a : labArgs.subList(1, labArgs.size())) {
                if (!a.contains("=")) {
                    throw new UsageException("'" + a + "': a lab workload takes key=value parameters (to profile a command, put it after --)");
                }
            }
            d = d == null ? DEFAULT_DURATION : d;
            // live objects are those alive when the recording ends: stop the workload while it still holds them,
            // instead of letting it finish (and release them) by itself
            boolean live = ev.contains(Event.LIVE);
            List<String> cmd = new ArrayList<>();
            cmd.add(Env.java().toString());
            cmd.addAll(jvm);
            cmd.addAll(List.of("-cp", Env.labsJar(labsJar).toString(), "dev.proflab.labs.Run", workload,
                    "--seconds", seconds(live ? d.plus(LIVE_HOLD) : d)));
            cmd.addAll(labArgs.subList(1, labArgs.size()));
            name = workload;
            target = new Capture.Launch("lab", workload, cmd, 1, !live, true);
        }

        Path out = (output != null ? output : Env.tmp().resolve(safe(name) + "-" + Event.join(ev) + ".jfr"))
                .toAbsolutePath().normalize();
        if (Files.isDirectory(out)) {
            throw new UsageException(display(out) + " is a folder; -o takes a file name");
        }
        if (!out.getFileName().toString().endsWith(".jfr")) {
            throw new UsageException(display(out) + ": the output must end in .jfr");
        }
        Capture capture = Capture.of(new Capture.Request(target, choice, settings, d, out, commandLine()));

        PrintWriter outW = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter info = json ? err : outW;
        if (choice.notice() != null) {
            err.println("proflab: " + choice.notice());
        }
        String engineName = choice.engine() == Engine.ASYNC_PROFILER ? "async-profiler " + choice.version()
                : choice.engine() == Engine.JFR_CPU_TIME ? "JFR CPU-time sampler" : "JDK Flight Recorder";
        info.printf("==> profile %s: %s%s with %s -> %s%n", describe(target), settings.describe(choice.engine()),
                d == null ? ", until it exits" : target instanceof Capture.Bench b
                        ? ", " + b.iterations() + " x " + Durations.parse(time, "--time").toMillis() + "ms measured after " + b.warmupIterations() + " warm-up"
                        : " for " + seconds(d) + " s",
                engineName, display(out));
        info.flush();

        Deque<String> lines = new ArrayDeque<>();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            capture.cancel();
            try {
                finished.await(90, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "proflab-profile-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Capture.Result result;
        try {
            Progress[] bar = new Progress[1];
            try {
                result = capture.run(new Capture.Listener() {
                    @Override
                    public void started(long p) {
                        synchronized (bar) {
                            bar[0] = target instanceof Capture.Bench b
                                    ? Progress.ofSteps(name, b.warmupIterations() + b.iterations(), " it")
                                    : Progress.ofTime(name, capture.request().duration());
                            bar[0].start();
                        }
                    }

                    @Override
                    public void output(String line) {
                        synchronized (lines) {
                            lines.addLast(line);
                            if (lines.size() > 400) {
                                lines.removeFirst();
                            }
                        }
                    }

                    @Override
                    public void iteration(int done, int total) {
                        synchronized (bar) {
                            if (bar[0] != null) {
                                bar[0].step(done);
                                bar[0].message(done <= warmup ? "warm-up" : "measurement (recorded)");
                            }
                        }
                    }

                    @Override
                    public void stopping() {
                        synchronized (bar) {
                            if (bar[0] != null) {
                                bar[0].done();
                            }
                        }
                    }
                });
            } finally {
                synchronized (bar) {
                    if (bar[0] != null) {
                        bar[0].close();
                    }
                }
            }
            report(result, target, new ArrayList<>(lines), json, outW, err, info);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running
            }
        }
        return 0;
    }

    private void report(Capture.Result r, Capture.Target target, List<String> lines, boolean json, PrintWriter out,
                        PrintWriter err, PrintWriter info) {
        Metadata m = r.metadata();
        if (target instanceof Capture.Launch l && l.captureOutput()) {
            lines.forEach(line -> info.println("    " + line));
        } else if (target instanceof Capture.Bench) {
            boolean table = false;
            for (String line : lines) {
                table |= line.startsWith("Benchmark ");
                if (table && !line.isBlank()) {
                    info.println("    " + line);
                }
            }
        }
        List<String> counts = new ArrayList<>();
        m.eventTypes().forEach((event, types) -> {
            long n = types.stream().mapToLong(t -> m.eventCounts().getOrDefault(t, 0L)).sum();
            counts.add(String.format(Locale.ROOT, "%,d %s", n, event));
        });
        long size;
        try {
            size = Files.size(r.file());
        } catch (IOException e) {
            size = -1;
        }
        info.printf("    %s%s %s (%s, %.1f s, %s%s): %s events%n", m.interrupted() ? "interrupted: kept what was recorded; " : "",
                "wrote", display(r.file()), humanBytes(size), m.seconds(), m.engine(), m.target().pid() == null ? "" : ", PID " + m.target().pid(),
                String.join(", ", counts));
        info.printf("    metadata: %s%n", display(r.sidecar()));
        if (target instanceof Capture.Launch l && l.kind().equals("lab") && !m.interrupted()) {
            labOperations(lines, l.name(), r.file());
        }
        dev.proflab.profile.Operations ops = dev.proflab.profile.Operations.read(r.file());
        if (ops != null) {
            info.printf("    operations: %s in %s (top --per-op, diff --normalize ops)%n", ops.describe(),
                    display(dev.proflab.profile.Operations.sidecarOf(r.file())));
        }
        r.warnings().forEach(w -> err.println("warning: " + Escape.terminal(w.in(FLAGS::get)))); // can quote the target's output
        if (json) {
            out.print(m.toJson());
        } else {
            // a timeline is read on a time axis (terminal or page); any other recording starts with its top functions
            info.printf(timeline ? "    next: proflab timeline %1$s, or proflab view %1$s (the timeline above the flame graph)%n"
                    : "    next: proflab top %s%n", display(r.file()));
        }
        out.flush();
        err.flush();
    }

    /** A lab workload's closing line: {@code fib-before n=35: 355 calls, result 9227465 in 10.0 s, 28.17 ms per call}. */
    private static final java.util.regex.Pattern LAB_SUMMARY = java.util.regex.Pattern.compile(
            "^(\\S+) [^:]*: (\\d+) (calls|rounds|reports)\\b.* in [0-9.]+ s, .+ per call$");

    /**
     * The operations of a lab workload that ran to its end under the recording: the calls (rounds, reports) its
     * closing line counts. The recording covers the JVM from its start (the profiler is an agent of it) to its exit,
     * so every counted call is in it, the JIT's warm-up included.
     */
    static dev.proflab.profile.Operations labOperations(List<String> lines, String workload) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            java.util.regex.Matcher x = LAB_SUMMARY.matcher(lines.get(i).strip());
            if (x.matches() && x.group(1).equals(workload)) {
                long n = Long.parseLong(x.group(2));
                if (n < 1) {
                    return null;
                }
                return new dev.proflab.profile.Operations(n, "op", "lab", x.group(3) + " of " + workload
                        + "'s loop over its whole run (the JIT's warm-up included): the recording covers its JVM from"
                        + " start to exit");
            }
        }
        return null;
    }

    private static void labOperations(List<String> lines, String workload, Path recording) {
        dev.proflab.profile.Operations ops = labOperations(lines, workload);
        if (ops != null) {
            try {
                ops.write(recording);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** The words after {@code --} on the original command line (picocli puts them among the positional ones). */
    private List<String> commandAfterDashes() {
        List<String> raw = spec.commandLine().getParseResult() == null ? List.of()
                : spec.commandLine().getParseResult().originalArgs();
        int i = raw.indexOf("--");
        if (i < 0) {
            return List.of();
        }
        List<String> after = raw.subList(i + 1, raw.size());
        if (after.isEmpty()) {
            throw new UsageException("no command after --");
        }
        if (after.size() > positional.size() || !positional.subList(positional.size() - after.size(), positional.size()).equals(after)) {
            throw new UsageException("cannot tell the command after -- from proflab's own arguments");
        }
        return List.copyOf(after);
    }

    static boolean isJava(String program) {
        String n = Path.of(program).getFileName().toString();
        return n.equals("java") || n.equals("java.exe");
    }

    /** A name for a command: the jar or main class of a java command, else the program. */
    static String commandName(List<String> command) {
        if (!isJava(command.get(0))) {
            return Path.of(command.get(0)).getFileName().toString();
        }
        Set<String> withValue = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path", "--add-modules",
                "--add-opens", "--add-exports", "--add-reads", "--enable-native-access", "--upgrade-module-path",
                "--limit-modules", "--patch-module");
        for (int i = 1; i < command.size(); i++) {
            String a = command.get(i);
            if (a.equals("-jar") && i + 1 < command.size()) {
                String j = Path.of(command.get(i + 1)).getFileName().toString();
                return j.endsWith(".jar") ? j.substring(0, j.length() - 4) : j;
            } else if ((a.equals("-m") || a.equals("--module")) && i + 1 < command.size()) {
                String m = command.get(i + 1);
                return simple(m.contains("/") ? m.substring(m.indexOf('/') + 1) : m);
            } else if (withValue.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return simple(a);
            }
        }
        return "java";
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._=+-]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "profile" : s;
    }

    private static String describe(Capture.Target t) {
        return switch (t) {
            case Capture.Attach a -> "PID " + a.pid();
            case Capture.Bench b -> b.pattern() + (b.params().isEmpty() ? "" : " " + String.join(" ", b.params()));
            case Capture.Launch l -> l.name();
        };
    }

    static String seconds(Duration d) {
        double s = d.toMillis() / 1000.0;
        return s == Math.rint(s) ? Long.toString((long) s) : String.format(Locale.ROOT, "%.3f", s).replaceAll("0+$", "");
    }

    static String humanBytes(long b) {
        if (b < 0) {
            return "?";
        } else if (b < 1024) {
            return b + " B";
        } else if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.0f KB", b / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", b / (1024.0 * 1024));
    }

    private String commandLine() {
        List<String> raw = spec.commandLine().getParseResult() == null ? List.of()
                : spec.commandLine().getParseResult().originalArgs();
        int self = raw.indexOf(spec.name());
        List<String> quoted = new ArrayList<>(List.of("proflab", "profile"));
        for (String a : raw.subList(self + 1, raw.size())) {
            quoted.add(a.isEmpty() || a.matches(".*[\\s'\"$`\\\\|&;<>()*?].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
        }
        return String.join(" ", quoted);
    }

    static String display(Path p) {
        return CompareCommand.display(p);
    }
}
