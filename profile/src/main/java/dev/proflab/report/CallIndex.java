package dev.proflab.report;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A profile seen through a {@link Selection}: the one call tree every report reads (top, peek, list,
 * tree, traces, flame graphs, diff, exports), built once per profile and selection and kept in the
 * {@link ProfileCache}. Immutable.
 *
 * <p><b>What is kept.</b> A sample is in the time range or not; its value adds to the {@link #total}
 * (pprof's total: the time range decides it, the other filters do not). A sample of a thread that the
 * selection keeps, whose stack has a function {@code focus} matches (when given) and none that
 * {@code ignore} matches, is <em>selected</em>: its value goes along its stack, with the functions
 * {@code hide} matches taken out (their value goes to their callers). A stack whose selected samples
 * sum to 0 is left out.
 *
 * <p><b>The quantities,</b> one definition each, per node of the call tree (a path of function names
 * from the root, {@link Paths.View}): {@code value} (the selected value of the stacks through it),
 * {@code self} (of those ending in it), {@code count} and {@code selfCount} (the same in samples: the
 * profile's sample count value, {@link #countIndex}, else one per sample record). Per function:
 * {@code flat} (the self of its nodes) and {@code cum} (the value of its nodes that have no caller of
 * the same name: a stack counts once however deep it recurses).
 */
public final class CallIndex {

    final Profile profile;
    final Selection selection;
    final int valueIndex;
    final ValueType type;
    final Names names;
    /** The file name, or {@code role} when the profile has no source: for messages. */
    final String file;
    /** pprof's total: the value of every sample in the time range, before the other filters. */
    final long total;
    /** The samples in the time range ({@link #countIndex}), or -1 when the profile does not count them. */
    final long samples;
    /** Per stack of the profile: its selected value (0: left out) and samples. */
    final long[] stackValue;
    final long[] stackCount;
    /** The selected value and samples, after every filter. */
    private final long selectedTotal;
    private final long selectedCount;
    /** Names hidden (null: none). */
    final boolean[] hidden;
    final boolean focusAny;
    final boolean ignoreAny;
    final boolean hideAny;
    final boolean threadAny;
    /** Per thread of the profile: whether the selection keeps its samples. */
    final boolean[] threadOk;
    /** Which samples the selection's label terms keep, by label set and thread; null without terms. */
    final TagFilter.Match tags;
    /** Per name: flat, cum, their samples; whether any selected stack has it. Computed on first use. */
    private volatile FlatCum flatCum;
    /** What the cache keeps this index under (its tree is kept under it too). */
    private final Key key;
    /** For a comparison: what was subtracted, for the header; empty otherwise. */
    private final String base;

    record FlatCum(long[] flat, long[] cum, long[] flatCount, long[] cumCount, boolean[] has) {
    }

    private record Key(int valueIndex, Selection.Key selection) {

        // written out: a record's own equals and hashCode are linked by an invokedynamic bootstrap (see Frame)
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && valueIndex == k.valueIndex && selection.equals(k.selection);
        }

        @Override
        public int hashCode() {
            return 31 * valueIndex + selection.hashCode();
        }
    }

    /**
     * The index of {@code p} through {@code s}, from the shared cache.
     *
     * @throws ReportException when the sample index does not fit the profile, or a regular expression of
     *     the selection matches no function (no thread) of it
     */
    public static CallIndex of(Profile p, Selection s) {
        CallIndex x = lenient(p, s, "");
        String where = x.file.isEmpty() ? "" : x.file + ": ";
        TagFilter.match(s.tags(), p, true, where); // a term that matches no label is an error
        mustMatch(s.focus(), x.focusAny, where);
        mustMatch(s.ignore(), x.ignoreAny, where);
        mustMatch(s.hide(), x.hideAny, where);
        if (s.thread() != null && !x.threadAny) {
            List<String> some = new ArrayList<>();
            for (int t = 0; t < Math.min(5, p.threadCount()); t++) {
                some.add(p.threadName(t));
            }
            throw new ReportException(where + s.thread().option() + " '" + s.thread().pattern() + "' matches no thread"
                    + (some.isEmpty() ? "" : " (threads: " + String.join(", ", some)
                    + (p.threadCount() > 5 ? ", ..." : "") + ")"));
        }
        return x;
    }

    private static void mustMatch(Regex re, boolean any, String where) {
        if (re != null && !any) {
            throw new ReportException(where + re.option() + " '" + re.pattern() + "' matches no function in this profile");
        }
    }

    /**
     * As {@link #of}, but a regular expression that matches nothing is not an error (a diff needs it to
     * match in one of two profiles): see {@link #focusAny} and the others.
     *
     * @param role what to call the profile in messages when it has no file name
     */
    static CallIndex lenient(Profile p, Selection s, String role) {
        int vi = valueIndex(p, s);
        Key key = new Key(vi, s.withSampleIndex(null).key());
        CallIndex x = ProfileCache.shared().get(p, key, () -> new CallIndex(p, s, vi, key), CallIndex::bytes);
        return x.file.isEmpty() && !role.isEmpty() ? x.named(role) : x;
    }

    private CallIndex(CallIndex x, String file) {
        this(x, file, x.total, x.samples, x.base);
    }

    private CallIndex(CallIndex x, String file, long total, long samples, String base) {
        this.base = base;
        this.profile = x.profile;
        this.selection = x.selection;
        this.valueIndex = x.valueIndex;
        this.type = x.type;
        this.names = x.names;
        this.file = file;
        this.total = total;
        this.samples = samples;
        this.stackValue = x.stackValue;
        this.stackCount = x.stackCount;
        this.selectedTotal = x.selectedTotal;
        this.selectedCount = x.selectedCount;
        this.hidden = x.hidden;
        this.focusAny = x.focusAny;
        this.ignoreAny = x.ignoreAny;
        this.hideAny = x.hideAny;
        this.threadAny = x.threadAny;
        this.threadOk = x.threadOk;
        this.tags = x.tags;
        this.flatCum = x.flatCum;
        this.key = x.key;
    }

    private CallIndex named(String role) {
        return new CallIndex(this, role);
    }

    private CallIndex(Profile p, Selection s, int vi, Key key) {
        this.key = key;
        this.base = "";
        this.profile = p;
        this.selection = s;
        this.valueIndex = vi;
        this.type = p.valueTypes().get(vi);
        this.file = Header.of(p, type, 0, -1, s).file();
        Names x = Names.of(p, Names.Naming.of(s));
        this.names = x;
        boolean[] focus = x.match(s.focus());
        boolean[] ignore = x.match(s.ignore());
        boolean[] hide = x.match(s.hide());
        this.focusAny = any(focus);
        this.ignoreAny = any(ignore);
        this.hideAny = any(hide);
        this.hidden = hideAny ? hide : null;
        boolean[] threadOk = new boolean[p.threadCount()];
        Map<String, Boolean> byName = new HashMap<>();   // pools repeat names
        for (int t = 0; t < threadOk.length; t++) {
            threadOk[t] = s.thread() == null || byName.computeIfAbsent(p.threadName(t), s.thread()::find);
        }
        this.threadAny = any(threadOk);
        this.threadOk = threadOk;
        TagFilter.Match tm = TagFilter.match(s.tags(), p, false, "");
        this.tags = tm;

        // per stack: the selected value and samples, of the samples in the range and of the threads kept
        int ci = countIndex(p);
        int stackCount = p.stackCount();
        long[] byStack = new long[stackCount];
        long[] countByStack = new long[stackCount];
        long from = s.fromNanos();
        long to = s.toNanos();
        boolean timed = from > 0 || to != Long.MAX_VALUE;
        long tot = 0;
        long cnt = 0;
        for (int i = 0, n = p.sampleCount(); i < n; i++) {
            if (timed) {
                long t = p.timeOf(i);
                if (t < from || t >= to) {
                    continue;
                }
            }
            long val = p.value(i, vi);
            long c = ci >= 0 ? p.value(i, ci) : p.recordsOf(i);
            tot += val;
            cnt += c;
            if (!threadOk[p.threadOf(i)] || tm != null && !tm.keeps(p.labelSetOf(i), p.threadOf(i))) {
                continue;
            }
            int st = p.stackOf(i);
            byStack[st] += val;
            countByStack[st] += c;
        }
        this.total = tot;
        this.samples = ci >= 0 ? cnt : -1;

        // focus / ignore: whether a stack has a matching function; a stack without value is left out
        boolean filtering = s.focus() != null || s.ignore() != null;
        int[] nameOf = x.nameOfFrame;
        long selTotal = 0;
        long selCount = 0;
        for (int st = 0; st < stackCount; st++) {
            long w = byStack[st];
            if (w == 0) {
                countByStack[st] = 0;
                continue;
            }
            if (filtering && !keep(p.stack(st), nameOf, s.focus() == null ? null : focus,
                    s.ignore() == null ? null : ignore)) {
                byStack[st] = 0;
                countByStack[st] = 0;
                continue;
            }
            selTotal += w;
            selCount += countByStack[st];
        }
        this.stackValue = byStack;
        this.stackCount = countByStack;
        this.selectedTotal = selTotal;
        this.selectedCount = selCount;
    }

    /** Whether the selection keeps sample {@code i} by its thread and labels (not by time or stack). */
    boolean keeps(int i) {
        return threadOk[profile.threadOf(i)] && (tags == null || tags.keeps(profile.labelSetOf(i), profile.threadOf(i)));
    }

    private static boolean keep(int[] stack, int[] nameOf, boolean[] focus, boolean[] ignore) {
        boolean focused = focus == null;
        for (int f : stack) {
            int n = nameOf[f];
            if (ignore != null && ignore[n]) {
                return false;
            }
            if (focus != null && focus[n]) {
                focused = true;
            }
        }
        return focused;
    }

    /**
     * The call tree of the selected stacks: per node of a {@link Paths.View} (a path of function names
     * from the root; hidden names merged into their callers), the selected value and samples through it
     * ({@code value}, {@code count}) and ending in it ({@code self}, {@code selfCount}), and how many
     * selected stacks pass through it ({@code reach}: 0 means the node is not in the tree).
     */
    static final class Tree {
        final CallIndex x;
        final Paths paths;
        final Paths.View view;
        final long[] value;
        final long[] self;
        final int[] reach;
        /** Samples through each node and ending in it, computed on first use (the diff's nodes say them). */
        private volatile long[][] counts;
        /** Per fine node of the paths: the selected value through it (for the kind of merged nodes), on first use. */
        private volatile long[] fineValue;

        private Tree(CallIndex x) {
            this.x = x;
            Paths paths = Paths.of(x.profile, x.names.naming);
            this.paths = paths;
            Paths.View v = x.hidden != null ? paths.view(x.hidden) : paths.view;
            this.view = v;
            int vc = v.count;
            long[] val = new long[vc];
            long[] slf = new long[vc];
            int[] rch = new int[vc];
            int[] leafOf = paths.leafOfStack;
            int[] of = v.of;
            long[] byStack = x.stackValue;
            for (int st = 0; st < byStack.length; st++) {
                long w = byStack[st];
                if (w == 0) {
                    continue;
                }
                int dn = of[leafOf[st]];
                val[dn] += w;
                slf[dn] += w;
                rch[dn]++;
            }
            int[] parent = v.parent;
            for (int n = vc - 1; n > 0; n--) {
                int up = parent[n];
                val[up] += val[n];
                rch[up] += rch[n];
            }
            this.value = val;
            this.self = slf;
            this.reach = rch;
        }

        /** The selected value through each fine node of the paths. */
        private long[] fineValue() {
            long[] fine = fineValue;
            if (fine == null) {
                fine = new long[paths.fineCount];
                int[] leafOf = paths.leafOfStack;
                long[] byStack = x.stackValue;
                for (int st = 0; st < byStack.length; st++) {
                    if (byStack[st] != 0) {
                        fine[leafOf[st]] += byStack[st];
                    }
                }
                int[] fineParent = paths.parent;
                for (int n = paths.fineCount - 1; n > 0; n--) {
                    fine[fineParent[n]] += fine[n];
                }
                fineValue = fine;
            }
            return fine;
        }

        long bytes() {
            long[] fine = fineValue;
            return 20L * value.length + (fine == null ? 0 : 8L * fine.length);
        }

        /** Samples through each node ({@code [0]}) and ending in it ({@code [1]}). */
        long[][] counts() {
            long[][] c = counts;
            if (c == null) {
                int vc = view.count;
                long[] num = new long[vc];
                long[] slfNum = new long[vc];
                int[] leafOf = paths.leafOfStack;
                for (int st = 0; st < x.stackValue.length; st++) {
                    if (x.stackValue[st] != 0) {
                        int dn = view.of[leafOf[st]];
                        num[dn] += x.stackCount[st];
                        slfNum[dn] += x.stackCount[st];
                    }
                }
                for (int n = vc - 1; n > 0; n--) {
                    num[view.parent[n]] += num[n];
                }
                counts = c = new long[][] {num, slfNum};
            }
            return c;
        }

        /** The name of node {@code n} ({@code all} for the root). */
        String name(int n) {
            return n == 0 ? "all" : x.names.names[view.name[n]];
        }

        /** The class of node {@code n}'s function. */
        String type(int n) {
            return n == 0 ? "" : x.names.types[view.name[n]];
        }

        /** Whether a selected stack passes through node {@code n}. */
        boolean reached(int n) {
            return reach[n] > 0;
        }

        /** The kind of frame that contributed most of node {@code n}'s value (UNKNOWN for the root). */
        Frame.Kind kind(int n) {
            long[] byKind = new long[KINDS.length];
            addKinds(n, byKind);
            return mostOf(byKind);
        }

        /** Adds node {@code n}'s value per kind of frame. */
        void addKinds(int n, long[] byKind) {
            int[] start = view.fineStart();
            int[] fines = view.fines();
            long[] fine = fineValue();
            for (int i = start[n], end = start[n + 1]; i < end; i++) {
                int f = fines[i];
                byKind[paths.kind[f]] += fine[f];
            }
        }

        /** Children of node {@code n} that selected stacks reach, in no particular order. */
        int[] children(int n) {
            int k = 0;
            for (int c = view.t.first[n]; c != 0; c = view.t.next[c]) {
                if (reach[c] > 0) {
                    k++;
                }
            }
            int[] out = new int[k];
            k = 0;
            for (int c = view.t.first[n]; c != 0; c = view.t.next[c]) {
                if (reach[c] > 0) {
                    out[k++] = c;
                }
            }
            return out;
        }
    }

    private record TreeKey(Key index) {
    }

    /**
     * The call tree of the selected stacks, built when a report needs it (top, list and the exports of samples
     * need none). The tree of a selection without filters (what a page shows first, and again when its filters
     * are cleared) is kept in the cache; the tree of a filtered selection is built for its request and let go:
     * kept, each would hold tens of MB of a large profile that the next filter no longer needs.
     */
    Tree tree() {
        if (!selection.activeFilters().isEmpty() || hidden != null) {
            return new Tree(this);
        }
        return ProfileCache.shared().get(profile, new TreeKey(key), () -> new Tree(this), Tree::bytes);
    }

    /** An estimate of the bytes held, for the cache (without the names and paths it shares). */
    public long bytes() {
        return 16L * stackValue.length + 256;
    }

    /** An estimate of the bytes of the call tree (built if it was not). */
    public long treeBytes() {
        return tree().bytes();
    }

    /** An estimate of the bytes of the path index (per profile and naming) the call tree reads. */
    public long pathBytes() {
        return tree().paths.bytes() + names.bytes();
    }

    /** How many distinct paths of (function, kind of frame) the profile's stacks make. */
    public int paths() {
        return tree().paths.fineCount;
    }

    /** How many nodes the call tree has (paths of function names, hidden ones merged; the root included). */
    public int nodes() {
        return tree().view.count;
    }

    /** The header of a report on this index. */
    Header header() {
        Header h = Header.of(profile, type, total, samples, selection);
        return base.isEmpty() ? h : h.withBase(base);
    }

    // ---- a comparison ---------------------------------------------------------------------------

    private record DiffKey(Profile base, int baseValue, int value, Selection.Key selection, Diff.Normalize normalize,
                           double opsScale) {
        @Override
        public boolean equals(Object o) {
            return o instanceof DiffKey k && k.base == base && k.baseValue == baseValue && k.value == value
                    && k.selection.equals(selection) && k.normalize == normalize
                    && Double.compare(k.opsScale, opsScale) == 0;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(base) * 31 + selection.hashCode() * 7 + value * 3 + normalize.hashCode();
        }
    }

    /**
     * {@code current} minus {@code base} through {@code s}, as pprof's {@code -diff_base}: each side's
     * selected stacks (time range, thread, focus, ignore), the base's values scaled to the current's
     * ({@link Diff.Normalize#TOTAL}: to the same selected total; {@link Diff.Normalize#DURATION}: to the same
     * length of recording) and subtracted, stack by stack. Every report reads the result as it reads one
     * profile: a value is then a change (negative where the base had more), and percentages are of the
     * current profile's total, as pprof's. The header says what was subtracted.
     *
     * @throws ReportException when a regular expression of the selection matches nothing in either
     *     profile, or the sample index fits neither
     */
    public static CallIndex diff(Profile base, Profile current, Selection s, Diff.Normalize normalize) {
        return diff(base, current, s, normalize, null, null);
    }

    /**
     * As {@link #diff(Profile, Profile, Selection, Diff.Normalize)}; with {@link Diff.Normalize#OPS} the base is
     * scaled to the same number of operations as the current profile (both counts are needed).
     *
     * @throws ReportException as the other form, and when OPS is asked without both counts
     */
    public static CallIndex diff(Profile base, Profile current, Selection s, Diff.Normalize normalize,
                                 dev.proflab.profile.Operations baseOperations, dev.proflab.profile.Operations operations) {
        if (normalize == Diff.Normalize.OPS) {
            Diff.checkOperations(baseOperations, operations);
        }
        CallIndex b = lenient(base, s, "base");
        CallIndex c = lenient(current, s, "current");
        Diff.check(s.focus(), b.focusAny, c.focusAny, "function");
        Diff.check(s.ignore(), b.ignoreAny, c.ignoreAny, "function");
        Diff.check(s.hide(), b.hideAny, c.hideAny, "function");
        Diff.check(s.thread(), b.threadAny, c.threadAny, "thread");
        TagFilter.checkEither(s.tags(), base, current);
        double scale;
        String how;
        double bs = normalize == Diff.Normalize.DURATION ? Diff.seconds(base, s) : 0;
        double cs = normalize == Diff.Normalize.DURATION ? Diff.seconds(current, s) : 0;
        double opsScale = 0;
        if (normalize == Diff.Normalize.OPS) {
            opsScale = (double) operations.count() / baseOperations.count();
            scale = opsScale;
            how = "to the same number of " + operations.unit() + "s";
        } else if (bs > 0 && cs > 0) {
            scale = cs / bs;
            how = "to the same length of recording";
        } else {
            scale = b.total == 0 ? 0 : (double) c.total / b.total;
            how = "to the same total" + (normalize == Diff.Normalize.DURATION ? " (the durations are not known)" : "");
        }
        String note = b.file + " subtracted" + (scale == 1 ? "" : String.format(java.util.Locale.ROOT,
                ", scaled by %.4g %s", scale, how));
        Selection rest = Selection.all().withMatchBudget(s.budget().limit()).withHide(s.hide())
                .withSignatures(s.signatures()).withLines(s.lines());
        Profile merged = ProfileCache.shared().get(current,
                new DiffKey(base, b.valueIndex, c.valueIndex, s.key(), normalize, opsScale),
                () -> merge(b, c, scale), p -> 48L * p.stackCount() + 16L * p.sampleCount());
        CallIndex m = of(merged, rest);
        return new CallIndex(m, c.file, c.total, c.samples, note);
    }

    /** One profile of the current's selected stacks and the base's, scaled by {@code -scale}. */
    private static Profile merge(CallIndex b, CallIndex c, double scale) {
        Profile.Builder out = new Profile.Builder(c.profile.meta(), List.of(c.type));
        int thread = out.thread("all");
        add(out, c, 1, thread);
        add(out, b, -scale, thread);
        return out.build();
    }

    private static void add(Profile.Builder out, CallIndex x, double factor, int thread) {
        Profile p = x.profile;
        int[] frameIds = new int[p.frameCount()];
        Arrays.fill(frameIds, -1);
        for (int st = 0; st < x.stackValue.length; st++) {
            long w = x.stackValue[st];
            if (w == 0) {
                continue;
            }
            int[] frames = p.stack(st);
            int[] mapped = new int[frames.length];
            for (int i = 0; i < frames.length; i++) {
                int f = frames[i];
                if (frameIds[f] < 0) {
                    frameIds[f] = out.frame(p.frame(f));
                }
                mapped[i] = frameIds[f];
            }
            out.sample(out.stack(mapped), thread, 0, Math.round(w * factor));
        }
    }

    /** The selected value, after every filter. */
    public long selectedTotal() {
        return selectedTotal;
    }

    /** The selected samples, after every filter. */
    public long selectedCount() {
        return selectedCount;
    }

    static final Frame.Kind[] KINDS = Frame.Kind.values();

    static Frame.Kind mostOf(long[] byKind) {
        int best = Frame.Kind.UNKNOWN.ordinal();
        long max = 0;
        for (int i = 0; i < byKind.length; i++) {
            if (byKind[i] > max) {
                max = byKind[i];
                best = i;
            }
        }
        return KINDS[best];
    }

    /**
     * Flat and cum per slot, where {@code slotOfName} numbers this index's names together with another's
     * ({@code slots} in all): as {@link #flatCum()}, a stack counting once in a slot's cum.
     */
    FlatCum flatCum(int[] slotOfName, int slots) {
        long[] flat = new long[slots];
        long[] cum = new long[slots];
        long[] flatCount = new long[slots];
        long[] cumCount = new long[slots];
        boolean[] has = new boolean[slots];
        int[] stamp = new int[slots];
        Arrays.fill(stamp, -1);
        for (int st = 0; st < stackValue.length; st++) {
            long w = stackValue[st];
            if (w != 0) {
                add(st, slotOfName, stamp, w, stackCount[st], flat, cum, flatCount, cumCount, has);
            }
        }
        return new FlatCum(flat, cum, flatCount, cumCount, has);
    }

    /**
     * Adds stack {@code st} to its slots: {@code w} and {@code c} to the flat of the first frame that is not
     * hidden and to the cum of every slot on it, once ({@code stamp} remembers the last stack of each slot);
     * the count arrays and {@code has} may be null.
     */
    private void add(int st, int[] slotOfName, int[] stamp, long w, long c, long[] flat, long[] cum,
                     long[] flatCount, long[] cumCount, boolean[] has) {
        int[] nameOf = names.nameOfFrame;
        boolean leaf = true;
        for (int f : profile.stack(st)) {
            int nm = nameOf[f];
            if (hidden != null && hidden[nm]) {
                continue;
            }
            int sl = slotOfName[nm];
            if (leaf) {
                flat[sl] += w;
                if (flatCount != null) {
                    flatCount[sl] += c;
                }
                leaf = false;
            }
            if (stamp[sl] != st) {
                stamp[sl] = st;
                cum[sl] += w;
                if (cumCount != null) {
                    cumCount[sl] += c;
                    has[sl] = true;
                }
            }
        }
    }

    /**
     * Flat and cum per name, computed once from the selected stacks: flat where the name is the first
     * frame that is not hidden (the leaf), cum where it is anywhere, once per stack.
     */
    FlatCum flatCum() {
        FlatCum fc = flatCum;
        if (fc == null) {
            int[] own = new int[names.count()];
            for (int i = 0; i < own.length; i++) {
                own[i] = i;
            }
            flatCum = fc = flatCum(own, own.length);
        }
        return fc;
    }

    // ---- replicates: the selected samples per block of time ------------------------------------

    /**
     * The samples in the time range cut into blocks of equal length of time from the first to the last, as
     * many as {@link ChangeTest#blockCount} makes of them: per block its samples (all of them, as the total
     * counts them: before thread, focus and ignore), and per block and
     * item its samples, where the items are the {@code slots} that {@code slotOfName} maps this index's names
     * to (names of several profiles compared under one numbering), two per slot: {@code 2 * slot} where the
     * slot is the leaf (flat), {@code 2 * slot + 1} where it is anywhere on the stack (cum). In samples
     * ({@link #countIndex}, else one per sample record), as the test of a change counts them.
     */
    ChangeTest.Replicates blocks(int[] slotOfName, int slots) {
        Profile p = profile;
        long from = selection.fromNanos();
        long to = selection.toNanos();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int ci = countIndex(p);
        long all = 0;
        for (int i = 0, n = p.sampleCount(); i < n; i++) {
            long t = p.timeOf(i);
            if (t < from || t >= to) {
                continue;
            }
            first = Math.min(first, t);
            last = Math.max(last, t);
            all += ci >= 0 ? p.value(i, ci) : p.recordsOf(i);
        }
        int k = first > last ? 1 : ChangeTest.blockCount(all, last - first + 1);
        long[] totals = new long[k];
        long[][] counts = new long[k][2 * slots];
        if (first > last) {
            return ChangeTest.Replicates.ofBlocks(totals, counts);
        }
        double width = (double) (last - first + 1) / k;
        // per block, per stack: samples (only the blocks a stack has)
        long[][] perStack = new long[k][];
        for (int i = 0, n = p.sampleCount(); i < n; i++) {
            long t = p.timeOf(i);
            if (t < from || t >= to) {
                continue;
            }
            int b = Math.min(k - 1, (int) ((t - first) / width));
            long c = ci >= 0 ? p.value(i, ci) : p.recordsOf(i);
            // a block's samples are all of it (as the total: before thread, focus and ignore)
            totals[b] += c;
            int st = p.stackOf(i);
            if (!keeps(i) || stackValue[st] == 0) {
                continue;
            }
            if (perStack[b] == null) {
                perStack[b] = new long[stackValue.length];
            }
            perStack[b][st] += c;
        }
        int[] stamp = new int[slots];
        long[] flat = new long[slots];
        long[] cum = new long[slots];
        for (int b = 0; b < k; b++) {
            long[] byStack = perStack[b];
            if (byStack == null) {
                continue;
            }
            Arrays.fill(stamp, -1);
            Arrays.fill(flat, 0);
            Arrays.fill(cum, 0);
            for (int st = 0; st < byStack.length; st++) {
                if (byStack[st] != 0) {
                    add(st, slotOfName, stamp, byStack[st], 0, flat, cum, null, null, null);
                }
            }
            long[] row = counts[b];
            for (int sl = 0; sl < slots; sl++) {
                row[2 * sl] = flat[sl];
                row[2 * sl + 1] = cum[sl];
            }
        }
        return ChangeTest.Replicates.ofBlocks(totals, counts);
    }

    /**
     * Calls {@code each} with every selected stack: its frame ids (leaf first, hidden frames taken out;
     * do not keep or change the array) and its value.
     */
    void forEachStack(StackConsumer each) {
        for (int st = 0; st < stackValue.length; st++) {
            long w = stackValue[st];
            if (w == 0) {
                continue;
            }
            int[] frames = profile.stack(st);
            if (hidden != null) {
                int[] nameOf = names.nameOfFrame;
                frames = Arrays.stream(frames).filter(f -> !hidden[nameOf[f]]).toArray();
            }
            each.accept(frames, w);
        }
    }

    @FunctionalInterface
    interface StackConsumer {
        void accept(int[] frames, long value);
    }

    /** Which names {@code regex} finds among those with selected samples; none is a {@link ReportException}. */
    boolean[] namesMatching(Regex regex) {
        FlatCum fc = flatCum();
        String[] all = names.names;
        boolean[] m = new boolean[all.length];
        boolean any = false;
        for (int i = 0; i < all.length; i++) {
            m[i] = fc.has[i] && regex.find(all[i]);
            any |= m[i];
        }
        if (!any) {
            throw new ReportException(file + (file.isEmpty() ? "" : ": ") + regex.option() + " '"
                    + regex.pattern() + "' matches no function with samples"
                    + (selection.activeFilters().isEmpty() ? "" : " under the filters"));
        }
        return m;
    }

    /** The value index a selection asks for ({@code sampleIndex}), else the profile's default. */
    static int valueIndex(Profile p, Selection s) {
        if (s.sampleIndex() == null || s.sampleIndex().isBlank()) {
            return p.defaultValueIndex();
        }
        int i = ValueType.indexOf(p.valueTypes(), s.sampleIndex());
        if (i < 0) {
            throw new ReportException(dev.proflab.text.Phrase.of(dev.proflab.text.Phrase.parameter("sampleIndex"),
                    " '" + s.sampleIndex() + "' does not fit event "
                    + p.meta().event() + ": it has " + String.join(", ",
                    p.valueTypes().stream().map(ValueType::type).toList())));
        }
        return i;
    }

    /**
     * The value that counts samples: {@code samples} or {@code contentions}, else a count that is not
     * of objects; -1 when there is none (then each sample record counts one).
     */
    static int countIndex(Profile p) {
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

    private static boolean any(boolean[] a) {
        for (boolean b : a) {
            if (b) {
                return true;
            }
        }
        return false;
    }
}
