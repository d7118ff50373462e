package dev.proflab.stats;

import dev.proflab.stats.Comparison.Cell;
import dev.proflab.stats.Comparison.Row;
import dev.proflab.stats.Comparison.Table;
import dev.proflab.stats.Verdicts.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A regression gate for CI: which benchmarks got worse by more than their limit. A pure function of a
 * {@link Comparison}, its {@link Verdicts} and a limit per row; the caller decides what a failure does
 * (the CLI exits 1).
 *
 * <p>Each column but the baseline is checked against the baseline, row by row. A check fails
 * ({@link Outcome#REGRESSED}) when all of these hold:
 *
 * <ol>
 *   <li>the verdict is {@link Verdicts.Kind#DIFFERENT}: the Mann-Whitney p-value is at most alpha, and
 *       when the forks disagree the test over fork medians agrees (a significant pooled p-value whose
 *       forks disagree is {@link Verdicts.Kind#INCONCLUSIVE}, and is not judged);
 *   <li>the change is in the metric's worse direction: {@code sec/op} and {@code B/op} up, {@code ops/s}
 *       down;
 *   <li>the change of the median, in percent of the baseline, is more than the row's limit (a change equal
 *       to the limit, within 1e-9 percentage points, passes). A limit of 0 fails any significant change
 *       in the worse direction.
 * </ol>
 *
 * <p>Inconclusive verdicts and B/op below what {@code -prof gc} resolves are not judged: they never fail,
 * and the result counts them so that the caller can say so (with the forks a rerun needs,
 * {@link Result#suggestedForks()}). A row without a limit is not checked.
 */
public final class Gate {

    /** Changes within this many percentage points of the limit count as equal to it. */
    static final double EPSILON = 1e-9;

    private Gate() {
    }

    /**
     * The most a row may get worse.
     *
     * @param percent in percent of the baseline's median, finite and at least 0
     * @param source where it came from, e.g. {@code budget.txt:3}, for the messages; null for the default
     *     limit
     */
    public record Limit(double percent, String source) {

        public Limit {
            if (!(percent >= 0) || Double.isInfinite(percent)) {
                throw new IllegalArgumentException("a limit must be a finite percentage >= 0, got " + percent);
            }
        }

        /** A limit without a source (the default one). */
        public static Limit of(double percent) {
            return new Limit(percent, null);
        }
    }

    /** What a check found. */
    public enum Outcome {
        /** Significantly worse by more than the limit: the gate fails. */
        REGRESSED,
        /** Significantly worse, but not by more than the limit. */
        WITHIN_LIMIT,
        /** No significant change, or a significant change for the better. */
        PASSED,
        /** The data cannot decide ({@link Verdicts.Kind#INCONCLUSIVE}): not judged. */
        INCONCLUSIVE,
        /** B/op below what {@code -prof gc} resolves on either side: not judged. */
        BELOW_RESOLUTION,
        /** The benchmark is missing from this column or from the baseline: not judged. */
        MISSING,
        /** The row has no limit: not checked. */
        NO_LIMIT
    }

    /**
     * One column of one row against the baseline.
     *
     * @param row the row
     * @param column index of the column (1 or more)
     * @param verdict the verdict, null when the benchmark is missing from either side
     * @param limit the row's limit, null when it has none
     * @param outcome what the check found
     */
    public record Check(Row row, int column, Verdict verdict, Limit limit, Outcome outcome) {

        /** The cell checked. */
        public Cell cell() {
            return row.cell(column);
        }

        /** True when the row had a limit and the data decided ({@link #outcome()} is not a "not judged" one). */
        public boolean judged() {
            return outcome == Outcome.REGRESSED || outcome == Outcome.WITHIN_LIMIT || outcome == Outcome.PASSED;
        }
    }

    /**
     * A check that failed.
     *
     * @param row the row
     * @param column index of the column (1 or more)
     * @param columnName the column's name
     * @param changePercent the change of the median in percent of the baseline's (positive: up); +Infinity
     *     or -Infinity when the baseline's median is 0
     * @param pValue the Mann-Whitney p-value
     * @param limit the limit it exceeded
     */
    public record Failure(Row row, int column, String columnName, double changePercent, double pValue, Limit limit) {
    }

    /**
     * What the gate found.
     *
     * @param checks every non-baseline column of every row, in table, row and column order
     * @param failures the checks that failed, in the same order
     */
    public record Result(List<Check> checks, List<Failure> failures) {

        public Result {
            checks = List.copyOf(checks);
            failures = List.copyOf(failures);
        }

        /** True when some check failed. */
        public boolean failed() {
            return !failures.isEmpty();
        }

        /** Checks of rows with a limit, judged or not. */
        public int checked() {
            return count(c -> c.outcome() != Outcome.NO_LIMIT);
        }

        /** Checks of rows with a limit whose verdict is inconclusive. */
        public int inconclusive() {
            return count(c -> c.outcome() == Outcome.INCONCLUSIVE);
        }

        /** Checks of B/op rows with a limit below what {@code -prof gc} resolves. */
        public int belowResolution() {
            return count(c -> c.outcome() == Outcome.BELOW_RESOLUTION);
        }

        /** Checks of rows with a limit missing from a column or the baseline. */
        public int missing() {
            return count(c -> c.outcome() == Outcome.MISSING);
        }

        /** Checks significantly worse, but within their limit. */
        public int withinLimit() {
            return count(c -> c.outcome() == Outcome.WITHIN_LIMIT);
        }

        /** Checks of rows without a limit. */
        public int noLimit() {
            return count(c -> c.outcome() == Outcome.NO_LIMIT);
        }

        /** The most forks per side that an inconclusive check's rerun needs to decide; 0 when none is. */
        public int suggestedForks() {
            int most = 0;
            for (Check c : checks) {
                if (c.outcome() == Outcome.INCONCLUSIVE) {
                    most = Math.max(most, c.verdict().suggestedForks());
                }
            }
            return most;
        }

        /** The checks by row (identity) and column: {@code byRow().get(row)[column]}, null for the baseline. */
        public Map<Row, Check[]> byRow() {
            Map<Row, Check[]> out = new IdentityHashMap<>();
            for (Check c : checks) {
                out.computeIfAbsent(c.row(), r -> new Check[r.cells().size()])[c.column()] = c;
            }
            return out;
        }

        private int count(Predicate<Check> p) {
            int n = 0;
            for (Check c : checks) {
                if (p.test(c)) {
                    n++;
                }
            }
            return n;
        }
    }

    /**
     * Checks every non-baseline column of every row of {@code c}.
     *
     * @param c the comparison
     * @param verdicts {@link Verdicts#of} of the same comparison
     * @param limits the limit of a row, null when the row is not to be checked; called once per row
     */
    public static Result check(Comparison c, List<Verdict> verdicts, Function<Row, Limit> limits) {
        Objects.requireNonNull(c, "c");
        Objects.requireNonNull(verdicts, "verdicts");
        Objects.requireNonNull(limits, "limits");
        Map<Row, Verdict[]> byRow = new IdentityHashMap<>();
        for (Verdict v : verdicts) {
            byRow.computeIfAbsent(v.row(), r -> new Verdict[r.cells().size()])[v.column()] = v;
        }
        List<Check> checks = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (Table t : c.tables()) {
            for (Row row : t.rows()) {
                Limit limit = limits.apply(row);
                Verdict[] vs = byRow.get(row);
                for (int col = 1; col < row.cells().size(); col++) {
                    Verdict v = vs == null ? null : vs[col];
                    Outcome outcome = outcome(row, v, limit);
                    checks.add(new Check(row, col, v, limit, outcome));
                    if (outcome == Outcome.REGRESSED) {
                        failures.add(new Failure(row, col, row.cell(col).column(), changePercent(row, col),
                                row.cell(col).delta().pValue(), limit));
                    }
                }
            }
        }
        return new Result(Collections.unmodifiableList(checks), Collections.unmodifiableList(failures));
    }

    private static Outcome outcome(Row row, Verdict v, Limit limit) {
        if (limit == null) {
            return Outcome.NO_LIMIT;
        }
        if (v == null) {
            return Outcome.MISSING;
        }
        return switch (v.kind()) {
            case INCONCLUSIVE -> Outcome.INCONCLUSIVE;
            case BELOW_RESOLUTION -> Outcome.BELOW_RESOLUTION;
            case NO_DIFFERENCE -> Outcome.PASSED;
            case DIFFERENT -> {
                double worse = worseBy(row.metric(), changePercent(row, v.column()));
                if (!(worse > 0)) {
                    yield Outcome.PASSED;
                }
                yield worse > limit.percent() + EPSILON ? Outcome.REGRESSED : Outcome.WITHIN_LIMIT;
            }
        };
    }

    /**
     * The change of a column's median in percent of the baseline's: the delta's, or an infinity of the
     * sign of the change when the baseline's median is 0.
     */
    static double changePercent(Row row, int col) {
        double pct = row.cell(col).delta().percent();
        if (Double.isNaN(pct)) {
            double diff = row.cell(col).median() - row.cell(0).median();
            return diff > 0 ? Double.POSITIVE_INFINITY : diff < 0 ? Double.NEGATIVE_INFINITY : 0;
        }
        return pct;
    }

    /**
     * How much worse a change of {@code percent} is in {@code metric}: the change itself where higher is
     * worse ({@code sec/op}, {@code B/op}), its negation where lower is ({@code ops/s}); 0 for a metric of
     * unknown direction.
     */
    public static double worseBy(String metric, double percent) {
        return switch (metric) {
            case Units.SEC_PER_OP, Units.BYTES_PER_OP -> percent;
            case Units.OPS_PER_SEC -> -percent;
            default -> 0;
        };
    }
}
