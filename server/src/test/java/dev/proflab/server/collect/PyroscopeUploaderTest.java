package dev.proflab.server.collect;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.proflab.profile.EventInfo;
import dev.proflab.profile.ProfileKind;
import dev.proflab.profile.ProfileReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The push to Pyroscope, against a local receiver that checks each request as Pyroscope's {@code /ingest} handler
 * does (grafana/pyroscope pkg/ingester/pyroscope/ingest_handler.go, pkg/og/convert/jfr/profile.go,
 * api/model/labelset): POST /ingest, a {@code name} that parses as {@code app{k=v,...}}, numeric from/until,
 * format=jfr, an integer sampleRate if any, a multipart/form-data body with a {@code jfr} part (gunzipped when
 * gzipped) and an optional {@code labels} part, and a JFR recording that parses.
 */
@Tag("slow")
class PyroscopeUploaderTest {

    /** What the receiver accepted. */
    record Ingested(Map<String, String> query, Map<String, String> labels, String app, List<EventInfo> events,
                    boolean gzipped, String userAgent, Series series) {
    }

    /** What Pyroscope makes of a JFR push ({@link Series}: the parser's rules, shared with the CLI's tests). */
    static Series series(Path jfr) throws IOException {
        return Series.of(jfr);
    }

    static final List<Ingested> INGESTED = Collections.synchronizedList(new ArrayList<>());
    static final List<String> REJECTED = Collections.synchronizedList(new ArrayList<>());
    static HttpServer receiver;
    static Path spool;

    @BeforeAll
    static void startReceiver(@TempDir Path dir) throws IOException {
        spool = dir;
        receiver = CollectTestSupport.fake(PyroscopeUploaderTest::ingest);
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    @AfterEach
    void clear() {
        INGESTED.clear();
        REJECTED.clear();
    }

    static String base() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    // ---- the receiver --------------------------------------------------------------------------------------

    private static final Pattern APP = Pattern.compile("[A-Za-z0-9_./-]+");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_.]+");

    static void ingest(HttpExchange ex) throws IOException {
        String problem = null;
        try {
            problem = check(ex);
        } catch (RuntimeException e) {
            problem = "bad request: " + e;
        }
        if (problem != null) {
            REJECTED.add(problem);
            int status = problem.matches("\\d{3} .*") ? Integer.parseInt(problem.substring(0, 3)) : 400;
            CollectTestSupport.reply(ex, status, "text/plain", problem.getBytes(StandardCharsets.UTF_8));
        } else {
            CollectTestSupport.reply(ex, 200, "text/plain", new byte[0]);
        }
    }

    private static String check(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().equals("/ingest")) {
            return "404 page not found";
        }
        if (!ex.getRequestMethod().equals("POST")) {
            return "405 method not allowed";
        }
        Map<String, String> q = new LinkedHashMap<>();
        for (String kv : ex.getRequestURI().getRawQuery().split("&")) {
            int eq = kv.indexOf('=');
            q.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        // name: app{k=v,...} as labelset.Parse reads it
        String name = q.get("name");
        Matcher m = Pattern.compile("([^{]*)\\{(.*)}").matcher(name == null ? "" : name);
        if (!m.matches() || !APP.matcher(m.group(1).strip()).matches()) {
            return "name: invalid service name";
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (!m.group(2).isEmpty()) {
            for (String kv : m.group(2).split(",")) {
                String[] p = kv.split("=", 2);
                if (p.length != 2 || !LABEL.matcher(p[0].strip()).matches() || p[0].startsWith("__")) {
                    return "name: invalid label '" + kv + "'";
                }
                labels.put(p[0].strip(), p[1].strip());
            }
        }
        for (String t : List.of("from", "until")) {
            if (q.get(t) == null || !q.get(t).matches("\\d{10}")) {
                return t + ": not unix seconds: " + q.get(t);
            }
        }
        if (Long.parseLong(q.get("from")) >= Long.parseLong(q.get("until"))) {
            return "from is not before until";
        }
        if (!"jfr".equals(q.get("format"))) {
            return "format: expected jfr, got " + q.get("format");
        }
        if (q.containsKey("sampleRate") && !q.get("sampleRate").matches("\\d+")) {
            return "sampleRate: not an integer";
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        Matcher b = Pattern.compile("multipart/form-data;\\s*boundary=\"?([^\";]+)\"?").matcher(type == null ? "" : type);
        if (!b.find()) {
            return "content type: not multipart/form-data: " + type;
        }
        Map<String, byte[]> parts = multipart(ex.getRequestBody().readAllBytes(), b.group(1));
        byte[] jfr = parts.get("jfr");
        if (jfr == null) {
            return "jfr field is required";
        }
        boolean gz = jfr.length > 2 && (jfr[0] & 0xff) == 0x1f && (jfr[1] & 0xff) == 0x8b;
        if (gz) {
            jfr = new GZIPInputStream(new ByteArrayInputStream(jfr)).readAllBytes();
        }
        for (String part : parts.keySet()) {
            if (!part.equals("jfr") && !part.equals("labels")) {
                return "unexpected part " + part;
            }
        }
        Path f = Files.createTempFile(spool, "ingested", ".jfr");
        Files.write(f, jfr);
        List<EventInfo> events;
        try {
            events = ProfileReader.events(f); // the JFR parses
        } catch (RuntimeException e) {
            return "422 failed to convert profile: " + e.getMessage();
        }
        INGESTED.add(new Ingested(q, labels, m.group(1), events, gz, ex.getRequestHeaders().getFirst("User-Agent"),
                series(f)));
        return null;
    }

    /** Go's multipart reader, in short: parts between --boundary lines, each with headers and a blank line. */
    static Map<String, byte[]> multipart(byte[] body, String boundary) {
        String s = new String(body, StandardCharsets.ISO_8859_1);
        String delim = "--" + boundary;
        if (!s.startsWith(delim) || !s.stripTrailing().endsWith(delim + "--")) {
            throw new IllegalArgumentException("multipart: NextPart: EOF");
        }
        Map<String, byte[]> parts = new LinkedHashMap<>();
        for (String part : s.substring(delim.length(), s.lastIndexOf(delim + "--")).split("\r\n" + Pattern.quote(delim))) {
            if (!part.startsWith("\r\n")) {
                throw new IllegalArgumentException("multipart: bad part start");
            }
            int headersEnd = part.indexOf("\r\n\r\n");
            String headers = part.substring(2, headersEnd);
            Matcher n = Pattern.compile("(?i)Content-Disposition: form-data; name=\"([^\"]+)\"").matcher(headers);
            if (!n.find()) {
                throw new IllegalArgumentException("multipart: part without a name");
            }
            String content = part.substring(headersEnd + 4);
            if (content.endsWith("\r\n")) { // the CRLF before the closing delimiter
                content = content.substring(0, content.length() - 2);
            }
            parts.put(n.group(1), content.getBytes(StandardCharsets.ISO_8859_1));
        }
        return parts;
    }

    // ---- tests ---------------------------------------------------------------------------------------------

    @Test
    void anUploadIsWhatPyroscopesIngestHandlerAccepts(@TempDir Path dir) throws Exception {
        Path jfr = dir.resolve("cpu.jfr");
        Files.write(jfr, CollectTestSupport.jfr());
        PyroscopeUploader u = new PyroscopeUploader(URI.create(base() + "/"), "demo.service",
                Map.of("region", "lab-1", "env", "test"), null, null, Duration.ofSeconds(10));
        assertThat(u.name()).isEqualTo("demo.service{env=test,region=lab-1}");
        Instant from = Instant.parse("2026-11-26T10:45:00Z");
        u.upload(ProfileKind.CPU, jfr, from, from.plusSeconds(30));
        assertThat(REJECTED).isEmpty();
        assertThat(INGESTED).hasSize(1);
        Ingested in = INGESTED.get(0);
        assertThat(in.app()).isEqualTo("demo.service");
        assertThat(in.labels()).containsExactly(Map.entry("env", "test"), Map.entry("region", "lab-1"));
        assertThat(in.query()).containsEntry("from", "1795689900").containsEntry("until", "1795689930")
                .containsEntry("format", "jfr").containsEntry("spyName", "javaspy").containsEntry("sampleRate", "100")
                .containsEntry("units", "samples").containsEntry("aggregationType", "sum");
        assertThat(in.gzipped()).isTrue();
        assertThat(in.events()).extracting(EventInfo::name).contains("cpu");
        assertThat(in.userAgent()).isEqualTo("proflab-collect");
    }

    @Test
    void aRefusalIsOneLineWithTheStatus(@TempDir Path dir) throws Exception {
        Path jfr = dir.resolve("cpu.jfr");
        Files.write(jfr, CollectTestSupport.jfr());
        PyroscopeUploader wrongPath = new PyroscopeUploader(URI.create(base() + "/prefix"), "demo", Map.of(), null, null,
                Duration.ofSeconds(10));
        assertThatThrownBy(() -> wrongPath.upload(ProfileKind.CPU, jfr, Instant.now().minusSeconds(5), Instant.now()))
                .isInstanceOf(IOException.class).hasMessage(base() + "/prefix/ingest: Pyroscope answered 404: 404 page not found");
        Path notJfr = dir.resolve("not.jfr");
        Files.writeString(notJfr, "<html>nope</html>");
        PyroscopeUploader u = new PyroscopeUploader(URI.create(base()), "demo", Map.of(), null, null, Duration.ofSeconds(10));
        assertThatThrownBy(() -> u.upload(ProfileKind.CPU, notJfr, Instant.now().minusSeconds(5), Instant.now()))
                .hasMessageContaining("Pyroscope answered 422: 422 failed to convert profile");
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        PyroscopeUploader down = new PyroscopeUploader(URI.create("http://127.0.0.1:" + closed), "demo", Map.of(), null,
                null, Duration.ofSeconds(5));
        assertThatThrownBy(() -> down.upload(ProfileKind.CPU, jfr, Instant.now().minusSeconds(5), Instant.now()))
                .hasMessageContaining("cannot connect");
    }

    @Test
    void retryAfterIsReadAsSecondsOrADate() {
        Instant now = Instant.parse("2026-11-26T10:45:00Z");
        assertThat(PyroscopeUploader.retryAfter("7", now)).isEqualTo(Duration.ofSeconds(7));
        assertThat(PyroscopeUploader.retryAfter("Thu, 26 Nov 2026 10:46:30 GMT", now)).isEqualTo(Duration.ofSeconds(90));
        assertThat(PyroscopeUploader.retryAfter("Thu, 26 Nov 2026 10:00:00 GMT", now)).isEqualTo(Duration.ZERO);
        assertThat(PyroscopeUploader.retryAfter("soon", now)).isNull();
        assertThat(PyroscopeUploader.retryAfter(null, now)).isNull();
    }

    @Test
    void credentialsInTheUrlBecomeBasicAuthAndAreNeverShown(@TempDir Path dir) throws Exception {
        PyroscopeUploader.Server s = PyroscopeUploader.Server.parse("http://alice:s%3Acret+1@127.0.0.1:4040/p/");
        assertThat(s.uri()).isEqualTo(URI.create("http://127.0.0.1:4040/p/"));
        assertThat(s.basic()).isEqualTo(new PyroscopeUploader.Basic("alice", "s:cret+1"));
        assertThat(s.basic().toString()).isEqualTo("alice:***");
        assertThat(PyroscopeUploader.Server.parse("https://pyro.example").basic()).isNull();
        for (String bad : List.of("http://alice@127.0.0.1:4040", "http://alice:@127.0.0.1", "ftp://alice:hunter2@h",
                "http://alice:hunter2@h:4040/?x=1", "http://alice:hunter2@h:4040/ x")) {
            assertThatThrownBy(() -> PyroscopeUploader.Server.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--pyroscope: '")
                    .hasMessageNotContaining("hunter2").hasMessageNotContaining("alice");
        }
        assertThatThrownBy(() -> s.withBasic(PyroscopeUploader.Basic.parse("bob:pw")))
                .hasMessageContaining("give them once");
        assertThatThrownBy(() -> new PyroscopeUploader(s, "demo", Map.of(), "tok", null, Duration.ofSeconds(5)))
                .hasMessageContaining("give one of them");
        assertThatThrownBy(() -> PyroscopeUploader.Basic.parse("no-colon")).hasMessageContaining("user:password");

        // what goes on the wire: Authorization: Basic, X-Scope-OrgID; the log line shows neither password nor token
        List<String> auth = Collections.synchronizedList(new ArrayList<>());
        List<String> tenants = Collections.synchronizedList(new ArrayList<>());
        HttpServer gateway = CollectTestSupport.fake(ex -> {
            ex.getRequestBody().readAllBytes();
            auth.add(ex.getRequestHeaders().getFirst("Authorization"));
            tenants.add(ex.getRequestHeaders().getFirst("X-Scope-OrgID"));
            CollectTestSupport.reply(ex, 200, "text/plain", new byte[0]);
        });
        try {
            Path jfr = dir.resolve("cpu.jfr");
            Files.write(jfr, CollectTestSupport.jfr());
            int port = gateway.getAddress().getPort();
            Instant from = Instant.now().minusSeconds(10);
            PyroscopeUploader viaUrl = new PyroscopeUploader(PyroscopeUploader.Server.parse(
                    "http://alice:s%3Acret+1@127.0.0.1:" + port), "demo", Map.of(), null, "team-a", Duration.ofSeconds(5));
            viaUrl.upload(ProfileKind.CPU, jfr, from, from.plusSeconds(5));
            PyroscopeUploader viaFile = new PyroscopeUploader(PyroscopeUploader.Server.parse("http://127.0.0.1:" + port)
                    .withBasic(PyroscopeUploader.Basic.parse("bob:pä55")), "demo", Map.of(), null, null,
                    Duration.ofSeconds(5));
            viaFile.upload(ProfileKind.CPU, jfr, from, from.plusSeconds(5));
            PyroscopeUploader bearer = new PyroscopeUploader(URI.create("http://127.0.0.1:" + port), "demo", Map.of(),
                    "tok3n", null, Duration.ofSeconds(5));
            bearer.upload(ProfileKind.CPU, jfr, from, from.plusSeconds(5));
            java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
            assertThat(auth).containsExactly(
                    "Basic " + b64.encodeToString("alice:s:cret+1".getBytes(StandardCharsets.UTF_8)),
                    "Basic " + b64.encodeToString("bob:pä55".getBytes(StandardCharsets.UTF_8)),
                    "Bearer tok3n");
            assertThat(tenants).containsExactly("team-a", null, null);
            assertThat(viaUrl.describe()).isEqualTo("http://127.0.0.1:" + port + "/ingest (basic auth, tenant team-a)");
            assertThat(bearer.describe()).doesNotContain("tok3n");
        } finally {
            gateway.stop(0);
        }
    }

    @Test
    void tenantIdsAreCheckedAsGrafanasServicesDo() {
        PyroscopeUploader.checkTenant("team-a_1.prod(eu)*'!");
        for (String bad : List.of(".", "..", "a/b", "a|b", "x".repeat(151), "ten ant")) {
            assertThatThrownBy(() -> PyroscopeUploader.checkTenant(bad)).hasMessageContaining("a tenant ID is");
        }
    }

    @Test
    void namesAndLabelsAreCheckedAsPyroscopeDoes() {
        assertThat(PyroscopeUploader.name("my-app/api", Map.of())).isEqualTo("my-app/api{}");
        assertThatThrownBy(() -> PyroscopeUploader.name("my app", Map.of()))
                .hasMessageStartingWith("--app: 'my app' is not a Pyroscope application name");
        assertThatThrownBy(() -> PyroscopeUploader.name("app", Map.of("env-x", "a")))
                .hasMessageContaining("'env-x' is not a label name");
        assertThatThrownBy(() -> PyroscopeUploader.name("app", Map.of("__name__", "a")))
                .hasMessageContaining("names starting with __ are Pyroscope's own");
        assertThatThrownBy(() -> PyroscopeUploader.name("app", Map.of("env", "a,b")))
                .hasMessageContaining("the value must be non-empty");
    }

    /** What Pyroscope's distributor would refuse (and with it every push) is refused before anything runs. */
    @Test
    void labelsAreRefusedAsTheDistributorRefusesThem() {
        assertThatThrownBy(() -> PyroscopeLabels.check(Map.of("1zone", "a"), 0))
                .hasMessage("--label 1zone=a: '1zone' starts with a digit: Pyroscope's distributor refuses the push");
        assertThatThrownBy(() -> PyroscopeLabels.check(Map.of("k8s.pod", "a", "k8s_pod", "b"), 0))
                .hasMessage("--label k8s_pod=b: 'k8s.pod' and 'k8s_pod' are the same label 'k8s_pod' once . becomes _"
                        + " (as Pyroscope stores names), with different values");
        PyroscopeLabels.check(Map.of("k8s.pod", "a", "k8s_pod", "a"), 0); // the same value: the server keeps one
        assertThatThrownBy(() -> PyroscopeLabels.check(Map.of("service_name", "x"), 0))
                .hasMessageContaining("Pyroscope sets 'service_name' itself from the app name: use --app");
        assertThatThrownBy(() -> PyroscopeLabels.check(Map.of("jfr.event", "x"), 0))
                .hasMessageContaining("Pyroscope sets 'jfr_event' itself");
        assertThatThrownBy(() -> PyroscopeLabels.check(Map.of("v", "x".repeat(2049)), 0))
                .hasMessageContaining("longer than 2048 bytes");
        Map<String, String> many = new java.util.TreeMap<>();
        for (int i = 0; i < 25; i++) {
            many.put("l" + i, "v");
        }
        PyroscopeLabels.check(many, 0); // 25 + Pyroscope's 5 = 30: the limit
        assertThatThrownBy(() -> PyroscopeLabels.check(many, 2))
                .hasMessageStartingWith("--label: 32 label names per series, more than the 30 Pyroscope takes (5 are"
                        + " its own: __name__, service_name, pyroscope_spy, __delta__, jfr_event; 2 the runtime's)");
        many.put("l25", "v");
        assertThatThrownBy(() -> PyroscopeLabels.check(many, 0)).hasMessageContaining("31 label names");
    }

    @Test
    void defaultLabelsNameTheHostAndGivenOnesWin() throws Exception {
        String me = java.net.InetAddress.getLocalHost().getHostName();
        assertThat(PyroscopeLabels.defaults(URI.create("http://127.0.0.1:6060")))
                .containsExactly(Map.entry("host", me), Map.entry("instance", me + ":6060"));
        assertThat(PyroscopeLabels.defaults(URI.create("https://10.1.2.3"))).containsEntry("instance", "10.1.2.3:443");
        assertThat(PyroscopeLabels.merge(Map.of("host", "a", "instance", "a:1"), Map.of("env", "x", "instance", "b")))
                .containsOnly(Map.entry("host", "a"), Map.entry("instance", "b"), Map.entry("env", "x"));
    }

    /**
     * Each kind against the real endpoints under load, kept on disk and pushed: what the server derives from the
     * file as captured (a wall window: wall, CPU and block; a heap snapshot with an empty jfr_event) against what it
     * derives from the push: each push only its own series, each with its event declared.
     */
    @Test
    void eachPushIsTheSeriesItsNameSays(@TempDir Path out) throws Exception {
        CollectTestSupport.Target target = new CollectTestSupport.Target().start(0);
        CollectTestSupport.Log log = new CollectTestSupport.Log();
        List<ProfileKind> kinds = List.of(ProfileKind.CPU, ProfileKind.HEAP, ProfileKind.ALLOCS, ProfileKind.MUTEX,
                ProfileKind.BLOCK, ProfileKind.WALL);
        try (AutoCloseable load = CollectTestSupport.load()) {
            PyroscopeUploader u = new PyroscopeUploader(URI.create(base()), "proflab-demo", Map.of(), null, null,
                    Duration.ofSeconds(10));
            Collector.Summary s = new Collector(CollectOptions.of(URI.create(target.base()), Duration.ofSeconds(6),
                    Duration.ofSeconds(1), Duration.ofSeconds(1), kinds, out, true, 0, 0, null, u).withMaxCycles(1),
                    log).run();
            assertThat(s.files()).as(log.toString()).isEqualTo(6);
        } finally {
            target.stop();
        }
        assertThat(REJECTED).as(log.toString()).isEmpty();
        assertThat(INGESTED).hasSize(6);
        Map<ProfileKind, Series> pushed = new java.util.EnumMap<>(ProfileKind.class);
        Map<ProfileKind, Series> captured = new java.util.EnumMap<>(ProfileKind.class);
        for (int i = 0; i < kinds.size(); i++) {
            pushed.put(kinds.get(i), INGESTED.get(i).series());
            captured.put(kinds.get(i), series(CollectTestSupport.visible(out.resolve(kinds.get(i).id())).get(0)));
        }
        // as captured: the wall window adds to the CPU series (RUNNABLE samples) and the heap's event is empty
        assertThat(captured.get(ProfileKind.WALL).metrics()).contains("wall", "process_cpu");
        assertThat(captured.get(ProfileKind.HEAP).jfrEvent()).isEmpty();
        String cpuEvent = pushed.get(ProfileKind.CPU).jfrEvent();
        assertThat(cpuEvent).isIn("cpu", "itimer", "cpu-clock", "ctimer");
        assertThat(pushed.get(ProfileKind.CPU).metrics()).containsExactly("process_cpu");
        assertThat(pushed.get(ProfileKind.WALL).metrics()).containsExactly("wall");
        assertThat(pushed.get(ProfileKind.WALL).jfrEvent()).isEqualTo("wall");
        Map<ProfileKind, String> metric = Map.of(ProfileKind.CPU, "process_cpu", ProfileKind.WALL, "wall",
                ProfileKind.HEAP, "memory", ProfileKind.ALLOCS, "memory", ProfileKind.MUTEX, "mutex",
                ProfileKind.BLOCK, "block");
        for (ProfileKind k : kinds) {
            // exactly the kind's own sample events of what was captured, nothing else
            Set<String> own = new java.util.TreeSet<>(captured.get(k).sampleEvents());
            own.retainAll(PushRecording.samplesOf(k));
            assertThat(pushed.get(k).sampleEvents()).as(k.id()).isEqualTo(own);
            assertThat(pushed.get(k).metrics()).as(k.id()).isSubsetOf(metric.get(k));
            if (k != ProfileKind.WALL) {
                assertThat(pushed.get(k).jfrEvent()).as(k.id()).isEqualTo(cpuEvent);
            }
        }
    }

    /** The collector against a real /debug/pprof, pushing every window (as JFR) and keeping nothing on disk. */
    @Test
    void theCollectorPushesEachWindow() throws Exception {
        CollectTestSupport.Target target = new CollectTestSupport.Target().start(0);
        CollectTestSupport.Log log = new CollectTestSupport.Log();
        try (AutoCloseable load = CollectTestSupport.load()) {
            PyroscopeUploader u = new PyroscopeUploader(URI.create(base()), "proflab-demo", PyroscopeLabels.merge(
                    PyroscopeLabels.defaults(URI.create(target.base())), Map.of("env", "test")), null, null,
                    Duration.ofSeconds(10)).withRuntimeLabels();
            Collector.Summary s = new Collector(CollectOptions.of(URI.create(target.base()), Duration.ofSeconds(2),
                    Duration.ofSeconds(1), Duration.ofSeconds(1), List.of(ProfileKind.CPU, ProfileKind.HEAP), null, true,
                    0, 0, null, u).withMaxCycles(2), log).run();
            assertThat(s.files()).isEqualTo(4);
            assertThat(s.pushed()).isEqualTo(new PushQueue.Counts(4, 0, 0, 0)); // all sent before run() returned
        } finally {
            target.stop();
        }
        assertThat(REJECTED).as(log.toString()).isEmpty();
        assertThat(INGESTED).hasSize(4);
        assertThat(INGESTED).allSatisfy(in -> {
            assertThat(in.app()).isEqualTo("proflab-demo");
            String me = java.net.InetAddress.getLocalHost().getHostName();
            // the defaults a fleet needs, the runtime as the Java agent names it (read from the target's recording)
            assertThat(in.labels()).containsExactly(Map.entry("env", "test"), Map.entry("host", me),
                    Map.entry("instance", me + ":" + target.port()),
                    Map.entry("process.runtime.name", System.getProperty("java.vm.name")), // async-profiler's
                    Map.entry("process.runtime.version", System.getProperty("java.runtime.version")));
            assertThat(Long.parseLong(in.query().get("until"))).isGreaterThan(Long.parseLong(in.query().get("from")));
        });
        assertThat(INGESTED.get(0).events()).extracting(EventInfo::name).contains("cpu");
        assertThat(INGESTED.get(0).query()).containsEntry("sampleRate", "100");
        assertThat(INGESTED.get(1).query()).doesNotContainKey("sampleRate").containsEntry("aggregationType", "average");
        assertThat(log.lines()).filteredOn(l -> l.contains(" cycle ")).hasSize(2)
                .allMatch(l -> l.matches(".* cycle \\d: cpu 1 s \\S+ \\S+, heap 1 s \\S+ \\S+; Pyroscope: \\d delivered,"
                        + " 0 retried, 0 dropped, \\d waiting"));
    }
}
