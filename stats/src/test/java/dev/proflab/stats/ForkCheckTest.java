package dev.proflab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForkCheckTest {

    private static double[] pooled(List<double[]> groups) {
        return groups.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
    }

    @Test
    void kruskalWallisMatchesR() {
        // kruskal.test(list(1:5, 6:10, 11:15)): chi-squared = 12.5, df = 2, p = 0.00193.
        List<double[]> g = List.of(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10},
                new double[] {11, 12, 13, 14, 15});
        assertThat(ForkCheck.kruskalWallisP(g, pooled(g))).isCloseTo(0.0019304541362277095, within(1e-12));
        // With ties (tie-corrected): chi-squared = 8.438, p = 0.01471.
        List<double[]> t = List.of(new double[] {1, 1, 2, 3}, new double[] {2, 3, 3, 4}, new double[] {5, 5, 6, 4});
        assertThat(ForkCheck.kruskalWallisP(t, pooled(t))).isCloseTo(0.014713720985892246, within(1e-12));
    }

    @Test
    void flagsForksThatDisagreeBeyondTheInterval() {
        List<double[]> forks = List.of(new double[] {100.0, 100.1, 99.9, 100.2, 99.8},
                new double[] {108.0, 108.1, 107.9, 108.2, 107.8}, new double[] {116.0, 116.1, 115.9, 116.2, 115.8});
        double[] s = pooled(forks);
        MedianCI ci = MedianCI.of(s.length, 0.95);
        ForkCheck.Result r = ForkCheck.check(forks, s, MedianCI.median(s), ci.lower(s), ci.upper(s), 0);
        assertThat(r).isNotNull();
        assertThat(r.flagged()).isTrue();
        assertThat(r.spread()).isCloseTo(16, within(1e-9));
        assertThat(r.pValue()).isLessThan(0.01);
    }

    @Test
    void quietWhenForksAgree() {
        List<double[]> forks = List.of(new double[] {100.0, 101.0, 99.0, 100.5, 99.5},
                new double[] {99.8, 100.9, 99.1, 100.4, 100.2}, new double[] {100.1, 99.2, 100.7, 99.6, 100.3});
        double[] s = pooled(forks);
        MedianCI ci = MedianCI.of(s.length, 0.95);
        ForkCheck.Result r = ForkCheck.check(forks, s, MedianCI.median(s), ci.lower(s), ci.upper(s), 0);
        assertThat(r.flagged()).isFalse();
        assertThat(r.pValue()).isGreaterThan(0.5);
    }

    @Test
    void ignoresDifferencesUnderOnePercentAndSingleIterationForks() {
        // Forks clearly different statistically, but only by 0.5%: not worth a warning.
        List<double[]> forks = List.of(new double[] {1000.0, 1000.1, 1000.2, 999.9, 999.8},
                new double[] {1005.0, 1005.1, 1005.2, 1004.9, 1004.8});
        double[] s = pooled(forks);
        MedianCI ci = MedianCI.of(s.length, 0.95);
        ForkCheck.Result r = ForkCheck.check(forks, s, MedianCI.median(s), ci.lower(s), ci.upper(s), 0);
        assertThat(r.pValue()).isLessThan(0.01);
        assertThat(r.flagged()).isFalse();
        // One iteration per fork (single-shot runs): no within-fork spread to compare with.
        List<double[]> single = List.of(new double[] {1}, new double[] {2}, new double[] {3});
        assertThat(ForkCheck.check(single, pooled(single), 2, 1, 3, 0)).isNull();
    }
}
