package dev.proflab.gc;

import dev.proflab.text.Escape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pictures of a GC comparison as small hand-written SVG files, pure functions of the runs (same runs, same bytes):
 * <ul>
 *   <li>{@link #heap}: heap used over the JVM's uptime, one line per configuration (its median run), from the GC
 *       log's before/after points: the saw tooth of allocation and collection;</li>
 *   <li>{@link #pauses}: the pause distribution, one curve per configuration: every pause sorted, its percentile
 *       across and its length up, on a logarithmic ms axis.</li>
 * </ul>
 */
public final class GcCharts {

    static final String[] PALETTE = {
        "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
        "#1f77b4", "#8c564b"
    };
    private static final String FONT = "Verdana, 'DejaVu Sans', 'Bitstream Vera Sans', sans-serif";
    static final int WIDTH = 960;
    static final int HEIGHT = 520;
    private static final int LEFT = 78;
    private static final int RIGHT = 250;
    private static final int TOP = 66;
    private static final int BOTTOM = 64;

    private GcCharts() {
    }

    /** Height of one configuration's panel in the heap chart, and the gap between panels. */
    private static final int PANEL_H = 96;
    private static final int PANEL_GAP = 16;

    /**
     * Heap used (MiB) over uptime (s): one panel per run (small multiples, one above the other, the same axes), so
     * that saw teeth of hundreds of collections do not hide each other; labelled with the configuration.
     */
    public static String heap(String title, String subtitle, List<GcRun> runs) {
        double maxT = 0;
        double maxMb = 0;
        for (GcRun r : runs) {
            for (GcRun.HeapPoint p : r.heap()) {
                maxT = Math.max(maxT, p.atS());
                maxMb = Math.max(maxMb, p.usedMb());
            }
        }
        double[] xt = niceTicks(maxT > 0 ? maxT : 1);
        double[] yt = niceTicks(maxMb > 0 ? maxMb : 1, 3);
        double xMax = xt[xt.length - 1];
        double yMax = yt[yt.length - 1];
        int panels = Math.max(1, runs.size());
        int height = TOP + panels * (PANEL_H + PANEL_GAP) - PANEL_GAP + BOTTOM;
        Frame f = new Frame(height);
        StringBuilder b = f.open(title, subtitle, "JVM uptime (s)", "heap used (MiB), one panel per configuration");
        for (int i = 0; i < panels; i++) {
            int top = TOP + i * (PANEL_H + PANEL_GAP);
            int bottom = top + PANEL_H;
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"none\" "
                    + "stroke=\"#bbb\"/>%n", LEFT, top, f.plotW, PANEL_H));
            for (double t : xt) {
                double x = f.x(t / xMax);
                b.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>%n",
                        x, top, x, bottom));
                if (i == panels - 1) {
                    f.text(b, x, bottom + 16, "middle", tick(t));
                }
            }
            for (double v : yt) {
                double y = bottom - v / yMax * PANEL_H;
                b.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>%n",
                        LEFT, y, LEFT + f.plotW, y));
                f.text(b, LEFT - 6, y + 4, "end", tick(v));
            }
            if (runs.isEmpty()) {
                f.text(b, LEFT + f.plotW / 2, top + PANEL_H / 2.0, "middle", "no runs to show");
                continue;
            }
            GcRun r = runs.get(i);
            String color = PALETTE[i % PALETTE.length];
            List<double[]> pts = new ArrayList<>();
            for (GcRun.HeapPoint p : r.heap()) {
                pts.add(new double[] {f.x(p.atS() / xMax), bottom - p.usedMb() / yMax * PANEL_H});
            }
            if (pts.isEmpty()) {
                f.text(b, LEFT + f.plotW / 2, top + PANEL_H / 2.0 + 4, "middle", "no collection: nothing to show");
            }
            String note = (r.gcCount() == null ? r.heap().size() / 2 : r.gcCount()) + " GCs"
                    + (r.heap().isEmpty() ? "" : ", peak "
                    + tick(r.heap().stream().mapToDouble(GcRun.HeapPoint::usedMb).max().orElse(0)) + " MiB");
            f.series(b, r.config(), color, pts, note, top + 14);
        }
        return f.close();
    }

    /** Pause length (ms, log scale) against percentile, one curve per run, labelled with its configuration. */
    public static String pauses(String title, String subtitle, List<GcRun> runs) {
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (GcRun r : runs) {
            for (double ms : r.pausesMs()) {
                if (ms > 0) {
                    lo = Math.min(lo, ms);
                    hi = Math.max(hi, ms);
                }
            }
        }
        if (hi == 0) {
            lo = 0.01;
            hi = 1;
        }
        int d0 = (int) Math.floor(Math.log10(lo));
        int d1 = (int) Math.ceil(Math.log10(hi));
        if (d1 <= d0) {
            d1 = d0 + 1;
        }
        final int first = d0;
        final int decades = d1 - d0;
        Frame f = new Frame(HEIGHT);
        StringBuilder b = f.open(title, subtitle, "percentile of the run's pauses (%)", "pause (ms, log scale)");
        for (int p = 0; p <= 100; p += 10) {
            double x = f.x(p / 100.0);
            b.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>%n",
                    x, TOP, x, HEIGHT - BOTTOM));
            f.text(b, x, HEIGHT - BOTTOM + 18, "middle", Integer.toString(p));
        }
        for (int d = d0; d <= d1; d++) {
            for (int m : decades <= 2 ? new int[] {1, 2, 5} : new int[] {1}) {
                double v = m * Math.pow(10, d);
                double frac = (Math.log10(v) - first) / decades;
                if (frac > 1.0000001) {
                    continue;
                }
                double y = f.y(frac);
                b.append(String.format(Locale.ROOT, "<line class=\"%s\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>%n",
                        m == 1 ? "grid" : "grid minor", LEFT, y, WIDTH - RIGHT, y));
                f.text(b, LEFT - 6, y + 4, "end", tick(Double.parseDouble(m + "e" + d)));
            }
        }
        if (runs.stream().allMatch(r -> r.pausesMs().isEmpty())) {
            f.text(b, LEFT + f.plotW / 2, TOP + f.plotH / 2, "middle", "no pauses in these runs");
        }
        for (int i = 0; i < runs.size(); i++) {
            GcRun r = runs.get(i);
            String color = PALETTE[i % PALETTE.length];
            List<Double> ms = r.pausesMs();
            List<double[]> pts = new ArrayList<>();
            int n = ms.size();
            for (int k = 0; k < n; k++) {
                double v = Math.max(ms.get(k), Math.pow(10, first));
                double y = f.y((Math.log10(v) - first) / decades);
                pts.add(new double[] {f.x((double) k / n), y});
                pts.add(new double[] {f.x((double) (k + 1) / n), y});
            }
            String note = n == 0 ? "no pauses" : n + " pauses, p99 " + tick(GcLogSummary.percentile(
                    ms.stream().mapToDouble(Double::doubleValue).toArray(), 99)) + ", max " + tick(ms.get(n - 1)) + " ms";
            f.series(b, r.config(), color, pts, note, TOP + 24 + i * 34);
        }
        return f.close();
    }

    /** 1-2-5 ticks from 0 to at least {@code max}, 4 to 10 of them. */
    static double[] niceTicks(double max) {
        return niceTicks(max, 5);
    }

    /** 1-2-5 ticks from 0 to at least {@code max}, about {@code steps} steps. */
    static double[] niceTicks(double max, int steps) {
        double raw = max / steps;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * mag >= raw) {
                step = m * mag;
                break;
            }
        }
        int n = (int) Math.ceil(max / step - 1e-9);
        double[] t = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            t[i] = Double.parseDouble(String.format(Locale.ROOT, "%.10g", i * step));
        }
        return t;
    }

    static String tick(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : Math.abs(v) >= 0.1 ? "%.2f" : "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** Configuration names come from the user ({@link GcConfig#parse}): XML text whatever they hold. */
    static String esc(String s) {
        return Escape.xml(s);
    }

    /** The frame shared by both charts: title, plot area, axis titles, legend on the right. */
    private static final class Frame {
        final StringBuilder b = new StringBuilder();
        final int height;
        final double plotW = WIDTH - LEFT - RIGHT;
        final double plotH;

        Frame(int height) {
            this.height = height;
            this.plotH = height - TOP - BOTTOM;
        }

        StringBuilder open(String title, String subtitle, String xTitle, String yTitle) {
            b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                    + "viewBox=\"0 0 %d %d\" font-family=\"%s\" font-size=\"12\">%n", WIDTH, height, WIDTH, height, FONT));
            b.append("<style>.grid{stroke:#e3e3e3;stroke-width:1}.minor{stroke-dasharray:2,3}"
                    + ".axis{stroke:#555;stroke-width:1}.series{fill:none;stroke-width:1.6}</style>\n");
            b.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", WIDTH, height));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"16\" font-weight=\"bold\">%s</text>%n",
                    LEFT, esc(title)));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"40\" font-size=\"11\" fill=\"#555\">%s</text>%n",
                    LEFT, esc(subtitle)));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    LEFT + plotW / 2, height - 18, esc(xTitle)));
            b.append(String.format(Locale.ROOT, "<text transform=\"translate(18 %.1f) rotate(-90)\" "
                    + "text-anchor=\"middle\">%s</text>%n", TOP + plotH / 2, esc(yTitle)));
            b.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n",
                    LEFT, height - BOTTOM, WIDTH - RIGHT, height - BOTTOM));
            b.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n",
                    LEFT, TOP, LEFT, height - BOTTOM));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">legend (median run)</text>%n",
                    WIDTH - RIGHT + 16, TOP - 6));
            return b;
        }

        double x(double frac) {
            return LEFT + frac * plotW;
        }

        double y(double frac) {
            return height - BOTTOM - frac * plotH;
        }

        void text(StringBuilder sb, double x, double y, String anchor, String s) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"#333\">%s</text>%n",
                    x, y, anchor, esc(s)));
        }

        /** A polyline and its legend entry at {@code ly}. */
        void series(StringBuilder sb, String name, String color, List<double[]> pts, String note, double ly) {
            sb.append("<g class=\"series-group\" data-config=\"").append(esc(name)).append("\">\n");
            if (!pts.isEmpty()) {
                StringBuilder p = new StringBuilder();
                for (double[] xy : pts) {
                    if (!p.isEmpty()) {
                        p.append(' ');
                    }
                    p.append(String.format(Locale.ROOT, "%.1f,%.1f", xy[0], xy[1]));
                }
                sb.append(String.format(Locale.ROOT, "<polyline class=\"series\" stroke=\"%s\" points=\"%s\">"
                        + "<title>%s</title></polyline>%n", color, p, esc(name)));
            }
            double lx = WIDTH - RIGHT + 16;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                    + "stroke-width=\"3\"/>%n", lx, ly - 4, lx + 18, ly - 4, color));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>%n", lx + 24, ly, esc(name)));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#666\">%s</text>%n",
                    lx + 24, ly + 13, esc(note)));
            sb.append("</g>\n");
        }

        String close() {
            return b.append("</svg>\n").toString();
        }
    }
}
