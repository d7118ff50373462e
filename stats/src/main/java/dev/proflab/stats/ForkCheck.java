package dev.proflab.stats;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

/**
 * Detects a fork effect: the forks of one benchmark disagree with each other more than the
 * interval around the pooled median admits.
 *
 * <p>Why it matters: benchstat's interval and test treat every measurement iteration as an
 * independent sample. JMH forks are separate JVMs; each one may JIT-compile, inline, lay out memory
 * or pick GC sizes differently, and then stays in that state for all its iterations. Iterations of
 * one fork are then correlated, the real number of independent observations is closer to the number
 * of forks, and the pooled interval and the U test's p-value are too optimistic.
 *
 * <p>The rule has a statistical and a practical part, and both must hold:
 *
 * <ol>
 *   <li><b>The forks differ.</b> A Kruskal-Wallis test (the rank-based one-way analysis of variance,
 *       the k-sample counterpart of the Mann-Whitney U test used for comparisons) over the
 *       iterations grouped by fork rejects "all forks come from one distribution" at
 *       {@link #ALPHA} = 0.01. The p-value uses the chi-squared approximation with k - 1 degrees of
 *       freedom and the tie correction. The level is stricter than the comparison's alpha because
 *       the check runs on every cell of the table and should not cry wolf.
 *   <li><b>The difference matters.</b> The spread of the fork medians (largest minus smallest) is
 *       larger than the half-width of the interval reported for the pooled median: the forks
 *       disagree by more than the ± shown claims the median is known to. Forks that differ by less
 *       do not change what the table says. Spreads under 1% of the median, and for B/op under one
 *       byte, are ignored as below what matters in practice.
 * </ol>
 *
 * <p>The check needs at least two forks with at least two iterations each and a finite interval;
 * otherwise it is silent (the other warnings cover too few samples).
 */
final class ForkCheck {

    /** Level of the Kruskal-Wallis test. */
    static final double ALPHA = 0.01;

    /** Fork medians closer than this fraction of the median never count as disagreeing. */
    static final double MIN_RELATIVE_SPREAD = 0.01;

    /** What the check found. */
    record Result(int forks, double pValue, double spread, double halfWidth, boolean flagged) {
    }

    private ForkCheck() {
    }

    /**
     * Checks the forks of one cell. Returns null when the check does not apply.
     *
     * @param forks iteration values per fork
     * @param sorted all iterations of all forks, ascending
     * @param median median of all iterations
     * @param lo lower bound of its interval
     * @param hi upper bound of its interval
     * @param minSpread spreads up to this absolute amount never count (e.g. under one byte)
     */
    static Result check(List<double[]> forks, double[] sorted, double median, double lo, double hi,
            double minSpread) {
        if (forks.size() < 2 || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            return null;
        }
        for (double[] f : forks) {
            if (f.length < 2) {
                return null;
            }
        }
        double p = kruskalWallisP(forks, sorted);
        if (Double.isNaN(p)) {
            return null;
        }
        double minMed = Double.POSITIVE_INFINITY;
        double maxMed = Double.NEGATIVE_INFINITY;
        for (double[] f : forks) {
            double[] s = f.clone();
            Arrays.sort(s);
            double m = MedianCI.median(s);
            minMed = Math.min(minMed, m);
            maxMed = Math.max(maxMed, m);
        }
        double spread = maxMed - minMed;
        double halfWidth = Math.max(hi - median, median - lo);
        boolean flagged = p < ALPHA && spread > halfWidth && spread > MIN_RELATIVE_SPREAD * Math.abs(median)
                && spread > minSpread;
        return new Result(forks.size(), p, spread, halfWidth, flagged);
    }

    /**
     * Kruskal-Wallis H test p-value (chi-squared approximation, tie-corrected); NaN if all values are
     * equal. {@code sorted} is every value of every group, ascending: a value's mid-rank is found by
     * binary search in it.
     */
    static double kruskalWallisP(List<double[]> groups, double[] sorted) {
        int total = sorted.length;
        double n = total;
        double h = 0;
        for (double[] g : groups) {
            double rankSum = 0;
            for (double v : g) {
                int first = lowerBound(sorted, v);
                int last = upperBound(sorted, v); // exclusive
                rankSum += (first + 1 + last) / 2.0; // mean of 1-based ranks first+1 .. last
            }
            h += rankSum * rankSum / g.length;
        }
        double tieSum = 0;
        for (int i = 0; i < total; ) {
            int j = i + 1;
            while (j < total && sorted[j] == sorted[i]) {
                j++;
            }
            double t = j - i;
            tieSum += t * t * t - t;
            i = j;
        }
        h = 12 / (n * (n + 1)) * h - 3 * (n + 1);
        double correction = 1 - tieSum / (n * n * n - n);
        if (correction <= 0) {
            return Double.NaN;
        }
        h /= correction;
        return ChiSquaredDistribution.of(groups.size() - 1).survivalProbability(Math.max(h, 0));
    }

    private static int lowerBound(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
