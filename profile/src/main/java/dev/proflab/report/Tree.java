package dev.proflab.report;

import dev.proflab.profile.Profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    public static Result compute(Profile profile, Selection selection, Options options) {
        return compute(CallIndex.of(profile, selection), options);
    }

    /** The same of an index, e.g. a comparison ({@link CallIndex#diff}). */
    public static Result compute(CallIndex x, Options options) {
        CallIndex.Tree t = x.tree();
        // nodes under each node (itself included), for what is dropped; the largest |cum| at or under
        // it (its own but in a comparison, where a caller's change can be 0 and its callees' not)
        int[] size = new int[t.view.count];
        long[] big = new long[t.view.count];
        for (int n = t.view.count - 1; n > 0; n--) {
            if (t.reach[n] > 0) {
                size[n]++;
                size[t.view.parent[n]] += size[n];
                big[n] = Math.max(big[n], Math.abs(t.value[n]));
                big[t.view.parent[n]] = Math.max(big[t.view.parent[n]], big[n]);
            }
        }
        long min = (long) Math.ceil(options.nodeFraction() * Math.abs(x.total));
        int[] dropped = new int[1];
        List<Node> roots = children(x, t, 0, options, min, 1, size, big, dropped);
        return new Result(x.header(), roots, dropped[0]);
    }

    private static List<Node> children(CallIndex x, CallIndex.Tree t, int n, Options o, long min, int depth, int[] size,
                                         long[] big, int[] dropped) {
        int[] kids = t.children(n);
        Integer[] order = new Integer[kids.length];
        for (int i = 0; i < kids.length; i++) {
            order[i] = kids[i];
        }
        long[] cum = t.value;
        Arrays.sort(order, (a, b) -> cum[a] != cum[b] ? Long.compare(Math.abs(cum[b]), Math.abs(cum[a]))
                : t.name(a).compareTo(t.name(b)));
        List<Node> out = new ArrayList<>();
        for (int k : order) {
            boolean tooSmall = big[k] < min || big[k] == 0;
            boolean tooMany = o.maxChildren() > 0 && out.size() >= o.maxChildren();
            boolean tooDeep = o.maxDepth() > 0 && depth > o.maxDepth();
            if (tooSmall || tooMany || tooDeep) {
                dropped[0] += size[k];
                continue;
            }
            out.add(new Node(t.name(k), cum[k], Top.pct(cum[k], x.total), t.self[k],
                    children(x, t, k, o, min, depth + 1, size, big, dropped)));
        }
        return out;
    }
}
