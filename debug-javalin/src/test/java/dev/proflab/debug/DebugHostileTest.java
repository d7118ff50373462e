package dev.proflab.debug;

import dev.proflab.debug.DebugTestSupport.Server;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static dev.proflab.debug.DebugTestSupport.TOKEN;
import static dev.proflab.debug.DebugTestSupport.raw;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1,000 malformed or hostile requests per adapter (2,000 in all) on raw sockets: only 4xx, no 5xx, no hang, and
 * the endpoints still serve afterwards; slow partial requests do not stop others being served; the token rules over
 * a real non-loopback address of this machine.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebugHostileTest {

    private InetAddress lan;
    private Server jdk;
    private Server javalin;

    @BeforeAll
    void start() throws IOException {
        lan = DebugTestSupport.nonLoopbackAddress();
        DebugEndpoints debug = new DebugEndpoints(DebugOptions.builder().token(TOKEN).build());
        jdk = DebugTestSupport.jdk(debug, "0.0.0.0");
        javalin = JavalinServers.javalin(debug, "0.0.0.0");
    }

    @AfterAll
    void stop() {
        jdk.close();
        javalin.close();
    }

    Stream<Server> servers() {
        return Stream.of(jdk, javalin);
    }

    /** One hostile request: where it goes (loopback or the LAN address) and the bytes sent. */
    record Attack(boolean viaLan, String request, boolean oversized) {
    }

    private static String get(String target, String... headers) {
        StringBuilder sb = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return sb.append("Connection: close\r\n\r\n").toString();
    }

    static List<Attack> attacks() {
        List<Attack> a = new ArrayList<>();
        String[] timed = {"profile", "wall", "heap", "allocs", "block", "mutex", "trace"};
        String[] badSeconds = {"-1", "0", "-0", "121", "9999", "2147483648", "9223372036854775808",
                "99999999999999999999999999", "abc", "1.5", "1e3", "0x10", "%00", "%ff%fe", "+-1", "NaN", "Infinity",
                "5;rm", "%2d1", "", "1%00", "%EF%BC%91", "%", "%2", "1%2", "--1", "1,2", "%201%20x"};
        for (String p : timed) {
            for (String s : badSeconds) {
                a.add(new Attack(false, get("/debug/pprof/" + p + "?seconds=" + s), false));
            }
        }
        for (String e : new String[] {"cycles", "alloc", "wall", "", "cpu,alloc", "..%2f..", "CPU%00", "lock"}) {
            a.add(new Attack(false, get("/debug/pprof/profile?seconds=1&event=" + e), false));
        }
        for (String f : new String[] {"pdf", "jfr%00", "", "HTML5", "svgz", "../../x", "%3Cscript%3E", "pprof&format=jfr"}) {
            for (String p : new String[] {"profile", "heap", "mutex", "goroutine"}) {
                a.add(new Attack(false, get("/debug/pprof/" + p + "?seconds=1&format=" + f), false));
            }
        }
        for (String q : new String[] {"seconds=1&seconds=1", "format=pprof&format=jfr&seconds=1", "debug=1&debug=1",
                "seconds=1&gc=2", "debug=3", "debug=-1", "debug=abc", "gc=maybe", "unknown=1", "seconds=1&x",
                "=1", "&&&=&&", "seconds=1&seconds"}) {
            for (String p : new String[] {"profile", "heap", "goroutine", "allocs"}) {
                a.add(new Attack(false, get("/debug/pprof/" + p + "?" + q), false));
            }
        }
        for (String t : new String[] {"/debug/pprof/../../etc/passwd", "/debug/pprof/%2e%2e/%2e%2e/etc/passwd",
                "/debug/pprof/..%2f..%2fetc%2fpasswd", "/debug/%2e%2e/%2e%2e/etc/passwd", "/debug/pprof/heap%00",
                "/debug/pprof//etc/passwd", "/debug/pprof/profile%3fseconds=1", "/debug/pprof/PROFILE",
                "/debug/pprof/%252e%252e/etc/passwd", "/debug/pprof/.%2e/.%2e/etc/passwd", "/debug/pprof/nothing",
                "/debug/jfr/../../../etc/shadow", "/debug/pprof/heapdump", "/debug/pprof/heapdump?gc=1",
                "/debug/pprof/%c0%ae%c0%ae/etc/passwd", "/debug/pprof/;/etc/passwd", "/debug/pprof/..;/..;/etc"}) {
            a.add(new Attack(false, get(t), false));
        }
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
            a.add(new Attack(false, method + " /debug/pprof/profile?seconds=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0"
                    + "\r\nConnection: close\r\n\r\n", false));
        }
        for (int n : new int[] {600, 2000, 6000, 20000}) {
            a.add(new Attack(false, get("/debug/pprof/" + "a".repeat(n)), n > 4000));
            a.add(new Attack(false, get("/debug/pprof/profile?seconds=" + "9".repeat(n)), n > 4000));
            a.add(new Attack(false, get("/debug/pprof/profile?" + "x=1&".repeat(n / 4)), n > 4000));
        }
        String[] badAuth = {null, "Authorization: Bearer wrong", "Authorization: Bearer " + TOKEN + "x",
                "Authorization: Bearer " + TOKEN.substring(1), "Authorization: Basic " + TOKEN,
                "Authorization: " + TOKEN, "Authorization: Bearer", "Authorization: Bearer  ",
                "Authorization: Bearer " + "A".repeat(4000), "Authorization: Bearer " + TOKEN.toUpperCase()};
        for (String h : badAuth) {
            for (String p : new String[] {"/debug/pprof/profile?seconds=1", "/debug/gc", "/debug/pprof/",
                    "/debug/pprof/goroutine?debug=2", "/debug/pprof/nothing", "/debug/pprof/../../etc/passwd"}) {
                a.add(new Attack(true, h == null ? get(p) : get(p, h), false));
            }
        }
        List<Attack> all = new ArrayList<>();
        for (int i = 0; all.size() < 1000; i++) {
            all.add(a.get(i % a.size()));
        }
        return all;
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("servers")
    void aThousandHostileRequestsGetOnly4xx(Server s) throws Exception {
        List<Attack> attacks = attacks();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int lanSkipped = 0;
        long t0 = System.nanoTime();
        for (Attack a : attacks) {
            if (a.viaLan && lan == null) {
                lanSkipped++;
                continue;
            }
            String host = a.viaLan ? lan.getHostAddress() : "127.0.0.1";
            int status;
            try {
                DebugTestSupport.RawResponse r = raw(host, s.port(), a.request, 5000);
                status = r.status();
                // (the JDK HttpServer answers URIs it cannot parse itself: "<h1>400 Bad Request</h1>URISyntaxException thrown")
                assertThat(r.body()).as(a.request).doesNotContain("\tat ", ".java:", "/tmp", "root:x:0:0");
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer within 5 s: " + a.request.substring(0, Math.min(200, a.request.length())));
            } catch (IOException e) {
                status = -1; // the server closed the connection while the request was still being sent
            }
            statuses.merge(status, 1, Integer::sum);
            if (status == -1) {
                assertThat(a.oversized).as("only oversized requests may be cut off: " + a.request.substring(0, 80)).isTrue();
            } else {
                assertThat(status).as(a.request.substring(0, Math.min(200, a.request.length()))).isBetween(400, 499);
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("%s: %d hostile requests in %d ms, statuses %s%s%n", s.name(), attacks.size() - lanSkipped,
                ms, statuses, lanSkipped > 0 ? " (" + lanSkipped + " token attacks skipped: no non-loopback address)" : "");
        // still serving, captures included
        assertThat(DebugTestSupport.get(s.base() + "/debug/gc").statusCode()).isEqualTo(200);
        assertThat(DebugTestSupport.get(s.base() + "/debug/pprof/profile?seconds=1").statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("servers")
    void slowPartialRequestsDoNotBlockOthers(Server s) throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                Socket sock = new Socket();
                sock.connect(new InetSocketAddress("127.0.0.1", s.port()), 5000);
                OutputStream out = sock.getOutputStream();
                out.write("GET /debug/pprof/profile?sec".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(sock);
            }
            for (int round = 0; round < 5; round++) {
                for (Socket sock : slow) {
                    sock.getOutputStream().write('o');
                    sock.getOutputStream().flush();
                }
                long t0 = System.nanoTime();
                assertThat(DebugTestSupport.get(s.base() + "/debug/gc").statusCode()).isEqualTo(200);
                // blocked, it would wait as long as the slow clients (the whole test) or its 60 s timeout; served,
                // it takes milliseconds, and 10 s is far above what a loaded machine adds
                assertThat((System.nanoTime() - t0) / 1_000_000).as("ms for /debug/gc among slow clients").isLessThan(10_000);
                Thread.sleep(100);
            }
            // half of them finish their (bad) request: a 4xx each
            for (int i = 0; i < slow.size() / 2; i++) {
                Socket sock = slow.get(i);
                sock.setSoTimeout(5000);
                sock.getOutputStream().write("nds=-5 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                sock.getOutputStream().flush();
                String head = new String(sock.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(head).startsWith("HTTP/1.1 4");
            }
        } finally {
            for (Socket sock : slow) {
                sock.close();
            }
        }
        assertThat(DebugTestSupport.get(s.base() + "/debug/pprof/goroutine?debug=1").statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("servers")
    void tokenRulesOverARealNonLoopbackAddress(Server s) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(lan != null,
                "this machine has no non-loopback address: DebugEndpointsTest covers the rules with an injected decision");
        String base = "http://" + lan.getHostAddress() + ":" + s.port();
        var missing = DebugTestSupport.get(base + "/debug/gc");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"debug\"");
        assertThat(DebugTestSupport.get(base + "/debug/gc", "Authorization", "Bearer nope").statusCode()).isEqualTo(401);
        assertThat(DebugTestSupport.get(base + "/debug/gc", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(DebugTestSupport.get(s.base() + "/debug/gc").statusCode()).as("loopback: open").isEqualTo(200);

        // no token configured: off (404) on that address, open on loopback
        Server noToken = s.name().equals("jdk")
                ? DebugTestSupport.jdk(new DebugEndpoints(DebugOptions.defaults()), "0.0.0.0")
                : JavalinServers.javalin(new DebugEndpoints(DebugOptions.defaults()), "0.0.0.0");
        try (noToken) {
            String b = "http://" + lan.getHostAddress() + ":" + noToken.port();
            assertThat(DebugTestSupport.get(b + "/debug/gc").statusCode()).isEqualTo(404);
            assertThat(DebugTestSupport.get(b + "/debug/gc", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
            assertThat(DebugTestSupport.get(noToken.base() + "/debug/gc").statusCode()).isEqualTo(200);
        }
    }
}
