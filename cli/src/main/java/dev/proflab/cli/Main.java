package dev.proflab.cli;

import dev.proflab.text.Escape;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/** The {@code proflab} command: subcommands wire the libraries (profile, stats, capture, gc) to the terminal. */
@Command(name = "proflab", addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Profile JVM programs and compare benchmarks: the java-prof-labs toolkit.")
public final class Main implements Runnable {

    /** Exit code of a check that ran and failed (for example a regression gate). */
    public static final int EXIT_CHECK_FAILED = 1;
    /** Exit code of bad input or usage. */
    public static final int EXIT_USAGE = 2;

    /**
     * The subcommands, in the order {@code --help} lists them, by name. Only the one a command line names is built:
     * picocli reads a command's annotations, options and mixins by reflection when it is added, which for all of
     * them was the larger part of a short command's start-up. Their models are built from {@link CommandSpecs}, the
     * same models written as code from the annotations at build time ({@code make specs}), so that a command
     * reads no annotation when it runs. Each says {@code addMethodSubcommands = false}: none has methods that are
     * commands, and picocli would otherwise read the annotations of all their methods.
     */
    static final java.util.List<Map.Entry<String, Class<?>>> COMMANDS = java.util.List.of(
            Map.entry("compare", CompareCommand.class),
            Map.entry("stat", StatCommand.class),
            Map.entry("bench", BenchCommand.class),
            Map.entry("profile", ProfileCommand.class),
            Map.entry("threads", ThreadsCommand.class),
            Map.entry("convert", ConvertCommand.class),
            Map.entry("top", TopCommand.class),
            Map.entry("diff", DiffCommand.class),
            Map.entry("list", ListCommand.class),
            Map.entry("peek", PeekCommand.class),
            Map.entry("tree", TreeCommand.class),
            Map.entry("traces", TracesCommand.class),
            Map.entry("tags", TagsCommand.class),
            Map.entry("timeline", TimelineCommand.class),
            Map.entry("analyze", AnalyzeCommand.class),
            Map.entry("view", ViewCommand.class),
            Map.entry("serve", ServeCommand.class),
            Map.entry("load", LoadCommand.class),
            Map.entry("fetch", FetchCommand.class),
            Map.entry("collect", CollectCommand.class),
            Map.entry("agent", AgentCommand.class),
            Map.entry("gclog", GcLogCommand.class),
            Map.entry("gc", GcCommand.class),
            Map.entry("help", CommandLine.HelpCommand.class),
            Map.entry("completion", CompletionCommand.class));

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Show stack traces of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        if (code == 0 && onlyDaemonsLeft()) {
            // The JVM ends with status 0 when this thread does, running the shutdown hooks as System.exit would.
            // System.exit also asks System.Logger whether to log the exit, and the logger's first use searches the
            // class path (every entry of the 16 MB jar) for a logging back end: 15% of a short command's time.
            return;
        }
        System.exit(code);
    }

    /** Whether every thread but this one is a daemon, so that the JVM ends when this one does. */
    static boolean onlyDaemonsLeft() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        if (n == threads.length) {
            return false; // more than were counted: do not guess
        }
        for (int i = 0; i < n; i++) {
            Thread t = threads[i];
            if (t != Thread.currentThread() && !t.isDaemon() && t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** Runs the CLI with the given streams and returns the exit code (used by tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // the same lines picocli prints, without building its model of the command (its reflection over
            // Main's annotations was most of what --version cost once the JVM was up)
            for (String line : new VersionProvider().getVersion()) {
                out.println(line);
            }
            out.flush();
            return 0;
        }
        CommandLine cl = commandLine(out, err, args);
        try {
            return cl.execute(args);
        } catch (Throwable t) { // an Error picocli lets through (StackOverflowError, OutOfMemoryError, ...)
            return report(t, err, java.util.Arrays.asList(args).contains("--debug"));
        }
    }

    /**
     * picocli's system property naming the types whose built-in converters it does not register. It registers
     * those of java.sql, java.time and {@link Path} (all of its java.* types found by reflection) with
     * {@code Class.forName} and {@code getDeclaredMethod} each time a command is built, which was 7% of a short
     * command's time; no option of proflab has a java.sql or java.time type, and Path gets a converter of its own.
     */
    static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";
    /**
     * picocli's system property that keeps it from looking for Groovy ({@code Class.forName("groovy.lang.Closure")}),
     * a search of the whole class path that fails, and opened the jar on every start only for that.
     */
    static final String NO_CLOSURES = "picocli.disable.closures";

    /** The whole command, every subcommand built. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, null);
    }

    /**
     * The command as {@code args} need it: with only the subcommand they name, none for {@code --version}, and all
     * of them otherwise ({@code --help}, {@code help}, {@code completion}, no command, a name that is not one: the
     * answer lists them).
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
        if (System.getProperty(CONVERTER_EXCLUDES) == null) {
            System.setProperty(CONVERTER_EXCLUDES, "java\\..*"); // one short pattern: picocli compiles it per type
        }
        if (System.getProperty(NO_CLOSURES) == null) {
            System.setProperty(NO_CLOSURES, "true");
        }
        Main main = new Main();
        CommandLine cl = new CommandLine(CommandSpecs.main(main));
        for (Map.Entry<String, Class<?>> c : needed(args)) {
            CommandSpec sub = CommandSpecs.of(c.getKey());
            if (sub != null) {
                cl.addSubcommand(c.getKey(), new CommandLine(sub));
            } else {
                cl.addSubcommand(c.getKey(), c.getValue()); // picocli's own (help), from its annotations
            }
        }
        cl.registerConverter(Path.class, s -> Path.of(s)); // as picocli's own, without its lookup by reflection
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExitCodeExceptionMapper(t -> EXIT_USAGE);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("proflab: " + oneLine(ex.getMessage()));
            c.getErr().println("  try '" + c.getCommandSpec().qualifiedName() + " --help'");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            boolean debug = main.debug || parseResult.hasMatchedOption("--debug");
            return report(ex, c.getErr(), debug);
        });
        return cl;
    }

    static java.util.List<Map.Entry<String, Class<?>>> needed(String[] args) {
        if (args == null) {
            return COMMANDS;
        }
        boolean version = false;
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help")) {
                return COMMANDS;
            }
            if (a.equals("-V") || a.equals("--version")) {
                version = true;
            } else if (!a.startsWith("-")) {
                for (Map.Entry<String, Class<?>> c : COMMANDS) {
                    if (c.getKey().equals(a) && !a.equals("help") && !a.equals("completion")) {
                        return java.util.List.of(c);
                    }
                }
                return COMMANDS;
            }
        }
        return version ? java.util.List.of() : COMMANDS;
    }

    /**
     * Says what went wrong in one line and gives the exit code: a failed check 1, the user's mistake or the
     * machine's (a bad file, a bad option, a full disk, a service that does not answer) 2, anything else is a
     * bug in proflab: 1 with "internal error", and the stack trace under {@code --debug}.
     */
    static int report(Throwable ex, PrintWriter err, boolean debug) {
        if (debug) {
            ex.printStackTrace(err);
        }
        if (ex instanceof CheckFailedException) {
            err.println("proflab: " + oneLine(describe(ex)));
            return EXIT_CHECK_FAILED;
        }
        if (isUsersProblem(ex)) {
            err.println("proflab: " + oneLine(describe(ex)));
            return EXIT_USAGE;
        }
        String what = ex instanceof OutOfMemoryError
                ? "out of memory (" + describe(ex) + "): give the JVM more with PROFLAB_JAVA_OPTS=-Xmx..."
                : ex.getClass().getName() + (ex.getMessage() == null ? "" : ": " + describe(ex));
        err.println("proflab: internal error: " + oneLine(what)
                + (debug ? "" : " (run with --debug for the stack trace)"));
        err.flush();
        return EXIT_INTERNAL;
    }

    /** Exit code of a bug in proflab (an exception it did not expect). */
    public static final int EXIT_INTERNAL = 1;

    /**
     * The errors that describe the input, the options or the environment (each module's own exception
     * types, whose messages are written for the user), as opposed to an exception proflab did not expect.
     */
    private static final java.util.List<Class<?>> USER_ERRORS = java.util.List.of(
            UsageException.class,
            dev.proflab.profile.ProfileException.class,
            dev.proflab.report.ReportException.class,
            dev.proflab.export.ExportException.class,
            dev.proflab.stats.StatException.class,
            dev.proflab.capture.CaptureException.class,
            dev.proflab.gc.GcCompareException.class,
            dev.proflab.gc.GcLogException.class,
            dev.proflab.gc.GcRunner.CancelledException.class,
            dev.proflab.jmh.InterleavedRun.JmhException.class,
            dev.proflab.jmh.InterleavedRun.CancelledException.class,
            dev.proflab.server.fetch.FetchException.class,
            dev.proflab.server.demo.DemoServiceException.class,
            dev.proflab.viewer.ViewerException.class,
            dev.proflab.analysis.AnalysisException.class,
            // the file system's refusals (permission, no space, not a folder) name their file
            java.nio.file.FileSystemException.class);

    static boolean isUsersProblem(Throwable ex) {
        for (Class<?> c : USER_ERRORS) {
            if (c.isInstance(ex)) {
                return true;
            }
        }
        return ex instanceof java.io.UncheckedIOException u && u.getCause() instanceof java.nio.file.FileSystemException;
    }

    /**
     * The profile library's reading parameters ({@link dev.proflab.profile.ReadOptions}) that its messages name, by
     * the flags that set them ({@link SelectionOptions}).
     */
    static final java.util.Map<String, String> READ_FLAGS = java.util.Map.of("fromNanos", "--from", "toNanos", "--to");

    /** The report library's selection parameters ({@link dev.proflab.report.Selection}) by the flags that set them. */
    static final java.util.Map<String, String> REPORT_FLAGS = java.util.Map.of("fromNanos", "--from", "toNanos", "--to",
            "sampleIndex", "--sample-index", "normalize", "--normalize");

    private static String describe(Throwable ex) {
        String m = ex instanceof dev.proflab.profile.ProfileException p ? p.phrase().in(READ_FLAGS::get)
                : ex instanceof dev.proflab.report.ReportException r ? r.phrase().in(REPORT_FLAGS::get)
                : ex.getMessage();
        if (m == null || m.isBlank()) {
            m = ex.getClass().getSimpleName();
        }
        return m;
    }

    /**
     * A message on one line, as it may be printed: line breaks become {@code "; "}, and any other
     * control character (an error message can quote a name or a line from the file read) is
     * written out ({@link Escape#terminal}).
     */
    static String oneLine(String s) {
        return s == null ? "" : Escape.terminal(s.strip().replaceAll("\\s*\\R\\s*", "; "));
    }
}
