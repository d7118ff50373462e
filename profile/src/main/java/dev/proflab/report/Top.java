package dev.proflab.report;

import dev.proflab.profile.Profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * pprof's {@code top}: per function, flat (the samples where it is the running, leaf frame) and cum
 * (the samples where it is anywhere on the stack, counted once per stack however deep it recurses).
 */
public final class Top {

    /**
     * One function.
     *
     * @param name {@code package.Class.method} (maybe with parameters or a line)
     * @param flat value where it is the leaf
     * @param flatPercent flat of the total
     * @param sumPercent flat percent of this row and every row above it
     * @param cum value where it is on the stack
     * @param cumPercent cum of the total
     */
    public record Row(String name, long flat, double flatPercent, double sumPercent, long cum, double cumPercent) {
    }

    /**
     * The report.
     *
     * @param header what, how long, how much
     * @param rows the rows shown, in order
     * @param nodes how many functions have samples
     * @param shownFlat the flat of the rows shown
     */
    public record Result(Header header, List<Row> rows, int nodes, long shownFlat) {
    }

    private Top() {
    }

    /**
     * @param n rows to show, 0 or less for all
     * @param cumSort sort by cum instead of flat
     */
    public static Result compute(Profile profile, Selection selection, int n, boolean cumSort) {
        Filtered f = Filtered.of(profile, selection);
        int nodes = f.nodeCount();
        long[] flat = new long[nodes];
        long[] cum = new long[nodes];
        int[] stamp = new int[nodes];
        Arrays.fill(stamp, -1);
        for (int s = 0; s < f.stacks.length; s++) {
            int[] st = f.stacks[s];
            long w = f.weights[s];
            if (st.length == 0) {
                continue;
            }
            flat[f.nodeOfFrame[st[0]]] += w;
            for (int frame : st) {
                int node = f.nodeOfFrame[frame];
                if (stamp[node] != s) {
                    stamp[node] = s;
                    cum[node] += w;
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            if (flat[i] != 0 || cum[i] != 0) {
                order.add(i);
            }
        }
        Comparator<Integer> byFlat = Comparator.<Integer>comparingLong(i -> -Math.abs(flat[i]))
                .thenComparingLong(i -> -Math.abs(cum[i]));
        Comparator<Integer> byCum = Comparator.<Integer>comparingLong(i -> -Math.abs(cum[i]))
                .thenComparingLong(i -> -Math.abs(flat[i]));
        order.sort((cumSort ? byCum : byFlat).thenComparing(i -> f.nodeNames[i]));
        List<Row> rows = new ArrayList<>();
        long sum = 0;
        int limit = n > 0 ? Math.min(n, order.size()) : order.size();
        for (int k = 0; k < limit; k++) {
            int i = order.get(k);
            sum += flat[i];
            rows.add(new Row(f.nodeNames[i], flat[i], pct(flat[i], f.total), pct(sum, f.total), cum[i],
                    pct(cum[i], f.total)));
        }
        return new Result(f.header, rows, order.size(), sum);
    }

    static double pct(long v, long total) {
        return total == 0 ? 0 : 100.0 * v / total;
    }
}
