package dev.proflab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proflab.stats.JmhReader.JmhResult;
import dev.proflab.stats.Verdicts.Kind;
import dev.proflab.stats.Verdicts.Verdict;
import dev.proflab.stats.Verdicts.Why;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The verdict rules on constructed data whose answer is known. */
class VerdictsTest {

    static final double T = 0.2; // 200 ms iterations

    /** forks x iterations samples: center x (1 + fork offset + iteration noise). */
    static List<double[]> forks(double center, int forks, int iterations, double forkSpread, double noise, long seed) {
        Random r = new Random(seed);
        List<double[]> out = new ArrayList<>();
        for (int f = 0; f < forks; f++) {
            double offset = forkSpread * (r.nextDouble() * 2 - 1);
            double[] it = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                it[i] = center * (1 + offset + noise * (r.nextDouble() * 2 - 1));
            }
            out.add(it);
        }
        return out;
    }

    static JmhResult result(String impl, List<double[]> secPerOp, List<double[]> bytesPerOp) {
        return new JmhResult("b.B.m", "avgt", Map.of("impl", impl), "s/op", "sec/op", secPerOp, bytesPerOp, T);
    }

    static List<Verdict> verdicts(JmhResult... results) {
        Comparison c = Comparison.compute(List.of(StatInput.of("t", Path.of("t.json"))), List.of(List.of(results)),
                StatOptions.defaults().withColParam("impl", List.of("x", "y")));
        return Verdicts.of(c, Verdicts.Options.defaults());
    }

    static Verdict only(String metric, List<Verdict> vs) {
        return vs.stream().filter(v -> v.metric().equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void aClearDifferenceIsDifferent() {
        Verdict v = only("sec/op", verdicts(result("x", forks(100e-6, 5, 2, 0.01, 0.01, 1), null),
                result("y", forks(50e-6, 5, 2, 0.01, 0.01, 2), null)));
        assertThat(v.kind()).isEqualTo(Kind.DIFFERENT);
        assertThat(v.why()).isEqualTo(Why.NONE);
        assertThat(v.suggestedForks()).isZero();
        assertThat(v.sizeUncertain()).isFalse();
    }

    @Test
    void tightIntervalsAndNoDifferenceIsNoDifference() {
        Verdict v = only("sec/op", verdicts(result("x", forks(100e-6, 5, 2, 0.002, 0.005, 3), null),
                result("y", forks(100e-6, 5, 2, 0.002, 0.005, 4), null)));
        assertThat(v.kind()).isEqualTo(Kind.NO_DIFFERENCE);
        assertThat(v.resolvable()).isLessThanOrEqualTo(0.05);
    }

    @Test
    void aWideSpreadIsInconclusiveWithASuggestionFromTheSpread() {
        Verdict v = only("sec/op", verdicts(result("x", forks(100e-6, 5, 2, 0.0, 0.6, 5), null),
                result("y", forks(100e-6, 5, 2, 0.0, 0.6, 6), null)));
        assertThat(v.cell().delta().significant()).isFalse();
        assertThat(v.kind()).as("never 'no difference' when a 5%% difference could not be seen").isEqualTo(Kind.INCONCLUSIVE);
        assertThat(v.why()).isEqualTo(Why.WIDE_INTERVALS);
        assertThat(v.resolvable()).isGreaterThan(0.05);
        // forks x (resolvable / 5%)^2: the interval's width shrinks as 1/sqrt(n)
        double expected = 5 * Math.pow(v.resolvable() / 0.05, 2);
        assertThat((double) v.suggestedForks()).isCloseTo(Math.min(1000, Math.ceil(expected)), within(1.0));
        assertThat(v.suggestedForks()).isGreaterThan(5);
    }

    @Test
    void theSuggestionGrowsWithTheSquareOfTheSpread() {
        Verdict narrow = only("sec/op", verdicts(result("x", forks(100e-6, 5, 2, 0.0, 0.1, 7), null),
                result("y", forks(100e-6, 5, 2, 0.0, 0.1, 8), null)));
        Verdict wide = only("sec/op", verdicts(result("x", forks(100e-6, 5, 2, 0.0, 0.2, 7), null),
                result("y", forks(100e-6, 5, 2, 0.0, 0.2, 8), null)));
        assertThat(narrow.kind()).isEqualTo(Kind.INCONCLUSIVE);
        assertThat(wide.kind()).isEqualTo(Kind.INCONCLUSIVE);
        // same random draws, twice the spread: about four times the forks
        assertThat((double) wide.suggestedForks() / narrow.suggestedForks()).isCloseTo(4.0, within(0.5));
    }

    @Test
    void tooFewSamplesIsInconclusive() {
        Verdict v = only("sec/op", verdicts(result("x", forks(100e-6, 1, 2, 0, 0.01, 9), null),
                result("y", forks(100e-6, 1, 2, 0, 0.01, 10), null)));
        assertThat(v.kind()).isEqualTo(Kind.INCONCLUSIVE);
        assertThat(v.why()).isEqualTo(Why.TOO_FEW_SAMPLES);
        assertThat(v.suggestedForks()).isGreaterThanOrEqualTo(3); // 6 samples for a finite 95% interval
    }

    @Test
    void forksThatDisagreeOverruleAPooledPValue() {
        // Each fork is tight, but forks land anywhere within ±40%: the pooled U test sees 30+30
        // "independent" samples and p <= 0.05; over 5+5 fork medians the difference is not significant.
        // (With 2 iterations per fork the Kruskal-Wallis check of ForkCheck cannot reach 0.01: the test
        // over fork medians runs whenever both sides have the 4 forks it needs to reach alpha.)
        List<double[]> x = tight(60, 100, 101, 139, 140);
        List<double[]> y = tight(58, 112, 142, 145, 152);
        Comparison c = Comparison.compute(List.of(StatInput.of("t", Path.of("t.json"))),
                List.of(List.of(result("x", scale(x, 1e-6), null), result("y", scale(y, 1e-6), null))),
                StatOptions.defaults().withColParam("impl", List.of("x", "y")));
        Verdict v = only("sec/op", Verdicts.of(c, Verdicts.Options.defaults()));
        assertThat(v.cell().delta().significant()).as("the pooled test alone").isTrue();
        assertThat(v.kind()).isEqualTo(Kind.INCONCLUSIVE);
        assertThat(v.why()).isEqualTo(Why.FORKS_DISAGREE);
        assertThat(v.forkPValue()).isGreaterThan(0.05);
        assertThat(v.suggestedForks()).isGreaterThan(5);
    }

    /** Forks of 6 iterations each, within 0.5% of the given centers. */
    private static List<double[]> tight(double... centers) {
        List<double[]> out = new ArrayList<>();
        for (double c : centers) {
            out.add(new double[] {c, c * 1.001, c * 0.999, c * 1.002, c * 0.998, c * 1.003});
        }
        return out;
    }

    private static List<double[]> scale(List<double[]> forks, double f) {
        return forks.stream().map(a -> java.util.Arrays.stream(a).map(v -> v * f).toArray()).toList();
    }

    @Test
    void bytesBelowTheFloorOfProfGcAreBelowResolution() {
        // fib: recursive 28 ms/op (7 ops in 200 ms) shows JMH's ~6 KiB per iteration as 869 B/op;
        // iterative 5.8 ns/op (34 million ops) as 0.0002 B/op. Neither allocates.
        List<Verdict> vs = verdicts(
                result("x", forks(28e-3, 5, 2, 0.0, 0.01, 11), forks(869, 5, 2, 0, 0.001, 12)),
                result("y", forks(5.8e-9, 5, 2, 0.0, 0.05, 13), forks(0.0002, 5, 2, 0, 0.05, 14)));
        Verdict v = only("B/op", vs);
        assertThat(v.kind()).isEqualTo(Kind.BELOW_RESOLUTION);
        assertThat(v.baseOpsPerIteration()).isCloseTo(0.2 / 28e-3, within(0.5));
        assertThat(v.baseFloor()).isCloseTo(16384 / (0.2 / 28e-3), within(100.0));
        assertThat(v.floor()).isEqualTo(0.5);
    }

    @Test
    void aRealAllocationAgainstOneBelowTheFloorGivesNoRatio() {
        // memo: 437 ns/op, 2.16 KiB/op: far above its floor; recursive's 869 B/op is below its own
        // (2.3 KiB at 7 ops per iteration): no ratio or p-value against JMH's bookkeeping
        List<Verdict> vs = verdicts(
                result("x", forks(28e-3, 5, 2, 0.0, 0.01, 15), forks(869, 5, 2, 0, 0.001, 16)),
                result("y", forks(437e-9, 5, 2, 0.0, 0.05, 17), forks(2208, 5, 2, 0, 0.001, 18)));
        Verdict v = only("B/op", vs);
        assertThat(v.kind()).isEqualTo(Kind.BELOW_RESOLUTION);
        assertThat(v.baseBelowFloor()).isTrue();
        assertThat(v.belowFloor()).isFalse();
    }

    @Test
    void bytesAboveTheFloorCompareAsBefore() {
        List<Verdict> vs = verdicts(
                result("x", forks(160e-6, 5, 2, 0.0, 0.01, 19), forks(1.4e6, 5, 2, 0, 0.001, 20)),
                result("y", forks(106e-6, 5, 2, 0.0, 0.01, 21), forks(1.1e6, 5, 2, 0, 0.001, 22)));
        Verdict v = only("B/op", vs);
        assertThat(v.kind()).isEqualTo(Kind.DIFFERENT);
        assertThat(v.baseBelowFloor()).isFalse();
        assertThat(v.belowFloor()).isFalse();
    }

    @Test
    void withoutTheIterationLengthTheFloorIsHalfAByte() {
        assertThat(Verdicts.floor(Double.NaN, Verdicts.Options.defaults())).isEqualTo(0.5);
        assertThat(Verdicts.floor(8, Verdicts.Options.defaults())).isEqualTo(2048);
    }

    @Test
    void readsJmhIterationLengths() {
        assertThat(JmhReader.seconds("200 ms")).isEqualTo(0.2);
        assertThat(JmhReader.seconds("1 s")).isEqualTo(1.0);
        assertThat(JmhReader.seconds("single-invocation")).isNaN();
        assertThat(JmhReader.seconds("10 us")).isCloseTo(1e-5, within(1e-12));
    }
}
