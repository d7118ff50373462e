package dev.proflab.export;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of a profile merged into one call tree, root first, for flame graphs: a node per
 * distinct path of method names from the root, its {@link Node#total() total} the value of every
 * sample that passed through it and its {@link Node#self() self} the value of those that ended in
 * it. Frames of one method at different lines, or once interpreted and once compiled, are one node;
 * the node remembers how much of its value each {@link Frame.Kind} contributed (for colours).
 */
public final class CallTree {

    /** One frame in the tree. */
    public static final class Node {
        private final String name;
        private final String type;
        private final Node parent;
        private final long[] byKind = new long[Frame.Kind.values().length];
        private final Map<String, Node> children = new HashMap<>();
        private long total;
        private long self;

        Node(String name, String type, Node parent) {
            this.name = name;
            this.type = type;
            this.parent = parent;
        }

        /** {@code package.Class.method}, or the symbol of a native frame; {@code all} for the root. */
        public String name() {
            return name;
        }

        /** The class ({@link Frame#type()}), empty for native frames and the root. */
        public String type() {
            return type;
        }

        public long total() {
            return total;
        }

        public long self() {
            return self;
        }

        /** The caller, null for the root. */
        public Node parent() {
            return parent;
        }

        /** The kind that contributed most of this node's value ({@code UNKNOWN} for the root). */
        public Frame.Kind kind() {
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

        /** Value contributed by frames of {@code kind}. */
        public long total(Frame.Kind kind) {
            return byKind[kind.ordinal()];
        }

        /** Callees, sorted by name (the flame graph convention: the x axis is not time). */
        public List<Node> children() {
            List<Node> list = new ArrayList<>(children.values());
            list.sort(Comparator.comparing(Node::name));
            return Collections.unmodifiableList(list);
        }

        /** Depth of the deepest node below this one, counting this as 1. */
        public int depth() {
            int d = 0;
            for (Node c : children.values()) {
                d = Math.max(d, c.depth());
            }
            return d + 1;
        }

        Node child(Frame f) {
            String key = f.name();
            Node c = children.get(key);
            if (c == null) {
                c = new Node(key, f.type(), this);
                children.put(key, c);
            }
            return c;
        }

        @Override
        public String toString() {
            return name + " " + total;
        }
    }

    private final Node root;
    private final int valueIndex;

    private CallTree(Node root, int valueIndex) {
        this.root = root;
        this.valueIndex = valueIndex;
    }

    /** Merges every sample's value {@code valueIndex}. Samples without a stack count in the root's self. */
    public static CallTree of(Profile profile, int valueIndex) {
        long[] perStack = new long[profile.stackCount()];
        for (int s = 0; s < profile.sampleCount(); s++) {
            perStack[profile.stackOf(s)] += profile.value(s, valueIndex);
        }
        Node root = new Node("all", "", null);
        for (int id = 0; id < perStack.length; id++) {
            long v = perStack[id];
            if (v == 0) {
                continue;
            }
            int[] stack = profile.stack(id);
            Node n = root;
            n.total += v;
            for (int i = stack.length - 1; i >= 0; i--) {
                Frame f = profile.frame(stack[i]);
                n = n.child(f);
                n.total += v;
                n.byKind[f.kind().ordinal()] += v;
            }
            n.self += v;
        }
        return new CallTree(root, valueIndex);
    }

    /** The root, named {@code all}: its total is the profile's total. */
    public Node root() {
        return root;
    }

    /** The value index the tree was built from. */
    public int valueIndex() {
        return valueIndex;
    }
}
