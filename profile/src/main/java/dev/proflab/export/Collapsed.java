package dev.proflab.export;

import dev.proflab.profile.Profile;

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
        return render(profile, valueIndex, false);
    }

    /**
     * Collapsed stacks of value {@code valueIndex}; with {@code threads}, each stack starts with a
     * frame {@code [thread name]} (async-profiler's {@code --threads}).
     */
    public static String render(Profile profile, int valueIndex, boolean threads) {
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
