package dev.proflab.gc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The rows of a GC comparison as a text table, a Markdown table or JSON: pure functions of the rows. Values are
 * medians over the runs; an unknown value is "-" in the tables and null in JSON, never 0.
 */
public final class GcReport {

    private GcReport() {
    }

    private record Column(String title, String json, boolean left, Function<GcRow, String> cell) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("config", "config", true, GcRow::config),
            new Column("collector", "collector", true, r -> r.collector() == null ? "-" : r.collector()),
            new Column("workload", "workload", true, GcRow::workload),
            new Column("runs", "runs", false, r -> Integer.toString(r.runs())),
            new Column("wall s", "wall_s", false, r -> fmt(r.wallS(), 3)),
            new Column("GCs", "gc_count", false, r -> fmt(r.gcCount(), r.gcCount() != null && r.gcCount() % 1 != 0 ? 1 : 0)),
            new Column("pause total ms", "pause_total_ms", false, r -> fmt(r.pauseTotalMs(), 1)),
            new Column("pause max ms", "pause_max_ms", false, r -> fmt(r.pauseMaxMs(), 2)),
            new Column("pause p99 ms", "pause_p99_ms", false, r -> fmt(r.pauseP99Ms(), 2)),
            new Column("GC CPU s", "gc_cpu_s", false, r -> fmt(r.gcCpuS(), 2)),
            new Column("alloc MB/s", "alloc_rate_mb_s", false, r -> fmt(r.allocRateMbS(), 1)),
            new Column("heap peak MB", "heap_peak_used_mb", false, r -> fmt(r.heapPeakUsedMb(), 1)),
            new Column("committed MB", "heap_peak_committed_mb", false, r -> fmt(r.heapPeakCommittedMb(), 1)),
            new Column("RSS MB", "rss_peak_mb", false, r -> fmt(r.rssPeakMb(), 1)));

    /** Aligned columns, then one line per row that failed or was skipped. */
    public static String text(List<GcRow> rows) {
        int[] w = new int[COLUMNS.size()];
        List<String[]> cells = new ArrayList<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            w[i] = COLUMNS.get(i).title().length();
        }
        for (GcRow r : rows) {
            String[] c = new String[COLUMNS.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = COLUMNS.get(i).cell().apply(r) + (i == 0 && r.error() != null ? " *" : "");
                w[i] = Math.max(w[i], c[i].length());
            }
            cells.add(c);
        }
        StringBuilder b = new StringBuilder();
        line(b, w, COLUMNS.stream().map(Column::title).toArray(String[]::new));
        for (String[] c : cells) {
            line(b, w, c);
        }
        List<String> notes = notes(rows);
        if (!notes.isEmpty()) {
            b.append('\n');
            notes.forEach(n -> b.append("* ").append(n).append('\n'));
        }
        b.append('\n').append(LEGEND).append('\n');
        return b.toString();
    }

    static final String LEGEND = "Medians over the runs. wall: the workload loop; pauses: stop-the-world pauses from "
            + "-Xlog:gc*; GC CPU: the GC threads' CPU time (/proc); alloc: the workload's allocation counter; heap peak: "
            + "used before a collection; RSS: VmHWM. '-': not known.";

    private static void line(StringBuilder b, int[] w, String[] c) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < c.length; i++) {
            if (i > 0) {
                l.append("  ");
            }
            String f = COLUMNS.get(i).left() ? "%-" + w[i] + "s" : "%" + w[i] + "s";
            l.append(String.format(Locale.ROOT, f, c[i]));
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }

    private static List<String> notes(List<GcRow> rows) {
        List<String> notes = new ArrayList<>();
        for (GcRow r : rows) {
            if (r.error() != null) {
                notes.add(r.config() + " " + r.workload() + ": " + r.error());
            }
        }
        return notes;
    }

    /** A GitHub Markdown table with the JVM options and the error as last columns. */
    public static String markdown(List<GcRow> rows) {
        StringBuilder b = new StringBuilder("|");
        StringBuilder rule = new StringBuilder("|");
        for (Column c : COLUMNS) {
            b.append(' ').append(c.title()).append(" |");
            rule.append(c.left() ? "---|" : "---:|");
        }
        b.append(" JVM options | error |\n").append(rule).append("---|---|\n");
        for (GcRow r : rows) {
            b.append('|');
            for (Column c : COLUMNS) {
                b.append(' ').append(md(c.cell().apply(r))).append(" |");
            }
            b.append(" `").append(r.jvmOptions().replace("`", "'")).append("` | ")
                    .append(r.error() == null ? "" : md(r.error())).append(" |\n");
        }
        return b.toString();
    }

    private static String md(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    /** An array of row objects with stable snake_case fields; null for unknown values and for no error. */
    public static String json(List<GcRow> rows) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < rows.size(); i++) {
            GcRow r = rows.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("  {");
            b.append("\"config\": ").append(str(r.config()));
            b.append(", \"collector\": ").append(str(r.collector()));
            b.append(", \"workload\": ").append(str(r.workload()));
            b.append(", \"jvm_options\": ").append(str(r.jvmOptions()));
            b.append(", \"runs\": ").append(r.runs());
            b.append(", \"wall_s\": ").append(num(r.wallS()));
            b.append(", \"gc_count\": ").append(num(r.gcCount()));
            b.append(", \"pause_total_ms\": ").append(num(r.pauseTotalMs()));
            b.append(", \"pause_max_ms\": ").append(num(r.pauseMaxMs()));
            b.append(", \"pause_p99_ms\": ").append(num(r.pauseP99Ms()));
            b.append(", \"gc_cpu_s\": ").append(num(r.gcCpuS()));
            b.append(", \"alloc_rate_mb_s\": ").append(num(r.allocRateMbS()));
            b.append(", \"heap_peak_used_mb\": ").append(num(r.heapPeakUsedMb()));
            b.append(", \"heap_peak_committed_mb\": ").append(num(r.heapPeakCommittedMb()));
            b.append(", \"rss_peak_mb\": ").append(num(r.rssPeakMb()));
            b.append(", \"error\": ").append(str(r.error()));
            b.append('}');
        }
        return b.append(rows.isEmpty() ? "]\n" : "\n]\n").toString();
    }

    static String fmt(Double v, int decimals) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String num(Double v) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            return "null";
        }
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
