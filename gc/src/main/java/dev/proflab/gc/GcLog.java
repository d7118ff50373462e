package dev.proflab.gc;

import java.util.List;

/**
 * What a unified JVM GC log ({@code -Xlog:gc} or {@code -Xlog:gc*}) says: the collector, how long the JVM
 * ran, and every collection with its stop-the-world pauses.
 *
 * @param collector   the collector's name from the log's {@code Using ...} line ("G1", "Parallel", "Serial",
 *                    "The Z Garbage Collector", "Shenandoah"), or "unknown"
 * @param elapsedMs   JVM uptime at the last line of the log, in milliseconds
 * @param collections the collections (one per {@code GC(n)} id) in log order
 * @param otherLines  lines skipped because they are not JVM log lines (the program's output in a log
 *                    captured from stdout)
 */
public record GcLog(String collector, double elapsedMs, List<Collection> collections, int otherLines) {

    public GcLog {
        collections = List.copyOf(collections);
    }

    /** All stop-the-world pauses, in log order. */
    public List<Pause> pauses() {
        return collections.stream().flatMap(c -> c.pauses().stream()).toList();
    }

    /**
     * One collection: everything the log says under one {@code GC(id)}.
     *
     * @param id            the {@code GC(id)} number
     * @param startMs       uptime of the collection's first line, in ms
     * @param type          what ran and why, e.g. "Pause Young (Normal) (G1 Evacuation Pause)",
     *                      "Major Collection (Warmup)", "Concurrent Mark Cycle", "Concurrent cycle"
     * @param pauses        its stop-the-world pauses (none for a ZGC cycle logged with {@code -Xlog:gc} only)
     * @param heapBeforeKb  heap used before, in KiB, or -1 when the log does not say
     * @param heapAfterKb   heap used after, in KiB, or -1
     * @param heapCommittedKb heap committed after, in KiB, or -1 (ZGC prints a share of the maximum instead)
     * @param cycleMs       the whole cycle's duration for concurrent collectors (ZGC's "0.037s"), or -1
     */
    public record Collection(long id, double startMs, String type, List<Pause> pauses,
                             long heapBeforeKb, long heapAfterKb, long heapCommittedKb, double cycleMs) {
        public Collection {
            pauses = List.copyOf(pauses);
        }

        /** The sum of its pauses, in ms. */
        public double pauseMs() {
            return pauses.stream().mapToDouble(Pause::ms).sum();
        }

        public boolean hasHeap() {
            return heapBeforeKb >= 0 && heapAfterKb >= 0;
        }
    }

    /** One stop-the-world pause: {@code GC(id) Pause ... 3.048ms}. */
    public record Pause(long gcId, double atMs, String name, double ms) {
    }
}
