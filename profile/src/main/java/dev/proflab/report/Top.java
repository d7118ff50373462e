package dev.proflab.report;

import dev.proflab.profile.Profile;

import java.util.ArrayList;
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
        return compute(CallIndex.of(profile, selection), n, cumSort);
    }

    /** The same of an index, e.g. a comparison ({@link CallIndex#diff}). */
    public static Result compute(CallIndex x, int n, boolean cumSort) {
        CallIndex.FlatCum fc = x.flatCum();
        long[] flat = fc.flat();
        long[] cum = fc.cum();
        String[] names = x.names.names;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (fc.has()[i] && (flat[i] != 0 || cum[i] != 0)) {
                order.add(i);
            }
        }
        Comparator<Integer> byFlat = Comparator.<Integer>comparingLong(i -> -Math.abs(flat[i]))
                .thenComparingLong(i -> -Math.abs(cum[i]));
        Comparator<Integer> byCum = Comparator.<Integer>comparingLong(i -> -Math.abs(cum[i]))
                .thenComparingLong(i -> -Math.abs(flat[i]));
        order.sort((cumSort ? byCum : byFlat).thenComparing(i -> names[i]));
        List<Row> rows = new ArrayList<>();
        long sum = 0;
        int limit = n > 0 ? Math.min(n, order.size()) : order.size();
        for (int k = 0; k < limit; k++) {
            int i = order.get(k);
            sum += flat[i];
            rows.add(new Row(names[i], flat[i], pct(flat[i], x.total), pct(sum, x.total), cum[i],
                    pct(cum[i], x.total)));
        }
        return new Result(x.header(), rows, order.size(), sum);
    }

    static double pct(long v, long total) {
        return total == 0 ? 0 : 100.0 * v / total;
    }
}
