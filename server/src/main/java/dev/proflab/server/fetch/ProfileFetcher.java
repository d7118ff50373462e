package dev.proflab.server.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proflab.profile.EventInfo;
import dev.proflab.profile.ProfileException;
import dev.proflab.profile.ProfileReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Downloads a profile from a running service (the seed's {@code go tool pprof -proto URL > cpu.pb.gz}): streams
 * the body to a temporary file beside the target, checks that it is a profile (gzipped pprof, or a JFR
 * recording, that {@link ProfileReader} reads) and only then renames it to the target, as
 * {@link dev.proflab.io.AtomicFiles} does. Whatever goes wrong, nothing is left behind and the target, if it
 * existed, is as it was.
 *
 * <pre>{@code
 * Fetched f = new ProfileFetcher(Duration.ofSeconds(60))
 *         .fetch(URI.create("http://127.0.0.1:6060/debug/pprof/profile?seconds=5"), Path.of("cpu.pb.gz"), null);
 * }</pre>
 */
public final class ProfileFetcher {

    /** What arrived and where it went. */
    public record Fetched(Path file, long bytes, String type, List<EventInfo> events) {
        /** {@code pprof (gzipped profile.proto)}, with its events. */
        public String describe() {
            String ev = events.isEmpty() ? "no samples"
                    : events.stream().map(e -> e.name() + " (" + e.count() + ")").collect(Collectors.joining(", "));
            return type + ", " + ev;
        }
    }

    /** Most bytes read from an error answer to find its message. */
    private static final int MAX_ERROR_BODY = 8192;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Duration timeout;
    private final HttpClient client;

    /** {@code timeout}: for the whole answer (a CPU profile of 30 s needs more than 30 s). */
    public ProfileFetcher(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * Fetches {@code uri} into {@code target}, sending {@code Authorization: Bearer token} when token is not null.
     *
     * @throws FetchException with a one-line message when the server cannot be reached, answers an error, or
     *     sends something that is not a profile; nothing is written then
     * @throws InterruptedException if interrupted; nothing is written then
     */
    public Fetched fetch(URI uri, Path target, String token) throws InterruptedException {
        Path abs = target.toAbsolutePath();
        return fetch(uri, target, abs.getParent().resolve("." + abs.getFileName() + "."
                + Long.toHexString(RANDOM.nextLong()) + ".part"), token);
    }

    /**
     * {@link #fetch(URI, Path, String)} with a given temporary file (in the target's folder; overwritten if a
     * killed process left it behind), for callers whose readers need to know the temporary names (the collector
     * hides them as {@code .NAME.tmp}).
     */
    public Fetched fetch(URI uri, Path target, Path temp, String token) throws InterruptedException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "proflab-fetch").GET();
        if (token != null) {
            rb.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new FetchException(uri + ": no connection within " + seconds(timeout),
                    FetchException.Reason.UNREACHABLE, 0);
        } catch (HttpTimeoutException e) {
            throw new FetchException(uri + ": no answer within " + seconds(timeout) + " (raise --timeout)",
                    FetchException.Reason.TIMEOUT, 0);
        } catch (ConnectException e) {
            throw new FetchException(uri + ": cannot connect (" + (e.getMessage() == null ? "connection refused"
                    : e.getMessage()) + ")", FetchException.Reason.UNREACHABLE, 0);
        } catch (IOException e) {
            if (Thread.interrupted()) { // the caller was interrupted (Ctrl-C): not a failure of the server
                throw new InterruptedException("interrupted while waiting for " + uri);
            }
            // the connection was closed or reset before an answer: the server went away (or a proxy dropped it)
            throw new FetchException(uri + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    FetchException.Reason.UNREACHABLE, 0);
        }
        int status = response.statusCode();
        if (status >= 300) {
            String message;
            try (InputStream in = response.body()) {
                message = errorMessage(in.readNBytes(MAX_ERROR_BODY));
            } catch (IOException e) {
                message = "";
            }
            throw new FetchException(uri + ": the server answered " + status
                    + (message.isEmpty() ? "" : ": " + message), FetchException.Reason.STATUS, status);
        }
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = temp.toAbsolutePath();
        boolean done = false;
        try {
            long bytes;
            try (InputStream in = response.body()) {
                Files.createDirectories(dir);
                try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                    bytes = in.transferTo(out);
                }
            } catch (HttpTimeoutException e) {
                throw new FetchException(uri + ": the answer did not complete within " + seconds(timeout)
                        + " (raise --timeout)", FetchException.Reason.TIMEOUT, 0);
            } catch (IOException e) {
                if (Thread.interrupted()) { // the caller was interrupted (Ctrl-C): not a failure of the server
                    throw new InterruptedException("interrupted while downloading " + uri);
                }
                throw new FetchException(uri + ": " + (e.getMessage() == null ? "download failed"
                        : "download failed: " + e.getMessage()), FetchException.Reason.UNREACHABLE, 0);
            }
            Fetched f = check(tmp, bytes, uri);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            return new Fetched(target, f.bytes(), f.type(), f.events());
        } catch (IOException e) {
            throw new FetchException(target + ": cannot write: " + e.getMessage(), FetchException.Reason.OTHER, 0);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    /** What the file is, if it is a profile; else a FetchException. */
    static Fetched check(Path file, long bytes, URI uri) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        String type;
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            type = "pprof (gzipped profile.proto)";
        } else if (head.length == 4 && head[0] == 'F' && head[1] == 'L' && head[2] == 'R' && head[3] == 0) {
            type = "JFR recording";
        } else {
            throw new FetchException(uri + ": the answer is not a profile (" + bytes + " bytes"
                    + (bytes == 0 ? "" : ", starting " + printable(head)) + "): expected gzipped pprof or JFR",
                    FetchException.Reason.NOT_A_PROFILE, 0);
        }
        try {
            return new Fetched(file, bytes, type, ProfileReader.events(file));
        } catch (ProfileException e) {
            throw new FetchException(uri + ": the answer looks like " + type + " but cannot be read ("
                    + oneLine(e.getMessage()).replace(file.toString(), "download") + ")",
                    FetchException.Reason.NOT_A_PROFILE, 0);
        }
    }

    /** The server's message: the {@code error} of a JSON body, else the text of the first non-blank line. */
    static String errorMessage(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            try {
                JsonNode n = MAPPER.readTree(text);
                if (n.hasNonNull("error")) {
                    return oneLine(n.get("error").asText());
                }
            } catch (IOException e) {
                // not JSON after all
            }
        }
        String plain = text.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ")
                .replaceAll("(?s)<[^>]*>", " ");
        for (String line : plain.split("\\R")) {
            if (!line.isBlank()) {
                String l = oneLine(line);
                return l.length() > 200 ? l.substring(0, 200) + "..." : l;
            }
        }
        return "";
    }

    private static String printable(byte[] head) {
        StringBuilder b = new StringBuilder("'");
        for (byte x : head) {
            b.append(x >= 0x20 && x < 0x7f ? (char) x : '.');
        }
        return b.append('\'').toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s+", " ");
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.0f s", d.toMillis() / 1000.0);
    }
}
