package dev.proflab.labs.alloc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lesson 2 (step 2, heap profile; step 7, GC): the same items made three ways, and a leak.
 *
 * <p>Each call makes {@code count} items of {@code bytesPerItem} bytes; item {@code i} starts with
 * the SHA-256 digest of the index {@code i} (4 bytes, big-endian) and is zero after it, as in the
 * Go seed's {@code Allocate}. The result is a checksum over all items (their length and digest
 * bytes), the same for all three versions, so the work cannot be optimised away and the tests can
 * check that the "after" still computes what the "before" did. Each version's comment says what its
 * allocation profile shows; {@code hold = true} turns any of them into the leak of steps 2 and 7.
 * "How to run" is at the end of the file; the numbers measured on the project's test machine are in
 * {@code docs/labs.md}.
 */
public final class Alloc {

    /** Length of a SHA-256 digest: the prefix of each item that carries data; the rest is zeros. */
    public static final int DIGEST_BYTES = 32;

    /** The leak: everything allocated with hold=true stays reachable from here. Guarded by itself. */
    private static final ArrayList<byte[]> HELD = new ArrayList<>();

    /** Reads 8 bytes of a byte[] as one long, for {@link #mix}. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Per-thread scratch of the middle and after versions: created once per thread, reused by every call. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Alloc() {
    }

    /*
     * Before: how such code is usually first written. Per item a fresh byte[bytesPerItem], a fresh byte[4]
     * for the index, a fresh MessageDigest.getInstance("SHA-256") and the fresh byte[32] that digest()
     * returns, all kept in a list until the end. An allocation profile (JFR's ObjectAllocationSample,
     * async-profiler's -e alloc, JMH's -prof gc) shows two hot spots, not one:
     * - the item buffers themselves, 1 KiB each: the Go seed's whole story (1 MiB/op);
     * - MessageDigest.getInstance: a provider lookup and a new digest object per call, with its own state and
     *   block buffer. That is a fifth of the bytes and a good part of the CPU time, more than the hashing
     *   itself. Go's sha256.Sum256 lives on the stack and costs nothing; the literal Java translation is
     *   itself a hot spot. In the CPU flame graph look under Alloc.newSha256: MessageDigest.getInstance, then
     *   sun.security.jca.GetInstance and ProviderList.getService (the lookup) and, on JDK 24 and later,
     *   CryptoAlgorithmConstraints.permits, which checks the jdk.crypto.disabledAlgorithms security property
     *   on every call: JDK code you did not know you were calling 1000 times.
     */

    /** Before: a new buffer, a new {@code MessageDigest} and new small arrays for every item. */
    public static long allocate(int bytesPerItem, int count, boolean hold) {
        checkArguments(bytesPerItem, count);
        List<byte[]> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] item = new byte[bytesPerItem];
            MessageDigest sha256 = newSha256();
            byte[] digest = sha256.digest(indexBytes(i));
            System.arraycopy(digest, 0, item, 0, Math.min(DIGEST_BYTES, bytesPerItem));
            items.add(item);
        }
        long checksum = 0;
        for (byte[] item : items) {
            checksum = mix(checksum, item, item.length);
        }
        if (hold) {
            synchronized (HELD) {
                HELD.addAll(items);
            }
        }
        return checksum;
    }

    /*
     * Middle step: fixes only the second hot spot. One MessageDigest per thread, reused (MessageDigest is not
     * thread-safe, hence per thread, not shared). Comparing it with the before shows what getInstance alone
     * cost, in bytes and in time.
     */

    /** Middle: as {@link #allocate}, but one reused {@code MessageDigest} per thread instead of one per item. */
    public static long allocateReusingDigest(int bytesPerItem, int count, boolean hold) {
        checkArguments(bytesPerItem, count);
        MessageDigest sha256 = SCRATCH.get().sha256;
        List<byte[]> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] item = new byte[bytesPerItem];
            byte[] digest = sha256.digest(indexBytes(i));
            System.arraycopy(digest, 0, item, 0, Math.min(DIGEST_BYTES, bytesPerItem));
            items.add(item);
        }
        long checksum = 0;
        for (byte[] item : items) {
            checksum = mix(checksum, item, item.length);
        }
        if (hold) {
            synchronized (HELD) {
                HELD.addAll(items);
            }
        }
        return checksum;
    }

    /*
     * After: also stops making a new buffer per item. Each item is written into one scratch buffer kept per
     * thread, consumed (checksummed) and overwritten by the next item, and the digest is written straight
     * into a reused 32-byte array (digest(buf, off, len)). Once the thread's scratch exists it allocates
     * nothing per call, and it is faster because nothing is zeroed, nothing is collected and no provider is
     * looked up.
     *
     * This is Java's counterpart of the seed's sync.Pool. The JDK has no general object pool because
     * allocating short-lived objects is cheap (a pointer bump in the thread's TLAB); what costs is zeroing
     * them, filling the young generation and so running the GC more often. A per-thread scratch is right when
     * the buffer never escapes the call; with thousands of virtual threads it becomes thousands of buffers,
     * and then a small explicit pool is better.
     */

    /**
     * After: every item is built in the thread's one scratch buffer with the thread's one digest, consumed,
     * and overwritten by the next. No allocation per call (except the copies that {@code hold} keeps).
     */
    public static long allocatePooled(int bytesPerItem, int count, boolean hold) {
        checkArguments(bytesPerItem, count);
        Scratch scratch = SCRATCH.get();
        byte[] item = scratch.item(bytesPerItem);
        int prefix = Math.min(DIGEST_BYTES, bytesPerItem);
        List<byte[]> kept = hold ? new ArrayList<>(count) : null;
        long checksum = 0;
        for (int i = 0; i < count; i++) {
            scratch.digestIndex(i);
            System.arraycopy(scratch.digest, 0, item, 0, prefix);
            checksum = mix(checksum, item, bytesPerItem);
            if (kept != null) {
                kept.add(Arrays.copyOf(item, bytesPerItem)); // a kept item needs its own memory
            }
        }
        if (kept != null) {
            synchronized (HELD) {
                HELD.addAll(kept);
            }
        }
        return checksum;
    }

    /*
     * The leak: hold = true (the seed's globalHold, its cmd/mem_hot -hold=true). Every item is also appended
     * to the static list HELD that nothing ever clears, so the heap grows with every call.
     * - A heap dump shows the path from the GC root Alloc.HELD through the ArrayList to the byte[]s.
     * - A heap (live) profile shows the allocation site of what is still held.
     * - The GC log (-Xlog:gc) shows the live set growing after each collection.
     * A buffer you keep cannot be a buffer you reuse, so allocatePooled keeps an exact-size copy of each item
     * when asked to hold; the Go seed's pooled version appended the pooled buffers themselves to the held
     * list, where later items could overwrite them. release() lets go of everything held (tests and
     * long-running demos call it).
     */

    /** Number of items held by calls with {@code hold = true} since the last {@link #release()}. */
    public static int heldItems() {
        synchronized (HELD) {
            return HELD.size();
        }
    }

    /** Total length of the held items, in bytes (array headers not counted). */
    public static long heldBytes() {
        synchronized (HELD) {
            long total = 0;
            for (byte[] item : HELD) {
                total += item.length;
            }
            return total;
        }
    }

    /** A snapshot of the held items, in the order they were held. The arrays are the held ones, not copies. */
    public static List<byte[]> held() {
        synchronized (HELD) {
            return List.copyOf(HELD);
        }
    }

    /** Ends the leak: drops every held item so the next GC can free them. Returns how many there were. */
    public static int release() {
        synchronized (HELD) {
            int released = HELD.size();
            HELD.clear();
            HELD.trimToSize();
            return released;
        }
    }

    /**
     * The checksum step shared by all versions: folds in the item's length and its digest prefix, 8 bytes at a
     * time. Bytes after the prefix are zero in every version, so leaving them out changes no result and keeps the
     * checksum from dominating the time being measured.
     */
    static long mix(long checksum, byte[] item, int length) {
        long h = checksum * 31 + length;
        int prefix = Math.min(DIGEST_BYTES, length);
        int j = 0;
        for (; j + Long.BYTES <= prefix; j += Long.BYTES) {
            h = h * 31 + (long) LONGS.get(item, j);
        }
        for (; j < prefix; j++) {
            h = h * 31 + item[j];
        }
        return h;
    }

    /** The digest input for item {@code index}: its 4 bytes, big-endian. */
    static byte[] indexBytes(int index) {
        return new byte[] {(byte) (index >>> 24), (byte) (index >>> 16), (byte) (index >>> 8), (byte) index};
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256, which every Java platform must provide", e);
        }
    }

    private static void checkArguments(int bytesPerItem, int count) {
        if (bytesPerItem < 0) {
            throw new IllegalArgumentException("bytesPerItem must be >= 0, was " + bytesPerItem);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
    }

    /** What one thread reuses across calls: a digest, its input and output arrays, and the item buffer. */
    private static final class Scratch {
        final MessageDigest sha256 = newSha256();
        final byte[] index = new byte[4];
        final byte[] digest = new byte[DIGEST_BYTES];
        byte[] item = new byte[0];

        /** The item buffer, grown when a larger item is asked for. Only the digest prefix is ever written. */
        byte[] item(int bytesPerItem) {
            if (item.length < bytesPerItem) {
                item = new byte[bytesPerItem];
            }
            return item;
        }

        /** Writes SHA-256(index as 4 big-endian bytes) into {@link #digest} without allocating. */
        void digestIndex(int i) {
            index[0] = (byte) (i >>> 24);
            index[1] = (byte) (i >>> 16);
            index[2] = (byte) (i >>> 8);
            index[3] = (byte) i;
            sha256.update(index, 0, index.length);
            try {
                sha256.digest(digest, 0, DIGEST_BYTES);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException("SHA-256 digest did not fit in 32 bytes", e);
            }
        }
    }

    /*
     * ============================== HOW TO RUN THIS LAB ==============================
     *
     *   make compare-alloc                     # before, reuse-digest, after: time and B/op, statistics, verdict
     *   make pprof-alloc-before                # allocation profile of the before, its top, then proflab view
     *   ./proflab bench alloc                  # JMH's report; gc.alloc.rate.norm is B/op
     *   make run-mem                           # the leak (mem-hot, hold=true) under -Xlog:gc, into tmp/mem.jfr
     *   ./proflab top --event live tmp/mem.jfr # what is still held, against --event alloc: what was made
     *   ./proflab gc --quick                   # step 7: the same work under several collectors (MemProbe)
     */
}
