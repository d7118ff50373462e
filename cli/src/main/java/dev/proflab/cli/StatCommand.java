package dev.proflab.cli;

import dev.proflab.stats.Comparison;
import dev.proflab.stats.Gate;
import dev.proflab.stats.StatFormat;
import dev.proflab.stats.StatInput;
import dev.proflab.stats.StatOptions;
import dev.proflab.stats.Verdicts;
import dev.proflab.text.Escape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code proflab stat OLD.json [NEW.json ...]}: benchstat for JMH JSON results. */
@Command(mixinStandardHelpOptions = true, name = "stat", addMethodSubcommands = false,
        description = {"Compare JMH JSON results (-rf json) like benchstat.",
                "Median, 95%% CI of the median, Mann-Whitney U test (alpha 0.05), geomean. Samples are every",
                "measurement iteration of every fork; B/op comes from -prof gc. The first column is the baseline.",
                "With --max-regression or --budget, a regression gate: exit 1 when a benchmark",
                "is significantly worse than the baseline by more than its limit, else 0."},
        footer = {"", "Examples:",
                "  proflab stat old.json new.json",
                "  proflab stat --col impl tmp/fib.json          # impl=recursive vs impl=memo in one file",
                "  proflab stat --format json a.json b.json",
                "  proflab stat --max-regression 5%% --format markdown main.json branch.json",
                "",
                "A budget file (--budget) has a rule a line, 'REGEX LIMIT', and # comments.",
                "The first rule whose REGEX occurs in a row's name (as the table shows it)",
                "gives its limit; 'none' exempts the row:",
                "  FibBench\\.fib/.*impl=recursive   none",
                "  AllocBench\\.                      10%%",
                "Rows no rule finds get --max-regression, or no limit. A gate in CI: docs/ci.md"})
final class StatCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "JMH JSON result files; the first is the baseline")
    List<Path> files = new ArrayList<>();

    @Option(names = "--col", paramLabel = "PARAM",
            description = "Make the values of this @Param the columns (compare variants within one file)")
    String col;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.05",
            description = "Significance level of the Mann-Whitney U test (default: ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--confidence", paramLabel = "C", defaultValue = "0.95",
            description = "Confidence level of the interval around each median (default: ${DEFAULT-VALUE})")
    double confidence;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, markdown, csv or json (default: ${DEFAULT-VALUE})")
    StatFormat format;

    @Option(names = "--max-regression", paramLabel = "PCT",
            description = {"Regression gate: exit 1 when a benchmark is significantly worse (Mann-Whitney at --alpha,"
                    + " forks agreeing) by more than PCT: sec/op or B/op up, ops/s down. 5%%, 5 or 0.5%%; 0 fails any"
                    + " significant regression. Inconclusive rows are not judged."})
    String maxRegression;

    @Option(names = "--budget", paramLabel = "FILE",
            description = "Regression gate with a limit per benchmark: lines 'REGEX LIMIT' (LIMIT a percentage or"
                    + " 'none'); the first regex found in a row's name wins, else --max-regression")
    Path budget;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        StatOptions options = options(alpha, confidence, col, List.of());
        RegressionLimits limits = RegressionLimits.of(maxRegression, budget);
        List<StatInput> inputs = files.stream().map(StatInput::of).toList();
        Comparison c = Comparison.compute(inputs, options);
        Gate.Result gate = limits == null ? null : Gate.check(c, Verdicts.of(c, verdictOptions(limits)), limits);
        PrintWriter out = spec.commandLine().getOut();
        out.print(format.render(c, gate));
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        c.warnings().forEach(w -> err.println("warning: " + Escape.terminal(w.toString())));
        err.flush();
        if (gate != null && gate.failed()) {
            throw new CheckFailedException(failures(gate));
        }
        return 0;
    }

    /**
     * The verdicts' smallest difference that matters is --max-regression when it is above 0: "no difference"
     * then means that a regression of that size would have shown, and a rerun's forks are counted for it.
     */
    static Verdicts.Options verdictOptions(RegressionLimits limits) {
        Verdicts.Options o = Verdicts.Options.defaults();
        Gate.Limit fallback = limits.fallback();
        if (fallback != null && fallback.percent() > 0 && fallback.percent() < 1000) {
            return o.withMinEffect(fallback.percent() / 100);
        }
        return o;
    }

    /** The failures in one line, the first five by name: the message of exit code 1. */
    static String failures(Gate.Result gate) {
        List<Gate.Failure> fs = gate.failures();
        StringBuilder sb = new StringBuilder("regression gate failed: ").append(fs.size())
                .append(fs.size() == 1 ? " benchmark" : " benchmarks").append(" significantly worse beyond the limit: ");
        int shown = Math.min(5, fs.size());
        for (int i = 0; i < shown; i++) {
            Gate.Failure f = fs.get(i);
            double pct = f.changePercent();
            sb.append(i == 0 ? "" : ", ").append(f.row().name()).append(" [").append(f.row().metric())
                    .append(gate.checks().stream().anyMatch(k -> k.column() > 1) ? ", " + f.columnName() : "")
                    .append("] ").append(Double.isInfinite(pct) ? (pct > 0 ? "+inf" : "-inf")
                            : String.format(Locale.ROOT, "%+.2f", pct))
                    .append("%");
        }
        if (fs.size() > shown) {
            sb.append(" and ").append(fs.size() - shown).append(" more");
        }
        return sb.toString();
    }

    static StatOptions options(double alpha, double confidence, String col, List<String> order) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new UsageException("--alpha must be between 0 and 1, not " + alpha);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new UsageException("--confidence must be between 0 and 1, not " + confidence);
        }
        return new StatOptions(alpha, confidence, col, col == null ? List.of() : order);
    }
}
