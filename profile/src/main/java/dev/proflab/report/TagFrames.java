package dev.proflab.report;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;

import java.util.Arrays;
import java.util.List;

/**
 * A profile split by labels: pprof's {@code -tagroot} and {@code -tagleaf}. Each sample's stack gets a pseudo frame
 * {@code KEY:VALUE} per key, above its root (the first key outermost) or below its leaf (the last key innermost), so
 * that every report splits by them: {@code tree} shows one tree per file, {@code top} a row per value. A sample with
 * several values of a key gets them joined by commas ({@code KEY:v1,v2}); one without the key
 * {@code KEY:[none]}. The key {@code thread} is the sample's thread. Samples, threads, labels, times and values are
 * those of the profile; the pseudo frames are of kind {@link Frame.Kind#UNKNOWN} with no class, so {@code --focus}
 * and the others find them by {@code KEY:VALUE} as they find functions.
 */
public final class TagFrames {

    /** The value of a pseudo frame for a sample without the key. */
    public static final String NONE = "[none]";

    private TagFrames() {
    }

    /**
     * The profile with pseudo frames for {@code rootKeys} and {@code leafKeys}; {@code p} itself when both are
     * empty.
     */
    public static Profile of(Profile p, List<String> rootKeys, List<String> leafKeys) {
        if (rootKeys.isEmpty() && leafKeys.isEmpty()) {
            return p;
        }
        Profile.Builder b = new Profile.Builder(p.meta(), p.valueTypes()).defaultValueIndex(p.defaultValueIndex());
        int[] frameIds = new int[p.frameCount()];
        for (int f = 0; f < frameIds.length; f++) {
            frameIds[f] = b.frame(p.frame(f));
        }
        int[] threadIds = new int[p.threadCount()];
        for (int t = 0; t < threadIds.length; t++) {
            threadIds[t] = b.thread(p.threadName(t));
        }
        int[] setIds = new int[p.labelSetCount()];
        for (int s = 1; s < setIds.length; s++) {
            setIds[s] = b.labelSet(p, s);
        }
        // per (stack, (label set, thread)) of the input: the stack of the output
        java.util.Map<Long, Integer> pairOf = new java.util.HashMap<>();
        java.util.Map<Long, Integer> stackOf = new java.util.HashMap<>();
        int[] roots = new int[rootKeys.size()];
        int[] leaves = new int[leafKeys.size()];
        boolean byThread = rootKeys.contains(TagFilter.THREAD) || leafKeys.contains(TagFilter.THREAD);
        long[] values = new long[p.valueTypes().size()];
        for (int i = 0, n = p.sampleCount(); i < n; i++) {
            int st = p.stackOf(i);
            int ls = p.labelSetOf(i);
            int th = p.threadOf(i);
            long pairKey = (long) ls << 32 | (byThread ? th : 0);
            Integer pair = pairOf.get(pairKey);
            if (pair == null) {
                pair = pairOf.size();
                pairOf.put(pairKey, pair);
            }
            long key = (long) st << 32 | pair;
            Integer out = stackOf.get(key);
            if (out == null) {
                int[] frames = p.stack(st); // leaf first
                pseudo(b, p, ls, th, leafKeys, leaves);
                pseudo(b, p, ls, th, rootKeys, roots);
                int[] ids = new int[leaves.length + frames.length + roots.length];
                int k = 0;
                for (int l = leaves.length - 1; l >= 0; l--) {
                    ids[k++] = leaves[l]; // the last key nearest the leaf
                }
                for (int f : frames) {
                    ids[k++] = frameIds[f];
                }
                for (int r = roots.length - 1; r >= 0; r--) {
                    ids[k++] = roots[r]; // the first key outermost
                }
                out = b.stack(ids);
                stackOf.put(key, out);
            }
            for (int v = 0; v < values.length; v++) {
                values[v] = p.value(i, v);
            }
            b.sample(out, threadIds[th], setIds[ls], p.timeOf(i), p.recordsOf(i), values);
        }
        return b.build();
    }

    /** The pseudo frames of {@code keys} for label set {@code ls} and thread {@code th}, into {@code into}. */
    private static void pseudo(Profile.Builder b, Profile p, int ls, int th, List<String> keys, int[] into) {
        for (int k = 0; k < keys.size(); k++) {
            String key = keys.get(k);
            String value;
            if (key.equals(TagFilter.THREAD)) {
                value = p.threadName(th);
            } else {
                List<String> vs = p.labelValues(ls, key);
                value = vs.isEmpty() ? NONE : String.join(",", vs);
            }
            into[k] = b.frame(new Frame("", key + ":" + value, "", 0, Frame.Kind.UNKNOWN));
        }
    }

    /** Keys given as pprof takes them: {@code a,b} in one value, or the option repeated; blanks left out. */
    public static List<String> keys(List<String> values) {
        if (values == null) {
            return List.of();
        }
        return values.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::strip)
                .filter(k -> !k.isEmpty()).toList();
    }
}
