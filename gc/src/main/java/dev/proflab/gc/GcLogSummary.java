package dev.proflab.gc;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The numbers of a {@link GcLog}: pause percentiles, throughput, allocation rate.
 *
 * @param log            the log summarised
 * @param pauseCount     stop-the-world pauses (a G1 concurrent cycle has two: Remark and Cleanup)
 * @param pauseTotalMs   their sum
 * @param pauseP50Ms     percentiles of the pauses by the nearest-rank method (the smallest pause that at
 *                       least p% of the pauses do not exceed); 0 without pauses
 * @param pauseP90Ms     see {@code pauseP50Ms}
 * @param pauseP99Ms     see {@code pauseP50Ms}
 * @param pauseMaxMs     the longest pause
 * @param throughput     1 - pause total / elapsed, in [0, 1]; empty when the log has no uptime or no pause
 *                       lines (see {@link #pausesLogged()})
 * @param allocatedMb    bytes allocated as the heap numbers show (see {@link #allocation}); empty without them
 * @param allocRateMbS   allocatedMb / the uptime of the last collection with heap numbers
 * @param heapPeakUsedMb the largest heap-used-before of any collection; empty without heap numbers
 * @param heapPeakCommittedMb the largest committed heap printed; empty when the log prints none (ZGC logged with -Xlog:gc only)
 */
public record GcLogSummary(GcLog log, int pauseCount, double pauseTotalMs, double pauseP50Ms, double pauseP90Ms,
                           double pauseP99Ms, double pauseMaxMs, OptionalDouble throughput,
                           OptionalDouble allocatedMb, OptionalDouble allocRateMbS,
                           OptionalDouble heapPeakUsedMb, OptionalDouble heapPeakCommittedMb) {

    /** The summary of a log. */
    public static GcLogSummary of(GcLog log) {
        double[] ms = log.pauses().stream().mapToDouble(GcLog.Pause::ms).sorted().toArray();
        double total = Arrays.stream(ms).sum();
        boolean pausesLogged = ms.length > 0 || log.collections().isEmpty();
        OptionalDouble throughput = log.elapsedMs() > 0 && pausesLogged
                ? OptionalDouble.of(Math.max(0, 1 - total / log.elapsedMs())) : OptionalDouble.empty();
        List<GcLog.Collection> withHeap = log.collections().stream().filter(GcLog.Collection::hasHeap)
                .sorted(Comparator.comparingDouble(GcLog.Collection::startMs)).toList();
        OptionalDouble allocated = OptionalDouble.empty();
        OptionalDouble rate = OptionalDouble.empty();
        OptionalDouble peakUsed = OptionalDouble.empty();
        OptionalDouble peakCommitted = OptionalDouble.empty();
        if (!withHeap.isEmpty()) {
            double kb = allocation(withHeap);
            allocated = OptionalDouble.of(kb / 1024);
            double spanMs = withHeap.get(withHeap.size() - 1).startMs();
            if (spanMs > 0) {
                rate = OptionalDouble.of(kb / 1024 / (spanMs / 1000));
            }
            peakUsed = OptionalDouble.of(withHeap.stream().mapToLong(GcLog.Collection::heapBeforeKb).max().orElse(0) / 1024.0);
            long committed = withHeap.stream().mapToLong(GcLog.Collection::heapCommittedKb).max().orElse(-1);
            if (committed >= 0) {
                peakCommitted = OptionalDouble.of(committed / 1024.0);
            }
        }
        return new GcLogSummary(log, ms.length, total, percentile(ms, 50), percentile(ms, 90), percentile(ms, 99),
                ms.length == 0 ? 0 : ms[ms.length - 1], throughput, allocated, rate, peakUsed, peakCommitted);
    }

    /**
     * KiB allocated up to the last collection, as gctrace readers compute it: the heap used before the first
     * collection, plus for each later one its heap-before minus the heap-after of the one before (never
     * negative). A lower bound: objects allocated and freed within one concurrent cycle (ZGC, Shenandoah)
     * are not seen.
     */
    static double allocation(List<GcLog.Collection> inTimeOrder) {
        double kb = inTimeOrder.get(0).heapBeforeKb();
        for (int i = 1; i < inTimeOrder.size(); i++) {
            kb += Math.max(0, inTimeOrder.get(i).heapBeforeKb() - inTimeOrder.get(i - 1).heapAfterKb());
        }
        return kb;
    }

    /** The nearest-rank percentile of sorted values: the ceil(p/100 * n)-th smallest; 0 for none. */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    /**
     * False when the log has collections but no pause lines (ZGC logged with {@code -Xlog:gc} only): the
     * pause numbers and throughput are then unknown, not zero.
     */
    public boolean pausesLogged() {
        return pauseCount > 0 || log.collections().isEmpty();
    }

    /** The number of collections ({@code GC(n)} ids). */
    public int gcCount() {
        return log.collections().size();
    }

    /** The N collections with the longest pauses, in log order; all of them when n is 0 or more than there are. */
    public List<GcLog.Collection> longest(int n) {
        List<GcLog.Collection> all = log.collections();
        if (n <= 0 || n >= all.size()) {
            return all;
        }
        List<GcLog.Collection> top = all.stream()
                .sorted(Comparator.comparingDouble(GcLog.Collection::pauseMs).reversed()
                        .thenComparingDouble(GcLog.Collection::startMs))
                .limit(n).toList();
        return all.stream().filter(top::contains).toList();
    }
}
