package dev.proflab.report;

import dev.proflab.io.HeapBudget;
import dev.proflab.profile.Profile;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The one cache of what is derived from a profile: its {@link Paths path index} per naming, its
 * {@link CallIndex call index} per selection, and what a long-running caller (the viewer) renders from
 * them. Keyed by the profile's identity and a key; bounded by an estimate of the bytes it holds (a
 * half of the heap by default) and a number of entries, the least recently used going first.
 *
 * <p>Half, not less: a value read while another is computed (the path index of a call tree) is often referenced by
 * it, so evicting it first frees nothing, and the next request that misses it builds it twice. The path index of a
 * recording of 36,000 stacks (768,000 frames) takes some 17 MB, more than a quarter of a 64 MB heap.
 *
 * <p>Every value is a pure function of its profile and key, so the cache changes no result, only
 * how often it is computed. Two callers asking for a missing value at once compute it once: the
 * second waits for the first. A failure is not kept.
 */
public final class ProfileCache {

    private static final ProfileCache SHARED = new ProfileCache(64, Runtime.getRuntime().maxMemory() / 2);

    private record Key(Profile profile, Object key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.profile == profile && k.key.equals(key);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(profile) * 31 + key.hashCode();
        }
    }

    private static final class Entry {
        final CompletableFuture<Object> value = new CompletableFuture<>();
        long bytes;
    }

    private final int maxEntries;
    private final long maxBytes;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /**
     * @param maxEntries at most this many values
     * @param maxBytes at most about this many bytes (a single larger value is still kept, alone)
     */
    public ProfileCache(int maxEntries, long maxBytes) {
        if (maxEntries < 1 || maxBytes < 0) {
            throw new IllegalArgumentException("maxEntries " + maxEntries + ", maxBytes " + maxBytes);
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** The cache every report uses unless given another. */
    public static ProfileCache shared() {
        return SHARED;
    }

    /**
     * The value under {@code key} for {@code profile}, computed by {@code compute} when missing.
     *
     * @param weight an estimate of the bytes the value holds
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Profile profile, Object key, Supplier<T> compute, ToLongFunction<? super T> weight) {
        Key k = new Key(profile, key);
        Entry e;
        boolean mine = false;
        synchronized (this) {
            e = entries.get(k);
            if (e == null) {
                e = new Entry();
                entries.put(k, e);
                mine = true;
            }
        }
        if (mine) {
            T v;
            try {
                v = compute.get();
                // kept only if the heap still has room: a value that filled it would leave every later allocation
                // of the process (a server's own threads) to a collector that finds nothing to free
                HeapBudget.check("keeping what was computed");
            } catch (RuntimeException | Error x) {
                synchronized (this) {
                    entries.remove(k, e);
                }
                e.value.completeExceptionally(x);
                throw x;
            }
            synchronized (this) {
                if (entries.get(k) == e) {
                    e.bytes = Math.max(0, weight.applyAsLong(v));
                    bytes += e.bytes;
                    trim(e);
                }
            }
            e.value.complete(v);
            return v;
        }
        try {
            return (T) e.value.join();
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

    /** Forgets everything derived from {@code profile} (e.g. a window the viewer no longer keeps). */
    public synchronized void evict(Profile profile) {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Entry> m = it.next();
            if (m.getKey().profile == profile) {
                bytes -= m.getValue().bytes;
                it.remove();
            }
        }
    }

    /** How many values are kept. */
    public synchronized int size() {
        return entries.size();
    }

    /** About how many bytes it keeps at most (a single larger value is still kept, alone). */
    public long maxBytes() {
        return maxBytes;
    }

    /** The estimated bytes kept. */
    public synchronized long bytes() {
        return bytes;
    }

    private void trim(Entry keep) {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while ((entries.size() > maxEntries || bytes > maxBytes) && it.hasNext()) {
            Map.Entry<Key, Entry> m = it.next();
            Entry e = m.getValue();
            if (e == keep || !e.value.isDone()) {
                continue;   // the newest, and values still being computed, stay
            }
            bytes -= e.bytes;
            it.remove();
        }
    }
}
