package dev.proflab.report;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.Quantities;
import dev.proflab.profile.ValueType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Two profiles side by side (pprof's {@code -diff_base}): a base and the current one, seen through the
 * same {@link Selection}, merged into one call tree and one flat/cum table, each value normalised so
 * that recordings of different lengths or loads can be compared, with a test that tells a real
 * change from sampling noise.
 *
 * <pre>{@code
 * Diff.Result d = Diff.compute(before, after, Selection.all().withHide("^java\\."), Diff.Normalize.TOTAL);
 * d.warnings().forEach(System.out::println);       // different interval, too few samples, ...
 * for (Diff.Row r : d.rows()) {                     // biggest change of flat share first
 *     System.out.printf("%+.1f%% %s%s%n", 100 * r.deltaFlat(), r.name(), r.significant() ? "" : " (noise)");
 * }
 * }</pre>
 *
 * <p><b>Totals.</b> Each side's total is the sum of the selected value over the samples that pass the
 * filters (time range, thread, focus, ignore; hide moves value to callers and keeps it in the total).
 *
 * <p><b>Normalisation.</b> {@link Normalize#TOTAL}: each value divided by its side's total, a share
 * from 0 to 1 (what changed in the profile's make-up). {@link Normalize#DURATION}: each value per
 * second of its recording (of the selected time range within it): what changed in absolute load, e.g.
 * CPU nanoseconds per second. When either duration is unknown it falls back to TOTAL with a warning.
 * {@code delta} is always normalised current minus normalised base.
 *
 * <p><b>Significance.</b> A two-proportion z-test on sample counts (not weights): a node's share of
 * its side's samples in the base against the current one, {@code |z| >= }{@value #Z_CRITICAL} (95%,
 * two-sided). Sample counts are the {@code samples}/{@code contentions} value where the profile has
 * one, else another count value ({@code cpu/count} of pprof), else one per sample record. Below
 * {@value #MIN_SAMPLES} samples on either side after the filters nothing is marked significant, with
 * a warning: from about 100 samples the normal approximation holds ({@code n*p >= 5}) for shares from
 * 5% up, and a change must still be some 14 percentage points to show at that size.
 *
 * <p><b>Comparability.</b> {@link Result#warnings()} says, one plain sentence each, when the two
 * recordings differ in event, value type, engine or sampling interval, or have too few samples.
 * A regular expression of the selection that matches nothing in <em>both</em> profiles is a
 * {@link ReportException}; matching in one only is fine (a function that appeared or went away).
 *
 * <p><b>Speed.</b> Each side is the {@link CallIndex} of its profile and the selection, the call
 * tree every report reads (built once and cached); the two trees are matched by function name only
 * where a node is kept: with the {@code minFraction} of a flame graph, a few thousand nodes of a million.
 */
public final class Diff {

    /** Fewer samples than this (after filters) on either side: a warning, and nothing is significant. */
    public static final int MIN_SAMPLES = 100;

    /** |z| of the two-proportion test at or above which a change is significant (alpha 0.05, two-sided). */
    public static final double Z_CRITICAL = 1.96;

    /** The false discovery rate changes are tested at. */
    public static final double ALPHA = 0.05;

    /** How values are made comparable across the two profiles. */
    public enum Normalize {
        /** Divided by the side's total: shares from 0 to 1. */
        TOTAL,
        /** Per second of the side's recording (of the selected time range). */
        DURATION;

        /** {@code total} or {@code duration}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code total} or {@code duration} (any case); anything else is a {@link ReportException}. */
        public static Normalize parse(String s) {
            if (s != null) {
                for (Normalize n : values()) {
                    if (n.label().equalsIgnoreCase(s.strip())) {
                        return n;
                    }
                }
            }
            throw new ReportException("--normalize: '" + s + "' is not total or duration");
        }
    }

    /**
     * A node of the merged call tree (root first, children by name).
     *
     * @param name the function ({@code all} for the root)
     * @param kind the kind of frame that contributed most of it, or null for the root
     * @param type its class (for colours), empty for the root
     * @param base raw cum value in the base
     * @param current raw cum value in the current profile
     * @param baseSelf raw value where it is the leaf, in the base
     * @param self raw value where it is the leaf, current
     * @param baseCount samples through it in the base
     * @param count samples through it, current
     * @param normBase {@code base} normalised
     * @param normCurrent {@code current} normalised
     * @param delta {@code normCurrent - normBase}
     * @param significant its share of the samples changed beyond noise
     * @param children the callees
     */
    public record Node(String name, Frame.Kind kind, String type, long base, long current, long baseSelf, long self,
                       long baseCount, long count, double normBase, double normCurrent, double delta,
                       boolean significant, List<Node> children) {

        public Node {
            children = List.copyOf(children);
        }

        /** Larger of its two shares of the sides' totals (for pruning small nodes). */
        public double maxShare(Result r) {
            return Math.max(r.baseTotal() == 0 ? 0 : (double) base / r.baseTotal(),
                    r.total() == 0 ? 0 : (double) current / r.total());
        }
    }

    /**
     * One function of the flat/cum table.
     *
     * @param significant its flat or its cum share of the samples changed beyond noise: {@code q <= alpha}
     * @param p the smaller p-value of its flat and cum tests (NaN: not tested)
     * @param q the smaller of their q-values, adjusted for every test of the comparison (NaN: not tested)
     */
    public record Row(String name, long baseFlat, long baseCum, long flat, long cum,
                      double normBaseFlat, double normFlat, double deltaFlat,
                      double normBaseCum, double normCum, double deltaCum, boolean significant,
                      double p, double q) {
    }

    /**
     * The comparison.
     *
     * @param normalize the normalisation applied (TOTAL when DURATION was asked but could not be)
     * @param baseHeader the base's file, engine, event, value type, total and samples after filters
     * @param header the same of the current profile
     * @param warnings why the two may not be comparable, one sentence each
     * @param root the merged call tree, {@code all} first
     * @param rows every function with samples on either side, largest |deltaFlat| first
     * @param alpha the false discovery rate a change is tested at
     * @param tested how many tests were made (a function's flat and cum are two), for the correction
     * @param limitation why no change can be claimed at all (then none is significant), or null
     */
    public record Result(Normalize normalize, Header baseHeader, Header header, List<String> warnings,
                         Node root, List<Row> rows, double alpha, int tested, String limitation) {

        public Result {
            warnings = List.copyOf(warnings);
            rows = List.copyOf(rows);
        }

        public long baseTotal() {
            return baseHeader.total();
        }

        public long total() {
            return header.total();
        }

        public long baseSamples() {
            return baseHeader.samples();
        }

        public long samples() {
            return header.samples();
        }

        /** The unit of the normalised values: {@code share}, or e.g. {@code nanoseconds/s}. */
        public String normUnit() {
            return normalize == Normalize.TOTAL ? "share" : header.type().unit() + "/s";
        }
    }

    private Diff() {
    }

    /**
     * Compares {@code current} against {@code base}, both through {@code selection}: the whole merged
     * tree ({@link #compute(Profile, Profile, Selection, Normalize, double)} with {@code minFraction} 0).
     *
     * @throws ReportException when a regular expression of the selection matches nothing in either
     *     profile, or the sample index fits neither
     */
    public static Result compute(Profile base, Profile current, Selection selection, Normalize normalize) {
        return compute(base, current, selection, normalize, 0);
    }

    /**
     * As {@link #compute(Profile, Profile, Selection, Normalize)}, with the tree pruned as a flame graph
     * is: a node whose larger share of the two totals ({@link Node#maxShare}) is under
     * {@code minFraction}, or is 0 when {@code minFraction} is above 0, is left out with everything under
     * it (its value stays in its parent's). The rows are never pruned. Only the nodes kept are built, so
     * a small {@code minFraction} (the viewer's 0.0005) is much faster on large profiles than the whole tree.
     *
     * @param minFraction from 0 (every node) to 1
     * @throws ReportException when a regular expression of the selection matches nothing in either
     *     profile, or the sample index fits neither
     */
    public static Result compute(Profile base, Profile current, Selection selection, Normalize normalize,
                                 double minFraction) {
        if (!(minFraction >= 0 && minFraction <= 1)) {
            throw new IllegalArgumentException("minFraction " + minFraction + " is not from 0 to 1");
        }
        CallIndex b = CallIndex.lenient(base, selection, "base");
        CallIndex c = CallIndex.lenient(current, selection, "current");
        check(selection.focus(), b.focusAny, c.focusAny, "function");
        check(selection.ignore(), b.ignoreAny, c.ignoreAny, "function");
        check(selection.hide(), b.hideAny, c.hideAny, "function");
        check(selection.thread(), b.threadAny, c.threadAny, "thread");

        List<String> warnings = new ArrayList<>();
        comparability(b, c, warnings);

        Normalize applied = normalize;
        // values are divided by these (0: the value is 0)
        double bScale;
        double cScale;
        if (normalize == Normalize.DURATION) {
            double bs = seconds(base, selection);
            double cs = seconds(current, selection);
            if (bs > 0 && cs > 0) {
                bScale = bs;
                cScale = cs;
            } else {
                applied = Normalize.TOTAL;
                bScale = b.selectedTotal();
                cScale = c.selectedTotal();
                String which = bs > 0 ? c.file : cs > 0 ? b.file : b.file + " and " + c.file;
                warnings.add("Normalised by total instead of duration: the duration of " + which
                        + (selection.fromNanos() > 0 || selection.toNanos() != Long.MAX_VALUE
                        ? " within the selected time range" : "") + " is not known.");
            }
        } else {
            bScale = b.selectedTotal();
            cScale = c.selectedTotal();
        }
        boolean enough = b.selectedCount() >= MIN_SAMPLES && c.selectedCount() >= MIN_SAMPLES;

        // one name space: each side's name ids in the other's (-1: not there)
        int[] bToC = b.names.idsIn(c.names);
        int[] cToB = c.names.idsIn(b.names);

        // the merged tree, only the nodes kept
        Merge m = new Merge(b.tree(), c.tree(), bToC, cToB, bScale, cScale, enough, minFraction);
        Node tree = m.node(0, 0, true);

        // flat and cum per function
        int[] tested = new int[1];
        List<Row> rows = rows(b, c, cToB, bScale, cScale, enough, tested);
        String limitation = enough ? null : "Too few samples to tell a change from noise: " + b.file + " has "
                + b.selectedCount() + ", " + c.file + " has " + c.selectedCount() + " after the filters (at least "
                + MIN_SAMPLES + " each are needed).";

        Header bh = Header.of(base, b.type, b.selectedTotal(), b.selectedCount(), selection);
        Header ch = Header.of(current, c.type, c.selectedTotal(), c.selectedCount(), selection);
        return new Result(applied, bh, ch, warnings, tree, rows, ALPHA, tested[0], limitation);
    }

    private static double norm(long value, double by) {
        return by == 0 ? 0 : value / by;
    }

    /**
     * The z statistic of the two-proportion test: {@code k1} of {@code n1} samples in the base against
     * {@code k2} of {@code n2} in the current profile, with the pooled proportion; 0 when either side
     * has no samples or the pooled share is 0 or 1.
     */
    public static double z(long k1, long n1, long k2, long n2) {
        if (n1 <= 0 || n2 <= 0) {
            return 0;
        }
        double p1 = (double) k1 / n1;
        double p2 = (double) k2 / n2;
        double p = (double) (k1 + k2) / (n1 + n2);
        double se = Math.sqrt(p * (1 - p) * (1.0 / n1 + 1.0 / n2));
        return se == 0 ? 0 : (p2 - p1) / se;
    }

    /** The two-sided p-value of {@link #z}. */
    static double pValue(long k1, long n1, long k2, long n2) {
        double z = Math.abs(z(k1, n1, k2, n2));
        return Math.min(1, 2 * NORMAL.survivalProbability(z));
    }

    private static final org.apache.commons.statistics.distribution.NormalDistribution NORMAL =
            org.apache.commons.statistics.distribution.NormalDistribution.of(0, 1);

    /**
     * Benjamini–Hochberg adjusted p-values (q-values) in the order given; NaN (not tested) stays NaN
     * and does not count as a test.
     */
    static double[] benjaminiHochberg(double[] p) {
        int m = 0;
        for (double x : p) {
            m += Double.isNaN(x) ? 0 : 1;
        }
        Integer[] order = new Integer[m];
        int k = 0;
        for (int i = 0; i < p.length; i++) {
            if (!Double.isNaN(p[i])) {
                order[k++] = i;
            }
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        double[] q = new double[p.length];
        java.util.Arrays.fill(q, Double.NaN);
        double min = 1;
        for (int r = 0; r < m; r++) {
            int i = order[r];
            int rank = m - r;
            min = Math.min(min, p[i] * m / rank);
            q[i] = min;
        }
        return q;
    }

    /** Whether {@link #z} reaches {@link #Z_CRITICAL} in either direction. */
    public static boolean significant(long k1, long n1, long k2, long n2) {
        return Math.abs(z(k1, n1, k2, n2)) >= Z_CRITICAL;
    }

    // ---- comparability ------------------------------------------------------------------------

    private static void comparability(CallIndex b, CallIndex c, List<String> w) {
        Profile.Meta bm = b.profile.meta();
        Profile.Meta cm = c.profile.meta();
        if (!bm.event().equals(cm.event())) {
            w.add("Different events: " + b.file + " records " + bm.event() + ", " + c.file + " records "
                    + cm.event() + "; their samples measure different things.");
        }
        ValueType bt = b.type;
        ValueType ct = c.type;
        if (!bt.equals(ct)) {
            w.add("Different values: " + b.file + " shows " + bt + ", " + c.file + " shows " + ct + ".");
        }
        if (!bm.engine().equals(cm.engine())) {
            w.add("Different engines: " + b.file + " was recorded by " + bm.engine() + ", " + c.file + " by "
                    + cm.engine() + "; they sample differently, so part of the difference may be the engine's.");
        }
        if (bm.interval() > 0 && cm.interval() > 0 && bm.interval() != cm.interval()) {
            w.add("Different sampling intervals: " + b.file + " " + interval(b.profile) + ", " + c.file + " "
                    + interval(c.profile) + "; raw values and sample counts are not comparable, compare the normalised ones.");
        }
        if (b.selectedCount() < MIN_SAMPLES || c.selectedCount() < MIN_SAMPLES) {
            w.add("Too few samples to tell a change from noise: " + b.file + " has " + b.selectedCount() + ", " + c.file
                    + " has " + c.selectedCount() + " after the filters (at least " + MIN_SAMPLES
                    + " each are needed); no change is marked significant.");
        }
    }

    private static String interval(Profile p) {
        boolean bytes = p.valueTypes().stream().anyMatch(t -> t.unit().equals("bytes"));
        return Quantities.format(p.meta().interval(), bytes ? "bytes" : "nanoseconds");
    }

    /** Seconds of the recording within the selection's time range; 0 when not known or empty. */
    static double seconds(Profile p, Selection s) {
        Duration d = p.meta().duration();
        if (d == null || d.isZero() || d.isNegative()) {
            return 0;
        }
        long end = Math.min(d.toNanos(), s.toNanos());
        long len = end - s.fromNanos();
        return len <= 0 ? 0 : len / 1e9;
    }

    static void check(Regex p, boolean inBase, boolean inCurrent, String what) {
        if (p != null && !inBase && !inCurrent) {
            throw new ReportException(p.option() + " '" + p.pattern() + "' matches no " + what + " in either profile");
        }
    }

    // ---- the tree -----------------------------------------------------------------------------

    /** Builds the nodes of the merged tree that pass {@code minFraction}, from the two sides' views. */
    private static final class Merge {
        final CallIndex.Tree b;
        final CallIndex.Tree c;
        final int[] bToC;
        final int[] cToB;
        final double bScale;
        final double cScale;
        final boolean enough;
        final double min;

        Merge(CallIndex.Tree b, CallIndex.Tree c, int[] bToC, int[] cToB, double bScale, double cScale, boolean enough, double min) {
            this.b = b;
            this.c = c;
            this.bToC = bToC;
            this.cToB = cToB;
            this.bScale = bScale;
            this.cScale = cScale;
            this.enough = enough;
            this.min = min;
        }

        /** Whether view node {@code n} of side {@code s} is reached and large enough to be kept. */
        boolean passes(CallIndex.Tree s, int n) {
            if (!s.reached(n)) {
                return false;
            }
            long total = s.value[0];
            double share = total == 0 ? 0 : (double) s.value[n] / total;
            return share >= min && (share > 0 || min == 0);
        }

        /** The merged node of base view node {@code bn} and current view node {@code cn} (-1: none on that side). */
        Node node(int bn, int cn, boolean isRoot) {
            Paths.View bv = b.view;
            Paths.View cv = c.view;
            // the children kept: pairs of (base node, current node), by name
            int[] pb = new int[8];
            int[] pc = new int[8];
            int k = 0;
            if (bn >= 0) {
                for (int ch = bv.t.first[bn]; ch != 0; ch = bv.t.next[ch]) {
                    if (!passes(b, ch)) {
                        continue;
                    }
                    int partner = -1;
                    if (cn >= 0) {
                        int nm = bToC[bv.name[ch]];
                        partner = nm < 0 ? -1 : cv.t.find(cn, nm, (byte) 0);
                    }
                    if (k == pb.length) {
                        pb = Arrays.copyOf(pb, k * 2);
                        pc = Arrays.copyOf(pc, k * 2);
                    }
                    pb[k] = ch;
                    pc[k++] = partner;
                }
            }
            if (cn >= 0) {
                for (int ch = cv.t.first[cn]; ch != 0; ch = cv.t.next[ch]) {
                    if (!passes(c, ch)) {
                        continue;
                    }
                    int partner = -1;
                    if (bn >= 0) {
                        int nm = cToB[cv.name[ch]];
                        partner = nm < 0 ? -1 : bv.t.find(bn, nm, (byte) 0);
                    }
                    if (partner >= 0 && passes(b, partner)) {
                        continue;   // already a pair
                    }
                    if (k == pb.length) {
                        pb = Arrays.copyOf(pb, k * 2);
                        pc = Arrays.copyOf(pc, k * 2);
                    }
                    pb[k] = partner;
                    pc[k++] = ch;
                }
            }
            List<Node> children;
            if (k == 0) {
                children = List.of();
            } else {
                Integer[] order = new Integer[k];
                String[] names = new String[k];
                for (int i = 0; i < k; i++) {
                    order[i] = i;
                    names[i] = pb[i] >= 0 ? b.name(pb[i]) : c.name(pc[i]);
                }
                Arrays.sort(order, (x, y) -> names[x].compareTo(names[y]));
                children = new ArrayList<>(k);
                for (int i : order) {
                    children.add(node(pb[i], pc[i], false));
                }
            }

            long base = bn >= 0 ? b.value[bn] : 0;
            long cur = cn >= 0 ? c.value[cn] : 0;
            long baseSelf = bn >= 0 ? b.self[bn] : 0;
            long self = cn >= 0 ? c.self[cn] : 0;
            long baseCount = bn >= 0 ? b.count[bn] : 0;
            long count = cn >= 0 ? c.count[cn] : 0;
            double nb = norm(base, bScale);
            double nc = norm(cur, cScale);
            boolean sig = enough && !isRoot && significant(baseCount, b.count[0], count, c.count[0]);
            if (isRoot) {
                return new Node("all", null, "", base, cur, baseSelf, self, baseCount, count, nb, nc, nc - nb, sig,
                        children);
            }
            // the kind that contributed most of the value, both sides together
            long[] byKind = new long[CallIndex.KINDS.length];
            if (bn >= 0) {
                b.addKinds(bn, byKind);
            }
            if (cn >= 0) {
                c.addKinds(cn, byKind);
            }
            Frame.Kind kind = CallIndex.mostOf(byKind);
            // named and typed by the side that has samples through it, the base first
            boolean fromBase = bn >= 0 && (b.reached(bn) || cn < 0);
            String name = fromBase ? b.name(bn) : c.name(cn);
            String type = fromBase ? b.type(bn) : c.type(cn);
            return new Node(name, kind, type, base, cur, baseSelf, self, baseCount, count, nb, nc, nc - nb,
                    sig, children);
        }
    }

    /** Flat and cum per function of both sides, largest |deltaFlat| first. */
    private static List<Row> rows(CallIndex b, CallIndex c, int[] cToB, double bScale, double cScale, boolean enough,
                                  int[] tested) {
        String[] bNames = b.names.names;
        String[] cNames = c.names.names;
        int nb = bNames.length;
        int[] slotOfC = new int[cNames.length];
        int n = nb;
        for (int i = 0; i < slotOfC.length; i++) {
            slotOfC[i] = cToB[i] >= 0 ? cToB[i] : n++;
        }
        CallIndex.FlatCum bf = b.flatCum();
        CallIndex.FlatCum cf = c.flatCum();
        // per name slot: base flat, base cum, flat, cum, + their 4 counts
        long[] v = new long[8 * n];
        boolean[] has = new boolean[n];
        String[] names = new String[n];
        System.arraycopy(bNames, 0, names, 0, nb);
        for (int i = 0; i < nb; i++) {
            if (bf.has()[i]) {
                has[i] = true;
                int o = 8 * i;
                v[o] = bf.flat()[i];
                v[o + 1] = bf.cum()[i];
                v[o + 4] = bf.flatCount()[i];
                v[o + 5] = bf.cumCount()[i];
            }
        }
        for (int i = 0; i < slotOfC.length; i++) {
            int sl = slotOfC[i];
            if (sl >= nb) {
                names[sl] = cNames[i];
            }
            if (cf.has()[i]) {
                has[sl] = true;
                int o = 8 * sl;
                v[o + 2] = cf.flat()[i];
                v[o + 3] = cf.cum()[i];
                v[o + 6] = cf.flatCount()[i];
                v[o + 7] = cf.cumCount()[i];
            }
        }
        long bn = b.selectedCount();
        long cn = c.selectedCount();
        // a p-value per function's flat and cum, then q-values over all of them
        double[] p = new double[2 * n];
        java.util.Arrays.fill(p, Double.NaN);
        if (enough) {
            for (int s = 0; s < n; s++) {
                if (has[s]) {
                    int o = 8 * s;
                    p[2 * s] = pValue(v[o + 4], bn, v[o + 6], cn);
                    p[2 * s + 1] = pValue(v[o + 5], bn, v[o + 7], cn);
                }
            }
        }
        double[] q = benjaminiHochberg(p);
        int t = 0;
        for (double x : p) {
            t += Double.isNaN(x) ? 0 : 1;
        }
        tested[0] = t;
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            if (!has[s]) {
                continue;
            }
            int o = 8 * s;
            double nbf = norm(v[o], bScale);
            double nf = norm(v[o + 2], cScale);
            double nbc = norm(v[o + 1], bScale);
            double nc = norm(v[o + 3], cScale);
            double rp = Math.min(p[2 * s], p[2 * s + 1]);
            double rq = Math.min(q[2 * s], q[2 * s + 1]);
            boolean sig = enough && rq <= ALPHA;
            rows.add(new Row(names[s], v[o], v[o + 1], v[o + 2], v[o + 3], nbf, nf, nf - nbf, nbc, nc, nc - nbc, sig,
                    rp, rq));
        }
        rows.sort(Comparator.<Row>comparingDouble(r -> -Math.abs(r.deltaFlat()))
                .thenComparingDouble(r -> -Math.abs(r.deltaCum()))
                .thenComparing(Row::name));
        return rows;
    }
}
