package dev.proflab.viewer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.export.FrameColors;
import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The samples of a profile that pass the filters, merged into one call tree (root first) for the
 * browser's flame graph: {@code {"name", "self", "total", "kind", "category", "color", "children"}}.
 * Nodes smaller than {@code minFraction} of the root are pruned (their value stays in the parent's
 * total, so the parent shows a gap, as flame graphs do).
 */
final class FlameTree {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static final class Node {
        final String name;
        final String type;
        final long[] byKind = new long[Frame.Kind.values().length];
        final Map<String, Node> children = new HashMap<>();
        long total;
        long self;

        Node(String name, String type) {
            this.name = name;
            this.type = type;
        }

        Frame.Kind kind() {
            int best = Frame.Kind.UNKNOWN.ordinal();
            long max = 0;
            for (int k = 0; k < byKind.length; k++) {
                if (byKind[k] > max) {
                    max = byKind[k];
                    best = k;
                }
            }
            return Frame.Kind.values()[best];
        }
    }

    private final Node root = new Node("all", "");
    private int nodes;
    private int depth;

    /** Every sample whose thread matches {@code thread}, with a frame matching focus and none matching ignore. */
    static FlameTree of(Profile p, int valueIndex, Pattern focus, Pattern ignore, Pattern thread) {
        return of(p, valueIndex, focus, ignore, null, thread);
    }

    /**
     * As {@link #of(Profile, int, Pattern, Pattern, Pattern)}, and with the frames matching {@code hide}
     * taken out of the stacks (pprof's {@code hide}: their value goes to their callers).
     */
    static FlameTree of(Profile p, int valueIndex, Pattern focus, Pattern ignore, Pattern hide, Pattern thread) {
        FlameTree t = new FlameTree();
        Map<Integer, Boolean> threadOk = new HashMap<>();
        long[] perStack = new long[p.stackCount()];
        for (int s = 0; s < p.sampleCount(); s++) {
            if (thread != null && !threadOk.computeIfAbsent(p.threadOf(s),
                    id -> thread.matcher(p.threadName(id)).find())) {
                continue;
            }
            perStack[p.stackOf(s)] += p.value(s, valueIndex);
        }
        for (int id = 0; id < perStack.length; id++) {
            long v = perStack[id];
            if (v == 0) {
                continue;
            }
            int[] stack = p.stack(id);
            if (focus != null && !anyMatches(p, stack, focus) || ignore != null && anyMatches(p, stack, ignore)) {
                continue;
            }
            Node n = t.root;
            n.total += v;
            for (int i = stack.length - 1; i >= 0; i--) {
                Frame f = p.frame(stack[i]);
                if (hide != null && hide.matcher(f.name()).find()) {
                    continue;
                }
                Node c = n.children.get(f.name());
                if (c == null) {
                    c = new Node(f.name(), f.type());
                    n.children.put(f.name(), c);
                }
                n = c;
                n.total += v;
                n.byKind[f.kind().ordinal()] += v;
            }
            n.self += v;
        }
        return t;
    }

    private static boolean anyMatches(Profile p, int[] stack, Pattern re) {
        for (int f : stack) {
            if (re.matcher(p.frame(f).name()).find()) {
                return true;
            }
        }
        return false;
    }

    long total() {
        return root.total;
    }

    /** The tree as JSON, without nodes under {@code minFraction} of the total. */
    ObjectNode toJson(double minFraction) {
        long min = (long) Math.ceil(root.total * minFraction);
        nodes = 0;
        depth = 0;
        return json(root, null, Math.max(min, 1), 0);
    }

    int nodeCount() {
        return nodes;
    }

    int depth() {
        return depth;
    }

    private ObjectNode json(Node n, Node parent, long min, int level) {
        nodes++;
        depth = Math.max(depth, level);
        ObjectNode o = F.objectNode();
        o.put("name", n.name);
        o.put("self", n.self);
        o.put("total", n.total);
        FrameColors.Category c;
        if (parent == null) {
            c = FrameColors.Category.ROOT;
            o.put("kind", "root");
        } else {
            Frame.Kind k = n.kind();
            c = FrameColors.of(k, n.type, n.name);
            o.put("kind", k.name().toLowerCase(java.util.Locale.ROOT));
        }
        o.put("category", c.name().toLowerCase(java.util.Locale.ROOT));
        o.put("color", FrameColors.fill(c, n.name));
        List<Node> kids = new ArrayList<>();
        for (Node k : n.children.values()) {
            if (k.total >= min) {
                kids.add(k);
            }
        }
        if (!kids.isEmpty()) {
            kids.sort(Comparator.comparing(k -> k.name));
            var arr = o.putArray("children");
            for (Node k : kids) {
                arr.add(json(k, n, min, level + 1));
            }
        }
        return o;
    }
}
