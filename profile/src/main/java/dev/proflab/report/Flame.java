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
