package dev.proflab.stats;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.proflab.stats.Comparison.Cell;
import dev.proflab.stats.Comparison.Delta;
import dev.proflab.stats.Comparison.Geomean;
import dev.proflab.stats.Comparison.Row;
import dev.proflab.stats.Comparison.Table;
import dev.proflab.text.Columns;
import dev.proflab.text.Escape;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.DoubleFunction;
import java.util.function.UnaryOperator;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link Comparison}. Every format is a pure function of the comparison; none includes
 * the warnings, which {@link Comparison#warnings()} returns for the caller to show.
 *
 * <ul>
 *   <li>{@link #TEXT}: benchstat's table, one per metric, values with SI prefixes (binary ones for
 *       B/op), {@code ± x%} intervals, deltas like {@code -99.99% (p=0.000 n=10)} or {@code ~};
 *   <li>{@link #MARKDOWN}: the same tables as GitHub markdown;
 *   <li>{@link #CSV}: one line per row, numbers in base units at full precision;
 *   <li>{@link #JSON}: an array of rows with stable field names (see {@link #JSON}).
 * </ul>
 */
public enum StatFormat {

    /** benchstat's text table. */
    TEXT {
        @Override
        public String render(Comparison c) {
            return tables(c, StatFormat::text);
        }
    },

    /** GitHub markdown tables, one per metric under a bold metric line. */
    MARKDOWN {
        @Override
        public String render(Comparison c) {
            return tables(c, StatFormat::markdown);
        }
    },

    /**
     * Comma-separated values: a header, then one line per row and per geomean. Columns:
     * {@code metric,name,benchmark,mode,params}, then for each column {@code <col> n},
     * {@code <col> median}, {@code <col> ci_low}, {@code <col> ci_high}, and for all but the baseline
     * {@code <col> delta_percent}, {@code <col> p_value}, {@code <col> significant}. Params are
     * {@code k=v} joined by {@code ;}. Empty fields mean missing or infinite.
     */
    CSV {
        @Override
        public String render(Comparison c) {
            return csv(c);
        }
    },

    /**
     * A JSON array of rows:
     *
     * <pre>{@code
     * {"benchmark": full JMH name, "name": display name, "mode": "avgt", "params": {"n": "32"},
     *  "metric": "sec/op" | "ops/s" | "B/op", "unit": unit JMH reported (values are in metric),
     *  "columns": [{"name", "n", "median", "ci_low", "ci_high"},
     *              {"name", "n", "median", "ci_low", "ci_high", "delta_percent", "p_value", "significant"}]}
     * }</pre>
     *
     * <p>The first column is the baseline and has no delta fields. {@code ci_low}/{@code ci_high}
     * are null when the interval is infinite; a column without samples has {@code n} 0 and nulls.
     * Each metric with two or more rows ends with a geomean row: {@code "benchmark": "geomean"},
     * {@code "mode": null}, {@code "params": {}}, {@code n} the number of medians in the column's mean,
     * {@code "median"} the geomean, {@code "delta_percent"} the geomean of the ratios,
     * {@code "p_value"} and {@code "significant"} null.
     *
     * <p>With a regression gate ({@link #render(Comparison, Gate.Result)}), and only then, every column but
     * the baseline of every row but the geomeans has three more fields:
     *
     * <pre>{@code
     * "limit_percent": the row's limit in percent (5.0 for 5%), null when the row has none,
     * "regressed": true when the gate failed on this column, false when it was judged and passed
     *              (no significant change, better, or worse within the limit), null when not judged,
     * "gate": "regressed" | "within_limit" | "passed" | "inconclusive" | "below_resolution" | "missing" | "no_limit"
     * }</pre>
     */
    JSON {
        @Override
        public String render(Comparison c) {
            return json(c, null);
        }
    };

    /** Renders the comparison in this format; the result ends with a newline unless empty. */
    public abstract String render(Comparison c);

    /**
     * Renders the comparison and what a regression gate found: {@link #TEXT} and {@link #MARKDOWN} add a
     * section after the tables (the failures, or one line saying none regressed, and what was not judged),
     * {@link #JSON} adds the gate's fields to the columns (see {@link #JSON}), {@link #CSV} is the same as
     * without a gate. With a null gate, {@link #render(Comparison)}.
     */
    public String render(Comparison c, Gate.Result gate) {
        if (gate == null) {
            return render(c);
        }
        return switch (this) {
            case TEXT -> render(c) + "\n" + gateText(c, gate);
            case MARKDOWN -> render(c) + "\n" + gateMarkdown(c, gate);
            case CSV -> render(c);
            case JSON -> json(c, gate);
        };
    }

    /** One table per metric, a blank line between them. */
    private static String tables(Comparison c, TableWriter writer) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.tables().size(); i++) {
            if (i > 0) {
                sb.append('\n');
            }
            writer.write(sb, c, c.tables().get(i));
        }
        return sb.toString();
    }

    @FunctionalInterface
    private interface TableWriter {
        void write(StringBuilder sb, Comparison c, Table table);
    }

    // ---- text -----------------------------------------------------------------------------------

    private static final int CENTER_COLS = 3; // <center> <± CI> <footnotes>
    private static final int DELTA_COLS = 3; // <delta> <(p=0.PPP n=N)> <footnotes>

    private static int startCol(int exp) {
        return exp == 0 ? 1 : 1 + CENTER_COLS + (exp - 1) * (CENTER_COLS + DELTA_COLS);
    }

    private static void text(StringBuilder sb, Comparison c, Table table) {
        TextTable o = new TextTable();
        List<String> cols = c.columns();
        int rEdge = startCol(cols.size());
        // Column names.
        o.row();
        for (int i = 0; i < cols.size(); i++) {
            int l = startCol(i);
            int r = startCol(i + 1);
            o.col(l).span(r - l, cols.get(i), TextTable.Align.CENTER, " │ ");
        }
        o.col(rEdge).cell("", null, " │");
        // Units and "vs base".
        o.row();
        for (int i = 0; i < cols.size(); i++) {
            int l = startCol(i);
            o.col(l);
            o.span(CENTER_COLS, table.metric(), TextTable.Align.CENTER, " │ ");
            if (i > 0) {
                o.span(DELTA_COLS, "vs base", TextTable.Align.LEFT, "  ");
            }
            for (int j = l + 1; j < o.curCol(); j++) {
                o.setShrink(j, true);
            }
        }
        o.col(rEdge).cell("", null, " │");
        // Rows.
        for (Row row : table.rows()) {
            o.row();
            o.cell(row.name());
            DoubleFunction<String> scaler = rowScaler(row);
            for (int exp = 0; exp < cols.size(); exp++) {
                Cell cell = row.cell(exp);
                if (!cell.present()) {
                    continue;
                }
                o.col(startCol(exp));
                o.cell(scaler.apply(cell.median()), TextTable.Align.RIGHT);
                o.cell(pctRange(cell), TextTable.Align.RIGHT, " ± ");
                o.cell("");
                if (exp > 0 && cell.delta() != null) {
                    o.cell(formatDelta(cell.delta(), row.cell(0).median(), cell.median()), TextTable.Align.RIGHT);
                    o.cell("(" + formatTest(cell.delta(), cell.n()) + ")");
                    o.cell("");
                }
            }
        }
        // Summary row.
        Geomean g = table.geomean();
        if (g != null) {
            o.row();
            o.cell("geomean");
            for (int exp = 0; exp < cols.size(); exp++) {
                double v = g.values().get(exp);
                if (!Double.isNaN(v)) {
                    o.col(startCol(exp));
                    o.cell(Scaler.scale(v, table.metric()), TextTable.Align.RIGHT);
                }
                if (exp > 0) {
                    o.col(startCol(exp) + CENTER_COLS);
                    double r = g.ratioPercent().get(exp);
                    o.cell(Double.isNaN(r) ? "?" : signed2(r) + "%", TextTable.Align.RIGHT);
                }
                o.col(startCol(exp + 1) - 1);
                o.cell("");
            }
        }
        o.format(sb);
    }

    /**
     * benchstat scales a row's values together so their digits line up. When they span more than
     * three orders of magnitude (fib's 28 ms against 6 ns) one scale would print 28373049.875n, so each
     * value then gets its own scale.
     */
    private static DoubleFunction<String> rowScaler(Row row) {
        double[] centers = row.cells().stream().filter(Cell::present).mapToDouble(Cell::median).toArray();
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double v : centers) {
            double a = Math.abs(v);
            if (a > 0 && Double.isFinite(a)) {
                min = Math.min(min, a);
                max = Math.max(max, a);
            }
        }
        if (max > 0 && max / min > 1000) {
            return v -> Scaler.scale(v, row.metric());
        }
        Scaler common = Scaler.common(centers, row.metric());
        return common::format;
    }

    /** benchstat's {@code Summary.PctRangeString}: the larger distance of lo/hi from the median. */
    static String pctRange(Cell cell) {
        if (!cell.ciFinite()) {
            return "∞";
        }
        double center = cell.median();
        if (Math.signum(center) != Math.signum(cell.ciLow()) || Math.signum(center) != Math.signum(cell.ciHigh())) {
            return "?";
        }
        if (center == 0) {
            return "0%";
        }
        double v = Math.max(cell.ciHigh() / center - 1, 1 - cell.ciLow() / center);
        return Scaler.fixed(100 * v, 0) + "%";
    }

    /** benchstat's {@code Comparison.FormatDelta}. */
    static String formatDelta(Delta d, double old, double now) {
        if (!d.significant()) {
            return "~";
        }
        if (old == now) {
            return "0.00%";
        }
        if (old == 0) {
            return "?";
        }
        return signed2(d.percent()) + "%";
    }

    /** benchstat's {@code Comparison.String}: {@code p=0.PPP n=N} or {@code p=0.PPP n=N1+N2}. */
    /**
     * {@code p=0.000 n=10+10}. Unlike benchstat, which writes {@code n=10} when both sides have the same
     * count and leaves {@code p} out when it is exactly 0, both are always shown: the sample count of
     * each side is what the reader needs to judge the p-value.
     */
    static String formatTest(Delta d, int n) {
        return "p=" + Scaler.fixed(d.pValue(), 3) + " n=" + d.baseN() + "+" + n;
    }

    private static String signed2(double v) {
        String s = Scaler.fixed(v, 2);
        return s.startsWith("-") ? s : "+" + s;
    }

    // ---- markdown -------------------------------------------------------------------------------

    private static void markdown(StringBuilder sb, Comparison c, Table table) {
        List<String> cols = c.columns();
        sb.append("**").append(md(table.metric())).append("**\n\n");
        sb.append("| benchmark |");
        for (int i = 0; i < cols.size(); i++) {
            sb.append(' ').append(md(cols.get(i))).append(" |");
            if (i > 0) {
                sb.append(" vs base |");
            }
        }
        sb.append("\n|:--|");
        for (int i = 0; i < cols.size(); i++) {
            sb.append("--:|");
            if (i > 0) {
                sb.append(":--|");
            }
        }
        sb.append('\n');
        for (Row row : table.rows()) {
            sb.append("| ").append(md(row.name())).append(" |");
            DoubleFunction<String> scaler = rowScaler(row);
            for (int i = 0; i < cols.size(); i++) {
                Cell cell = row.cell(i);
                sb.append(' ');
                if (cell.present()) {
                    sb.append(scaler.apply(cell.median())).append(" ± ").append(pctRange(cell));
                }
                sb.append(" |");
                if (i > 0) {
                    sb.append(' ');
                    if (cell.delta() != null) {
                        sb.append(formatDelta(cell.delta(), row.cell(0).median(), cell.median()))
                                .append(" (").append(formatTest(cell.delta(), cell.n())).append(')');
                    }
                    sb.append(" |");
                }
            }
            sb.append('\n');
        }
        Geomean g = table.geomean();
        if (g != null) {
            sb.append("| *geomean* |");
            for (int i = 0; i < cols.size(); i++) {
                double v = g.values().get(i);
                sb.append(' ').append(Double.isNaN(v) ? "" : Scaler.scale(v, table.metric())).append(" |");
                if (i > 0) {
                    double r = g.ratioPercent().get(i);
                    sb.append(' ').append(Double.isNaN(r) ? "?" : signed2(r) + "%").append(" |");
                }
            }
            sb.append('\n');
        }
    }

    /**
     * A name in a markdown table cell: its pipes would end the cell and its {@code <} start raw HTML
     * (a name from a JMH file can hold anything), its control characters act on a terminal.
     */
    private static String md(String s) {
        return Escape.terminal(s).replace("|", "\\|").replace("<", "&lt;");
    }

    // ---- gate -----------------------------------------------------------------------------------

    /**
     * The gate after the text tables: a headline, one aligned line per failure (name, metric, column when
     * there are several, change, p, limit), then what was not judged or not checked.
     */
    private static String gateText(Comparison c, Gate.Result gate) {
        StringBuilder sb = new StringBuilder("regression gate: ");
        String alpha = "p <= " + trim(c.options().alpha());
        boolean several = c.columns().size() > 2;
        if (gate.failed()) {
            sb.append(gate.failures().size()).append(" of ").append(checked(gate, several))
                    .append(" regressed beyond ").append(gate.failures().size() == 1 ? "its" : "their")
                    .append(" limit (significantly worse, ").append(alpha).append("):\n");
            List<String[]> lines = new ArrayList<>();
            for (Gate.Failure f : gate.failures()) {
                lines.add(several
                        ? new String[] {Escape.terminal(f.row().name()), f.row().metric(), Escape.terminal(f.columnName()),
                                change(f.changePercent()), "p=" + Scaler.fixed(f.pValue(), 3), "limit " + limit(f.limit(), Escape::terminal)}
                        : new String[] {Escape.terminal(f.row().name()), f.row().metric(), change(f.changePercent()),
                                "p=" + Scaler.fixed(f.pValue(), 3), "limit " + limit(f.limit(), Escape::terminal)});
            }
            Columns.append(sb, "  ", lines);
        } else {
            sb.append("no benchmark regressed beyond its limit (").append(checked(gate, several))
                    .append(" checked; a regression is significantly worse, ").append(alpha).append(")\n");
        }
        for (String note : notes(gate)) {
            sb.append("  ").append(note).append('\n');
        }
        return sb.toString();
    }

    /** The gate after the markdown tables, ready for a pull request's comment. */
    private static String gateMarkdown(Comparison c, Gate.Result gate) {
        StringBuilder sb = new StringBuilder("### Regression gate\n\n");
        String alpha = "p ≤ " + trim(c.options().alpha());
        boolean several = c.columns().size() > 2;
        if (gate.failed()) {
            int n = gate.failures().size();
            sb.append("❌ **").append(n).append(n == 1 ? " regression" : " regressions").append("** beyond the limit")
                    .append(" (significantly worse, ").append(alpha).append("; ").append(checked(gate, several))
                    .append(" checked):\n\n");
            sb.append(several ? "| benchmark | metric | column | change | p | limit |\n|:--|:--|:--|--:|--:|--:|\n"
                    : "| benchmark | metric | change | p | limit |\n|:--|:--|--:|--:|--:|\n");
            for (Gate.Failure f : gate.failures()) {
                sb.append("| ").append(md(f.row().name())).append(" | ").append(md(f.row().metric())).append(" | ");
                if (several) {
                    sb.append(md(f.columnName())).append(" | ");
                }
                sb.append(change(f.changePercent())).append(" | ").append(Scaler.fixed(f.pValue(), 3)).append(" | ")
                        .append(limit(f.limit(), StatFormat::md)).append(" |\n");
            }
        } else {
            sb.append("✅ No benchmark regressed beyond its limit (").append(checked(gate, several))
                    .append(" checked; a regression is significantly worse, ").append(alpha).append(").\n");
        }
        List<String> notes = notes(gate);
        if (!notes.isEmpty()) {
            sb.append('\n');
            for (String note : notes) {
                sb.append("- ").append(note).append('\n');
            }
        }
        return sb.toString();
    }

    /** "6 rows", or with several columns "12 checks (rows x columns)". */
    private static String checked(Gate.Result gate, boolean several) {
        int n = gate.checked();
        return several ? n + (n == 1 ? " check" : " checks") + " (rows x columns)" : n + (n == 1 ? " row" : " rows");
    }

    /** What was significantly worse within its limit, not judged, or not checked, one line each. */
    private static List<String> notes(Gate.Result gate) {
        List<String> out = new ArrayList<>();
        if (gate.withinLimit() > 0) {
            out.add(gate.withinLimit() + " significantly worse, but within " + (gate.withinLimit() == 1 ? "its" : "their")
                    + " limit");
        }
        if (gate.inconclusive() > 0) {
            EnumSet<Verdicts.Why> why = EnumSet.noneOf(Verdicts.Why.class);
            for (Gate.Check c : gate.checks()) {
                if (c.outcome() == Gate.Outcome.INCONCLUSIVE) {
                    why.add(c.verdict().why());
                }
            }
            List<String> reasons = new ArrayList<>();
            if (why.contains(Verdicts.Why.FORKS_DISAGREE)) {
                reasons.add("forks disagree");
            }
            if (why.contains(Verdicts.Why.WIDE_INTERVALS)) {
                reasons.add("intervals too wide");
            }
            if (why.contains(Verdicts.Why.TOO_FEW_SAMPLES)) {
                reasons.add("too few samples");
            }
            out.add(gate.inconclusive() + " inconclusive, not judged: the data cannot decide ("
                    + String.join(", ", reasons) + "); a rerun with " + gate.suggestedForks()
                    + " forks per side could decide");
        }
        if (gate.belowResolution() > 0) {
            out.add(gate.belowResolution() + " B/op below what -prof gc resolves, not judged");
        }
        if (gate.missing() > 0) {
            out.add(gate.missing() + " missing from a column or from the baseline, not judged");
        }
        if (gate.noLimit() > 0) {
            out.add(gate.noLimit() + " without a limit, not checked");
        }
        return out;
    }

    /** A change in percent with its sign, two decimals; ±∞ when the baseline was 0. */
    private static String change(double percent) {
        if (Double.isInfinite(percent)) {
            return percent > 0 ? "+∞%" : "-∞%";
        }
        return signed2(percent) + "%";
    }

    /** {@code 5%}, {@code 0.5%}, with the source in parentheses when there is one. */
    private static String limit(Gate.Limit limit, UnaryOperator<String> escape) {
        String s = trim(limit.percent()) + "%";
        return limit.source() == null ? s : s + " (" + escape.apply(limit.source()) + ")";
    }

    /** At most six decimals, no trailing zeros: 0.05, 5, 12.5. */
    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    // ---- csv ------------------------------------------------------------------------------------

    private static String csv(Comparison c) {
        StringBuilder sb = new StringBuilder();
        List<String> cols = c.columns();
        sb.append("metric,name,benchmark,mode,params");
        for (int i = 0; i < cols.size(); i++) {
            String n = cols.get(i);
            for (String f : i == 0 ? List.of("n", "median", "ci_low", "ci_high")
                    : List.of("n", "median", "ci_low", "ci_high", "delta_percent", "p_value", "significant")) {
                sb.append(',').append(csvField(n + " " + f));
            }
        }
        sb.append('\n');
        for (Table t : c.tables()) {
            for (Row row : t.rows()) {
                sb.append(csvField(row.metric())).append(',').append(csvField(row.name())).append(',')
                        .append(csvField(row.benchmark())).append(',').append(csvField(row.mode())).append(',')
                        .append(csvField(params(row.params())));
                for (int i = 0; i < cols.size(); i++) {
                    Cell cell = row.cell(i);
                    sb.append(',').append(cell.n()).append(',').append(num(cell.median())).append(',')
                            .append(num(cell.ciLow())).append(',').append(num(cell.ciHigh()));
                    if (i > 0) {
                        Delta d = cell.delta();
                        if (d == null) {
                            sb.append(",,,");
                        } else {
                            sb.append(',').append(num(d.percent())).append(',').append(num(d.pValue()))
                                    .append(',').append(d.significant());
                        }
                    }
                }
                sb.append('\n');
            }
            Geomean g = t.geomean();
            if (g != null) {
                sb.append(csvField(t.metric())).append(",geomean,geomean,,");
                for (int i = 0; i < cols.size(); i++) {
                    sb.append(',').append(g.counts().get(i)).append(',').append(num(g.values().get(i))).append(",,");
                    if (i > 0) {
                        sb.append(',').append(num(g.ratioPercent().get(i))).append(",,");
                    }
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static String params(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!sb.isEmpty()) {
                sb.append(';');
            }
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    // ---- json -----------------------------------------------------------------------------------

    private static String json(Comparison c, Gate.Result gate) {
        Map<Row, Gate.Check[]> checks = gate == null ? Map.of() : gate.byRow();
        StringBuilder sb = new StringBuilder("[");
        boolean first = true;
        for (Table t : c.tables()) {
            for (Row row : t.rows()) {
                sb.append(first ? "\n" : ",\n");
                first = false;
                sb.append("  {\"benchmark\": ").append(str(row.benchmark()))
                        .append(", \"name\": ").append(str(row.name()))
                        .append(", \"mode\": ").append(str(row.mode()))
                        .append(", \"params\": {");
                boolean firstParam = true;
                for (Map.Entry<String, String> e : row.params().entrySet()) {
                    sb.append(firstParam ? "" : ", ").append(str(e.getKey())).append(": ").append(str(e.getValue()));
                    firstParam = false;
                }
                sb.append("}, \"metric\": ").append(str(row.metric()))
                        .append(", \"unit\": ").append(str(row.unit()))
                        .append(",\n   \"columns\": [");
                for (int i = 0; i < row.cells().size(); i++) {
                    Cell cell = row.cell(i);
                    sb.append(i == 0 ? "\n" : ",\n");
                    sb.append("     {\"name\": ").append(str(cell.column()))
                            .append(", \"n\": ").append(cell.n())
                            .append(", \"median\": ").append(jnum(cell.median()))
                            .append(", \"ci_low\": ").append(jnum(cell.ciLow()))
                            .append(", \"ci_high\": ").append(jnum(cell.ciHigh()));
                    if (i > 0) {
                        Delta d = cell.delta();
                        sb.append(", \"delta_percent\": ").append(d == null ? "null" : jnum(d.percent()))
                                .append(", \"p_value\": ").append(d == null ? "null" : jnum(d.pValue()))
                                .append(", \"significant\": ").append(d == null ? "null" : d.significant());
                        if (gate != null) {
                            Gate.Check[] rowChecks = checks.get(row);
                            Gate.Check check = rowChecks == null ? null : rowChecks[i];
                            Gate.Limit limit = check == null ? null : check.limit();
                            sb.append(", \"limit_percent\": ").append(limit == null ? "null" : jnum(limit.percent()))
                                    .append(", \"regressed\": ").append(check == null || !check.judged() ? "null"
                                            : String.valueOf(check.outcome() == Gate.Outcome.REGRESSED))
                                    .append(", \"gate\": ").append(check == null ? "null"
                                            : str(check.outcome().name().toLowerCase(Locale.ROOT)));
                        }
                    }
                    sb.append('}');
                }
                sb.append("]}");
            }
            Geomean g = t.geomean();
            if (g != null) {
                sb.append(first ? "\n" : ",\n");
                first = false;
                sb.append("  {\"benchmark\": \"geomean\", \"name\": \"geomean\", \"mode\": null, \"params\": {}")
                        .append(", \"metric\": ").append(str(t.metric()))
                        .append(", \"unit\": ").append(str(t.metric()))
                        .append(",\n   \"columns\": [");
                for (int i = 0; i < c.columns().size(); i++) {
                    sb.append(i == 0 ? "\n" : ",\n");
                    sb.append("     {\"name\": ").append(str(c.columns().get(i)))
                            .append(", \"n\": ").append(g.counts().get(i))
                            .append(", \"median\": ").append(jnum(g.values().get(i)))
                            .append(", \"ci_low\": null, \"ci_high\": null");
                    if (i > 0) {
                        sb.append(", \"delta_percent\": ").append(jnum(g.ratioPercent().get(i)))
                                .append(", \"p_value\": null, \"significant\": null");
                    }
                    sb.append('}');
                }
                sb.append("]}");
            }
        }
        sb.append(first ? "]\n" : "\n]\n");
        return sb.toString();
    }

    private static String str(String s) {
        if (s == null) {
            return "null";
        }
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    private static String jnum(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    /** Parses a format name, case-insensitively ("text", "md" and "markdown", "csv", "json"). */
    public static StatFormat of(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "text", "txt" -> TEXT;
            case "markdown", "md" -> MARKDOWN;
            case "csv" -> CSV;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("unknown format '" + name + "': use text, markdown, csv or json");
        };
    }
}
