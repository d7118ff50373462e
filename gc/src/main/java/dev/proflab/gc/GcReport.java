package dev.proflab.gc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.text.Escape;

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
                notes.add(Escape.terminal(r.config() + " " + r.workload() + ": " + r.error()));
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
        return Escape.terminal(s.replace("\n", " ")).replace("|", "\\|");
    }

    /** An array of row objects with stable snake_case fields; null for unknown values and for no error. */
    public static String json(List<GcRow> rows) {
        ArrayNode a = GcJson.MAPPER.createArrayNode();
        for (GcRow r : rows) {
            ObjectNode o = a.addObject();
            o.put("config", r.config());
            o.put("collector", r.collector());
            o.put("workload", r.workload());
            o.put("jvm_options", r.jvmOptions());
            o.put("runs", r.runs());
            num(o, "wall_s", r.wallS());
            num(o, "gc_count", r.gcCount());
            num(o, "pause_total_ms", r.pauseTotalMs());
            num(o, "pause_max_ms", r.pauseMaxMs());
            num(o, "pause_p99_ms", r.pauseP99Ms());
            num(o, "gc_cpu_s", r.gcCpuS());
            num(o, "alloc_rate_mb_s", r.allocRateMbS());
            num(o, "heap_peak_used_mb", r.heapPeakUsedMb());
            num(o, "heap_peak_committed_mb", r.heapPeakCommittedMb());
            num(o, "rss_peak_mb", r.rssPeakMb());
            o.put("error", r.error());
        }
        return GcJson.write(a);
    }

    private static void num(ObjectNode o, String field, Double v) {
        GcJson.num(o, field, v);
    }

    static String fmt(Double v, int decimals) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
