package dev.proflab.cli;

import dev.proflab.jmh.Lab;
import dev.proflab.stats.Comparison;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The comparison said in words: how much faster, how much less memory, and whether it is significant. */
final class Verdict {

    private Verdict() {
    }

    static List<String> lines(Comparison c, Lab lab) {
        List<String> out = new ArrayList<>();
        List<String> cols = c.columns();
        for (Comparison.Table t : c.tables()) {
            for (Comparison.Row row : t.rows()) {
                Comparison.Cell base = row.cell(0);
                for (int i = 1; i < row.cells().size(); i++) {
                    Comparison.Cell cell = row.cell(i);
                    if (!base.present() || !cell.present() || cell.delta() == null) {
                        continue;
                    }
                    out.add(t.metric() + ": " + sentence(t.metric(), label(lab, cols.get(i)), label(lab, cols.get(0)),
                            base, cell));
                }
            }
        }
        return out;
    }

    private static String sentence(String metric, String x, String y, Comparison.Cell base, Comparison.Cell cell) {
        Comparison.Delta d = cell.delta();
        String stats = String.format(Locale.ROOT, "p=%.3f n=%d+%d", d.pValue(), d.baseN(), cell.n());
        String values = "(" + value(base.median(), metric) + " -> " + value(cell.median(), metric) + ")";
        if (metric.equals("B/op") && base.median() < 0.5 && cell.median() < 0.5) {
            // below JMH's resolution: a "significant" difference of 0.001 B/op is noise, not allocation
            return "neither " + x + " nor " + y + " allocates (both under 1 B/op)";
        }
        if (!d.significant()) {
            return "no significant difference between " + x + " and " + y + " " + values + ", " + stats;
        }
        String claim = switch (metric) {
            case "sec/op" -> cell.median() <= base.median()
                    ? x + " is " + times(base.median() / cell.median()) + " faster than " + y
                    : x + " is " + times(cell.median() / base.median()) + " slower than " + y;
            case "ops/s" -> x + " has " + times(cell.median() / base.median()) + " the throughput of " + y;
            case "B/op" -> bytes(x, y, base.median(), cell.median());
            default -> x + " differs from " + y + " by " + String.format(Locale.ROOT, "%+.2f%%", d.percent());
        };
        return claim + " " + values + ", " + stats + ": significant";
    }

    /** Less than half a byte per op is JMH's measurement floor, not an allocation of the code. */
    private static String bytes(String x, String y, double base, double value) {
        if (value < 0.5) {
            return x + " allocates nothing per op";
        }
        if (base < 0.5) {
            return x + " allocates " + value(value, "B/op") + " where " + y + " allocates nothing";
        }
        double ratio = value / base;
        return ratio >= 1
                ? x + " allocates " + times(ratio) + " the bytes of " + y
                : x + " allocates " + percent(ratio) + " of the bytes of " + y;
    }

    private static String label(Lab lab, String column) {
        String role = lab.role(column);
        return role.isEmpty() ? column : column + " (" + role + ")";
    }

    static String times(double ratio) {
        if (!Double.isFinite(ratio)) {
            return "∞x";
        }
        if (ratio >= 100) {
            return String.format(Locale.ROOT, "%,.0fx", ratio);
        }
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    static String percent(double fraction) {
        double p = fraction * 100;
        return p >= 10 ? String.format(Locale.ROOT, "%.0f%%", p)
                : p >= 0.1 ? String.format(Locale.ROOT, "%.2f%%", p) : String.format(Locale.ROOT, "%.4f%%", p);
    }

    /** A value with an SI prefix (sec/op, ops/s) or a binary one (B/op). */
    static String value(double v, String metric) {
        if (metric.equals("B/op")) {
            String[] units = {"B", "KiB", "MiB", "GiB"};
            int u = 0;
            double x = v;
            while (Math.abs(x) >= 1024 && u < units.length - 1) {
                x /= 1024;
                u++;
            }
            return (u == 0 ? String.format(Locale.ROOT, "%.0f", x) : String.format(Locale.ROOT, "%.3g", x)) + " " + units[u] + "/op";
        }
        String unit = metric.equals("sec/op") ? "s" : "ops/s";
        String[] prefixes = {"n", "µ", "m", "", "k", "M", "G"};
        int p = 3;
        double x = v;
        while (Math.abs(x) >= 1000 && p < prefixes.length - 1) {
            x /= 1000;
            p++;
        }
        while (x != 0 && Math.abs(x) < 1 && p > 0) {
            x *= 1000;
            p--;
        }
        return String.format(Locale.ROOT, "%.4g", x) + " " + prefixes[p] + unit;
    }
}
