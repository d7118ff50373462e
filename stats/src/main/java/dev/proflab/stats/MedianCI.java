package dev.proflab.stats;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The distribution-free confidence interval of a median from order statistics, computed exactly as
 * benchstat does (go-moremath {@code stats.QuantileCI(n, 0.5, confidence)}).
 *
 * <p>The number of samples below the population median is Binomial(n, 1/2). For n &lt;= 30 the
 * interval starts at the mode and adds the more probable neighbouring bucket (the left one on a tie)
 * until the covered probability reaches the confidence; above 30 a normal approximation with
 * continuity correction is used, left-biased by one bucket when that still reaches the confidence.
 * The result is a pair of 1-based order statistics {@code [lo, hi]}: the interval is
 * {@code x(lo)..x(hi)} of the sorted sample. {@code lo == 0} or {@code hi == n + 1} mean the
 * interval is unbounded on that side: the sample is too small for the confidence asked.
 *
 * @param n sample size
 * @param lo 1-based order statistic of the lower bound, 0 for minus infinity
 * @param hi 1-based order statistic of the upper bound, n + 1 for plus infinity
 * @param confidence the confidence actually achieved, at least the one asked for
 */
record MedianCI(int n, int lo, int hi, double confidence) {

    /** Above this size the normal approximation is used, as in go-moremath. */
    static final int APPROX_THRESHOLD = 30;

    private record Key(int n, double confidence) {
    }

    private static final ConcurrentHashMap<Key, MedianCI> CACHE = new ConcurrentHashMap<>();

    static MedianCI of(int n, double confidence) {
        return CACHE.computeIfAbsent(new Key(n, confidence), k -> compute(k.n, k.confidence));
    }

    /** True when both bounds are sample values. */
    boolean finite() {
        return lo > 0 && hi <= n;
    }

    /** The lower bound from an ascending sample of size n. */
    double lower(double[] sorted) {
        return lo < 1 ? Double.NEGATIVE_INFINITY : sorted[lo - 1];
    }

    /** The upper bound from an ascending sample of size n. */
    double upper(double[] sorted) {
        return hi - 1 >= sorted.length ? Double.POSITIVE_INFINITY : sorted[hi - 1];
    }

    /** The smallest sample size with a finite interval at this confidence, or -1 if more than 50. */
    static int samplesNeeded(double confidence) {
        for (int n = 2; n <= 50; n++) {
            if (of(n, confidence).finite()) {
                return n;
            }
        }
        return -1;
    }

    /** The median of an ascending, non-empty sample (mean of the middle two for even n). */
    static double median(double[] sorted) {
        int n = sorted.length;
        int mid = n / 2;
        return (n & 1) == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static MedianCI compute(int n, double confidence) {
        if (confidence >= 1) {
            return new MedianCI(n, 0, n + 1, 1);
        }
        if (n <= 0) {
            return new MedianCI(n, 0, n + 1, 1);
        }
        int l;
        int r;
        double achieved;
        if (n <= APPROX_THRESHOLD) {
            double[] pmf = halfBinomialPmf(n);
            // Start at the (lower) mode and grow towards the more probable side, left on ties.
            int x = (int) Math.ceil((n + 1) * 0.5) - 1;
            double accum = pmf(pmf, x);
            l = x;
            r = x + 1;
            double lp = pmf(pmf, l - 1);
            double rp = pmf(pmf, r);
            while (accum < confidence && (lp > 0 || rp > 0)) {
                if (lp >= rp) {
                    accum += lp;
                    l--;
                    lp = pmf(pmf, l - 1);
                } else {
                    accum += rp;
                    r++;
                    rp = pmf(pmf, r);
                }
            }
            achieved = accum;
        } else {
            double mu = n * 0.5;
            NormalDistribution norm = NormalDistribution.of(mu, Math.sqrt(n * 0.25));
            double alpha = (1 - confidence) / 2;
            double l1 = norm.inverseCumulativeProbability(alpha);
            double r1 = 2 * mu - l1;
            // Round out to the bands [k - 0.5, k + 0.5] of the continuity correction.
            l = (int) Math.floor(Math.floor(l1 - 0.5) + 0.5) + 1;
            r = (int) Math.floor(Math.ceil(r1 - 0.5) + 0.5) + 1;
            achieved = band(norm, l, r);
            double biased = band(norm, l, r - 1);
            if (biased >= confidence && biased < achieved) {
                achieved = biased;
                r = r - 1;
            }
            if (l <= 0 && r >= n + 1) {
                achieved = 1;
            }
        }
        l = Math.max(l, 0);
        r = Math.min(r, n + 1);
        return new MedianCI(n, l, r, achieved);
    }

    /**
     * Binomial(n, 1/2) probabilities C(n, k) / 2^n. For n &lt;= 30 both factors are exact doubles,
     * so symmetric buckets compare equal and the left bias on ties works as in go-moremath, whose
     * PMF is exact there too. (commons-statistics' BinomialDistribution computes the PMF through
     * logarithms and is off by an ulp here and there, which flips those ties.)
     */
    private static double[] halfBinomialPmf(int n) {
        double[] pmf = new double[n + 1];
        double c = 1;
        double scale = Math.scalb(1.0, -n);
        for (int k = 0; k <= n; k++) {
            pmf[k] = c * scale;
            c = c * (n - k) / (k + 1);
        }
        return pmf;
    }

    private static double pmf(double[] pmf, int k) {
        return k < 0 || k >= pmf.length ? 0 : pmf[k];
    }

    private static double band(NormalDistribution norm, int l, int r) {
        return norm.cumulativeProbability(r - 0.5) - norm.cumulativeProbability(l - 0.5);
    }
}
