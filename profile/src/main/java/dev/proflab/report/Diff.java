package dev.proflab.report;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.Quantities;
import dev.proflab.profile.ValueType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;

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
 * <p><b>Speed.</b> Each profile's distinct stacks are indexed once, as a tree of paths of function
 * name and frame kind and their merge by name (int arrays, kept with the profile: a derived view of it,
 * so the result stays a function of the two profiles and the selection). A comparison then sums the
 * samples that pass the filters per stack, puts each stack on its leaf and adds the nodes up to the
 * root, per side, with no string hashing; the two trees are matched by function name only where a
 * node is kept: with the {@code minFraction} of a flame graph, a few thousand nodes of a million.
 */
public final class Diff {

    /** Fewer samples than this (after filters) on either side: a warning, and nothing is significant. */
    public static final int MIN_SAMPLES = 100;

    /** |z| of the two-proportion test at or above which a change is significant (alpha 0.05, two-sided). */
    public static final double Z_CRITICAL = 1.96;

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
     * @param significant its flat or its cum share of the samples changed beyond noise
     */
    public record Row(String name, long baseFlat, long baseCum, long flat, long cum,
                      double normBaseFlat, double normFlat, double deltaFlat,
                      double normBaseCum, double normCum, double deltaCum, boolean significant) {
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
     */
    public record Result(Normalize normalize, Header baseHeader, Header header, List<String> warnings,
                         Node root, List<Row> rows) {

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
        Side b = Side.of(base, selection, "base");
        Side c = Side.of(current, selection, "current");
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
                bScale = b.total;
                cScale = c.total;
                String which = bs > 0 ? c.file : cs > 0 ? b.file : b.file + " and " + c.file;
                warnings.add("Normalised by total instead of duration: the duration of " + which
                        + (selection.fromNanos() > 0 || selection.toNanos() != Long.MAX_VALUE
                        ? " within the selected time range" : "") + " is not known.");
            }
        } else {
            bScale = b.total;
            cScale = c.total;
        }
        boolean enough = b.samples >= MIN_SAMPLES && c.samples >= MIN_SAMPLES;

        // one name space: each side's name ids in the other's (-1: not there)
        int[] bToC = b.x.idsIn(c.x);
        int[] cToB = c.x.idsIn(b.x);

        // the merged tree, only the nodes kept
        Merge m = new Merge(b, c, bToC, cToB, bScale, cScale, enough, minFraction);
        Node tree = m.node(0, 0, true);

        // flat and cum per function
        List<Row> rows = rows(b, c, cToB, bScale, cScale, enough);

        Header bh = Header.of(base, base.valueTypes().get(b.vi), b.total, b.samples, selection);
        Header ch = Header.of(current, current.valueTypes().get(c.vi), c.total, c.samples, selection);
        return new Result(applied, bh, ch, warnings, tree, rows);
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

    /** Whether {@link #z} reaches {@link #Z_CRITICAL} in either direction. */
    public static boolean significant(long k1, long n1, long k2, long n2) {
        return Math.abs(z(k1, n1, k2, n2)) >= Z_CRITICAL;
    }

    // ---- comparability ------------------------------------------------------------------------

    private static void comparability(Side b, Side c, List<String> w) {
        Profile.Meta bm = b.p.meta();
        Profile.Meta cm = c.p.meta();
        if (!bm.event().equals(cm.event())) {
            w.add("Different events: " + b.file + " records " + bm.event() + ", " + c.file + " records "
                    + cm.event() + "; their samples measure different things.");
        }
        ValueType bt = b.p.valueTypes().get(b.vi);
        ValueType ct = c.p.valueTypes().get(c.vi);
        if (!bt.equals(ct)) {
            w.add("Different values: " + b.file + " shows " + bt + ", " + c.file + " shows " + ct + ".");
        }
        if (!bm.engine().equals(cm.engine())) {
            w.add("Different engines: " + b.file + " was recorded by " + bm.engine() + ", " + c.file + " by "
                    + cm.engine() + "; they sample differently, so part of the difference may be the engine's.");
        }
        if (bm.interval() > 0 && cm.interval() > 0 && bm.interval() != cm.interval()) {
            w.add("Different sampling intervals: " + b.file + " " + interval(b.p) + ", " + c.file + " "
                    + interval(c.p) + "; raw values and sample counts are not comparable, compare the normalised ones.");
        }
        if (b.samples < MIN_SAMPLES || c.samples < MIN_SAMPLES) {
            w.add("Too few samples to tell a change from noise: " + b.file + " has " + b.samples + ", " + c.file
                    + " has " + c.samples + " after the filters (at least " + MIN_SAMPLES
                    + " each are needed); no change is marked significant.");
        }
    }

    private static String interval(Profile p) {
        boolean bytes = p.valueTypes().stream().anyMatch(t -> t.unit().equals("bytes"));
        return Quantities.format(p.meta().interval(), bytes ? "bytes" : "nanoseconds");
    }

    /** Seconds of the recording within the selection's time range; 0 when not known or empty. */
    private static double seconds(Profile p, Selection s) {
        Duration d = p.meta().duration();
        if (d == null || d.isZero() || d.isNegative()) {
            return 0;
        }
        long end = Math.min(d.toNanos(), s.toNanos());
        long len = end - s.fromNanos();
        return len <= 0 ? 0 : len / 1e9;
    }

    private static void check(Regex p, boolean inBase, boolean inCurrent, String what) {
        if (p != null && !inBase && !inCurrent) {
            throw new ReportException(p.option() + " '" + p.pattern() + "' matches no " + what + " in either profile");
        }
    }

    // ---- the tree -----------------------------------------------------------------------------

    /** Builds the nodes of the merged tree that pass {@code minFraction}, from the two sides' views. */
    private static final class Merge {
        final Side b;
        final Side c;
        final int[] bToC;
        final int[] cToB;
        final double bScale;
        final double cScale;
        final boolean enough;
        final double min;

        Merge(Side b, Side c, int[] bToC, int[] cToB, double bScale, double cScale, boolean enough, double min) {
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
        boolean passes(Side s, int n) {
            if (!s.reached(n)) {
                return false;
            }
            double share = s.total == 0 ? 0 : (double) s.value(n) / s.total;
            return share >= min && (share > 0 || min == 0);
        }

        /** The merged node of base view node {@code bn} and current view node {@code cn} (-1: none on that side). */
        Node node(int bn, int cn, boolean isRoot) {
            View bv = b.v;
            View cv = c.v;
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
                    names[i] = pb[i] >= 0 ? b.x.names[bv.name[pb[i]]] : c.x.names[cv.name[pc[i]]];
                }
                Arrays.sort(order, (x, y) -> names[x].compareTo(names[y]));
                children = new ArrayList<>(k);
                for (int i : order) {
                    children.add(node(pb[i], pc[i], false));
                }
            }

            long base = bn >= 0 ? b.value(bn) : 0;
            long cur = cn >= 0 ? c.value(cn) : 0;
            long baseSelf = bn >= 0 ? b.self(bn) : 0;
            long self = cn >= 0 ? c.self(cn) : 0;
            long baseCount = bn >= 0 ? b.count(bn) : 0;
            long count = cn >= 0 ? c.count(cn) : 0;
            double nb = norm(base, bScale);
            double nc = norm(cur, cScale);
            boolean sig = enough && !isRoot && significant(baseCount, b.samples, count, c.samples);
            if (isRoot) {
                return new Node("all", null, "", base, cur, baseSelf, self, baseCount, count, nb, nc, nc - nb, sig,
                        children);
            }
            // the kind that contributed most of the value, both sides together
            long[] byKind = new long[KINDS.length];
            if (bn >= 0) {
                b.addKinds(bn, byKind);
            }
            if (cn >= 0) {
                c.addKinds(cn, byKind);
            }
            int best = Frame.Kind.UNKNOWN.ordinal();
            long max = 0;
            for (int i = 0; i < byKind.length; i++) {
                if (byKind[i] > max) {
                    max = byKind[i];
                    best = i;
                }
            }
            // named and typed by the side that has samples through it, the base first
            boolean fromBase = bn >= 0 && (b.reached(bn) || cn < 0);
            String name = fromBase ? b.x.names[bv.name[bn]] : c.x.names[cv.name[cn]];
            String type = fromBase ? b.x.types[bv.name[bn]] : c.x.types[cv.name[cn]];
            return new Node(name, KINDS[best], type, base, cur, baseSelf, self, baseCount, count, nb, nc, nc - nb,
                    sig, children);
        }
    }

    /** Flat and cum per function of both sides, largest |deltaFlat| first. */
    private static List<Row> rows(Side b, Side c, int[] cToB, double bScale, double cScale, boolean enough) {
        int nb = b.x.names.length;
        int[] slotOfC = new int[c.x.names.length];
        int n = nb;
        for (int i = 0; i < slotOfC.length; i++) {
            slotOfC[i] = cToB[i] >= 0 ? cToB[i] : n++;
        }
        // per name: base flat, base cum, flat, cum, + their 4 counts
        long[] v = new long[8 * n];
        boolean[] has = new boolean[n];
        b.flatCum(v, has, null, 0);
        c.flatCum(v, has, slotOfC, 1);
        String[] names = new String[n];
        System.arraycopy(b.x.names, 0, names, 0, nb);
        for (int i = 0; i < slotOfC.length; i++) {
            if (slotOfC[i] >= nb) {
                names[slotOfC[i]] = c.x.names[i];
            }
        }
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
            boolean sig = enough && (significant(v[o + 4], b.samples, v[o + 6], c.samples)
                    || significant(v[o + 5], b.samples, v[o + 7], c.samples));
            rows.add(new Row(names[s], v[o], v[o + 1], v[o + 2], v[o + 3], nbf, nf, nf - nbf, nbc, nc, nc - nbc, sig));
        }
        rows.sort(Comparator.<Row>comparingDouble(r -> -Math.abs(r.deltaFlat()))
                .thenComparingDouble(r -> -Math.abs(r.deltaCum()))
                .thenComparing(Row::name));
        return rows;
    }

    // ---- one side -----------------------------------------------------------------------------

    /**
     * A profile through the selection, as sums per node of its {@link View}: value, samples, value and
     * samples where the node is the leaf, and how many kept stacks pass through it (0: not in the tree).
     */
    private static final class Side {
        final Profile p;
        final String file;
        final int vi;
        final Index x;
        View v;
        /** Per fine node of the index: the value through it (for the kind of merged nodes). */
        long[] fineValue;
        /** Per view node {@code n}: value at {@code 2n}, samples at {@code 2n+1} (side by side: summed together). */
        long[] sums;
        /** Per view node {@code n}: value where it is the leaf at {@code 2n}, samples at {@code 2n+1}. */
        long[] selfSums;
        /** Kept stacks through each view node; null when every kept stack has samples (then {@code count > 0} says it). */
        int[] stacks;
        long total;
        long samples;
        boolean focusAny;
        boolean ignoreAny;
        boolean hideAny;
        boolean threadAny;

        private Side(Profile p, String file, int vi, Index x) {
            this.p = p;
            this.file = file;
            this.vi = vi;
            this.x = x;
        }

        static Side of(Profile p, Selection s, String role) {
            int vi = Filtered.valueIndex(p, s);
            String src = p.meta().source();
            String file = src.isEmpty() ? role : Header.of(p, p.valueTypes().get(vi), 0, -1, s).file();
            Index x = Index.of(p, s);
            Side side = new Side(p, file, vi, x);
            boolean[] focus = x.match(s.focus());
            boolean[] ignore = x.match(s.ignore());
            boolean[] hide = x.match(s.hide());
            side.focusAny = any(focus);
            side.ignoreAny = any(ignore);
            side.hideAny = any(hide);
            boolean[] threadOk = new boolean[p.threadCount()];
            Map<String, Boolean> byName = new HashMap<>();   // pools repeat names
            for (int t = 0; t < threadOk.length; t++) {
                threadOk[t] = s.thread() == null || byName.computeIfAbsent(p.threadName(t), s.thread()::find);
            }
            side.threadAny = any(threadOk);
            View v = side.hideAny ? new View(x, hide) : x.view;
            side.v = v;

            // value and samples per stack, of the samples in the range and of the threads asked for
            // (of all samples: computed once per profile and value)
            int stackCount = p.stackCount();
            boolean timed = s.fromNanos() > 0 || s.toNanos() != Long.MAX_VALUE;
            StackSums ss = timed || s.thread() != null ? StackSums.of(p, vi, s.thread() == null ? null : threadOk,
                    s.fromNanos(), s.toNanos())
                    : x.stackSums(p, vi);
            long[] byStack = ss.value();
            long[] countByStack = ss.count();
            boolean[] seen = ss.seen();

            // focus / ignore: whether a stack's path has a matching function
            boolean[] focused = s.focus() == null ? null : x.pathMatches(focus);
            boolean[] ignored = s.ignore() == null ? null : x.pathMatches(ignore);

            // each kept stack on its leaf, then summed up to the root
            boolean zero = false;   // a kept stack without samples: whether a node is reached needs counting
            for (int st = 0; st < stackCount && !zero; st++) {
                zero = seen[st] && countByStack[st] <= 0;
            }
            long[] fineValue = new long[x.fineCount];
            long[] sums = new long[2 * v.count];
            long[] selfSums = new long[2 * v.count];
            int[] stacks = zero ? new int[v.count] : null;
            int[] leafOf = x.leafOfStack;
            int[] of = v.of;
            for (int st = 0; st < stackCount; st++) {
                if (!seen[st]) {
                    continue;
                }
                int leaf = leafOf[st];
                if (focused != null && !focused[leaf] || ignored != null && ignored[leaf]) {
                    continue;
                }
                long w = byStack[st];
                long c = countByStack[st];
                fineValue[leaf] += w;
                int dn = of[leaf];
                sums[2 * dn] += w;
                sums[2 * dn + 1] += c;
                selfSums[2 * dn] += w;
                selfSums[2 * dn + 1] += c;
                if (stacks != null) {
                    stacks[dn]++;
                }
            }
            int[] fineParent = x.parent;
            for (int n = x.fineCount - 1; n > 0; n--) {
                fineValue[fineParent[n]] += fineValue[n];
            }
            int[] parent = v.parent;
            for (int n = v.count - 1; n > 0; n--) {
                int up = parent[n];
                sums[2 * up] += sums[2 * n];
                sums[2 * up + 1] += sums[2 * n + 1];
            }
            if (stacks != null) {
                for (int n = v.count - 1; n > 0; n--) {
                    stacks[parent[n]] += stacks[n];
                }
            }
            side.fineValue = fineValue;
            side.sums = sums;
            side.selfSums = selfSums;
            side.stacks = stacks;
            side.total = sums[0];
            side.samples = sums[1];
            return side;
        }

        long value(int n) {
            return sums[2 * n];
        }

        long count(int n) {
            return sums[2 * n + 1];
        }

        long self(int n) {
            return selfSums[2 * n];
        }

        long selfCount(int n) {
            return selfSums[2 * n + 1];
        }

        /** Whether a kept stack passes through view node {@code n} (else it is not in the tree). */
        boolean reached(int n) {
            return stacks == null ? sums[2 * n + 1] > 0 : stacks[n] > 0;
        }

        /** Adds the value through view node {@code n} per frame kind. */
        void addKinds(int n, long[] byKind) {
            for (int i = v.fineStart[n], end = v.fineStart[n + 1]; i < end; i++) {
                int f = v.fines[i];
                byKind[x.kind[f]] += fineValue[f];
            }
        }

        /**
         * Adds flat and cum (values at 0..3, counts at 4..7 of each name's 8) of side {@code k}: flat is
         * the value of the nodes of a name where stacks end, cum that of its nodes with no caller of the
         * same name (a recursive call counts once).
         */
        void flatCum(long[] out, boolean[] has, int[] slotOf, int k) {
            int[] name = v.name;
            boolean[] repeat = v.repeat;
            for (int n = 1; n < v.count; n++) {
                if (!reached(n)) {
                    continue;
                }
                int s = slotOf == null ? name[n] : slotOf[name[n]];
                has[s] = true;
                int o = 8 * s;
                out[o + 2 * k] += selfSums[2 * n];
                out[o + 4 + 2 * k] += selfSums[2 * n + 1];
                if (!repeat[n]) {
                    out[o + 2 * k + 1] += sums[2 * n];
                    out[o + 4 + 2 * k + 1] += sums[2 * n + 1];
                }
            }
        }
    }

    // ---- the index of a profile ---------------------------------------------------------------

    private static final Frame.Kind[] KINDS = Frame.Kind.values();

    /** Indexes of the profiles compared, per naming (weak: they go with their profile). */
    private static final Map<Profile, Index[]> INDEXES = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * Every distinct stack of a profile as paths of a tree, built once per profile and naming
     * (signatures, lines) and derived from the profile alone: fine nodes are paths of (name, frame
     * kind) from the root, node 0 the root, a parent always before its children; {@link #view} merges
     * them by name.
     */
    private static final class Index {
        final String[] names;
        /** The class of the first frame of each name. */
        final String[] types;
        final Map<String, Integer> ids;
        final int fineCount;
        final int[] parent;
        final int[] name;
        final byte[] kind;
        /** The fine node of each stack's leaf. */
        final int[] leafOfStack;
        /** The merge by name, nothing hidden. */
        final View view;
        /** {@link StackSums} of all samples per value index. */
        private final Map<Integer, StackSums> stackSums = new java.util.concurrent.ConcurrentHashMap<>();

        static Index of(Profile p, Selection s) {
            int naming = (s.signatures() ? 1 : 0) | (s.lines() ? 2 : 0);
            Index[] byNaming;
            synchronized (INDEXES) {
                byNaming = INDEXES.computeIfAbsent(p, k -> new Index[4]);
            }
            synchronized (byNaming) {
                if (byNaming[naming] == null) {
                    byNaming[naming] = new Index(p, s);
                }
                return byNaming[naming];
            }
        }

        private Index(Profile p, Selection s) {
            int frames = p.frameCount();
            int[] nameOfFrame = new int[frames];
            byte[] kindOfFrame = new byte[frames];
            Map<String, Integer> idMap = new HashMap<>();
            List<String> nm = new ArrayList<>();
            List<String> ty = new ArrayList<>();
            for (int f = 0; f < frames; f++) {
                Frame fr = p.frame(f);
                String n = Filtered.nodeName(fr, s);
                Integer id = idMap.get(n);
                if (id == null) {
                    id = nm.size();
                    idMap.put(n, id);
                    nm.add(n);
                    ty.add(fr.type());
                }
                nameOfFrame[f] = id;
                kindOfFrame[f] = (byte) fr.kind().ordinal();
            }
            names = nm.toArray(new String[0]);
            types = ty.toArray(new String[0]);
            ids = idMap;

            int stackCount = p.stackCount();
            PathTable fine = new PathTable(Math.max(1024, stackCount * 2));
            int[] leaf = new int[stackCount];
            for (int st = 0; st < stackCount; st++) {
                int[] stack = p.stack(st);
                int node = 0;
                for (int i = stack.length - 1; i >= 0; i--) {
                    int f = stack[i];
                    node = fine.child(node, nameOfFrame[f], kindOfFrame[f]);
                }
                leaf[st] = node;
            }
            fineCount = fine.count;
            parent = Arrays.copyOf(fine.parent, fineCount);
            name = Arrays.copyOf(fine.name, fineCount);
            kind = Arrays.copyOf(fine.kind, fineCount);
            leafOfStack = leaf;
            view = new View(this, null);
        }

        /** Value and samples per stack of every sample of {@code p} (this index's profile), computed once per value. */
        StackSums stackSums(Profile p, int vi) {
            return stackSums.computeIfAbsent(vi, k -> StackSums.of(p, vi, null, 0, Long.MAX_VALUE));
        }

        /** Each name's id in {@code other}, -1 where it has none. */
        int[] idsIn(Index other) {
            int[] m = new int[names.length];
            for (int i = 0; i < m.length; i++) {
                Integer id = other.ids.get(names[i]);
                m[i] = id == null ? -1 : id;
            }
            return m;
        }

        boolean[] match(Regex re) {
            boolean[] m = new boolean[names.length];
            if (re != null) {
                for (int i = 0; i < m.length; i++) {
                    m[i] = re.find(names[i]);
                }
            }
            return m;
        }

        /** Per fine node: whether it or one of its callers has a name with {@code byName}. */
        boolean[] pathMatches(boolean[] byName) {
            boolean[] m = new boolean[fineCount];
            for (int n = 1; n < fineCount; n++) {
                m[n] = m[parent[n]] || byName[name[n]];
            }
            return m;
        }
    }

    /**
     * Per stack: the value, the samples, and whether any sample has it, of the samples in
     * {@code [from, to)} of the threads {@code threadOk} (null: all). Not to be changed: may be kept.
     */
    private record StackSums(long[] value, long[] count, boolean[] seen) {

        static StackSums of(Profile p, int vi, boolean[] threadOk, long from, long to) {
            int ci = countIndex(p);
            int stackCount = p.stackCount();
            long[] byStack = new long[stackCount];
            long[] countByStack = new long[stackCount];
            boolean[] seen = new boolean[stackCount];
            boolean timed = from > 0 || to != Long.MAX_VALUE;
            for (int i = 0, n = p.sampleCount(); i < n; i++) {
                if (timed) {
                    long t = p.timeOf(i);
                    if (t < from || t >= to) {
                        continue;
                    }
                }
                if (threadOk != null && !threadOk[p.threadOf(i)]) {
                    continue;
                }
                int st = p.stackOf(i);
                byStack[st] += p.value(i, vi);
                countByStack[st] += ci >= 0 ? p.value(i, ci) : 1;
                seen[st] = true;
            }
            return new StackSums(byStack, countByStack, seen);
        }
    }

    /** The fine nodes of an {@link Index} merged by name, without the names hidden. */
    private static final class View {
        final int count;
        final int[] parent;
        final int[] name;
        /** Children lists, and nodes by (parent, name). */
        final PathTable t;
        /** View node of each fine node (a hidden one: its parent's). */
        final int[] of;
        /** The fine nodes of each view node (hidden ones in none): {@code fines[fineStart[n]..fineStart[n+1])}. */
        final int[] fineStart;
        final int[] fines;
        /** Whether a caller of the node has its name (recursion). */
        final boolean[] repeat;

        View(Index x, boolean[] hiddenName) {
            View all = x.view;   // null: this is it
            PathTable t = new PathTable(1 + (all == null ? x.fineCount : all.count));
            int[] of = new int[x.fineCount];
            boolean[] hidden = new boolean[x.fineCount];
            boolean[] rep = null;
            if (all == null) {
                for (int n = 1; n < x.fineCount; n++) {
                    of[n] = t.child(of[x.parent[n]], x.name[n], (byte) 0);
                }
            } else {
                // merged again from the nodes merged by name, fewer than the fine ones; a node repeats a
                // caller's name when the nodes it merges do (that caller has its name: it is not hidden)
                int[] ofAll = new int[all.count];
                rep = new boolean[all.count];
                for (int v = 1; v < all.count; v++) {
                    int up = ofAll[all.parent[v]];
                    if (hiddenName[all.name[v]]) {
                        ofAll[v] = up;
                    } else {
                        int h = t.child(up, all.name[v], (byte) 0);
                        ofAll[v] = h;
                        rep[h] |= all.repeat[v];
                    }
                }
                for (int n = 1; n < x.fineCount; n++) {
                    of[n] = ofAll[all.of[n]];
                    hidden[n] = hiddenName[x.name[n]];
                }
            }
            this.t = t;
            this.count = t.count;
            this.parent = t.parent;
            this.name = t.name;
            this.of = of;
            int[] start = new int[count + 1];
            for (int n = 1; n < x.fineCount; n++) {
                if (!hidden[n]) {
                    start[of[n] + 1]++;
                }
            }
            for (int i = 0; i < count; i++) {
                start[i + 1] += start[i];
            }
            int[] fill = Arrays.copyOf(start, count);
            int[] list = new int[start[count]];
            for (int n = 1; n < x.fineCount; n++) {
                if (!hidden[n]) {
                    list[fill[of[n]]++] = n;
                }
            }
            this.fineStart = start;
            this.fines = list;
            if (rep != null) {
                this.repeat = Arrays.copyOf(rep, count);
                return;
            }
            // depth first, counting the names on the path from the root (~n: leaving n)
            rep = new boolean[count];
            int[] onPath = new int[x.names.length];
            int[] todo = new int[2 * count];
            int top = 0;
            for (int c = t.first[0]; c != 0; c = t.next[c]) {
                todo[top++] = c;
            }
            while (top > 0) {
                int n = todo[--top];
                if (n < 0) {
                    onPath[name[~n]]--;
                    continue;
                }
                rep[n] = onPath[name[n]]++ > 0;
                todo[top++] = ~n;
                for (int c = t.first[n]; c != 0; c = t.next[c]) {
                    todo[top++] = c;
                }
            }
            this.repeat = rep;
        }
    }

    private static boolean any(boolean[] a) {
        for (boolean b : a) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    /** The value that counts samples ({@code samples}, {@code contentions}, else a count that is not objects), or -1. */
    private static int countIndex(Profile p) {
        List<ValueType> types = p.valueTypes();
        for (int i = 0; i < types.size(); i++) {
            String t = types.get(i).type();
            if (t.equals("samples") || t.equals("contentions")) {
                return i;
            }
        }
        for (int i = 0; i < types.size(); i++) {
            ValueType t = types.get(i);
            if (t.unit().equals("count") && !t.type().endsWith("objects")) {
                return i;
            }
        }
        return -1;
    }
}
