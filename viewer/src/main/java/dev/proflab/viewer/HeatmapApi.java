package dev.proflab.viewer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.history.Window;
import dev.proflab.profile.Profile;
import dev.proflab.report.DensityMap;
import dev.proflab.report.Selection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/heatmap?event=&focus=&ignore=&hide=&thread=&columns=}: the sample-density heatmap of an event
 * ({@link DensityMap}, as async-profiler's heatmap and FlameScope draw it): columns of time, each cut into 50 rows,
 * each cell the samples of that moment that the filters select.
 *
 * <pre>{@code
 * {"available": true, "event", "time": "recording" | "epoch", "from_ns", "to_ns", "column_ns", "row_ns",
 *  "columns", "rows", "cell", "total", "outside", "max", "spread", "windows", "counts": [[rows of column 0], ...]}
 * }</pre>
 *
 * <p>For one recording, times are nanoseconds since its start (what {@code from}/{@code to} of the other endpoints
 * take), the grid spans the whole recording, and each sample is counted in the cell of its own time. At most
 * {@code columns} columns (default {@value #DEFAULT_COLUMNS}, at most {@value #MAX_COLUMNS}): a second each while
 * the recording fits, else the shortest of 2 s, 5 s, ... 1 day that does ({@code cell} says it in words); the answer's
 * size never grows with the recording. A recording held merged per stack and thread (larger than the viewer keeps
 * one row a sample, {@link ViewerServer}) has no sample times in memory, nor has a pprof file: those answer
 * {@code {"available": false, "note"}}.
 *
 * <p>For a folder ({@code proflab view DIR}), times are nanoseconds since the epoch, the grid spans the windows of
 * {@code range=} of {@code kind=} (default: every window of the kind), and each window's selected samples are spread
 * evenly over its duration ({@code spread: true}): the windows are read merged per stack and thread, their samples'
 * own times are not kept. Each window's count is kept per file version and filters, so a day of windows is read once.
 */
final class HeatmapApi {

    static final int DEFAULT_COLUMNS = 600;
    static final int MAX_COLUMNS = 3000;

    private HeatmapApi() {
    }

    /** One recording's heatmap; {@code whole} is its profile of the request's event, all of it. */
    static void file(Exchange ctx, Profile whole) {
        int columns = columns(ctx);
        Selection s = Params.selection(ctx);
        String event = whole.meta().event();
        if (whole.meta().engine().equals("pprof")) {
            unavailable(ctx, event, "a pprof profile has no sample times: the heatmap needs a JFR recording");
            return;
        }
        if (whole.recordCount() != whole.sampleCount()) {
            unavailable(ctx, event, "the " + whole.recordCount() + " samples of " + event + " are held merged per stack "
                    + "and thread (more than this viewer keeps one row each in its heap), so their times are not in "
                    + "memory: proflab convert FILE -o x.heatmap.html draws the heatmap from the file");
            return;
        }
        long end = whole.meta().duration() == null ? 0 : whole.meta().duration().toNanos();
        for (int i = 0, n = whole.sampleCount(); i < n; i++) {
            end = Math.max(end, whole.timeOf(i) + 1);
        }
        DensityMap.Grid g = DensityMap.Grid.of(0, Math.max(1, end), columns, false);
        DensityMap.Result r = DensityMap.compute(whole, s, g);
        ObjectNode o = answer(event, "recording", r);
        o.put("spread", false);
        o.putNull("windows");
        json(ctx, o);
    }

    /** A folder's heatmap over the windows of {@code range=}. */
    static void folder(Exchange ctx, HistoryApi history) {
        int columns = columns(ctx);
        Selection s = Params.selection(ctx);
        HistoryApi.Span span = history.span(ctx);
        List<Window> ws = span.windows();
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (Window w : ws) {
            from = Math.min(from, nanos(w.start().toEpochMilli()));
            to = Math.max(to, nanos(w.end().toEpochMilli()));
        }
        DensityMap.Grid g = DensityMap.Grid.of(from, Math.max(from + 1, to), columns, true);
        long[] counts = new long[g.columns() * g.rows()];
        long[] outside = new long[1];
        List<String> unreadable = new ArrayList<>();
        for (Window w : ws) {
            long n = history.samples(w, s);
            if (n < 0) {
                unreadable.add(w.name());
                continue;
            }
            DensityMap.spread(g, counts, nanos(w.start().toEpochMilli()), nanos(w.end().toEpochMilli()), n, outside);
        }
        long total = 0;
        long max = 0;
        for (long c : counts) {
            total += c;
            max = Math.max(max, c);
        }
        ObjectNode o = answer(span.kind().id(), "epoch", new DensityMap.Result(g, counts, total, outside[0], max));
        o.put("spread", true);
        o.put("windows", ws.size());
        ArrayNode u = o.putArray("unreadable");
        unreadable.stream().limit(20).forEach(u::add);
        o.put("unreadable_count", unreadable.size());
        json(ctx, o);
    }

    private static long nanos(long epochMillis) {
        return epochMillis * 1_000_000L;
    }

    private static ObjectNode answer(String event, String time, DensityMap.Result r) {
        DensityMap.Grid g = r.grid();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("available", true);
        o.put("event", event);
        o.put("time", time);
        o.put("from_ns", g.from());
        o.put("to_ns", g.to());
        o.put("column_ns", g.columnNanos());
        o.put("row_ns", g.rowNanos());
        o.put("columns", g.columns());
        o.put("rows", g.rows());
        o.put("cell", "samples in " + duration(g.rowNanos()) + " (a row) of a " + duration(g.columnNanos())
                + " column; column c, row r: from_ns + c * column_ns + r * row_ns");
        o.put("total", r.total());
        o.put("outside", r.outside());
        o.put("max", r.max());
        ArrayNode cols = o.putArray("counts");
        for (int c = 0; c < g.columns(); c++) {
            ArrayNode col = cols.addArray();
            for (int row = 0; row < g.rows(); row++) {
                col.add(r.count(c, row));
            }
        }
        return o;
    }

    /** 20 ms, 1.2 s, 5 min, 2 h, 1 day. */
    static String duration(long ns) {
        if (ns < 1_000_000_000L) {
            return trim(ns / 1e6) + " ms";
        }
        double s = ns / 1e9;
        if (s < 120) {
            return trim(s) + " s";
        }
        if (s < 7200) {
            return trim(s / 60) + " min";
        }
        if (s < 172_800) {
            return trim(s / 3600) + " h";
        }
        return trim(s / 86_400) + " days";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    private static int columns(Exchange ctx) {
        String v = Params.get(ctx, "columns");
        if (v == null) {
            return DEFAULT_COLUMNS;
        }
        int n;
        try {
            n = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MAX_COLUMNS) {
            throw new BadRequest("columns: '" + Params.shorten(v) + "' is not a number of columns from 1 to " + MAX_COLUMNS);
        }
        return n;
    }

    private static void unavailable(Exchange ctx, String event, String note) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("available", false);
        o.put("event", event);
        o.put("note", note);
        json(ctx, o);
    }

    private static void json(Exchange ctx, Object o) {
        try {
            ctx.contentType("application/json").result(Json.MAPPER.writeValueAsString(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
