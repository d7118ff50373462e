package dev.proflab.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proflab.labs.alloc.Alloc;
import dev.proflab.debug.DebugEndpoints;
import dev.proflab.debug.javalin.DebugJavalin;
import dev.proflab.debug.DebugOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DNS rebinding and other sites' pages against the demo service as {@code proflab serve} runs it (the work
 * endpoints and /debug/pprof on one Javalin server, on 127.0.0.1): a foreign Host gets 403 with a JSON error
 * before any work runs; the loopback names and the allowed hosts are served.
 */
class DemoHostHeaderTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static DemoService service;
    static DebugEndpoints debug;

    @BeforeAll
    static void start() {
        debug = new DebugEndpoints(DebugOptions.builder().allowHosts(List.of("devbox.lan")).build());
        service = DemoService.start(DemoService.Options.defaults().withPort(0).withAllowHosts(List.of("devbox.lan"))
                .withExtraRoutes(config -> DebugJavalin.register(config, debug)));
    }

    @AfterAll
    static void stop() {
        service.stop();
        debug.close();
        Alloc.release();
    }

    record Reply(int status, String head, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    static Reply get(String host, int port, String target, String... headers) throws IOException {
        StringBuilder sb = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n");
        if (host != null) {
            sb.append("Host: ").append(host).append("\r\n");
        }
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        sb.append("Connection: close\r\n\r\n");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            in.transferTo(got);
            String text = got.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            return new Reply(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), text.substring(end + 4));
        }
    }

    @Test
    void aForeignHostGets403BeforeAnyWorkRuns() throws Exception {
        int port = service.port();
        int leaksBefore = service.work().releaseLeaks();
        assertThat(leaksBefore).isZero();
        long t0 = System.nanoTime();
        for (String host : new String[] {"evil.example", "evil.example:" + port, "localhost.evil.example:" + port,
                "127.0.0.1.nip.io:" + port, "localhost.."}) {
            for (String target : new String[] {"/", "/work", "/work/cpu?n=40&workers=8", "/work/leak?n=10&bytes=1048576",
                    "/work/nothing"}) {
                Reply r = get(host, port, target);
                assertThat(r.status()).as(host + " " + target).isEqualTo(403);
                assertThat(r.head()).containsIgnoringCase("content-type: application/json");
                assertThat(r.json().get("error").asText()).as(host + " " + target)
                        .startsWith("Host '" + host + "' is not ").contains("DNS rebinding", "--allow-host");
            }
            // /debug/ answers with its own rule (the token would open it): the same 403
            Reply d = get(host, port, "/debug/pprof/profile?seconds=30");
            assertThat(d.status()).as(host + " /debug/pprof/profile").isEqualTo(403);
            assertThat(d.json().get("error").asText()).startsWith("Host '" + host + "' is not ");
        }
        // nothing ran: fib(40) on 8 workers would take far longer, and no thread was leaked
        assertThat((System.nanoTime() - t0) / 1_000_000_000L).as("seconds").isLessThan(15);
        assertThat(service.work().releaseLeaks()).isZero();
        // Jetty refuses these itself (400) before any route
        assertThat(get("user@127.0.0.1", port, "/work/cpu?n=40").status()).isIn(400, 403);
        assertThat(get("", port, "/work/cpu?n=40").status()).isIn(400, 403);
        assertThat(get("127.0.0.1:" + port + "\r\nHost: evil.example", port, "/work/cpu?n=40").status()).isIn(400, 403);
        Reply none = get(null, port, "/work");
        assertThat(none.status()).isIn(400, 403); // HTTP/1.1 without Host: Jetty's own 400
    }

    @Test
    void loopbackNamesAndAllowedHostsAreServed() throws Exception {
        int port = service.port();
        for (String host : new String[] {"localhost", "localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port,
                "LOCALHOST:" + port, "devbox.lan:" + port, "DevBox.Lan"}) {
            assertThat(get(host, port, "/work/cpu?n=10").status()).as(host).isEqualTo(200);
            assertThat(get(host, port, "/debug/gc").status()).as(host + " /debug/gc").isEqualTo(200);
        }
        assertThat(get("localhost:" + port, port, "/").status()).isEqualTo(302);
    }

    @Test
    void otherSitesPagesCannotStartWork() throws Exception {
        int port = service.port();
        String host = "127.0.0.1:" + port;
        // <img src="http://127.0.0.1:6060/work/cpu?..."> on evil.example
        Reply img = get(host, port, "/work/cpu?n=40&workers=8", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: no-cors",
                "Sec-Fetch-Dest: image");
        assertThat(img.status()).isEqualTo(403);
        assertThat(img.json().get("error").asText()).contains("another site's page");
        assertThat(get(host, port, "/work/leak?n=1", "Origin: https://evil.example").status()).isEqualTo(403);
        assertThat(get(host, port, "/debug/gc", "Sec-Fetch-Site: same-site", "Sec-Fetch-Mode: cors").status())
                .isEqualTo(403);
        // a link the user follows
        assertThat(get(host, port, "/work", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate",
                "Sec-Fetch-Dest: document").status()).isEqualTo(200);
        assertThat(service.work().releaseLeaks()).isZero();
    }

    @Test
    void boundToEveryAddressItAnswersAddressesButNotForeignNames() throws Exception {
        InetAddress lan = null;
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (ni.isUp() && !ni.isLoopback() && a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                    lan = a;
                }
            }
        }
        try (DemoService any = DemoService.start(DemoService.Options.defaults().withBind("0.0.0.0").withPort(0))) {
            int port = any.port();
            assertThat(get("localhost:" + port, port, "/work").status()).isEqualTo(200);
            assertThat(get("evil.example:" + port, port, "/work").status()).isEqualTo(403);
            assertThat(get("192.0.2.7:" + port, port, "/work").status()).as("an IP literal").isEqualTo(200);
            if (lan != null) {
                assertThat(get(lan.getHostAddress() + ":" + port, port, "/work").status()).isEqualTo(200);
            }
        }
    }

    @Test
    void badAllowedHostsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> DemoService.Options.defaults().withAllowHosts(List.of("devbox.lan:6060")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'devbox.lan:6060': give the host without a port (every port is accepted)");
        assertThatThrownBy(() -> DemoService.Options.defaults().withAllowHosts(List.of("evil.example/x")))
                .hasMessage("'evil.example/x' is not a host name or an IP address");
    }
}
