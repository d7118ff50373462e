package dev.proflab.io;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeapBudgetTest {

    @AfterEach
    void forget() {
        HeapBudget.lastCollectionLeft(0);
    }

    @Test
    void aHeapFullerThanTheLimitAfterAFullCollectionStopsTheComputation() {
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        HeapBudget.lastCollectionLeft(Long.MAX_VALUE);
        // a heap of a tenth of what this JVM uses: still over the limit after the collection it asks for
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class,
                () -> HeapBudget.check("the call paths of 3 stacks", Math.max(1, used / 10)));
        assertTrue(e.getMessage().startsWith("the call paths of 3 stacks: the heap is "), e.getMessage());
        assertTrue(e.getMessage().contains("% full after a collection"), e.getMessage());
    }

    @Test
    void garbageLeftByAnEarlierComputationDoesNotCount() {
        // the last collection said the heap was full; the full collection asked for now finds it is not
        HeapBudget.lastCollectionLeft(Long.MAX_VALUE);
        assertDoesNotThrow(() -> HeapBudget.check("the call tree", Long.MAX_VALUE / 2));
        // and what it found is what the next look goes by, without another collection
        assertDoesNotThrow(() -> HeapBudget.check("the call tree", Runtime.getRuntime().maxMemory()));
    }

    @Test
    void underTheLimitNothingHappens() {
        long max = 1L << 30;
        HeapBudget.lastCollectionLeft((long) (HeapBudget.LIMIT * max) - 1);
        assertDoesNotThrow(() -> HeapBudget.check("x", max));
    }

    @Test
    void notWatchedItNeverStops() {
        if (!HeapBudget.watching()) {
            HeapBudget.lastCollectionLeft(Long.MAX_VALUE);
            assertDoesNotThrow(() -> HeapBudget.check("x"));
        }
    }
}
