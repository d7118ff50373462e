package dev.proflab.stats.chart;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Values of a comparison with SI prefixes, up to four significant digits: {@code 27.97 ms},
 * {@code 437 ns}, {@code 1.52 Mops/s}; axis ticks of bytes too ({@code 1 kB}), medians of bytes with
 * binary ones as the table ({@code 2.156 KiB}). Bytes below one (JMH's measurement floor, not allocation)
 * are written as they are: {@code 0.0002 B}.
 */
final class SiFormat {

    private static final String[] PREFIXES = {"p", "n", "µ", "m", "", "k", "M", "G", "T"};
    private static final int NONE = 4;

    private SiFormat() {
    }

    static String unit(String metric) {
        return switch (metric) {
            case "sec/op" -> "s";
            case "ops/s" -> "ops/s";
            case "B/op" -> "B";
            default -> metric;
        };
    }

    /**
     * A median: four significant digits, as the table ({@code 27.97 ms}); bytes with binary prefixes
     * as the table and the verdict say them ({@code 2.156 KiB}).
     */
    static String value(double v, String metric) {
        if (metric.equals("B/op") && Math.abs(v) >= 1024) {
            String[] units = {"KiB", "MiB", "GiB", "TiB"};
            double x = v / 1024;
            int u = 0;
            while (Math.abs(x) >= 1024 && u < units.length - 1) {
                x /= 1024;
                u++;
            }
            return plain(x, 4) + " " + units[u];
        }
        return format(v, metric, 4);
    }

    /** A tick label: as few digits as the value needs ({@code 10 ns}, {@code 2 µs}, {@code 27.5 ms}). */
    static String tick(double v, String metric) {
        return format(v, metric, 3);
    }

    private static String format(double v, String metric, int digits) {
        String unit = unit(metric);
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "–" : (v > 0 ? "∞ " : "-∞ ") + unit;
        }
        if (v == 0) {
            return "0 " + unit;
        }
        if (unit.equals("B") && Math.abs(v) < 1) {
            return plain(v, 2) + " B";
        }
        int p = NONE;
        double x = v;
        while (Math.abs(x) >= 1000 && p < PREFIXES.length - 1) {
            x /= 1000;
            p++;
        }
        while (Math.abs(x) < 1 && p > 0 && !unit.equals("B")) {
            x *= 1000;
            p--;
        }
        String num = plain(x, digits);
        if (num.replace("-", "").startsWith("1000") && p < PREFIXES.length - 1) { // 999.7 -> 1000 -> 1 k
            num = plain(x / 1000, digits);
            p++;
        }
        return num + " " + PREFIXES[p] + unit;
    }

    private static String plain(double x, int digits) {
        return new BigDecimal(x).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }
}
