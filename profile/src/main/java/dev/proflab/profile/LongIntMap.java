package dev.proflab.profile;

import java.util.Arrays;

/**
 * An open-addressing map from long to int without boxing; {@link #get} returns -1 when absent. Keys come
 * from files (stack trace, method and location ids): they are hashed with a seed chosen per JVM, so
 * that a file cannot pick ids that all fall in one probe sequence and make each lookup linear.
 */
final class LongIntMap {

    private static final long EMPTY = Long.MIN_VALUE;
    /** The hash seed of this JVM. */
    static final long SEED = seed();

    private long[] keys;
    private int[] values;
    private int size;
    private boolean hasEmptyKey;
    private int emptyKeyValue;

    LongIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        values = new int[cap];
        Arrays.fill(keys, EMPTY);
    }

    /**
     * Eight bytes of the kernel's randomness where there is a {@code /dev/urandom} (Linux, macOS), else
     * {@link java.security.SecureRandom}'s: making a SecureRandom loads the security providers and reads the
     * {@code java.security} file, ~10-20 ms of a short command's start-up, for the same bytes.
     */
    private static long seed() {
        try (var in = new java.io.FileInputStream("/dev/urandom")) {
            byte[] b = in.readNBytes(Long.BYTES);
            if (b.length == Long.BYTES) {
                return java.nio.ByteBuffer.wrap(b).getLong();
            }
        } catch (java.io.IOException | RuntimeException e) {
            // no such device here: the portable way below
        }
        return new java.security.SecureRandom().nextLong();
    }

    int size() {
        return size + (hasEmptyKey ? 1 : 0);
    }

    int get(long key) {
        if (key == EMPTY) {
            return hasEmptyKey ? emptyKeyValue : -1;
        }
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    void put(long key, int value) {
        if (key == EMPTY) {
            hasEmptyKey = true;
            emptyKeyValue = value;
            return;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                values[i] = value;
                return;
            }
            if (k == EMPTY) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int mix(long key) {
        // murmur3's finalizer over the seeded key: every bit of the key moves every bit of the hash
        long h = key ^ SEED;
        h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
        h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return (int) (h ^ (h >>> 33));
    }
}
