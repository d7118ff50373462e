package dev.proflab.stats;

/**
 * Converts JMH score units to the base units benchstat uses: every time per operation becomes
 * {@code sec/op}, every throughput becomes {@code ops/s}, and {@code B/op} stays as it is.
 */
final class Units {

    static final String SEC_PER_OP = "sec/op";
    static final String OPS_PER_SEC = "ops/s";
    static final String BYTES_PER_OP = "B/op";

    /** A metric (base unit) and the factor that turns a value in the JMH unit into it. */
    record Conversion(String metric, double factor) {
    }

    private Units() {
    }

    /** Returns how to convert {@code unit}, or null when it is not a unit this package knows. */
    static Conversion of(String unit) {
        if (unit == null) {
            return null;
        }
        String u = unit.strip();
        if (u.equals(BYTES_PER_OP)) {
            return new Conversion(BYTES_PER_OP, 1);
        }
        int slash = u.indexOf('/');
        if (slash <= 0 || slash != u.lastIndexOf('/')) {
            return null;
        }
        String num = u.substring(0, slash);
        String den = u.substring(slash + 1);
        if (den.equals("op")) {
            double s = seconds(num);
            return Double.isNaN(s) ? null : new Conversion(SEC_PER_OP, s);
        }
        if (num.equals("ops")) {
            double s = seconds(den);
            return Double.isNaN(s) ? null : new Conversion(OPS_PER_SEC, 1 / s);
        }
        return null;
    }

    /** Seconds in one of JMH's time unit labels (and a few common spellings), NaN if unknown. */
    static double seconds(String label) {
        return switch (label) {
            case "ns" -> 1e-9;
            case "us", "µs", "μs" -> 1e-6;
            case "ms" -> 1e-3;
            case "s", "sec" -> 1;
            case "min" -> 60;
            case "hr", "h" -> 3600;
            case "day", "d" -> 86400;
            default -> Double.NaN;
        };
    }
}
