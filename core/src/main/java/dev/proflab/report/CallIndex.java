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
    final Paths paths;
    final Paths.View view;
    /** The file name, or {@code role} when the profile has no source: for messages. */
    final String file;
    /** pprof's total: the value of every sample in the time range, before the other filters. */
    final long total;
    /** The samples in the time range ({@link #countIndex}), or -1 when the profile does not count them. */
    final long samples;
    /** Per view node: selected value and samples through it and ending in it; selected stacks through it. */
    final long[] value;
    final long[] self;
    final long[] count;
    final long[] selfCount;
    final int[] reach;
    /** Per fine node of the paths: the selected value through it (for the kind of merged nodes). */
    final long[] fineValue;
    /** Per stack of the profile: its selected value, 0 when it is left out. */
    final long[] stackValue;
    /** Names hidden (null: none). */
    final boolean[] hidden;
    final boolean focusAny;
    final boolean ignoreAny;
    final boolean hideAny;
    final boolean threadAny;
    /** Per name: flat, cum, their samples; whether any selected stack has it. Computed on first use. */
    private volatile FlatCum flatCum;

    record FlatCum(long[] flat, long[] cum, long[] flatCount, long[] cumCount, boolean[] has) {
    }

    private record Key(int valueIndex, Selection.Key selection) {
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
        CallIndex x = ProfileCache.shared().get(p, key, () -> new CallIndex(p, s, vi), CallIndex::bytes);
        return x.file.isEmpty() && !role.isEmpty() ? x.named(role) : x;
    }

    private CallIndex(CallIndex x, String file) {
        this.profile = x.profile;
        this.selection = x.selection;
        this.valueIndex = x.valueIndex;
        this.type = x.type;
        this.paths = x.paths;
        this.view = x.view;
        this.file = file;
        this.total = x.total;
        this.samples = x.samples;
        this.value = x.value;
        this.self = x.self;
        this.count = x.count;
        this.selfCount = x.selfCount;
        this.reach = x.reach;
        this.fineValue = x.fineValue;
        this.stackValue = x.stackValue;
        this.hidden = x.hidden;
        this.focusAny = x.focusAny;
        this.ignoreAny = x.ignoreAny;
        this.hideAny = x.hideAny;
        this.threadAny = x.threadAny;
        this.flatCum = x.flatCum;
    }

    private CallIndex named(String role) {
        return new CallIndex(this, role);
    }

    private CallIndex(Profile p, Selection s, int vi) {
        this.profile = p;
        this.selection = s;
        this.valueIndex = vi;
        this.type = p.valueTypes().get(vi);
        this.file = Header.of(p, type, 0, -1, s).file();
        Paths x = Paths.of(p, Paths.Naming.of(s));
        this.paths = x;
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
        Paths.View v = hideAny ? x.view(hide) : x.view;
        this.view = v;

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
            long c = ci >= 0 ? p.value(i, ci) : 1;
            tot += val;
            cnt += c;
            if (!threadOk[p.threadOf(i)]) {
                continue;
            }
            int st = p.stackOf(i);
            byStack[st] += val;
            countByStack[st] += c;
        }
        this.total = tot;
        this.samples = ci >= 0 ? cnt : -1;

        // focus / ignore: whether a stack's path has a matching function
        boolean[] focused = s.focus() == null ? null : x.pathMatches(focus);
        boolean[] ignored = s.ignore() == null ? null : x.pathMatches(ignore);

        // each selected stack on its leaf, then summed up to the root
        long[] fine = new long[x.fineCount];
        int vc = v.count;
        long[] val = new long[vc];
        long[] slf = new long[vc];
        long[] num = new long[vc];
        long[] slfNum = new long[vc];
        int[] rch = new int[vc];
        int[] leafOf = x.leafOfStack;
        int[] of = v.of;
        for (int st = 0; st < stackCount; st++) {
            long w = byStack[st];
            if (w == 0) {
                continue;
            }
            int leaf = leafOf[st];
            if (focused != null && !focused[leaf] || ignored != null && ignored[leaf]) {
                byStack[st] = 0;
                continue;
            }
            long c = countByStack[st];
            fine[leaf] += w;
            int dn = of[leaf];
            val[dn] += w;
            slf[dn] += w;
            num[dn] += c;
            slfNum[dn] += c;
            rch[dn]++;
        }
        int[] fineParent = x.parent;
        for (int n = x.fineCount - 1; n > 0; n--) {
            fine[fineParent[n]] += fine[n];
        }
        int[] parent = v.parent;
        for (int n = vc - 1; n > 0; n--) {
            int up = parent[n];
            val[up] += val[n];
            num[up] += num[n];
            rch[up] += rch[n];
        }
        this.fineValue = fine;
        this.value = val;
        this.self = slf;
        this.count = num;
        this.selfCount = slfNum;
        this.reach = rch;
        this.stackValue = byStack;
    }

    /** An estimate of the bytes held, for the cache (without the path index it shares). */
    public long bytes() {
        return 36L * value.length + 8L * fineValue.length + 8L * stackValue.length + 256;
    }

    /** An estimate of the bytes of the path index (per profile and naming) this index reads. */
    public long pathBytes() {
        return paths.bytes();
    }

    /** How many distinct paths of (function, kind of frame) the profile's stacks make. */
    public int paths() {
        return paths.fineCount;
    }

    /** How many nodes the call tree has (paths of function names, hidden ones merged; the root included). */
    public int nodes() {
        return view.count;
    }

    /** The header of a report on this index. */
    Header header() {
        return Header.of(profile, type, total, samples, selection);
    }

    /** The selected value (the root's), after every filter. */
    public long selectedTotal() {
        return value[0];
    }

    /** The selected samples (the root's), after every filter. */
    public long selectedCount() {
        return count[0];
    }

    /** The name of view node {@code n} ({@code all} for the root). */
    String name(int n) {
        return n == 0 ? "all" : paths.names[view.name[n]];
    }

    /** Whether a selected stack passes through view node {@code n}. */
    boolean reached(int n) {
        return reach[n] > 0;
    }

    /** The kind of frame that contributed most of view node {@code n}'s value (UNKNOWN for the root). */
    Frame.Kind kind(int n) {
        long[] byKind = new long[KINDS.length];
        addKinds(n, byKind);
        return mostOf(byKind);
    }

    /** Adds view node {@code n}'s value per kind of frame. */
    void addKinds(int n, long[] byKind) {
        for (int i = view.fineStart[n], end = view.fineStart[n + 1]; i < end; i++) {
            int f = view.fines[i];
            byKind[paths.kind[f]] += fineValue[f];
        }
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

    /** Flat and cum per name (see the class comment), computed once. */
    FlatCum flatCum() {
        FlatCum fc = flatCum;
        if (fc == null) {
            int names = paths.names.length;
            long[] flat = new long[names];
            long[] cum = new long[names];
            long[] flatCount = new long[names];
            long[] cumCount = new long[names];
            boolean[] has = new boolean[names];
            int[] name = view.name;
            boolean[] repeat = view.repeat;
            for (int n = 1; n < view.count; n++) {
                if (reach[n] == 0) {
                    continue;
                }
                int nm = name[n];
                has[nm] = true;
                flat[nm] += self[n];
                flatCount[nm] += selfCount[n];
                if (!repeat[n]) {
                    cum[nm] += value[n];
                    cumCount[nm] += count[n];
                }
            }
            flatCum = fc = new FlatCum(flat, cum, flatCount, cumCount, has);
        }
        return fc;
    }

    /** Children of view node {@code n} that selected stacks reach, in no particular order. */
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
                int[] nameOf = paths.nameOfFrame;
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
        String[] names = paths.names;
        boolean[] m = new boolean[names.length];
        boolean any = false;
        for (int i = 0; i < names.length; i++) {
            m[i] = fc.has[i] && regex.find(names[i]);
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
            throw new ReportException("--sample-index '" + s.sampleIndex() + "' does not fit event "
                    + p.meta().event() + ": it has " + String.join(", ",
                    p.valueTypes().stream().map(ValueType::type).toList()));
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
