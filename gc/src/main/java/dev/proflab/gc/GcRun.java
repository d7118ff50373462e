package dev.proflab.gc;

import java.util.List;

/**
 * One forked JVM of a GC comparison: what its GC log and the probe inside it said. Unknown values are null.
 *
 * @param config          the configuration's name
 * @param workload        the probe's workload
 * @param run             1-based repetition
 * @param collector       the collector as the GC log names it ("G1", "ZGC" ...), or null
 * @param error           why the run gave no (complete) result, or null: "OutOfMemoryError after N items",
 *                        "timed out after 60 s", the JVM's last line
 * @param wallS           wall time of the workload loop
 * @param gcCount         collections
 * @param pauseTotalMs    sum of stop-the-world pauses
 * @param pauseMaxMs      longest pause (null without pauses)
 * @param pauseP99Ms      99th percentile, nearest rank (null without pauses)
 * @param gcCpuS          CPU time of the GC threads (user + system)
 * @param allocRateMbS    MiB allocated by the workload per second of its wall time
 * @param heapPeakUsedMb  largest heap used before a collection
 * @param heapPeakCommittedMb largest committed heap printed (ZGC: its Capacity rows); null when the log has none
 * @param rssPeakMb       peak resident set size of the process (VmHWM)
 * @param heap            heap used over time, for the chart
 * @param pausesMs        every pause in ms, sorted ascending, for the chart
 */
public record GcRun(String config, String workload, int run, String collector, String error,
                    Double wallS, Integer gcCount, Double pauseTotalMs, Double pauseMaxMs, Double pauseP99Ms,
                    Double gcCpuS, Double allocRateMbS, Double heapPeakUsedMb, Double heapPeakCommittedMb,
                    Double rssPeakMb, List<HeapPoint> heap, List<Double> pausesMs) {

    public GcRun {
        heap = List.copyOf(heap);
        pausesMs = List.copyOf(pausesMs);
    }

    /** A run that produced nothing but an error. */
    public static GcRun failed(String config, String workload, int run, String collector, String error) {
        return new GcRun(config, workload, run, collector, error, null, null, null, null, null, null, null, null,
                null, null, List.of(), List.of());
    }

    /** Heap used at a moment of the JVM's uptime. */
    public record HeapPoint(double atS, double usedMb) {
    }
}
