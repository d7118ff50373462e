package dev.proflab.cli;

import dev.proflab.profile.Profile;
import dev.proflab.report.JsonReport;
import dev.proflab.report.ReportFormat;
import dev.proflab.report.Tags;
import dev.proflab.report.TextReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code proflab tags FILE...}: pprof's {@code -tags}, the labels of the samples and their totals. */
@Command(name = "tags", addMethodSubcommands = false,
        description = {"Each label of the samples with its values and their totals, as pprof -tags.",
                "Labels: file (when several recordings are merged), thread, and the",
                "string labels of a pprof profile. A key's total is of the samples that",
                "have it; each value's share is of that total."},
        footer = {"", "Examples:",
                "  proflab tags a.jfr b.jfr                  # each file's and thread's share",
                "  proflab tags --tagfocus file=a.jfr a.jfr b.jfr",
                "  proflab tags --focus 'Fib\\.' --format json profile.pb.gz"})
final class TagsCommand implements Callable<Integer> {

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "FILE",
            description = "Recordings: .jfr (async-profiler or JFR) or pprof; several (a.jfr b.jfr, a,b,c or a folder) are merged")
    java.util.List<Path> files;

    @Mixin
    ReportOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (options.select.base != null) {
            throw new UsageException("tags and --base: the labels of one profile (or of several merged), not of a change");
        }
        Profile p = options.load(files);
        Tags.Result r = Tags.compute(options.index(p));
        PrintWriter out = spec.commandLine().getOut();
        out.print(options.format == ReportFormat.JSON ? JsonReport.tags(r) : TextReport.tags(r));
        out.flush();
        return 0;
    }
}
