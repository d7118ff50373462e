package dev.proflab.report;

import dev.proflab.profile.Profile;

/**
 * The samples a {@link Selection} keeps, as a profile of their own: for exports that write samples
 * rather than a tree (pprof), so that a file written through a selection holds what every report of
 * that selection shows.
 */
public final class Selected {

    private Selected() {
    }

    /**
     * A profile of the samples of {@code p} that {@code s} selects (time range, thread, focus, ignore),
     * every value, time and thread kept, with the frames {@code s} hides taken out of the stacks. The
     * metadata is {@code p}'s.
     *
     * @throws ReportException as {@link CallIndex#of}
     */
    public static Profile profile(Profile p, Selection s) {
        return profile(p, s, CallIndex.of(p, s));
    }

    /** As {@link #profile(Profile, Selection)}, of the samples index {@code x} (of {@code p} and {@code s}) selects. */
    static Profile profile(Profile p, Selection s, CallIndex x) {
        Profile.Builder b = new Profile.Builder(p.meta(), p.valueTypes()).defaultValueIndex(p.defaultValueIndex());
        int[] frameIds = new int[p.frameCount()];
        java.util.Arrays.fill(frameIds, -1);
        int[] stackIds = new int[p.stackCount()];
        java.util.Arrays.fill(stackIds, -1);
        boolean[] hidden = x.hidden;
        int[] nameOf = x.names.nameOfFrame;
        int[] threadIds = new int[p.threadCount()];
        java.util.Arrays.fill(threadIds, -1);
        int[] setIds = new int[p.labelSetCount()];
        long[] values = new long[p.valueTypes().size()];
        long from = s.fromNanos();
        long to = s.toNanos();
        for (int i = 0, n = p.sampleCount(); i < n; i++) {
            int st = p.stackOf(i);
            long t = p.timeOf(i);
            if (x.stackValue[st] == 0 || t < from || t >= to || !x.keeps(i)) {
                continue;
            }
            if (stackIds[st] < 0) {
                int[] frames = p.stack(st);
                int k = 0;
                int[] kept = new int[frames.length];
                for (int f : frames) {
                    if (hidden == null || !hidden[nameOf[f]]) {
                        if (frameIds[f] < 0) {
                            frameIds[f] = b.frame(p.frame(f));
                        }
                        kept[k++] = frameIds[f];
                    }
                }
                stackIds[st] = b.stack(java.util.Arrays.copyOf(kept, k));
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
            b.sample(stackIds[st], threadIds[th], setIds[ls], t, 1, values);
        }
        return b.build();
    }
}
