package dev.proflab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Order-statistic intervals of the median, against binomial values and go-moremath's QuantileCI tests. */
class MedianCITest {

    private static void check(MedianCI ci, int lo, int hi, double confidence) {
        assertThat(ci.lo()).as("lo order").isEqualTo(lo);
        assertThat(ci.hi()).as("hi order").isEqualTo(hi);
        assertThat(ci.confidence()).as("achieved confidence").isCloseTo(confidence, within(1e-9));
    }

    @Test
    void fiveSamplesAreTooFewFor95Percent() {
        // Binomial(5, 1/2): even x(1)..x(5) only covers 1 - 2/32 = 0.9375 < 0.95, so one more bucket
        // is needed, the left one (-inf..x(1)) on the tie: benchstat shows ±∞.
        MedianCI ci = MedianCI.of(5, 0.95);
        check(ci, 0, 5, 31.0 / 32);
        assertThat(ci.finite()).isFalse();
        double[] s = {1, 2, 3, 4, 5};
        assertThat(ci.lower(s)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(ci.upper(s)).isEqualTo(5);
    }

    @Test
    void sixSamplesSpanMinToMax() {
        // P(1 <= K <= 5) for Binomial(6, 1/2) = 62/64 = 0.96875: the interval is x(1)..x(6).
        MedianCI ci = MedianCI.of(6, 0.95);
        check(ci, 1, 6, 0.96875);
        assertThat(ci.finite()).isTrue();
        double[] s = {10, 11, 12, 13, 14, 15};
        assertThat(ci.lower(s)).isEqualTo(10);
        assertThat(ci.upper(s)).isEqualTo(15);
    }

    @Test
    void tenSamples() {
        // The textbook 95% interval for n=10 is x(2)..x(9) with 97.85% coverage.
        check(MedianCI.of(10, 0.95), 2, 9, 0.978515625);
    }

    @Test
    void twentySamples() {
        // n=20: x(6)..x(15), P(6 <= K <= 14) = 0.95861.
        check(MedianCI.of(20, 0.95), 6, 15, 0.9586105346679688);
    }

    @Test
    void fiftySamplesUseTheLeftBiasedNormalApproximation() {
        // Above 30 go-moremath uses a normal approximation with continuity correction: [18, 33) rounds
        // out symmetric with 96.6%, and dropping the right band still covers 95.0%, so it left-biases to
        // x(18)..x(32). (The exact binomial answer would be x(18)..x(33); benchstat's is reproduced.)
        MedianCI ci = MedianCI.of(50, 0.95);
        assertThat(ci.lo()).isEqualTo(18);
        assertThat(ci.hi()).isEqualTo(32);
        assertThat(ci.confidence()).isBetween(0.95, 0.96);
    }

    @Test
    void goMoremathQuantileCIVectors() {
        // From go-moremath stats/quantileci_test.go, q = 0.5.
        check(MedianCI.compute(4, 0.001), 2, 3, 0.375);
        check(MedianCI.compute(4, 0.375), 2, 3, 0.375);
        check(MedianCI.compute(4, 0.3750001), 1, 3, 0.375 + 0.25); // left-biased
        check(MedianCI.compute(4, 1), 0, 5, 1);
        check(MedianCI.compute(4, 0.99), 0, 5, 1);
        check(MedianCI.compute(4, 0.99 - 0.0625), 0, 4, 0.375 + 2 * 0.25 + 0.0625);
        check(MedianCI.compute(5, 0.001), 2, 3, 0.3125);
        check(MedianCI.compute(5, 0.3125), 2, 3, 0.3125);
        check(MedianCI.compute(5, 0.3125001), 2, 4, 0.3125 * 2);
        check(MedianCI.compute(5, 0.99), 0, 6, 1);
        check(MedianCI.compute(5, 0.99 - 0.03125), 0, 5, 1 - 0.03125);
    }

    @Test
    void samplesNeededMatchesBenchstat() {
        // benchstat: "need >= 6 samples for confidence interval at level 0.95".
        assertThat(MedianCI.samplesNeeded(0.95)).isEqualTo(6);
        assertThat(MedianCI.samplesNeeded(0.99)).isEqualTo(8);
        assertThat(MedianCI.samplesNeeded(0.90)).isEqualTo(5);
    }

    @Test
    void median() {
        assertThat(MedianCI.median(new double[] {1, 2, 3})).isEqualTo(2);
        assertThat(MedianCI.median(new double[] {1, 2, 3, 10})).isEqualTo(2.5);
        assertThat(MedianCI.median(new double[] {7})).isEqualTo(7);
    }
}
