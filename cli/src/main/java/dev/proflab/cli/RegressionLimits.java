package dev.proflab.cli;

import dev.proflab.report.Regex;
import dev.proflab.stats.Comparison.Row;
import dev.proflab.stats.Gate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The limit of each row for {@code proflab stat}'s regression gate: {@code --max-regression} and the rules
 * of a {@code --budget} file. A budget file has one rule a line, {@code REGEX LIMIT}: the regular expression
 * (it may hold spaces: the limit is the last word), then a percentage ({@code 10%}, {@code 10},
 * {@code 0.5%}) or {@code none} to exempt the rows it finds. Lines that start with {@code #} and blank lines
 * are skipped. The first rule whose expression occurs in a row's display name (as the table shows it, e.g.
 * {@code FibBench.fib/n=35}) gives its limit; a row no rule finds gets {@code --max-regression}, or none.
 *
 * <p>The expressions are the JDK's, matched within one budget of time for all of them ({@link Regex}): an
 * expression that backtracks catastrophically ends the command with a message naming its line, not a hang.
 */
final class RegressionLimits implements Function<Row, Gate.Limit> {

    /** A rule: an expression, and its limit (null: exempt). */
    private record Rule(Regex regex, Gate.Limit limit) {
    }

    /** Budget files are short lists of rules; more than this is not one. */
    static final long MAX_FILE_BYTES = BudgetFile.MAX_FILE_BYTES;

    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)%?");

    private final List<Rule> rules;
    private final Gate.Limit fallback;

    private RegressionLimits(List<Rule> rules, Gate.Limit fallback) {
        this.rules = List.copyOf(rules);
        this.fallback = fallback;
    }

    /**
     * The limits of {@code --max-regression} (null when not given) and {@code --budget} (null when not
     * given); null when neither is, which means no gate.
     *
     * @throws UsageException for a value or a line that is not valid, naming the option or file:line
     */
    static RegressionLimits of(String maxRegression, Path budget) {
        if (maxRegression == null && budget == null) {
            return null;
        }
        Gate.Limit fallback = null;
        if (maxRegression != null) {
            double pct = percent(maxRegression);
            if (Double.isNaN(pct)) {
                throw new UsageException("--max-regression: '" + maxRegression
                        + "' is not a percentage: write it as 5%, 5 or 0.5%");
            }
            fallback = Gate.Limit.of(pct);
        }
        List<Rule> rules = budget == null ? List.of() : read(budget);
        return new RegressionLimits(rules, fallback);
    }

    /** A percentage, {@code 5%}, {@code 5} or {@code 0.5%}: its value (5 for 5%), NaN when it is not one. */
    static double percent(String s) {
        Matcher m = PERCENT.matcher(s.strip());
        if (!m.matches()) {
            return Double.NaN;
        }
        double v = Double.parseDouble(m.group(1));
        return Double.isFinite(v) ? v : Double.NaN;
    }

    private static List<Rule> read(Path file) {
        Regex.Budget time = Regex.Budget.of(Regex.DEFAULT_BUDGET);
        List<Rule> rules = new ArrayList<>();
        for (BudgetFile.Line line : BudgetFile.read(file, "a percentage such as 5% or 'none'")) {
            String word = line.limit();
            Gate.Limit limit = null;
            if (!word.equals("none")) {
                double pct = percent(word);
                if (Double.isNaN(pct)) {
                    throw new UsageException(line.where() + ": '" + word + "' is not a percentage or 'none': write the"
                            + " limit as 5%, 5 or 0.5% (comments take a whole line, starting with #)");
                }
                limit = new Gate.Limit(pct, line.where());
            }
            rules.add(new Rule(Regex.compile(line.where(), line.regex(), time), limit));
        }
        return rules;
    }

    /** The limit of a row: the first rule that finds its name, else --max-regression, else none. */
    @Override
    public Gate.Limit apply(Row row) {
        for (Rule r : rules) {
            if (r.regex().find(row.name())) {
                return r.limit();
            }
        }
        return fallback;
    }

    /** --max-regression, null when not given. */
    Gate.Limit fallback() {
        return fallback;
    }
}
