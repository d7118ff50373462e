package dev.proflab.report;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The call tree as a flame graph draws it: root first ({@code all}), each node a path of function
 * names with its total (the value of the selected stacks through it) and self (of those ending in it),
 * children by name (the x axis of a flame graph is not time). Nodes under {@code minFraction} of the
 * root are left out with everything under them; their value stays in their parent's total, which then
 * shows a gap, as flame graphs do.
 */
public final class Flame {

    /**
     * A node.
     *
     * @param name {@code package.Class.method} (with parameters or a line under the selection's naming),
     *     {@code all} for the root
     * @param type its class ({@link Frame#type()}), empty for native frames and the root
     * @param kind the kind of frame that contributed most of its value ({@code UNKNOWN} for the root)
     * @param self the value of the stacks that end in it
     * @param total the value of the stacks through it
     * @param children the callees kept, by name
     */
    public record Node(String name, String type, Frame.Kind kind, long self, long total, List<Node> children) {
    }

    /**
     * The flame graph.
     *
     * @param header the file, event, value, total and filters, as every report's
     * @param root the tree, {@code all} first
     * @param nodes how many nodes the tree has
     * @param depth the levels below the root
     */
    public record Result(Header header, Node root, int nodes, int depth) {
    }

    private Flame() {
    }

    /**
     * The flame graph of {@code profile} through {@code selection}.
     *
     * @param minFraction leave out nodes whose total is under this fraction of the root's (0: only
     *     nodes without value are left out)
     */
    public static Result compute(Profile profile, Selection selection, double minFraction) {
        return compute(CallIndex.of(profile, selection), minFraction);
    }

    /** The same of an index. */
    public static Result compute(CallIndex x, double minFraction) {
        if (!(minFraction >= 0 && minFraction <= 1)) {
            throw new IllegalArgumentException("minFraction " + minFraction + " is not from 0 to 1");
        }
        CallIndex.Tree t = x.tree();
        long min = Math.max(1, (long) Math.ceil(t.value[0] * minFraction));
        int[] stats = new int[2];
        Node root = node(t, 0, min, 0, stats);
        return new Result(x.header(), root, stats[0], stats[1]);
    }

    /**
     * The same tree as {@link #compute}, as arrays over the call tree's nodes instead of an object per node:
     * what a writer that streams a flame graph of a large profile reads (hundreds of thousands of nodes cost
     * a few bytes each, not a hundred). Children come in no particular order.
     *
     * @param minFraction as {@link #compute}
     */
    public static Table table(Profile profile, Selection selection, double minFraction) {
        return table(CallIndex.of(profile, selection), minFraction);
    }

    /** The same of an index. */
    public static Table table(CallIndex x, double minFraction) {
        if (!(minFraction >= 0 && minFraction <= 1)) {
            throw new IllegalArgumentException("minFraction " + minFraction + " is not from 0 to 1");
        }
        CallIndex.Tree t = x.tree();
        long min = Math.max(1, (long) Math.ceil(t.value[0] * minFraction));
        int count = t.view.count;
        boolean[] kept = new boolean[count];
        kept[0] = true;
        int[] parent = t.view.parent;
        for (int n = 1; n < count; n++) {
            // a parent's id is smaller than its children's: it is decided first
            kept[n] = kept[parent[n]] && t.reach[n] > 0 && t.value[n] >= min;
        }
        return new Table(x.header(), t, kept);
    }

    /**
     * A flame graph's tree as arrays: nodes are numbered from 0 (the root, {@code all}), a parent before
     * its children; only the nodes {@link #kept} are in the tree. Names are numbered too ({@link #nameId}),
     * so that a writer can work per distinct name rather than per node.
     */
    public static final class Table {
        private final Header header;
        private final CallIndex.Tree t;
        private final boolean[] kept;

        private Table(Header header, CallIndex.Tree t, boolean[] kept) {
            this.header = header;
            this.t = t;
            this.kept = kept;
        }

        /** The file, event, value, total and filters, as every report's. */
        public Header header() {
            return header;
        }

        /** How many node ids there are (kept or not): ids go from 0 to this, excluded. */
        public int count() {
            return kept.length;
        }

        /** Whether node {@code n} is in the tree (the root always is). */
        public boolean kept(int n) {
            return kept[n];
        }

        /** The parent of node {@code n} (-1 for the root). */
        public int parent(int n) {
            return t.view.parent[n];
        }

        /** The first child of node {@code n} in the tree, 0 when it has none; then {@link #next}. */
        public int first(int n) {
            return skip(t.view.t.first[n]);
        }

        /** The next sibling of node {@code c} in the tree, 0 after the last. */
        public int next(int c) {
            return skip(t.view.t.next[c]);
        }

        private int skip(int c) {
            while (c != 0 && !kept[c]) {
                c = t.view.t.next[c];
            }
            return c;
        }

        /** The value of the stacks that end in node {@code n}. */
        public long self(int n) {
            return t.self[n];
        }

        /** The value of the stacks through node {@code n}. */
        public long total(int n) {
            return t.value[n];
        }

        /** The number of node {@code n}'s name (-1 for the root), from 0 to {@link #nameCount}, excluded. */
        public int nameId(int n) {
            return n == 0 ? -1 : t.view.name[n];
        }

        /** How many names there are. */
        public int nameCount() {
            return t.x.names.count();
        }

        /** Name number {@code id}: {@code package.Class.method}, as {@link Node#name}. */
        public String name(int id) {
            return t.x.names.names[id];
        }

        /** The class of node {@code n}'s function, as {@link Node#type}. */
        public String type(int n) {
            return t.type(n);
        }

        /** The kind of frame that contributed most of node {@code n}'s value, as {@link Node#kind}. */
        public Frame.Kind kind(int n) {
            return n == 0 ? Frame.Kind.UNKNOWN : t.kind(n);
        }
    }

    private static Node node(CallIndex.Tree x, int n, long min, int level, int[] stats) {
        stats[0]++;
        stats[1] = Math.max(stats[1], level);
        List<Node> children = List.of();
        int k = 0;
        int[] kids = null;
        for (int c = x.view.t.first[n]; c != 0; c = x.view.t.next[c]) {
            if (x.reach[c] > 0 && x.value[c] >= min) {
                if (kids == null) {
                    kids = new int[4];
                } else if (k == kids.length) {
                    kids = Arrays.copyOf(kids, k * 2);
                }
                kids[k++] = c;
            }
        }
        if (k > 0) {
            Integer[] order = new Integer[k];
            for (int i = 0; i < k; i++) {
                order[i] = kids[i];
            }
            Arrays.sort(order, (a, b) -> x.name(a).compareTo(x.name(b)));
            List<Node> list = new ArrayList<>(k);
            for (int c : order) {
                list.add(node(x, c, min, level + 1, stats));
            }
            children = List.copyOf(list);
        }
        if (n == 0) {
            return new Node("all", "", Frame.Kind.UNKNOWN, x.self[0], x.value[0], children);
        }
        return new Node(x.name(n), x.type(n), x.kind(n), x.self[n], x.value[n], children);
    }
}
