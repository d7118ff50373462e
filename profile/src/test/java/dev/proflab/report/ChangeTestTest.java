package dev.proflab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChangeTestTest {

    // ---- synthetic profiles ---------------------------------------------------------------------

    /** Functions of the synthetic program and their shares of the CPU: a few large ones, many small ones. */
    static final double[] WEIGHTS = weights();

    private static double[] weights() {
        double[] w = new double[24];
        double[] large = {0.22, 0.15, 0.12, 0.10, 0.08, 0.06};
        System.arraycopy(large, 0, w, 0, large.length);
        for (int i = large.length; i < w.length; i++) {
            w[i] = 0.27 / (w.length - large.length);
        }
        return w;
    }

    /**
     * How much the weights of one run differ from another's (relative standard deviation): 5%, as JIT decisions
     * make the share of one function of the calibration program differ between its runs (docs/diff-significance.md).
     */
    static final double RUN_SD = 0.05;

    /** The function made heavier in the B variant: 6% of the samples, 2.5x the work. */
    static final int HEAVIER = 5;

    /**
     * One recording of {@code samples} samples (10 ms apart), cut into 8 time blocks, of a program that runs in
     * phases: each sample stays in the function of the previous one with probability {@code 1 - 1/dwell} (runs of
     * {@code dwell} samples on average, as a phase of a real program makes), else goes to a function drawn by its
     * weight. Each run of the program has its own weights, the program's times {@code exp(runSd * N(0, 1))}, as two
     * JVMs compile the same code differently. Items: the functions' counts, then three callers of groups of them
     * (their sums), then a duplicate of item 0 (the same counts: one hypothesis).
     */
    static ChangeTest.Replicates recording(SplittableRandom rnd, double[] weights, int samples, double dwell, double runSd) {
        int f = weights.length;
        double[] w = new double[f];
        double sum = 0;
        for (int i = 0; i < f; i++) {
            w[i] = weights[i] * Math.exp(runSd * gaussian(rnd));
            sum += w[i];
        }
        double[] cdf = new double[f];
        double acc = 0;
        for (int i = 0; i < f; i++) {
            acc += w[i] / sum;
            cdf[i] = acc;
        }
        int blocks = 8;
        long[] totals = new long[blocks];
        long[][] counts = new long[blocks][f + 4];
        int at = draw(rnd, cdf);
        for (int s = 0; s < samples; s++) {
            if (rnd.nextDouble() < 1 / dwell) {
                at = draw(rnd, cdf);
            }
            int b = (int) ((long) s * blocks / samples);
            totals[b]++;
            counts[b][at]++;
        }
        for (long[] row : counts) {
            row[f] = row[0] + row[1];             // a caller of the two largest
            row[f + 1] = row[2] + row[3] + row[4];
            row[f + 2] = Arrays.stream(row, 6, f).sum();   // the caller of the small ones
            row[f + 3] = row[0];                   // a frame only ever called from function 0
        }
        return ChangeTest.Replicates.ofBlocks(totals, counts);
    }

    private static int draw(SplittableRandom rnd, double[] cdf) {
        double u = rnd.nextDouble();
        for (int i = 0; i < cdf.length; i++) {
            if (u < cdf[i]) {
                return i;
            }
        }
        return cdf.length - 1;
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller: SplittableRandom has no nextGaussian before Java 17's RandomGenerator default
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    static double[] heavier(double[] weights, int item, double factor) {
        double[] w = weights.clone();
        w[item] *= factor;
        return w;
    }

    static ChangeTest.Replicates side(SplittableRandom rnd, double[] weights, int recordings) {
        return side(rnd, weights, recordings, 600, 8);
    }

    static ChangeTest.Replicates side(SplittableRandom rnd, double[] weights, int recordings, int samples, double dwell) {
        ChangeTest.Replicates[] r = new ChangeTest.Replicates[recordings];
        for (int i = 0; i < recordings; i++) {
            r[i] = recording(rnd, weights, samples, dwell, RUN_SD);
        }
        return ChangeTest.Replicates.concat(r);
    }

    /** In how many of {@code runs} comparisons of {@code recordings} vs {@code recordings}: [any item, item HEAVIER]. */
    static int[] simulate(long seed, int runs, int recordings, double factor, int samples, double dwell) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int any = 0;
        int heavier = 0;
        double[] b = heavier(WEIGHTS, HEAVIER, factor);
        for (int r = 0; r < runs; r++) {
            ChangeTest.Result res = ChangeTest.test(side(rnd, WEIGHTS, recordings, samples, dwell),
                    side(rnd, b, recordings, samples, dwell));
            any += res.significantCount() > 0 ? 1 : 0;
            heavier += res.significant()[HEAVIER] ? 1 : 0;
        }
        return new int[]{any, heavier};
    }

    /**
     * A/A: 3 vs 3 recordings of the same synthetic program, 400 times, with long phases (runs of 8 samples on
     * average) or with 3000 samples per recording. Under the complete null Benjamini–Hochberg's false discovery
     * rate is the probability of flagging anything at all, at most alpha = 5% when the p-values are right. The
     * count of runs with a flag is then binomial(400, p), p <= 0.05: mean at most 20, standard deviation at most
     * sqrt(400 * 0.05 * 0.95) = 4.36. The bound 20 + 4 * 4.36 = 37 is passed by chance with probability under 1e-4
     * for any seed, so the test fails only when the false alarm rate is really above 5%. Measured over 20
     * seeds: 1.0% to 3.3% of runs (mean 2.0%) with long phases, 2.3% to 4.5% (mean 3.5%) with 3000 samples.
     * The old two-proportion z-test flags nearly every run of such data (below).
     */
    @ParameterizedTest
    @CsvSource({"600, 8, 20261207", "3000, 3, 20261208"})
    void sameProgramIsRarelyFlagged(int samples, double dwell, long seed) {
        int runs = 400;
        int[] r = simulate(seed, runs, 3, 1.0, samples, dwell);
        double sd = Math.sqrt(runs * 0.05 * 0.95);
        assertThat(r[0]).isLessThanOrEqualTo((int) Math.floor(runs * 0.05 + 4 * sd));
    }

    /**
     * A/B: 3 vs 3 recordings of 3000 samples, one function of 6% made 2.5x heavier (about 14% after), 200 times.
     * Measured over 20 seeds: 196 to 200 of 200 (mean 99.1%). The bound, 95%, is more than 5 standard
     * deviations of a binomial(200, 0.99) (1.4 runs) below that. With 600 samples per recording and runs of 8
     * samples, as in the first A/A case, the same change is found in 8% to 17% of the runs: long phases leave
     * few independent samples.
     */
    @Test
    void aFunctionTwoAndAHalfTimesHeavierIsFound() {
        int runs = 200;
        int[] r = simulate(7L, runs, 3, 2.5, 3000, 3);
        assertThat(r[1]).isGreaterThanOrEqualTo((int) Math.ceil(runs * 0.95));
    }

    @Test
    void theOldTestFlagsTheSameProgramNearlyAlways() {
        // the reason for all this: Diff.z on the summed counts of one recording per side, every sample independent
        SplittableRandom rnd = new SplittableRandom(3);
        int flagged = 0;
        for (int r = 0; r < 100; r++) {
            long[] a = sums(recording(rnd, WEIGHTS, 600, 8, RUN_SD));
            long[] b = sums(recording(rnd, WEIGHTS, 600, 8, RUN_SD));
            boolean any = false;
            for (int i = 0; i < a.length - 1; i++) {
                any |= Math.abs(OldZTest.z(a[i], a[a.length - 1], b[i], b[b.length - 1])) >= OldZTest.Z_CRITICAL;
            }
            flagged += any ? 1 : 0;
        }
        assertThat(flagged).isGreaterThan(80);
    }

    /** Per item its samples, then the total. */
    private static long[] sums(ChangeTest.Replicates r) {
        long[] s = new long[r.items() + 1];
        for (int k = 0; k < r.replicates(); k++) {
            for (int i = 0; i < r.items(); i++) {
                s[i] += r.counts()[k][i];
            }
            s[r.items()] += r.totals()[k];
        }
        return s;
    }

    // ---- what cannot be claimed -----------------------------------------------------------------

    @Test
    void oneRecordingPerSideClaimsNothingEvenForAHugeChange() {
        SplittableRandom rnd = new SplittableRandom(11);
        ChangeTest.Replicates a = recording(rnd, WEIGHTS, 600, 8, RUN_SD);
        ChangeTest.Replicates b = recording(rnd, heavier(WEIGHTS, HEAVIER, 10), 600, 8, RUN_SD);
        ChangeTest.Result r = ChangeTest.test(a, b);
        assertThat(r.limitation()).isEqualTo("One recording on each side cannot tell a change from the differences"
                + " between runs of the same program (the JIT compiles each run differently): record at least 3 per"
                + " side to claim one.");
        assertThat(r.significantCount()).isZero();
        assertThat(r.replicates()).isEqualTo("time blocks");
        // the blocks still say what differs beyond the noise within the two recordings
        assertThat(r.qValues()[HEAVIER]).isLessThan(0.05);
    }

    @Test
    void twoRecordingsOnOneSideAreNotEnoughEither() {
        SplittableRandom rnd = new SplittableRandom(12);
        ChangeTest.Result r = ChangeTest.test(side(rnd, WEIGHTS, 2), side(rnd, heavier(WEIGHTS, HEAVIER, 10), 3));
        assertThat(r.limitation()).startsWith("2 recordings on the base cannot tell a change");
        assertThat(r.significantCount()).isZero();
    }

    @Test
    void tooFewSamplesClaimNothing() {
        SplittableRandom rnd = new SplittableRandom(13);
        ChangeTest.Replicates a = ChangeTest.Replicates.concat(recording(rnd, WEIGHTS, 30, 8, RUN_SD),
                recording(rnd, WEIGHTS, 30, 8, RUN_SD), recording(rnd, WEIGHTS, 30, 8, RUN_SD));
        ChangeTest.Result r = ChangeTest.test(a, side(rnd, WEIGHTS, 3));
        assertThat(r.limitation()).isEqualTo("The base has only 90 samples, fewer than the 100 per side with which a"
                + " change of share can be told from noise.");
        assertThat(r.significantCount()).isZero();
        assertThat(r.tested()).isZero();
        assertThat(r.pValues()).containsOnly(Double.NaN);
    }

    // ---- what is tested ---------------------------------------------------------------------------

    @Test
    void itemsWithFewSamplesAreNotTestedAndEqualCountsAreOneHypothesis() {
        SplittableRandom rnd = new SplittableRandom(14);
        ChangeTest.Replicates a = side(rnd, WEIGHTS, 3);
        ChangeTest.Replicates b = side(rnd, WEIGHTS, 3);
        ChangeTest.Result r = ChangeTest.test(a, b);
        assertThat(r.limitation()).isNull();
        assertThat(r.replicates()).isEqualTo("recordings");
        int items = WEIGHTS.length + 4;
        int tested = 0;
        for (int i = 0; i < items; i++) {
            long n = sums(a)[i] + sums(b)[i];
            assertThat(Double.isNaN(r.pValues()[i])).as("item %d with %d samples", i, n).isEqualTo(n < 20);
            tested += n >= 20 ? 1 : 0;
        }
        assertThat(r.tested()).isEqualTo(tested);
        // the last item has function 0's counts everywhere: the same p-value, one hypothesis fewer
        assertThat(r.pValues()[items - 1]).isEqualTo(r.pValues()[0]);
        assertThat(r.hypotheses()).isEqualTo(tested - 1);
        assertThat(r.baseShares()[0]).isCloseTo((double) sums(a)[0] / sums(a)[items], within(1e-12));
    }

    @Test
    void recordingsOfTheSameProgramMayComeInAnyOrderOfBlocks() {
        SplittableRandom rnd = new SplittableRandom(15);
        ChangeTest.Replicates a = side(rnd, WEIGHTS, 3);
        ChangeTest.Replicates b = side(rnd, heavier(WEIGHTS, HEAVIER, 2.5), 3);
        // the same blocks, reversed: the recording numbers say which belong together
        int n = a.replicates();
        long[] t = new long[n];
        long[][] c = new long[n][];
        int[] of = new int[n];
        for (int k = 0; k < n; k++) {
            t[k] = a.totals()[n - 1 - k];
            c[k] = a.counts()[n - 1 - k];
            of[k] = a.recordingOf()[n - 1 - k];
        }
        ChangeTest.Result r1 = ChangeTest.test(a, b);
        ChangeTest.Result r2 = ChangeTest.test(new ChangeTest.Replicates(t, c, of), b);
        assertThat(r2.pValues()).containsExactly(r1.pValues());
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> new ChangeTest.Replicates(new long[]{10}, new long[][]{{11}}, new int[]{0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count 11 is not from 0 to its total 10");
        assertThatThrownBy(() -> new ChangeTest.Replicates(new long[]{10, 10}, new long[][]{{1}}, new int[]{0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be as many");
        assertThatThrownBy(() -> new ChangeTest.Replicates(new long[]{10, 10}, new long[][]{{1}, {1, 2}}, new int[]{0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replicate 1 has 2 items");
        assertThatThrownBy(() -> new ChangeTest.Replicates(new long[]{10}, new long[][]{{1}}, new int[]{1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recording number 1 is not from 0 to 0");
        ChangeTest.Replicates one = ChangeTest.Replicates.ofRecordings(new long[]{10}, new long[][]{{1}});
        ChangeTest.Replicates two = ChangeTest.Replicates.ofRecordings(new long[]{10}, new long[][]{{1, 2}});
        assertThatThrownBy(() -> ChangeTest.test(one, two)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChangeTest.test(one, one, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- Benjamini-Hochberg ---------------------------------------------------------------------

    @Test
    void benjaminiHochbergAsRsPAdjust() {
        // p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH") in R: 0.02 0.04 0.04 0.02
        assertThat(ChangeTest.benjaminiHochberg(new double[]{0.01, 0.04, 0.03, 0.005}))
                .containsExactly(new double[]{0.02, 0.04, 0.04, 0.02}, within(1e-12));
        // p.adjust(c(0.5, 0.9, 0.001, 0.001, 1), "BH"): 0.8333333 1.0000000 0.0025000 0.0025000 1.0000000
        assertThat(ChangeTest.benjaminiHochberg(new double[]{0.5, 0.9, 0.001, 0.001, 1}))
                .containsExactly(new double[]{0.5 * 5 / 3, 1, 0.0025, 0.0025, 1}, within(1e-12));
        assertThat(ChangeTest.benjaminiHochberg(new double[0])).isEmpty();
        assertThatThrownBy(() -> ChangeTest.benjaminiHochberg(new double[]{Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- time blocks ----------------------------------------------------------------------------

    @Test
    void sixSecondsOfSixHundredSamplesMakeEightBlocks() {
        long[] times = new long[600];
        Arrays.setAll(times, i -> i * 10_000_000L);   // 0 to 5.99 s
        ChangeTest.Blocks b = ChangeTest.blocks(times, null);
        assertThat(b.count()).isEqualTo(8);
        assertThat(b.of(0)).isZero();
        assertThat(b.of(times[599])).isEqualTo(7);
        assertThat(b.of(-5)).isZero();
        assertThat(b.of(Long.MAX_VALUE)).isEqualTo(7);
        int[] per = new int[8];
        for (long t : times) {
            per[b.of(t)]++;
        }
        assertThat(per).containsOnly(75);
    }

    @Test
    void blocksNeedFiftySamplesAndHalfASecondEach() {
        long[] sixSeconds = new long[120];
        Arrays.setAll(sixSeconds, i -> i * 50_000_000L);
        assertThat(ChangeTest.blocks(sixSeconds, null).count()).isEqualTo(2);   // 120 samples / 50
        long[] oneSecond = new long[1000];
        Arrays.setAll(oneSecond, i -> i * 1_000_000L);
        assertThat(ChangeTest.blocks(oneSecond, null).count()).isEqualTo(1);    // 0.999 s / 0.5 s
        long[] weighted = {0, 1_000_000_000L, 2_000_000_000L, 3_000_000_000L};
        assertThat(ChangeTest.blocks(weighted, new long[]{40, 40, 40, 40}).count()).isEqualTo(3);   // 160 samples
        assertThat(ChangeTest.blocks(new long[0], null).count()).isEqualTo(1);
        assertThat(ChangeTest.blockCount(600, 6_000_000_000L)).isEqualTo(8);
        assertThat(ChangeTest.blockCount(600, 2_000_000_000L)).isEqualTo(4);
        assertThat(ChangeTest.blockCount(0, 0)).isEqualTo(1);
        assertThat(ChangeTest.blocks(new long[]{5}, null).count()).isEqualTo(1);
        assertThatThrownBy(() -> ChangeTest.blocks(new long[]{1}, new long[]{1, 2}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
