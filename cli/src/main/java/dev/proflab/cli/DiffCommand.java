package dev.proflab.cli;

import dev.proflab.profile.Profile;
import dev.proflab.report.Diff;
import dev.proflab.report.JsonReport;
import dev.proflab.report.ReportFormat;
import dev.proflab.report.TextReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code proflab diff BASE NEW}: what changed between two profiles, and whether it is more than noise. */
@Command(name = "diff",
        description = {"What changed between two profiles of the same program, and whether it is noise.",
                "Function by function, like pprof's -diff_base top: each side's flat and cum",
                "as a share of its own total (--normalize duration: per second), the change",
                "(new - base), and a q-value from a test against the differences between",
                "runs; * marks a change beyond them at a 5%% false discovery rate. A claim",
                "needs 3 recordings a side (BASE and NEW take a,b,c or a folder); with fewer",
                "the report says so. The filters apply to both sides; tree, peek, traces,",
                "list, top and convert take --base too."},
        footer = {"", "Examples:",
                "  proflab diff before.jfr after.jfr",
                "  proflab diff --hide '^java\\.' -n 20 before.jfr after.jfr",
                "  proflab diff --normalize duration --format json before.jfr after.jfr",
                "  proflab diff before1.jfr,before2.jfr,before3.jfr after/   # 3+ runs a side: a claim",
                "  proflab tree --base before.jfr after.jfr      # the change along the call tree"})
final class DiffCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BASE",
            description = "The profile to compare with (before); several recordings as a,b,c or a folder")
    String base;

    @Parameters(index = "1", paramLabel = "NEW", description = "The profile to compare (after); the same")
    String file;

    @Option(names = "-n", paramLabel = "N", defaultValue = "20",
            description = "Functions to show (the largest changes of flat first), 0 for all (default: ${DEFAULT-VALUE})")
    int n;

    @Mixin
    ReportOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (options.select.base != null) {
            throw new UsageException("--base: BASE is the first argument of diff");
        }
        return print(options, base, file, n, spec.commandLine().getOut());
    }

    /** Prints the comparison of {@code file} with {@code base} under {@code options}. */
    static int print(ReportOptions options, String base, String file, int n, PrintWriter out) {
        List<Profile> b = options.select.loadAll(SelectionOptions.files("BASE", base));
        List<Profile> p = options.select.loadAll(SelectionOptions.files("NEW", file));
        Diff.Result r = Diff.compute(b, p, options.selection(), options.select.normalization(), 0);
        out.print(options.format == ReportFormat.JSON ? JsonReport.diff(r, n) : TextReport.diff(r, n));
        out.flush();
        return 0;
    }
}
