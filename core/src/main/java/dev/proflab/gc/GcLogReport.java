package dev.proflab.gc;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** A {@link GcLogSummary} as text (the gctrace lesson's table), Markdown or JSON (stable snake_case fields). */
public final class GcLogReport {

    private GcLogReport() {
    }

    /** Plain text: the numbers, then the collections table (the {@code n} longest pauses; 0: all). */
    public static String text(GcLogSummary s, String fileName, int n) {
        StringBuilder b = new StringBuilder();
        for (String[] kv : header(s, fileName)) {
            b.append(String.format(Locale.ROOT, "%-16s %s%n", kv[0] + ":", kv[1]));
        }
        List<GcLog.Collection> rows = s.longest(n);
        b.append('\n');
        if (rows.isEmpty()) {
            b.append("No collections in the log.\n");
            return b.toString();
        }
        int typeWidth = Math.max(4, rows.stream().mapToInt(c -> c.type().length()).max().orElse(4));
        b.append(String.format(Locale.ROOT, "%9s %6s  %-" + typeWidth + "s %10s  %s%n",
                "time", "GC", "type", "pause ms", "heap before->after(committed)"));
        for (GcLog.Collection c : rows) {
            b.append(String.format(Locale.ROOT, "%8.3fs %6d  %-" + typeWidth + "s %10s  %s%n",
                    c.startMs() / 1000, c.id(), c.type(), pauseCell(c), heap(c)));
        }
        b.append(more(s, rows));
        return b.toString();
    }

    /** Markdown: the numbers as a list, the collections as a table. */
    public static String markdown(GcLogSummary s, String fileName, int n) {
        StringBuilder b = new StringBuilder();
        for (String[] kv : header(s, fileName)) {
            b.append("- **").append(kv[0]).append("**: ").append(kv[1].replace("|", "\\|")).append('\n');
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
                    c.startMs() / 1000, c.id(), c.type().replace("|", "\\|"), pauseCell(c), heap(c)));
        }
        String more = more(s, rows);
        if (!more.isEmpty()) {
            b.append('\n').append(more);
        }
        return b.toString();
    }

    /** JSON: one object; sizes in MiB, times in ms except {@code elapsed_s} and {@code time_s}; null when unknown. */
    public static String json(GcLogSummary s, String fileName, int n) {
        GcLog log = s.log();
        StringBuilder b = new StringBuilder("{\n");
        field(b, "file", str(fileName));
        field(b, "collector", str(log.collector()));
        field(b, "elapsed_s", num(log.elapsedMs() / 1000));
        field(b, "gc_count", Integer.toString(s.gcCount()));
        field(b, "pause_count", Integer.toString(s.pauseCount()));
        field(b, "pause_total_ms", s.pausesLogged() ? num(s.pauseTotalMs()) : "null");
        field(b, "pause_p50_ms", s.pausesLogged() ? num(s.pauseP50Ms()) : "null");
        field(b, "pause_p90_ms", s.pausesLogged() ? num(s.pauseP90Ms()) : "null");
        field(b, "pause_p99_ms", s.pausesLogged() ? num(s.pauseP99Ms()) : "null");
        field(b, "pause_max_ms", s.pausesLogged() ? num(s.pauseMaxMs()) : "null");
        field(b, "throughput_pct", num(s.throughput(), 100));
        field(b, "allocated_mb", num(s.allocatedMb(), 1));
        field(b, "alloc_rate_mb_s", num(s.allocRateMbS(), 1));
        field(b, "heap_peak_used_mb", num(s.heapPeakUsedMb(), 1));
        field(b, "heap_peak_committed_mb", num(s.heapPeakCommittedMb(), 1));
        field(b, "skipped_lines", Integer.toString(log.otherLines()));
        List<GcLog.Collection> rows = s.longest(n);
        b.append("  \"collections\": [");
        for (int i = 0; i < rows.size(); i++) {
            GcLog.Collection c = rows.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("    {");
            b.append("\"id\": ").append(c.id());
            b.append(", \"time_s\": ").append(num(c.startMs() / 1000));
            b.append(", \"type\": ").append(str(c.type()));
            b.append(", \"pause_ms\": ").append(num(c.pauseMs()));
            b.append(", \"pauses\": [");
            for (int j = 0; j < c.pauses().size(); j++) {
                GcLog.Pause p = c.pauses().get(j);
                b.append(j == 0 ? "" : ", ").append("{\"name\": ").append(str(p.name()))
                        .append(", \"ms\": ").append(num(p.ms())).append('}');
            }
            b.append("]");
            b.append(", \"heap_before_mb\": ").append(mb(c.heapBeforeKb()));
            b.append(", \"heap_after_mb\": ").append(mb(c.heapAfterKb()));
            b.append(", \"heap_committed_mb\": ").append(mb(c.heapCommittedKb()));
            b.append(", \"cycle_ms\": ").append(c.cycleMs() < 0 ? "null" : num(c.cycleMs()));
            b.append('}');
        }
        b.append(rows.isEmpty() ? "]\n" : "\n  ]\n").append("}\n");
        return b.toString();
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

    private static void field(StringBuilder b, String name, String value) {
        b.append("  \"").append(name).append("\": ").append(value).append(",\n");
    }

    private static String mb(long kb) {
        return kb < 0 ? "null" : num(kb / 1024.0);
    }

    private static String num(OptionalDouble v, double scale) {
        return v.isPresent() ? num(v.getAsDouble() * scale) : "null";
    }

    private static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String str(String s) {
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
