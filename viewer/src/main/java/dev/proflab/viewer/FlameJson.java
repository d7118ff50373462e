package dev.proflab.viewer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.export.FrameColors;
import dev.proflab.profile.Profile;
import dev.proflab.report.Flame;
import dev.proflab.report.Inverted;
import dev.proflab.report.ProfileCache;
import dev.proflab.report.Sandwich;
import dev.proflab.report.Selection;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * The page's JSON of a {@link Flame} report: {@code {"name", "self", "total", "kind", "category",
 * "color", "children"}} per node, root first, children by name. The report decides every number; this
 * only renders it, so the page and {@code proflab convert -o x.svg} draw the same tree.
 */
final class FlameJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private FlameJson() {
    }

    /**
     * A time range {@code [from, to)} in nanoseconds since the start of the recording, as
     * {@link Profile#timeOf(int)} counts; {@link #ALL} when neither is given.
     */
    record Range(long from, long to) {
        static final Range ALL = new Range(0, Long.MAX_VALUE);

        boolean all() {
            return from == 0 && to == Long.MAX_VALUE;
        }
    }

    /** The flame graph of {@code p} through {@code s} as the page's JSON; without filters, rendered once. */
    static ObjectNode of(Profile p, Selection s, double minFraction) {
        if (!s.activeFilters().isEmpty()) {
            // a filtered view is asked for once, then the next filter: nothing kept
            return render(Flame.compute(p, s, minFraction));
        }
        return cached(p, new Key("flame", s.key(), minFraction), () -> render(Flame.compute(p, s, minFraction)));
    }

    private record Key(String what, Selection.Key selection, double minFraction) {
    }

    /**
     * {@code p} bottom-up ({@link Inverted}): each stack turned over, so that a flame graph of it starts with the
     * frames that were running. Kept with {@code p} in the {@link ProfileCache}, so that its flame graphs are kept too.
     */
    static Profile inverted(Profile p) {
        return ProfileCache.shared().get(p, "inverted", () -> Inverted.of(p),
                q -> 48L * q.stackCount() + 32L * q.sampleCount() + 64L * q.frameCount());
    }

    /**
     * The page's JSON of a {@link Sandwich}: {@code {"function", "event", "value_type", "unit", "total", "nodes",
     * "callers": node, "callees": node}}, each node as the flame graph's (the function at both roots, with its own
     * kind and colour).
     */
    static ObjectNode sandwich(Sandwich.Result r) {
        ObjectNode o = F.objectNode();
        var h = r.header();
        o.put("function", r.function());
        o.put("event", h.event());
        o.put("value_type", h.type().type());
        o.put("unit", h.type().unit());
        o.put("total", r.total());
        o.put("nodes", r.nodes());
        o.set("callers", node(r.callers(), false));
        o.set("callees", node(r.callees(), false));
        return o;
    }

    /**
     * What the page asks for and the viewer keeps rendered (in the {@link ProfileCache}, with the indexes
     * it comes from): not to be changed by its users.
     */
    @SuppressWarnings("unchecked")
    static <T> T cached(Profile p, Object key, Supplier<T> compute) {
        return ProfileCache.shared().get(p, key, compute, FlameJson::weight);
    }

    private static long weight(Object o) {
        if (o instanceof String s) {
            return 2L * s.length() + 64;
        }
        if (o instanceof ObjectNode n) {
            return 200L * Math.max(1, n.path("nodes").asLong(1));
        }
        return 4096;
    }

    static ObjectNode render(Flame.Result r) {
        ObjectNode o = F.objectNode();
        var h = r.header();
        o.put("event", h.event());
        o.put("value_type", h.type().type());
        o.put("unit", h.type().unit());
        o.put("total", r.root().total());
        o.put("nodes", r.nodes());
        o.put("depth", r.depth());
        o.set("root", node(r.root(), true));
        return o;
    }

    private static ObjectNode node(Flame.Node n, boolean root) {
        ObjectNode o = F.objectNode();
        o.put("name", n.name());
        o.put("self", n.self());
        o.put("total", n.total());
        FrameColors.Category c;
        if (root) {
            c = FrameColors.Category.ROOT;
            o.put("kind", "root");
        } else {
            c = FrameColors.of(n.kind(), n.type(), n.name());
            o.put("kind", n.kind().name().toLowerCase(Locale.ROOT));
        }
        o.put("category", c.name().toLowerCase(Locale.ROOT));
        o.put("color", FrameColors.fill(c, n.name()));
        if (!n.children().isEmpty()) {
            ArrayNode arr = o.putArray("children");
            for (Flame.Node k : n.children()) {
                arr.add(node(k, false));
            }
        }
        return o;
    }
}
