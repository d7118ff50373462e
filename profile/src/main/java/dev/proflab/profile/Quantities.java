package dev.proflab.profile;

import java.util.Locale;

/**
 * Values as people read them, the way pprof prints them: {@code 1.99s}, {@code 250ms}, {@code 12us},
 * {@code 1.50MB}, {@code 256kB}, {@code 1234}. Two decimals, {@code .00} dropped; bytes in powers
 * of 1024.
 *
 * <p>Numbers are formatted with {@link #PLAIN}, no locale.
 */
public final class Quantities {

    /**
     * No localisation, for {@code String.format(PLAIN, ...)}: the digits, {@code .} and {@code ,} of
     * {@code Locale.ROOT}, without the JDK's {@code Formatter} loading {@code DecimalFormatSymbols} and its locale
     * data, which it does for any locale that is not null (~7 ms of a cold {@code top}).
     */
    public static final Locale PLAIN = null;

    private Quantities() {
    }

    /** A value in a pprof unit: {@code nanoseconds}, {@code bytes}, anything else as a plain number. */
    public static String format(long value, String unit) {
        return switch (unit) {
            case "nanoseconds" -> nanos(value);
            case "bytes" -> bytes(value);
            default -> Long.toString(value);
        };
    }

    public static String nanos(long ns) {
        double a = Math.abs((double) ns);
        if (ns == 0) {
            return "0";
        }
        if (a >= 1e9) {
            return scaled(ns / 1e9, "s");
        }
        if (a >= 1e6) {
            return scaled(ns / 1e6, "ms");
        }
        if (a >= 1e3) {
            return scaled(ns / 1e3, "us");
        }
        return ns + "ns";
    }

    public static String bytes(long b) {
        double a = Math.abs((double) b);
        if (b == 0) {
            return "0";
        }
        if (a >= 1L << 40) {
            return scaled(b / (double) (1L << 40), "TB");
        }
        if (a >= 1L << 30) {
            return scaled(b / (double) (1L << 30), "GB");
        }
        if (a >= 1L << 20) {
            return scaled(b / (double) (1L << 20), "MB");
        }
        if (a >= 1L << 10) {
            return scaled(b / 1024.0, "kB");
        }
        return b + "B";
    }

    private static String scaled(double v, String unit) {
        String s = String.format(PLAIN, "%.2f", v);
        if (s.endsWith(".00")) {
            s = s.substring(0, s.length() - 3);
        }
        return s + unit;
    }
}
