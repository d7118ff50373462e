package dev.proflab.stats.chart;

import dev.proflab.stats.Comparison;
import dev.proflab.stats.Verdicts;
import dev.proflab.stats.Comparison.Cell;
import dev.proflab.stats.Comparison.Row;
import dev.proflab.stats.Comparison.Table;
import dev.proflab.text.Escape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link Comparison} as a picture: an SVG chart, one panel per row (benchmark and metric), one lane
 * per column. Each lane shows every sample as a dot on a logarithmic axis, the median as a bar and
 * the confidence interval of the median as a band around it; on the right the median with its ± and,
 * for every column but the baseline, the change and whether it is significant (green: better, red:
 * worse, grey: no significant difference). The title says the verdict in one line when it is simple
 * (one row in the first table): {@code memo is 64,000× faster than recursive}.
 *
 * <p>A pure function of the comparison: same comparison, same bytes. Units carry SI prefixes
 * ({@code 27.9 ms}, {@code 2.21 kB}); fonts are generic, so any SVG viewer or browser shows it.
 */
public final class ComparisonChart {

    /**
     * How to draw.
     *
     * @param width image width in pixels
     * @param title the title line, or null for the column names ({@code recursive vs memo vs iterative})
     */
    public record Options(int width, String title) {

        public Options {
            if (width < 600) {
                throw new IllegalArgumentException("width must be at least 600 pixels, not " + width);
            }
        }

        public static Options defaults() {
            return new Options(1000, null);
        }

        public Options withTitle(String t) {
            return new Options(width, t);
        }
    }

    static final int MAX_PANELS = 40;
    /** Under half a byte per op is JMH's measurement floor, not an allocation of the code. */
    static final double NOTHING = 0.5;
    static final String[] PALETTE = {
        "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"
    };
    private static final String FONT = "Verdana, 'DejaVu Sans', 'Bitstream Vera Sans', sans-serif";
    private static final String GOOD = "#1e7b34";
    private static final String BAD = "#c0392b";
    private static final String NEUTRAL = "#666666";
    private static final int PAD = 14;
    private static final int LABEL_W = 150;
    private static final int NOTE_W = 300;
    private static final int LANE_H = 32;
    private static final int PANEL_HEAD = 26;
    private static final int AXIS_H = 26;
    private static final int PANEL_GAP = 16;

    private ComparisonChart() {
    }

    public static String svg(Comparison c) {
        return svg(c, Options.defaults());
    }

    public static String svg(Comparison c, Options options) {
        List<String> columns = c.columns();
        List<Row> rows = new ArrayList<>();
        for (Table t : c.tables()) {
            rows.addAll(t.rows());
        }
        int shown = Math.min(rows.size(), MAX_PANELS);
        int panelH = PANEL_HEAD + columns.size() * LANE_H + AXIS_H;
        List<Verdicts.Verdict> verdicts = Verdicts.of(c, Verdicts.Options.defaults());
        String headline = headline(c, verdicts);
        int header = 34 + (headline.isEmpty() ? 0 : 22) + 20;
        int footer = rows.size() > shown ? 24 : 8;
        int height = header + shown * (panelH + PANEL_GAP) + footer;
        int width = options.width();

        StringBuilder sb = new StringBuilder(8192);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
        sb.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"%s\" font-size=\"11\">%n", width, height, width, height, FONT));
        String title = options.title() != null ? options.title() : String.join(" vs ", columns);
        sb.append("<title>").append(xml(title)).append("</title>\n");
        sb.append(f("<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", width, height));
        int y = 26;
        sb.append(f("<text x=\"%d\" y=\"%d\" font-size=\"18\" font-weight=\"bold\" fill=\"#222\">%s</text>%n",
                PAD, y, xml(title)));
        if (!headline.isEmpty()) {
            y += 22;
            sb.append(f("<text x=\"%d\" y=\"%d\" font-size=\"13\" fill=\"#222\">%s</text>%n", PAD, y, xml(headline)));
        }
        y += 20;
        String conf = trim(c.options().confidence() * 100);
        sb.append(f("<text x=\"%d\" y=\"%d\" fill=\"#666\">%s</text>%n", PAD, y, xml(
                "Dots: every measurement (iterations of all forks). Bar: the median. Band: its " + conf
                        + "% confidence interval. Log scale. Differences: Mann-Whitney U, alpha "
                        + trim(c.options().alpha()) + ".")));
        y = header;
        for (int i = 0; i < shown; i++) {
            panel(sb, rows.get(i), columns, y, width, c.options().alpha(), verdicts);
            y += panelH + PANEL_GAP;
        }
        if (rows.size() > shown) {
            sb.append(f("<text x=\"%d\" y=\"%d\" fill=\"#666\">%s</text>%n", PAD, height - 10,
                    xml((rows.size() - shown) + " more rows not drawn; see the table")));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    // ---- one row ---------------------------------------------------------------------------------

    private static void panel(StringBuilder sb, Row row, List<String> columns, int top, int width, double alpha,
            List<Verdicts.Verdict> verdicts) {
        String metric = row.metric();
        int plotX0 = PAD + LABEL_W;
        int plotX1 = width - PAD - NOTE_W;
        int lanesTop = top + PANEL_HEAD;
        int lanesBottom = lanesTop + columns.size() * LANE_H;

        sb.append(f("<text x=\"%d\" y=\"%d\" font-size=\"13\" font-weight=\"bold\" fill=\"#222\">%s"
                        + "<tspan dx=\"10\" font-weight=\"normal\" fill=\"#555\">%s</tspan></text>%n",
                PAD, top + 16, xml(row.name()), xml(describe(metric))));

        // Axis range over every positive sample and finite interval bound.
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Cell cell : row.cells()) {
            for (double v : cell.samples()) {
                if (v > 0) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            if (cell.ciFinite() && cell.ciLow() > 0) {
                lo = Math.min(lo, cell.ciLow());
                hi = Math.max(hi, cell.ciHigh());
            }
        }
        boolean drawable = lo <= hi;
        LogAxis axis = drawable ? LogAxis.of(lo, hi, plotX0, plotX1) : null;

        // Lane backgrounds and grid.
        for (int c = 0; c < columns.size(); c++) {
            if (c % 2 == 1) {
                sb.append(f("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f5f5f7\"/>%n",
                        PAD, lanesTop + c * LANE_H, width - 2 * PAD, LANE_H));
            }
        }
        sb.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>%n",
                plotX0, lanesBottom, plotX1, lanesBottom));
        if (axis != null) {
            for (double t : axis.ticks()) {
                double x = axis.x(t);
                sb.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#dddddd\"/>%n",
                        x, lanesTop, x, lanesBottom));
                sb.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>%n",
                        x, lanesBottom, x, lanesBottom + 4));
                sb.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">%s</text>%n",
                        x, lanesBottom + 16, xml(SiFormat.tick(t, metric))));
            }
        } else {
            sb.append(f("<text x=\"%d\" y=\"%d\" fill=\"#666\">%s</text>%n", plotX0, lanesTop + 18,
                    xml("no positive values: nothing to draw on a log scale")));
        }

        Cell base = row.cell(0);
        for (int c = 0; c < columns.size(); c++) {
            Cell cell = row.cell(c);
            String color = PALETTE[c % PALETTE.length];
            int laneTop = lanesTop + c * LANE_H;
            double mid = laneTop + LANE_H / 2.0;
            sb.append(f("<rect x=\"%d\" y=\"%.1f\" width=\"10\" height=\"10\" rx=\"2\" fill=\"%s\"/>",
                    PAD, mid - 5, color));
            sb.append(f("<text x=\"%d\" y=\"%.1f\" font-size=\"12\" fill=\"#222\">%s%s</text>%n", PAD + 15, mid + 4,
                    xml(fit(columns.get(c), (LABEL_W - 22) / 7.2)),
                    c == 0 && columns.size() > 1 ? "<tspan dx=\"6\" fill=\"#888\" font-size=\"10\">base</tspan>" : ""));
            if (!cell.present()) {
                sb.append(f("<text x=\"%d\" y=\"%.1f\" fill=\"#888\">missing from this column</text>%n",
                        plotX0 + 6, mid + 4));
                continue;
            }
            if (axis != null) {
                // the interval band, the dots, the median
                if (cell.ciFinite()) {
                    double x0 = axis.x(Math.max(cell.ciLow(), axis.min()));
                    double x1 = axis.x(cell.ciHigh());
                    sb.append(f("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" rx=\"3\" fill=\"%s\""
                                    + " fill-opacity=\"0.25\" stroke=\"%s\" stroke-opacity=\"0.6\"/>%n",
                            x0, mid - 9, Math.max(x1 - x0, 1.5), 18, color, color));
                }
                double[] samples = cell.samples();
                for (int i = 0; i < samples.length; i++) {
                    double v = samples[i];
                    double jitter = ((i * 0.6180339887) % 1.0 - 0.5) * (LANE_H - 12);
                    if (v > 0) {
                        sb.append(f("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\" fill-opacity=\"0.7\"/>",
                                axis.x(v), mid + jitter, color));
                    } else {
                        // not on a log scale: an open circle at the left edge
                        sb.append(f("<circle cx=\"%d\" cy=\"%.1f\" r=\"3\" fill=\"none\" stroke=\"%s\"/>",
                                plotX0, mid + jitter, color));
                    }
                }
                sb.append('\n');
                if (cell.median() > 0) {
                    double mx = axis.x(cell.median());
                    sb.append(f("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#111\" stroke-width=\"2.5\"/>%n",
                            mx, mid - 12, mx, mid + 12));
                }
            }
            // the numbers on the right
            int nx = plotX1 + 14;
            sb.append(f("<text x=\"%d\" y=\"%.1f\" font-size=\"12\" fill=\"#222\">%s<tspan dx=\"8\" fill=\"#777\" font-size=\"10\">%s</tspan></text>%n",
                    nx, mid - 2, xml(SiFormat.value(cell.median(), metric) + " " + plusMinus(cell)),
                    xml("n=" + cell.n())));
            if (c > 0) {
                Delta d = delta(cell, base, metric, alpha, verdict(verdicts, row, c));
                sb.append(f("<text x=\"%d\" y=\"%.1f\" fill=\"%s\"%s>%s</text>%n", nx, mid + 12, d.color,
                        d.color.equals(NEUTRAL) ? "" : " font-weight=\"bold\"", xml(d.text)));
            }
        }
    }

    private record Delta(String text, String color) {
    }

    /** The verdict of one column of a row, null when there is none. */
    private static Verdicts.Verdict verdict(List<Verdicts.Verdict> verdicts, Row row, int column) {
        for (Verdicts.Verdict v : verdicts) {
            if (v.row() == row && v.column() == column) {
                return v;
            }
        }
        return null;
    }

    /**
     * The change from the baseline in words and colour: green better, red worse, grey when the data do
     * not show one (no difference, inconclusive, or B/op below what -prof gc resolves; see {@link Verdicts}).
     */
    private static Delta delta(Cell cell, Cell base, String metric, double alpha, Verdicts.Verdict v) {
        Comparison.Delta d = cell.delta();
        if (d == null || !base.present()) {
            return new Delta("not compared", NEUTRAL);
        }
        String p = pValue(d.pValue());
        if (v != null) {
            switch (v.kind()) {
                case BELOW_RESOLUTION -> {
                    return new Delta(v.baseBelowFloor() && v.belowFloor() ? "~ both below what -prof gc can resolve"
                            : v.belowFloor() ? "~ below what -prof gc can resolve"
                            : "~ the baseline is below what -prof gc can resolve", NEUTRAL);
                }
                case NO_DIFFERENCE -> {
                    return new Delta("~ no difference (" + p + ")", NEUTRAL);
                }
                case INCONCLUSIVE -> {
                    return new Delta("~ inconclusive (" + p + "): run more forks", NEUTRAL);
                }
                default -> {
                }
            }
        }
        if (metric.equals("B/op") && base.median() < NOTHING && cell.median() < NOTHING) {
            // below JMH's resolution: a "significant" 0.001 B/op is noise, not allocation
            return new Delta("~ neither allocates (both under 1 B/op)", NEUTRAL);
        }
        if (!d.significant()) {
            return new Delta("~ no significant difference (" + p + ")", NEUTRAL);
        }
        boolean higherIsBetter = metric.equals("ops/s");
        boolean better = higherIsBetter ? cell.median() > base.median() : cell.median() < base.median();
        String pct = Double.isNaN(d.percent()) ? "" : String.format(Locale.ROOT, "%+.2f%%", d.percent());
        String ratio = ratioWords(cell.median(), base.median(), metric);
        // -100.00% says nothing next to "64,000x faster": big changes get the ratio only
        double r = cell.median() > 0 && base.median() > 0
                ? Math.max(cell.median() / base.median(), base.median() / cell.median()) : Double.POSITIVE_INFINITY;
        String text = (r >= 2 && !ratio.isEmpty() || pct.isEmpty() ? ratio
                : pct + (ratio.isEmpty() ? "" : ", " + ratio)) + " (" + p + ")";
        return new Delta(text, better ? GOOD : BAD);
    }

    /** {@code 64,000× faster}, {@code 2.13× slower}, {@code 1.5× the throughput}, {@code 2.5× the bytes}. */
    static String ratioWords(double value, double base, String metric) {
        if (metric.equals("B/op") && (value < NOTHING || base < NOTHING)) {
            return value < NOTHING ? "allocates nothing (under 1 B/op)" : "allocates; the baseline does not";
        }
        if (!(value > 0) || !(base > 0)) {
            return "";
        }
        return switch (metric) {
            case "sec/op" -> value <= base ? times(base / value) + " faster" : times(value / base) + " slower";
            case "ops/s" -> times(value / base) + " the throughput";
            case "B/op" -> value <= base ? times(base / value) + " fewer bytes" : times(value / base) + " the bytes";
            default -> times(value / base);
        };
    }

    /** The verdict of the first table in one line, when it has one row: {@code memo is 64,000× faster than recursive}. */
    static String headline(Comparison c) {
        return headline(c, Verdicts.of(c, Verdicts.Options.defaults()));
    }

    static String headline(Comparison c, List<Verdicts.Verdict> verdicts) {
        if (c.tables().isEmpty() || c.columns().size() < 2) {
            return "";
        }
        Table t = c.tables().get(0);
        if (t.rows().size() != 1) {
            return "";
        }
        Row row = t.rows().get(0);
        Cell base = row.cell(0);
        List<String> ratios = new ArrayList<>(); // "memo is 64,003× faster": these read "... than recursive"
        List<String> labels = new ArrayList<>(); // "iterative: inconclusive": these do not
        for (int i = 1; i < row.cells().size(); i++) {
            Cell cell = row.cell(i);
            if (cell.delta() == null || !base.present()) {
                continue;
            }
            String who = c.columns().get(i);
            Verdicts.Verdict v = verdict(verdicts, row, i);
            if (v != null && v.kind() != Verdicts.Kind.DIFFERENT) {
                labels.add(who + ": " + switch (v.kind()) {
                    case NO_DIFFERENCE -> "no difference";
                    case BELOW_RESOLUTION -> "below what -prof gc can resolve";
                    default -> "inconclusive";
                });
                continue;
            }
            if (!cell.delta().significant()) {
                labels.add(who + ": no significant difference");
                continue;
            }
            String words = ratioWords(cell.median(), base.median(), t.metric());
            if (!words.isEmpty()) {
                ratios.add(who + (t.metric().equals("ops/s") ? " has " : " is ") + words);
            }
        }
        String baseline = c.columns().get(0) + " (" + row.name() + ")";
        if (ratios.isEmpty()) {
            return labels.isEmpty() ? "" : String.join(", ", labels) + ", against " + baseline;
        }
        String of = switch (t.metric()) {
            case "sec/op" -> " than ";
            case "ops/s" -> " of ";
            default -> " compared with ";
        };
        return String.join(", ", ratios) + of + baseline + (labels.isEmpty() ? "" : "; " + String.join(", ", labels));
    }

    static String times(double ratio) {
        if (!Double.isFinite(ratio)) {
            return "∞×";
        }
        if (ratio >= 100) {
            return String.format(Locale.ROOT, "%,.0f×", round3(ratio));
        }
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }

    /** 4,837,212 -> 4,840,000: three significant digits are all a benchmark can claim. */
    private static double round3(double v) {
        double scale = Math.pow(10, Math.floor(Math.log10(v)) - 2);
        return Math.round(v / scale) * scale;
    }

    private static String plusMinus(Cell cell) {
        if (!cell.ciFinite()) {
            return "± ∞";
        }
        double m = cell.median();
        if (m == 0) {
            return "";
        }
        double half = Math.max(m - cell.ciLow(), cell.ciHigh() - m) / Math.abs(m) * 100;
        return half >= 10 || half == 0 ? String.format(Locale.ROOT, "± %.0f%%", half)
                : String.format(Locale.ROOT, "± %.1f%%", half);
    }

    private static String pValue(double p) {
        return p < 0.001 ? "p<0.001" : String.format(Locale.ROOT, "p=%.3f", p);
    }

    private static String describe(String metric) {
        return switch (metric) {
            case "sec/op" -> "time per operation (sec/op), lower is better";
            case "ops/s" -> "throughput (ops/s), higher is better";
            case "B/op" -> "bytes allocated per operation (B/op), lower is better";
            default -> metric;
        };
    }

    private static String fit(String s, double chars) {
        int n = (int) chars;
        return s.length() <= n ? s : Escape.prefix(s, Math.max(1, n - 1)) + "…";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** Benchmark names, parameters and columns come from JMH files: XML text whatever they hold. */
    static String xml(String s) {
        return Escape.xml(s);
    }
}
