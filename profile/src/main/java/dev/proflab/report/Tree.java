package dev.proflab.report;

import dev.proflab.profile.Profile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The call tree, top down: from the outermost frames (thread entry points) to the leaves; every
 * node a call path, with cum (samples under it) and self (samples ending in it).
 */
public final class Tree {

    /** A node of the tree; children by cum, heaviest first. */
    public record Node(String name, long cum, double cumPercent, long self, List<Node> children) {
    }

    /**
     * @param roots the outermost calls
     * @param dropped how many nodes were left out (below the fraction, past the depth or child limit)
     */
    public record Result(Header header, List<Node> roots, int dropped) {
    }

    /**
     * How much of the tree to show.
     *
     * @param maxDepth deepest level shown (1: the roots only), 0 or less for no limit
     * @param maxChildren children shown per node (the heaviest), 0 or less for all
     * @param nodeFraction leave out nodes whose cum is below this fraction of the total (pprof's
     *     default 0.005)
     */
    public record Options(int maxDepth, int maxChildren, double nodeFraction) {
        public static Options defaults() {
            return new Options(0, 0, 0.005);
        }
    }

    private Tree() {
    }

    private static final class Mutable {
        final int node;
        long cum;
        long self;
        final Map<Integer, Mutable> children = new HashMap<>(4);

        Mutable(int node) {
            this.node = node;
        }
    }

    public static Result compute(Profile profile, Selection selection, Options options) {
        Filtered f = Filtered.of(profile, selection);
        Mutable root = new Mutable(-1);
        for (int s = 0; s < f.stacks.length; s++) {
            int[] st = f.stacks[s];
            long w = f.weights[s];
            root.cum += w;
            Mutable at = root;
            for (int k = st.length - 1; k >= 0; k--) {
                int node = f.nodeOfFrame[st[k]];
                at = at.children.computeIfAbsent(node, Mutable::new);
                at.cum += w;
            }
            at.self += w;
        }
        long min = (long) Math.ceil(options.nodeFraction() * Math.abs(f.total));
        int[] dropped = new int[1];
        List<Node> roots = children(root, f, options, min, 1, dropped);
        return new Result(f.header, roots, dropped[0]);
    }

    private static List<Node> children(Mutable m, Filtered f, Options o, long min, int depth, int[] dropped) {
        List<Mutable> kids = new ArrayList<>(m.children.values());
        kids.sort((a, b) -> a.cum != b.cum ? Long.compare(Math.abs(b.cum), Math.abs(a.cum))
                : f.nodeNames[a.node].compareTo(f.nodeNames[b.node]));
        List<Node> out = new ArrayList<>();
        for (Mutable k : kids) {
            boolean tooSmall = Math.abs(k.cum) < min || k.cum == 0;
            boolean tooMany = o.maxChildren() > 0 && out.size() >= o.maxChildren();
            boolean tooDeep = o.maxDepth() > 0 && depth > o.maxDepth();
            if (tooSmall || tooMany || tooDeep) {
                dropped[0] += count(k);
                continue;
            }
            out.add(new Node(f.nodeNames[k.node], k.cum, Top.pct(k.cum, f.total), k.self,
                    children(k, f, o, min, depth + 1, dropped)));
        }
        return out;
    }

    private static int count(Mutable m) {
        int n = 1;
        for (Mutable k : m.children.values()) {
            n += count(k);
        }
        return n;
    }
}
