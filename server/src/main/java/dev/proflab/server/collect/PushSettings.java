package dev.proflab.server.collect;

import java.time.Duration;
import java.util.Objects;

/**
 * How finished windows wait for Pyroscope ({@link PushQueue}).
 *
 * @param queueMax      windows waiting at most; beyond it the oldest waiting one is dropped
 * @param queueMaxBytes bytes (gzipped recordings) waiting at most; beyond it the oldest waiting one is dropped
 * @param maxAge        a window whose start is older than this is given up: Pyroscope's distributor refuses
 *                      profiles older than its {@code validation.reject-older-than}, 1 h by default
 *                      (grafana/pyroscope pkg/validation/limits.go)
 * @param firstBackoff  the first wait after a failed try; it doubles up to {@code maxBackoff}, each wait less a
 *                      random part of up to half (the Java agent's {@code ExponentialBackoff(1_000, 30_000)})
 * @param maxBackoff    the longest wait between two tries, unless the server's {@code Retry-After} asks for more
 * @param timing        the clock and the waits (tests replace them)
 */
public record PushSettings(int queueMax, long queueMaxBytes, Duration maxAge, Duration firstBackoff,
                           Duration maxBackoff, PushQueue.Timing timing) {

    /** 100 windows: 50 minutes of a CPU window and a heap snapshot every minute. */
    public static final int DEFAULT_QUEUE_MAX = 100;
    /** 256 MB of gzipped recordings. */
    public static final long DEFAULT_QUEUE_MAX_BYTES = 256L << 20;
    /** 1 h, Pyroscope's default {@code reject-older-than}. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(1);
    /** The longest {@code Retry-After} obeyed as such: a longer one is waited for this long, then tried again. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

    public static final PushSettings DEFAULTS = new PushSettings(DEFAULT_QUEUE_MAX, DEFAULT_QUEUE_MAX_BYTES,
            DEFAULT_MAX_AGE, Duration.ofSeconds(1), Duration.ofSeconds(30), PushQueue.Timing.SYSTEM);

    public PushSettings {
        Objects.requireNonNull(timing, "timing");
        if (queueMax < 1) {
            throw new IllegalArgumentException("--queue-max: must be 1 or more, was " + queueMax);
        }
        if (queueMaxBytes < 1) {
            throw new IllegalArgumentException("--queue-max-bytes: must be positive, was " + queueMaxBytes);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("--push-max-age: must be positive, was " + maxAge);
        }
        if (firstBackoff.isNegative() || firstBackoff.isZero() || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("backoff: 0 < first <= max, was " + firstBackoff + " .. " + maxBackoff);
        }
    }

    public PushSettings withQueue(int max, long maxBytes, Duration age) {
        return new PushSettings(max, maxBytes, age, firstBackoff, maxBackoff, timing);
    }

    public PushSettings withBackoff(Duration first, Duration max) {
        return new PushSettings(queueMax, queueMaxBytes, maxAge, first, max, timing);
    }

    public PushSettings withTiming(PushQueue.Timing t) {
        return new PushSettings(queueMax, queueMaxBytes, maxAge, firstBackoff, maxBackoff, t);
    }
}
