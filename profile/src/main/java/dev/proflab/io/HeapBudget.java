package dev.proflab.io;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A limit on the heap for long computations in a process that must go on serving (the viewer). Once {@link #watch}ed,
 * a garbage collection that leaves more than {@link #LIMIT} of the maximum heap in use makes {@link #check} throw
 * {@link OutOfMemoryError} in the thread that computes, which lets go of what it built. Without it the heap filled
 * until an allocation of some other thread failed (the HTTP server's dispatcher died, and with it the server), or the
 * collector ran back to back with the request never answered.
 *
 * <p>Before it throws, {@link #check} asks for one full collection and looks again, so that garbage left by an
 * earlier request does not count. Not watched (the short commands, which end anyway), {@link #check} reads one field:
 * the management beans it needs take milliseconds to load.
 */
public final class HeapBudget {

    /**
     * The share of the maximum heap that may stay in use after a collection. Not more: G1 puts an array of a region
     * or more (the index's arrays of a million ints are 4 MB) in contiguous free regions, and a heap 85% full had
     * room in total but none in one piece: full collections back to back, nothing freed, the request never
     * answered and the process deaf to SIGTERM (a 23.7 MB recording with -Xmx112m; docs/benchmarks.md). The price:
     * a request that would just have fit (the same file at 128 MB) is refused too.
     */
    public static final double LIMIT = 0.80;

    private static volatile boolean watching;
    /** The heap in use after the last collection (bytes), as the collector reported it. */
    private static volatile long usedAfterGc;

    private HeapBudget() {
    }

    /** Starts watching the collections of this JVM (once; later calls do nothing). */
    public static synchronized void watch() {
        if (watching) {
            return;
        }
        Set<String> heapPools = new HashSet<>();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                heapPools.add(p.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((n, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        usedAfterGc = heapUsed(GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData())
                                .getGcInfo().getMemoryUsageAfterGc(), heapPools);
                    }
                }, null, null);
            }
        }
        watching = true;
    }

    /**
     * Throws {@link OutOfMemoryError} naming {@code what} when the heap is fuller than {@link #LIMIT} after a
     * collection, also after a full one asked for now. Cheap when it passes: call it every few thousand steps.
     */
    public static void check(String what) {
        if (watching) {
            check(what, Runtime.getRuntime().maxMemory());
        }
    }

    /** {@link #check(String)} against a heap of {@code max} bytes. */
    static void check(String what, long max) {
        if (usedAfterGc <= LIMIT * max) {
            return;
        }
        confirm(what, max);
    }

    private static synchronized void confirm(String what, long max) {
        if (usedAfterGc <= LIMIT * max) {
            return; // another thread's look found room
        }
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        usedAfterGc = used;
        if (used > LIMIT * max) {
            throw new OutOfMemoryError(what + ": the heap is " + Math.round(100.0 * used / max)
                    + "% full after a collection (" + (max >> 20) + " MB)");
        }
    }

    /** For tests: as if the last collection had left {@code bytes} in use. */
    static void lastCollectionLeft(long bytes) {
        usedAfterGc = bytes;
    }

    static boolean watching() {
        return watching;
    }

    private static long heapUsed(Map<String, MemoryUsage> pools, Set<String> heapPools) {
        long sum = 0;
        for (Map.Entry<String, MemoryUsage> e : pools.entrySet()) {
            if (heapPools.contains(e.getKey())) {
                sum += e.getValue().getUsed();
            }
        }
        return sum;
    }
}
