package dev.proflab.server.collect;

import dev.proflab.profile.ProfileKind;
import dev.proflab.server.fetch.TimedExchange;

import dev.proflab.export.OtlpProfiles;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pushes each window as OpenTelemetry profiles over HTTP: {@code POST <url>/v1development/profiles}, a gzipped
 * protobuf {@code ExportProfilesServiceRequest}, as the Pyroscope Java agent does with {@code format=otlp}
 * ({@code PyroscopeExporter}: {@code OTLP_PROFILES_PATH}, {@code Content-Encoding: gzip}). The profiles are written by
 * async-profiler's converter ({@link OtlpProfiles}: what its {@code -o otlp} writes, and {@code proflab convert -o
 * x.otlp}); the resource gets the attributes given ({@code service.name}, {@code host.name}, ...).
 */
public final class OtlpUploader implements PushQueue.Sink {

    /** The agent's path of OTLP profiles. */
    public static final String PATH = "v1development/profiles";

    private final URI endpoint;
    private final Map<String, String> resource;
    private final String authorization;
    private final String tenant;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param server   the receiver (an OpenTelemetry collector, or Pyroscope); {@link #PATH} is added
     * @param resource resource attributes of every profile, e.g. {@code service.name}
     * @param token    bearer token, or null (then basic auth from {@code server}, if any)
     */
    public OtlpUploader(PyroscopeUploader.Server server, Map<String, String> resource, String token, String tenant,
                        Duration timeout) {
        if (server.basic() != null && token != null) {
            throw new IllegalArgumentException("--otlp: basic auth and a token: give one of them");
        }
        this.endpoint = URI.create(server.uri().toString().replaceAll("/+$", "") + "/" + PATH);
        this.resource = new LinkedHashMap<>(resource);
        this.authorization = token != null ? "Bearer " + token : server.basic() == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((server.basic().user() + ":" + server.basic().password())
                .getBytes(StandardCharsets.UTF_8));
        this.tenant = tenant;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
                .build();
    }

    @Override
    public String receiver() {
        return "OTLP receiver";
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The event of {@link OtlpProfiles} a window of {@code kind} holds. */
    static String event(ProfileKind kind) {
        return switch (kind) {
            case CPU -> "cpu";
            case WALL -> "wall";
            case HEAP -> "live";
            case ALLOCS -> "alloc";
            case MUTEX, BLOCK -> "lock";
        };
    }

    /**
     * The window {@code jfr} of {@code kind} as an {@code ExportProfilesServiceRequest} written by async-profiler's
     * converter, with the resource attributes ({@link OtlpProfiles}, as {@code proflab convert -o x.otlp} writes).
     */
    public byte[] convert(ProfileKind kind, byte[] jfr) throws IOException {
        return OtlpProfiles.withResource(OtlpProfiles.of(jfr, event(kind)).bytes(), resource);
    }

    /** One request; {@code gz}: the gzipped request ({@link #convert}, then gzipped by the queue). */
    @Override
    public PyroscopeUploader.Attempt attempt(ProfileKind kind, byte[] gz, Instant from, Instant until)
            throws InterruptedException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "gzip")
                .header("User-Agent", "proflab-collect")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gz));
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        if (tenant != null) {
            rb.header("X-Scope-OrgID", tenant);
        }
        int status;
        byte[] answer;
        Duration retryAfter;
        try (TimedExchange r = TimedExchange.send(client, rb.build(), timeout)) {
            status = r.status();
            retryAfter = PyroscopeUploader.retryAfter(r.headers().firstValue("Retry-After").orElse(null), Instant.now());
            answer = r.body().readNBytes(2048);
        } catch (ConnectException e) {
            return new PyroscopeUploader.Attempt(0, endpoint + ": cannot connect (connection refused)", true, null);
        } catch (HttpTimeoutException e) {
            return new PyroscopeUploader.Attempt(0, endpoint + ": no whole answer within " + Collector.secs(timeout),
                    true, null);
        } catch (IOException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while pushing to " + endpoint);
            }
            return new PyroscopeUploader.Attempt(0, endpoint + ": " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()), true, null);
        }
        if (status / 100 == 2) {
            return new PyroscopeUploader.Attempt(status, null, false, null);
        }
        String text = new String(answer, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        String message = endpoint + ": answered " + status
                + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
        // OTLP/HTTP: 429, 502, 503, 504 are retryable; the agent retries every 5xx
        return new PyroscopeUploader.Attempt(status, message, status == 429 || status / 100 == 5, retryAfter);
    }

    /** Reads {@code file} and converts it ({@link #convert}). */
    public byte[] convert(ProfileKind kind, Path file) throws IOException {
        return convert(kind, Files.readAllBytes(file));
    }
}
