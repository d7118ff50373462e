package dev.proflab.report;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.Quantities;
import dev.proflab.profile.ValueType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

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
     * Compares {@code current} against {@code base}, both through {@code selection}.
     *
     * @throws ReportException when a regular expression of the selection matches nothing in either
     *     profile, or the sample index fits neither
     */
    public static Result compute(Profile base, Profile current, Selection selection, Normalize normalize) {
        Side b = Side.of(base, selection, "base");
        Side c = Side.of(current, selection, "current");
        check(selection.focus(), b.focusAny, c.focusAny, "--focus", "function");
        check(selection.ignore(), b.ignoreAny, c.ignoreAny, "--ignore", "function");
        check(selection.hide(), b.hideAny, c.hideAny, "--hide", "function");
        check(selection.thread(), b.threadAny, c.threadAny, "--thread", "thread");

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

        // the merged tree
        Mutable root = new Mutable("all", "");
        b.addTo(root, 0);
        c.addTo(root, 1);
        Node tree = freeze(root, true, b, c, bScale, cScale, enough);

        // flat and cum per function
        Map<String, long[]> fn = new HashMap<>();   // base flat, base cum, flat, cum, + 4 counts
        b.flatCum(fn, 0);
        c.flatCum(fn, 1);
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, long[]> e : fn.entrySet()) {
            long[] v = e.getValue();
            double nbf = norm(v[0], bScale);
            double nf = norm(v[2], cScale);
            double nbc = norm(v[1], bScale);
            double nc = norm(v[3], cScale);
            boolean sig = enough && (significant(v[4], b.samples, v[6], c.samples)
                    || significant(v[5], b.samples, v[7], c.samples));
            rows.add(new Row(e.getKey(), v[0], v[1], v[2], v[3], nbf, nf, nf - nbf, nbc, nc, nc - nbc, sig));
        }
        rows.sort(Comparator.<Row>comparingDouble(r -> -Math.abs(r.deltaFlat()))
                .thenComparingDouble(r -> -Math.abs(r.deltaCum()))
                .thenComparing(Row::name));

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

    private static void check(Pattern p, boolean inBase, boolean inCurrent, String option, String what) {
        if (p != null && !inBase && !inCurrent) {
            throw new ReportException(option + " '" + p.pattern() + "' matches no " + what + " in either profile");
        }
    }

    // ---- the tree -----------------------------------------------------------------------------

    private static final class Mutable {
        final String name;
        final String type;
        final long[] byKind = new long[Frame.Kind.values().length];
        final Map<String, Mutable> children = new HashMap<>();
        final long[] cum = new long[2];
        final long[] self = new long[2];
        final long[] count = new long[2];

        Mutable(String name, String type) {
            this.name = name;
            this.type = type;
        }

        Frame.Kind kind() {
            int best = Frame.Kind.UNKNOWN.ordinal();
            long max = 0;
            for (int k = 0; k < byKind.length; k++) {
                if (byKind[k] > max) {
                    max = byKind[k];
                    best = k;
                }
            }
            return Frame.Kind.values()[best];
        }
    }

    private static Node freeze(Mutable m, boolean isRoot, Side b, Side c, double bScale, double cScale,
                               boolean enough) {
        List<Mutable> kids = new ArrayList<>(m.children.values());
        kids.sort(Comparator.comparing(k -> k.name));
        List<Node> children = new ArrayList<>(kids.size());
        for (Mutable k : kids) {
            children.add(freeze(k, false, b, c, bScale, cScale, enough));
        }
        double nb = norm(m.cum[0], bScale);
        double nc = norm(m.cum[1], cScale);
        boolean sig = enough && !isRoot && significant(m.count[0], b.samples, m.count[1], c.samples);
        return new Node(m.name, isRoot ? null : m.kind(), m.type, m.cum[0], m.cum[1], m.self[0], m.self[1],
                m.count[0], m.count[1], nb, nc, nc - nb, sig, children);
    }

    // ---- one side -----------------------------------------------------------------------------

    /** A profile through the selection: its kept stacks (leaf first, hidden frames removed), their values and counts. */
    private static final class Side {
        final Profile p;
        final String file;
        final int vi;
        final int[] nodeOfFrame;
        final String[] nodeNames;
        final List<int[]> stacks = new ArrayList<>();
        long[] weights = new long[16];
        long[] counts = new long[16];
        long total;
        long samples;
        boolean focusAny;
        boolean ignoreAny;
        boolean hideAny;
        boolean threadAny;

        private Side(Profile p, String file, int vi, int[] nodeOfFrame, String[] nodeNames) {
            this.p = p;
            this.file = file;
            this.vi = vi;
            this.nodeOfFrame = nodeOfFrame;
            this.nodeNames = nodeNames;
        }

        static Side of(Profile p, Selection s, String role) {
            int vi = Filtered.valueIndex(p, s);
            String src = p.meta().source();
            String file = src.isEmpty() ? role : Header.of(p, p.valueTypes().get(vi), 0, -1, s).file();
            int frames = p.frameCount();
            int[] nodeOfFrame = new int[frames];
            Map<String, Integer> ids = new HashMap<>();
            List<String> names = new ArrayList<>();
            for (int f = 0; f < frames; f++) {
                String name = Filtered.nodeName(p.frame(f), s);
                Integer id = ids.get(name);
                if (id == null) {
                    id = names.size();
                    names.add(name);
                    ids.put(name, id);
                }
                nodeOfFrame[f] = id;
            }
            Side side = new Side(p, file, vi, nodeOfFrame, names.toArray(new String[0]));
            boolean[] focus = side.match(s.focus());
            boolean[] ignore = side.match(s.ignore());
            boolean[] hide = side.match(s.hide());
            side.focusAny = any(focus);
            side.ignoreAny = any(ignore);
            side.hideAny = any(hide);
            boolean[] threadOk = new boolean[p.threadCount()];
            for (int t = 0; t < threadOk.length; t++) {
                threadOk[t] = s.thread() == null || s.thread().matcher(p.threadName(t)).find();
            }
            side.threadAny = any(threadOk);

            int ci = countIndex(p);
            byte[] state = new byte[p.stackCount()];   // 0 = not decided, 1 = keep, 2 = drop
            long[] byStack = new long[p.stackCount()];
            long[] countByStack = new long[p.stackCount()];
            boolean[] seen = new boolean[p.stackCount()];
            for (int i = 0, n = p.sampleCount(); i < n; i++) {
                long t = p.timeOf(i);
                if (t < s.fromNanos() || t >= s.toNanos() || !threadOk[p.threadOf(i)]) {
                    continue;
                }
                int st = p.stackOf(i);
                if (state[st] == 0) {
                    state[st] = keep(p.stack(st), nodeOfFrame, s.focus() == null ? null : focus,
                            s.ignore() == null ? null : ignore) ? (byte) 1 : (byte) 2;
                }
                if (state[st] == 1) {
                    long v = p.value(i, vi);
                    long c = ci >= 0 ? p.value(i, ci) : 1;
                    byStack[st] += v;
                    countByStack[st] += c;
                    seen[st] = true;
                    side.total += v;
                    side.samples += c;
                }
            }
            for (int st = 0; st < byStack.length; st++) {
                if (!seen[st]) {
                    continue;
                }
                int[] frameIds = p.stack(st);
                if (s.hide() != null) {
                    frameIds = Arrays.stream(frameIds).filter(f -> !hide[nodeOfFrame[f]]).toArray();
                }
                int k = side.stacks.size();
                if (k == side.weights.length) {
                    side.weights = Arrays.copyOf(side.weights, k * 2);
                    side.counts = Arrays.copyOf(side.counts, k * 2);
                }
                side.weights[k] = byStack[st];
                side.counts[k] = countByStack[st];
                side.stacks.add(frameIds);
            }
            return side;
        }

        private boolean[] match(Pattern re) {
            boolean[] m = new boolean[nodeNames.length];
            if (re != null) {
                for (int i = 0; i < m.length; i++) {
                    m[i] = re.matcher(nodeNames[i]).find();
                }
            }
            return m;
        }

        void addTo(Mutable root, int k) {
            for (int s = 0; s < stacks.size(); s++) {
                int[] st = stacks.get(s);
                long w = weights[s];
                long c = counts[s];
                Mutable n = root;
                n.cum[k] += w;
                n.count[k] += c;
                for (int i = st.length - 1; i >= 0; i--) {
                    Frame f = p.frame(st[i]);
                    String name = nodeNames[nodeOfFrame[st[i]]];
                    Mutable child = n.children.get(name);
                    if (child == null) {
                        child = new Mutable(name, f.type());
                        n.children.put(name, child);
                    }
                    n = child;
                    n.cum[k] += w;
                    n.count[k] += c;
                    n.byKind[f.kind().ordinal()] += w;
                }
                n.self[k] += w;
            }
        }

        /** Adds flat and cum (values at 0..3, counts at 4..7) of side {@code k} per function name. */
        void flatCum(Map<String, long[]> fn, int k) {
            long[][] byNode = new long[nodeNames.length][];
            int[] stamp = new int[nodeNames.length];
            Arrays.fill(stamp, -1);
            for (int s = 0; s < stacks.size(); s++) {
                int[] st = stacks.get(s);
                if (st.length == 0) {
                    continue;
                }
                long w = weights[s];
                long c = counts[s];
                long[] leaf = row(fn, byNode, nodeOfFrame[st[0]]);
                leaf[2 * k] += w;
                leaf[4 + 2 * k] += c;
                for (int f : st) {
                    int node = nodeOfFrame[f];
                    if (stamp[node] != s) {
                        stamp[node] = s;
                        long[] r = row(fn, byNode, node);
                        r[2 * k + 1] += w;
                        r[4 + 2 * k + 1] += c;
                    }
                }
            }
        }

        private long[] row(Map<String, long[]> fn, long[][] byNode, int node) {
            long[] r = byNode[node];
            if (r == null) {
                r = fn.computeIfAbsent(nodeNames[node], x -> new long[8]);
                byNode[node] = r;
            }
            return r;
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

    private static boolean keep(int[] stack, int[] nodeOfFrame, boolean[] focus, boolean[] ignore) {
        boolean focused = focus == null;
        for (int f : stack) {
            int n = nodeOfFrame[f];
            if (ignore != null && ignore[n]) {
                return false;
            }
            if (focus != null && focus[n]) {
                focused = true;
            }
        }
        return focused;
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
