package dev.proflab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

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

    private static String write(ArrayNode a) {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        pp.indentArraysWith(new DefaultIndenter("  ", "\n"));
        try {
            return MAPPER.writer(pp).writeValueAsString(a) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
}
