package dev.proflab.report;

import dev.proflab.profile.Profile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * pprof's {@code peek}: for every function matching a regular expression, who calls it and whom it
 * calls, with the value that flows along each edge (counted once per stack).
 */
public final class Peek {

    /**
     * A caller or a callee.
     *
     * @param percent the edge's value as a percentage of the matched function's cum
     */
    public record Edge(String name, long value, double percent) {
    }

    public record Entry(String name, long flat, double flatPercent, double sumPercent, long cum, double cumPercent,
                        List<Edge> callers, List<Edge> callees) {
    }

    public record Result(Header header, List<Entry> entries) {
    }

    private Peek() {
    }

    /**
     * @param n functions to show (the heaviest by flat, or by cum with {@code cumSort}); 0 or less for all
     */
    public static Result compute(Profile profile, Selection selection, String regex, int n, boolean cumSort) {
        CallIndex x = CallIndex.of(profile, selection);
        return compute(x, x.namesMatching(selection.regex("peek", regex)), n, cumSort);
    }

    /** The same of an index, e.g. a comparison ({@link CallIndex#diff}). */
    public static Result compute(CallIndex x, String regex, int n, boolean cumSort) {
        return compute(x, x.namesMatching(x.selection.regex("peek", regex)), n, cumSort);
    }

    static Result compute(CallIndex x, boolean[] matched, int n, boolean cumSort) {
        CallIndex.FlatCum fc = x.flatCum();
        long[] flat = fc.flat();
        long[] cum = fc.cum();
        String[] names = x.names.names;
        CallIndex.Tree t = x.tree();
        int[] name = t.view.name;
        // Depth first through the call tree. An edge between a matched function and its caller (callee)
        // carries the value of the stacks through the node where it is; a stack counts once per edge,
        // so an edge is added only where it is not already on the path from the root.
        Map<Integer, Map<Integer, Long>> callers = new HashMap<>();
        Map<Integer, Map<Integer, Long>> callees = new HashMap<>();
        Map<Long, int[]> inOnPath = new HashMap<>();
        Map<Long, int[]> outOnPath = new HashMap<>();
        int count = t.view.count;
        int[] todo = new int[2 * count + 2];
        int top = 0;
        for (int c : t.children(0)) {
            todo[top++] = c;
        }
        while (top > 0) {
            int node = todo[--top];
            boolean leaving = node < 0;
            if (leaving) {
                node = ~node;
            }
            int up = t.view.parent[node];
            long in = up != 0 && matched[name[node]] ? (long) name[node] << 32 | name[up] : -1;
            long out = up != 0 && matched[name[up]] ? (long) name[up] << 32 | name[node] : -1;
            if (leaving) {
                if (in >= 0) {
                    inOnPath.get(in)[0]--;
                }
                if (out >= 0) {
                    outOnPath.get(out)[0]--;
                }
                continue;
            }
            long v = t.value[node];
            if (in >= 0 && inOnPath.computeIfAbsent(in, k -> new int[1])[0]++ == 0) {
                callers.computeIfAbsent(name[node], k -> new HashMap<>()).merge(name[up], v, Long::sum);
            }
            if (out >= 0 && outOnPath.computeIfAbsent(out, k -> new int[1])[0]++ == 0) {
                callees.computeIfAbsent(name[up], k -> new HashMap<>()).merge(name[node], v, Long::sum);
            }
            todo[top++] = ~node;
            for (int c = t.view.t.first[node]; c != 0; c = t.view.t.next[c]) {
                if (t.reach[c] > 0) {
                    todo[top++] = c;
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (matched[i] && (cum[i] != 0 || flat[i] != 0)) {
                order.add(i);
            }
        }
        order.sort((a, b) -> {
            long ka = cumSort ? cum[a] : flat[a];
            long kb = cumSort ? cum[b] : flat[b];
            if (ka != kb) {
                return Long.compare(Math.abs(kb), Math.abs(ka));
            }
            long sa = cumSort ? flat[a] : cum[a];
            long sb = cumSort ? flat[b] : cum[b];
            if (sa != sb) {
                return Long.compare(Math.abs(sb), Math.abs(sa));
            }
            return names[a].compareTo(names[b]);
        });
        if (n > 0 && order.size() > n) {
            order = order.subList(0, n);
        }
        List<Entry> entries = new ArrayList<>();
        long sum = 0;
        for (int i : order) {
            sum += flat[i];
            entries.add(new Entry(names[i], flat[i], Top.pct(flat[i], x.total), Top.pct(sum, x.total),
                    cum[i], Top.pct(cum[i], x.total),
                    edges(callers.get(i), cum[i], names), edges(callees.get(i), cum[i], names)));
        }
        return new Result(x.header(), entries);
    }

    private static List<Edge> edges(Map<Integer, Long> m, long cum, String[] names) {
        if (m == null) {
            return List.of();
        }
        List<Edge> out = new ArrayList<>();
        m.forEach((node, v) -> out.add(new Edge(names[node], v, Top.pct(v, cum))));
        out.sort((a, b) -> a.value() != b.value() ? Long.compare(Math.abs(b.value()), Math.abs(a.value()))
                : a.name().compareTo(b.name()));
        return out;
    }
}
