package dev.proflab.stats;

import java.util.Arrays;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * Two-sided Mann-Whitney U test with benchstat's choice of method (go-moremath
 * {@code stats.MannWhitneyUTest}):
 *
 * <ul>
 *   <li>no ties and both samples &lt;= 50: exact U distribution (commons-statistics, {@code EXACT});
 *   <li>ties and both samples &lt;= 25: exact distribution conditional on the tie pattern
 *       (computed here: commons-statistics has no exact test with ties);
 *   <li>otherwise: normal approximation with tie and continuity correction (commons-statistics,
 *       {@code ASYMPTOTIC}, continuity correction on, which is its default);
 *   <li>all values equal: p = 1 (benchstat reports the test as meaningless and shows {@code ~}).
 * </ul>
 *
 * <p>commons-statistics' own {@code AUTO} would differ from benchstat in two places: it switches to
 * the normal approximation at 50 samples instead of above 50, and it never uses an exact
 * distribution when there are ties, which matters for B/op, where ties are common, and for coarse
 * timings. Both are handled here.
 */
final class MannWhitney {

    static final int EXACT_LIMIT = 50;
    static final int TIES_EXACT_LIMIT = 25;

    private static final MannWhitneyUTest EXACT = MannWhitneyUTest.withDefaults().with(PValueMethod.EXACT);
    private static final MannWhitneyUTest ASYMPTOTIC = MannWhitneyUTest.withDefaults().with(PValueMethod.ASYMPTOTIC);

    private MannWhitney() {
    }

    /** Two-sided p-value for ascending samples x and y (both non-empty). */
    static double pValue(double[] x, double[] y) {
        int n1 = x.length;
        int n2 = y.length;
        if (n1 == 0 || n2 == 0) {
            throw new IllegalArgumentException("empty sample");
        }
        // Tie groups of the merged sample, in ascending order, and the rank sum of x.
        int[] ties = new int[n1 + n2];
        int groups = 0;
        boolean hasTies = false;
        double r1 = 0;
        int i = 0;
        int j = 0;
        int rank = 1;
        while (i < n1 || j < n2) {
            double v = i < n1 && (j >= n2 || x[i] <= y[j]) ? x[i] : y[j];
            int inX = 0;
            int size = 0;
            while (i < n1 && x[i] == v) {
                i++;
                inX++;
                size++;
            }
            while (j < n2 && y[j] == v) {
                j++;
                size++;
            }
            r1 += inX * (rank + (size - 1) / 2.0);
            rank += size;
            ties[groups++] = size;
            if (size > 1) {
                hasTies = true;
            }
        }
        if (groups == 1) {
            return 1;
        }
        if (!hasTies && n1 <= EXACT_LIMIT && n2 <= EXACT_LIMIT) {
            return EXACT.test(x, y).getPValue();
        }
        if (hasTies && n1 <= TIES_EXACT_LIMIT && n2 <= TIES_EXACT_LIMIT) {
            double u1 = r1 - n1 * (n1 + 1) / 2.0;
            double u2 = (double) n1 * n2 - u1;
            if (u1 == u2) {
                return 1;
            }
            return Math.min(1, 2 * exactTiesCdf(Math.min(u1, u2), n1, n2, ties, groups));
        }
        return ASYMPTOTIC.test(x, y).getPValue();
    }

    /**
     * P(U1 &lt;= u) for the U statistic of the first sample (size n1) under the null hypothesis,
     * conditional on the tie pattern: every way of choosing which n1 of the n1 + n2 values belong to
     * the first sample is equally likely.
     *
     * <p>Counts the choices tie group by tie group, in ascending order, as a knapsack over (values
     * of the first sample taken so far, 2U so far). Taking k of a group of size t, with c taken
     * before it, happens in C(t, k) ways; each of the k values is above the {@code before - c} values
     * of the second sample in earlier groups and ties with the {@code t - k} in its own group (half
     * each), so 2U grows by {@code k * (2 * (before - c) + t - k)}. Only 2U up to 2u is tracked: it
     * never decreases.
     */
    static double exactTiesCdf(double u, int n1, int n2, int[] ties, int groups) {
        int limit = (int) Math.floor(2 * u + 1e-9);
        if (limit < 0) {
            return 0;
        }
        double[][] ways = new double[n1 + 1][limit + 1];
        int[] maxS = new int[n1 + 1]; // highest 2U with a non-zero count, per row; -1 when empty
        Arrays.fill(maxS, -1);
        ways[0][0] = 1;
        maxS[0] = 0;
        int before = 0;
        for (int g = 0; g < groups; g++) {
            int t = ties[g];
            for (int c = Math.min(n1 - 1, before); c >= 0; c--) {
                int top = maxS[c];
                if (top < 0) {
                    continue;
                }
                double[] from = ways[c];
                double binom = 1;
                for (int k = 1; k <= t && c + k <= n1; k++) {
                    binom = binom * (t - k + 1) / k;
                    int shift = k * (2 * (before - c) + t - k);
                    int end = Math.min(top, limit - shift);
                    if (end < 0) {
                        continue;
                    }
                    double[] to = ways[c + k];
                    for (int s = 0; s <= end; s++) {
                        to[s + shift] += from[s] * binom;
                    }
                    maxS[c + k] = Math.max(maxS[c + k], end + shift);
                }
            }
            before += t;
        }
        double count = 0;
        for (double w : ways[n1]) {
            count += w;
        }
        return count / choose(n1 + n2, n1);
    }

    private static double choose(int n, int k) {
        double c = 1;
        k = Math.min(k, n - k);
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return c;
    }

    /**
     * The fewest samples per side with which the test can reach {@code alpha} at all ({@link #minPValue} of n
     * and n at most alpha): 4 for 0.05; at most 1,000.
     */
    static int samplesFor(double alpha) {
        int n = 1;
        while (minPValue(n, n) > alpha && n < 1000) {
            n++;
        }
        return n;
    }

    /**
     * The smallest two-sided p-value the test can give for sample sizes n1 and n2: both samples
     * completely separated, exact distribution, {@code 2 / C(n1 + n2, n1)}. When this is above
     * alpha no difference can ever be significant.
     */
    static double minPValue(int n1, int n2) {
        if (n1 < 1 || n2 < 1) {
            return 1;
        }
        double c = 1;
        int k = Math.min(n1, n2);
        int n = n1 + n2;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return Math.min(1, 2 / c);
    }
}
