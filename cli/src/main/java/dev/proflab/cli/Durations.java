package dev.proflab.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as users type them: 500ms, 2s, 1.5s, 1m, 10 (seconds). */
final class Durations {

    private static final Pattern D = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h)?");

    private Durations() {
    }

    static Duration parse(String text, String option) {
        Matcher m = D.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UsageException(option + ": '" + text + "' is not a duration (use e.g. 500ms, 2s, 1m)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double ms = switch (unit) {
            case "ms" -> v;
            case "s" -> v * 1_000;
            case "m", "min" -> v * 60_000;
            case "h" -> v * 3_600_000;
            default -> throw new IllegalStateException(unit);
        };
        if (ms < 1 || ms > 24 * 3_600_000d) {
            throw new UsageException(option + ": '" + text + "' is out of range (1ms to 24h)");
        }
        return Duration.ofMillis(Math.round(ms));
    }

    /** The same duration in JMH's syntax (milliseconds). */
    static String jmh(String text, String option) {
        return parse(text, option).toMillis() + "ms";
    }
}
