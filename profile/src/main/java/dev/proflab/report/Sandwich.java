package dev.proflab.report;

import dev.proflab.profile.Profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sandwich of one function: who calls it, drawn as an upside-down flame graph above it, and what it calls,
 * as a flame graph below it (speedscope's sandwich view; {@code peek} is its text form, one level each way).
 * Both trees have the function at their root and are made of the selected stacks that have the function on
 * them: the callers tree follows each such stack from the function to the stack's root ({@code Thread.run},
 * {@code main}), the callees tree from the function to the frame that was running. The root's total is the
 * function's cum ({@code top --cum}): each stack counts once.
 *
 * <p><b>Recursion.</b> A stack on which the function appears more than once is cut at its <em>outermost</em>
 * call, the one nearest the stack's root, as speedscope does ({@code getInvertedProfileForCallersOf} and
 * {@code getProfileForCalleesOf} stop at the first node of the function from the root). So the callers tree
 * holds no call of the function below its root, and the callees tree shows the recursion as it happened
 * ({@code f -> g -> f -> h}): every sample is counted once in each tree, and the root's total is the same
 * in both and equal to the function's cum (pprof's cum, which counts a stack once however deep it recurses).
 *
 * <p>A node's {@code total} is the value of the stacks through it; its {@code self} the value of those that
 * end there: in the callees tree where the frame was running, in the callers tree where the stack's root is
 * (the function's own {@code self} in the callers tree is the value of the stacks on which nothing called it).
 * Pure function of the profile and the selection (focus, ignore, hide, thread, time range, value, naming).
 */
public final class Sandwich {

    /**
     * A sandwich.
     *
     * @param header the file, event, value, total and filters, as every report's
     * @param function the function's name, as the selection names it ({@code package.Class.method})
     * @param total the value of the selected stacks that have the function on them (its cum)
     * @param callers the function, then its callers, then theirs, up to the stacks' roots; children by name
     * @param callees the function, then what it calls, down to the frames that were running; children by name
     * @param nodes how many nodes the two trees have together
     */
    public record Result(Header header, String function, long total, Flame.Node callers, Flame.Node callees,
                         int nodes) {
    }

    private Sandwich() {
    }

    /**
     * The sandwich of the function named exactly {@code function} in {@code profile} through {@code selection}.
     *
     * @param minFraction leave out nodes whose total is under this fraction of the function's total (0: only
     *     nodes without value are left out)
     * @return empty when no selected stack has the function on it
     * @throws ReportException as {@link CallIndex#of}
     */
    public static Optional<Result> compute(Profile profile, Selection selection, String function, double minFraction) {
        return compute(CallIndex.of(profile, selection), function, minFraction);
    }

    /**
     * The same of an index. Read from its call tree, as speedscope does: the nodes of the function that no node of
     * it is above (the outermost calls) are found from the root down; the callers tree merges the paths from each
     * up to the root, by name, each with the value of its node; the callees tree merges the subtrees under them, by
     * name. Nodes under the threshold are left out as the trees are built, with everything beyond them.
     */
    public static Optional<Result> compute(CallIndex x, String function, double minFraction) {
        if (!(minFraction >= 0 && minFraction <= 1)) {
            throw new IllegalArgumentException("minFraction " + minFraction + " is not from 0 to 1");
        }
        String[] names = x.names.names;
        int fn = -1;
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(function)) {
                fn = i;
                break;
            }
        }
        if (fn < 0) {
            return Optional.empty();
        }
        CallIndex.Tree t = x.tree();
        int[] outer = outermost(t, fn);
        long total = 0;
        for (int n : outer) {
            total += t.value[n];
        }
        if (outer.length == 0 || total == 0) {
            return Optional.empty();
        }
        long min = Math.max(1, (long) Math.ceil(total * minFraction));
        long[] weights = new long[outer.length];
        for (int i = 0; i < outer.length; i++) {
            weights[i] = t.value[outer[i]];
        }
        int[] count = new int[1];
        Flame.Node callers = callers(t, outer, weights, min, count);
        Flame.Node callees = callees(t, outer, min, count);
        return Optional.of(new Result(x.header(), function, total, callers, callees, count[0]));
    }

    /**
     * The two trees of the sandwich as profiles of their own, for what reads profiles rather than trees (a comparison
     * of two sandwiches, {@link Diff}): of each sample that {@code selection} selects with the function on its stack
     * (the frames it hides taken out), the callers profile keeps the part of the stack from the function's outermost
     * call to the stack's root, turned over so that the function is the root; the callees profile the part from that
     * call to the frame that was running. Threads, times and every value are the sample's; the metadata is
     * {@code profile}'s. A report of either profile without filters is the corresponding tree of {@link #compute}
     * under {@code all}.
     *
     * <p>As one side of a comparison: a regular expression of the selection that matches nothing in this profile is
     * no error, it selects what it would select of a profile without a match (a focus, nothing; an ignore or a hide,
     * everything).
     *
     * @return the callers and the callees profiles, without samples when none has the function
     * @throws ReportException when the sample index does not fit the profile
     */
    public static Profile[] profiles(Profile profile, Selection selection, String function) {
        Profile q = Selected.profile(profile, selection, CallIndex.lenient(profile, selection, ""));
        Names names = Names.of(q, Names.Naming.of(selection));
        int fn = -1;
        for (int i = 0; i < names.names.length; i++) {
            if (names.names[i].equals(function)) {
                fn = i;
                break;
            }
        }
        Profile.Builder up = new Profile.Builder(q.meta(), q.valueTypes()).defaultValueIndex(q.defaultValueIndex());
        Profile.Builder down = new Profile.Builder(q.meta(), q.valueTypes()).defaultValueIndex(q.defaultValueIndex());
        int[] upFrames = new int[q.frameCount()];
        int[] downFrames = new int[q.frameCount()];
        Arrays.fill(upFrames, -1);
        Arrays.fill(downFrames, -1);
        int[] upStacks = new int[q.stackCount()];
        int[] downStacks = new int[q.stackCount()];
        Arrays.fill(upStacks, -2);   // -2: not seen yet, -1: without the function
        int[] upThreads = new int[q.threadCount()];
        int[] downThreads = new int[q.threadCount()];
        Arrays.fill(upThreads, -1);
        Arrays.fill(downThreads, -1);
        int[] nameOf = names.nameOfFrame;
        long[] values = new long[q.valueTypes().size()];
        for (int i = 0, n = q.sampleCount(); i < n && fn >= 0; i++) {
            int st = q.stackOf(i);
            if (upStacks[st] == -2) {
                int[] frames = q.stack(st);   // leaf first
                int outer = -1;
                for (int k = frames.length - 1; k >= 0; k--) {
                    if (nameOf[frames[k]] == fn) {
                        outer = k;
                        break;
                    }
                }
                if (outer < 0) {
                    upStacks[st] = downStacks[st] = -1;
                } else {
                    // callers, leaf first: the stack's root first, the function last (the root of this profile)
                    int[] a = new int[frames.length - outer];
                    for (int k = 0; k < a.length; k++) {
                        a[k] = frame(up, q, upFrames, frames[frames.length - 1 - k]);
                    }
                    upStacks[st] = up.stack(a);
                    int[] b = new int[outer + 1];
                    for (int k = 0; k <= outer; k++) {
                        b[k] = frame(down, q, downFrames, frames[k]);
                    }
                    downStacks[st] = down.stack(b);
                }
            }
            if (upStacks[st] < 0) {
                continue;
            }
            int th = q.threadOf(i);
            if (upThreads[th] < 0) {
                upThreads[th] = up.thread(q.threadName(th));
                downThreads[th] = down.thread(q.threadName(th));
            }
            for (int v = 0; v < values.length; v++) {
                values[v] = q.value(i, v);
            }
            up.sample(upStacks[st], upThreads[th], q.timeOf(i), q.recordsOf(i), values);
            down.sample(downStacks[st], downThreads[th], q.timeOf(i), q.recordsOf(i), values);
        }
        return new Profile[] {up.build(), down.build()};
    }

    private static int frame(Profile.Builder b, Profile q, int[] ids, int f) {
        if (ids[f] < 0) {
            ids[f] = b.frame(q.frame(f));
        }
        return ids[f];
    }

    /** The reached nodes named {@code fn} with no node of that name above them, from the root down. */
    private static int[] outermost(CallIndex.Tree t, int fn) {
        int[] name = t.view.name;
        int[] found = new int[8];
        int k = 0;
        int[] todo = new int[64];
        int top = 0;
        todo[top++] = 0;
        while (top > 0) {
            int n = todo[--top];
            for (int c = t.view.t.first[n]; c != 0; c = t.view.t.next[c]) {
                if (t.reach[c] <= 0) {
                    continue;
                }
                if (name[c] == fn) {
                    if (k == found.length) {
                        found = Arrays.copyOf(found, 2 * k);
                    }
                    found[k++] = c;
                } else {
                    if (top == todo.length) {
                        todo = Arrays.copyOf(todo, 2 * top);
                    }
                    todo[top++] = c;
                }
            }
        }
        return Arrays.copyOf(found, k);
    }

    /**
     * A node of the callers tree: {@code at} are call-tree nodes of one name, each on the path from one outermost
     * call up to the root, with that call's value in {@code weights}. Its children are their parents, by name.
     */
    private static Flame.Node callers(CallIndex.Tree t, int[] at, long[] weights, long min, int[] count) {
        count[0]++;
        int[] parent = t.view.parent;
        int[] name = t.view.name;
        long total = 0;
        long self = 0;
        long[] byKind = new long[CallIndex.KINDS.length];
        Map<Integer, int[]> groups = new HashMap<>();   // name -> indexes into at
        Map<Integer, Integer> sizes = new HashMap<>();
        for (int i = 0; i < at.length; i++) {
            total += weights[i];
            t.addKinds(at[i], byKind);
            int up = parent[at[i]];
            if (up == 0) {
                self += weights[i];   // the stack's root
                continue;
            }
            int nm = name[up];
            int size = sizes.merge(nm, 1, Integer::sum);
            int[] g = groups.computeIfAbsent(nm, k -> new int[4]);
            if (size > g.length) {
                g = Arrays.copyOf(g, 2 * g.length);
                groups.put(nm, g);
            }
            g[size - 1] = i;
        }
        List<Flame.Node> kids = new ArrayList<>();
        for (Map.Entry<Integer, int[]> e : groups.entrySet()) {
            int size = sizes.get(e.getKey());
            int[] g = e.getValue();
            int[] ups = new int[size];
            long[] w = new long[size];
            long sum = 0;
            for (int j = 0; j < size; j++) {
                ups[j] = parent[at[g[j]]];
                w[j] = weights[g[j]];
                sum += w[j];
            }
            if (sum >= min) {
                kids.add(callers(t, ups, w, min, count));
            }
        }
        return node(t, name[at[0]], byKind, self, total, kids);
    }

    /** A node of the callees tree: {@code at} are call-tree nodes of one name; its children are theirs, by name. */
    private static Flame.Node callees(CallIndex.Tree t, int[] at, long min, int[] count) {
        count[0]++;
        int[] name = t.view.name;
        long total = 0;
        long self = 0;
        long[] byKind = new long[CallIndex.KINDS.length];
        Map<Integer, int[]> groups = new HashMap<>();   // name -> children of that name
        Map<Integer, Integer> sizes = new HashMap<>();
        Map<Integer, Long> sums = new HashMap<>();
        for (int n : at) {
            total += t.value[n];
            self += t.self[n];
            t.addKinds(n, byKind);
            for (int c = t.view.t.first[n]; c != 0; c = t.view.t.next[c]) {
                if (t.reach[c] <= 0) {
                    continue;
                }
                int nm = name[c];
                int size = sizes.merge(nm, 1, Integer::sum);
                sums.merge(nm, t.value[c], Long::sum);
                int[] g = groups.computeIfAbsent(nm, k -> new int[4]);
                if (size > g.length) {
                    g = Arrays.copyOf(g, 2 * g.length);
                    groups.put(nm, g);
                }
                g[size - 1] = c;
            }
        }
        List<Flame.Node> kids = new ArrayList<>();
        for (Map.Entry<Integer, int[]> e : groups.entrySet()) {
            if (sums.get(e.getKey()) >= min) {
                kids.add(callees(t, Arrays.copyOf(e.getValue(), sizes.get(e.getKey())), min, count));
            }
        }
        return node(t, name[at[0]], byKind, self, total, kids);
    }

    private static Flame.Node node(CallIndex.Tree t, int name, long[] byKind, long self, long total,
                                   List<Flame.Node> kids) {
        kids.sort((a, b) -> a.name().compareTo(b.name()));
        return new Flame.Node(t.x.names.names[name], t.x.names.types[name], CallIndex.mostOf(byKind), self, total,
                List.copyOf(kids));
    }
}
