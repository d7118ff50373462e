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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /api/timeline?from=&to=&buckets=&thread=&lanes=&sort=}: per thread, what it did in each
 * bucket of the window [from, to) (nanoseconds since the start of the recording; default: all of it),
 * with the GC pauses and safepoints of the window ({@link TimelineReport}).
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
 *
 * <p>A recording whose samples and intervals fit in a sixteenth of the heap (at {@value #BYTES_PER_EVENT} bytes an
 * event) has its timeline read once, at the first request, and kept: a zoom is then computed from memory. A larger
 * one is read again for each window, summed per thread and bucket as it is read ({@link TimelineReport#compute(
 * TimelineReader.Recording, long, long, int, Regex, int, TimelineReport.Sort)}, the same answer): memory then grows
 * with the threads, not with the recording; the latest answers are kept.
 */
final class TimelineApi {

    static final int DEFAULT_BUCKETS = 400;
    static final int MAX_BUCKETS = 10_000;
    /** The capture settings a timeline's note names ({@link Timeline#notePhrase()}), as the page's users set them. */
    static final Map<String, String> NOTE_NAMES = Map.of("timeline", "proflab profile --timeline", "engine", "--engine");
    /** What a timeline holds per sample or interval, about (a time, a count, a state; an interval's object). */
    static final int BYTES_PER_EVENT = 24;
    /** Answers kept when the timeline is read again for each window (the page's first two, a zoom and back). */
    static final int ANSWERS = 4;

    private final Path file;
    private final boolean keep;
    private Timeline timeline;
    /** Without the timeline kept: the recording's duration and note, read once ({@link #recording}). */
    private long durationNanos = -1;
    private Phrase note;
    private String unavailable;
    private final LinkedHashMap<String, String> answers = new LinkedHashMap<>(8, 0.75f, true);

    /**
     * @param events the samples and intervals the recording holds (all its events proflab reads), for whether its
     *     timeline is kept
     */
    TimelineApi(Path file, long events) {
        this.file = Objects.requireNonNull(file, "file");
        this.keep = events <= Runtime.getRuntime().maxMemory() / 16 / BYTES_PER_EVENT;
    }

    /** Whether the timeline is read once and kept (else read again for each window). */
    boolean keeps() {
        return keep;
    }

    /**
     * Reads what the first request needs: the timeline when it is kept, else the recording's duration and note;
     * false when the file has none ({@link #unavailable}).
     */
    synchronized boolean ready() {
        if (unavailable != null) {
            return false;
        }
        if (keep ? timeline != null : durationNanos >= 0) {
            return true;
        }
        try {
            if (keep) {
                timeline = TimelineReader.read(file);
            } else {
                try (TimelineReader.Recording r = TimelineReader.open(file)) {
                    note = r.notePhrase();
                    durationNanos = r.durationNanos();
                }
            }
            return true;
        } catch (ProfileException e) {
            unavailable = e.getMessage();
            return false;
        }
    }

    /**
     * The longest band of {@code kind} (a GC pause, a safepoint) when the timeline is kept in memory; null when it is
     * not (a large recording: that would be a pass over the file), the file has none, or none of that kind.
     */
    Timeline.Band longest(Timeline.Band.Kind kind) {
        if (!keep || !ready()) {
            return null;
        }
        Timeline.Band best = null;
        synchronized (this) {
            for (Timeline.Band b : timeline.bands()) {
                if (b.kind() == kind && (best == null || b.duration() > best.duration())) {
                    best = b;
                }
            }
        }
        return best;
    }

    void timeline(Exchange ctx) {
        if (!ready()) {
            unavailable(ctx);
            return;
        }
        long duration = keep ? timeline.durationNanos() : durationNanos;
        long from = Params.nanos(ctx, "from", 0);
        long to = Params.nanos(ctx, "to", Math.max(1, duration));
        if (to <= from) {
            throw new BadRequest("to: " + to + " is not after from (" + from + ")");
        }
        int buckets = intParam(ctx, "buckets", DEFAULT_BUCKETS, 1, MAX_BUCKETS);
        int lanes = intParam(ctx, "lanes", TimelineReport.DEFAULT_MAX_LANES, 1, 100_000);
        Regex thread = Params.regex(ctx, "thread");
        TimelineReport.Sort sort = TimelineReport.Sort.of(Params.get(ctx, "sort"));
        if (keep) {
            json(ctx, answer(TimelineReport.compute(timeline, from, to, buckets, thread, lanes, sort), timeline.notePhrase()));
            return;
        }
        String key = from + " " + to + " " + buckets + " " + lanes + " " + sort + " " + (thread == null ? "" : "/" + thread.pattern());
        String json;
        synchronized (answers) {
            json = answers.get(key);
        }
        if (json == null) {
            TimelineReport.Result r;
            try (TimelineReader.Recording rec = TimelineReader.open(file)) {
                r = TimelineReport.compute(rec, from, to, buckets, thread, lanes, sort);
            } catch (ProfileException e) {
                synchronized (this) {
                    unavailable = e.getMessage();
                }
                unavailable(ctx);
                return;
            }
            json = write(answer(r, note));
            synchronized (answers) {
                answers.put(key, json);
                while (answers.size() > ANSWERS) {
                    answers.remove(answers.keySet().iterator().next());
                }
            }
        }
        ctx.contentType("application/json").result(json);
    }

    private ObjectNode answer(TimelineReport.Result r, Phrase note) {
        ObjectNode o = JsonReport.timelineNode(r, file.getFileName().toString());
        if (note != null) {
            o.put("note", note.in(NOTE_NAMES::get));
        }
        return o;
    }

    private synchronized void unavailable(Exchange ctx) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("available", false);
        o.put("note", unavailable);
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
