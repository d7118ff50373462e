package dev.proflab.gc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One row of the comparison: a configuration and a workload, the medians over its runs. Unknown values are null,
 * never 0.
 *
 * @param runs  runs whose numbers went into the medians
 * @param error null when every run finished; else the first run's error, with "(k of n runs)" when not all failed
 */
public record GcRow(String config, String collector, String workload, String jvmOptions, int runs,
                    Double wallS, Double gcCount, Double pauseTotalMs, Double pauseMaxMs, Double pauseP99Ms,
                    Double gcCpuS, Double allocRateMbS, Double heapPeakUsedMb, Double heapPeakCommittedMb,
                    Double rssPeakMb, String error) {

    /** A configuration that never ran: the JVM refused its options. */
    public static GcRow skipped(GcConfig c, String workload, String reason) {
        return new GcRow(c.name(), c.collector().map(GcConfig.Collector::label).orElse(null), workload,
                c.optionsText(), 0, null, null, null, null, null, null, null, null, null, null, reason);
    }

    /** The medians of runs of one configuration and workload. Runs with an error count when they have numbers. */
    public static GcRow of(GcConfig c, String workload, List<GcRun> runs) {
        List<GcRun> measured = runs.stream().filter(r -> r.wallS() != null).toList();
        List<GcRun> failed = runs.stream().filter(r -> r.error() != null).toList();
        String error = null;
        if (!failed.isEmpty()) {
            error = failed.get(0).error();
            if (failed.size() < runs.size()) {
                error += " (" + failed.size() + " of " + runs.size() + " runs)";
            }
        }
        String collector = runs.stream().map(GcRun::collector).filter(Objects::nonNull).findFirst()
                .orElse(c.collector().map(GcConfig.Collector::label).orElse(null));
        return new GcRow(c.name(), collector, workload, c.optionsText(), measured.size(),
                median(measured, GcRun::wallS),
                median(measured, r -> r.gcCount() == null ? null : r.gcCount().doubleValue()),
                median(measured, GcRun::pauseTotalMs), median(measured, GcRun::pauseMaxMs),
                median(measured, GcRun::pauseP99Ms), median(measured, GcRun::gcCpuS),
                median(measured, GcRun::allocRateMbS), median(measured, GcRun::heapPeakUsedMb),
                median(measured, GcRun::heapPeakCommittedMb), median(measured, GcRun::rssPeakMb), error);
    }

    /** The run whose wall time is the median (the lower middle for an even count); null without measured runs. */
    public static GcRun medianRun(List<GcRun> runs) {
        List<GcRun> measured = new ArrayList<>(runs.stream().filter(r -> r.wallS() != null).toList());
        if (measured.isEmpty()) {
            return null;
        }
        measured.sort(Comparator.comparingDouble(GcRun::wallS).thenComparingInt(GcRun::run));
        return measured.get((measured.size() - 1) / 2);
    }

    /** The median of the known values; null when none is known. */
    static Double median(List<GcRun> runs, Function<GcRun, Double> value) {
        double[] v = runs.stream().map(value).filter(Objects::nonNull).mapToDouble(Double::doubleValue).sorted().toArray();
        return median(v);
    }

    public static Double median(double[] sorted) {
        double[] v = sorted.clone();
        Arrays.sort(v);
        if (v.length == 0) {
            return null;
        }
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
