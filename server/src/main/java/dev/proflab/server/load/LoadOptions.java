package dev.proflab.server.load;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * What {@link LoadGenerator} does: GET {@code uri} from {@code concurrency} workers, closed loop (each worker sends
 * its next request when the previous answer arrived) or at a fixed {@code rate} in requests per second over all
 * workers, until {@code duration} has passed or {@code requests} have been sent, whichever comes first. A
 * {@code warmup} runs before that, the same way, and is not measured: the requests due in it are sent but not counted.
 *
 * @param uri         an http or https URL
 * @param concurrency workers, >= 1
 * @param duration    how long to run; null: until {@code requests}
 * @param rate        requests per second over all workers; 0: closed loop
 * @param requests    how many requests to send; 0: until {@code duration}
 * @param timeout     per request, connect included
 * @param warmup      how long to load before measuring; {@link Duration#ZERO}: none
 */
public record LoadOptions(URI uri, int concurrency, Duration duration, double rate, long requests, Duration timeout,
                          Duration warmup) {

    /** Without a warm-up. */
    public LoadOptions(URI uri, int concurrency, Duration duration, double rate, long requests, Duration timeout) {
        this(uri, concurrency, duration, rate, requests, timeout, Duration.ZERO);
    }

    /** Most workers; each is a platform thread with its own connection. */
    public static final int MAX_CONCURRENCY = 10_000;

    /**
     * @throws IllegalArgumentException with a one-line message naming the option when a value is out of range
     */
    public LoadOptions {
        check(uri);
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("--concurrency: must be 1 to " + MAX_CONCURRENCY + ", was " + concurrency);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("--duration: must be > 0, was " + duration);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate: must be >= 0 requests per second, was " + rate);
        }
        if (requests < 0) {
            throw new IllegalArgumentException("--requests: must be >= 0, was " + requests);
        }
        if (duration == null && requests == 0) {
            throw new IllegalArgumentException("give --duration or --requests (or both): the run must end");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout: must be > 0, was " + timeout);
        }
        if (warmup == null || warmup.isNegative()) {
            throw new IllegalArgumentException("--warmup: must be >= 0, was " + warmup);
        }
    }

    private static void check(URI uri) {
        if (uri == null) {
            throw new IllegalArgumentException("no URL given");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("URL '" + uri + "': only http:// and https:// URLs can be loaded");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("URL '" + uri + "' has no host");
        }
    }

    /** Parses a URL as typed on the command line. */
    public static URI parseUri(String text) {
        try {
            URI uri = new URI(text == null ? "" : text.strip());
            check(uri);
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("URL '" + text + "' is not a URL: " + e.getReason());
        }
    }

    /** Fixed rate (open loop) rather than closed loop. */
    public boolean fixedRate() {
        return rate > 0;
    }
}
