package dev.proflab.viewer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.profile.ProfileException;
import dev.proflab.profile.Timeline;
import dev.proflab.profile.TimelineReader;
import dev.proflab.report.JsonReport;
import dev.proflab.report.Regex;
import dev.proflab.report.TimelineReport;
import dev.proflab.text.Phrase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /api/timeline?from=&to=&buckets=&thread=&lanes=&sort=}: per thread, what it did in each
 * bucket of the window [from, to) (nanoseconds since the start of the recording; default: all of it),
 * with the GC pauses and safepoints of the window ({@link TimelineReport}). The recording's timeline is
 * read once, at the first request.
 *
 * <pre>{@code
 * {"available": true, "file", "engine", "duration_ns", "from", "to", "buckets", "bucket_ns",
 *  "cpu_interval_ns", "wall_interval_ns", "has_jdk_events", "note", "states": ["running", ...],
 *  "threads", "short_lived", "more", "more_names": [...],
 *  "gc": {"count", "total_ns", "max_ns"}, "safepoints": {...},
 *  "bands": [{"kind": "gc"|"safepoint", "name", "start", "duration"}],
 *  "lanes": [{"id", "name", "java_thread_id", "start", "end", "start_seen", "end_seen", "idle",
 *             "summary": {"lifetime_ns", "samples", "running_ns", "running_share", "parked_ns",
 *                         "blocked_ns", "waiting_ns", "sleeping_ns", "idle_ns"},
 *             "samples": [per bucket], "buckets": {"running": [ns per bucket], "parked": [...], ...},
 *             "intervals": [{"start", "end", "state"}]}]}
 * }</pre>
 *
 * <p>A file without a timeline (a pprof profile) answers {@code {"available": false, "note": "..."}}; a bad
 * parameter is a 400 with {@code {"error": "..."}}.
 */
final class TimelineApi {

    static final int DEFAULT_BUCKETS = 400;
    static final int MAX_BUCKETS = 10_000;
    /** The capture settings a timeline's note names ({@link Timeline#notePhrase()}), as the page's users set them. */
    static final Map<String, String> NOTE_NAMES = Map.of("timeline", "proflab profile --timeline", "engine", "--engine");


    private final Path file;
    private Timeline timeline;
    private String unavailable;

    TimelineApi(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The timeline, read at the first call; null when the file has none ({@link #unavailable}). */
    synchronized Timeline timeline() {
        if (timeline == null && unavailable == null) {
            try {
                timeline = TimelineReader.read(file);
            } catch (ProfileException e) {
                unavailable = e.getMessage();
            }
        }
        return timeline;
    }

    void timeline(Exchange ctx) {
        Timeline t = timeline();
        if (t == null) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("available", false);
            o.put("note", unavailable);
            json(ctx, o);
            return;
        }
        long from = Params.nanos(ctx, "from", 0);
        long to = Params.nanos(ctx, "to", Math.max(1, t.durationNanos()));
        if (to <= from) {
            throw new BadRequest("to: " + to + " is not after from (" + from + ")");
        }
        int buckets = intParam(ctx, "buckets", DEFAULT_BUCKETS, 1, MAX_BUCKETS);
        int lanes = intParam(ctx, "lanes", TimelineReport.DEFAULT_MAX_LANES, 1, 100_000);
        Regex thread = Params.regex(ctx, "thread");
        TimelineReport.Sort sort = TimelineReport.Sort.of(Params.get(ctx, "sort"));
        ObjectNode o = JsonReport.timelineNode(TimelineReport.compute(t, from, to, buckets, thread, lanes, sort),
                file.getFileName().toString());
        Phrase note = t.notePhrase();
        if (note != null) {
            o.put("note", note.in(NOTE_NAMES::get));
        }
        json(ctx, o);
    }

    private static int intParam(Exchange ctx, String name, int absent, int min, int max) {
        String v = Params.get(ctx, name);
        if (v == null) {
            return absent;
        }
        int n;
        try {
            n = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new BadRequest(name + ": '" + Params.shorten(v) + "' is not a whole number from " + min + " to " + max);
        }
        if (n < min || n > max) {
            throw new BadRequest(name + ": " + n + " is out of range (" + min + " to " + max + ")");
        }
        return n;
    }

    private static void json(Exchange ctx, Object o) {
        try {
            ctx.contentType("application/json").result(Json.MAPPER.writeValueAsString(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
