package dev.proflab.export;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;
import dev.proflab.report.Selection;

import java.util.List;
import java.util.Locale;

/** Values said the way people read them: {@code 1.23 s}, {@code 45.6 MiB}, {@code 12,345}. */
final class Values {

    private Values() {
    }

    /** {@code v} in {@code unit} (pprof's units: nanoseconds, bytes, count, ...), short. */
    static String format(long v, String unit) {
        return switch (unit) {
            case "nanoseconds" -> seconds(v / 1e9);
            case "bytes" -> bytes(v);
            case "count" -> String.format(Locale.ROOT, "%,d", v);
            default -> String.format(Locale.ROOT, "%,d %s", v, unit);
        };
    }

    static String seconds(double s) {
        double a = Math.abs(s);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f s", s);
        }
        if (a >= 1 || a == 0) {
            return String.format(Locale.ROOT, "%.3g s", s).replace(".00 s", " s");
        }
        if (a >= 1e-3) {
            return String.format(Locale.ROOT, "%.3g ms", s * 1e3);
        }
        if (a >= 1e-6) {
            return String.format(Locale.ROOT, "%.3g µs", s * 1e6);
        }
        return String.format(Locale.ROOT, "%.3g ns", s * 1e9);
    }

    static String bytes(long b) {
        double a = Math.abs((double) b);
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        double x = b;
        while (a >= 1024 && u < units.length - 1) {
            a /= 1024;
            x /= 1024;
            u++;
        }
        return u == 0 ? b + " B" : String.format(Locale.ROOT, "%.3g %s", x, units[u]);
    }

    /** A percentage with as many digits as it needs: 100%, 45.3%, 0.12%. */
    static String percent(double fraction) {
        double p = fraction * 100;
        if (p >= 99.95) {
            return "100%";
        }
        return (p >= 10 ? String.format(Locale.ROOT, "%.1f", p) : String.format(Locale.ROOT, "%.2f", p)) + "%";
    }

    /**
     * What a picture of a profile is of: the event, the total of every value (a reader may have merged
     * the samples of one stack, so the number of samples is the total of {@code samples}, not the
     * number of rows), the file and the engine: {@code cpu: 4,027 samples, cpu 4.03 s — cpu.jfr
     * (async-profiler)}.
     */
    static String title(Profile profile, int valueIndex) {
        Profile.Meta m = profile.meta();
        StringBuilder sb = new StringBuilder(m.event()).append(": ");
        List<ValueType> types = profile.valueTypes();
        for (int i = 0; i < types.size(); i++) {
            ValueType vt = types.get(i);
            long total = profile.total(i);
            if (i > 0) {
                sb.append(", ");
            }
            if (vt.unit().equals("count") && (vt.type().equals("samples") || vt.type().equals("contentions"))) {
                sb.append(String.format(Locale.ROOT, "%,d %s", total, total == 1 ? vt.type().replaceAll("s$", "")
                        : vt.type()));
            } else {
                sb.append(vt.type()).append(' ').append(format(total, vt.unit()));
            }
        }
        if (!m.source().isEmpty()) {
            String src = m.source().replace('\\', '/');
            sb.append(" — ").append(src.substring(src.lastIndexOf('/') + 1));
        }
        sb.append(" (").append(m.engine()).append(')');
        return sb.toString();
    }

    /**
     * {@link #title(Profile, int)} of the value {@code type}, with the filters of {@code selection}
     * when it has any ({@code [focus=Fib, hide=^java\.]}).
     */
    static String title(Profile profile, Selection selection, ValueType type) {
        String t = title(profile, profile.valueTypes().indexOf(type));
        List<String> filters = selection.activeFilters();
        return filters.isEmpty() ? t : t + " [" + String.join(", ", filters) + "]";
    }
}
