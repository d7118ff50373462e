package dev.proflab.cli;

import dev.proflab.text.Escape;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** The {@code proflab} command: subcommands wire the engine in {@code core} to the terminal. */
@Command(name = "proflab",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Profile JVM programs and compare benchmarks: the java-prof-labs toolkit.",
        subcommands = {
                CompareCommand.class,
                StatCommand.class,
                BenchCommand.class,
                ProfileCommand.class,
                ThreadsCommand.class,
                ConvertCommand.class,
                TopCommand.class,
                ListCommand.class,
                PeekCommand.class,
                TreeCommand.class,
                TracesCommand.class,
                TimelineCommand.class,
                ViewCommand.class,
                ServeCommand.class,
                LoadCommand.class,
                FetchCommand.class,
                CollectCommand.class,
                GcLogCommand.class,
                GcCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    /** Exit code of a check that ran and failed (for example a regression gate). */
    public static final int EXIT_CHECK_FAILED = 1;
    /** Exit code of bad input or usage. */
    public static final int EXIT_USAGE = 2;

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
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code (used by tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine(out, err);
        return cl.execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
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
            if (main.debug || parseResult.hasMatchedOption("--debug")) {
                ex.printStackTrace(c.getErr());
            }
            c.getErr().println("proflab: " + oneLine(describe(ex)));
            return ex instanceof CheckFailedException ? EXIT_CHECK_FAILED : EXIT_USAGE;
        });
        return cl;
    }

    private static String describe(Throwable ex) {
        String m = ex.getMessage();
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
