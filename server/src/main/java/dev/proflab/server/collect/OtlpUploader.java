package dev.proflab.server.collect;

import dev.proflab.profile.ProfileKind;
import dev.proflab.server.fetch.TimedExchange;

import one.convert.Arguments;
import one.convert.JfrToOtlp;
import one.jfr.JfrReader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
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
 * async-profiler's converter ({@code one.convert.JfrToOtlp}, what its {@code -o otlp} writes); the resource of each
 * gets the attributes given ({@code service.name}, {@code host.name}, ...), added on the wire: a second
 * {@code resource} field of a {@code ResourceProfiles} is merged into the first by every protobuf reader.
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

    /** async-profiler's converter options for the samples of a kind. */
    static Arguments arguments(ProfileKind kind) {
        Arguments a = new Arguments();
        switch (kind) {
            case CPU -> { } // the default: execution samples
            case WALL -> a.wall = true;
            case HEAP -> a.live = true;
            case ALLOCS -> a.alloc = true;
            case MUTEX, BLOCK -> a.lock = true;
        }
        return a;
    }

    /** The window {@code jfr} of {@code kind} as an {@code ExportProfilesServiceRequest}, with the resource attributes. */
    public byte[] convert(ProfileKind kind, byte[] jfr) throws IOException {
        JfrToOtlp c = new JfrToOtlp(new JfrReader(ByteBuffer.wrap(jfr)), arguments(kind));
        c.convert();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.dump(out);
        return withResource(out.toByteArray(), resource);
    }

    /**
     * {@code request} with a {@code resource} (field 1) holding {@code attributes} (field 1, {@code KeyValue}s of
     * string values) appended to each {@code ResourceProfiles} (field 1 of the request); other fields as they were.
     */
    static byte[] withResource(byte[] request, Map<String, String> attributes) {
        ByteArrayOutputStream res = new ByteArrayOutputStream();
        attributes.forEach((k, v) -> {
            ByteArrayOutputStream any = new ByteArrayOutputStream();
            field(any, 1, v.getBytes(StandardCharsets.UTF_8)); // AnyValue.string_value
            ByteArrayOutputStream kv = new ByteArrayOutputStream();
            field(kv, 1, k.getBytes(StandardCharsets.UTF_8)); // KeyValue.key
            field(kv, 2, any.toByteArray()); // KeyValue.value
            field(res, 1, kv.toByteArray()); // Resource.attributes
        });
        ByteArrayOutputStream resourceField = new ByteArrayOutputStream();
        field(resourceField, 1, res.toByteArray()); // ResourceProfiles.resource
        ByteArrayOutputStream out = new ByteArrayOutputStream(request.length + 256);
        int[] pos = {0};
        while (pos[0] < request.length) {
            int start = pos[0];
            long tag = varint(request, pos);
            int wire = (int) (tag & 7);
            int number = (int) (tag >>> 3);
            switch (wire) {
                case 0 -> varint(request, pos);
                case 1 -> pos[0] += 8;
                case 5 -> pos[0] += 4;
                case 2 -> {
                    int len = (int) varint(request, pos);
                    if (number == 1) {
                        ByteArrayOutputStream rp = new ByteArrayOutputStream(len + resourceField.size());
                        rp.write(request, pos[0], len);
                        rp.writeBytes(resourceField.toByteArray());
                        field(out, 1, rp.toByteArray());
                        pos[0] += len;
                        continue;
                    }
                    pos[0] += len;
                }
                default -> throw new IllegalArgumentException("not a protobuf message: wire type " + wire);
            }
            if (pos[0] > request.length) {
                throw new IllegalArgumentException("not a protobuf message: cut off");
            }
            out.write(request, start, pos[0] - start);
        }
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, int number, byte[] value) {
        writeVarint(out, ((long) number << 3) | 2);
        writeVarint(out, value.length);
        out.writeBytes(value);
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long varint(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) {
                throw new IllegalArgumentException("not a protobuf message: cut off");
            }
            int x = b[pos[0]++] & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if (x < 0x80) {
                return v;
            }
        }
        throw new IllegalArgumentException("not a protobuf message: varint too long");
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
