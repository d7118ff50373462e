package dev.proflab.debug;

import dev.proflab.debug.DebugTestSupport.RawResponse;
import dev.proflab.debug.DebugTestSupport.Server;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import static dev.proflab.debug.DebugTestSupport.TOKEN;
import static dev.proflab.debug.DebugTestSupport.raw;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DNS rebinding over real sockets, on both adapters listening on 127.0.0.1: a request that names a foreign host
 * gets 403 with a JSON error and starts nothing ({@code /debug/pprof/profile}, {@code /debug/jfr} included); the
 * loopback names and the allowed ones are served; the token opens it whatever the host.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebugHostHeaderTest {

    private Server jdk;
    private Server javalin;
    private Server jdkToken;
    private Server javalinToken;

    @BeforeAll
    void start() throws IOException {
        DebugEndpoints open = new DebugEndpoints(DebugOptions.builder().allowHosts(List.of("devbox.lan")).build());
        DebugEndpoints token = new DebugEndpoints(DebugOptions.builder().token(TOKEN).build());
        jdk = DebugTestSupport.jdk(open, "127.0.0.1");
        javalin = JavalinServers.javalin(open, "127.0.0.1");
        jdkToken = DebugTestSupport.jdk(token, "127.0.0.1");
        javalinToken = JavalinServers.javalin(token, "127.0.0.1");
    }

    @AfterAll
    void stop() {
        for (Server s : new Server[] {jdk, javalin, jdkToken, javalinToken}) {
            if (s != null) {
                s.close();
            }
        }
    }

    Stream<Server> servers() {
        return Stream.of(jdk, javalin);
    }

    Stream<Server> tokenServers() {
        return Stream.of(jdkToken, javalinToken);
    }

    private static RawResponse get(Server s, String target, String... headers) throws IOException {
        StringBuilder sb = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return raw("127.0.0.1", s.port(), sb.append("Connection: close\r\n\r\n").toString(), 15_000);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("servers")
    void aForeignHostGets403AndNothingStarts(Server s) throws Exception {
        long t0 = System.nanoTime();
        for (String host : new String[] {"evil.example", "evil.example:" + s.port(), "localhost.evil.example",
                "127.0.0.1.nip.io:" + s.port(), "localhost.."}) {
            for (String target : new String[] {"/debug/pprof/", "/debug/pprof/profile?seconds=30",
                    "/debug/pprof/heap?gc=1", "/debug/jfr?seconds=30", "/debug/gc", "/debug/pprof/nothing"}) {
                RawResponse r = get(s, target, "Host: " + host);
                assertThat(r.status()).as(s + " " + host + " " + target).isEqualTo(403);
                assertThat(r.text()).containsIgnoringCase("content-type: application/json");
                assertThat(r.body()).startsWith("{\"error\":\"Host '" + host + "' is not ")
                        .contains("DNS rebinding").endsWith("\"status\":403}\n");
            }
        }
        // malformed: refused by the rule, or by Jetty itself before it (400)
        for (String host : new String[] {"evil.example@127.0.0.1", "127.0.0.1@evil.example", "", "localhost:x"}) {
            RawResponse r = get(s, "/debug/pprof/profile?seconds=30", "Host: " + host);
            assertThat(r.status()).as(s + " '" + host + "'").isIn(400, 403);
        }
        // 64 refusals and no 30 s capture among them
        assertThat((System.nanoTime() - t0) / 1_000_000_000L).as("seconds").isLessThan(15);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("servers")
    void loopbackNamesAndAllowedHostsAreServed(Server s) throws Exception {
        for (String host : new String[] {"localhost", "localhost:" + s.port(), "127.0.0.1:" + s.port(),
                "[::1]:" + s.port(), "LocalHost:" + s.port(), "devbox.lan:" + s.port(), "DEVBOX.LAN"}) {
            RawResponse r = get(s, "/debug/gc", "Host: " + host);
            assertThat(r.status()).as(s + " " + host).isEqualTo(200);
        }
        RawResponse jfr = get(s, "/debug/jfr?seconds=1", "Host: localhost:" + s.port());
        assertThat(jfr.status()).isEqualTo(200);
        assertThat(jfr.text()).contains("recording.jfr");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("servers")
    void noOrTwoHostHeadersAndOtherSitesPagesAreRefused(Server s) throws Exception {
        RawResponse none = raw("127.0.0.1", s.port(), "GET /debug/gc HTTP/1.0\r\n\r\n", 15_000);
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.body()).contains("without a Host header");
        RawResponse two = get(s, "/debug/gc", "Host: 127.0.0.1", "Host: evil.example");
        assertThat(two.status()).as("two Host headers").isBetween(400, 403); // Jetty refuses them itself (400)
        RawResponse img = get(s, "/debug/pprof/profile?seconds=30", "Host: 127.0.0.1:" + s.port(),
                "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: no-cors", "Sec-Fetch-Dest: image");
        assertThat(img.status()).isEqualTo(403);
        assertThat(img.body()).contains("another site's page");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("tokenServers")
    void withTheTokenTheHostIsNotChecked(Server s) throws Exception {
        RawResponse bare = get(s, "/debug/gc", "Host: evil.example");
        assertThat(bare.status()).isEqualTo(403);
        assertThat(bare.body()).contains("or send 'Authorization: Bearer <token>'");
        assertThat(get(s, "/debug/gc", "Host: evil.example", "Authorization: Bearer " + TOKEN).status()).isEqualTo(200);
        assertThat(get(s, "/debug/gc", "Host: evil.example", "Authorization: Bearer nope").status()).isEqualTo(401);
        RawResponse jfr = get(s, "/debug/jfr?seconds=1", "Host: evil.example", "Authorization: Bearer " + TOKEN);
        assertThat(jfr.status()).isEqualTo(200);
        assertThat(get(s, "/debug/gc", "Host: localhost:" + s.port()).status()).isEqualTo(200);
    }
}
