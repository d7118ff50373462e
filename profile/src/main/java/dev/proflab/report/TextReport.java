package dev.proflab.report;

import dev.proflab.profile.Quantities;
import dev.proflab.text.Columns;
import dev.proflab.text.Escape;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders reports as text, the way pprof prints them: a header (file, engine, event, type,
 * duration and total, filters) and the report's table.
 *
 * <p>Every name, file and label from the profile goes through {@link Escape#terminal}: a name that
 * holds ESC or another control character is shown as {@code \x1b}, never sent to the terminal.
 */
public final class TextReport {

    private TextReport() {
    }

    // ---- header ---------------------------------------------------------------------------------

    public static String header(Header h) {
        StringBuilder sb = new StringBuilder();
        if (!h.file().isEmpty()) {
            sb.append("File: ").append(t(h.file())).append('\n');
        }
        if (!h.base().isEmpty()) {
            sb.append("Base: ").append(t(h.base())).append('\n');
        }
        sb.append("Engine: ").append(t(h.engine()));
        if (!h.jdk().isEmpty()) {
            sb.append(", JDK ").append(t(h.jdk()));
        }
        sb.append('\n');
        sb.append("Event: ").append(t(h.event()));
        String interval = interval(h);
        if (!interval.isEmpty()) {
            sb.append(", ").append(interval);
        }
        sb.append('\n');
        sb.append("Type: ").append(t(h.type().type())).append('\n');
        StringBuilder total = new StringBuilder("Total samples = ").append(value(h, h.total()));
        // as pprof: CPU time as a share of the recording's length (above 100% with several busy threads)
        if (h.type().type().equals("cpu") && h.type().unit().equals("nanoseconds") && h.duration() != null
                && !h.duration().isZero()) {
            total.append(" (").append(percent(h.total(), h.duration().toNanos()).strip()).append(')');
        }
        if (h.samples() >= 0 && !h.type().unit().equals("count")) {
            total.append(", ").append(h.samples()).append(" samples");
        }
        if (h.duration() != null) {
            sb.append("Duration: ").append(Quantities.nanos(h.duration().toNanos())).append(", ");
        }
        sb.append(total).append('\n');
        if (!h.filters().isEmpty()) {
            sb.append("Active filters:\n");
            for (String f : h.filters()) {
                sb.append("   ").append(t(f)).append('\n');
            }
        }
        return sb.toString();
    }

    private static String interval(Header h) {
        if (h.interval() <= 0) {
            return "";
        }
        return switch (h.event()) {
            case "alloc", "live" -> "interval " + Quantities.bytes(h.interval());
            case "lock", "monitor", "park" -> "threshold " + Quantities.nanos(h.interval());
            default -> h.type().unit().equals("nanoseconds") || h.engine().equals("jfr")
                    || h.engine().equals("async-profiler") && isTime(h.event())
                    ? "interval " + Quantities.nanos(h.interval())
                    : "interval " + h.interval();
        };
    }

    private static boolean isTime(String event) {
        return List.of("cpu", "cpu-time", "wall", "itimer", "ctimer", "cpu-clock", "native").contains(event);
    }

    /** A name or label from the profile, as it may be printed: control characters written out. */
    static String t(String s) {
        return Escape.terminal(s);
    }

    static String value(Header h, long v) {
        return Quantities.format(v, h.type().unit());
    }

    /** pprof's percentage: {@code "  100%"}, {@code "65.85%"}, {@code " 0.25%"}. */
    static String percent(long value, long total) {
        double ratio = total == 0 ? 0 : (double) value / total * 100;
        String p = percent(Math.abs(ratio));
        // a change can be negative (a comparison): it keeps its sign
        return ratio < 0 ? String.format(Quantities.PLAIN, "%6s", "-" + p.strip()) : p;
    }

    static String percent(double ratio) {
        ratio = Math.abs(ratio);
        if (ratio >= 99.95 && ratio <= 100.05) {
            return "  100%";
        }
        if (ratio >= 1.0) {
            return String.format(Quantities.PLAIN, "%5.2f%%", ratio);
        }
        if (ratio == 0) {
            return "    0%";
        }
        return String.format(Quantities.PLAIN, "%5s%%", twoDigits(ratio));
    }

    /**
     * A positive number below 1 with two significant digits, trailing zeros dropped ({@code 0.067}, {@code 0.1},
     * {@code 0.00012}), as {@code new BigDecimal(x).round(new MathContext(2)).stripTrailingZeros().toPlainString()}
     * and Go's {@code %.2g} give it: the double's exact value rounded half up. BigDecimal is asked only when the
     * scaled value is within 1e-9 of a tie; its class initialisation alone took ~20 ms of a cold {@code top}.
     */
    static String twoDigits(double x) {
        int decimals = 1 - (int) Math.floor(Math.log10(x));
        double scaled = x * Math.pow(10, decimals);        // relative error ~1e-16: far from the 1e-9 below
        double floor = Math.floor(scaled);
        double fraction = scaled - floor;
        if (decimals > 17 || Math.abs(fraction - 0.5) < 1e-9) {
            return new java.math.BigDecimal(x).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString();
        }
        String digits = Long.toString((long) floor + (fraction > 0.5 ? 1 : 0));
        String s = digits.length() <= decimals
                ? "0." + "0".repeat(decimals - digits.length()) + digits
                : digits.substring(0, digits.length() - decimals) + "." + digits.substring(digits.length() - decimals);
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }

    private static String showing(Header h, long shown) {
        return "Showing nodes accounting for " + value(h, shown) + ", " + percent(shown, h.total()).strip() + " of "
                + value(h, h.total()) + " total\n";
    }

    // ---- reports ----------------------------------------------------------------------------------

    public static String top(Top.Result r) {
        Header h = r.header();
        StringBuilder sb = new StringBuilder(header(h));
        sb.append(showing(h, r.shownFlat()));
        if (r.rows().size() < r.nodes()) {
            sb.append("Showing top ").append(r.rows().size()).append(" nodes out of ").append(r.nodes()).append('\n');
        }
        sb.append("      flat  flat%   sum%        cum   cum%\n");
        for (Top.Row row : r.rows()) {
            sb.append(String.format(Quantities.PLAIN, "%10s %s %s %10s %s  %s%n",
                    value(h, row.flat()), percent(row.flatPercent()), percent(row.sumPercent()),
                    value(h, row.cum()), percent(row.cumPercent()), t(row.name())));
        }
        return sb.toString().replace("\r\n", "\n");
    }

    /**
     * {@link #top} per operation: the header, the count and what it covers, then each function's flat and cum per
     * operation beside its share, e.g. {@code 37.12ms/op}.
     */
    public static String topPerOp(PerOp.Result r) {
        Header h = r.top().header();
        StringBuilder sb = new StringBuilder(header(h));
        dev.proflab.profile.Operations ops = r.operations();
        String per = "/" + ops.unit();
        sb.append("Operations: ").append(t(ops.describe()));
        if (!ops.covers().isEmpty()) {
            sb.append(", ").append(t(ops.covers()));
        }
        sb.append('\n');
        sb.append("Total per ").append(ops.unit()).append(" = ").append(PerOp.format(r.totalPerOp(), r.unit()))
                .append(per).append(h.filters().isEmpty() ? "" : " (the whole profile, before the filters)").append('\n');
        sb.append(showing(h, r.top().shownFlat()));
        if (r.rows().size() < r.top().nodes()) {
            sb.append("Showing top ").append(r.rows().size()).append(" nodes out of ").append(r.top().nodes()).append('\n');
        }
        String flatHead = "flat" + per;
        String cumHead = "cum" + per;
        sb.append(String.format(Quantities.PLAIN, "%12s  flat%%   sum%% %12s   cum%%%n", flatHead, cumHead));
        for (PerOp.Row row : r.rows()) {
            Top.Row x = row.row();
            sb.append(String.format(Quantities.PLAIN, "%12s %s %s %12s %s  %s%n",
                    PerOp.format(row.flatPerOp(), r.unit()), percent(x.flatPercent()), percent(x.sumPercent()),
                    PerOp.format(row.cumPerOp(), r.unit()), percent(x.cumPercent()), t(x.name())));
        }
        return sb.toString().replace("\r\n", "\n");
    }

    public static String list(Lines.Result r) {
        Header h = r.header();
        StringBuilder sb = new StringBuilder(header(h));
        sb.append("Total: ").append(value(h, h.total())).append('\n');
        for (Lines.Function f : r.functions()) {
            sb.append("ROUTINE ======================== ").append(t(f.name()));
            if (!f.file().isEmpty()) {
                sb.append(" in ").append(t(f.file()));
                if (f.source() == null) {
                    sb.append(" (source not found)");
                }
            }
            sb.append('\n');
            sb.append(String.format(Quantities.PLAIN, "%10s %10s (flat, cum) %s of Total%n",
                    dot(h, f.flat()), dot(h, f.cum()), percent(f.cum(), h.total()).strip()));
            for (Lines.Line l : f.lines()) {
                String number = l.number() == 0 ? "?" : Integer.toString(l.number());
                if (l.text() != null) {
                    sb.append(String.format(Quantities.PLAIN, "%10s %10s %6s:%s%n",
                            dot(h, l.flat()), dot(h, l.cum()), number, Escape.terminalKeepTabs(l.text())));
                } else {
                    sb.append(String.format(Quantities.PLAIN, "%10s %10s %6s%n", dot(h, l.flat()), dot(h, l.cum()), number));
                }
            }
        }
        return sb.toString().replace("\r\n", "\n");
    }

    private static String dot(Header h, long v) {
        return v == 0 ? "." : value(h, v);
    }

    private static final String PEEK_RULE = "----------------------------------------------------------+-------------\n";

    public static String peek(Peek.Result r) {
        Header h = r.header();
        StringBuilder sb = new StringBuilder(header(h));
        long shown = 0;
        for (Peek.Entry e : r.entries()) {
            shown += e.flat();
        }
        sb.append(showing(h, shown));
        sb.append(PEEK_RULE);
        sb.append("      flat  flat%   sum%        cum   cum%   calls calls% + context\n");
        sb.append(PEEK_RULE);
        for (Peek.Entry e : r.entries()) {
            for (Peek.Edge in : e.callers()) {
                sb.append(String.format(Quantities.PLAIN, "%50s %s |   %s%n", value(h, in.value()), percent(in.percent()),
                        t(in.name())));
            }
            sb.append(String.format(Quantities.PLAIN, "%10s %s %s %10s %s                | %s%n",
                    value(h, e.flat()), percent(e.flatPercent()), percent(e.sumPercent()),
                    value(h, e.cum()), percent(e.cumPercent()), t(e.name())));
            for (Peek.Edge out : e.callees()) {
                sb.append(String.format(Quantities.PLAIN, "%50s %s |   %s%n", value(h, out.value()), percent(out.percent()),
                        t(out.name())));
            }
            sb.append(PEEK_RULE);
        }
        return sb.toString().replace("\r\n", "\n");
    }

    public static String tree(Tree.Result r) {
        Header h = r.header();
        StringBuilder sb = new StringBuilder(header(h));
        long shown = 0;
        for (Tree.Node n : r.roots()) {
            shown += n.cum();
        }
        sb.append(showing(h, shown));
        if (r.dropped() > 0) {
            sb.append("Dropped ").append(r.dropped()).append(r.dropped() == 1 ? " node" : " nodes").append('\n');
        }
        sb.append("       cum   cum%       self  call tree\n");
        for (Tree.Node n : r.roots()) {
            tree(sb, h, n, 0);
        }
        return sb.toString().replace("\r\n", "\n");
    }

    private static void tree(StringBuilder sb, Header h, Tree.Node n, int depth) {
        sb.append(String.format(Quantities.PLAIN, "%10s %s %10s  %s%s%n", value(h, n.cum()), percent(n.cumPercent()),
                value(h, n.self()), "  ".repeat(depth), t(n.name())));
        for (Tree.Node c : n.children()) {
            tree(sb, h, c, depth + 1);
        }
    }

    /** pprof's {@code -tags}: per label key its total, then each value, its share of the key's total and its name. */
    public static String tags(Tags.Result r) {
        Header h = r.header();
        StringBuilder sb = new StringBuilder(header(h));
        if (r.keys().isEmpty()) {
            sb.append("No samples selected\n");
        }
        for (Tags.Key k : r.keys()) {
            sb.append(t(k.name())).append(": total ").append(value(h, k.total())).append('\n');
            for (Tags.Value v : k.values()) {
                sb.append(String.format(Quantities.PLAIN, "%12s %s  %s%n", value(h, v.value()), percent(v.percent()),
                        t(v.name())));
            }
            sb.append('\n');
        }
        return sb.toString().replace("\r\n", "\n");
    }

    private static final String TRACE_RULE = "-----------+-------------------------------------------------------\n";

    public static String traces(Traces.Result r) {
        StringBuilder sb = new StringBuilder();
        try {
            traces(r, sb);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringBuilder does not throw
        }
        return sb.toString();
    }

    /**
     * {@link #traces(Traces.Result)} written to {@code out} trace by trace: all the distinct stacks of a big
     * profile make a text of a hundred megabytes, which need not be held whole.
     */
    public static void traces(Traces.Result r, Appendable out) throws java.io.IOException {
        Header h = r.header();
        out.append(header(h).replace("\r\n", "\n"));
        if (r.traces().size() < r.distinct()) {
            out.append("Showing top ").append(String.valueOf(r.traces().size())).append(" stacks out of ")
                    .append(String.valueOf(r.distinct())).append('\n');
        }
        out.append(TRACE_RULE);
        StringBuilder line = new StringBuilder(256);
        for (Traces.Trace t : r.traces()) {
            List<String> frames = t.frames().isEmpty() ? List.of("[no stack]") : t.frames();
            for (int i = 0; i < frames.size(); i++) {
                line.setLength(0);
                String v = i == 0 ? value(h, t.value()) : "";
                for (int pad = v.length(); pad < 10; pad++) {
                    line.append(' ');
                }
                line.append(v).append("   ").append(t(frames.get(i))).append('\n');
                out.append(line);
            }
            out.append(TRACE_RULE);
        }
    }

    // ---- diff -------------------------------------------------------------------------------------

    /**
     * A comparison as pprof's {@code -diff_base} top, with the test of each change: the current
     * profile's header, the base's, how the two were made comparable and tested, then the functions
     * with the largest change of flat first, each with both sides' flat and cum, the change, its q-value
     * and {@code *} where the change is significant.
     *
     * @param n rows to show, 0 or less for all
     */
    public static String diff(Diff.Result r, int n) {
        Header h = r.header();
        StringBuilder sb = new StringBuilder(header(h));
        Header b = r.baseHeader();
        sb.append("Base: ").append(b.file().isEmpty() ? "" : t(b.file()) + ", ");
        if (b.duration() != null) {
            sb.append("Duration: ").append(Quantities.nanos(b.duration().toNanos())).append(", ");
        }
        sb.append("Total samples = ").append(value(b, b.total()));
        if (b.samples() >= 0 && !b.type().unit().equals("count")) {
            sb.append(", ").append(b.samples()).append(" samples");
        }
        sb.append('\n');
        boolean share = r.normalize() == Diff.Normalize.TOTAL;
        boolean perOp = r.normalize() == Diff.Normalize.OPS;
        if (perOp) {
            sb.append("Operations: base ").append(t(r.baseOperations().describe())).append(", new ")
                    .append(t(r.operations().describe())).append('\n');
        }
        sb.append(share ? "Compared as shares: each function's value over its profile's total"
                : perOp ? "Compared per " + r.operations().unit() + ": each function's value over its side's "
                + r.operations().unit() + "s"
                : "Compared per second of each recording (within the selected time range)")
                .append("; change = new - base\n");
        for (String w : r.warnings()) {
            sb.append("Warning: ").append(t(w)).append('\n');
        }
        long significant = r.rows().stream().filter(Diff.Row::significant).count();
        if (r.baseRecordings() > 1 || r.recordings() > 1) {
            sb.append(String.format(Quantities.PLAIN, "Recordings: %d base, %d new (each side's values are its recordings"
                    + " together)%n", r.baseRecordings(), r.recordings()));
        }
        if (r.limitation() != null) {
            sb.append("No change is marked significant: ").append(t(r.limitation())).append('\n');
        } else {
            sb.append(String.format(Quantities.PLAIN, "%d test%s (flat and cum of the functions with samples enough): %d"
                            + " function%s changed beyond the noise between recordings, at a false discovery rate of"
                            + " %s (q-values)%n",
                    r.tested(), r.tested() == 1 ? "" : "s", significant, significant == 1 ? "" : "s",
                    percent(100 * r.alpha()).strip()));
        }
        List<Diff.Row> rows = n > 0 && r.rows().size() > n ? r.rows().subList(0, n) : r.rows();
        sb.append("Showing ").append(rows.size() == r.rows().size() ? "all " + rows.size() : "top " + rows.size()
                + " of " + r.rows().size()).append(" functions, largest change of flat first\n");
        if (perOp) {
            // per operation: the unit once in the column heads, the cells a value each (37.12ms, 0.58us)
            String u = "/" + r.operations().unit();
            String unit = h.type().unit();
            sb.append(String.format(Quantities.PLAIN, "%12s %12s %12s %12s %12s %12s %8s   %s%n", "base flat" + u,
                    "new flat" + u, "change", "base cum" + u, "new cum" + u, "change", "q", ""));
            for (Diff.Row row : rows) {
                sb.append(String.format(Quantities.PLAIN, "%12s %12s %12s %12s %12s %12s %8s %s %s%n",
                        perOp(row.normBaseFlat(), unit, false), perOp(row.normFlat(), unit, false),
                        perOp(row.deltaFlat(), unit, true), perOp(row.normBaseCum(), unit, false),
                        perOp(row.normCum(), unit, false), perOp(row.deltaCum(), unit, true), q(row.q()),
                        row.significant() ? "*" : " ", t(row.name())));
            }
            return sb.toString();
        }
        String unit = h.type().unit();
        sb.append(String.format(Quantities.PLAIN, "%10s %10s %10s %10s %10s %10s %8s   %s%n", "base flat", "new flat",
                "change", "base cum", "new cum", "change", "q", ""));
        for (Diff.Row row : rows) {
            sb.append(String.format(Quantities.PLAIN, "%10s %10s %10s %10s %10s %10s %8s %s %s%n",
                    norm(row.normBaseFlat(), share, unit, false), norm(row.normFlat(), share, unit, false),
                    norm(row.deltaFlat(), share, unit, true), norm(row.normBaseCum(), share, unit, false),
                    norm(row.normCum(), share, unit, false), norm(row.deltaCum(), share, unit, true), q(row.q()),
                    row.significant() ? "*" : " ", t(row.name())));
        }
        return sb.toString();
    }

    /**
     * The gate's section after a diff ({@link DiffGate}): a headline, one aligned line per failure (name, the
     * share on both sides, its growth in percentage points, q, the limit and where it came from), then what grew
     * within its limit, and what was not checked; or one line saying why nothing could be judged.
     */
    public static String diffGate(DiffGate.Result g) {
        StringBuilder sb = new StringBuilder("profile gate: ");
        if (!g.judged()) {
            return sb.append("not judged: ").append(t(g.limitation())).append('\n').toString();
        }
        String on = g.on().label();
        String alpha = "q <= " + String.format(Quantities.PLAIN, "%s", g.alpha());
        int judged = g.checks().size() - g.with(DiffGate.Status.EXEMPT).size();
        String checked = judged + (judged == 1 ? " function" : " functions");
        List<DiffGate.Check> failures = g.failures();
        if (!failures.isEmpty()) {
            sb.append(failures.size()).append(" of ").append(checked).append(" grew beyond ")
                    .append(failures.size() == 1 ? "its" : "their").append(" limit (").append(on)
                    .append(" share up significantly, ").append(alpha).append(", by more than the limit in percentage points):\n");
            List<String[]> lines = new ArrayList<>();
            for (DiffGate.Check c : failures) {
                lines.add(new String[] {t(c.row().name()), on + " " + share(c.baseShare()) + " -> " + share(c.share()),
                        points(c.growth()), "q=" + q(c.q()).strip(), "limit " + c.limit().label() + " ("
                        + t(c.limit().source()) + ")"});
            }
            Columns.append(sb, "  ", lines);
        } else {
            sb.append("no function grew beyond its limit (").append(checked).append(" checked; a growth is a")
                    .append(" significant rise of the ").append(on).append(" share, ").append(alpha).append(")\n");
        }
        List<DiffGate.Check> within = g.with(DiffGate.Status.WITHIN_LIMIT);
        if (!within.isEmpty()) {
            sb.append("  ").append(within.size()).append(" grew significantly within ")
                    .append(within.size() == 1 ? "its" : "their").append(" limit: ");
            int shown = Math.min(5, within.size());
            for (int i = 0; i < shown; i++) {
                DiffGate.Check c = within.get(i);
                sb.append(i == 0 ? "" : ", ").append(t(c.row().name())).append(' ').append(points(c.growth()))
                        .append(" (limit ").append(c.limit().label()).append(')');
            }
            sb.append(within.size() > shown ? " and " + (within.size() - shown) + " more" : "").append('\n');
        }
        int exempt = g.with(DiffGate.Status.EXEMPT).size();
        if (exempt > 0) {
            sb.append("  ").append(exempt).append(exempt == 1 ? " function" : " functions")
                    .append(" exempt (a rule with limit none)\n");
        }
        if (g.unchecked() > 0) {
            sb.append("  ").append(g.unchecked()).append(g.unchecked() == 1 ? " function" : " functions")
                    .append(" no rule finds, not checked\n");
        }
        return sb.toString();
    }

    /** A share in percent: 5.83%. */
    private static String share(double pct) {
        return String.format(Quantities.PLAIN, "%.2f%%", pct);
    }

    /** A growth in percentage points: +6.72pp. */
    private static String points(double pp) {
        return String.format(Quantities.PLAIN, "%+.2fpp", pp);
    }

    /** A normalised value: a share as a percentage, or a value per second in its unit. */
    private static String norm(double v, boolean share, String unit, boolean signed) {
        String s;
        if (share) {
            s = percent(100 * v).strip();
            if (v < 0) {
                s = "-" + s;
            }
        } else {
            s = Quantities.format(Math.round(v), unit) + "/s";
        }
        return signed && v > 0 ? "+" + s : s;
    }

    private static String perOp(double v, String unit, boolean signed) {
        String s = PerOp.format(v, unit);
        return signed && v > 0 ? "+" + s : s;
    }

    private static String q(double q) {
        if (Double.isNaN(q)) {
            return "-";
        }
        return q < 0.0001 ? "<0.0001" : String.format(Quantities.PLAIN, "%.4f", q);
    }
}
