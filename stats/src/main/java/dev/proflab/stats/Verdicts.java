package dev.proflab.stats;

import dev.proflab.stats.Comparison.Cell;
import dev.proflab.stats.Comparison.Row;
import dev.proflab.stats.Comparison.Table;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Comparison} supports saying, per column against the baseline: a difference, no
 * difference, or nothing yet ("inconclusive"), and how many forks a rerun would need when the data
 * cannot decide. A pure function of the comparison; the words are the caller's.
 *
 * <p>The rules, in order, for one cell against the baseline:
 *
 * <ol>
 *   <li><b>B/op below what {@code -prof gc} resolves.</b> JMH's {@code gc.alloc.rate.norm} is the bytes
 *       every thread but the profiler's allocated during one iteration divided by the operations of that
 *       iteration. JMH's own per-iteration work (result objects, the thread snapshot, ...) is in those
 *       bytes, a few KiB whatever the benchmark does. A value under
 *       {@link Options#bookkeepingBytes()} / (operations per iteration) cannot be told from that
 *       bookkeeping: when either side is under its floor the verdict is {@link Kind#BELOW_RESOLUTION}
 *       (the other side's bytes may be real, but a ratio or a p-value against bookkeeping means nothing).
 *       Operations per iteration come from the primary metric of the same column and the iteration
 *       length JMH recorded; without them the floor is 0.5 B/op.
 *   <li><b>Significant</b> ({@code p <= alpha}): {@link Kind#DIFFERENT}, unless the forks of either side
 *       disagree (a fork effect, {@link Cell#forkEffect()}: the p-value of pooled iterations is then too
 *       small) and the same test over the fork medians is not significant: then
 *       {@link Kind#INCONCLUSIVE}, {@link Why#FORKS_DISAGREE}.
 *   <li><b>Not significant</b>: the smallest difference the two intervals could have shown is about
 *       {@code sqrt(h1^2 + h2^2)} of the median (h: each interval's relative half-width, the table's
 *       {@code ± x%}; combined on the log scale, {@link #resolvable}). Only when that is at most {@link Options#minEffect()} (and the forks agree) is
 *       it {@link Kind#NO_DIFFERENCE}; otherwise {@link Kind#INCONCLUSIVE}: the data could not have
 *       seen a difference of the size that matters.
 * </ol>
 *
 * <p>The suggested number of forks for a rerun comes from the observed spread: an interval's width
 * shrinks as 1/sqrt(n), so reaching a resolvable difference of {@code minEffect} from {@code r} takes
 * {@code forks x (r / minEffect)^2}; when forks disagree, the fork medians' own spread decides
 * ({@code 4 (s1^2 + s2^2) / target^2} forks for a 95% interval of the difference of means of
 * {@code ± target}, s the relative standard deviation of each side's fork medians).
 */
public final class Verdicts {

    /** What the data supports. */
    public enum Kind {
        /** A significant difference. */
        DIFFERENT,
        /** No significant difference, and a difference larger than {@link Options#minEffect()} would have shown. */
        NO_DIFFERENCE,
        /** The data cannot decide: see {@link Why} and {@link Verdict#suggestedForks()}. */
        INCONCLUSIVE,
        /** B/op on one side or both is below what JMH's {@code -prof gc} can tell from its own bookkeeping. */
        BELOW_RESOLUTION
    }

    /** Why a verdict is inconclusive. */
    public enum Why {
        /** Not inconclusive. */
        NONE,
        /** The intervals are wider than the difference that matters. */
        WIDE_INTERVALS,
        /** The forks of a side disagree, and across fork medians the difference is not significant. */
        FORKS_DISAGREE,
        /** Too few samples for a finite interval or for the test ever to reach alpha. */
        TOO_FEW_SAMPLES
    }

    /**
     * How to judge.
     *
     * @param minEffect the smallest relative difference that matters (0.05: 5%); "no difference" is
     *     said only when the data could have seen one this large
     * @param bookkeepingBytes the bytes per iteration that JMH's own work adds to {@code -prof gc}'s
     *     count, an upper bound (see docs/benchmarks.md for how it was measured)
     * @param maxForks suggestions are capped here
     */
    public record Options(double minEffect, double bookkeepingBytes, int maxForks) {

        /** 5%: differences smaller than this are rarely worth a change and hard to see on a laptop. */
        public static final double DEFAULT_MIN_EFFECT = 0.05;

        /**
         * 16 KiB: benchmarks that allocate nothing show a median of about 6 KiB per iteration on JDK 25
         * with JMH 1.37, whether an iteration holds 7 operations or millions (docs/benchmarks.md); the
         * floor leaves room above that.
         */
        public static final double DEFAULT_BOOKKEEPING_BYTES = 16 * 1024;

        public static final int DEFAULT_MAX_FORKS = 1000;

        public Options {
            if (!(minEffect > 0 && minEffect < 10)) {
                throw new IllegalArgumentException("minimum effect must be above 0 and below 1000%, got " + minEffect);
            }
            if (!(bookkeepingBytes >= 0) || Double.isInfinite(bookkeepingBytes)) {
                throw new IllegalArgumentException("bookkeeping bytes must be finite and >= 0, got " + bookkeepingBytes);
            }
            if (maxForks < 2) {
                throw new IllegalArgumentException("maximum forks must be at least 2, got " + maxForks);
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_MIN_EFFECT, DEFAULT_BOOKKEEPING_BYTES, DEFAULT_MAX_FORKS);
        }

        public Options withMinEffect(double minEffect) {
            return new Options(minEffect, bookkeepingBytes, maxForks);
        }
    }

    /**
     * One column compared with the baseline.
     *
     * @param metric the table's metric
     * @param row the row
     * @param column index of the column (1 or more)
     * @param kind what the data supports
     * @param why why it is inconclusive, {@link Why#NONE} otherwise
     * @param resolvable the smallest relative difference the intervals could show ({@link #resolvable});
     *     +Infinity when an interval is infinite
     * @param forkPValue the Mann-Whitney p-value over fork medians when forks disagree, NaN otherwise
     * @param forks forks per side in this run (the larger of the two)
     * @param suggestedForks forks per side a rerun would need to decide, 0 unless inconclusive
     * @param baseFloor B/op: the baseline's resolution floor, NaN for other metrics
     * @param floor B/op: this column's resolution floor, NaN for other metrics
     * @param opsPerIteration B/op: operations in one iteration of this column, NaN when unknown
     * @param baseOpsPerIteration B/op: operations in one iteration of the baseline, NaN when unknown
     */
    public record Verdict(String metric, Row row, int column, Kind kind, Why why, double resolvable,
                          double forkPValue, int forks, int suggestedForks, double baseFloor, double floor,
                          double baseOpsPerIteration, double opsPerIteration) {

        public Cell base() {
            return row.cell(0);
        }

        public Cell cell() {
            return row.cell(column);
        }

        /** B/op of the baseline is below its floor. */
        public boolean baseBelowFloor() {
            return base().median() < baseFloor;
        }

        /** B/op of this column is below its floor. */
        public boolean belowFloor() {
            return cell().median() < floor;
        }

        /**
         * Significant, but the ratio of the medians is closer to 1 than the intervals can resolve
         * ({@code |ln ratio| < ln(1 + resolvable)}): its size is not known.
         */
        public boolean sizeUncertain() {
            double ratio = cell().median() / base().median();
            return kind == Kind.DIFFERENT && ratio > 0 && Double.isFinite(ratio)
                    && Math.abs(Math.log(ratio)) < Math.log1p(resolvable);
        }
    }

    private Verdicts() {
    }

    /** Every column against the baseline, table by table, row by row. */
    public static List<Verdict> of(Comparison c, Options options) {
        Objects.requireNonNull(options, "options");
        List<Verdict> out = new ArrayList<>();
        for (Table t : c.tables()) {
            for (Row row : t.rows()) {
                Row primary = t.metric().equals(Units.BYTES_PER_OP) ? primaryOf(c, row) : null;
                for (int i = 1; i < row.cells().size(); i++) {
                    Cell cell = row.cell(i);
                    if (!row.cell(0).present() || !cell.present() || cell.delta() == null) {
                        continue;
                    }
                    out.add(judge(t.metric(), row, i, primary, c.options(), options));
                }
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The sec/op or ops/s row measured in the same iterations as a B/op row. */
    private static Row primaryOf(Comparison c, Row bytes) {
        for (Row r : c.rows()) {
            if (!r.metric().equals(Units.BYTES_PER_OP) && r.benchmark().equals(bytes.benchmark())
                    && r.mode().equals(bytes.mode()) && r.params().equals(bytes.params())) {
                return r;
            }
        }
        return null;
    }

    static Verdict judge(String metric, Row row, int col, Row primary, StatOptions stat, Options options) {
        Cell base = row.cell(0);
        Cell cell = row.cell(col);
        int forks = Math.max(Math.max(base.forks(), cell.forks()), 1);
        double resolvable = resolvable(base.relativeHalfWidth(), cell.relativeHalfWidth());
        double baseOps = Double.NaN;
        double ops = Double.NaN;
        double baseFloor = Double.NaN;
        double floor = Double.NaN;
        if (metric.equals(Units.BYTES_PER_OP)) {
            baseOps = opsPerIteration(primary, 0);
            ops = opsPerIteration(primary, col);
            baseFloor = floor(baseOps, options);
            floor = floor(ops, options);
            if (base.median() < baseFloor || cell.median() < floor) {
                return new Verdict(metric, row, col, Kind.BELOW_RESOLUTION, Why.NONE, resolvable, Double.NaN, forks, 0,
                        baseFloor, floor, baseOps, ops);
            }
        }
        boolean forkEffect = base.forkEffect() || cell.forkEffect();
        int testable = forksForAlpha(stat.alpha());
        double forkP = Double.NaN;
        if ((forkEffect && base.forks() >= 2 && cell.forks() >= 2)
                || (base.forks() >= testable && cell.forks() >= testable)) {
            double[] a = base.forkMedians();
            double[] b = cell.forkMedians();
            Arrays.sort(a);
            Arrays.sort(b);
            forkP = MannWhitney.pValue(a, b);
        }
        Kind kind;
        Why why = Why.NONE;
        int suggested = 0;
        double pct = Math.abs(cell.delta().percent()) / 100;
        if (cell.delta().significant()) {
            if (!Double.isNaN(forkP) && !(forkP <= stat.alpha())) {
                kind = Kind.INCONCLUSIVE;
                why = Why.FORKS_DISAGREE;
                double target = Double.isFinite(pct) && pct > 0 ? Math.max(options.minEffect(), pct / 2) : options.minEffect();
                suggested = forkSuggestion(base, cell, forks, target, stat, options);
            } else {
                kind = Kind.DIFFERENT;
            }
        } else if (forkEffect) {
            kind = Kind.INCONCLUSIVE;
            why = Why.FORKS_DISAGREE;
            suggested = Math.max(forkSuggestion(base, cell, forks, options.minEffect(), stat, options),
                    scale(forks, resolvable, options));
        } else if (resolvable <= options.minEffect()) {
            kind = Kind.NO_DIFFERENCE;
        } else {
            kind = Kind.INCONCLUSIVE;
            boolean fewSamples = !base.ciFinite() || !cell.ciFinite()
                    || MannWhitney.minPValue(base.n(), cell.n()) > stat.alpha();
            why = fewSamples ? Why.TOO_FEW_SAMPLES : Why.WIDE_INTERVALS;
            suggested = fewSamples ? fewSamplesSuggestion(base, cell, forks, stat, options)
                    : scale(forks, resolvable, options);
        }
        return new Verdict(metric, row, col, kind, why, resolvable, forkP, forks, suggested, baseFloor, floor, baseOps,
                ops);
    }

    /**
     * The smallest relative difference two intervals of relative half-widths h1 and h2 can show:
     * {@code exp(sqrt(ln(1 + h1)^2 + ln(1 + h2)^2)) - 1}, the half-widths combined on the log scale
     * where ratios live (about {@code sqrt(h1^2 + h2^2)} for small ones); +Infinity when either is
     * infinite or unknown.
     */
    static double resolvable(double h1, double h2) {
        if (!(h1 >= 0) || !(h2 >= 0) || Double.isInfinite(h1) || Double.isInfinite(h2)) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.expm1(Math.hypot(Math.log1p(h1), Math.log1p(h2)));
    }

    /** The fewest forks per side with which the test over fork medians can reach alpha (4 for 0.05). */
    static int forksForAlpha(double alpha) {
        return Math.max(2, MannWhitney.samplesFor(alpha));
    }

    /** forks x (r / minEffect)^2, at least one more fork than now, at most the cap. */
    private static int scale(int forks, double resolvable, Options options) {
        if (!Double.isFinite(resolvable)) {
            return options.maxForks();
        }
        double r = resolvable / options.minEffect();
        return clamp(Math.ceil(forks * r * r), forks, options);
    }

    /** Enough forks for a finite interval and for the test to reach alpha, at least twice as many as now. */
    private static int fewSamplesSuggestion(Cell base, Cell cell, int forks, StatOptions stat, Options options) {
        int need = MedianCI.samplesNeeded(stat.confidence());
        if (need < 0) {
            return options.maxForks();
        }
        need = Math.max(need, MannWhitney.samplesFor(stat.alpha()));
        int n = Math.max(1, Math.min(base.n(), cell.n()));
        double perFork = (double) n / forks;
        return clamp(Math.max(2.0 * forks, Math.ceil(need / perFork)), forks, options);
    }

    /**
     * Forks for a 95% interval of ± target on the difference of the fork means: 4 (s1^2 + s2^2) /
     * target^2, s the relative standard deviation of each side's fork medians; at least as many forks as
     * the test over fork medians needs to reach alpha.
     */
    private static int forkSuggestion(Cell base, Cell cell, int forks, double target, StatOptions stat,
            Options options) {
        double s1 = relativeSd(base.forkMedians(), base.median());
        double s2 = relativeSd(cell.forkMedians(), cell.median());
        double need = Math.max(forksForAlpha(stat.alpha()), Math.ceil(4 * (s1 * s1 + s2 * s2) / (target * target)));
        return clamp(need, forks, options);
    }

    private static int clamp(double need, int forks, Options options) {
        if (!(need <= options.maxForks())) {
            return options.maxForks();
        }
        return (int) Math.max(need, forks + 1);
    }

    private static double relativeSd(double[] values, double center) {
        if (values.length < 2 || center == 0) {
            return 0;
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / (values.length - 1)) / Math.abs(center);
    }

    /** Operations in one measurement iteration: its length over sec/op, or ops/s times its length. */
    static double opsPerIteration(Row primary, int col) {
        if (primary == null || col >= primary.cells().size()) {
            return Double.NaN;
        }
        Cell c = primary.cell(col);
        double t = c.iterationSeconds();
        if (!c.present() || !(t > 0) || !(c.median() > 0)) {
            return Double.NaN;
        }
        return switch (primary.metric()) {
            case Units.SEC_PER_OP -> t / c.median();
            case Units.OPS_PER_SEC -> t * c.median();
            default -> Double.NaN;
        };
    }

    /** The smallest B/op that stands out from JMH's bookkeeping; 0.5 B/op when ops per iteration are unknown. */
    static double floor(double opsPerIteration, Options options) {
        if (!(opsPerIteration > 0)) {
            return 0.5;
        }
        return Math.max(0.5, options.bookkeepingBytes() / Math.max(1, opsPerIteration));
    }
}
