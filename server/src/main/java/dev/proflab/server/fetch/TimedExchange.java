package dev.proflab.server.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP exchange with one deadline for the whole answer, headers and body.
 *
 * <p>The JDK client's {@link HttpRequest.Builder#timeout request timeout} ends when the headers have arrived: a server
 * that sends them and then one byte a second holds a reader of a streamed body for as long as it likes. Here the
 * request's timeout bounds the headers, and a watchdog closes the body stream at the deadline; a read blocked on the
 * body then fails with {@link HttpTimeoutException}, and so does every later read.
 *
 * <pre>{@code
 * try (TimedExchange x = TimedExchange.send(client, request, Duration.ofSeconds(40))) {
 *     int status = x.status();
 *     x.body().transferTo(out);     // HttpTimeoutException 40 s after send, however slowly the body trickles
 * }
 * }</pre>
 */
public final class TimedExchange implements AutoCloseable {

    /** One daemon thread for every deadline: its tasks only cancel a future or close a stream. */
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private final HttpResponse<InputStream> response;
    private final InputStream body;
    private final ScheduledFuture<?> dog;

    private TimedExchange(HttpResponse<InputStream> response, AtomicBoolean expired, ScheduledFuture<?> dog,
                          Duration timeout) {
        this.response = response;
        this.dog = dog;
        this.body = new FilterInputStream(response.body()) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw expired.get() ? expired(timeout, e) : e;
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    throw expired.get() ? expired(timeout, e) : e;
                }
            }

            @Override
            public void close() throws IOException {
                dog.cancel(false);
                super.close();
            }
        };
    }

    /**
     * Sends {@code request} and returns once the headers have arrived; the body is then read from {@link #body()}
     * until {@code timeout} after this call.
     *
     * @throws HttpTimeoutException when no headers arrived within {@code timeout}
     * @throws IOException as {@link HttpClient#send} throws it (connection refused, reset, ...)
     * @throws InterruptedException if interrupted while waiting for the headers; the exchange is cancelled
     */
    public static TimedExchange send(HttpClient client, HttpRequest request, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // the headers: the client's own request timeout, which ends when they arrive. Sent synchronously: the future
        // of sendAsync completes on the common ForkJoinPool, which has one thread on a 2-core machine, and a caller
        // that holds it (a CompletableFuture.supplyAsync, a parallel stream) would wait out every deadline
        HttpRequest timed = HttpRequest.newBuilder(request, (name, value) -> true).timeout(timeout).build();
        HttpResponse<InputStream> response = client.send(timed, HttpResponse.BodyHandlers.ofInputStream());
        // the body: what is left of the deadline, after which the watchdog closes the stream under the reader
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> dog = WATCHDOG.schedule(() -> {
            expired.set(true);
            closeQuietly(response.body());
        }, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return new TimedExchange(response, expired, dog, timeout);
    }

    private static HttpTimeoutException expired(Duration timeout, Throwable cause) {
        HttpTimeoutException t = new HttpTimeoutException("no whole answer within " + timeout.toMillis() + " ms");
        if (cause != null) {
            t.initCause(cause);
        }
        return t;
    }

    public int status() {
        return response.statusCode();
    }

    public HttpHeaders headers() {
        return response.headers();
    }

    /** The body; reads fail with {@link HttpTimeoutException} once the deadline has passed. */
    public InputStream body() {
        return body;
    }

    /** Closes the body: the rest of it is not read (the connection is dropped), the watchdog is called off. */
    @Override
    public void close() {
        closeQuietly(body);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing a response body: nothing to do about it
        }
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "proflab-http-deadline");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }
}
