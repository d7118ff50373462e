package dev.proflab.report;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;

import java.util.ArrayList;
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

    /** The same of an index. */
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
        int target = fn;
        int[] nameOf = x.names.nameOfFrame;
        Profile p = x.profile;
        Frame.Kind[] kindOf = new Frame.Kind[p.frameCount()];
        Node callers = new Node(fn);
        Node callees = new Node(fn);
        x.forEachStack((frames, w) -> {
            int outer = -1;   // frames are leaf first: the last occurrence is the outermost call
            for (int i = frames.length - 1; i >= 0; i--) {
                if (nameOf[frames[i]] == target) {
                    outer = i;
                    break;
                }
            }
            if (outer < 0) {
                return;
            }
            Node up = callers.add(w, kind(p, kindOf, frames[outer]));
            for (int i = outer + 1; i < frames.length; i++) {
                up = up.child(nameOf[frames[i]]).add(w, kind(p, kindOf, frames[i]));
            }
            up.self += w;
            Node down = callees.add(w, kind(p, kindOf, frames[outer]));
            for (int i = outer - 1; i >= 0; i--) {
                down = down.child(nameOf[frames[i]]).add(w, kind(p, kindOf, frames[i]));
            }
            down.self += w;
        });
        if (callers.total == 0) {
            return Optional.empty();
        }
        long min = Math.max(1, (long) Math.ceil(callers.total * minFraction));
        int[] count = new int[1];
        Flame.Node a = callers.toFlame(x.names, min, count);
        Flame.Node b = callees.toFlame(x.names, min, count);
        return Optional.of(new Result(x.header(), function, callers.total, a, b, count[0]));
    }

    private static Frame.Kind kind(Profile p, Frame.Kind[] kindOf, int f) {
        Frame.Kind k = kindOf[f];
        if (k == null) {
            kindOf[f] = k = p.frame(f).kind();
        }
        return k;
    }

    /** A node as the trees are built: by name, its value, and its value per kind of frame. */
    private static final class Node {
        final int name;
        long total;
        long self;
        final long[] byKind = new long[CallIndex.KINDS.length];
        Map<Integer, Node> children;

        Node(int name) {
            this.name = name;
        }

        Node add(long w, Frame.Kind kind) {
            total += w;
            byKind[kind.ordinal()] += w;
            return this;
        }

        Node child(int name) {
            if (children == null) {
                children = new HashMap<>();
            }
            return children.computeIfAbsent(name, Node::new);
        }

        Flame.Node toFlame(Names names, long min, int[] count) {
            count[0]++;
            List<Flame.Node> kids = List.of();
            if (children != null) {
                List<Node> kept = new ArrayList<>();
                for (Node c : children.values()) {
                    if (c.total >= min) {
                        kept.add(c);
                    }
                }
                kept.sort((m, n) -> names.names[m.name].compareTo(names.names[n.name]));
                List<Flame.Node> list = new ArrayList<>(kept.size());
                for (Node c : kept) {
                    list.add(c.toFlame(names, min, count));
                }
                kids = List.copyOf(list);
            }
            return new Flame.Node(names.names[name], names.types[name], CallIndex.mostOf(byKind), self, total, kids);
        }
    }
}
