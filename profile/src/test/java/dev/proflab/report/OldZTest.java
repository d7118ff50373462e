package dev.proflab.report;

/**
 * The diff's test before {@link ChangeTest}, kept for comparison (the calibration and its tests): a
 * two-proportion z-test per function on the summed sample counts of one recording per side, every sample
 * taken as an independent draw, |z| >= 1.96, no correction for testing many functions, below 100 samples a
 * side nothing.
 */
final class OldZTest {

    static final int MIN_SAMPLES = 100;
    static final double Z_CRITICAL = 1.96;

    private OldZTest() {
    }

    /** The z of k1 of n1 against k2 of n2 with the pooled proportion; 0 when either side is empty or p is 0 or 1. */
    static double z(long k1, long n1, long k2, long n2) {
        if (n1 <= 0 || n2 <= 0) {
            return 0;
        }
        double p1 = (double) k1 / n1;
        double p2 = (double) k2 / n2;
        double p = (double) (k1 + k2) / (n1 + n2);
        double se = Math.sqrt(p * (1 - p) * (1.0 / n1 + 1.0 / n2));
        return se == 0 ? 0 : (p2 - p1) / se;
    }

    static boolean significant(long k1, long n1, long k2, long n2) {
        return Math.abs(z(k1, n1, k2, n2)) >= Z_CRITICAL;
    }
}
