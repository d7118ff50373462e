package dev.proflab.report;

import dev.proflab.profile.Profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** pprof's {@code traces}: the distinct stacks, heaviest first, each with its value. */
public final class Traces {

    /** One stack, leaf first, and its value. */
    public record Trace(long value, double percent, List<String> frames) {
    }

    /**
     * @param traces the traces shown
     * @param distinct how many distinct stacks there are
     */
    public record Result(Header header, List<Trace> traces, int distinct) {
    }

    private Traces() {
    }

    private record Key(int[] nodes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(nodes, k.nodes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(nodes);
        }
    }

    /** @param n traces to show, 0 or less for all */
    public static Result compute(Profile profile, Selection selection, int n) {
        Filtered f = Filtered.of(profile, selection);
        Map<Key, long[]> byNodes = new HashMap<>();
        for (int s = 0; s < f.stacks.length; s++) {
            int[] st = f.stacks[s];
            int[] nodes = new int[st.length];
            for (int k = 0; k < st.length; k++) {
                nodes[k] = f.nodeOfFrame[st[k]];
            }
            byNodes.computeIfAbsent(new Key(nodes), k -> new long[1])[0] += f.weights[s];
        }
        List<Trace> all = new ArrayList<>();
        byNodes.forEach((k, v) -> {
            if (v[0] == 0) {
                return;
            }
            List<String> names = new ArrayList<>(k.nodes.length);
            for (int node : k.nodes) {
                names.add(f.nodeNames[node]);
            }
            all.add(new Trace(v[0], Top.pct(v[0], f.total), List.copyOf(names)));
        });
        all.sort((a, b) -> {
            if (a.value() != b.value()) {
                return Long.compare(Math.abs(b.value()), Math.abs(a.value()));
            }
            return String.join(";", a.frames()).compareTo(String.join(";", b.frames()));
        });
        int distinct = all.size();
        List<Trace> shown = n > 0 && all.size() > n ? List.copyOf(all.subList(0, n)) : List.copyOf(all);
        return new Result(f.header, shown, distinct);
    }
}
