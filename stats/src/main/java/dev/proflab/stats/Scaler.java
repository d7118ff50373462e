package dev.proflab.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Formats numbers with at least three significant digits and an SI prefix ({@code 26.21m},
 * {@code 1.676µ}) or, for bytes, a binary prefix ({@code 1.000Mi}), exactly as benchstat's
 * {@code benchunit.Scaler} does. Rounding is half-even on the exact binary value, like Go's
 * {@code strconv}.
 *
 * @param prec digits after the decimal point
 * @param factor value of one prefix unit
 * @param prefix the prefix
 */
record Scaler(int prec, double factor, String prefix) {

    private record Factor(double factor, String prefix, double t100, double t10, double t1) {
    }

    private static final List<Factor> SI = si();
    private static final List<Factor> IEC = iec();
    private static final double[] SIGFIGS = sigfigs();
    private static final int SIGFIGS_BASE = 3;
    private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

    /** Formats val with this scale. */
    String format(double val) {
        return fixed(val / factor, prec) + prefix;
    }

    /** Go's {@code strconv.FormatFloat(v, 'f', prec, 64)}: exact value, half-even. */
    static String fixed(double v, int prec) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (prec >= 0 && prec <= 9) {
            // Fast path: scaled to an integer below 1e9 the product's error is under 1e-6, so unless
            // the value is that close to a rounding tie, rounding the product rounds the exact value.
            double pow = POW10[prec];
            double scaled = Math.abs(v) * pow;
            if (scaled < 1e9) {
                double floor = Math.floor(scaled);
                double frac = scaled - floor;
                if (Math.abs(frac - 0.5) > 1e-6) {
                    long units = (long) floor + (frac > 0.5 ? 1 : 0);
                    StringBuilder sb = new StringBuilder(16);
                    if (v < 0 || (v == 0 && 1 / v < 0)) {
                        sb.append('-');
                    }
                    long p = (long) pow;
                    sb.append(units / p);
                    if (prec > 0) {
                        String f = Long.toString(units % p);
                        sb.append('.');
                        sb.repeat('0', prec - f.length());
                        sb.append(f);
                    }
                    return sb.toString();
                }
            }
        }
        String s = new BigDecimal(v).setScale(prec, RoundingMode.HALF_EVEN).toPlainString();
        if (v < 0 || (v == 0 && 1 / v < 0)) {
            // BigDecimal drops the sign of values that round to zero; Go keeps it ("-0.00").
            if (!s.startsWith("-")) {
                s = "-" + s;
            }
        }
        return s;
    }

    /** True when the unit counts bytes, which benchstat scales with binary prefixes. */
    static boolean binary(String metric) {
        return metric.equals("B") || metric.startsWith("B/");
    }

    /** Formats one value with its own scale. */
    static String scale(double val, String metric) {
        return common(new double[] {val}, metric).format(val);
    }

    /** A scale showing at least three significant digits for every value, set by the smallest. */
    static Scaler common(double[] vals, String metric) {
        double min = 0;
        for (double v : vals) {
            v = Math.abs(v);
            if (v != 0 && Double.isFinite(v) && (min == 0 || v < min)) {
                min = v;
            }
        }
        if (min == 0) {
            return new Scaler(3, 1, "");
        }
        List<Factor> factors = binary(metric) ? IEC : SI;
        for (Factor f : factors) {
            if (min >= f.t100) {
                return new Scaler(1, f.factor, f.prefix);
            } else if (min >= f.t10) {
                return new Scaler(2, f.factor, f.prefix);
            } else if (min >= f.t1) {
                return new Scaler(3, f.factor, f.prefix);
            }
        }
        // Smaller than the smallest prefix: more digits after the point.
        Factor f = factors.get(factors.size() - 1);
        double val = min / f.factor;
        for (int i = 0; i < SIGFIGS.length; i++) {
            if (val >= SIGFIGS[i] || i == SIGFIGS.length - 1) {
                return new Scaler(i + SIGFIGS_BASE, f.factor, f.prefix);
            }
        }
        throw new AssertionError("not reachable");
    }

    private static List<Factor> si() {
        List<Factor> out = new ArrayList<>();
        int exp = 12;
        for (String p : new String[] {"T", "G", "M", "k", "", "m", "µ", "n"}) {
            out.add(new Factor(Math.pow(10, exp), p, Double.parseDouble("99.995e" + exp),
                    Double.parseDouble("9.9995e" + exp), Double.parseDouble(".99995e" + exp)));
            exp -= 3;
        }
        return List.copyOf(out);
    }

    private static List<Factor> iec() {
        // Thresholds 99.995, 9.9995 and .99995 as exact binary fractions, scaled by 2^exp.
        List<Factor> out = new ArrayList<>();
        int exp = 40;
        for (String p : new String[] {"Ti", "Gi", "Mi", "Ki", ""}) {
            out.add(new Factor(Math.pow(2, exp), p, Double.parseDouble("0x1.8ffae147ae148p" + (6 + exp)),
                    Double.parseDouble("0x1.3ffbe76c8b439p" + (3 + exp)),
                    Double.parseDouble("0x1.fff972474538fp" + (-1 + exp))));
            exp -= 10;
        }
        return List.copyOf(out);
    }

    private static double[] sigfigs() {
        double[] out = new double[8];
        int i = 0;
        for (int exp = -1; exp > -9; exp--) {
            out[i++] = Double.parseDouble("9.9995e" + exp);
        }
        return out;
    }
}
