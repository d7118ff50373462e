package dev.proflab.cli;

import dev.proflab.profile.Profile;
import dev.proflab.report.Diff;
import dev.proflab.report.JsonReport;
import dev.proflab.report.PerOp;
import dev.proflab.report.ReportFormat;
import dev.proflab.report.TextReport;
import dev.proflab.report.Top;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code proflab top FILE}: pprof's top for JFR recordings (either engine) and pprof files. */
@Command(name = "top", addMethodSubcommands = false,
        description = {"The functions with the most samples, like pprof's top.",
                "flat: the function itself was running; cum: it was on the stack (once per",
                "stack, however deep it recurses). Percentages are of the total before",
                "--focus/--ignore/--hide/--thread, as pprof's."},
        footer = {"", "Examples:",
                "  proflab top cpu.jfr",
                "  proflab top --cum -n 20 cpu.jfr",
                "  proflab top --event alloc --sample-index objects app.jfr",
                "  proflab top --focus 'Fib\\.' --hide '^java\\.' --format json cpu.jfr",
                "  proflab top --base before.jfr after.jfr       # what changed (= proflab diff)",
                "  proflab top --per-op bench.jfr                # time per JMH operation",
                "  proflab top --per-op --ops 12000 cpu.jfr      # per request, 12000 sent",
                "",
                "--per-op divides by the operations the recording covers: FILE.ops.json",
                "beside it (profile --bench writes one), or --ops N."})
final class TopCommand implements Callable<Integer> {

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "FILE",
            description = "Recordings: .jfr (async-profiler or JFR) or pprof; several (a.jfr b.jfr, a,b,c or a folder) are merged")
    java.util.List<Path> files;

    @Option(names = "-n", paramLabel = "N", defaultValue = "10",
            description = "Rows to show, 0 for all (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--cum", description = "Sort by cum instead of flat")
    boolean cum;

    @Option(names = "--per-op", description = "Values per operation: time, bytes or objects per op"
            + " (FILE.ops.json or --ops N); with --base, the same as --normalize ops")
    boolean perOp;

    @Mixin
    ReportOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        options.select.checkOps();
        if (perOp && options.select.base != null) {
            Diff.Normalize asked = options.select.normalization();
            if (asked != Diff.Normalize.TOTAL && asked != Diff.Normalize.OPS) {
                throw new UsageException("--per-op: with --base it compares per operation; leave out --normalize "
                        + asked.label());
            }
            options.select.normalize = "ops";
        }
        if (options.select.base != null) {
            // a comparison is the diff report, with the test of each change
            return DiffCommand.print(options, options.select.base, ReportOptions.joined(files), n, out);
        }
        Profile p = options.load(files);
        Top.Result r = Top.compute(p, options.selection(), n, cum);
        if (perOp) {
            PerOp.Result po = PerOp.of(r, options.select.operations("FILE", SelectionOptions.loadedOf(options.select)));
            out.print(options.format == ReportFormat.JSON ? JsonReport.topPerOp(po) : TextReport.topPerOp(po));
            out.flush();
            return 0;
        }
        out.print(options.format == ReportFormat.JSON ? JsonReport.top(r) : TextReport.top(r));
        out.flush();
        return 0;
    }
}
