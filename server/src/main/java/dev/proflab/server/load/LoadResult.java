package dev.proflab.server.load;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a load run measured. Every request sent is counted once: either under the status class of its answer
 * ({@code 1xx} .. {@code 5xx}) or under the kind of error that kept it from getting one ({@code connect}: refused
 * or unreachable, {@code timeout}: no answer within the timeout, {@code io}: the connection broke, {@code other}).
 * Latencies are in microseconds in {@link #histogram()}; at a fixed rate they are measured from the moment each
 * request was due to start, not from when it did (coordinated omission: a stalled server delays the requests
 * behind it, and their wait counts).
 */
public final class LoadResult {

    public static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    public static final String[] ERROR_KINDS = {"connect", "timeout", "io", "other"};

    private final LoadOptions options;
    private final Histogram histogram;
    private final List<Interval> timeline;
    private final long[] statusClasses;
    private final long[] errors;
    private final long warmupRequests;
    private final double elapsedSeconds;
    private final boolean interrupted;

    /**
     * The answers that arrived in one second of the run: {@code endSeconds} is when the second ended (from the start;
     * the last one may be shorter), latencies in milliseconds, 0 when nothing was answered.
     */
    public record Interval(double endSeconds, long answered, double p50Millis, double p99Millis, double maxMillis) {
        static Interval of(double endSeconds, Histogram h) {
            long n = h.getTotalCount();
            return new Interval(endSeconds, n, n == 0 ? 0 : h.getValueAtPercentile(50) / 1000.0,
                    n == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0, n == 0 ? 0 : h.getMaxValue() / 1000.0);
        }
    }

    LoadResult(LoadOptions options, Histogram histogram, List<Interval> timeline, long[] statusClasses, long[] errors,
               long warmupRequests, double elapsedSeconds, boolean interrupted) {
        this.warmupRequests = warmupRequests;
        this.options = options;
        this.histogram = histogram;
        this.timeline = List.copyOf(timeline);
        this.statusClasses = statusClasses.clone();
        this.errors = errors.clone();
        this.elapsedSeconds = elapsedSeconds;
        this.interrupted = interrupted;
    }

    public LoadOptions options() {
        return options;
    }

    /** Latencies of the requests that got an answer, in microseconds. */
    public Histogram histogram() {
        return histogram;
    }

    /**
     * Once a second, the answers of that second: where in the run the slow ones came (a stall, a capture's start or
     * end, a warm-up) that the run's percentiles alone do not say.
     */
    public List<Interval> timeline() {
        return timeline;
    }

    /** Requests of the warm-up: sent, answered or failed, and in no other count. */
    public long warmupRequests() {
        return warmupRequests;
    }

    /** Requests that got an answer or an error (after the warm-up). */
    public long requests() {
        return answered() + errorCount();
    }

    /** Requests that got an HTTP answer, whatever its status. */
    public long answered() {
        long n = 0;
        for (long c : statusClasses) {
            n += c;
        }
        return n;
    }

    public long errorCount() {
        long n = 0;
        for (long c : errors) {
            n += c;
        }
        return n;
    }

    /** Answers with a status in {@code 100 * klass .. 100 * klass + 99}, klass 1 to 5. */
    public long status(int klass) {
        return statusClasses[klass - 1];
    }

    /** Errors of one kind of {@link #ERROR_KINDS}. */
    public long errors(String kind) {
        for (int i = 0; i < ERROR_KINDS.length; i++) {
            if (ERROR_KINDS[i].equals(kind)) {
                return errors[i];
            }
        }
        throw new IllegalArgumentException(kind);
    }

    public double elapsedSeconds() {
        return elapsedSeconds;
    }

    /** Requests per second over the run. */
    public double throughput() {
        return elapsedSeconds <= 0 ? 0 : requests() / elapsedSeconds;
    }

    /** Ended early by {@link LoadGenerator#stop()} (Ctrl-C). */
    public boolean interrupted() {
        return interrupted;
    }

    /** A latency percentile in milliseconds (0 when nothing was answered). */
    public double percentileMillis(double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxMillis() {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getMaxValue() / 1000.0;
    }

    public double meanMillis() {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getMean() / 1000.0;
    }

    /**
     * The fields of {@code proflab load --format json}: {@code url, mode, concurrency, target_rate, warmup_s,
     * warmup_requests, elapsed_s, requests, throughput_rps, status{1xx..5xx}, errors{connect,timeout,io,other},
     * latency_ms{p50, p90, p99, p99_9, max, mean}, coordinated_omission_corrected, interrupted, timeline[{t_s,
     * answered, p50_ms, p99_ms, max_ms}]} (one entry a second, by the time the answers arrived).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", options.uri().toString());
        m.put("mode", options.fixedRate() ? "fixed-rate" : "closed-loop");
        m.put("concurrency", options.concurrency());
        m.put("target_rate", options.rate());
        m.put("warmup_s", round(options.warmup().toNanos() / 1e9, 3));
        m.put("warmup_requests", warmupRequests);
        m.put("elapsed_s", round(elapsedSeconds, 3));
        m.put("requests", requests());
        m.put("throughput_rps", round(throughput(), 2));
        Map<String, Object> status = new LinkedHashMap<>();
        for (int i = 0; i < STATUS_CLASSES.length; i++) {
            status.put(STATUS_CLASSES[i], statusClasses[i]);
        }
        m.put("status", status);
        Map<String, Object> errs = new LinkedHashMap<>();
        for (int i = 0; i < ERROR_KINDS.length; i++) {
            errs.put(ERROR_KINDS[i], errors[i]);
        }
        m.put("errors", errs);
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("p50", round(percentileMillis(50), 3));
        lat.put("p90", round(percentileMillis(90), 3));
        lat.put("p99", round(percentileMillis(99), 3));
        lat.put("p99_9", round(percentileMillis(99.9), 3));
        lat.put("max", round(maxMillis(), 3));
        lat.put("mean", round(meanMillis(), 3));
        m.put("latency_ms", lat);
        m.put("coordinated_omission_corrected", options.fixedRate());
        m.put("interrupted", interrupted);
        List<Map<String, Object>> seconds = new ArrayList<>();
        for (Interval i : timeline) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("t_s", round(i.endSeconds(), 3));
            e.put("answered", i.answered());
            e.put("p50_ms", round(i.p50Millis(), 3));
            e.put("p99_ms", round(i.p99Millis(), 3));
            e.put("max_ms", round(i.maxMillis(), 3));
            seconds.add(e);
        }
        m.put("timeline", seconds);
        return m;
    }

    /** The timeline as text: a line a second (for {@code proflab load --timeline}). */
    public String timelineText() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  %7s  %8s  %10s  %10s  %10s%n",
                "second", "answered", "p50", "p99", "max"));
        for (Interval i : timeline) {
            b.append(String.format(Locale.ROOT, "  %7.1f  %8d  %10s  %10s  %10s%n", i.endSeconds(), i.answered(),
                    i.answered() == 0 ? "-" : ms(i.p50Millis()), i.answered() == 0 ? "-" : ms(i.p99Millis()),
                    i.answered() == 0 ? "-" : ms(i.maxMillis())));
        }
        return b.toString();
    }

    /** The summary as text, a few aligned lines. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "load: %s: %s, %d worker%s, %.1f s%s%s%n", options.uri(),
                options.fixedRate() ? String.format(Locale.ROOT, "fixed rate %s/s", trim(options.rate())) : "closed loop",
                options.concurrency(), options.concurrency() == 1 ? "" : "s", elapsedSeconds,
                options.warmup().isZero() ? "" : String.format(Locale.ROOT, " after a %s s warm-up",
                        trim(options.warmup().toMillis() / 1000.0)),
                interrupted ? " (interrupted)" : ""));
        b.append(String.format(Locale.ROOT, "  requests  %d (%.1f/s)%n", requests(), throughput()));
        b.append("  status   ");
        for (int i = 0; i < STATUS_CLASSES.length; i++) {
            if (statusClasses[i] > 0 || i == 1) {
                b.append(' ').append(STATUS_CLASSES[i]).append(' ').append(statusClasses[i]);
            }
        }
        b.append(System.lineSeparator());
        b.append("  errors   ");
        if (errorCount() == 0) {
            b.append(" 0");
        }
        for (int i = 0; i < ERROR_KINDS.length; i++) {
            if (errors[i] > 0) {
                b.append(' ').append(ERROR_KINDS[i]).append(' ').append(errors[i]);
            }
        }
        b.append(System.lineSeparator());
        b.append(String.format(Locale.ROOT, "  latency   p50 %s  p90 %s  p99 %s  p99.9 %s  max %s%s%n",
                ms(percentileMillis(50)), ms(percentileMillis(90)), ms(percentileMillis(99)),
                ms(percentileMillis(99.9)), ms(maxMillis()),
                options.fixedRate() ? "  (from each request's scheduled start)" : ""));
        return b.toString();
    }

    static String ms(double millis) {
        if (millis >= 1000) {
            return String.format(Locale.ROOT, "%.2f s", millis / 1000);
        } else if (millis >= 1) {
            return String.format(Locale.ROOT, "%.2f ms", millis);
        }
        return String.format(Locale.ROOT, "%.0f us", millis * 1000);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
