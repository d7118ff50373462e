package dev.proflab.report;

import dev.proflab.io.HeapBudget;
import dev.proflab.profile.Profile;

import java.util.Arrays;

/**
 * Every distinct stack of a profile as a path of a tree, under one naming of frames ({@link Names}):
 * built once per profile and naming ({@link ProfileCache}), derived from the profile alone, immutable.
 *
 * <p>Fine nodes are paths of (name, frame kind) from the root: node 0 is the root, a parent always
 * before its children, each stack ends on one ({@link #leafOfStack}). Their merge by name alone is a
 * {@link View}, the call tree the tree-shaped reports read; {@link #view} has nothing hidden, and
 * {@link #view(boolean[])} merges again without the names a selection hides.
 */
final class Paths {

    final Names names;
    /** Fine nodes: parent, name, kind ordinal. */
    final int fineCount;
    final int[] parent;
    final int[] name;
    final byte[] kind;
    /** The fine node of each stack's leaf (0, the root, for a stack without frames). */
    final int[] leafOfStack;
    /** The merge by name, nothing hidden. */
    final View view;

    private record Key(Names.Naming naming) {
    }

    /** The path index of {@code p} under {@code naming}, from the shared cache. */
    static Paths of(Profile p, Names.Naming naming) {
        return ProfileCache.shared().get(p, new Key(naming), () -> new Paths(p, Names.of(p, naming)), Paths::bytes);
    }

    private Paths(Profile p, Names names) {
        this.names = names;
        int frames = p.frameCount();
        byte[] kindOfFrame = new byte[frames];
        for (int f = 0; f < frames; f++) {
            kindOfFrame[f] = (byte) p.frame(f).kind().ordinal();
        }
        int[] nameOfFrame = names.nameOfFrame;
        int stackCount = p.stackCount();
        PathTable fine = new PathTable(Math.max(1024, stackCount * 2));
        int[] leaf = new int[stackCount];
        for (int st = 0; st < stackCount; st++) {
            if ((st & 4095) == 4095) {
                HeapBudget.check("the call paths of " + stackCount + " stacks");
            }
            int[] stack = p.stack(st);
            int node = 0;
            for (int i = stack.length - 1; i >= 0; i--) {
                int f = stack[i];
                node = fine.child(node, nameOfFrame[f], kindOfFrame[f]);
            }
            leaf[st] = node;
        }
        this.fineCount = fine.count;
        // the children lists and the hash go before the copies are made, the table before the view is built:
        // on a profile of a million paths each is tens of MB
        fine.forgetChildren();
        this.parent = Arrays.copyOf(fine.parent, fineCount);
        fine.parent = null;
        this.name = Arrays.copyOf(fine.name, fineCount);
        fine.name = null;
        this.kind = Arrays.copyOf(fine.kind, fineCount);
        fine = null;
        this.leafOfStack = leaf;
        this.view = new View(this, null, null);
    }

    /** An estimate of the bytes held, for the cache. */
    long bytes() {
        return 9L * fineCount + 4L * leafOfStack.length + view.bytes();
    }

    /** The merge by name without the names {@code hiddenName} marks. */
    View view(boolean[] hiddenName) {
        return new View(this, view, hiddenName);
    }

    /**
     * Fine nodes merged by name, without hidden names: the call tree. A node's parent has a smaller id;
     * {@link #t} lists children and finds a child by name.
     */
    static final class View {
        final int count;
        final int[] parent;
        final int[] name;
        /** Children lists, and nodes by (parent, name). */
        final PathTable t;
        /** View node of each fine node (a hidden one: its parent's). */
        final int[] of;
        private final Paths paths;
        private final boolean[] hiddenName;
        /** {@link #fineStart()} and {@link #fines()}, made on first use (the kinds of frames need them). */
        private volatile int[][] fineLists;
        /** {@link #repeat()}, made on first use. */
        private volatile boolean[] repeat;

        View(Paths x, View all, boolean[] hiddenName) {
            PathTable t = new PathTable(1 + (all == null ? x.fineCount : all.count));
            int[] of = new int[x.fineCount];
            if (all == null) {
                for (int n = 1; n < x.fineCount; n++) {
                    if ((n & 65535) == 0) {
                        HeapBudget.check("the call tree of " + x.fineCount + " call paths");
                    }
                    of[n] = t.child(of[x.parent[n]], x.name[n], (byte) 0);
                }
            } else {
                // merged again from the nodes merged by name, fewer than the fine ones
                int[] ofAll = new int[all.count];
                for (int v = 1; v < all.count; v++) {
                    int up = ofAll[all.parent[v]];
                    ofAll[v] = hiddenName[all.name[v]] ? up : t.child(up, all.name[v], (byte) 0);
                }
                for (int n = 1; n < x.fineCount; n++) {
                    of[n] = ofAll[all.of[n]];
                }
            }
            // made for as many nodes as the paths have: merged by name, a third fewer on a large profile
            t.trim();
            this.t = t;
            this.count = t.count;
            this.parent = t.parent;
            this.name = t.name;
            this.of = of;
            this.paths = x;
            this.hiddenName = hiddenName;
        }

        /** The fine nodes of each view node (hidden ones in none): {@code fines()[fineStart()[n]..fineStart()[n+1])}. */
        int[] fineStart() {
            return fineLists()[0];
        }

        int[] fines() {
            return fineLists()[1];
        }

        private int[][] fineLists() {
            int[][] lists = fineLists;
            if (lists == null) {
                HeapBudget.check("the kinds of frames of " + count + " call tree nodes");
                Paths x = paths;
                int[] start = new int[count + 1];
                for (int n = 1; n < x.fineCount; n++) {
                    if (hiddenName == null || !hiddenName[x.name[n]]) {
                        start[of[n] + 1]++;
                    }
                }
                for (int i = 0; i < count; i++) {
                    start[i + 1] += start[i];
                }
                int[] fill = Arrays.copyOf(start, count);
                int[] list = new int[start[count]];
                for (int n = 1; n < x.fineCount; n++) {
                    if (hiddenName == null || !hiddenName[x.name[n]]) {
                        list[fill[of[n]]++] = n;
                    }
                }
                fineLists = lists = new int[][] {start, list};
            }
            return lists;
        }

        /**
         * Whether a caller of each node has its name (recursion): such a node does not add to its name's cum.
         * Made on first use, walking the tree depth first by its links (no stack), counting the names on the
         * path from the root.
         */
        boolean[] repeat() {
            boolean[] rep = repeat;
            if (rep == null) {
                rep = new boolean[count];
                int[] onPath = new int[paths.names.count()];
                int n = t.first[0];
                while (n != 0) {
                    rep[n] = onPath[name[n]]++ > 0;
                    if (t.first[n] != 0) {
                        n = t.first[n];
                        continue;
                    }
                    // leave n, and its callers while they have no next sibling
                    while (n != 0) {
                        onPath[name[n]]--;
                        if (t.next[n] != 0) {
                            n = t.next[n];
                            break;
                        }
                        n = parent[n];
                    }
                }
                repeat = rep;
            }
            return rep;
        }

        long bytes() {
            int[][] lists = fineLists;
            return 25L * parent.length + 4L * of.length + (lists == null ? 0 : 4L * (lists[0].length + lists[1].length));
        }
    }
}
