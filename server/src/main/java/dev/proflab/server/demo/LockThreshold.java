package dev.proflab.server.demo;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The lock profiling threshold of the demo service, and where it came from: the Java form of the seed's Step 3
 * settings {@code BLOCK_PROFILE_RATE_NS} ({@code runtime.SetBlockProfileRate}) and {@code MUTEX_PROFILE_FRACTION}
 * ({@code runtime.SetMutexProfileFraction}).
 *
 * <p>Go samples blocking events by duration (block: about one event per {@code rate} ns spent blocked) and mutex
 * contention by count (one event in {@code fraction}). The JVM's lock profile (async-profiler {@code lock},
 * JFR {@code jdk.JavaMonitorEnter} and {@code jdk.ThreadPark}) keeps the waits longer than one threshold, in
 * nanoseconds. So:
 * <ul>
 *   <li>{@code --lock-threshold D} wins;
 *   <li>else {@code BLOCK_PROFILE_RATE_NS=r} with r &gt; 0: threshold r ns (r = 1, "every event", is 1 ns);
 *       r &lt;= 0 turns lock profiling off, as in Go;
 *   <li>else {@code MUTEX_PROFILE_FRACTION=f} with f &gt; 0: the default threshold (there is no sampling by
 *       count); f = 0 turns it off, as in Go;
 *   <li>else the default, {@value #DEFAULT_NANOS} ns (10 µs, async-profiler's usual {@code lock=10us}).
 * </ul>
 *
 * @param nanos  the threshold; meaningless when {@code !enabled}
 * @param enabled false when a setting turned lock profiling off
 * @param source  where the value came from, for the start line and the docs
 */
public record LockThreshold(long nanos, boolean enabled, String source) {

    /** 10 µs. */
    public static final long DEFAULT_NANOS = 10_000;

    public static final String BLOCK_RATE_ENV = "BLOCK_PROFILE_RATE_NS";
    public static final String MUTEX_FRACTION_ENV = "MUTEX_PROFILE_FRACTION";

    public static LockThreshold defaults() {
        return new LockThreshold(DEFAULT_NANOS, true, "default");
    }

    /**
     * The threshold from an explicit option ({@code null}: none) and the environment.
     *
     * @throws IllegalArgumentException with a one-line message naming the variable when a value is not a number
     */
    public static LockThreshold resolve(Duration option, Map<String, String> env) {
        if (option != null) {
            if (option.isNegative()) {
                throw new IllegalArgumentException("--lock-threshold: must be >= 0, was " + option);
            }
            return new LockThreshold(option.toNanos(), true, "--lock-threshold");
        }
        String rate = env.get(BLOCK_RATE_ENV);
        if (rate != null && !rate.isBlank()) {
            long r = number(BLOCK_RATE_ENV, rate);
            return r > 0 ? new LockThreshold(r, true, BLOCK_RATE_ENV + "=" + r)
                    : new LockThreshold(0, false, BLOCK_RATE_ENV + "=" + r);
        }
        String fraction = env.get(MUTEX_FRACTION_ENV);
        if (fraction != null && !fraction.isBlank()) {
            long f = number(MUTEX_FRACTION_ENV, fraction);
            return f > 0 ? new LockThreshold(DEFAULT_NANOS, true, MUTEX_FRACTION_ENV + "=" + f)
                    : new LockThreshold(0, false, MUTEX_FRACTION_ENV + "=" + f);
        }
        return defaults();
    }

    private static long number(String name, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + Query.echo(value) + "' is not an integer");
        }
    }

    /** {@code 10us (default)}, {@code off (MUTEX_PROFILE_FRACTION=0)}. */
    public String describe() {
        if (!enabled) {
            return "off (" + source + ")";
        }
        String v = nanos % 1_000_000 == 0 && nanos > 0 ? nanos / 1_000_000 + "ms"
                : nanos % 1_000 == 0 && nanos > 0 ? nanos / 1_000 + "us" : nanos + "ns";
        return String.format(Locale.ROOT, "%s (%s)", v, source);
    }
}
