package dev.proflab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.proflab.profile.Timeline;

import java.util.List;
import java.util.Map;

/**
 * Renders reports as JSON with stable field names: values in the unit of the value type
 * (nanoseconds, bytes, counts), percentages rounded to two decimals, rows in the order text shows them.
 *
 * <ul>
 *   <li>top: {@code [{"name", "flat", "flat_percent", "cum", "cum_percent"}]}
 *   <li>list: {@code [{"name", "file", "source", "flat", "cum", "lines": [{"line", "flat", "cum", "text"}]}]}
 *   <li>peek: {@code [{"name", "flat", "flat_percent", "cum", "cum_percent", "callers": [{"name", "value",
 *       "percent"}], "callees": [...]}]}
 *   <li>tree: {@code [{"name", "cum", "cum_percent", "self", "children": [...]}]}
 *   <li>traces: {@code [{"value", "percent", "frames": ["leaf", ..., "root"]}]}
 *   <li>timeline: see {@link #timelineNode}
 * </ul>
 */
public final class JsonReport {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private JsonReport() {
    }

    private static double round(double pct) {
        return Math.round(pct * 100) / 100.0;
    }

    private static String write(com.fasterxml.jackson.databind.JsonNode a) {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        pp.indentArraysWith(new DefaultIndenter("  ", "\n"));
        try {
            return MAPPER.writer(pp).writeValueAsString(a) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** pprof's {@code -tags}: {@code [{"key", "total", "values": [{"name", "value", "percent"}]}]}. */
    public static String tags(Tags.Result r) {
        ArrayNode a = F.arrayNode();
        for (Tags.Key k : r.keys()) {
            ObjectNode o = a.addObject();
            o.put("key", k.name());
            o.put("total", k.total());
            ArrayNode values = o.putArray("values");
            for (Tags.Value v : k.values()) {
                ObjectNode vo = values.addObject();
                vo.put("name", v.name());
                vo.put("value", v.value());
                vo.put("percent", round(v.percent()));
            }
        }
        return write(a);
    }

    public static String top(Top.Result r) {
        ArrayNode a = F.arrayNode();
        for (Top.Row row : r.rows()) {
            ObjectNode o = a.addObject();
            o.put("name", row.name());
            o.put("flat", row.flat());
            o.put("flat_percent", round(row.flatPercent()));
            o.put("cum", row.cum());
            o.put("cum_percent", round(row.cumPercent()));
        }
        return write(a);
    }

    /**
     * {@link PerOp}: {@code {"operations": {"count", "unit", "source", "covers"}, "unit", "per_op_unit",
     * "total", "total_per_op", "rows": [{"name", "flat", "flat_percent", "cum", "cum_percent", "flat_per_op",
     * "cum_per_op"}]}}; per-operation values in the value's unit (e.g. nanoseconds) per operation, unrounded.
     */
    public static String topPerOp(PerOp.Result r) {
        ObjectNode o = F.objectNode();
        ObjectNode ops = o.putObject("operations");
        ops.put("count", r.operations().count());
        ops.put("unit", r.operations().unit());
        ops.put("source", r.operations().source());
        ops.put("covers", r.operations().covers());
        o.put("unit", r.unit());
        o.put("per_op_unit", r.perUnit());
        o.put("total", r.top().header().total());
        o.put("total_per_op", r.totalPerOp());
        ArrayNode a = o.putArray("rows");
        for (PerOp.Row row : r.rows()) {
            Top.Row x = row.row();
            ObjectNode e = a.addObject();
            e.put("name", x.name());
            e.put("flat", x.flat());
            e.put("flat_percent", round(x.flatPercent()));
            e.put("cum", x.cum());
            e.put("cum_percent", round(x.cumPercent()));
            e.put("flat_per_op", row.flatPerOp());
            e.put("cum_per_op", row.cumPerOp());
        }
        return write(o);
    }

    public static String list(Lines.Result r) {
        ArrayNode a = F.arrayNode();
        for (Lines.Function f : r.functions()) {
            ObjectNode o = a.addObject();
            o.put("name", f.name());
            o.put("file", f.file());
            o.put("source", f.source() == null ? null : f.source().toString());
            o.put("flat", f.flat());
            o.put("cum", f.cum());
            ArrayNode lines = o.putArray("lines");
            for (Lines.Line l : f.lines()) {
                ObjectNode lo = lines.addObject();
                lo.put("line", l.number());
                lo.put("flat", l.flat());
                lo.put("cum", l.cum());
                lo.put("text", l.text());
            }
        }
        return write(a);
    }

    public static String peek(Peek.Result r) {
        ArrayNode a = F.arrayNode();
        for (Peek.Entry e : r.entries()) {
            ObjectNode o = a.addObject();
            o.put("name", e.name());
            o.put("flat", e.flat());
            o.put("flat_percent", round(e.flatPercent()));
            o.put("cum", e.cum());
            o.put("cum_percent", round(e.cumPercent()));
            edges(o.putArray("callers"), e.callers());
            edges(o.putArray("callees"), e.callees());
        }
        return write(a);
    }

    private static void edges(ArrayNode a, List<Peek.Edge> edges) {
        for (Peek.Edge e : edges) {
            ObjectNode o = a.addObject();
            o.put("name", e.name());
            o.put("value", e.value());
            o.put("percent", round(e.percent()));
        }
    }

    public static String tree(Tree.Result r) {
        ArrayNode a = F.arrayNode();
        for (Tree.Node n : r.roots()) {
            node(a.addObject(), n);
        }
        return write(a);
    }

    private static void node(ObjectNode o, Tree.Node n) {
        o.put("name", n.name());
        o.put("cum", n.cum());
        o.put("cum_percent", round(n.cumPercent()));
        o.put("self", n.self());
        ArrayNode c = o.putArray("children");
        for (Tree.Node k : n.children()) {
            node(c.addObject(), k);
        }
    }

    public static String traces(Traces.Result r) {
        ArrayNode a = F.arrayNode();
        for (Traces.Trace t : r.traces()) {
            ObjectNode o = a.addObject();
            o.put("value", t.value());
            o.put("percent", round(t.percent()));
            ArrayNode frames = o.putArray("frames");
            t.frames().forEach(frames::add);
        }
        return write(a);
    }

    /**
     * The timeline of {@code file} as the viewer's {@code /api/timeline} and {@code proflab timeline
     * --format json} give it: {@code {"available", "file", "engine", "duration_ns", "from", "to", "buckets",
     * "bucket_ns", "cpu_interval_ns", "wall_interval_ns", "has_jdk_events", "note", "states", "threads",
     * "short_lived", "more", "more_names", "gc": {"count", "total_ns", "max_ns"}, "safepoints": {...},
     * "bands": [{"kind", "name", "start", "duration"}], "lanes": [{"id", "name", "java_thread_id", "start",
     * "end", "start_seen", "end_seen", "idle", "summary": {...}, "samples", "buckets": {STATE: [ns...]},
     * "intervals": [{"start", "end", "state"}]}]}}, times in nanoseconds since the recording's start.
     */
    public static ObjectNode timelineNode(TimelineReport.Result r, String file) {
        ObjectNode o = F.objectNode();
        o.put("available", true);
        o.put("file", file);
        o.put("engine", r.engine());
        o.put("duration_ns", r.durationNanos());
        o.put("from", r.from());
        o.put("to", r.to());
        o.put("buckets", r.buckets());
        o.put("bucket_ns", r.bucketNanos());
        o.put("cpu_interval_ns", r.cpuIntervalNanos());
        o.put("wall_interval_ns", r.wallIntervalNanos());
        o.put("has_jdk_events", r.hasJdkEvents());
        o.put("note", r.note());
        ArrayNode states = o.putArray("states");
        for (Timeline.State s : Timeline.State.values()) {
            states.add(s.id());
        }
        o.put("threads", r.threads());
        o.put("short_lived", r.shortLived());
        o.put("more", r.more());
        ArrayNode more = o.putArray("more_names");
        r.moreNames().forEach(more::add);
        bandTotals(o.putObject("gc"), r.gc());
        bandTotals(o.putObject("safepoints"), r.safepoints());
        ArrayNode bands = o.putArray("bands");
        for (Timeline.Band b : r.bands()) {
            ObjectNode bo = bands.addObject();
            bo.put("kind", b.kind().id());
            bo.put("name", b.name());
            bo.put("start", b.start());
            bo.put("duration", b.duration());
        }
        ArrayNode lanes = o.putArray("lanes");
        for (TimelineReport.Lane l : r.lanes()) {
            ObjectNode lo = lanes.addObject();
            lo.put("id", l.id());
            lo.put("name", l.name());
            lo.put("java_thread_id", l.javaThreadId());
            lo.put("start", l.start());
            lo.put("end", l.end());
            lo.put("start_seen", l.startSeen());
            lo.put("end_seen", l.endSeen());
            lo.put("idle", l.idle());
            TimelineReport.Summary s = l.summary();
            ObjectNode so = lo.putObject("summary");
            so.put("lifetime_ns", s.lifetime());
            so.put("samples", s.samples());
            so.put("running_ns", s.running());
            so.put("running_share", Math.round(s.runningShare() * 10000) / 10000.0);
            so.put("parked_ns", s.parked());
            so.put("blocked_ns", s.blocked());
            so.put("waiting_ns", s.waiting());
            so.put("sleeping_ns", s.sleeping());
            so.put("idle_ns", s.idle());
            ArrayNode samples = lo.putArray("samples");
            for (int n : l.samples()) {
                samples.add(n);
            }
            ObjectNode bo = lo.putObject("buckets");
            for (Map.Entry<Timeline.State, long[]> e : l.state().entrySet()) {
                ArrayNode a = bo.putArray(e.getKey().id());
                for (long v : e.getValue()) {
                    a.add(v);
                }
            }
            ArrayNode iv = lo.putArray("intervals");
            for (Timeline.Interval i : l.intervals()) {
                ObjectNode io = iv.addObject();
                io.put("start", i.start());
                io.put("end", i.end());
                io.put("state", i.state().id());
            }
        }
        return o;
    }

    private static void bandTotals(ObjectNode o, TimelineReport.BandTotals t) {
        o.put("count", t.count());
        o.put("total_ns", t.total());
        o.put("max_ns", t.max());
    }

    /** {@link #timelineNode} as a document for a terminal. */
    public static String timeline(TimelineReport.Result r, String file) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(timelineNode(r, file)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A comparison: {@code {"base": header, "current": header, "normalize", "norm_unit", "alpha",
     * "base_recordings", "recordings", "tested", "limitation", "warnings", "rows": [{"name", "base_flat",
     * "base_cum", "flat", "cum", "norm_base_flat", "norm_flat", "delta_flat", "norm_base_cum", "norm_cum",
     * "delta_cum", "p_value", "q_value", "significant", "raw_name"}]}}; raw values in the value's unit,
     * normalised ones as shares (0 to 1) or per second; p and q null where a function was not tested;
     * {@code raw_name} only where the name was normalised ({@link GeneratedNames}).
     *
     * @param n rows, 0 or less for all
     */
    public static String diff(Diff.Result r, int n) {
        return diff(r, n, null);
    }

    /**
     * {@link #diff(Diff.Result, int)} with the gate's outcome ({@link DiffGate}; null: none, the JSON is as without):
     * every row shown gets {@code gate} ({@code failed}, {@code within_limit}, {@code passed}, {@code exempt}, or
     * {@code no_limit}; null when not judged) and {@code limit_points} (null without a limit), and the object a
     * {@code "gate": {"on", "alpha", "judged", "limitation", "failed", "checked", "failures": [{"name", "base_share",
     * "share", "growth_points", "q_value", "limit_points", "limit_source"}], "within_limit": [the same], "exempt",
     * "unchecked"}}; shares and growths in percent and percentage points.
     */
    public static String diff(Diff.Result r, int n, DiffGate.Result gate) {
        ObjectNode o = F.objectNode();
        o.set("base", header(r.baseHeader()));
        o.set("current", header(r.header()));
        o.put("normalize", r.normalize().label());
        o.put("norm_unit", r.normUnit());
        if (r.baseOperations() != null && r.operations() != null) {
            o.set("base_operations", operations(r.baseOperations()));
            o.set("operations", operations(r.operations()));
        }
        o.put("alpha", r.alpha());
        o.put("base_recordings", r.baseRecordings());
        o.put("recordings", r.recordings());
        o.put("tested", r.tested());
        o.put("limitation", r.limitation());
        ArrayNode w = o.putArray("warnings");
        r.warnings().forEach(w::add);
        ArrayNode rows = o.putArray("rows");
        List<Diff.Row> shown = n > 0 && r.rows().size() > n ? r.rows().subList(0, n) : r.rows();
        for (Diff.Row row : shown) {
            ObjectNode x = rows.addObject();
            x.put("name", row.name());
            x.put("base_flat", row.baseFlat());
            x.put("base_cum", row.baseCum());
            x.put("flat", row.flat());
            x.put("cum", row.cum());
            x.put("norm_base_flat", row.normBaseFlat());
            x.put("norm_flat", row.normFlat());
            x.put("delta_flat", row.deltaFlat());
            x.put("norm_base_cum", row.normBaseCum());
            x.put("norm_cum", row.normCum());
            x.put("delta_cum", row.deltaCum());
            putNumber(x, "p_value", row.p());
            putNumber(x, "q_value", row.q());
            x.put("significant", row.significant());
            if (!row.raw().equals(row.name())) {
                x.put("raw_name", row.raw());
            }
            if (gate != null) {
                DiffGate.Check c = gate.of(row.name());
                if (!gate.judged()) {
                    x.putNull("gate");
                } else {
                    x.put("gate", c == null ? "no_limit" : c.status().label());
                }
                if (c == null || c.limit() == null) {
                    x.putNull("limit_points");
                } else {
                    x.put("limit_points", c.limit().points());
                }
            }
        }
        if (gate != null) {
            ObjectNode g = o.putObject("gate");
            g.put("on", gate.on().label());
            g.put("alpha", gate.alpha());
            g.put("judged", gate.judged());
            g.put("limitation", gate.limitation());
            g.put("failed", gate.failed());
            g.put("checked", gate.checks().size() - gate.with(DiffGate.Status.EXEMPT).size());
            gateChecks(g.putArray("failures"), gate.failures());
            gateChecks(g.putArray("within_limit"), gate.with(DiffGate.Status.WITHIN_LIMIT));
            g.put("exempt", gate.with(DiffGate.Status.EXEMPT).size());
            g.put("unchecked", gate.unchecked());
        }
        return write(o);
    }

    private static ObjectNode operations(dev.proflab.profile.Operations ops) {
        ObjectNode x = F.objectNode();
        x.put("count", ops.count());
        x.put("unit", ops.unit());
        x.put("source", ops.source());
        x.put("covers", ops.covers());
        return x;
    }

    private static void gateChecks(ArrayNode a, List<DiffGate.Check> checks) {
        for (DiffGate.Check c : checks) {
            ObjectNode x = a.addObject();
            x.put("name", c.row().name());
            x.put("base_share", c.baseShare());
            x.put("share", c.share());
            x.put("growth_points", c.growth());
            putNumber(x, "q_value", c.q());
            x.put("limit_points", c.limit().points());
            x.put("limit_source", c.limit().source());
        }
    }

    private static void putNumber(ObjectNode o, String field, double v) {
        if (Double.isNaN(v)) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }

    /** A report's header: file, engine, jdk, event, interval, duration_ns, value_type, unit, total, samples, filters. */
    static ObjectNode header(Header h) {
        ObjectNode o = F.objectNode();
        o.put("file", h.file());
        o.put("engine", h.engine());
        o.put("jdk", h.jdk());
        o.put("event", h.event());
        o.put("interval", h.interval());
        if (h.duration() == null) {
            o.putNull("duration_ns");
        } else {
            o.put("duration_ns", h.duration().toNanos());
        }
        o.put("value_type", h.type().type());
        o.put("unit", h.type().unit());
        o.put("total", h.total());
        o.put("samples", h.samples());
        ArrayNode f = o.putArray("filters");
        h.filters().forEach(f::add);
        return o;
    }
}
