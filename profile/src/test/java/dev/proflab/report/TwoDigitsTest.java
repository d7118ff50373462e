package dev.proflab.report;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The small percentages of the text reports: two significant digits, as BigDecimal rounds them. */
class TwoDigitsTest {

    private static String expected(double x) {
        return new BigDecimal(x).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }

    @Test
    void asBigDecimalOnEdgesAndAcrossMagnitudes() {
        double[] edges = {0.5, 0.1, 0.01, 0.001, 0.0001, 1e-7, 0.0999, 0.09999999999999999, 0.00995, 0.0995,
                0.995, 0.9949999999999999, 0.99, 0.999, 0.125, 0.0125, 0.00125, 0.015, 0.025, 0.035, 0.045,
                Math.nextDown(0.1), Math.nextUp(0.1), Math.nextDown(0.01), Math.nextUp(0.001), 0.067, 6.7e-5};
        for (double x : edges) {
            assertThat(TextReport.twoDigits(x)).as("%s", x).isEqualTo(expected(x));
        }
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            double x = Math.pow(10, -r.nextDouble(0, 9)) * r.nextDouble(0.1, 1.0);   // 1e-10 .. 1
            if (x < 1.0) {
                assertThat(TextReport.twoDigits(x)).as("%s", x).isEqualTo(expected(x));
            }
        }
        // values of the reports: a count over a total, times 100
        for (long total : new long[] {1493, 100_000, 7_654_321}) {
            for (long v = 1; v * 100.0 / total < 1.0; v = v < 50 ? v + 1 : v * 3 / 2) {
                double x = (double) v / total * 100;
                assertThat(TextReport.twoDigits(x)).as("%d/%d", v, total).isEqualTo(expected(x));
            }
        }
    }
}
