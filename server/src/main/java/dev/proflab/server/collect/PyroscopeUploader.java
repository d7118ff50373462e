package dev.proflab.server.collect;

import dev.proflab.profile.ProfileKind;
import dev.proflab.server.fetch.TimedExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Pushes a JFR recording to Grafana Pyroscope's ingest API, as the {@code io.pyroscope:agent} Java agent does.
 *
 * <p>The protocol, as read in the sources (grafana/pyroscope {@code pkg/ingester/pyroscope/ingest_handler.go},
 * {@code pkg/og/convert/jfr/profile.go}, {@code api/model/labelset/labelset.go}; grafana/pyroscope-java
 * {@code agent/.../impl/PyroscopeExporter.java}) and in the server API reference
 * (grafana.com/docs/pyroscope/latest/configure-server/about-server-api):
 * <ul>
 *   <li>{@code POST <server>/ingest}</li>
 *   <li>query: {@code name=app{k=v,...}} (the app name, which may hold {@code [A-Za-z0-9_./-]}, then the static
 *       labels; label names {@code [A-Za-z0-9_.]}), {@code from} and {@code until} (Unix seconds of the window),
 *       {@code format=jfr}, {@code spyName} (the agent sends {@code javaspy}), {@code sampleRate} (Hz; the agent
 *       sends it for cpu, itimer and wall only), {@code units} and {@code aggregationType}</li>
 *   <li>body: {@code multipart/form-data} with a part named {@code jfr} (file name {@code jfr}; the recording, which
 *       the server gunzips when it starts with the gzip magic: the agent gzips it) and an optional part
 *       {@code labels} (a gzipped {@code LabelsSnapshot} protobuf of per-sample context labels, which the agent
 *       sends only when the application set some; none here)</li>
 *   <li>answer: 2xx accepted; 400 bad metadata (e.g. an invalid name); 422 a profile it could not convert; the agent
 *       retries on 429 and 5xx</li>
 *   <li>multi-tenant servers want {@code X-Scope-OrgID}; authentication is a reverse proxy's business (Bearer or
 *       basic auth)</li>
 * </ul>
 */
public final class PyroscopeUploader implements PushQueue.Sink {

    /** The spy name of the Java agent: Pyroscope labels JVM profiles with it. */
    public static final String SPY_NAME = "javaspy";

    private static final Pattern APP = Pattern.compile("[A-Za-z0-9_./-]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final URI ingest;
    private final String app;
    private final Map<String, String> labels;
    private volatile boolean runtimeLabels;
    private volatile Map<String, String> runtime;
    private final String token;
    private final String basic;
    private final String tenant;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param server the Pyroscope server, e.g. {@code http://pyroscope:4040} ({@code /ingest} is added)
     * @param app    the application (service) name
     * @param labels static labels, e.g. {@code env=staging}
     * @param token  sent as {@code Authorization: Bearer}, or null
     * @param tenant sent as {@code X-Scope-OrgID}, or null
     * @throws IllegalArgumentException with a one-line message for a bad URL, app name or label
     */
    public PyroscopeUploader(URI server, String app, Map<String, String> labels, String token, String tenant,
                             Duration timeout) {
        this(Server.parse(server.toString()), app, labels, token, tenant, timeout);
    }

    /**
     * As the other constructor, with {@code server}'s basic auth credentials, if any, sent as
     * {@code Authorization: Basic}; then {@code token} must be null (a request carries one Authorization header).
     */
    public PyroscopeUploader(Server server, String app, Map<String, String> labels, String token, String tenant,
                             Duration timeout) {
        URI uri = server.uri();
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            throw new IllegalArgumentException("--pyroscope: '" + redact(uri.toString()) + "' is not an http(s) URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("--pyroscope: credentials go in Server.basic, not in the URL");
        }
        if (server.basic() != null && token != null) {
            throw new IllegalArgumentException("--pyroscope-token-file: Pyroscope is also given basic auth credentials:"
                    + " give one of them (a request carries one Authorization header)");
        }
        if (tenant != null) {
            checkTenant(tenant);
        }
        String base = uri.toString().replaceAll("/+$", "");
        this.ingest = URI.create(base + "/ingest");
        name(app, labels); // checks them
        this.app = app;
        this.labels = new TreeMap<>(labels);
        this.token = token;
        this.basic = server.basic() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (server.basic().user() + ":" + server.basic().password()).getBytes(StandardCharsets.UTF_8));
        this.tenant = tenant;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
                .build();
    }

    /** A user name and password for HTTP basic auth; {@link #toString} does not show the password. */
    public record Basic(String user, String password) {
        public Basic {
            if (user == null || user.isEmpty() || password == null || password.isEmpty()) {
                throw new IllegalArgumentException("basic auth needs a user and a password (user:password)");
            }
            if (user.indexOf(':') >= 0) {
                throw new IllegalArgumentException("basic auth: the user name cannot hold ':' (RFC 7617)");
            }
            if ((user + password).chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("basic auth: control characters in the user or password");
            }
        }

        /** {@code user:password} (the first line of a file: what {@code --pyroscope-basic-auth-file} holds). */
        public static Basic parse(String text) {
            int colon = text == null ? -1 : text.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("basic auth: expected user:password");
            }
            return new Basic(text.substring(0, colon), text.substring(colon + 1));
        }

        @Override
        public String toString() {
            return user + ":***";
        }
    }

    /** The server's URL, without credentials, and the basic auth credentials it held (or were given), or null. */
    public record Server(URI uri, Basic basic) {

        /**
         * Reads {@code http://user:password@host:4040/prefix} as the Java agent does ({@code PyroscopeExporter
         * .addAuthHeader}: the URL's user and password become basic auth), keeping the credentials out of the URL
         * that is logged. Percent-escapes in the user and password are decoded. Errors never show the password.
         */
        public static Server parse(String text) {
            String t = text == null ? "" : text.strip();
            URI u;
            try {
                u = new URI(t);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("--pyroscope: '" + redact(t) + "' is not a URL: " + e.getReason());
            }
            if (u.getScheme() == null || !u.getScheme().matches("https?") || u.getHost() == null) {
                throw new IllegalArgumentException("--pyroscope: '" + redact(t) + "' is not an http(s) URL");
            }
            if (u.getRawQuery() != null || u.getRawFragment() != null) {
                throw new IllegalArgumentException("--pyroscope: '" + redact(t) + "': give the server's URL, without"
                        + " ?query or #fragment");
            }
            String info = u.getRawUserInfo();
            URI bare = URI.create(u.getScheme() + "://" + (u.getHost().contains(":") && !u.getHost().startsWith("[")
                    ? "[" + u.getHost() + "]" : u.getHost()) + (u.getPort() >= 0 ? ":" + u.getPort() : "")
                    + (u.getRawPath() == null ? "" : u.getRawPath()));
            if (info == null) {
                return new Server(bare, null);
            }
            int colon = info.indexOf(':');
            // percent-decoded as a URI's user info is ('+' is a plus there, not a space)
            String user = URLDecoder.decode((colon < 0 ? info : info.substring(0, colon)).replace("+", "%2B"),
                    StandardCharsets.UTF_8);
            String password = colon < 0 ? "" : URLDecoder.decode(info.substring(colon + 1).replace("+", "%2B"),
                    StandardCharsets.UTF_8);
            if (user.isEmpty() || password.isEmpty()) {
                throw new IllegalArgumentException("--pyroscope: '" + redact(t) + "': the URL names a user but no"
                        + " password (give user:password@host, or --pyroscope-basic-auth-file)");
            }
            try {
                return new Server(bare, new Basic(user, password));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--pyroscope: '" + redact(t) + "': " + e.getMessage());
            }
        }

        /** The same server with credentials read elsewhere; refused when the URL held some already. */
        public Server withBasic(Basic b) {
            if (basic != null && b != null) {
                throw new IllegalArgumentException("--pyroscope-basic-auth-file: the URL holds credentials already:"
                        + " give them once");
            }
            return new Server(uri, b);
        }
    }

    /** {@code text} with the user info of a URL ({@code user:password@}) shown as {@code ***@}. */
    public static String redact(String text) {
        return text == null ? null : text.replaceAll("(?<=://)[^/@?#]*@", "***@");
    }

    /**
     * A tenant ID as Grafana's services take it (dskit {@code tenant.ValidTenantID}, grafana/dskit tenant/tenant.go):
     * at most 150 characters of {@code [A-Za-z0-9!-_.*'()]}, not {@code .} or {@code ..}.
     */
    static void checkTenant(String t) {
        if (t.isEmpty() || t.length() > 150 || !t.matches("[A-Za-z0-9!\\-_.*'()]+") || t.equals(".")
                || t.equals("..")) {
            throw new IllegalArgumentException("--tenant '" + t + "': a tenant ID is 1 to 150 of letters, digits and"
                    + " ! - _ . * ' ( ) (not . or ..)");
        }
    }

    /**
     * {@code app{k=v,...}}, labels sorted as Pyroscope normalises them; the app name checked as Pyroscope's labelset
     * parser does, the labels as its distributor does ({@link PyroscopeLabels#check}).
     */
    static String name(String app, Map<String, String> labels) {
        if (app == null || !APP.matcher(app).matches()) {
            throw new IllegalArgumentException("--app: '" + app + "' is not a Pyroscope application name"
                    + " (letters, digits and _ . / - only)");
        }
        PyroscopeLabels.check(labels, 0);
        StringJoiner j = new StringJoiner(",", app + "{", "}");
        new TreeMap<>(labels).forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }

    /**
     * Adds the runtime of the profiled JVM to the labels, as the Java agent does ({@link PyroscopeLabels#runtimeOf},
     * read from the first recording: {@link #learnRuntime}), unless given as labels.
     *
     * @throws IllegalArgumentException when the labels would then be more than a series takes
     */
    public PyroscopeUploader withRuntimeLabels() {
        int more = (int) java.util.stream.Stream.of(PyroscopeLabels.RUNTIME_NAME, PyroscopeLabels.RUNTIME_VERSION)
                .filter(k -> labels.keySet().stream().noneMatch(l -> PyroscopeLabels.sanitized(l)
                        .equals(PyroscopeLabels.sanitized(k)))).count();
        PyroscopeLabels.check(labels, more);
        runtimeLabels = true;
        return this;
    }

    /** Reads the runtime labels from {@code jfr} once, when asked for by {@link #withRuntimeLabels}. */
    public void learnRuntime(Path jfr) {
        if (!runtimeLabels || runtime != null) {
            return;
        }
        Map<String, String> r = new java.util.LinkedHashMap<>(PyroscopeLabels.runtimeOf(jfr));
        r.keySet().removeIf(k -> labels.keySet().stream().anyMatch(l -> PyroscopeLabels.sanitized(l)
                .equals(PyroscopeLabels.sanitized(k))));
        runtime = Map.copyOf(r);
    }

    /** Where and how it pushes, for the log: the URL (never credentials), the kind of auth, the tenant. */
    public String describe() {
        return ingest + (basic != null ? " (basic auth" : token != null ? " (bearer token" : " (no auth")
                + (tenant != null ? ", tenant " + tenant + ")" : ")");
    }

    /** The {@code name} query parameter sent: the app, the labels and, once learnt, the runtime's. */
    public String name() {
        Map<String, String> all = new TreeMap<>(labels);
        Map<String, String> r = runtime;
        if (r != null) {
            all.putAll(r);
        }
        StringJoiner j = new StringJoiner(",", app + "{", "}");
        all.forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }

    /** The URL of one upload (tests and logs). */
    public URI uri(ProfileKind kind, Instant from, Instant until) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("name", name());
        q.put("from", Long.toString(from.getEpochSecond()));
        q.put("until", Long.toString(Math.max(until.getEpochSecond(), from.getEpochSecond() + 1)));
        q.put("format", "jfr");
        q.put("spyName", SPY_NAME);
        if (sampleRate(kind) > 0) {
            q.put("sampleRate", Integer.toString(sampleRate(kind)));
        }
        q.put("units", units(kind));
        q.put("aggregationType", kind == ProfileKind.HEAP ? "average" : "sum");
        StringJoiner j = new StringJoiner("&");
        q.forEach((k, v) -> j.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20")));
        return URI.create(ingest + "?" + j);
    }

    /**
     * What {@code io.pyroscope:agent} sends as {@code units} for the async-profiler event of a kind
     * ({@code io.pyroscope.javaagent.EventType}): objects for heap and allocs, else samples. Its
     * {@code aggregationType} is {@code average} for the heap (what is live), else {@code sum}.
     */
    static String units(ProfileKind kind) {
        return kind == ProfileKind.HEAP || kind == ProfileKind.ALLOCS ? "objects" : "samples";
    }

    /** The sampling rate in Hz of a kind's endpoint (every 10 ms for cpu, 50 ms for wall); 0: not sent. */
    static int sampleRate(ProfileKind kind) {
        return switch (kind) {
            case CPU -> 100;
            case WALL -> 20;
            default -> 0;
        };
    }

    /**
     * The outcome of one request: {@code status} (0 when there was no answer), and for a failure a one-line
     * {@code message}, whether it is worth another try (429, 5xx, no connection: what the Java agent retries,
     * {@code PyroscopeExporter.shouldRetry}) and the server's {@code Retry-After}, if it sent one.
     */
    public record Attempt(int status, String message, boolean retry, Duration retryAfter) {
        static final Attempt OK = new Attempt(200, null, false, null);

        public boolean ok() {
            return message == null;
        }

        /** 401 or 403: the credentials (or the tenant) are refused. */
        public boolean refused() {
            return status == 401 || status == 403;
        }
    }

    /**
     * Uploads {@code jfr} (a JFR recording) as the window {@code from}..{@code until} of {@code kind}, once.
     *
     * @throws IOException with a one-line message when Pyroscope cannot be reached or refuses it
     */
    public void upload(ProfileKind kind, Path jfr, Instant from, Instant until) throws IOException, InterruptedException {
        Attempt a = attempt(kind, gzip(jfr), from, until);
        if (!a.ok()) {
            throw new IOException(a.message());
        }
    }

    /**
     * One request with the gzipped recording {@code gz}; never throws for what the network or the server does
     * (that is the {@link Attempt}). Retrying is the caller's business ({@link PushQueue}).
     *
     * @throws InterruptedException when the thread was interrupted meanwhile
     */
    @Override
    public Attempt attempt(ProfileKind kind, byte[] gz, Instant from, Instant until) throws InterruptedException {
        URI uri = uri(kind, from, until);
        String boundary = "proflab-" + Long.toHexString(RANDOM.nextLong()) + Long.toHexString(RANDOM.nextLong());
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("User-Agent", "proflab-collect")
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, gz)));
        if (basic != null) {
            rb.header("Authorization", basic);
        } else if (token != null) {
            rb.header("Authorization", "Bearer " + token);
        }
        if (tenant != null) {
            rb.header("X-Scope-OrgID", tenant);
        }
        byte[] answer;
        int status;
        Duration retryAfter;
        // the whole answer within the timeout: a Pyroscope (or proxy) that trickles its answer does not hold us
        try (TimedExchange r = TimedExchange.send(client, rb.build(), timeout)) {
            status = r.status();
            retryAfter = retryAfter(r.headers().firstValue("Retry-After").orElse(null), Instant.now());
            answer = r.body().readNBytes(2048);
        } catch (ConnectException e) {
            return new Attempt(0, ingest + ": cannot connect (connection refused)", true, null);
        } catch (HttpTimeoutException e) {
            return new Attempt(0, ingest + ": no whole answer within " + Collector.secs(timeout), true, null);
        } catch (IOException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while pushing to " + ingest);
            }
            return new Attempt(0, ingest + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()), true, null);
        }
        if (status / 100 == 2) {
            return Attempt.OK;
        }
        String text = new String(answer, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        String message = ingest + ": Pyroscope answered " + status
                + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
        return new Attempt(status, message, status == 429 || status / 100 == 5, retryAfter);
    }

    /**
     * {@code Retry-After} (RFC 9110 10.2.3): seconds, or an HTTP date; null when absent or not one of those. A date
     * in the past is zero.
     */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The agent's body: one part {@code jfr}, file name {@code jfr}. */
    static byte[] multipart(String boundary, byte[] jfr) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(jfr.length + 256);
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"jfr\"; filename=\"jfr\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        b.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(jfr);
        b.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    static byte[] gzip(Path file) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b); InputStream in = Files.newInputStream(file)) {
            in.transferTo(g);
        }
        return b.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(data.length / 4 + 64);
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }
}
