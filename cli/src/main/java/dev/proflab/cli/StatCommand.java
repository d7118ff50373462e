package dev.proflab.cli;

import dev.proflab.stats.Comparison;
import dev.proflab.stats.StatFormat;
import dev.proflab.stats.StatInput;
import dev.proflab.stats.StatOptions;
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
import java.util.concurrent.Callable;

/** {@code proflab stat OLD.json [NEW.json ...]}: benchstat for JMH JSON results. */
@Command(mixinStandardHelpOptions = true, name = "stat",
        description = {"Compare JMH JSON results (-rf json) like benchstat.",
                "Median, 95%% CI of the median, Mann-Whitney U test (alpha 0.05), geomean. Samples are every",
                "measurement iteration of every fork; B/op comes from -prof gc. The first column is the baseline."},
        footer = {"", "Examples:",
                "  proflab stat old.json new.json",
                "  proflab stat --col impl tmp/fib.json          # impl=recursive vs impl=memo in one file",
                "  proflab stat --format json a.json b.json"})
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        StatOptions options = options(alpha, confidence, col, List.of());
        List<StatInput> inputs = files.stream().map(StatInput::of).toList();
        Comparison c = Comparison.compute(inputs, options);
        PrintWriter out = spec.commandLine().getOut();
        out.print(format.render(c));
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        c.warnings().forEach(w -> err.println("warning: " + Escape.terminal(w.toString())));
        err.flush();
        return 0;
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
