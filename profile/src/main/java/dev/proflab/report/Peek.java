package dev.proflab.report;

import dev.proflab.profile.Profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        Filtered f = Filtered.of(profile, selection);
        boolean[] matched = f.nodesMatching(selection.regex("peek", regex));
        int nodes = f.nodeCount();
        long[] flat = new long[nodes];
        long[] cum = new long[nodes];
        int[] stamp = new int[nodes];
        Arrays.fill(stamp, -1);
        Map<Integer, Map<Integer, Long>> callers = new HashMap<>();
        Map<Integer, Map<Integer, Long>> callees = new HashMap<>();
        Set<Long> seenIn = new HashSet<>();
        Set<Long> seenOut = new HashSet<>();
        for (int s = 0; s < f.stacks.length; s++) {
            int[] st = f.stacks[s];
            long w = f.weights[s];
            if (st.length == 0) {
                continue;
            }
            seenIn.clear();
            seenOut.clear();
            int leaf = f.nodeOfFrame[st[0]];
            if (matched[leaf]) {
                flat[leaf] += w;
            }
            for (int k = 0; k < st.length; k++) {
                int node = f.nodeOfFrame[st[k]];
                if (!matched[node]) {
                    continue;
                }
                if (stamp[node] != s) {
                    stamp[node] = s;
                    cum[node] += w;
                }
                if (k + 1 < st.length) {
                    int caller = f.nodeOfFrame[st[k + 1]];
                    if (seenIn.add((long) node << 32 | caller)) {
                        callers.computeIfAbsent(node, x -> new HashMap<>()).merge(caller, w, Long::sum);
                    }
                }
                if (k > 0) {
                    int callee = f.nodeOfFrame[st[k - 1]];
                    if (seenOut.add((long) node << 32 | callee)) {
                        callees.computeIfAbsent(node, x -> new HashMap<>()).merge(callee, w, Long::sum);
                    }
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
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
            return f.nodeNames[a].compareTo(f.nodeNames[b]);
        });
        if (n > 0 && order.size() > n) {
            order = order.subList(0, n);
        }
        List<Entry> entries = new ArrayList<>();
        long sum = 0;
        for (int i : order) {
            sum += flat[i];
            entries.add(new Entry(f.nodeNames[i], flat[i], Top.pct(flat[i], f.total), Top.pct(sum, f.total),
                    cum[i], Top.pct(cum[i], f.total),
                    edges(callers.get(i), cum[i], f.nodeNames), edges(callees.get(i), cum[i], f.nodeNames)));
        }
        return new Result(f.header, entries);
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
