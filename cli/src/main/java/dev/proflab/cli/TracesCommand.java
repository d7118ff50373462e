package dev.proflab.cli;

import dev.proflab.profile.Profile;
import dev.proflab.report.JsonReport;
import dev.proflab.report.ReportFormat;
import dev.proflab.report.TextReport;
import dev.proflab.report.Traces;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code proflab traces FILE}: the distinct stacks, heaviest first. */
@Command(name = "traces", addMethodSubcommands = false,
        description = {"The distinct stacks with their samples, heaviest first, like pprof's traces.",
                "The running frame (the leaf) is at the top of each stack."},
        footer = {"", "Examples:",
                "  proflab traces -n 5 cpu.jfr",
                "  proflab traces --event lock --format json app.jfr"})
final class TracesCommand implements Callable<Integer> {

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "FILE",
            description = "Recordings: .jfr (async-profiler or JFR) or pprof; several (a.jfr b.jfr, a,b,c or a folder) are merged")
    java.util.List<Path> files;

    @Option(names = "-n", paramLabel = "N", defaultValue = "0",
            description = "Stacks to show (the heaviest), 0 for all (default: ${DEFAULT-VALUE})")
    int n;

    @Mixin
    ReportOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Profile p = options.load(files);
        Traces.Result r = Traces.compute(options.index(p), n);
        PrintWriter out = spec.commandLine().getOut();
        if (options.format == ReportFormat.JSON) {
            out.print(JsonReport.traces(r));
        } else {
            try {
                TextReport.traces(r, out); // trace by trace: every stack of a big profile is a long text
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e); // a PrintWriter does not throw
            }
        }
        out.flush();
        return 0;
    }
}
