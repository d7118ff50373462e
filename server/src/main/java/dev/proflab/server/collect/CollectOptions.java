package dev.proflab.server.collect;

import dev.proflab.profile.ProfileKind;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Collector} does.
 *
 * @param target     the service's base URL ({@code http://host:6060}); {@code /debug/pprof/...} is added
 * @param interval   from the start of one cycle to the start of the next
 * @param window     seconds of each CPU and wall window (whole seconds)
 * @param snapshot   seconds of each heap, allocs, mutex and block sample (whole seconds)
 * @param kinds      what each cycle fetches, in order (one capture at a time: the service allows no more)
 * @param out        the collection folder, or null (then only with {@code pyroscope}: nothing is kept)
 * @param jfr        fetch and save JFR ({@code .jfr}) rather than gzipped pprof ({@code .pb.gz})
 * @param keep       newest files kept per kind, 0 for no limit
 * @param maxBytes   bytes kept in all, 0 for no limit
 * @param token      bearer token for the target, or null
 * @param pyroscope  where each window is pushed, or null
 * @param backoffMin first wait after the target went down
 * @param backoffMax longest wait between two tries
 * @param maxCycles  stop after this many cycles, 0 for never (until {@link Collector#stop})
 * @param stopGrace  on stop, how long a capture under way may take to finish before it is dropped
 * @param maxProfileBytes the most read of one answer ({@link #DEFAULT_MAX_PROFILE_BYTES}); a bigger one is skipped
 * @param margin     how long past its window (or snapshot) a capture's whole answer may take: a CPU window of
 *                   30 s is given 30 s + margin, after which it is skipped ({@link #DEFAULT_MARGIN})
 * @param push       how windows wait for Pyroscope or OTLP ({@link PushQueue}; with {@code pyroscope} or {@code otlp})
 * @param otlp       where each window is pushed as OpenTelemetry profiles, or null
 */
public record CollectOptions(URI target, Duration interval, Duration window, Duration snapshot, List<ProfileKind> kinds,
                             Path out, boolean jfr, int keep, long maxBytes, String token, PyroscopeUploader pyroscope,
                             Duration backoffMin, Duration backoffMax, long maxCycles, Duration stopGrace,
                             long maxProfileBytes, Duration margin, PushSettings push, OtlpUploader otlp) {

    /**
     * 64 MB: a 30 s CPU window of the demo service under load is 70 kB as pprof and 1.7 MB as JFR, a 5 s heap
     * snapshot 16 kB and 0.4 MB; longer windows of a busier service fit many times over.
     */
    public static final long DEFAULT_MAX_PROFILE_BYTES = 64L << 20;

    /** 30 s: the time a capture's answer may take past its window (conversion, a slow network). */
    public static final Duration DEFAULT_MARGIN = Duration.ofSeconds(30);

    public CollectOptions {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(push, "push");
        kinds = List.copyOf(kinds);
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("nothing to collect: give at least one profile kind");
        }
        if (out == null && pyroscope == null && otlp == null) {
            throw new IllegalArgumentException("--out: needed unless --pyroscope or --otlp is given");
        }
        if ((pyroscope != null || otlp != null) && !jfr) {
            throw new IllegalArgumentException("Pyroscope and OTLP pushes are made from JFR: collect with jfr");
        }
        for (Duration d : List.of(window, snapshot)) {
            if (d.toMillis() % 1000 != 0 || d.toSeconds() < 1) {
                throw new IllegalArgumentException("windows are whole seconds (1s or more), not " + d.toMillis() + " ms");
            }
        }
        if (interval.compareTo(cycleWork(kinds, window, snapshot)) < 0) {
            throw new IllegalArgumentException("--interval " + interval.toSeconds() + "s is shorter than one cycle's"
                    + " captures (" + cycleWork(kinds, window, snapshot).toSeconds() + " s: they run one after"
                    + " another): raise --interval or shorten --window/--snapshot");
        }
        if (keep < 0 || maxBytes < 0 || maxCycles < 0) {
            throw new IllegalArgumentException("keep, maxBytes and maxCycles must not be negative");
        }
        if (maxProfileBytes < 1) {
            throw new IllegalArgumentException("maxProfileBytes must be positive, not " + maxProfileBytes);
        }
        if (margin.isNegative() || margin.isZero()) {
            throw new IllegalArgumentException("margin must be positive, not " + margin);
        }
    }

    /**
     * With the usual backoff (2 s doubling to 60 s), no cycle limit, a 5 s grace on stop, answers of at most
     * {@link #DEFAULT_MAX_PROFILE_BYTES} within their window plus {@link #DEFAULT_MARGIN}.
     */
    public static CollectOptions of(URI target, Duration interval, Duration window, Duration snapshot,
                                    List<ProfileKind> kinds, Path out, boolean jfr, int keep, long maxBytes,
                                    String token, PyroscopeUploader pyroscope) {
        return new CollectOptions(target, interval, window, snapshot, kinds, out, jfr, keep, maxBytes, token, pyroscope,
                Duration.ofSeconds(2), Duration.ofSeconds(60), 0, Duration.ofSeconds(5), DEFAULT_MAX_PROFILE_BYTES,
                DEFAULT_MARGIN, PushSettings.DEFAULTS, null);
    }

    public CollectOptions withBackoff(Duration min, Duration max) {
        return new CollectOptions(target, interval, window, snapshot, kinds, out, jfr, keep, maxBytes, token, pyroscope,
                min, max, maxCycles, stopGrace, maxProfileBytes, margin, push, otlp);
    }

    public CollectOptions withMaxCycles(long n) {
        return new CollectOptions(target, interval, window, snapshot, kinds, out, jfr, keep, maxBytes, token, pyroscope,
                backoffMin, backoffMax, n, stopGrace, maxProfileBytes, margin, push, otlp);
    }

    public CollectOptions withStopGrace(Duration grace) {
        return new CollectOptions(target, interval, window, snapshot, kinds, out, jfr, keep, maxBytes, token, pyroscope,
                backoffMin, backoffMax, maxCycles, grace, maxProfileBytes, margin, push, otlp);
    }

    public CollectOptions withMaxProfileBytes(long bytes) {
        return new CollectOptions(target, interval, window, snapshot, kinds, out, jfr, keep, maxBytes, token, pyroscope,
                backoffMin, backoffMax, maxCycles, stopGrace, bytes, margin, push, otlp);
    }

    public CollectOptions withMargin(Duration m) {
        return new CollectOptions(target, interval, window, snapshot, kinds, out, jfr, keep, maxBytes, token, pyroscope,
                backoffMin, backoffMax, maxCycles, stopGrace, maxProfileBytes, m, push, otlp);
    }

    public CollectOptions withPush(PushSettings p) {
        return new CollectOptions(target, interval, window, snapshot, kinds, out, jfr, keep, maxBytes, token, pyroscope,
                backoffMin, backoffMax, maxCycles, stopGrace, maxProfileBytes, margin, p, otlp);
    }

    public CollectOptions withOtlp(OtlpUploader o) {
        return new CollectOptions(target, interval, window, snapshot, kinds, out, jfr, keep, maxBytes, token, pyroscope,
                backoffMin, backoffMax, maxCycles, stopGrace, maxProfileBytes, margin, push, o);
    }

    /** How long the whole answer of a capture of {@code kind} may take: its window or snapshot, plus the margin. */
    public Duration deadline(ProfileKind kind) {
        return (kind.isWindow() ? window : snapshot).plus(margin);
    }

    /** Seconds of capturing in one cycle: the windows run one after another. */
    public static Duration cycleWork(List<ProfileKind> kinds, Duration window, Duration snapshot) {
        Duration d = Duration.ZERO;
        for (ProfileKind k : kinds) {
            d = d.plus(k.isWindow() ? window : snapshot);
        }
        return d;
    }

    /** {@code .jfr} or {@code .pb.gz}. */
    public String extension() {
        return jfr ? ".jfr" : ".pb.gz";
    }
}
