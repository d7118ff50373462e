package dev.proflab.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** benchstat's number formatting; the vectors are benchunit's TestScale. */
class ScalerTest {

    private static void test(double num, String metric, String want, String wantPred) {
        assertThat(Scaler.scale(num, metric)).as("%s", num).isEqualTo(want);
        assertThat(Scaler.scale(Math.nextAfter(num, 0), metric)).as("%s - ulp", num).isEqualTo(wantPred);
    }

    @Test
    void decimal() {
        String d = "sec/op";
        test(0, d, "0.000", "0.000");
        test(1, d, "1.000", "1.000");
        test(-1, d, "-1.000", "-1.000");
        test(9999500000000000.0, d, "9999.5T", "9999.5T");
        test(999950000000000.0, d, "1000.0T", "999.9T");
        test(99995000000000.0, d, "100.0T", "99.99T");
        test(9999500000000.0, d, "10.00T", "9.999T");
        test(999950000000.0, d, "1.000T", "999.9G");
        test(99995000000.0, d, "100.0G", "99.99G");
        test(9999500000.0, d, "10.00G", "9.999G");
        test(999950000, d, "1.000G", "999.9M");
        test(99995000, d, "100.0M", "99.99M");
        test(9999500, d, "10.00M", "9.999M");
        test(999950, d, "1.000M", "999.9k");
        test(99995, d, "100.0k", "99.99k");
        test(9999.5, d, "10.00k", "9.999k");
        test(999.95, d, "1.000k", "999.9");
        test(99.995, d, "100.0", "99.99");
        test(9.9995, d, "10.00", "9.999");
        test(.99995, d, "1.000", "999.9m");
        test(.099995, d, "100.0m", "99.99m");
        test(.0099995, d, "10.00m", "9.999m");
        test(.00099995, d, "1.000m", "999.9µ");
        test(.000099995, d, "100.0µ", "99.99µ");
        test(.0000099995, d, "10.00µ", "9.999µ");
        test(.00000099995, d, "1.000µ", "999.9n");
        test(.000000099995, d, "100.0n", "99.99n");
        test(.0000000099995, d, "10.00n", "9.999n");
        test(.00000000099995, d, "1.000n", "0.9999n");
        test(Math.nextAfter(.000000000099995, 1), d, "0.1000n", "0.09999n");
        test(.0000000000099995, d, "0.01000n", "0.009999n");
        test(-99995000000000.0, d, "-100.0T", "-99.99T");
        test(-.0000000099995, d, "-10.00n", "-9.999n");
    }

    @Test
    void binaryForBytes() {
        String b = "B/op";
        test(0, b, "0.000", "0.000");
        test(1, b, "1.000", "1.000");
        test(.99995 * (1L << 50), b, "1023.9Ti", "1023.9Ti");
        test(99.995 * (1L << 40), b, "100.0Ti", "99.99Ti");
        test(.99995 * (1L << 40), b, "1.000Ti", "1023.9Gi");
        test(99.995 * (1L << 20), b, "100.0Mi", "99.99Mi");
        test(9.9995 * (1L << 20), b, "10.00Mi", "9.999Mi");
        test(.99995 * (1L << 20), b, "1.000Mi", "1023.9Ki");
        test(.99995 * (1L << 10), b, "1.000Ki", "1023.9");
        test(99.995, b, "100.0", "99.99");
        test(.99995, b, "1.000", "0.9999");
        test(.099995, b, "0.1000", "0.09999");
        test(.000099995, b, "0.0001000", "0.00009999");
        test(.00000009995, b, "0.0000001000", "0.0000000999");
        test(.00000000005, b, "0.0000000001", "0.0000000000");
    }

    @Test
    void examplesFromTheBrief() {
        assertThat(Scaler.scale(0.02621, "sec/op")).isEqualTo("26.21m");
        assertThat(Scaler.scale(1.676e-6, "sec/op")).isEqualTo("1.676µ");
        assertThat(Scaler.scale(1048576, "B/op")).isEqualTo("1.000Mi");
        // A row shares the scale of its smallest value.
        assertThat(Scaler.common(new double[] {61484.3e-9, 105.3e-9}, "sec/op").format(61484.3e-9)).isEqualTo("61484.3n");
    }

    @Test
    void fixedRoundsHalfEvenOnTheExactValue() {
        assertThat(Scaler.fixed(0.125, 2)).isEqualTo("0.12");
        assertThat(Scaler.fixed(0.375, 2)).isEqualTo("0.38");
        assertThat(Scaler.fixed(2.5, 0)).isEqualTo("2");
        assertThat(Scaler.fixed(1.005, 2)).isEqualTo("1.00"); // 1.005 is 1.00499999999999989...
        assertThat(Scaler.fixed(-0.0001, 2)).isEqualTo("-0.00");
        assertThat(Scaler.fixed(-99.99, 2)).isEqualTo("-99.99");
        assertThat(Scaler.fixed(1234567890123.456, 1)).isEqualTo("1234567890123.5");
    }
}
