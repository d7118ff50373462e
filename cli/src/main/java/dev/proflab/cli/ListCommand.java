package dev.proflab.cli;

import dev.proflab.profile.Profile;
import dev.proflab.report.JsonReport;
import dev.proflab.report.Lines;
import dev.proflab.report.ReportFormat;
import dev.proflab.report.TextReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code proflab list REGEX FILE}: pprof's list, samples per source line. */
@Command(name = "list", addMethodSubcommands = false,
        description = {"Samples per source line of the functions matching REGEX, like pprof's list.",
                "flat: the line was running; cum: it was on the stack. The source is shown",
                "when it is found under the source roots: --source-path, then",
                "src/main/java and */src/main/java of the current folder."},
        footer = {"", "Examples:",
                "  proflab list 'Fib.recursive' cpu.jfr",
                "  proflab list --source-path ~/app/src/main/java 'OrderService\\.' cpu.jfr",
                "  proflab list --event alloc 'Alloc\\.' app.jfr"})
final class ListCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "REGEX", description = "Functions to list (package.Class.method)")
    String regex;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE",
            description = "Recordings: .jfr (async-profiler or JFR) or pprof; several (a.jfr b.jfr, a,b,c or a folder) are merged")
    java.util.List<Path> files;

    @Option(names = "--source-path", paramLabel = "DIRS",
            description = "Source roots to search first (separated by the path separator, ':' on Unix; repeatable)")
    List<String> sourcePath = new ArrayList<>();

    @Mixin
    ReportOptions options;

    @Spec
    CommandSpec spec;

    /**
     * The folders of {@code --source-path} (each value split at the path separator), then
     * {@code src/main/java} of the current folder and of its modules.
     */
    static List<Path> sourceRoots(List<String> sourcePath) {
        List<Path> roots = new ArrayList<>();
        for (String dirs : sourcePath) {
            for (String d : dirs.split(java.util.regex.Pattern.quote(File.pathSeparator))) {
                if (!d.isBlank()) {
                    roots.add(Path.of(d));
                }
            }
        }
        roots.addAll(Lines.defaultSourceRoots(Path.of("").toAbsolutePath()));
        return roots;
    }

    @Override
    public Integer call() {
        Profile p = options.load(files);
        Lines.Result r = Lines.compute(options.index(p), regex, sourceRoots(sourcePath));
        PrintWriter out = spec.commandLine().getOut();
        out.print(options.format == ReportFormat.JSON ? JsonReport.list(r) : TextReport.list(r));
        out.flush();
        return 0;
    }
}
