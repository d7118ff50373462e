package dev.proflab.cli;

import dev.proflab.profile.Profile;
import dev.proflab.report.JsonReport;
import dev.proflab.report.Peek;
import dev.proflab.report.ReportFormat;
import dev.proflab.report.TextReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code proflab peek REGEX FILE}: pprof's peek, callers and callees. */
@Command(name = "peek", addMethodSubcommands = false,
        description = {"Callers and callees of the functions matching REGEX, like pprof's peek.",
                "Callers above, callees below, with the samples along each call and",
                "their share of the function's cum."},
        footer = {"", "Examples:",
                "  proflab peek 'HashMap.resize' cpu.jfr",
                "  proflab peek --event lock 'Counter' app.jfr"})
final class PeekCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "REGEX", description = "Functions to show (package.Class.method)")
    String regex;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE",
            description = "Recordings: .jfr (async-profiler or JFR) or pprof; several (a.jfr b.jfr, a,b,c or a folder) are merged")
    java.util.List<Path> files;

    @Option(names = "-n", paramLabel = "N", defaultValue = "0",
            description = "Functions to show (the heaviest), 0 for all (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--cum", description = "Order the functions by cum instead of flat")
    boolean cum;

    @Mixin
    ReportOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Profile p = options.load(files);
        Peek.Result r = Peek.compute(options.index(p), regex, n, cum);
        PrintWriter out = spec.commandLine().getOut();
        out.print(options.format == ReportFormat.JSON ? JsonReport.peek(r) : TextReport.peek(r));
        out.flush();
        return 0;
    }
}
