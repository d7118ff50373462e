package dev.proflab.viewer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.history.Window;
import dev.proflab.profile.Profile;
import dev.proflab.profile.Timeline;
import dev.proflab.profile.TimelineReader;
import dev.proflab.report.DensityMap;
import dev.proflab.report.Selection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

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
 * one row a sample, {@link ViewerServer}) has no sample times in memory: its cpu and wall samples are then counted
 * in one pass over the file ({@link TimelineReader}, as the timeline of such a recording is read: memory follows
 * its threads, and the cells), two with {@code thread=} (the first names the threads), and the latest answers kept;
 * {@code focus} and {@code ignore} need each sample's stack, which that pass does not resolve, and other events are
 * not in it: those answer {@code {"available": false, "note"}}, as a pprof file does (it has no sample times).
 *
 * <p>For a folder ({@code proflab view DIR}), times are nanoseconds since the epoch, the grid spans the windows of
 * {@code range=} of {@code kind=} (default: every window of the kind), and each window's selected samples are spread
 * evenly over its duration ({@code spread: true}): the windows are read merged per stack and thread, their samples'
 * own times are not kept. Each window's count is kept per file version and filters, so a day of windows is read once.
 */
final class HeatmapApi {

    static final int DEFAULT_COLUMNS = 600;
    static final int MAX_COLUMNS = 3000;
    /** Answers kept of a recording read again for each (the page's event and filters, and a few more). */
    static final int ANSWERS = 4;

    private final Path file;
    private final LinkedHashMap<String, String> answers = new LinkedHashMap<>(8, 0.75f, true);

    /** @param file the recording shown (its samples counted from the file when the viewer holds them merged) */
    HeatmapApi(Path file) {
        this.file = file;
    }

    /** One recording's heatmap; {@code whole} is its profile of the request's event, all of it. */
    void file(Exchange ctx, Profile whole) {
        int columns = columns(ctx);
        Selection s = Params.selection(ctx);
        String event = whole.meta().event();
        if (whole.meta().engine().equals("pprof")) {
            unavailable(ctx, event, "a pprof profile has no sample times: the heatmap needs a JFR recording");
            return;
        }
        if (whole.recordCount() != whole.sampleCount()) {
            streamed(ctx, whole, s, columns);
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

    /**
     * The heatmap of a recording whose samples are held merged (their times gone): its cpu or wall samples counted in
     * a pass over the file, the threads named by a first one when the request filters on them.
     */
    private void streamed(Exchange ctx, Profile whole, Selection s, int columns) {
        String event = whole.meta().event();
        String merged = "the " + whole.recordCount() + " samples of " + event + " are held merged per stack and thread "
                + "(more than this viewer keeps one row each in its heap), so their times are not in memory";
        if (!event.equals("cpu") && !event.equals("wall")) {
            unavailable(ctx, event, merged + ", and only cpu and wall samples are counted from the file as they are read"
                    + ": proflab convert FILE --event " + event + " -o x.heatmap.html draws this one");
            return;
        }
        if (s.focus() != null || s.ignore() != null) {
            unavailable(ctx, event, merged + ", and counted from the file as they are read their stacks are not "
                    + "resolved: the heatmap of a recording this large takes the thread filter, not focus or ignore");
            return;
        }
        String key = event + " " + columns + " " + (s.thread() == null ? "" : "/" + s.thread().pattern());
        String json;
        synchronized (answers) {
            json = answers.get(key);
        }
        if (json == null) {
            json = write(countFromFile(event, s, columns));
            synchronized (answers) {
                answers.put(key, json);
                while (answers.size() > ANSWERS) {
                    answers.remove(answers.keySet().iterator().next());
                }
            }
        }
        ctx.contentType("application/json").result(json);
    }

    private ObjectNode countFromFile(String event, Selection s, int columns) {
        boolean cpu = event.equals("cpu");
        try (TimelineReader.Recording rec = TimelineReader.open(file)) {
            Set<Long> lanes = null;   // the threads kept, by the recording's thread id; null: all
            if (s.thread() != null) {
                lanes = new HashSet<>();
                Timeline names = rec.read(new Counter(null, null, null, cpu, null));
                List<String> all = new ArrayList<>();
                for (Timeline.Lane l : names.lanes()) {
                    all.add(l.name());
                    if (s.thread().find(l.name())) {
                        lanes.add(l.id());
                    }
                }
                if (lanes.isEmpty()) {   // as the reports say it
                    throw new BadRequest(file.getFileName() + ": thread '" + s.thread().pattern() + "' matches no thread"
                            + " (threads: " + String.join(", ", all.subList(0, Math.min(5, all.size())))
                            + (all.size() > 5 ? ", ..." : "") + ")");
                }
            }
            DensityMap.Grid g = DensityMap.Grid.of(0, Math.max(1, rec.durationNanos()), columns, false);
            long[] counts = new long[g.columns() * g.rows()];
            long[] outside = new long[1];
            rec.read(new Counter(g, counts, outside, cpu, lanes));
            long total = 0;
            long max = 0;
            for (long c : counts) {
                total += c;
                max = Math.max(max, c);
            }
            ObjectNode o = answer(event, "recording", new DensityMap.Result(g, counts, total, outside[0], max));
            o.put("spread", false);
            o.putNull("windows");
            o.put("note", "counted from the file as it was read (its samples are held merged per stack and thread)");
            return o;
        }
    }

    /** Counts one event's samples per cell as the recording is read ({@code grid} null: counts nothing). */
    private record Counter(DensityMap.Grid grid, long[] counts, long[] outside, boolean cpu, Set<Long> lanes)
            implements TimelineReader.Sink {
        @Override
        public void cpu(long lane, long time) {
            if (cpu) {
                add(lane, time, 1);
            }
        }

        @Override
        public void wall(long lane, long time, int count, Timeline.State state) {
            if (!cpu) {
                add(lane, time, count);
            }
        }

        @Override
        public void interval(long lane, Timeline.Interval interval) {
        }

        private void add(long lane, long time, long n) {
            if (grid == null || lanes != null && !lanes.contains(lane)) {
                return;
            }
            int cell = grid.cell(time);
            if (cell < 0) {
                outside[0] += n;
            } else {
                counts[cell] += n;
            }
        }
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

    static void unavailable(Exchange ctx, String event, String note) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("available", false);
        o.put("event", event);
        o.put("note", note);
        json(ctx, o);
    }

    private static void json(Exchange ctx, Object o) {
        ctx.contentType("application/json").result(write(o));
    }

    private static String write(Object o) {
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
