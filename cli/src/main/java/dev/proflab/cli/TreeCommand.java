package dev.proflab.cli;

import dev.proflab.profile.Profile;
import dev.proflab.report.JsonReport;
import dev.proflab.report.ReportFormat;
import dev.proflab.report.TextReport;
import dev.proflab.report.Tree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code proflab tree FILE}: the call tree, top down. */
@Command(name = "tree", addMethodSubcommands = false,
        description = {"The call tree, top down from the threads' entry points.",
                "cum: samples under a call path; self: samples ending there. Nodes below",
                "--node-fraction of the total are left out."},
        footer = {"", "Examples:",
                "  proflab tree cpu.jfr",
                "  proflab tree --depth 6 -n 3 --hide '^java\\.' cpu.jfr",
                "  proflab tree --inverted --depth 3 cpu.jfr   # bottom-up: running frames first"})
final class TreeCommand implements Callable<Integer> {

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "FILE",
            description = "Recordings: .jfr (async-profiler or JFR) or pprof; several (a.jfr b.jfr, a,b,c or a folder) are merged")
    java.util.List<Path> files;

    @Option(names = "-n", paramLabel = "N", defaultValue = "0",
            description = "Children to show per node (the heaviest), 0 for all (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--depth", paramLabel = "D", defaultValue = "0",
            description = "Levels to show, 0 for all (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--node-fraction", paramLabel = "F", defaultValue = "0.005",
            description = "Leave out nodes below this fraction of the total (default: ${DEFAULT-VALUE})")
    double nodeFraction;

    @Option(names = "--inverted",
            description = "Bottom-up: each path starts at the frame that was running, its callers below it")
    boolean inverted;

    @Mixin
    ReportOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!(nodeFraction >= 0 && nodeFraction < 1)) {
            throw new UsageException("--node-fraction must be at least 0 and below 1, not " + nodeFraction);
        }
        Profile p = options.load(files);
        if (inverted) {
            if (options.select.base != null) {
                throw new UsageException("--inverted and --base: compare the two top down, or invert each alone");
            }
            p = dev.proflab.report.Inverted.of(p);
        }
        Tree.Result r = Tree.compute(options.index(p), new Tree.Options(depth, n, nodeFraction));
        PrintWriter out = spec.commandLine().getOut();
        out.print(options.format == ReportFormat.JSON ? JsonReport.tree(r) : TextReport.tree(r));
        out.flush();
        return 0;
    }
}
