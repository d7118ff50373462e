package dev.proflab.viewer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.export.FrameColors;
import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.report.PathTable;
import dev.proflab.report.Regex;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The samples of a profile that pass the filters, merged into one call tree (root first) for the
 * browser's flame graph: {@code {"name", "self", "total", "kind", "category", "color", "children"}}.
 * Nodes smaller than {@code minFraction} of the root are pruned (their value stays in the parent's
 * total, so the parent shows a gap, as flame graphs do).
 *
 * <p>Fast on millions of samples: the call tree of every distinct stack is built once per profile
 * (an {@link Index}: one node per path of (function, frame kind), and its merge by function name);
 * a request then only sums the samples that pass the time range and thread filter per stack, adds
 * each stack's value to its leaf node and sums the nodes up to the root: no string hashing and no
 * walking of stacks per request, except for {@code hide}, which re-merges the nodes once. The
 * unfiltered tree, what the page asks first, is computed once and kept ({@link #cached}).
 */
final class FlameTree {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Frame.Kind[] KINDS = Frame.Kind.values();
    /** Indexes of the profiles read by viewers in this JVM (weak: a stopped viewer's go away). */
    private static final Map<Profile, Index> INDEXES = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * A time range {@code [from, to)} in nanoseconds since the start of the recording, as
     * {@link Profile#timeOf(int)} counts; {@link #ALL} when neither is given.
     */
    record Range(long from, long to) {
        static final Range ALL = new Range(0, Long.MAX_VALUE);

        boolean all() {
            return from == 0 && to == Long.MAX_VALUE;
        }
    }

    /**
     * Every distinct stack of a profile as paths of a tree, built once. Fine nodes are paths of
     * (function name, frame kind) from the root; display nodes merge them by function name alone.
     * A node's parent always has a smaller id.
     */
    static final class Index {
        final String[] names;
        final String[] types;
        /** Fine nodes: parent, name id, kind ordinal; node 0 is the root. */
        final int fineCount;
        final int[] parent;
        final int[] name;
        final byte[] kind;
        /** The fine node of each stack's leaf. */
        final int[] leafOfStack;
        /** The merge without hidden frames. */
        final Display display;
        /** Values computed once: unfiltered trees and reports ({@link #cached}). */
        final Map<String, Object> cache = new java.util.concurrent.ConcurrentHashMap<>();

        private Index(Profile p) {
            int frames = p.frameCount();
            int[] nameOfFrame = new int[frames];
            byte[] kindOfFrame = new byte[frames];
            Map<String, Integer> ids = new HashMap<>();
            String[] nm = new String[Math.max(16, frames)];
            String[] ty = new String[nm.length];
            int n = 0;
            for (int f = 0; f < frames; f++) {
                Frame fr = p.frame(f);
                String s = fr.name();
                Integer id = ids.get(s);
                if (id == null) {
                    id = n++;
                    ids.put(s, id);
                    nm[id] = s;
                    ty[id] = fr.type();
                }
                nameOfFrame[f] = id;
                kindOfFrame[f] = (byte) fr.kind().ordinal();
            }
            names = Arrays.copyOf(nm, n);
            types = Arrays.copyOf(ty, n);

            int stacks = p.stackCount();
            PathTable fine = new PathTable(Math.max(1024, stacks * 2));
            int[] leaf = new int[stacks];
            for (int st = 0; st < stacks; st++) {
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
            display = new Display(this, null);
        }
    }

    /** Fine nodes merged by name, without the names that {@code hide} matches. */
    static final class Display {
        final int count;
        final int[] parent;
        final int[] name;
        /** Display node of each fine node (a hidden one: its parent's). */
        final int[] of;
        /** Whether the fine node is hidden. */
        final boolean[] hidden;

        Display(Index x, boolean[] hiddenName) {
            // no more nodes than fine ones, nor (hiding only merges) than the merge without hide
            PathTable t = new PathTable(1 + (x.display == null ? x.fineCount : x.display.count));
            int[] of = new int[x.fineCount];
            boolean[] hidden = hiddenName == null ? null : new boolean[x.fineCount];
            for (int n = 1; n < x.fineCount; n++) {
                int up = of[x.parent[n]];
                if (hiddenName != null && hiddenName[x.name[n]]) {
                    hidden[n] = true;
                    of[n] = up;
                } else {
                    of[n] = t.child(up, x.name[n], (byte) 0);
                }
            }
            this.count = t.count;
            this.parent = Arrays.copyOf(t.parent, count);
            this.name = Arrays.copyOf(t.name, count);
            this.of = of;
            this.hidden = hidden;
        }
    }

    private final Index index;
    private final Display display;
    private final long[] total;
    private final long[] self;
    private final byte[] kindOf;
    /** The JSON of the last {@link #json(double)} (a cached tree is asked for the same one again). */
    private Json last;
    private int nodes;
    private int depth;

    /** A tree as JSON (not to be changed: it may be cached), its node count and depth. */
    record Json(ObjectNode root, int nodes, int depth, double minFraction) {
    }

    private FlameTree(Index index, Display display, long[] total, long[] self, byte[] kindOf) {
        this.index = index;
        this.display = display;
        this.total = total;
        this.self = self;
        this.kindOf = kindOf;
    }

    /** The index of a profile, built on first use (the viewer builds it when it reads the profile). */
    static Index index(Profile p) {
        Index x = INDEXES.get(p);
        if (x == null) {
            x = new Index(p);
            INDEXES.put(p, x);
        }
        return x;
    }

    /** Every sample whose thread matches {@code thread}, with a frame matching focus and none matching ignore. */
    static FlameTree of(Profile p, int valueIndex, Regex focus, Regex ignore, Regex thread) {
        return of(p, valueIndex, focus, ignore, null, thread, Range.ALL);
    }

    /**
     * As {@link #of(Profile, int, Regex, Regex, Regex)}, with the frames matching {@code hide}
     * taken out of the stacks (pprof's {@code hide}: their value goes to their callers), and only the
     * samples in the time {@code range}.
     */
    static FlameTree of(Profile p, int valueIndex, Regex focus, Regex ignore, Regex hide, Regex thread,
                        Range range) {
        Index x = index(p);
        if (focus == null && ignore == null && hide == null && thread == null && range.all()) {
            // what the page asks first, and again whenever the filters are cleared
            return cached(p, "flame " + valueIndex, () -> compute(p, x, valueIndex, null, null, null, null, range));
        }
        return compute(p, x, valueIndex, focus, ignore, hide, thread, range);
    }

    /**
     * A value computed once per profile under {@code key} (e.g. an unfiltered report): requests
     * without filters are answered from here. The value must not be changed by its users.
     */
    @SuppressWarnings("unchecked")
    static <T> T cached(Profile p, String key, java.util.function.Supplier<T> compute) {
        return (T) index(p).cache.computeIfAbsent(key, k -> compute.get());
    }

    private static FlameTree compute(Profile p, Index x, int valueIndex, Regex focus, Regex ignore, Regex hide,
                                     Regex thread, Range range) {
        // 1. value per stack, of the samples in the range and of the threads asked for
        boolean[] threadOk = null;
        if (thread != null) {
            threadOk = new boolean[p.threadCount()];
            Map<String, Boolean> byName = new HashMap<>();   // pools repeat names
            for (int t = 0; t < threadOk.length; t++) {
                threadOk[t] = byName.computeIfAbsent(p.threadName(t), thread::find);
            }
        }
        long[] perStack = new long[p.stackCount()];
        boolean timed = !range.all();
        long from = range.from();
        long to = range.to();
        for (int s = 0, n = p.sampleCount(); s < n; s++) {
            if (threadOk != null && !threadOk[p.threadOf(s)]) {
                continue;
            }
            if (timed) {
                long t = p.timeOf(s);
                if (t < from || t >= to) {
                    continue;
                }
            }
            perStack[p.stackOf(s)] += p.value(s, valueIndex);
        }

        // 2. focus / ignore: whether a fine node's path has a matching function
        boolean[] focused = focus == null ? null : pathMatches(x, focus);
        boolean[] ignored = ignore == null ? null : pathMatches(x, ignore);

        // 3. each stack's value on its leaf (self: on the leaf's display node), then summed up to the root
        Display d = hide == null ? x.display : new Display(x, matches(x, hide));
        long[] fineTotal = new long[x.fineCount];
        long[] self = new long[d.count];
        for (int st = 0; st < perStack.length; st++) {
            long v = perStack[st];
            if (v == 0) {
                continue;
            }
            int leaf = x.leafOfStack[st];
            if (focused != null && !focused[leaf] || ignored != null && ignored[leaf]) {
                continue;
            }
            fineTotal[leaf] += v;
            self[d.of[leaf]] += v;
        }
        for (int n = x.fineCount - 1; n > 0; n--) {
            fineTotal[x.parent[n]] += fineTotal[n];
        }

        // 4. merged by name (without hidden functions); a node's kind is the one with most of its value
        long[] total = new long[d.count];
        byte[] kindOf = new byte[d.count];
        Arrays.fill(kindOf, (byte) -1);
        long[][] others = null;
        boolean[] mixed = null;
        total[0] = fineTotal[0];
        for (int n = 1; n < x.fineCount; n++) {
            long v = fineTotal[n];
            if (v == 0 || d.hidden != null && d.hidden[n]) {
                continue;
            }
            int dn = d.of[n];
            total[dn] += v;
            int k = x.kind[n];
            if (kindOf[dn] < 0) {
                kindOf[dn] = (byte) k;
            } else if (kindOf[dn] != k) {
                // several kinds under one name (interpreted, then compiled): the first kind's sum is
                // what is left of the total when the others are taken out
                if (others == null) {
                    others = new long[KINDS.length][];
                    mixed = new boolean[d.count];
                }
                if (others[k] == null) {
                    others[k] = new long[d.count];
                }
                others[k][dn] += v;
                mixed[dn] = true;
            }
        }
        for (int dn = 1; dn < d.count; dn++) {
            if (kindOf[dn] < 0) {
                kindOf[dn] = (byte) Frame.Kind.UNKNOWN.ordinal();
            } else if (mixed != null && mixed[dn]) {
                long[] sums = new long[KINDS.length];
                long rest = total[dn];
                for (int k = 0; k < KINDS.length; k++) {
                    if (others[k] != null) {
                        sums[k] = others[k][dn];
                        rest -= sums[k];
                    }
                }
                sums[kindOf[dn]] += rest;
                int pick = Frame.Kind.UNKNOWN.ordinal();
                long max = 0;
                for (int k = 0; k < sums.length; k++) {
                    if (sums[k] > max) {
                        max = sums[k];
                        pick = k;
                    }
                }
                kindOf[dn] = (byte) pick;
            }
        }
        return new FlameTree(x, d, total, self, kindOf);
    }

    private static boolean[] matches(Index x, Regex re) {
        boolean[] m = new boolean[x.names.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = re.find(x.names[i]);
        }
        return m;
    }

    /** Per fine node: whether it or one of its callers has a function matching {@code re}. */
    private static boolean[] pathMatches(Index x, Regex re) {
        boolean[] byName = matches(x, re);
        boolean[] m = new boolean[x.fineCount];
        for (int n = 1; n < x.fineCount; n++) {
            m[n] = m[x.parent[n]] || byName[x.name[n]];
        }
        return m;
    }

    long total() {
        return total[0];
    }

    /** The tree as JSON, without nodes under {@code minFraction} of the total. */
    synchronized Json json(double minFraction) {
        if (last == null || Double.compare(last.minFraction(), minFraction) != 0) {
            ObjectNode root = toJson(minFraction);
            last = new Json(root, nodes, depth, minFraction);
        }
        return last;
    }

    private ObjectNode toJson(double minFraction) {
        long min = Math.max(1, (long) Math.ceil(total[0] * minFraction));
        nodes = 0;
        depth = 0;
        // children of the nodes shown, sorted by name
        int count = display.count;
        int[] kids = new int[count];
        int[] start = new int[count + 1];
        int shown = 0;
        for (int n = 1; n < count; n++) {
            if (total[n] >= min) {
                start[display.parent[n]]++;
                shown++;
            }
        }
        int at = 0;
        for (int n = 0; n < count; n++) {
            int c = start[n];
            start[n] = at;
            at += c;
        }
        start[count] = at;
        int[] fill = Arrays.copyOf(start, count);
        for (int n = 1; n < count; n++) {
            if (total[n] >= min) {
                kids[fill[display.parent[n]]++] = n;
            }
        }
        return json(0, min, 0, kids, start);
    }

    private ObjectNode json(int n, long min, int level, int[] kids, int[] start) {
        nodes++;
        depth = Math.max(depth, level);
        ObjectNode o = F.objectNode();
        String nm = n == 0 ? "all" : index.names[display.name[n]];
        o.put("name", nm);
        o.put("self", self[n]);
        o.put("total", total[n]);
        FrameColors.Category c;
        if (n == 0) {
            c = FrameColors.Category.ROOT;
            o.put("kind", "root");
        } else {
            Frame.Kind k = KINDS[kindOf[n]];
            c = FrameColors.of(k, index.types[display.name[n]], nm);
            o.put("kind", k.name().toLowerCase(Locale.ROOT));
        }
        o.put("category", c.name().toLowerCase(Locale.ROOT));
        o.put("color", FrameColors.fill(c, nm));
        int from = start[n];
        int to = start[n + 1];
        if (to > from) {
            Integer[] order = new Integer[to - from];
            for (int i = from; i < to; i++) {
                order[i - from] = kids[i];
            }
            Arrays.sort(order, (a, b) -> index.names[display.name[a]].compareTo(index.names[display.name[b]]));
            var arr = o.putArray("children");
            for (int k : order) {
                arr.add(json(k, min, level + 1, kids, start));
            }
        }
        return o;
    }
}
