package dev.proflab.cli;

import dev.proflab.analysis.Finding;
import dev.proflab.analysis.Findings;
import dev.proflab.analysis.JmcRules;
import dev.proflab.analysis.ProfileRules;
import dev.proflab.analysis.RecordingRules;
import dev.proflab.profile.Profile;
import dev.proflab.profile.EventInfo;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code proflab analyze FILE}: findings, from JDK Mission Control's rules and proflab's own. */
@Command(name = "analyze",
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
        List<Finding> findings = new ArrayList<>();
        int evaluated = 0;
        Profile cpu = null;
        Duration recorded = null;
        for (EventInfo e : ProfileReader.events(file)) {
            // aggregated: the rules need each stack and thread once with its count, not every sample
            Profile p = ProfileReader.read(file, ReadOptions.defaults().withEvent(e.name()).withAggregate(true));
            findings.addAll(ProfileRules.run(p, name));
            evaluated += ProfileRules.RULES;
            if (recorded == null) {
                recorded = p.meta().duration();
            }
            if (cpu == null && (e.name().equals("cpu") || e.name().equals("itimer"))) {
                cpu = p;
            }
        }
        boolean jfr = jfr(file);
        if (jfr) {
            List<Finding> rec = RecordingRules.run(file, name, cpu, recorded);
            findings.addAll(rec);
            if (rec.stream().noneMatch(f -> f.rule().equals("proflab.recording-rules"))) {
                evaluated += RecordingRules.RULES; // else they did not run, and one finding says why
            }
        }
        if (!noJmc && jfr) {
            List<Finding> jmc = JmcRules.run(file, new JmcRules.Limits(jmcMaxMb << 20, timeout));
            findings.addAll(jmc);
            evaluated += (int) jmc.stream().filter(f -> f.source().equals("jmc")).count();
        }
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
