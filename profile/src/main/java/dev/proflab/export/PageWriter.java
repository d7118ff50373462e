package dev.proflab.export;

import dev.proflab.report.Flame;
import one.convert.ResourceProcessor;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;

/**
 * Writes async-profiler's flame graph page ({@code flame.html} of {@code tools.profiler:jfr-converter}) for a
 * {@link Flame.Table}, as async-profiler's {@code one.convert.FlameGraph} fills it in, byte for byte, but
 * streamed: its tree (an object and a hash map per node, ~200 bytes) and the page in memory (three times, as
 * bytes and strings) made the page of a large profile need several times the heap of any other report.
 * Here each node of the call tree costs a {@code long} and an {@code int} while the page is written, and the
 * page goes out in small pieces.
 *
 * <p>What the page holds, as async-profiler makes it: the names ({@code cpool}), sorted, each with the
 * length of the prefix it shares with the one before; then one line per frame, depth first, children in
 * the order of their names: {@code f(nameAndType,level,dx,total)}, {@code u(...)} for the first child
 * of the frame before, {@code n(...)} for the next sibling; the total left out when it is the frame
 * before's. The values are async-profiler's own: a frame's total is what the stacks ending under it add
 * (a node whose stacks add nothing has no frame), its type is its kind's.
 */
final class PageWriter {

    private static final String[] MARKS = {"/*height:*/300", "/*title:*/", "/*inverted:*/false",
            "/*maxdiff:*/-1", "/*depth:*/0", "/*cpool:*/", "/*frames:*/", "/*highlight:*/"};
    private static final String NO_STACK = "[no stack]";
    private static final int FLUSH = 16 * 1024;

    private final Flame.Table t;
    private final String title;
    private final Writer out;
    private final StringBuilder sb = new StringBuilder(FLUSH + 256);

    /** Per node: the value of the stacks ending at or under it (async-profiler's frame total); 0: no frame. */
    private long[] total;
    /** Per name id: its place among the sorted names (the page's cpool index). */
    private int[] rank;
    /** The root's own value, a frame {@code [no stack]} under the root, and that name's place. */
    private long noStack;
    private int noStackRank;
    /** A child of the root that is that same frame (a native function named {@code [no stack]}), or -1. */
    private int noStackNode = -1;
    private int depth;

    private int lastLevel;
    private long lastX;
    private long lastTotal;

    PageWriter(Flame.Table t, String title, OutputStream out) {
        this.t = t;
        this.title = title;
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }

    void write() throws IOException {
        measure();
        String[] cpool = names();
        String[] page = pieces(t.header().type().unit());
        int levels = depth + 1;
        out.write(page[0]);
        out.write(Integer.toString(Math.min(levels * 16, 32767)));
        out.write(page[1]);
        out.write(title);
        out.write(page[2]);
        out.write("false");
        out.write(page[3]);
        out.write("-1");
        out.write(page[4]);
        out.write(Integer.toString(levels));
        out.write(page[5]);
        writeCpool(cpool);
        cpool = null;
        out.write(page[6]);
        writeFrames();
        out.write(page[7]);
        out.write(page[8]);
        out.flush();
    }

    /** Frame totals, bottom up, and the depth of the deepest stack. */
    private void measure() {
        int count = t.count();
        long[] tot = new long[count];
        int[] level = new int[count];
        for (int n = 1; n < count; n++) {
            if (t.kept(n)) {
                level[n] = level[t.parent(n)] + 1;
                long self = t.self(n);
                if (self > 0) {
                    tot[n] = self;
                    depth = Math.max(depth, level[n]);
                }
            }
        }
        level = null;
        for (int n = count - 1; n > 0; n--) {
            if (tot[n] > 0) {
                tot[t.parent(n)] += tot[n];
            }
        }
        long rootSelf = t.self(0);
        if (rootSelf > 0) {
            noStack = rootSelf;
            depth = Math.max(depth, 1);
        }
        this.total = tot;
    }

    /** The page's names, sorted ({@code ""}, the root's, first), and each name id's place among them. */
    private String[] names() {
        int count = t.count();
        String[] encoded = new String[t.nameCount()];
        int distinct = 0;
        for (int n = 1; n < count; n++) {
            if (total[n] > 0) {
                int id = t.nameId(n);
                if (encoded[id] == null) {
                    encoded[id] = HtmlFlameGraph.encodeName(t.name(id));
                    distinct++;
                }
            }
        }
        if (noStack > 0) {
            for (int c = t.first(0); c != 0; c = t.next(c)) {
                if (NO_STACK.equals(HtmlFlameGraph.encodeName(t.name(t.nameId(c))))
                        && pageType(c) == one.convert.Frame.TYPE_NATIVE) {
                    noStackNode = c;
                    if (encoded[t.nameId(c)] == null) {
                        encoded[t.nameId(c)] = NO_STACK;
                        distinct++;
                    }
                }
            }
        }
        String[] sorted = new String[distinct + 2];
        int k = 0;
        sorted[k++] = "";
        for (String e : encoded) {
            if (e != null) {
                sorted[k++] = e;
            }
        }
        if (noStack > 0) {
            sorted[k++] = NO_STACK;
        }
        Arrays.sort(sorted, 0, k);
        // the same name twice (the root's "" or "[no stack]"): once
        int m = 0;
        for (int i = 0; i < k; i++) {
            if (m == 0 || !sorted[i].equals(sorted[m - 1])) {
                sorted[m++] = sorted[i];
            }
        }
        String[] cpool = Arrays.copyOf(sorted, m);
        int[] r = new int[encoded.length];
        for (int id = 0; id < encoded.length; id++) {
            if (encoded[id] != null) {
                r[id] = Arrays.binarySearch(cpool, encoded[id]);
            }
        }
        noStackRank = noStack > 0 ? Arrays.binarySearch(cpool, NO_STACK) : 0;
        this.rank = r;
        return cpool;
    }

    /** {@code 'all'}, then each name after the first as the length of the prefix it shares (+ 32) and the rest. */
    private void writeCpool(String[] cpool) throws IOException {
        sb.append("'all'");
        String s = "";
        for (int i = 1; i < cpool.length; i++) {
            String next = cpool[i];
            int prefix = Math.min(commonPrefix(s, next), 95);
            s = next;
            sb.append(",\n'");
            appendEscaped((char) (prefix + ' '));
            for (int j = prefix; j < next.length(); j++) {
                appendEscaped(next.charAt(j));
            }
            sb.append('\'');
            flushIfFull();
        }
        out.append(sb);
        sb.setLength(0);
    }

    /** As a JavaScript string between single quotes: backslash and quote escaped. */
    private void appendEscaped(char c) {
        if (c == '\\' || c == '\'') {
            sb.append('\\');
        }
        sb.append(c);
    }

    /** How many leading characters two names share, up to the first that is not ASCII. */
    private static int commonPrefix(String a, String b) {
        int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            if (a.charAt(i) != b.charAt(i) || a.charAt(i) > 127) {
                return i;
            }
        }
        return length;
    }

    /** The frames, depth first from the root, children in the order of their names. */
    private void writeFrames() throws IOException {
        int[][] kids = new int[8][];
        int[] pos = new int[8];
        long[] nextX = new long[8];
        frame(0, 0, 0);
        kids[0] = children(0);
        nextX[0] = 0; // the root has no self of its own: [no stack] is a frame
        int sp = 0;
        while (sp >= 0) {
            if (pos[sp] == kids[sp].length) {
                kids[sp] = null;
                sp--;
                continue;
            }
            int c = kids[sp][pos[sp]++];
            long x = nextX[sp];
            nextX[sp] += frameTotal(c);
            frame(c, sp + 1, x);
            if (++sp == kids.length) {
                kids = Arrays.copyOf(kids, sp * 2);
                pos = Arrays.copyOf(pos, sp * 2);
                nextX = Arrays.copyOf(nextX, sp * 2);
            }
            kids[sp] = c < 0 ? new int[0] : children(c);
            pos[sp] = 0;
            nextX[sp] = x + frameSelf(c);
        }
        out.append(sb);
        sb.setLength(0);
    }

    /** The total of a frame: -1 is the root's {@code [no stack]}. */
    private long frameTotal(int n) {
        return n < 0 ? noStack : n == noStackNode ? total[n] + noStack : n == 0 ? total[0] + noStack : total[n];
    }

    private long frameSelf(int n) {
        if (n < 0) {
            return noStack;
        }
        if (n == 0) {
            return 0;
        }
        long self = Math.max(0, t.self(n));
        return n == noStackNode ? self + noStack : self;
    }

    /** The children of node {@code n} that have a frame, in the order of their names ({@code [no stack]} first). */
    private int[] children(int n) {
        int k = 0;
        for (int c = t.first(n); c != 0; c = t.next(c)) {
            if (total[c] > 0 || c == noStackNode) {
                k++;
            }
        }
        boolean virtual = n == 0 && noStack > 0 && noStackNode < 0;
        long[] keys = new long[virtual ? k + 1 : k];
        k = 0;
        for (int c = t.first(n); c != 0; c = t.next(c)) {
            if (total[c] > 0 || c == noStackNode) {
                keys[k++] = (long) rank[t.nameId(c)] << 32 | c;
            }
        }
        if (virtual) {
            keys[k] = (long) noStackRank << 32 | (virtualFirst(keys.length) ? 0 : count());
        }
        Arrays.sort(keys);
        int[] out = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            int c = (int) keys[i];
            out[i] = c == 0 || c == count() ? -1 : c;
        }
        return out;
    }

    private int count() {
        return t.count();
    }

    /**
     * Whether the root's {@code [no stack]} goes before a function of that name of another type (native ones
     * are the same frame). async-profiler sorts frames by name alone, so the two stay in the order of the
     * root's hash map ({@code one.convert.Frame}), by key: the name's number (1: {@code [no stack]} comes
     * first) and the type in the top bits. While the map has at most 4,096 buckets, both are in one and the
     * later one, the function, is first; beyond, the lower bucket is.
     */
    private boolean virtualFirst(int frames) {
        int same = -1;
        for (int c = t.first(0); c != 0; c = t.next(c)) {
            if (total[c] > 0 && t.nameId(c) >= 0 && rank[t.nameId(c)] == noStackRank) {
                same = c;
            }
        }
        if (same < 0) {
            return true;
        }
        int cap = 16;
        while (frames > cap * 3 / 4) {
            cap *= 2;
        }
        byte type = pageType(same);
        int key = type == one.convert.Frame.TYPE_INTERPRETED || type == one.convert.Frame.TYPE_INLINED
                || type == one.convert.Frame.TYPE_C1_COMPILED ? one.convert.Frame.TYPE_JIT_COMPILED : type;
        int virtualBucket = (1 ^ one.convert.Frame.TYPE_NATIVE << 12) & (cap - 1);
        int bucket = (1 ^ key << 12) & (cap - 1);
        return virtualBucket < bucket;
    }

    /** One frame's line: f, u (first child of the frame before) or n (its next sibling), as async-profiler. */
    private void frame(int n, int level, long x) throws IOException {
        int nameAndType;
        if (n < 0) {
            nameAndType = noStackRank << 3 | one.convert.Frame.TYPE_NATIVE;
        } else if (n == 0) {
            nameAndType = one.convert.Frame.TYPE_NATIVE;
        } else {
            nameAndType = rank[t.nameId(n)] << 3 | pageType(n);
        }
        long tot = frameTotal(n);
        char func = 'f';
        if (level == lastLevel + 1 && x == lastX) {
            func = 'u';
        } else if (level == lastLevel && x == lastX + lastTotal) {
            func = 'n';
        }
        sb.append(func).append('(').append(nameAndType);
        if (func == 'f') {
            sb.append(',').append(level).append(',').append(x - lastX);
        }
        if (tot != lastTotal) {
            sb.append(',').append(tot);
        }
        sb.append(")\n");
        flushIfFull();
        lastLevel = level;
        lastX = x;
        lastTotal = tot;
    }

    /**
     * The type of node {@code n}'s frame. async-profiler keeps interpreted and inlined frames under the key of a
     * compiled one, and then calls a frame by the type of most of its value: here every frame is of one type.
     */
    private byte pageType(int n) {
        return HtmlFlameGraph.type(t.kind(n), t.type(n), t.name(t.nameId(n)));
    }

    private void flushIfFull() throws IOException {
        if (sb.length() > FLUSH) {
            out.append(sb);
            sb.setLength(0);
        }
    }

    /**
     * async-profiler's page cut at the places the data goes ({@link #MARKS}), with two changes: the names
     * are decoded once unpacked, and, for values that are not counts, the tooltip says the unit.
     */
    static String[] pieces(String unit) {
        String page = ResourceProcessor.getResource("/flame.html");
        int at = page.lastIndexOf(HtmlFlameGraph.UNPACKED);
        if (at < 0) {
            throw new IllegalStateException("async-profiler's flame graph page has no 'unpack(cpool);' line");
        }
        int end = at + HtmlFlameGraph.UNPACKED.length();
        page = page.substring(0, end) + HtmlFlameGraph.DECODE + page.substring(end);
        if (!unit.equals("count")) {
            page = HtmlFlameGraph.SAMPLES_FUNCTION.matcher(page)
                    .replaceFirst(Matcher.quoteReplacement(HtmlFlameGraph.unitFunction(unit)));
        }
        String[] pieces = new String[MARKS.length + 1];
        int from = 0;
        for (int i = 0; i < MARKS.length; i++) {
            int mark = page.indexOf(MARKS[i], from);
            if (mark < 0) {
                throw new IllegalStateException("async-profiler's flame graph page has no " + MARKS[i]);
            }
            pieces[i] = page.substring(from, mark);
            from = mark + MARKS[i].length();
        }
        pieces[MARKS.length] = page.substring(from);
        return pieces;
    }
}
