package dev.proflab.cli;

import dev.proflab.analysis.FileAnalysis;
import dev.proflab.analysis.Finding;
import dev.proflab.analysis.Findings;
import dev.proflab.analysis.JmcRules;
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
import java.util.List;
import java.util.concurrent.Callable;

/** {@code proflab analyze FILE}: findings, from JDK Mission Control's rules and proflab's own. */
@Command(name = "analyze", addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        description = {"What a recording says, as findings from JMC's rules and proflab's.",
                "JDK Mission Control's automated analysis (its 68 rules, headless) on a",
                "JFR file, and proflab's rules on every event of any file (.jfr of either",
                "engine, pprof): the dominant frame and its kind, CPU spent waiting for",
                "locks, threads that never run, too few samples, missing line numbers.",
                "Each: severity, score 0-100 (as JMC's), summary, explanation, evidence",
                "and the command to look next. Warnings and information are shown; --all",
                "shows every result."},
        footer = {"", "Examples:",
                "  proflab analyze tmp/fib-before-cpu.jfr",
                "  proflab analyze --format markdown app.jfr",
                "  proflab analyze --format json --all app.jfr"})
final class AnalyzeCommand implements Callable<Integer> {

    enum Format { TEXT, MARKDOWN, JSON }

    @Parameters(index = "0", paramLabel = "FILE", description = "A .jfr recording (async-profiler or JFR) or a pprof file")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, markdown or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--all", description = "Every rule's result, also OK and not applicable")
    boolean all;

    @Option(names = "--no-jmc", description = "Only proflab's rules (JMC's parser holds every event in memory)")
    boolean noJmc;

    @Option(names = "--jmc-max-size", paramLabel = "MB", defaultValue = "256",
            description = "Largest file given to JMC's rules, in MB (default: ${DEFAULT-VALUE})")
    long jmcMaxMb;

    @Option(names = "--jmc-timeout", paramLabel = "DURATION", defaultValue = "120s",
            description = "Time JMC's rules may take (default: ${DEFAULT-VALUE})")
    String jmcTimeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + ": no such file");
        }
        if (jmcMaxMb <= 0) {
            throw new UsageException("--jmc-max-size: " + jmcMaxMb + " is not a size in MB");
        }
        Duration timeout = Durations.parse(jmcTimeout, "--jmc-timeout");
        String name = file.getFileName().toString();
        FileAnalysis.Result r = FileAnalysis.profileRules(file);
        if (!noJmc && jfr(file)) {
            r = r.plus(FileAnalysis.jmcRules(file, new JmcRules.Limits(jmcMaxMb << 20, timeout)));
        }
        List<Finding> findings = r.findings();
        int evaluated = r.evaluated();
        List<Finding> shown = Findings.shown(findings, all);
        PrintWriter out = spec.commandLine().getOut();
        out.print(switch (format) {
            case TEXT -> Findings.text(name, shown, evaluated);
            case MARKDOWN -> Findings.markdown(name, shown, evaluated);
            case JSON -> Findings.json(name, shown, evaluated);
        });
        out.flush();
        return 0;
    }

    private static boolean jfr(Path f) {
        try {
            return ConvertCommand.isJfr(f);
        } catch (IOException e) {
            return false; // proflab's own reader has said what is wrong with it by now
        }
    }
}
