package dev.proflab.report;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Operations;
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
 * <p><b>Totals.</b> Each side's total is pprof's: the value of every sample in the time range, before
 * thread, focus and ignore (so that a focused function's share is of the whole profile, and its change
 * shows); the values compared are those of the samples that pass every filter (hide moves value to callers).
 *
 * <p><b>Normalisation.</b> {@link Normalize#TOTAL}: each value divided by its side's total, a share
 * from 0 to 1 (what changed in the profile's make-up), as pprof's {@code -normalize}. {@link Normalize#DURATION}: each value per
 * second of its recording (of the selected time range within it): what changed in absolute load, e.g.
 * CPU nanoseconds per second. When either duration is unknown it falls back to TOTAL with a warning.
 * {@code delta} is always normalised current minus normalised base.
 *
 * <p><b>Significance.</b> {@link ChangeTest}: per function, its flat and its cum share of the samples
 * (the sample count value where the profile has one, else one per sample record), compared with the noise
 * measured between the recordings of each side, corrected for testing every function at once
 * (Benjamini–Hochberg, q-values at {@value #ALPHA}). Names that the JVM generates differently in every run
 * ({@link GeneratedNames}: hidden-class addresses, lambda and accessor numbers, proxies) are compared in
 * their normalised form. One recording per side cannot tell a change from the differences between runs of the
 * same program (the JIT compiles each run differently): nothing is then significant and
 * {@link Result#limitation()} says so; at least {@value ChangeTest#MIN_RECORDINGS} recordings per side, each a
 * run of its own, are needed for a claim (docs/diff-significance.md has the measurements). A node of the merged
 * tree is significant when its function's cum changed significantly in the node's direction.
 *
 * <p><b>Comparability.</b> {@link Result#warnings()} says, one plain sentence each, when the two
 * recordings differ in event, value type, engine or sampling interval.
 * A regular expression of the selection that matches nothing in <em>both</em> profiles is a
 * {@link ReportException}; matching in one only is fine (a function that appeared or went away).
 *
 * <p><b>Speed.</b> Each side is the {@link CallIndex} of its profile and the selection, the call
 * tree every report reads (built once and cached); the two trees are matched by function name only
 * where a node is kept: with the {@code minFraction} of a flame graph, a few thousand nodes of a million.
 */
public final class Diff {

    /** The false discovery rate changes are tested at. */
    public static final double ALPHA = ChangeTest.ALPHA;

    /** How values are made comparable across the two profiles. */
    public enum Normalize {
        /** Divided by the side's total: shares from 0 to 1. */
        TOTAL,
        /** Per second of the side's recording (of the selected time range). */
        DURATION,
        /**
         * Per operation: each value divided by the operations its side performed while it recorded
         * ({@link Operations}: JMH operations, requests, or a number given); both sides need a count.
         */
        OPS;

        /** {@code total}, {@code duration} or {@code ops}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code total}, {@code duration} or {@code ops} (any case); anything else is a {@link ReportException}. */
        public static Normalize parse(String s) {
            if (s != null) {
                for (Normalize n : values()) {
                    if (n.label().equalsIgnoreCase(s.strip())) {
                        return n;
                    }
                }
            }
            throw new ReportException(dev.proflab.text.Phrase.of(dev.proflab.text.Phrase.parameter("normalize"),
                    ": '" + s + "' is not total, duration or ops"));
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
     * @param name the function, with the parts the JVM generates differently in each run normalised
     *     ({@link GeneratedNames}); {@code raw} is a name it had in a recording
     * @param significant its flat or its cum share of the samples changed beyond noise: {@code q <= alpha}
     * @param p the smaller p-value of its flat and cum tests (NaN: not tested)
     * @param q the smaller of their q-values, adjusted for every test of the comparison (NaN: not tested)
     * @param flatSignificant its flat share changed beyond noise (the flat test alone: what a gate on flat reads)
     * @param cumSignificant its cum share changed beyond noise (the cum test alone)
     * @param qFlat the q-value of its flat test (NaN: not tested, or no claim can be made)
     * @param qCum the q-value of its cum test (NaN: the same)
     */
    public record Row(String name, long baseFlat, long baseCum, long flat, long cum,
                      double normBaseFlat, double normFlat, double deltaFlat,
                      double normBaseCum, double normCum, double deltaCum, boolean significant,
                      double p, double q, String raw, boolean flatSignificant, boolean cumSignificant,
                      double qFlat, double qCum) {
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
     * @param baseRecordings how many recordings the base side has
     * @param recordings how many the current side has
     * @param baseOperations the base's operation count ({@link Normalize#OPS}), or null
     * @param operations the current side's operation count, or null
     */
    public record Result(Normalize normalize, Header baseHeader, Header header, List<String> warnings,
                         Node root, List<Row> rows, double alpha, int tested, String limitation,
                         int baseRecordings, int recordings, Operations baseOperations, Operations operations) {

        public Result {
            warnings = List.copyOf(warnings);
            rows = List.copyOf(rows);
        }

        /** A comparison without operation counts. */
        public Result(Normalize normalize, Header baseHeader, Header header, List<String> warnings,
                      Node root, List<Row> rows, double alpha, int tested, String limitation,
                      int baseRecordings, int recordings) {
            this(normalize, baseHeader, header, warnings, root, rows, alpha, tested, limitation, baseRecordings,
                    recordings, null, null);
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

        /** The unit of the normalised values: {@code share}, or e.g. {@code nanoseconds/s}, {@code bytes/op}. */
        public String normUnit() {
            return switch (normalize) {
                case TOTAL -> "share";
                case DURATION -> header.type().unit() + "/s";
                case OPS -> header.type().unit() + "/" + operations.unit();
            };
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
        return compute(List.of(base), List.of(current), selection, normalize, minFraction);
    }

    /**
     * Compares the recordings of {@code current} against those of {@code base}: each side's values are
     * those of its recordings together (merged into one profile), and each recording is one run for the
     * test of a change ({@link ChangeTest}: at least {@value ChangeTest#MIN_RECORDINGS} per side for a claim).
     *
     * @param minFraction from 0 (every node) to 1, as {@link #compute(Profile, Profile, Selection, Normalize, double)}
     * @throws ReportException as the other forms
     */
    public static Result compute(List<Profile> bases, List<Profile> currents, Selection selection, Normalize normalize,
                                 double minFraction) {
        return compute(bases, currents, selection, normalize, minFraction, null, null);
    }

    /**
     * As {@link #compute(List, List, Selection, Normalize, double)}, with each side's operation count: with
     * {@link Normalize#OPS} every value is divided by its side's count (a value per operation), and both are needed.
     *
     * @param baseOperations the operations the base's recordings cover together, or null
     * @param operations the operations the current side's recordings cover together, or null
     * @throws ReportException as the other forms, and when OPS is asked and a side has no count or the two
     *     count different units
     */
    public static Result compute(List<Profile> bases, List<Profile> currents, Selection selection, Normalize normalize,
                                 double minFraction, Operations baseOperations, Operations operations) {
        if (normalize == Normalize.OPS) {
            checkOperations(baseOperations, operations);
        }
        if (!(minFraction >= 0 && minFraction <= 1)) {
            throw new IllegalArgumentException("minFraction " + minFraction + " is not from 0 to 1");
        }
        if (bases.isEmpty() || currents.isEmpty()) {
            throw new IllegalArgumentException("a side without recordings");
        }
        Profile base = side(bases, "base");
        Profile current = side(currents, "current");
        CallIndex b = CallIndex.lenient(base, selection, "base");
        CallIndex c = CallIndex.lenient(current, selection, "current");
        check(selection.focus(), b.focusAny, c.focusAny, "function");
        check(selection.ignore(), b.ignoreAny, c.ignoreAny, "function");
        check(selection.hide(), b.hideAny, c.hideAny, "function");
        check(selection.thread(), b.threadAny, c.threadAny, "thread");
        TagFilter.checkEither(selection.tags(), base, current);

        List<String> warnings = new ArrayList<>();
        comparability(b, c, warnings);

        Normalize applied = normalize;
        // values are divided by these (0: the value is 0)
        double bScale;
        double cScale;
        if (normalize == Normalize.DURATION) {
            double bs = seconds(bases, selection);
            double cs = seconds(currents, selection);
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
        } else if (normalize == Normalize.OPS) {
            bScale = baseOperations.count();
            cScale = operations.count();
        } else {
            bScale = b.total;
            cScale = c.total;
        }

        // one numbering of the functions of both sides, by their names with generated parts normalised
        Slots slots = new Slots();
        int[] bSlot = slots.of(b.names);
        int[] cSlot = slots.of(c.names);
        int n = slots.count();

        // the test: every recording of each side cut into blocks, flat and cum of every function per block
        ChangeTest.Replicates br = replicates(bases, base, b, selection, slots, n);
        ChangeTest.Replicates cr = replicates(currents, current, c, selection, slots, n);
        ChangeTest.Result test = ChangeTest.test(br, cr, ALPHA);

        // the merged tree, only the nodes kept
        int[] bToC = match(bSlot, slots.inverse(cSlot, n));
        int[] cToB = match(cSlot, slots.inverse(bSlot, n));
        List<Row> rows = rows(b, c, bSlot, cSlot, slots, bScale, cScale, test);
        boolean[] grew = new boolean[n];
        boolean[] shrank = new boolean[n];
        for (Row r : rows) {
            int sl = slots.id(r.name());
            boolean sig = test.significant()[2 * sl + 1];
            grew[sl] = sig && r.deltaCum() > 0;
            shrank[sl] = sig && r.deltaCum() < 0;
        }
        Merge m = new Merge(b.tree(), c.tree(), bToC, cToB, bScale, cScale, bSlot, cSlot, grew, shrank, minFraction);
        Node tree = m.node(0, 0, true);

        Header bh = b.header();
        Header ch = c.header();
        return new Result(applied, bh, ch, warnings, tree, rows, ALPHA, test.tested(), test.limitation(),
                bases.size(), currents.size(), baseOperations, operations);
    }

    /**
     * Both counts are known and count the same thing (a count given by hand counts whatever the other side does);
     * else a {@link ReportException} saying which is missing.
     */
    static void checkOperations(Operations base, Operations current) {
        if (base == null || current == null) {
            String which = base == null && current == null ? "either side" : base == null ? "the base" : "the current side";
            throw new ReportException(dev.proflab.text.Phrase.of(dev.proflab.text.Phrase.parameter("normalize"),
                    ": ops needs the operation count of both sides, and " + which + " has none"));
        }
        if (!base.unit().equals(current.unit()) && !base.source().equals("user") && !current.source().equals("user")) {
            throw new ReportException(dev.proflab.text.Phrase.of(dev.proflab.text.Phrase.parameter("normalize"),
                    ": ops compares like with like, and the base counts " + base.unit() + "s, the current side "
                            + current.unit() + "s"));
        }
    }

    /** One profile of a side's recordings: the one, or all of them merged (each starting at 0). */
    private static Profile side(List<Profile> recordings, String role) {
        if (recordings.size() == 1) {
            return recordings.get(0);
        }
        List<dev.proflab.profile.ProfileMerge.Part> parts = new ArrayList<>();
        for (Profile p : recordings) {
            parts.add(new dev.proflab.profile.ProfileMerge.Part(p, null));
        }
        Profile first = recordings.get(0);
        String src = first.meta().source();
        String name = (src.isEmpty() ? role : src) + " and " + (recordings.size() - 1) + " more";
        return dev.proflab.profile.ProfileMerge.merge(parts, name);
    }

    /** The replicates of a side: the blocks of each of its recordings, each block knowing its recording. */
    private static ChangeTest.Replicates replicates(List<Profile> recordings, Profile merged, CallIndex whole,
                                                    Selection s, Slots slots, int n) {
        List<ChangeTest.Replicates> parts = new ArrayList<>();
        for (Profile p : recordings) {
            CallIndex x = p == merged ? whole : CallIndex.lenient(p, s, "");
            parts.add(x.blocks(slots.of(x.names), n));
        }
        return ChangeTest.Replicates.concat(parts.toArray(new ChangeTest.Replicates[0]));
    }

    /** For each name id of one side, the name id of the other side with the same slot (-1: none). */
    private static int[] match(int[] slotOf, int[] otherIdOfSlot) {
        int[] m = new int[slotOf.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = otherIdOfSlot[slotOf[i]];
        }
        return m;
    }

    /**
     * Function names of several profiles numbered together by {@link GeneratedNames#normalize(String)}: the
     * same function in two runs is one slot even where the JVM named its generated classes differently.
     */
    private static final class Slots {
        private final java.util.Map<String, Integer> ids = new java.util.HashMap<>();
        private final List<String> names = new ArrayList<>();

        int[] of(Names x) {
            int[] slot = new int[x.count()];
            for (int i = 0; i < slot.length; i++) {
                slot[i] = id(GeneratedNames.normalize(x.names[i]), true);
            }
            return slot;
        }

        int id(String normalized) {
            return id(normalized, false);
        }

        private int id(String normalized, boolean add) {
            Integer id = ids.get(normalized);
            if (id == null) {
                if (!add) {
                    return -1;
                }
                id = names.size();
                ids.put(normalized, id);
                names.add(normalized);
            }
            return id;
        }

        String name(int slot) {
            return names.get(slot);
        }

        int count() {
            return names.size();
        }

        /** For each slot, the first name id mapped to it (-1: none). */
        int[] inverse(int[] slotOf, int n) {
            int[] inv = new int[n];
            Arrays.fill(inv, -1);
            for (int i = 0; i < slotOf.length; i++) {
                if (inv[slotOf[i]] < 0) {
                    inv[slotOf[i]] = i;
                }
            }
            return inv;
        }
    }

    private static double norm(long value, double by) {
        return by == 0 ? 0 : value / by;
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
    }

    private static String interval(Profile p) {
        boolean bytes = p.valueTypes().stream().anyMatch(t -> t.unit().equals("bytes"));
        return Quantities.format(p.meta().interval(), bytes ? "bytes" : "nanoseconds");
    }

    /** Seconds of the recording within the selection's time range; 0 when not known or empty. */
    /** Seconds of all the recordings within the selection's time range; 0 when one is not known. */
    static double seconds(List<Profile> recordings, Selection s) {
        double sum = 0;
        for (Profile p : recordings) {
            double one = seconds(p, s);
            if (one <= 0) {
                return 0;
            }
            sum += one;
        }
        return sum;
    }

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
        final int[] bSlot;
        final int[] cSlot;
        final boolean[] grew;
        final boolean[] shrank;
        final double min;

        Merge(CallIndex.Tree b, CallIndex.Tree c, int[] bToC, int[] cToB, double bScale, double cScale, int[] bSlot,
              int[] cSlot, boolean[] grew, boolean[] shrank, double min) {
            this.b = b;
            this.c = c;
            this.bToC = bToC;
            this.cToB = cToB;
            this.bScale = bScale;
            this.cScale = cScale;
            this.bSlot = bSlot;
            this.cSlot = cSlot;
            this.grew = grew;
            this.shrank = shrank;
            this.min = min;
        }

        /** Whether view node {@code n} of side {@code s} is reached and large enough to be kept. */
        boolean passes(CallIndex.Tree s, int n) {
            if (!s.reached(n)) {
                return false;
            }
            long total = s.x.total;
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
            long baseCount = bn >= 0 ? b.counts()[0][bn] : 0;
            long count = cn >= 0 ? c.counts()[0][cn] : 0;
            double nb = norm(base, bScale);
            double nc = norm(cur, cScale);
            int slot = isRoot ? -1 : bn >= 0 ? bSlot[b.view.name[bn]] : cSlot[c.view.name[cn]];
            double delta = norm(cur, cScale) - norm(base, bScale);
            boolean sig = slot >= 0 && (delta > 0 && grew[slot] || delta < 0 && shrank[slot]);
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
    private static List<Row> rows(CallIndex b, CallIndex c, int[] bSlot, int[] cSlot, Slots slots, double bScale,
                                  double cScale, ChangeTest.Result test) {
        int n = slots.count();
        CallIndex.FlatCum bf = b.flatCum(bSlot, n);
        CallIndex.FlatCum cf = c.flatCum(cSlot, n);
        String[] raw = new String[n];
        for (int i = bSlot.length - 1; i >= 0; i--) {
            raw[bSlot[i]] = b.names.names[i];
        }
        for (int i = cSlot.length - 1; i >= 0; i--) {
            if (cf.has()[cSlot[i]] || raw[cSlot[i]] == null) {
                raw[cSlot[i]] = c.names.names[i];
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int sl = 0; sl < n; sl++) {
            if (!bf.has()[sl] && !cf.has()[sl]) {
                continue;
            }
            long baseFlat = bf.flat()[sl];
            long baseCum = bf.cum()[sl];
            long flat = cf.flat()[sl];
            long cum = cf.cum()[sl];
            double nbf = norm(baseFlat, bScale);
            double nf = norm(flat, cScale);
            double nbc = norm(baseCum, bScale);
            double nc = norm(cum, cScale);
            double p = Math.min(nanToMax(test.pValues()[2 * sl]), nanToMax(test.pValues()[2 * sl + 1]));
            double q = Math.min(nanToMax(test.qValues()[2 * sl]), nanToMax(test.qValues()[2 * sl + 1]));
            boolean sigFlat = test.significant()[2 * sl];
            boolean sigCum = test.significant()[2 * sl + 1];
            boolean sig = sigFlat || sigCum;
            double qFlat = test.qValues()[2 * sl];
            double qCum = test.qValues()[2 * sl + 1];
            if (test.limitation() != null) {
                // the blocks of one run say nothing about another run: no p-value is shown
                p = Double.POSITIVE_INFINITY;
                q = Double.POSITIVE_INFINITY;
                qFlat = Double.NaN;
                qCum = Double.NaN;
            }
            String name = slots.name(sl);
            rows.add(new Row(name, baseFlat, baseCum, flat, cum, nbf, nf, nf - nbf, nbc, nc, nc - nbc, sig,
                    Double.isInfinite(p) ? Double.NaN : p, Double.isInfinite(q) ? Double.NaN : q,
                    raw[sl] == null ? name : raw[sl], sigFlat, sigCum, qFlat, qCum));
        }
        rows.sort(Comparator.<Row>comparingDouble(r -> -Math.abs(r.deltaFlat()))
                .thenComparingDouble(r -> -Math.abs(r.deltaCum()))
                .thenComparing(Row::name));
        return rows;
    }

    private static double nanToMax(double v) {
        return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
    }
}
