package dev.proflab.viewer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.export.FrameColors;
import dev.proflab.profile.Operations;
import dev.proflab.profile.Profile;
import dev.proflab.report.Diff;
import dev.proflab.report.JsonReport;
import dev.proflab.report.Selected;
import dev.proflab.report.Sandwich;
import dev.proflab.report.Selection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The differential view of {@code proflab view FILE --base BASE}: the file (current) against the base,
 * computed by {@link Diff} with the same filters on both sides.
 *
 * <ul>
 *   <li>{@code GET /api/diff/flame?event=&sampleIndex=&focus=&ignore=&hide=&thread=&from=&to=&normalize=&minFraction=}:
 *       {@code {"event", "value_type", "unit", "normalize", "norm_unit", "base_total", "total",
 *       "base_samples", "samples", "warnings": [...], "nodes", "depth", "root": {"name", "kind",
 *       "category", "color", "base", "total", "base_self", "self", "base_count", "count", "norm_base",
 *       "norm_total", "delta", "significant", "children": [...]}}}; nodes whose larger share of the two
 *       totals is under {@code minFraction} are left out;
 *   <li>{@code GET /api/diff/top?...the same filters...&n=}: {@code {"normalize", "unit", "norm_unit",
 *       "warnings": [...], "rows": [{"name", "base_flat", "base_cum", "flat", "cum", "norm_base_flat",
 *       "norm_flat", "delta_flat", "norm_base_cum", "norm_cum", "delta_cum", "significant"}]}}, largest
 *       |delta_flat| first;
 *   <li>{@code GET /api/diff/sandwich?fn=NAME&...the same filters...&minFraction=}: one function's sandwich in
 *       both profiles, compared: {@code {"function", "event", "value_type", "unit", "normalize", "norm_unit",
 *       "base_total", "total", "warnings", "limitation", "nodes", "callers": node, "callees": node}}, nodes as
 *       {@code /api/diff/flame}'s, the function at both roots; 404 when neither profile has the function.
 * </ul>
 *
 * <p>One file without {@code --base} compares two time ranges of itself: {@code baseFrom}/{@code baseTo} (nanoseconds
 * since its start) are the base, {@code from}/{@code to} the current (default: all of it), each cut from the
 * recording with every sample's value, thread and time ({@link Selected}), by total only ({@code normalize=duration}
 * is a 400: both carry the recording's duration).
 * <p>With {@code inverted=1} they answer for the two profiles bottom-up ({@link dev.proflab.report.Inverted}):
 * each stack of each turned over, then compared stack by stack as top-down.
 *
 * <p>{@code from}/{@code to} are nanoseconds since the start of each recording; {@code normalize} is
 * {@code total} (shares, the default), {@code duration} (per second) or {@code ops} (per operation: both files
 * need their {@code FILE.ops.json}, else a 400 that says which has none; a folder has none). Raw values are in {@code unit}
 * (the value type's), normalised ones in {@code norm_unit} ({@code share} or e.g.
 * {@code nanoseconds/s}). Without a base both answer 404; a bad parameter, or an event the base does
 * not have, is a 400 with {@code {"error": "..."}}.
 *
 * <p>The tree is pruned by {@link Diff} itself (only the nodes kept are built). The unfiltered answers
 * (per event, sample index and normalisation: the flame graph at the default {@code minFraction}, every
 * top row) are computed once and kept, the default one when the server starts ({@link #warm()}).
 */
final class DiffApi {

    static final String NO_BASE = "no --base profile: start with proflab view FILE --base BASE";
    static final String NO_BASE_RANGE = "base: no base range: pick the windows to compare against (Compare, then"
            + " click or drag on the time axis)";


    private final ViewerServer server;
    /**
     * What a comparison is kept under in the {@link dev.proflab.report.ProfileCache} (with its current profile):
     * the base by identity, as the cache keys profiles; a folder's merges come and go with the cache's bounds.
     */
    private record Key(String what, Profile base, String sampleIndex, Diff.Normalize normalize, long baseOps, long ops) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.what.equals(what) && k.base == base
                    && java.util.Objects.equals(k.sampleIndex, sampleIndex) && k.normalize == normalize
                    && k.baseOps == baseOps && k.ops == ops;
        }

        @Override
        public int hashCode() {
            return (what.hashCode() * 31 + System.identityHashCode(base)) * 31 + java.util.Objects.hashCode(sampleIndex)
                    + normalize.hashCode();
        }
    }

    DiffApi(ViewerServer server) {
        this.server = server;
    }

    /**
     * One request's comparison: the profiles and filters asked for. The unfiltered comparison (no
     * focus, ignore, hide, thread nor time range), what the page asks first, is computed once per
     * event, sample index and normalisation and kept, pruned at the default minFraction, with its JSON
     * ({@link #warm()} does it when the server starts).
     */
    private record Request(Profile base, Profile current, Selection selection, Diff.Normalize normalize,
                           Operations baseOps, Operations ops) {

        Request(Profile base, Profile current, Selection selection, Diff.Normalize normalize) {
            this(base, current, selection, normalize, null, null);
        }

        boolean unfiltered() {
            Selection s = selection;
            return s.focus() == null && s.ignore() == null && s.hide() == null && s.thread() == null
                    && s.fromNanos() == 0 && s.toNanos() == Long.MAX_VALUE && !s.signatures() && !s.lines();
        }

        /**
         * The cache key, kept with the current profile: the base is the same for the server's life of a
         * file, one of several for a folder's ranges (kept by identity in the key).
         */
        Key key(String what) {
            return new Key(what, base, selection.sampleIndex(), normalize, baseOps == null ? 0 : baseOps.count(),
                    ops == null ? 0 : ops.count());
        }

        /** The comparison with the tree pruned at {@code minFraction}. */
        Diff.Result compute(double minFraction) {
            if (unfiltered() && minFraction >= ViewerServer.MIN_FRACTION) {
                // the kept one serves every coarser pruning: node() prunes it again
                return FlameJson.cached(current, key("result"),
                        () -> Diff.compute(List.of(base), List.of(current), selection, normalize,
                                ViewerServer.MIN_FRACTION, baseOps, ops));
            }
            return Diff.compute(List.of(base), List.of(current), selection, normalize, minFraction, baseOps, ops);
        }
    }

    void flame(Exchange ctx) {
        if (noBase(ctx)) {
            notFound(ctx);
            return;
        }
        double minFraction = Params.minFraction(ctx, ViewerServer.MIN_FRACTION);
        Request q = request(ctx);
        double min = minFraction;
        Diff.Result r = q.compute(minFraction);   // not inside cached(): its map takes no nested computing
        String json = q.unfiltered() && minFraction == ViewerServer.MIN_FRACTION
                ? FlameJson.cached(q.current(), q.key("flame"), () -> flameJson(q, r, min))
                : flameJson(q, r, min);
        ctx.contentType("application/json").result(json);
    }

    void top(Exchange ctx) {
        if (noBase(ctx)) {
            notFound(ctx);
            return;
        }
        int n = Params.rows(ctx);
        Request q = request(ctx);
        int rows = n;
        // the rows only: the tree pruned to (almost) nothing, unless the kept comparison serves
        Diff.Result r = q.compute(1);
        String json = q.unfiltered() && n == 0
                ? FlameJson.cached(q.current(), q.key("top"), () -> topJson(r, rows))
                : topJson(r, rows);
        ctx.contentType("application/json").result(json);
    }

    /**
     * {@code /api/diff/sandwich?fn=NAME&...}: the sandwich of one function in both profiles, compared: each side's
     * callers and callees trees ({@link Sandwich#profiles}) compared as the flame graph is, so that a node's
     * numbers are those of {@code /api/diff/flame}'s nodes.
     */
    void sandwich(Exchange ctx) {
        if (noBase(ctx)) {
            notFound(ctx);
            return;
        }
        String fn = FunctionApi.name(ctx);
        double minFraction = Params.minFraction(ctx, ViewerServer.MIN_FRACTION);
        Request q = request(ctx);
        Selection s = q.selection();
        Profile[] b = Sandwich.profiles(q.base(), s, fn);
        Profile[] c = Sandwich.profiles(q.current(), s, fn);
        if (b[0].sampleCount() == 0 && c[0].sampleCount() == 0) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("error", "fn: no sample of either profile has " + Params.shorten(fn) + " on its stack"
                    + (s.activeFilters().isEmpty() ? "" : " under the filters"));
            ctx.status(404);
            json(ctx, o);
            return;
        }
        // the filters are applied: the two trees are compared whole, in the value asked for and its naming
        Selection plain = Selection.all().withMatchBudget(s.budget().limit()).withSampleIndex(s.sampleIndex())
                .withSignatures(s.signatures()).withLines(s.lines());
        Diff.Result up = Diff.compute(List.of(b[0]), List.of(c[0]), plain, q.normalize(), minFraction, q.baseOps(),
                q.ops());
        Diff.Result down = Diff.compute(List.of(b[1]), List.of(c[1]), plain, q.normalize(), minFraction, q.baseOps(),
                q.ops());
        int[] stats = new int[2];
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("function", fn);
        o.put("event", q.current().meta().event());
        o.put("value_type", down.header().type().type());
        o.put("unit", down.header().type().unit());
        o.put("normalize", down.normalize().label());
        o.put("norm_unit", down.normUnit());
        o.put("base_total", down.root().base());
        o.put("total", down.root().current());
        ArrayNode w = o.putArray("warnings");
        down.warnings().forEach(w::add);
        o.put("limitation", down.limitation());
        o.set("callers", node(only(up.root(), fn), up, minFraction, 0, stats));
        o.set("callees", node(only(down.root(), fn), down, minFraction, 0, stats));
        o.put("nodes", stats[0]);
        json(ctx, o);
    }

    /** The one child of a sandwich's root ({@code all}): the function. */
    private static Diff.Node only(Diff.Node root, String fn) {
        return root.children().stream().filter(n -> n.name().equals(fn)).findFirst().orElse(root);
    }

    /**
     * Computes the unfiltered comparison of the default event (flame graph and top table, as the page
     * asks for them first) and keeps it; for a thread of its own when the server starts. Errors are
     * left for the requests to report.
     */
    void warm() {
        if (server.base() == null || server.history() != null) {
            return;
        }
        try {
            Request q = new Request(server.base(null), server.current(null), Selection.all(), Diff.Normalize.TOTAL);
            Diff.Result r = q.compute(ViewerServer.MIN_FRACTION);
            FlameJson.cached(q.current(), q.key("flame"), () -> flameJson(q, r, ViewerServer.MIN_FRACTION));
            FlameJson.cached(q.current(), q.key("top"), () -> topJson(r, 0));
        } catch (RuntimeException e) {
            // the page's request computes it again and reports the error there
        }
    }

    private static String flameJson(Request q, Diff.Result r, double minFraction) {
        int[] stats = new int[2];   // nodes, depth
        ObjectNode root = node(r.root(), r, minFraction, 0, stats);
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("event", q.current().meta().event());
        o.put("value_type", r.header().type().type());
        o.put("unit", r.header().type().unit());
        o.put("normalize", r.normalize().label());
        o.put("norm_unit", r.normUnit());
        o.put("base_total", r.baseTotal());
        o.put("total", r.total());
        o.put("base_samples", r.baseSamples());
        o.put("samples", r.samples());
        ArrayNode w = o.putArray("warnings");
        r.warnings().forEach(w::add);
        o.put("limitation", r.limitation());
        o.put("tested", r.tested());
        o.put("nodes", stats[0]);
        o.put("depth", stats[1]);
        o.set("root", root);
        return json(o);
    }

    /** The rows of {@code proflab diff --format json}, byte for byte. */
    private static String topJson(Diff.Result r, int n) {
        return JsonReport.diff(r, n);
    }

    // ---- shared -------------------------------------------------------------------------------

    private Request request(Exchange ctx) {
        Diff.Normalize normalize = Diff.Normalize.TOTAL;
        String ns = Params.get(ctx, "normalize");
        if (ns != null) {
            normalize = switch (ns.strip().toLowerCase(Locale.ROOT)) {
                case "total" -> Diff.Normalize.TOTAL;
                case "duration" -> Diff.Normalize.DURATION;
                case "ops" -> Diff.Normalize.OPS;
                default -> throw new BadRequest("normalize: '" + Params.shorten(ns) + "' is not total, duration or ops");
            };
        }
        Operations baseOps = null;
        Operations ops = null;
        if (normalize == Diff.Normalize.OPS) {
            if (server.history() != null) {
                throw new BadRequest("normalize: ops needs the operation count of each side, and a folder's windows"
                        + " have none; use total or duration");
            }
            baseOps = operations(server.base());
            ops = operations(server.file());
        }
        Selection s = Params.selection(ctx);   // the filters of every view, read the same way
        boolean inverted = Params.inverted(ctx);
        HistoryApi history = server.history();
        if (history != null) {
            // a folder: the windows of range= against those of base=, of one kind
            Profile current = history.current(ctx);
            Profile base = history.base(ctx);
            return inverted ? new Request(FlameJson.inverted(base), FlameJson.inverted(current), s, normalize)
                    : new Request(base, current, s, normalize);
        }
        String event = Params.get(ctx, "event");
        String e = event == null ? server.defaultEvent() : event.strip();
        FlameJson.Range range = Params.range(ctx);
        FlameJson.Range baseRange = baseRange(ctx);
        if (server.base() == null && baseRange != null) {
            if (normalize == Diff.Normalize.DURATION) {
                throw new BadRequest("normalize: two ranges of one recording compare by total (both carry its duration)");
            }
            // one recording, two of its ranges: each cut from it, the time range then no filter of the comparison
            Profile current = ranged(e, range);
            Profile base = ranged(e, baseRange);
            Selection whole = s.withTimeRange(0, Long.MAX_VALUE);
            return inverted ? new Request(FlameJson.inverted(base), FlameJson.inverted(current), whole, normalize)
                    : new Request(base, current, whole, normalize);
        }
        Profile current = server.current(e, range);     // an unknown event: 400
        Profile base = server.base(e, range);           // one the base lacks: 400
        // bottom-up: both profiles turned over, then compared as they are (the operation counts unchanged)
        return inverted ? new Request(FlameJson.inverted(base), FlameJson.inverted(current), s, normalize, baseOps, ops)
                : new Request(base, current, s, normalize, baseOps, ops);
    }

    /** The operation count beside {@code recording} ({@link Operations}); none or a bad one is a 400. */
    private static Operations operations(java.nio.file.Path recording) {
        Operations o;
        try {
            o = Operations.read(recording);
        } catch (dev.proflab.profile.ProfileException e) {
            throw new BadRequest("normalize: ops: " + e.getMessage());
        }
        if (o == null) {
            throw new BadRequest("normalize: ops needs the operation count of both sides, and "
                    + recording.getFileName() + " has none (no " + Operations.sidecarOf(recording).getFileName()
                    + " beside it)");
        }
        return o;
    }

    private static ObjectNode node(Diff.Node n, Diff.Result r, double minFraction, int level, int[] stats) {
        stats[0]++;
        stats[1] = Math.max(stats[1], level);
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("name", n.name());
        FrameColors.Category c;
        if (n.kind() == null) {
            c = FrameColors.Category.ROOT;
            o.put("kind", "root");
        } else {
            c = FrameColors.of(n.kind(), n.type(), n.name());
            o.put("kind", n.kind().name().toLowerCase(Locale.ROOT));
        }
        o.put("category", c.name().toLowerCase(Locale.ROOT));
        o.put("color", FrameColors.fill(c, n.name()));
        o.put("base", n.base());
        o.put("total", n.current());
        o.put("base_self", n.baseSelf());
        o.put("self", n.self());
        o.put("base_count", n.baseCount());
        o.put("count", n.count());
        o.put("norm_base", n.normBase());
        o.put("norm_total", n.normCurrent());
        o.put("delta", n.delta());
        o.put("significant", n.significant());
        ArrayNode kids = null;
        for (Diff.Node k : n.children()) {
            double share = k.maxShare(r);
            if (share >= minFraction && (share > 0 || minFraction == 0)) {
                if (kids == null) {
                    kids = o.putArray("children");
                }
                kids.add(node(k, r, minFraction, level + 1, stats));
            }
        }
        return o;
    }

    /** Whether there is nothing to compare against: no --base file nor base range, or for a folder no base= range. */
    private boolean noBase(Exchange ctx) {
        return server.history() != null ? !HistoryApi.hasBase(ctx) : server.base() == null && baseRange(ctx) == null;
    }

    /** {@code baseFrom}/{@code baseTo}, or null when neither is given. */
    static FlameJson.Range baseRange(Exchange ctx) {
        if (Params.get(ctx, "baseFrom") == null && Params.get(ctx, "baseTo") == null) {
            return null;
        }
        long from = Params.nanos(ctx, "baseFrom", 0);
        long to = Params.nanos(ctx, "baseTo", Long.MAX_VALUE);
        if (to <= from) {
            throw new BadRequest("baseTo: " + to + " is not after baseFrom (" + from + ")");
        }
        return new FlameJson.Range(from, to);
    }

    /** Ranges of the file cut from it, the latest kept (the page asks for the flame graph and the table at once). */
    private final java.util.LinkedHashMap<String, Profile> cuts = new java.util.LinkedHashMap<>(8, 0.75f, true);
    private static final int CUTS = 4;

    /**
     * The samples of {@code range} of the file as a profile of their own: read again for the range when the file is
     * held merged ({@link RangeReads}), else cut from its samples, each kept with its time ({@link Selected}).
     */
    private Profile ranged(String event, FlameJson.Range range) {
        Profile p = server.current(event, range);
        if (range.all() || p != server.current(event)) {
            return p;   // all of it, or a read of the range only
        }
        String key = event + " " + range.from() + " " + range.to();
        synchronized (cuts) {
            Profile kept = cuts.get(key);
            if (kept != null) {
                return kept;
            }
        }
        Profile cut = Selected.profile(p, Selection.all().withTimeRange(range.from(), range.to()));
        synchronized (cuts) {
            cuts.put(key, cut);
            var it = cuts.entrySet().iterator();
            while (cuts.size() > CUTS) {
                dev.proflab.report.ProfileCache.shared().evict(it.next().getValue());
                it.remove();
            }
        }
        return cut;
    }

    private void notFound(Exchange ctx) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("error", server.history() != null ? NO_BASE_RANGE : NO_BASE);
        ctx.status(404);
        json(ctx, o);
    }

    private static void json(Exchange ctx, Object o) {
        ctx.contentType("application/json").result(json(o));
    }

    private static String json(Object o) {
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
