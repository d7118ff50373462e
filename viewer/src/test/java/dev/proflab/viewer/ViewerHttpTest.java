package dev.proflab.viewer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the viewer answers besides its routes, as it did on Javalin: HEAD, other methods, unknown paths, a trailing
 * slash; and what it refuses of a hostile client: a body, a URI past 8 KB, a malformed %-escape, a request line
 * naming another host.
 */
class ViewerHttpTest {

    static ViewerServer server;
    static int port;
    static String host;

    @BeforeAll
    static void start() {
        server = new ViewerServer(ViewerApiTest.CPU, null).start("127.0.0.1", 0);
        port = server.port();
        host = "127.0.0.1:" + port;
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static ViewerHostTest.Reply send(String request) throws Exception {
        return ViewerHostTest.send(port, request);
    }

    static ViewerHostTest.Reply request(String method, String target, String... headers) throws Exception {
        StringBuilder sb = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ")
                .append(host).append("\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return send(sb.append("Connection: close\r\n\r\n").toString());
    }

    @Test
    void headAnswersARouteWithoutRunningIt() throws Exception {
        for (String path : new String[] {"/", "/api/meta", "/app.js", "/favicon.ico", "/api/top?n=zz"}) {
            ViewerHostTest.Reply r = request("HEAD", path);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("text/plain");
            assertThat(r.header("Content-Length")).isEqualTo("0");
            assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(r.body()).isEmpty();
        }
        ViewerHostTest.Reply none = request("HEAD", "/nothing");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.header("Content-Length")).isEqualTo("32");   // "Endpoint HEAD /nothing not found"
        assertThat(none.body()).isEmpty();
    }

    @Test
    void otherMethodsAndUnknownPathsAre404NamingThem() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", "FOO"}) {
            ViewerHostTest.Reply r = request(method, "/api/meta?n=1", "Content-Length: 0");
            assertThat(r.status()).as(method).isEqualTo(404);
            assertThat(r.header("Content-Type")).isEqualTo("text/plain");
            assertThat(r.body()).isEqualTo("Endpoint " + method + " /api/meta not found");
            assertThat(r.header("Content-Security-Policy")).isEqualTo(ViewerServer.CONTENT_SECURITY_POLICY);
        }
        assertThat(request("GET", "/app%2Ejs").body()).isEqualTo("Endpoint GET /app%2Ejs not found");
        assertThat(request("GET", "/api/meta//").status()).isEqualTo(404);
        assertThat(request("GET", "/index.html").status()).isEqualTo(404);
        // one trailing slash is ignored
        assertThat(request("GET", "/api/meta/").status()).isEqualTo(200);
        assertThat(request("GET", "/app.js/").header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    }

    @Test
    void contentTypesAsJavalinSentThem() throws Exception {
        assertThat(request("GET", "/").header("Content-Type")).isEqualTo("text/html;charset=utf-8");
        assertThat(request("GET", "/").header("Cache-Control")).isEqualTo("no-cache");
        assertThat(request("GET", "/app.css").header("Content-Type")).isEqualTo("text/css; charset=utf-8");
        assertThat(request("GET", "/api/meta").header("Content-Type")).isEqualTo("application/json");
        assertThat(request("GET", "/api/meta").header("Cache-Control")).isNull();
        ViewerHostTest.Reply icon = request("GET", "/favicon.ico");
        assertThat(icon.status()).isEqualTo(204);
        assertThat(icon.header("Content-Type")).isEqualTo("text/plain");
        assertThat(icon.body()).isEmpty();
    }

    @Test
    void aBodyIsRefused() throws Exception {
        ViewerHostTest.Reply r = send("GET /api/meta HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("error").asText()).contains("body");
        assertThat(r.header("Connection")).isEqualTo("close");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        ViewerHostTest.Reply chunked = send("GET /api/meta HTTP/1.1\r\nHost: " + host
                + "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(request("GET", "/api/meta", "Content-Length: 0").status()).isEqualTo(200);
    }

    @Test
    void aLongUriIs414AndABadEscape400() throws Exception {
        ViewerHostTest.Reply r = request("GET", "/api/top?focus=" + "a".repeat(ViewerServer.MAX_URI));
        assertThat(r.status()).isEqualTo(414);
        assertThat(r.json().get("error").asText()).contains("at most " + ViewerServer.MAX_URI);
        assertThat(request("GET", "/api/top?focus=" + "a".repeat(4000)).status()).isEqualTo(400);   // matches nothing
        // the JDK's server refuses a malformed escape before the viewer sees it: 400, never 500
        for (String q : new String[] {"focus=%zz", "focus=a%", "n=1&focus=%2", "x=%zz"}) {
            assertThat(request("GET", "/api/flame?" + q).status()).as(q).isEqualTo(400);
        }
        assertThat(request("GET", "/api/top?n=1&focus=%C3%28").status()).as("no UTF-8: decoded, no match")
                .isEqualTo(400);
    }

    @Test
    void aRequestLineNamingAnotherHostIsRefused() throws Exception {
        ViewerHostTest.Reply r = request("GET", "http://evil.example/api/meta");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("error").asText()).contains("evil.example", "DNS rebinding");
        assertThat(request("GET", "http://localhost:" + port + "/api/meta").status()).isEqualTo(200);
    }

    @Test
    void requestsAreServedConcurrently() throws Exception {
        // more clients at once than threads: each is answered (queued, not refused)
        int n = ViewerServer.THREADS * 3;
        java.util.List<java.util.concurrent.Future<Integer>> got = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                got.add(pool.submit(() -> request("GET", "/api/flame?focus=method").status()));
            }
            for (var f : got) {
                assertThat(f.get()).isEqualTo(200);
            }
        }
    }
}
