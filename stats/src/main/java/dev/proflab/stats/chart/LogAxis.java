package dev.proflab.stats.chart;

import java.util.ArrayList;
import java.util.List;

/**
 * A logarithmic axis from a value range to pixels, with ticks a reader can say aloud: powers of ten
 * when the range spans several, 1-2-5 steps when it spans one or two, and evenly spaced round
 * numbers when it is narrower than a factor of ten.
 */
final class LogAxis {

    private final double min;
    private final double max;
    private final double x0;
    private final double x1;
    private final double logMin;
    private final double logSpan;

    private LogAxis(double min, double max, double x0, double x1) {
        this.min = min;
        this.max = max;
        this.x0 = x0;
        this.x1 = x1;
        this.logMin = Math.log10(min);
        this.logSpan = Math.log10(max) - logMin;
    }

    /** An axis that shows [lo, hi] (both positive) with a margin on each side. */
    static LogAxis of(double lo, double hi, double x0, double x1) {
        if (!(lo > 0) || !(hi >= lo)) {
            throw new IllegalArgumentException("a log axis needs 0 < lo <= hi, not " + lo + ", " + hi);
        }
        double span = Math.log10(hi / lo);
        double margin = Math.max(span * 0.06, 0.02);
        return new LogAxis(lo / Math.pow(10, margin), hi * Math.pow(10, margin), x0, x1);
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }

    /** The pixel of value {@code v} (clamped to the axis). */
    double x(double v) {
        double l = Math.log10(Math.min(Math.max(v, min), max));
        return x0 + (l - logMin) / logSpan * (x1 - x0);
    }

    /** Tick values, ascending, all within the axis. */
    List<Double> ticks() {
        List<Double> decades = new ArrayList<>();
        int first = (int) Math.ceil(Math.log10(min) - 1e-9);
        int last = (int) Math.floor(Math.log10(max) + 1e-9);
        for (int k = first; k <= last; k++) {
            decades.add(Double.parseDouble("1e" + k)); // exact, unlike Math.pow
        }
        if (decades.size() >= 3) {
            int every = (decades.size() + 9) / 10; // at most ~10 labels
            List<Double> thinned = new ArrayList<>();
            for (int i = 0; i < decades.size(); i += every) {
                thinned.add(decades.get(i));
            }
            return thinned;
        }
        List<Double> oneTwoFive = new ArrayList<>();
        for (int k = first - 1; k <= last; k++) {
            for (int m : new int[] {1, 2, 5}) {
                double v = Double.parseDouble(m + "e" + k);
                if (v >= min && v <= max) {
                    oneTwoFive.add(v);
                }
            }
        }
        if (oneTwoFive.size() >= 3) {
            return oneTwoFive;
        }
        // Narrower than a factor of ~5: evenly spaced round numbers.
        double step = niceStep((max - min) / 4);
        List<Double> linear = new ArrayList<>();
        for (double v = Math.ceil(min / step) * step; v <= max; v += step) {
            linear.add(Math.round(v / step) * step);
        }
        return linear;
    }

    /** 1, 2 or 5 times a power of ten, the nearest at or above {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / p;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
    }
}
