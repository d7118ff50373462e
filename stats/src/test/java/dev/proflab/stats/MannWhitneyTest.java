package dev.proflab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Two-sided Mann-Whitney U p-values. Expected values are R's {@code wilcox.test(x, y)} (the same as
 * scipy's {@code mannwhitneyu}: exact without ties, normal approximation with tie and continuity
 * correction otherwise) and, for small samples with ties, a brute-force enumeration written here.
 */
class MannWhitneyTest {

    private static double p(double[] x, double[] y) {
        double[] a = x.clone();
        double[] b = y.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        return MannWhitney.pValue(a, b);
    }

    @Test
    void exactWithoutTiesRExample() {
        // R's ?wilcox.test example: wilcox.test(x, y, alternative = "g") gives W = 35, p = 0.1272;
        // two-sided it is 0.2544.
        double[] x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
        double[] y = {1.15, 0.88, 0.90, 0.74, 1.21};
        assertThat(p(x, y)).isCloseTo(0.2544122544122544, within(1e-12));
        assertThat(p(y, x)).isCloseTo(0.2544122544122544, within(1e-12));
    }

    @Test
    void exactCompletelySeparated() {
        // wilcox.test(1:5, 6:10): W = 0, p = 2 / choose(10, 5) = 0.007937.
        assertThat(p(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10})).isCloseTo(2.0 / 252, within(1e-15));
        double[] x = new double[12];
        double[] y = new double[12];
        for (int i = 0; i < 12; i++) {
            x[i] = i;
            y[i] = i + 2.5;
        }
        assertThat(p(x, y)).isCloseTo(0.12768789966259345, within(1e-12));
    }

    @Test
    void exactAtFiftyLikeBenchstat() {
        // 50 + 50 distinct values: benchstat (and R) use the exact distribution up to 50;
        // commons-statistics' AUTO would switch to the normal approximation (p = 5.82e-6) at 50.
        double[] u = {0.255294, 0.841745, 0.673114, 0.083234, 0.016691, 0.01456, 0.755587, 0.249559, 0.109489,
            0.624802, 0.344423, 0.069515, 0.159626, 0.52738, 0.168145, 0.272914, 0.71159, 0.454702, 0.322002,
            0.473771, 0.023635, 0.386557, 0.420919, 0.188039, 0.108762, 0.899819, 0.510116, 0.209091, 0.605649,
            0.81704, 0.020818, 0.017865, 0.146462, 0.718835, 0.160228, 0.704606, 0.678176, 0.544702, 0.2206,
            0.975595, 0.797811, 0.5166, 0.223196, 0.648506, 0.394898, 0.575846, 0.321246, 0.630948, 0.058785,
            0.298606};
        double[] v = {1.117903, 1.025534, 0.456387, 1.008514, 0.460364, 1.089288, 0.893842, 0.566172, 0.402358,
            0.15848, 1.028718, 0.187917, 0.969414, 1.112201, 0.720281, 0.321517, 1.017781, 1.123775, 0.854023,
            0.658874, 0.527969, 0.496931, 0.355762, 0.824153, 0.58295, 0.344119, 0.254424, 0.815958, 0.446073,
            0.6498, 0.475346, 1.021622, 1.049678, 0.168093, 0.350853, 0.477741, 1.13705, 0.9327, 0.489096,
            0.36303, 0.824455, 0.987701, 1.082187, 0.49385, 1.032393, 0.83711, 0.634499, 1.135508, 0.38464,
            0.875465};
        assertThat(p(u, v)).isCloseTo(3.0283324869722246e-06, within(1e-12));
    }

    @Test
    void normalApproximationAboveFifty() {
        // 60 + 60 without ties: normal approximation with continuity correction.
        double[] x = new double[60];
        double[] y = new double[60];
        for (int i = 0; i < 60; i++) {
            x[i] = i;
            y[i] = i + 7.5;
        }
        assertThat(p(x, y)).isCloseTo(0.02694585619564296, within(1e-12));
    }

    @Test
    void normalApproximationWithTies() {
        // Ties and more than 25 values: R's wilcox.test (exact = FALSE, correct = TRUE) and scipy agree:
        // tie-corrected normal approximation with continuity correction.
        double[] a = new double[30];
        double[] b = new double[28];
        for (int i = 0; i < 30; i++) {
            a[i] = i / 3;
        }
        for (int i = 0; i < 28; i++) {
            b[i] = i / 3 + 2;
        }
        assertThat(p(a, b)).isCloseTo(0.03983415965714246, within(1e-12));
    }

    @Test
    void exactWithTiesUpToTwentyFiveLikeBenchstat() {
        // benchstat's documented example (gob, 10 + 10 with ties) shows p=0.446: the exact
        // distribution conditional on the ties (go-moremath MannWhitneyTiesExactLimit = 25), where R's
        // normal approximation says 0.4487. Checked against enumerating all C(20, 10) assignments.
        double[] old = BenchstatConformanceTest.OLD_GOB;
        double[] now = BenchstatConformanceTest.NEW_GOB;
        assertThat(p(old, now)).isCloseTo(0.4461018857303687, within(1e-12));
        // Ties and n = 10: R would use the normal approximation (p = 0.005293); exact gives less.
        double[] a = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
        double[] b = {3, 4, 4, 5, 5, 6, 6, 7, 7, 8};
        assertThat(p(a, b)).isCloseTo(bruteForce(a, b), within(1e-12));
    }

    @Test
    void exactWithTiesForSmallSamples() {
        // Checked against a brute-force enumeration of all C(n1 + n2, n1) label assignments.
        assertThat(p(new double[] {1, 2, 2, 3, 5}, new double[] {2, 3, 4, 4, 6, 7}))
                .isCloseTo(0.12554112554112554, within(1e-12));
        assertThat(p(new double[] {1, 1, 2, 3, 3, 3}, new double[] {3, 4, 4, 5, 1}))
                .isCloseTo(0.1471861471861472, within(1e-12));
        assertThat(p(new double[] {1, 1, 2, 3, 3, 3}, new double[] {3, 4, 4, 5, 1}))
                .isCloseTo(bruteForce(new double[] {1, 1, 2, 3, 3, 3}, new double[] {3, 4, 4, 5, 1}), within(1e-12));
        // Typical B/op: every sample identical within a column.
        double[] old = {24, 24, 24, 24, 24};
        double[] now = {48, 48, 48, 48, 48};
        assertThat(p(old, now)).isCloseTo(2.0 / 252, within(1e-15));
    }

    @Test
    void allEqualIsNotSignificant() {
        assertThat(p(new double[] {96, 96, 96}, new double[] {96, 96, 96, 96})).isEqualTo(1);
        assertThat(p(new double[] {5}, new double[] {5})).isEqualTo(1);
    }

    @Test
    void minimumPValueMatchesBenchstatTable() {
        // benchmath's uTestMinP, generated by running the test on maximally separated samples.
        double[] table = {1, 1, 0.3333333333333333, 0.1, 0.02857142857142857, 0.007936507936507936,
            0.0021645021645021645, 0.0005827505827505828, 0.0001554001554001554, 4.113533525298231e-05};
        for (int n = 1; n < table.length; n++) {
            assertThat(MannWhitney.minPValue(n, n)).as("n=%d", n).isCloseTo(table[n], within(1e-15));
            double[] x = new double[n];
            double[] y = new double[n];
            Arrays.fill(x, -1);
            Arrays.fill(y, 1);
            if (n > 1) {
                assertThat(p(x, y)).as("separated n=%d", n).isCloseTo(table[n], within(1e-15));
            }
        }
        assertThat(MannWhitney.minPValue(3, 4)).isCloseTo(2.0 / 35, within(1e-15));
    }

    /** 2 * P(U1 <= min(U1, U2)) over all equally likely assignments of labels, or 1 if U1 == U2. */
    private static double bruteForce(double[] x, double[] y) {
        int n1 = x.length;
        int n = n1 + y.length;
        double[] all = new double[n];
        System.arraycopy(x, 0, all, 0, n1);
        System.arraycopy(y, 0, all, n1, y.length);
        double[] rank = new double[n];
        for (int i = 0; i < n; i++) {
            int less = 0;
            int same = 0;
            for (double v : all) {
                if (v < all[i]) {
                    less++;
                } else if (v == all[i]) {
                    same++;
                }
            }
            rank[i] = less + (same + 1) / 2.0;
        }
        double r1 = 0;
        for (int i = 0; i < n1; i++) {
            r1 += rank[i];
        }
        double u1 = r1 - n1 * (n1 + 1) / 2.0;
        double u2 = (double) n1 * y.length - u1;
        if (u1 == u2) {
            return 1;
        }
        double us = Math.min(u1, u2);
        int count = 0;
        int total = 0;
        for (int mask = 0; mask < 1 << n; mask++) {
            if (Integer.bitCount(mask) != n1) {
                continue;
            }
            double r = 0;
            for (int i = 0; i < n; i++) {
                if ((mask & 1 << i) != 0) {
                    r += rank[i];
                }
            }
            total++;
            if (r - n1 * (n1 + 1) / 2.0 <= us + 1e-9) {
                count++;
            }
        }
        return Math.min(1, 2.0 * count / total);
    }
}
