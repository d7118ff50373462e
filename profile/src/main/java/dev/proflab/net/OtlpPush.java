package dev.proflab.net;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Sends OTLP profiles over HTTP: one {@code POST} of an {@code ExportProfilesServiceRequest}'s bytes
 * ({@code Content-Type: application/x-protobuf}) to an OTLP/HTTP receiver, as the OTLP specification describes
 * (opentelemetry-proto {@code docs/specification.md}, "OTLP/HTTP": the default path of profiles is
 * {@code /v1development/profiles}, as the OpenTelemetry collector's {@code otlpreceiver} serves it).
 *
 * <p>Each {@link #push} is one attempt, bounded by the timeout; it never retries. Whether and when to try again
 * is the caller's: a failure says whether the specification allows a retry ({@code 429, 502, 503, 504}, or no
 * answer at all) and the {@code Retry-After} the receiver asked for.
 *
 * <pre>{@code
 * OtlpPush push = OtlpPush.to(URI.create("http://localhost:4318"), Duration.ofSeconds(10));
 * push.push(OtlpProfiles.withResource(OtlpProfiles.of(window, "cpu").bytes(), attributes));
 * }</pre>
 */
public final class OtlpPush {

    /** The default URL path of profiles in OTLP/HTTP. */
    public static final String PROFILES_PATH = "/v1development/profiles";
    public static final String CONTENT_TYPE = "application/x-protobuf";

    private final URI url;
    private final Duration timeout;
    private final HttpClient client;

    private OtlpPush(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * A pusher to {@code endpoint}: a receiver's base URL ({@code http://host:4318}, no path or {@code /}) gets
     * {@link #PROFILES_PATH}; a URL with a path is used as it is (as the OTLP exporters' per-signal endpoint).
     *
     * @throws IllegalArgumentException for a URL that is not http(s) with a host, or a timeout that is not positive
     */
    public static OtlpPush to(URI endpoint, Duration timeout) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(timeout, "timeout");
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null) {
            throw new IllegalArgumentException("endpoint: an http:// or https:// URL with a host, not " + endpoint);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: more than zero, not " + timeout);
        }
        String path = endpoint.getRawPath();
        URI url = path == null || path.isEmpty() || path.equals("/")
                ? endpoint.resolve(PROFILES_PATH) : endpoint;
        return new OtlpPush(url, timeout);
    }

    /** Where the requests go. */
    public URI url() {
        return url;
    }

    /** What the receiver answered to a push it took (2xx). */
    public record Accepted(int status, int bodyBytes) {
    }

    /** A push the receiver did not take, or that got no answer. */
    public static final class Failure extends IOException {
        private final int status;
        private final boolean retryable;
        private final OptionalLong retryAfterSeconds;

        Failure(String message, int status, boolean retryable, OptionalLong retryAfterSeconds, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.retryable = retryable;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /** The HTTP status, or 0 when there was no answer (refused, timed out). */
        public int status() {
            return status;
        }

        /** Whether the OTLP specification allows sending the same request again (429, 502, 503, 504, no answer). */
        public boolean retryable() {
            return retryable;
        }

        /** The receiver's {@code Retry-After}, in seconds, when it sent one. */
        public OptionalLong retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /**
     * One {@code POST} of {@code request} (the bytes of an {@code ExportProfilesServiceRequest}).
     *
     * @throws Failure when the receiver answers other than 2xx, or does not answer within the timeout
     * @throws InterruptedException when the thread is interrupted while waiting (the request is abandoned)
     */
    public Accepted push(byte[] request) throws Failure, InterruptedException {
        HttpRequest post = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(post, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new Failure(url + ": no answer within " + timeout.toMillis() + " ms", 0, true,
                    OptionalLong.empty(), e);
        } catch (IOException e) {
            throw new Failure(url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    0, true, OptionalLong.empty(), e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return new Accepted(status, response.body().length);
        }
        boolean retryable = status == 429 || status == 502 || status == 503 || status == 504;
        OptionalLong retryAfter = response.headers().firstValue("Retry-After").map(OtlpPush::seconds)
                .orElse(OptionalLong.empty());
        throw new Failure(url + ": HTTP " + status + (retryable ? " (may be retried)" : ""), status, retryable,
                retryAfter, null);
    }

    /** A {@code Retry-After} of delay-seconds (the HTTP-date form is not read). */
    private static OptionalLong seconds(String value) {
        try {
            long s = Long.parseLong(value.strip());
            return s >= 0 ? OptionalLong.of(s) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
