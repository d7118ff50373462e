package dev.proflab.gc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.text.Escape;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** A {@link GcLogSummary} as text (the gctrace lesson's table), Markdown or JSON (stable snake_case fields). */
public final class GcLogReport {

    private GcLogReport() {
    }

    /**
     * Plain text: the numbers, then the collections table (the {@code n} longest pauses; 0: all); text from
     * the log with its control characters written out.
     */
    public static String text(GcLogSummary s, String fileName, int n) {
        StringBuilder b = new StringBuilder();
        for (String[] kv : header(s, fileName)) {
            b.append(String.format(Locale.ROOT, "%-16s %s%n", kv[0] + ":", Escape.terminal(kv[1])));
        }
        List<GcLog.Collection> rows = s.longest(n);
        b.append('\n');
        if (rows.isEmpty()) {
            b.append("No collections in the log.\n");
            return b.toString();
        }
        int typeWidth = Math.max(4,
                rows.stream().mapToInt(c -> Escape.terminal(c.type()).length()).max().orElse(4));
        b.append(String.format(Locale.ROOT, "%9s %6s  %-" + typeWidth + "s %10s  %s%n",
                "time", "GC", "type", "pause ms", "heap before->after(committed)"));
        for (GcLog.Collection c : rows) {
            b.append(String.format(Locale.ROOT, "%8.3fs %6d  %-" + typeWidth + "s %10s  %s%n",
                    c.startMs() / 1000, c.id(), Escape.terminal(c.type()), pauseCell(c), heap(c)));
        }
        b.append(more(s, rows));
        return b.toString();
    }

    /** Markdown: the numbers as a list, the collections as a table. */
    public static String markdown(GcLogSummary s, String fileName, int n) {
        StringBuilder b = new StringBuilder();
        for (String[] kv : header(s, fileName)) {
            b.append("- **").append(kv[0]).append("**: ").append(md(kv[1])).append('\n');
        }
        List<GcLog.Collection> rows = s.longest(n);
        b.append('\n');
        if (rows.isEmpty()) {
            b.append("No collections in the log.\n");
            return b.toString();
        }
        b.append("| time | GC | type | pause ms | heap before->after(committed) |\n");
        b.append("|---:|---:|---|---:|---|\n");
        for (GcLog.Collection c : rows) {
            b.append(String.format(Locale.ROOT, "| %.3fs | %d | %s | %s | %s |%n",
                    c.startMs() / 1000, c.id(), md(c.type()), pauseCell(c), heap(c)));
        }
        String more = more(s, rows);
        if (!more.isEmpty()) {
            b.append('\n').append(more);
        }
        return b.toString();
    }

    /** Text from the log in a markdown cell: control characters written out, pipes and {@code <} escaped. */
    private static String md(String s) {
        return Escape.terminal(s).replace("|", "\\|").replace("<", "&lt;");
    }

    /** JSON: one object; sizes in MiB, times in ms except {@code elapsed_s} and {@code time_s}; null when unknown. */
    public static String json(GcLogSummary s, String fileName, int n) {
        GcLog log = s.log();
        ObjectNode o = GcJson.MAPPER.createObjectNode();
        o.put("file", fileName);
        o.put("collector", log.collector());
        GcJson.num(o, "elapsed_s", log.elapsedMs() / 1000);
        o.put("gc_count", s.gcCount());
        o.put("pause_count", s.pauseCount());
        GcJson.num(o, "pause_total_ms", s.pausesLogged() ? s.pauseTotalMs() : null);
        GcJson.num(o, "pause_p50_ms", s.pausesLogged() ? s.pauseP50Ms() : null);
        GcJson.num(o, "pause_p90_ms", s.pausesLogged() ? s.pauseP90Ms() : null);
        GcJson.num(o, "pause_p99_ms", s.pausesLogged() ? s.pauseP99Ms() : null);
        GcJson.num(o, "pause_max_ms", s.pausesLogged() ? s.pauseMaxMs() : null);
        GcJson.num(o, "throughput_pct", scaled(s.throughput(), 100));
        GcJson.num(o, "allocated_mb", scaled(s.allocatedMb(), 1));
        GcJson.num(o, "alloc_rate_mb_s", scaled(s.allocRateMbS(), 1));
        GcJson.num(o, "heap_peak_used_mb", scaled(s.heapPeakUsedMb(), 1));
        GcJson.num(o, "heap_peak_committed_mb", scaled(s.heapPeakCommittedMb(), 1));
        o.put("skipped_lines", log.otherLines());
        ArrayNode collections = o.putArray("collections");
        for (GcLog.Collection c : s.longest(n)) {
            ObjectNode row = collections.addObject();
            row.put("id", c.id());
            GcJson.num(row, "time_s", c.startMs() / 1000);
            row.put("type", c.type());
            GcJson.num(row, "pause_ms", c.pauseMs());
            ArrayNode pauses = row.putArray("pauses");
            for (GcLog.Pause p : c.pauses()) {
                ObjectNode pause = pauses.addObject();
                pause.put("name", p.name());
                GcJson.num(pause, "ms", p.ms());
            }
            GcJson.num(row, "heap_before_mb", mb(c.heapBeforeKb()));
            GcJson.num(row, "heap_after_mb", mb(c.heapAfterKb()));
            GcJson.num(row, "heap_committed_mb", mb(c.heapCommittedKb()));
            GcJson.num(row, "cycle_ms", c.cycleMs() < 0 ? null : c.cycleMs());
        }
        return GcJson.write(o);
    }

    private static List<String[]> header(GcLogSummary s, String fileName) {
        GcLog log = s.log();
        String alloc = s.allocRateMbS().isPresent()
                ? String.format(Locale.ROOT, "%.1f MB/s (%.1f MB by the heap before/after numbers, a lower bound)",
                s.allocRateMbS().getAsDouble(), s.allocatedMb().getAsDouble())
                : "unknown (no heap numbers in the log)";
        return List.of(
                new String[] {"File", fileName},
                new String[] {"Collector", log.collector()},
                new String[] {"Elapsed", String.format(Locale.ROOT, "%.3f s (JVM uptime at the last line)", log.elapsedMs() / 1000)},
                new String[] {"GC count", s.gcCount() + " collections, " + s.pauseCount() + " pauses"},
                new String[] {"Pauses", !s.pausesLogged()
                        ? "none logged (ZGC logs its pauses only with -Xlog:gc*, in gc,phases lines)"
                        : String.format(Locale.ROOT, "total %s ms, p50 %s, p90 %s, p99 %s, max %s ms",
                        ms(s.pauseTotalMs()), ms(s.pauseP50Ms()), ms(s.pauseP90Ms()), ms(s.pauseP99Ms()), ms(s.pauseMaxMs()))},
                new String[] {"Throughput", s.throughput().isPresent()
                        ? String.format(Locale.ROOT, "%.2f%% (1 - pause total / elapsed)", s.throughput().getAsDouble() * 100)
                        : "unknown (" + (s.pausesLogged() ? "no uptime in the log" : "no pauses logged") + ")"},
                new String[] {"Allocation rate", alloc},
                new String[] {"Heap peak", s.heapPeakUsedMb().isPresent()
                        ? String.format(Locale.ROOT, "%.1f MB used before a GC%s", s.heapPeakUsedMb().getAsDouble(),
                        s.heapPeakCommittedMb().isPresent()
                                ? String.format(Locale.ROOT, ", %.1f MB committed", s.heapPeakCommittedMb().getAsDouble()) : "")
                        : "unknown"},
                new String[] {"Skipped", log.otherLines() == 0 ? ""
                        : log.otherLines() + " lines that are not JVM log lines (the program's output?)"})
                .stream().filter(kv -> !kv[1].isEmpty()).toList();
    }

    private static String more(GcLogSummary s, List<GcLog.Collection> rows) {
        int hidden = s.gcCount() - rows.size();
        return hidden <= 0 ? "" : String.format(Locale.ROOT,
                "(%d collections with the longest pauses shown, in log order; %d more: -n 0 lists all)%n", rows.size(), hidden);
    }

    private static String pauseCell(GcLog.Collection c) {
        if (c.pauses().isEmpty()) {
            return "-";
        }
        return ms(c.pauseMs()) + (c.pauses().size() > 1 ? " (" + c.pauses().size() + ")" : "");
    }

    private static String heap(GcLog.Collection c) {
        if (!c.hasHeap()) {
            return "-";
        }
        return size(c.heapBeforeKb()) + "->" + size(c.heapAfterKb())
                + (c.heapCommittedKb() >= 0 ? "(" + size(c.heapCommittedKb()) + ")" : "");
    }

    private static String size(long kb) {
        if (kb % (1024 * 1024) == 0 && kb > 0) {
            return kb / (1024 * 1024) + "G";
        }
        if (kb % 1024 == 0) {
            return kb / 1024 + "M";
        }
        return kb + "K";
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static Double mb(long kb) {
        return kb < 0 ? null : kb / 1024.0;
    }

    private static Double scaled(OptionalDouble v, double scale) {
        return v.isPresent() ? v.getAsDouble() * scale : null;
    }
}
