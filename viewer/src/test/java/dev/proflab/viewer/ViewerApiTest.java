package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proflab.profile.ProfileException;
import dev.proflab.profile.ProfileReader;
import dev.proflab.report.JsonReport;
import dev.proflab.report.Selection;
import dev.proflab.report.Top;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP API over real HTTP, against real recordings of the fixture workload (methodA 2/3, methodB 1/3). */
class ViewerApiTest {

    static final Path CPU = Path.of("src/test/resources/profiles/ap-cpu.jfr");
    static final Path LOCK = Path.of("src/test/resources/profiles/ap-lock.jfr");
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static ViewerServer server;

    @BeforeAll
    static void start() {
        server = new ViewerServer(CPU, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    record Reply(int status, String contentType, String body) {
        JsonNode json() throws IOException {
            return MAPPER.readTree(body);
        }
    }

    static Reply get(ViewerServer s, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(s.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    static List<JsonNode> named(JsonNode n, String suffix) {
        List<JsonNode> out = new ArrayList<>();
        if (n.get("name").asText().endsWith(suffix)) {
            out.add(n);
        }
        if (n.has("children")) {
            n.get("children").forEach(c -> out.addAll(named(c, suffix)));
        }
        return out;
    }

    @Test
    void listensOnLoopbackAndServesThePage() throws Exception {
        assertThat(server.url()).startsWith("http://127.0.0.1:").endsWith("/");
        Reply page = get(server, "");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<canvas id=\"flame\"", "app.js").doesNotContain("http://", "https://");
        Reply js = get(server, "app.js");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.contentType()).startsWith("text/javascript");
        assertThat(get(server, "app.css").status()).isEqualTo(200);
    }

    @Test
    void metaDescribesTheRecording() throws Exception {
        Reply r = get(server, "api/meta");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode m = r.json();
        assertThat(m.get("file").asText()).isEqualTo("ap-cpu.jfr");
        assertThat(m.get("engine").asText()).isEqualTo("async-profiler");
        assertThat(m.get("event").asText()).isEqualTo("cpu");
        assertThat(m.get("events").get(0).get("name").asText()).isEqualTo("cpu");
        assertThat(m.get("duration_seconds").asDouble()).isBetween(1.0, 2.0);
        assertThat(m.get("samples").asInt()).isPositive();
        assertThat(m.get("value_types").findValuesAsText("type")).contains("samples", "cpu");
        assertThat(m.get("categories").findValuesAsText("label")).contains("Java", "JDK / inlined", "native", "kernel");
    }

    @Test
    void flameIsTheMergedCallTree() throws Exception {
        JsonNode f = get(server, "api/flame").json();
        assertThat(f.get("unit").asText()).isEqualTo("nanoseconds");
        JsonNode root = f.get("root");
        assertThat(root.get("name").asText()).isEqualTo("all");
        long total = root.get("total").asLong();
        assertThat(total).isEqualTo(f.get("total").asLong()).isPositive();
        List<JsonNode> a = named(root, "Workload.methodA");
        List<JsonNode> b = named(root, "Workload.methodB");
        assertThat(a).hasSize(1);
        assertThat(b).hasSize(1);
        JsonNode methodA = a.get(0);
        assertThat(methodA.get("self").asLong()).isEqualTo(methodA.get("total").asLong());
        assertThat((double) methodA.get("total").asLong() / total).isBetween(0.6, 0.72);
        assertThat((double) b.get(0).get("total").asLong() / total).isBetween(0.28, 0.4);
        assertThat(methodA.get("kind").asText()).isIn("jit", "interpreted", "inlined");
        assertThat(methodA.get("category").asText()).isEqualTo("java");
        assertThat(methodA.get("color").asText()).matches("#[0-9a-f]{6}");
        // a child never weighs more than its parent
        assertThat(consistent(root)).isTrue();
    }

    static boolean consistent(JsonNode n) {
        long sum = n.get("self").asLong();
        if (n.has("children")) {
            for (JsonNode c : n.get("children")) {
                if (!consistent(c)) {
                    return false;
                }
                sum += c.get("total").asLong();
            }
        }
        return sum <= n.get("total").asLong();
    }

    @Test
    void flameFiltersLikeTheReports() throws Exception {
        JsonNode f = get(server, "api/flame?focus=methodB").json();
        assertThat(named(f.get("root"), "methodB")).hasSize(1);
        assertThat(named(f.get("root"), "methodA")).isEmpty();
        JsonNode g = get(server, "api/flame?ignore=methodB&sampleIndex=samples").json();
        assertThat(g.get("value_type").asText()).isEqualTo("samples");
        assertThat(named(g.get("root"), "methodB")).isEmpty();
        assertThat(named(g.get("root"), "methodA")).hasSize(1);
        JsonNode all = get(server, "api/flame").json();
        JsonNode h = get(server, "api/flame?hide=methodB").json();
        assertThat(named(h.get("root"), "methodB")).isEmpty();
        assertThat(named(h.get("root"), "methodA")).hasSize(1);
        assertThat(h.get("total").asLong()).as("hide keeps the samples").isEqualTo(all.get("total").asLong());
        // a filter that matches nothing is the same error for the flame graph as for every report
        Reply none = get(server, "api/flame?thread=no-such-thread");
        Reply noneTop = get(server, "api/top?thread=no-such-thread");
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.body()).contains("thread 'no-such-thread' matches no thread").isEqualTo(noneTop.body());
    }

    @Test
    void topIsWhatTopFormatJsonPrints() throws Exception {
        Reply r = get(server, "api/top?n=5");
        assertThat(r.status()).isEqualTo(200);
        String expected = JsonReport.top(Top.compute(
                ProfileReader.read(CPU, dev.proflab.profile.ReadOptions.defaults().withAggregate(true)),
                Selection.all(), 5, false));
        assertThat(r.body()).isEqualTo(expected);
        JsonNode rows = r.json();
        assertThat(rows.get(0).get("name").asText()).endsWith("Workload.methodA");
        JsonNode cum = get(server, "api/top?cum=true&focus=methodB").json();
        assertThat(cum.get(0).get("cum").asLong()).isGreaterThanOrEqualTo(cum.get(cum.size() - 1).get("cum").asLong());
        assertThat(cum.findValuesAsText("name")).noneMatch(n -> n.endsWith("methodA"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "api/flame?focus=(", "api/top?ignore=[", "api/flame?event=nope", "api/top?event=alloc",
            "api/flame?sampleIndex=bytes", "api/top?sampleIndex=objects", "api/top?n=-1", "api/top?n=x",
            "api/top?cum=maybe", "api/flame?minFraction=2", "api/meta?event=lock", "api/flame?thread=*", "api/flame?hide=("})
    void badParametersAre400WithAJsonError(String path) throws Exception {
        Reply r = get(server, path);
        assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().get("error").asText()).isNotBlank();
        assertThat(get(server, "api/meta").status()).isEqualTo(200);
    }

    @Test
    void everyEventOfTheFileCanBeShown() throws Exception {
        ViewerServer s = new ViewerServer(LOCK, null).start("127.0.0.1", 0);
        try {
            JsonNode m = get(s, "api/meta").json();
            assertThat(m.get("events").findValuesAsText("name")).contains("wall", "lock");
            JsonNode lock = get(s, "api/flame?event=lock").json();
            assertThat(lock.get("event").asText()).isEqualTo("lock");
            assertThat(lock.get("unit").asText()).isEqualTo("nanoseconds");
            assertThat(named(lock.get("root"), "Workload.contend")).isNotEmpty();
            assertThat(get(s, "api/meta?event=lock").json().get("event").asText()).isEqualTo("lock");
        } finally {
            s.stop();
        }
    }

    static final String METHOD_A = "dev.proflab.profile.fixture.Workload.methodA";

    @Test
    void sourceShowsTheHotLinesOfOneFunctionWithItsText() throws Exception {
        ViewerServer s = new ViewerServer(CPU, null).sourceRoots(List.of(Path.of("../profile/src/test/java")));
        s.start("127.0.0.1", 0);
        try {
            JsonNode rows = get(s, "api/source?fn=" + METHOD_A).json();
            assertThat(rows).hasSize(1);
            JsonNode f = rows.get(0);
            assertThat(f.get("name").asText()).isEqualTo(METHOD_A);
            assertThat(f.get("file").asText()).isEqualTo("dev/proflab/profile/fixture/Workload.java");
            assertThat(f.get("source").asText()).endsWith("Workload.java");
            JsonNode hottest = null;
            for (JsonNode l : f.get("lines")) {
                if (hottest == null || l.get("flat").asLong() > hottest.get("flat").asLong()) {
                    hottest = l;
                }
            }
            assertThat(hottest.get("text").asText()).contains("// HOT-A");
            assertThat(hottest.get("flat").asLong()).isGreaterThan(f.get("flat").asLong() / 2);
        } finally {
            s.stop();
        }
        // without the source roots: the lines and values, no text, and the file it looked for
        JsonNode f = get(server, "api/source?fn=" + METHOD_A).json().get(0);
        assertThat(f.get("source").isNull()).isTrue();
        assertThat(f.get("lines").findValuesAsText("text")).allMatch(t -> t.equals("null"));
        assertThat(f.get("flat").asLong()).isPositive();
    }

    @Test
    void peekShowsCallersAndCallees() throws Exception {
        JsonNode a = get(server, "api/peek?fn=" + METHOD_A).json();
        assertThat(a).hasSize(1);
        assertThat(a.get(0).get("callers").findValuesAsText("name")).contains("dev.proflab.profile.fixture.Workload.cpu");
        JsonNode cpu = get(server, "api/peek?fn=dev.proflab.profile.fixture.Workload.cpu").json().get(0);
        assertThat(cpu.get("callees").findValuesAsText("name")).contains(METHOD_A, "dev.proflab.profile.fixture.Workload.methodB");
        // the name is taken literally, not as a regular expression
        assertThat(get(server, "api/peek?fn=dev.proflab.profile.fixture.Workload.method.").status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"api/source", "api/peek", "api/source?fn=", "api/peek?fn=no.Such.method",
            "api/source?fn=" + METHOD_A + "&from=-1", "api/peek?fn=" + METHOD_A + "&to=abc",
            "api/source?fn=" + METHOD_A + "&from=5&to=4", "api/peek?fn=" + METHOD_A + "&focus=("})
    void badFunctionRequestsAreOneLine400s(String path) throws Exception {
        Reply r = get(server, path);
        assertThat(r.status()).isEqualTo(400);
        String error = r.json().get("error").asText();
        assertThat(error).isNotBlank().doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void sourceNeverReadsOutsideTheSourceRoots() throws Exception {
        // a frame names its file; a root that does not hold it yields no text, whatever the name
        ViewerServer s = new ViewerServer(CPU, null).sourceRoots(List.of(Path.of("src/test/resources/profiles")));
        s.start("127.0.0.1", 0);
        try {
            JsonNode f = get(s, "api/source?fn=" + METHOD_A).json().get(0);
            assertThat(f.get("source").isNull()).isTrue();
        } finally {
            s.stop();
        }
    }

    @Test
    void aMissingOrBrokenFileFailsBeforeListening() {
        assertThatThrownBy(() -> new ViewerServer(Path.of("no/such.jfr"), null))
                .isInstanceOf(ProfileException.class).hasMessageContaining("no such file");
        assertThatThrownBy(() -> new ViewerServer(Path.of("pom.xml"), null))
                .isInstanceOf(ProfileException.class).hasMessageContaining("not a JFR recording");
        assertThatThrownBy(() -> new ViewerServer(CPU, "alloc"))
                .isInstanceOf(ProfileException.class).hasMessageContaining("alloc");
    }

    @Test
    void aPortInUseIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ViewerServer s = new ViewerServer(CPU, null);
            assertThatThrownBy(() -> s.start("127.0.0.1", taken.getLocalPort()))
                    .isInstanceOf(ViewerException.class)
                    .hasMessage("port " + taken.getLocalPort() + " on 127.0.0.1 is in use: pick another with --port");
        }
    }
}
