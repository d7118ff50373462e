package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DNS rebinding and other sites' pages against the viewer (it has no token): a request that names a foreign host
 * gets 403 with a JSON error, on the page, the API and the static files alike; the loopback names and the allowed
 * hosts are served; every answer carries the security headers.
 */
class ViewerHostTest {

    static ViewerServer server;
    static ViewerServer allowing;

    @BeforeAll
    static void start() {
        server = new ViewerServer(ViewerApiTest.CPU, null).start("127.0.0.1", 0);
        allowing = new ViewerServer(ViewerApiTest.CPU, null).allowHosts(List.of("devbox.lan", "10.0.0.5"))
                .start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.stop();
        allowing.stop();
    }

    record Reply(int status, String head, String body) {
        JsonNode json() throws IOException {
            return ViewerApiTest.MAPPER.readTree(body);
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int c = line.indexOf(':');
                if (c > 0 && line.substring(0, c).equalsIgnoreCase(name)) {
                    return line.substring(c + 1).strip();
                }
            }
            return null;
        }
    }

    /** A raw request to 127.0.0.1:port naming {@code host} (null: no Host line), HTTP/1.1 unless {@code http10}. */
    static Reply get(int port, String host, String target, String... headers) throws IOException {
        StringBuilder sb = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n");
        if (host != null) {
            sb.append("Host: ").append(host).append("\r\n");
        }
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return send(port, sb.append("Connection: close\r\n\r\n").toString());
    }

    static Reply send(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            s.getInputStream().transferTo(got);
            String text = got.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            return new Reply(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), text.substring(end + 4));
        }
    }

    @Test
    void aForeignHostGets403OnEveryPath() throws Exception {
        int port = server.port();
        for (String host : new String[] {"evil.example", "evil.example:" + port, "localhost.evil.example:" + port,
                "127.0.0.1.nip.io:" + port, "localhost..", "127.1:" + port, "devbox.lan:" + port}) {
            for (String path : new String[] {"/", "/api/meta", "/app.js", "/app.css", "/api/flame", "/api/top?n=5",
                    "/api/timeline", "/favicon.ico", "/nothing"}) {
                Reply r = get(port, host, path);
                assertThat(r.status()).as(host + " " + path).isEqualTo(403);
                assertThat(r.header("Content-Type")).startsWith("application/json");
                assertThat(r.json().get("error").asText()).as(host + " " + path)
                        .startsWith("Host '" + host + "' is not ").contains("(DNS rebinding protection)", "--allow-host");
                assertThat(r.body()).doesNotContain("ap-cpu", "<html");
            }
        }
        // no Host at all (HTTP/1.0): refused too; Jetty refuses HTTP/1.1 without one itself (400)
        Reply none = send(port, "GET /api/meta HTTP/1.0\r\n\r\n");
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.json().get("error").asText()).contains("without a Host header");
        assertThat(get(port, null, "/api/meta").status()).isIn(400, 403);
        assertThat(get(port, "user@127.0.0.1", "/api/meta").status()).isIn(400, 403);
    }

    @Test
    void loopbackNamesAreServed() throws Exception {
        int port = server.port();
        for (String host : new String[] {"localhost", "localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port,
                "LOCALHOST:" + port, "localhost.:" + port}) {
            Reply page = get(port, host, "/");
            assertThat(page.status()).as(host).isEqualTo(200);
            assertThat(page.body()).contains("<canvas id=\"flame\"");
            Reply meta = get(port, host, "/api/meta");
            assertThat(meta.status()).as(host).isEqualTo(200);
            assertThat(meta.json().get("file").asText()).isEqualTo("ap-cpu.jfr");
            assertThat(get(port, host, "/app.js").status()).as(host).isEqualTo(200);
        }
    }

    @Test
    void allowedHostsAreServedAndOthersStillNot() throws Exception {
        int port = allowing.port();
        for (String host : new String[] {"devbox.lan:" + port, "DevBox.LAN", "10.0.0.5:" + port, "localhost:" + port}) {
            assertThat(get(port, host, "/api/meta").status()).as(host).isEqualTo(200);
            assertThat(get(port, host, "/").status()).as(host).isEqualTo(200);
        }
        Reply other = get(port, "www.devbox.lan:" + port, "/api/meta");
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.json().get("error").asText()).contains("not a loopback name or an allowed host");
        assertThat(get(port, "10.0.0.6:" + port, "/api/meta").status()).isEqualTo(403);
        assertThatThrownBy(() -> new ViewerServer(ViewerApiTest.CPU, null).allowHosts(List.of("devbox.lan:7070")))
                .isInstanceOf(ViewerException.class)
                .hasMessage("--allow-host 'devbox.lan:7070': give the host without a port (every port is accepted)");
    }

    @Test
    void boundToEveryAddressItAnswersAddressesButNotForeignNames() throws Exception {
        ViewerServer any = new ViewerServer(ViewerApiTest.CPU, null).start("0.0.0.0", 0);
        try {
            int port = any.port();
            assertThat(get(port, "localhost:" + port, "/api/meta").status()).isEqualTo(200);
            assertThat(get(port, "192.0.2.7:" + port, "/api/meta").status()).as("an IP literal").isEqualTo(200);
            assertThat(get(port, "evil.example:" + port, "/api/meta").status()).isEqualTo(403);
            assertThat(get(port, "devbox.lan:" + port, "/api/meta").status()).isEqualTo(403);
        } finally {
            any.stop();
        }
    }

    @Test
    void otherSitesPagesCannotUseTheApi() throws Exception {
        int port = server.port();
        String host = "127.0.0.1:" + port;
        // fetch('http://127.0.0.1:7070/api/flame?focus=...') on evil.example: refused before any work
        Reply fetch = get(port, host, "/api/flame?focus=a", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: cors",
                "Sec-Fetch-Dest: empty", "Origin: https://evil.example");
        assertThat(fetch.status()).isEqualTo(403);
        assertThat(fetch.json().get("error").asText()).contains("another site's page");
        assertThat(get(port, host, "/api/meta", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: no-cors",
                "Sec-Fetch-Dest: script").status()).isEqualTo(403);
        assertThat(get(port, host, "/", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate",
                "Sec-Fetch-Dest: iframe").status()).isEqualTo(403);
        assertThat(get(port, host, "/api/meta", "Origin: http://localhost:8080").status()).isEqualTo(403);
        // the page's own requests, a link from elsewhere, a typed URL
        assertThat(get(port, host, "/api/meta", "Sec-Fetch-Site: same-origin", "Sec-Fetch-Mode: cors",
                "Sec-Fetch-Dest: empty").status()).isEqualTo(200);
        assertThat(get(port, host, "/", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate",
                "Sec-Fetch-Dest: document").status()).isEqualTo(200);
        assertThat(get(port, host, "/", "Sec-Fetch-Site: none", "Sec-Fetch-Mode: navigate",
                "Sec-Fetch-Dest: document").status()).isEqualTo(200);
        // no POST, PUT or DELETE route exists
        Reply post = send(port, "POST /api/meta HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(post.status()).isBetween(400, 499);
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws Exception {
        int port = server.port();
        for (String path : new String[] {"/", "/api/meta", "/app.js", "/timeline.css", "/api/top?n=zz"}) {
            for (String host : new String[] {"127.0.0.1:" + port, "evil.example"}) {
                Reply r = get(port, host, path);
                String what = host + " " + path + " " + r.status();
                assertThat(r.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
                assertThat(r.header("Referrer-Policy")).as(what).isEqualTo("no-referrer");
                assertThat(r.header("X-Frame-Options")).as(what).isEqualTo("DENY");
                assertThat(r.header("Content-Security-Policy")).as(what).isEqualTo(ViewerServer.CONTENT_SECURITY_POLICY);
            }
        }
        String csp = ViewerServer.CONTENT_SECURITY_POLICY.toLowerCase(Locale.ROOT);
        assertThat(csp).contains("default-src 'self'", "frame-ancestors 'none'", "worker-src 'self'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "data:", "*");
    }
}
