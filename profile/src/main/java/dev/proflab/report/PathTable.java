package dev.proflab.report;

import java.util.Arrays;

/**
 * Nodes by (parent, name, kind); node 0 is the root, a child always after its parent. A node's
 * children are a list while they are few, then also in an open-addressing table.
 * Shared by the flame graph of the viewer and {@link Diff}: the distinct stacks of a profile as paths of
 * a tree, interned once, so that a request adds values along int arrays instead of hashing names. The
 * arrays are read directly on those hot paths; only {@link #child} adds to them.
 */
public final class PathTable {
    private static final int LIST = 12;
    public int count = 1;
    public int[] parent;
    public int[] name;
    public byte[] kind;
    public int[] first;
    public int[] next;
    private int[] fan;
    private long[] keys = new long[1024];
    private int[] values = new int[1024];
    private int hashed;

    public PathTable(int capacity) {
        parent = new int[capacity];
        name = new int[capacity];
        kind = new byte[capacity];
        first = new int[capacity];
        next = new int[capacity];
        fan = new int[capacity];
        name[0] = -1;
        parent[0] = -1;
        Arrays.fill(values, -1);
    }

    /**
     * Lets go of the children lists and the table of nodes by key, when only {@link #parent}, {@link #name} and
     * {@link #kind} are read any more: {@link #find} and {@link #child} no longer work.
     */
    void forgetChildren() {
        first = null;
        next = null;
        fan = null;
        keys = null;
        values = null;
    }

    /** Shrinks the arrays to the nodes there are (a table made as large as it could become). */
    void trim() {
        if (count < parent.length) {
            parent = Arrays.copyOf(parent, count);
            name = Arrays.copyOf(name, count);
            kind = Arrays.copyOf(kind, count);
            first = Arrays.copyOf(first, count);
            next = Arrays.copyOf(next, count);
            fan = Arrays.copyOf(fan, count);
        }
    }

    /** The child of {@code up} with this name and kind, or -1. */
    public int find(int up, int nameId, byte k) {
        if (fan[up] <= LIST) {
            for (int c = first[up]; c != 0; c = next[c]) {
                if (name[c] == nameId && kind[c] == k) {
                    return c;
                }
            }
            return -1;
        }
        long key = key(up, nameId, k);
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; values[i] >= 0; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
        }
        return -1;
    }

    /** The child of {@code up} with this name and kind, added when missing. */
    public int child(int up, int nameId, byte k) {
        int c = find(up, nameId, k);
        if (c >= 0) {
            return c;
        }
        int id = count++;
        if (id == parent.length) {
            int n = id * 2;
            parent = Arrays.copyOf(parent, n);
            name = Arrays.copyOf(name, n);
            kind = Arrays.copyOf(kind, n);
            first = Arrays.copyOf(first, n);
            next = Arrays.copyOf(next, n);
            fan = Arrays.copyOf(fan, n);
        }
        parent[id] = up;
        name[id] = nameId;
        kind[id] = k;
        next[id] = first[up];
        first[up] = id;
        int f = ++fan[up];
        if (f == LIST + 1) {
            for (int ch = first[up]; ch != 0; ch = next[ch]) {
                insert(ch);
            }
        } else if (f > LIST + 1) {
            insert(id);
        }
        return id;
    }

    private static long key(int up, int nameId, int k) {
        return (long) up << 32 | (long) nameId << 3 | k;
    }

    private void insert(int node) {
        if ((hashed + 1) * 2 > keys.length) {
            long[] k2 = new long[keys.length * 2];
            int[] v2 = new int[keys.length * 2];
            Arrays.fill(v2, -1);
            int mask = k2.length - 1;
            for (int i = 0; i < keys.length; i++) {
                if (values[i] >= 0) {
                    int j = mix(keys[i]) & mask;
                    while (v2[j] >= 0) {
                        j = (j + 1) & mask;
                    }
                    k2[j] = keys[i];
                    v2[j] = values[i];
                }
            }
            keys = k2;
            values = v2;
        }
        long key = key(parent[node], name[node], kind[node]);
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (values[i] >= 0) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = node;
        hashed++;
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29) ^ (h >>> 47));
    }
}
