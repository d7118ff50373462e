package dev.proflab.cli;

import dev.proflab.jmh.Lab;
import dev.proflab.stats.Comparison;
import dev.proflab.stats.Verdicts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The comparison said in words: how much faster, how much less memory, whether it is significant, and
 * when the run was too short or too noisy to say, that it was, and the command to rerun it longer.
 * The rules are {@link Verdicts}'; this class only phrases them.
 */
final class Verdict {

    private Verdict() {
    }

    /**
     * How to rerun.
     *
     * @param command the command line that runs the same comparison with the given forks per variant
     * @param secondsPerFork the time one fork took in this run, for an estimate; NaN when unknown
     * @param variants forks per round
     */
    record Rerun(IntFunction<String> command, double secondsPerFork, int variants) {
    }

    static List<String> lines(Comparison c, Lab lab, Rerun rerun) {
        return lines(c, lab, rerun, Verdicts.Options.defaults());
    }

    static List<String> lines(Comparison c, Lab lab, Rerun rerun, Verdicts.Options options) {
        List<String> out = new ArrayList<>();
        List<String> cols = c.columns();
        int suggested = 0;
        for (Verdicts.Verdict v : Verdicts.of(c, options)) {
            out.add(v.metric() + ": " + sentence(v, label(lab, cols.get(v.column())), label(lab, cols.get(0)), c));
            suggested = Math.max(suggested, v.suggestedForks());
        }
        if (suggested > 0 && rerun != null) {
            String more = suggested >= options.maxForks() ? " (or more)" : "";
            String time = Double.isFinite(rerun.secondsPerFork())
                    ? ", about " + duration(suggested * rerun.variants() * rerun.secondsPerFork()) : "";
            String quieter = suggested > 100 ? ", or on a quieter machine" : "";
            out.add("to see a difference of " + pct(options.minEffect()) + ", rerun with " + suggested + more
                    + " forks per variant" + time + quieter + ": " + rerun.command().apply(suggested));
        }
        return out;
    }

    private static String sentence(Verdicts.Verdict v, String x, String y, Comparison c) {
        Comparison.Cell base = v.base();
        Comparison.Cell cell = v.cell();
        Comparison.Delta d = cell.delta();
        String metric = v.metric();
        String stats = String.format(Locale.ROOT, "p=%.3f n=%d+%d", d.pValue(), d.baseN(), cell.n());
        String values = "(" + value(base.median(), metric) + " -> " + value(cell.median(), metric) + ")";
        String conf = percentLevel(c.options().confidence());
        return switch (v.kind()) {
            case BELOW_RESOLUTION -> belowFloor(v, x, y);
            case DIFFERENT -> {
                String claim = switch (metric) {
                    case "sec/op" -> cell.median() <= base.median()
                            ? x + " is " + times(base.median() / cell.median()) + " faster than " + y
                            : x + " is " + times(cell.median() / base.median()) + " slower than " + y;
                    case "ops/s" -> x + " has " + times(cell.median() / base.median()) + " the throughput of " + y;
                    case "B/op" -> bytes(x, y, base.median(), cell.median());
                    default -> x + " differs from " + y + " by " + String.format(Locale.ROOT, "%+.2f%%", d.percent());
                };
                String s = claim + " " + values + ", " + stats + ": significant";
                if (v.sizeUncertain()) {
                    s += String.format(Locale.ROOT, ", but its size is uncertain (the %s intervals are ±%s and ±%s)",
                            conf, pct(base.relativeHalfWidth()), pct(cell.relativeHalfWidth()));
                }
                yield s;
            }
            case NO_DIFFERENCE -> "no difference between " + x + " and " + y + " " + values + ", " + stats
                    + ": a difference over ~" + pct(v.resolvable()) + " would have shown";
            case INCONCLUSIVE -> "inconclusive between " + x + " and " + y + " " + values + ", " + stats + ": "
                    + switch (v.why()) {
                        case FORKS_DISAGREE -> String.format(Locale.ROOT,
                                "the forks disagree with each other, and over the %d+%d fork medians the difference"
                                        + " %s (p=%.3f)", base.forks(), cell.forks(),
                                d.significant() ? "is not significant" : "is not significant either",
                                v.forkPValue());
                        case TOO_FEW_SAMPLES -> !base.ciFinite() || !cell.ciFinite()
                                ? "too few samples for a finite " + conf + " interval"
                                : "too few samples for p to ever reach " + trim(c.options().alpha());
                        default -> String.format(Locale.ROOT,
                                "the %s intervals are ±%s and ±%s, so a difference smaller than ~%s cannot be seen",
                                conf, pct(base.relativeHalfWidth()), pct(cell.relativeHalfWidth()), pct(v.resolvable()));
                    };
        };
    }

    /**
     * B/op where one side or both are below -prof gc's floor: what each side allocates as far as it can
     * be told, and no ratio or p-value against JMH's bookkeeping.
     */
    private static String belowFloor(Verdicts.Verdict v, String x, String y) {
        String what = " is below what -prof gc can resolve here";
        if (v.baseBelowFloor() && v.belowFloor()) {
            return "allocation per op" + what + ", for " + y + " (" + floorWhy(v, true) + ") and for " + x + " ("
                    + floorWhy(v, false) + ")";
        }
        if (v.belowFloor()) {
            return y + " allocates " + value(v.base().median(), "B/op") + "; the allocation per op of " + x + what
                    + " (" + floorWhy(v, false) + ")";
        }
        return x + " allocates " + value(v.cell().median(), "B/op") + "; the allocation per op of " + y + what
                + " (" + floorWhy(v, true) + ")";
    }

    /** A significant B/op difference, both sides above -prof gc's floor. */
    private static String bytes(String x, String y, double base, double value) {
        double ratio = value / base;
        return ratio >= 1
                ? x + " allocates " + times(ratio) + " the bytes of " + y
                : x + " allocates " + percent(ratio) + " of the bytes of " + y;
    }

    /** "869 B/op, under the floor of 2.25 KiB/op at ~7 ops per iteration" for one side. */
    private static String floorWhy(Verdicts.Verdict v, boolean base) {
        double floor = base ? v.baseFloor() : v.floor();
        double ops = base ? v.baseOpsPerIteration() : v.opsPerIteration();
        String s = value((base ? v.base() : v.cell()).median(), "B/op") + ", under the floor of " + value(floor, "B/op");
        if (Double.isFinite(ops)) {
            s += " at ~" + count(ops) + " ops per iteration";
        }
        return s;
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

    /** A relative width as the table shows it: 68%, 4.2%, ∞. */
    static String pct(double fraction) {
        if (!Double.isFinite(fraction)) {
            return "∞";
        }
        double p = fraction * 100;
        return p >= 10 ? String.format(Locale.ROOT, "%.0f%%", p) : String.format(Locale.ROOT, "%.1f%%", p);
    }

    private static String percentLevel(double confidence) {
        return trim(confidence * 100) + "%";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** 7, 2,700, 457,000, 34 million. */
    static String count(double ops) {
        if (ops >= 1e6) {
            return String.format(Locale.ROOT, "%,.0f million", ops / 1e6);
        }
        if (ops >= 1000) {
            double r = Math.round(ops / 100) * 100.0;
            return String.format(Locale.ROOT, "%,.0f", r);
        }
        return String.format(Locale.ROOT, "%.0f", ops);
    }

    /** 40 s, 3 min, 1.5 h. */
    static String duration(double seconds) {
        if (seconds < 90) {
            return String.format(Locale.ROOT, "%.0f s", Math.max(1, seconds));
        }
        if (seconds < 90 * 60) {
            return String.format(Locale.ROOT, "%.0f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
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
            String num = u > 0 ? String.format(Locale.ROOT, "%.3g", x)
                    : Math.abs(x) >= 1 || x == 0 ? String.format(Locale.ROOT, "%.0f", x)
                    : String.format(Locale.ROOT, "%.2g", x);
            return num + " " + units[u] + "/op";
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
