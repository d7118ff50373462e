package dev.proflab.viewer;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;
import dev.proflab.report.ProfileCache;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The profile of a time range of a recording, read again from the file for that range only. A recording whose samples
 * would take more than an eighth of the heap one row each is held merged per stack and thread ({@link
 * ViewerServer}: memory grows with the distinct stacks, not with the recording), so their own times are gone; a range
 * selected on the page is then one more pass over the file, merged per stack and thread as it is read. The latest
 * {@link #KEEP} ranges are kept (the page asks for the flame graph, the top table and a function's callers of the same
 * range), each with what the reports derived from it ({@link ProfileCache}).
 *
 * <p>Why a pass over the file rather than each sample's row and time kept for the ranges: those take 32 bytes a
 * sample (a stack, a thread, a time, two values; 12 at the least without the values, which then no longer add up
 * exactly): 221 MB for a recording of 6.9 million samples of 36,000 stacks (390 MB), whose whole profile merged
 * takes 8 MB. The pass takes about as long as reading the file at the start (a range of that recording: 5 s).
 */
final class RangeReads {

    /** Ranges kept, the latest first to stay. */
    static final int KEEP = 2;
    /** What the call-path index of a profile holds per frame of its distinct stacks, at most: see {@link #large}. */
    static final int BYTES_PER_FRAME = 32;

    private record Key(Path file, String event, long from, long to) {
    }

    private final LinkedHashMap<Key, CompletableFuture<Profile>> kept = new LinkedHashMap<>(8, 0.75f, true);
    /** The recordings compared: 1, or 2 with a base (each with its whole and its range). */
    private final int sides;

    /** @param sides 1, or 2 when a base is compared with the file (four profiles, four indexes, at a time) */
    RangeReads(int sides) {
        this.sides = sides;
    }

    /**
     * The samples of {@code whole} (the file's profile of {@code event}) in {@code [from, to)}: {@code whole} itself
     * when the range is all of the recording, when it holds each sample in its own row, with its time (the reports
     * select the range from it), or when the file has no sample times (pprof: its reports filter in memory, as they
     * always did); else {@code file} read again for the range, a profile without samples when the
     * range has none. Two requests of the same range at once read it once.
     */
    Profile get(Path file, String event, Profile whole, FlameJson.Range range) {
        if (range.all() || whole.recordCount() == whole.sampleCount() || whole.meta().engine().equals("pprof")) {
            relieve(whole, whole);
            return whole;
        }
        Key k = new Key(file, event, range.from(), range.to());
        CompletableFuture<Profile> f;
        boolean mine = false;
        synchronized (this) {
            f = kept.get(k);
            if (f == null) {
                f = new CompletableFuture<>();
                kept.put(k, f);
                mine = true;
                trim(f);
            }
        }
        if (mine) {
            try {
                relieve(null, whole);   // before reading: the read needs room too
                Profile p = read(file, event, range);
                f.complete(p);
                return p;
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    kept.remove(k, f);
                }
                f.completeExceptionally(e);
                throw e;
            }
        }
        try {
            Profile p = f.join();
            relieve(p, whole);
            return p;
        } catch (CompletionException x) {
            if (x.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (x.getCause() instanceof Error r) {
                throw r;
            }
            throw x;
        }
    }

    private static Profile read(Path file, String event, FlameJson.Range range) {
        // a range without samples is a profile without them, which the page shows empty
        return ProfileReader.readRange(file, ReadOptions.defaults().withEvent(event).withAggregate(true)
                .withTimeRange(range.from(), range.to()));
    }

    /**
     * When the indexes of the call paths of two profiles of each recording compared (the whole and a range) may not
     * fit together in the shared cache's bound (half of the heap), forgets what was derived from the profiles here
     * other than {@code keep} (null: none), {@code whole} among them: a range is then not read, nor its index built,
     * while that of the whole recording is still held, nor the other way round. With heap to spare, both stay.
     */
    private void relieve(Profile keep, Profile whole) {
        if (!large(whole)) {
            return;
        }
        ProfileCache c = ProfileCache.shared();
        if (whole != keep) {
            c.evict(whole);
        }
        List<Profile> ranged = new ArrayList<>();
        synchronized (this) {
            for (CompletableFuture<Profile> f : kept.values()) {
                if (f.isDone() && !f.isCompletedExceptionally() && f.join() != keep) {
                    ranged.add(f.join());
                }
            }
        }
        ranged.forEach(c::evict);
    }

    /**
     * Whether two call-path indexes of {@code p} per side may take more than the shared cache's bound: at most one node per
     * frame of its distinct stacks, some {@value #BYTES_PER_FRAME} bytes each with the call tree merged from them
     * (measured: 12 to 26 a frame on recordings of 36,000 to 157,000 stacks).
     */
    boolean large(Profile p) {
        long frames = 0;
        for (int s = 0, n = p.stackCount(); s < n; s++) {
            frames += p.stack(s).length;
        }
        return 2L * sides * frames * BYTES_PER_FRAME > ProfileCache.shared().maxBytes();
    }

    /** Forgets the oldest ranges past {@link #KEEP} (not {@code keep}, nor one still being read), and their reports. */
    private void trim(CompletableFuture<Profile> keep) {
        Iterator<Map.Entry<Key, CompletableFuture<Profile>>> it = kept.entrySet().iterator();
        while (kept.size() > KEEP && it.hasNext()) {
            CompletableFuture<Profile> f = it.next().getValue();
            if (f == keep || !f.isDone()) {
                continue;
            }
            it.remove();
            if (!f.isCompletedExceptionally()) {
                ProfileCache.shared().evict(f.join());
            }
        }
    }
}
