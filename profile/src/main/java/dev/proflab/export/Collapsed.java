package dev.proflab.export;

import dev.proflab.profile.Profile;
import dev.proflab.report.Diff;
import dev.proflab.report.Flame;
import dev.proflab.report.Selection;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collapsed stacks, the text format of Brendan Gregg's {@code flamegraph.pl} (and of
 * async-profiler's {@code collapsed} output, speedscope, Pyroscope's import): one line per distinct
 * stack, frames root first separated by {@code ;}, then a space and the value:
 *
 * <pre>
 * java.lang.Thread.run;dev.proflab.labs.fib.Fib.recursive;dev.proflab.labs.fib.Fib.recursive 1234
 * </pre>
 *
 * Frames are {@link dev.proflab.profile.Frame#name() package.Class.method}; stacks that differ only in
 * lines are one line. Lines are sorted, so the output of one profile is always the same. Samples
 * without a stack are {@code [no stack]}; stacks whose value is 0 are left out.
 */
public final class Collapsed {

    private Collapsed() {
    }

    /** Collapsed stacks of value {@code valueIndex}. */
    public static String render(Profile profile, int valueIndex) {
        return render(Flame.compute(profile, Selection.all().withSampleIndex(String.valueOf(valueIndex)), 0));
    }

    /** Collapsed stacks of {@code profile} through {@code selection} (hidden frames are not in them). */
    public static String render(Profile profile, Selection selection) {
        return render(Flame.compute(profile, selection, 0));
    }

    /** The stacks of a {@link Flame} report: one line per node where stacks end, sorted. */
    public static String render(Flame.Result flame) {
        Map<String, long[]> lines = new TreeMap<>();
        Flame.Node root = flame.root();
        if (root.self() != 0) {
            lines.computeIfAbsent("[no stack]", k -> new long[1])[0] += root.self();
        }
        StringBuilder path = new StringBuilder();
        for (Flame.Node c : root.children()) {
            collect(c, path, lines);
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, long[]> e : lines.entrySet()) {
            if (e.getValue()[0] != 0) {
                sb.append(e.getKey()).append(' ').append(e.getValue()[0]).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * A comparison as {@code difffolded.pl} writes it: {@code stack base new} per stack, the raw values
     * of each side (a stack only one side has is 0 on the other).
     */
    public static String render(Diff.Result diff) {
        Map<String, long[]> lines = new TreeMap<>();
        Diff.Node root = diff.root();
        if (root.baseSelf() != 0 || root.self() != 0) {
            long[] v = lines.computeIfAbsent("[no stack]", k -> new long[2]);
            v[0] += root.baseSelf();
            v[1] += root.self();
        }
        StringBuilder path = new StringBuilder();
        for (Diff.Node c : root.children()) {
            collect(c, path, lines);
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, long[]> e : lines.entrySet()) {
            long[] v = e.getValue();
            if (v[0] != 0 || v[1] != 0) {
                sb.append(e.getKey()).append(' ').append(v[0]).append(' ').append(v[1]).append('\n');
            }
        }
        return sb.toString();
    }

    private static void collect(Diff.Node n, StringBuilder path, Map<String, long[]> lines) {
        int mark = path.length();
        if (mark > 0) {
            path.append(';');
        }
        path.append(clean(n.name()));
        if (n.baseSelf() != 0 || n.self() != 0) {
            long[] v = lines.computeIfAbsent(path.toString(), k -> new long[2]);
            v[0] += n.baseSelf();
            v[1] += n.self();
        }
        for (Diff.Node c : n.children()) {
            collect(c, path, lines);
        }
        path.setLength(mark);
    }

    private static void collect(Flame.Node n, StringBuilder path, Map<String, long[]> lines) {
        int mark = path.length();
        if (mark > 0) {
            path.append(';');
        }
        path.append(clean(n.name()));
        if (n.self() != 0) {
            lines.computeIfAbsent(path.toString(), k -> new long[1])[0] += n.self();
        }
        for (Flame.Node c : n.children()) {
            collect(c, path, lines);
        }
        path.setLength(mark);
    }

    /**
     * Collapsed stacks of value {@code valueIndex}; with {@code threads}, each stack starts with a
     * frame {@code [thread name]} (async-profiler's {@code --threads}): a split by thread that the call
     * tree of a selection does not keep, so it is summed from the samples here.
     */
    public static String render(Profile profile, int valueIndex, boolean threads) {
        if (!threads) {
            return render(profile, valueIndex);
        }
        // Sum per stack (and thread) first: hashing the text of every sample would be slow.
        Map<Long, long[]> perKey = new HashMap<>();
        long[] perStack = threads ? null : new long[profile.stackCount()];
        for (int s = 0; s < profile.sampleCount(); s++) {
            long v = profile.value(s, valueIndex);
            if (threads) {
                perKey.computeIfAbsent((long) profile.stackOf(s) << 32 | profile.threadOf(s), k -> new long[1])[0] += v;
            } else {
                perStack[profile.stackOf(s)] += v;
            }
        }
        String[] stackText = new String[profile.stackCount()];
        Map<String, long[]> lines = new TreeMap<>();
        if (threads) {
            for (Map.Entry<Long, long[]> e : perKey.entrySet()) {
                int stackId = (int) (e.getKey() >>> 32);
                String text = stackText[stackId] == null ? stackText[stackId] = stackText(profile, stackId)
                        : stackText[stackId];
                String thread = clean(profile.threadName((int) (long) e.getKey()));
                lines.computeIfAbsent("[" + thread + "];" + text, k -> new long[1])[0] += e.getValue()[0];
            }
        } else {
            for (int id = 0; id < perStack.length; id++) {
                if (perStack[id] != 0) {
                    lines.computeIfAbsent(stackText(profile, id), k -> new long[1])[0] += perStack[id];
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, long[]> e : lines.entrySet()) {
            if (e.getValue()[0] != 0) {
                sb.append(e.getKey()).append(' ').append(e.getValue()[0]).append('\n');
            }
        }
        return sb.toString();
    }

    private static String stackText(Profile profile, int stackId) {
        int[] stack = profile.stack(stackId);
        if (stack.length == 0) {
            return "[no stack]";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = stack.length - 1; i >= 0; i--) {
            if (i < stack.length - 1) {
                sb.append(';');
            }
            sb.append(clean(profile.frame(stack[i]).name()));
        }
        return sb.toString();
    }

    /** Frame names must not contain the separators: ';' between frames, a newline between stacks. */
    private static String clean(String name) {
        if (name.indexOf(';') < 0 && name.indexOf('\n') < 0 && name.indexOf('\r') < 0) {
            return name;
        }
        return name.replace(';', ':').replace('\n', ' ').replace('\r', ' ');
    }
}
