package dev.proflab.report;

import dev.proflab.profile.Profile;

import java.util.Arrays;

/**
 * The profile bottom-up: every stack turned over, so that its root is the frame that was running (async-profiler's
 * {@code --reverse}, pprof's inverted call graph). A report of it is the inverted view: {@code tree} lists first
 * the frames the time was spent in, below each its callers; {@code peek} and {@code traces} read it alike. Samples,
 * threads, times and values are those of the profile; only the order of each stack's frames changes.
 */
public final class Inverted {

    private Inverted() {
    }

    public static Profile of(Profile p) {
        Profile.Builder b = new Profile.Builder(p.meta(), p.valueTypes()).defaultValueIndex(p.defaultValueIndex());
        int[] frameIds = new int[p.frameCount()];
        Arrays.fill(frameIds, -1);
        int[] stackIds = new int[p.stackCount()];
        Arrays.fill(stackIds, -1);
        int[] threadIds = new int[p.threadCount()];
        Arrays.fill(threadIds, -1);
        int[] setIds = new int[p.labelSetCount()];
        long[] values = new long[p.valueTypes().size()];
        for (int i = 0, n = p.sampleCount(); i < n; i++) {
            int st = p.stackOf(i);
            if (stackIds[st] < 0) {
                int[] frames = p.stack(st); // leaf first
                int[] turned = new int[frames.length];
                for (int k = 0; k < frames.length; k++) {
                    int f = frames[frames.length - 1 - k];
                    if (frameIds[f] < 0) {
                        frameIds[f] = b.frame(p.frame(f));
                    }
                    turned[k] = frameIds[f]; // the builder takes leaf first: the old root becomes the leaf
                }
                stackIds[st] = b.stack(turned);
            }
            int th = p.threadOf(i);
            if (threadIds[th] < 0) {
                threadIds[th] = b.thread(p.threadName(th));
            }
            for (int v = 0; v < values.length; v++) {
                values[v] = p.value(i, v);
            }
            int ls = p.labelSetOf(i);
            if (ls != 0 && setIds[ls] == 0) {
                setIds[ls] = b.labelSet(p, ls);
            }
            b.sample(stackIds[st], threadIds[th], setIds[ls], p.timeOf(i), p.recordsOf(i), values);
        }
        return b.build();
    }
}
