package dev.proflab.debug;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The framework-neutral core with a fake exchange: the loopback decision injected, no sockets. */
class DebugEndpointsTest {

    static final String TOKEN = DebugTestSupport.TOKEN;

    /** A request as an adapter would hand it over, and what was answered. */
    static class Fake implements DebugExchange {
        final String path;
        final String query;
        final boolean loopback;
        final Map<String, String> requestHeaders = new LinkedHashMap<>();
        final Map<String, String> responseHeaders = new LinkedHashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        int status;
        String method = "GET";

        /** {@code Host: 127.0.0.1:6060} unless {@code headers} say otherwise (null: no Host header). */
        Fake(String target, boolean loopback, String... headers) {
            int q = target.indexOf('?');
            this.path = q < 0 ? target : target.substring(0, q);
            this.query = q < 0 ? null : target.substring(q + 1);
            this.loopback = loopback;
            requestHeaders.put("Host", "127.0.0.1:6060");
            for (int i = 0; i < headers.length; i += 2) {
                if (headers[i + 1] == null) {
                    requestHeaders.remove(headers[i]);
                } else {
                    requestHeaders.put(headers[i], headers[i + 1]);
                }
            }
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public String rawPath() {
            return path;
        }

        @Override
        public String rawQuery() {
            return query;
        }

        @Override
        public String header(String name) {
            return requestHeaders.get(name);
        }

        @Override
        public boolean loopback() {
            return loopback;
        }

        @Override
        public void header(String name, String value) {
            responseHeaders.put(name, value);
        }

        @Override
        public OutputStream send(int status, long length) {
            this.status = status;
            return body;
        }

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    static Fake call(DebugEndpoints d, String target, boolean loopback, String... headers) throws Exception {
        Fake f = new Fake(target, loopback, headers);
        d.handle(f);
        return f;
    }

    @Test
    void loopbackIsOpenWithOrWithoutAToken() throws Exception {
        assertThat(call(new DebugEndpoints(DebugOptions.defaults()), "/debug/gc", true).status).isEqualTo(200);
        assertThat(call(new DebugEndpoints(DebugOptions.builder().token(TOKEN).build()), "/debug/gc", true).status)
                .isEqualTo(200);
    }

    @Test
    void withoutATokenTheEndpointsAreOffOnOtherAddresses() throws Exception {
        DebugEndpoints d = new DebugEndpoints(DebugOptions.defaults());
        for (String p : new String[] {"/debug/gc", "/debug/pprof/", "/debug/pprof/profile?seconds=1", "/debug/x"}) {
            Fake f = call(d, p, false, "Authorization", "Bearer " + TOKEN);
            assertThat(f.status).as(p).isEqualTo(404);
            assertThat(f.text()).isEqualTo("{\"error\":\"not found\",\"status\":404}\n");
        }
        assertThat(d.describe(InetAddress.getByName("10.1.2.3")))
                .contains("OFF (404) on 10.1.2.3", "no debug token configured");
        assertThat(d.describe("0.0.0.0")).contains("OFF (404) on non-loopback addresses", "open to connections to 127.0.0.1");
        assertThat(d.describe("127.0.0.1")).contains("open on loopback 127.0.0.1 (no token needed; Host localhost,"
                + " 127.0.0.1 or [::1] only)");
    }

    @Test
    void withATokenOtherAddressesNeedTheBearerToken() throws Exception {
        DebugEndpoints d = new DebugEndpoints(DebugOptions.builder().token(TOKEN).build());
        Fake missing = call(d, "/debug/gc", false);
        assertThat(missing.status).isEqualTo(401);
        assertThat(missing.responseHeaders).containsEntry("WWW-Authenticate", "Bearer realm=\"debug\"");
        assertThat(missing.text()).contains("Authorization: Bearer");
        for (String bad : new String[] {"Bearer wrong", "Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1),
                "Basic " + TOKEN, TOKEN, "Bearer ", "bearer"}) {
            Fake f = call(d, "/debug/gc", false, "Authorization", bad);
            assertThat(f.status).as(bad).isEqualTo(401);
            assertThat(f.text()).as(bad).contains("\"error\"").doesNotContain(TOKEN);
        }
        assertThat(call(d, "/debug/gc", false, "Authorization", "Bearer " + TOKEN).status).isEqualTo(200);
        assertThat(call(d, "/debug/gc", false, "Authorization", "bearer  " + TOKEN + " ").status).isEqualTo(200);
        // unknown paths do not tell an outsider what exists
        assertThat(call(d, "/debug/nothing", false).status).isEqualTo(401);
        assertThat(d.describe("0.0.0.0")).contains("require 'Authorization: Bearer <token>' except on loopback");
    }

    @Test
    void onLoopbackAForeignHostIsRefusedUnlessAllowedOrWithTheToken() throws Exception {
        DebugEndpoints open = new DebugEndpoints(DebugOptions.defaults());
        for (String host : new String[] {"evil.example", "evil.example:6060", "localhost.evil.example:6060",
                "127.0.0.1.nip.io:6060", "user@localhost", "127.1:6060", "", "localhost:6060:6060"}) {
            for (String p : new String[] {"/debug/gc", "/debug/pprof/", "/debug/pprof/profile?seconds=1",
                    "/debug/jfr?seconds=1", "/debug/nothing"}) {
                Fake f = call(open, p, true, "Host", host);
                assertThat(f.status).as(host + " " + p).isEqualTo(403);
                assertThat(f.responseHeaders).containsEntry("Content-Type", "application/json");
                assertThat(f.text()).as(host).startsWith("{\"error\":\"Host '" + host + "' is not ")
                        .contains("DNS rebinding", "--allow-host").endsWith(",\"status\":403}\n");
            }
        }
        assertThat(call(open, "/debug/gc", true, "Host", null).text()).contains("without a Host header");
        for (String host : new String[] {"localhost", "localhost:6060", "LOCALHOST:6060", "127.0.0.1", "127.0.0.1:6060",
                "[::1]", "[::1]:6060"}) {
            assertThat(call(open, "/debug/gc", true, "Host", host).status).as(host).isEqualTo(200);
        }
        // two Host headers (an adapter hands every value over)
        Fake two = new Fake("/debug/gc", true) {
            @Override
            public java.util.List<String> headers(String name) {
                return name.equals("Host") ? java.util.List.of("127.0.0.1", "evil.example") : super.headers(name);
            }
        };
        open.handle(two);
        assertThat(two.status).isEqualTo(403);
        assertThat(two.text()).contains("2 Host headers");

        DebugEndpoints allowed = new DebugEndpoints(DebugOptions.builder()
                .allowHosts(java.util.List.of("devbox.lan", "10.0.0.5")).build());
        assertThat(allowed.options().allowHosts()).containsExactly("devbox.lan", "10.0.0.5");
        assertThat(call(allowed, "/debug/gc", true, "Host", "DevBox.lan:6060").status).isEqualTo(200);
        assertThat(call(allowed, "/debug/gc", true, "Host", "10.0.0.5:6060").status).isEqualTo(200);
        assertThat(call(allowed, "/debug/gc", true, "Host", "10.0.0.6:6060").status).isEqualTo(403);
        assertThat(call(allowed, "/debug/gc", true, "Host", "www.devbox.lan").text())
                .contains("not a loopback name or an allowed host");
        assertThat(allowed.describe("127.0.0.1")).contains("Host localhost, 127.0.0.1, [::1] or devbox.lan, 10.0.0.5 only");
        assertThatThrownBy(() -> DebugOptions.builder().allowHosts(java.util.List.of("devbox.lan:6060")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without a port");

        // with a token configured: the token opens it whatever the Host (as on any other address)
        DebugEndpoints withToken = new DebugEndpoints(DebugOptions.builder().token(TOKEN).build());
        Fake noAuth = call(withToken, "/debug/gc", true, "Host", "evil.example");
        assertThat(noAuth.status).isEqualTo(403);
        assertThat(noAuth.text()).contains("or send 'Authorization: Bearer <token>'");
        assertThat(call(withToken, "/debug/gc", true, "Host", "evil.example", "Authorization", "Bearer " + TOKEN).status)
                .isEqualTo(200);
        assertThat(call(withToken, "/debug/gc", true, "Host", "evil.example", "Authorization", "Bearer wrong").status)
                .isEqualTo(401);
        // off loopback nothing changes: the token decides, whatever the Host
        assertThat(call(withToken, "/debug/gc", false, "Host", "evil.example", "Authorization", "Bearer " + TOKEN).status)
                .isEqualTo(200);
        assertThat(call(withToken, "/debug/gc", false, "Host", "localhost").status).isEqualTo(401);
        assertThat(call(open, "/debug/gc", false, "Host", "localhost").status).isEqualTo(404);
    }

    @Test
    void onLoopbackOtherSitesPagesAreRefused() throws Exception {
        DebugEndpoints d = new DebugEndpoints(DebugOptions.defaults());
        // <img src="http://127.0.0.1:6060/debug/pprof/profile?seconds=120"> on evil.example: no capture starts
        Fake img = call(d, "/debug/pprof/profile?seconds=120", true, "Sec-Fetch-Site", "cross-site",
                "Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "image");
        assertThat(img.status).isEqualTo(403);
        assertThat(img.text()).contains("another site's page (Sec-Fetch-Site: cross-site)");
        assertThat(call(d, "/debug/gc", true, "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate",
                "Sec-Fetch-Dest", "iframe").status).isEqualTo(403);
        assertThat(call(d, "/debug/gc", true, "Origin", "http://evil.example").status).isEqualTo(403);
        // a link the user follows, the page's own links, a typed URL, tools
        assertThat(call(d, "/debug/gc", true, "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate",
                "Sec-Fetch-Dest", "document").status).isEqualTo(200);
        assertThat(call(d, "/debug/gc", true, "Sec-Fetch-Site", "same-origin", "Sec-Fetch-Mode", "navigate").status)
                .isEqualTo(200);
        assertThat(call(d, "/debug/gc", true, "Sec-Fetch-Site", "none").status).isEqualTo(200);
        assertThat(call(d, "/debug/gc", true, "Origin", "http://127.0.0.1:6060").status).isEqualTo(200);
    }

    @Test
    void pagesCarryAPolicy() throws Exception {
        DebugEndpoints d = new DebugEndpoints(DebugOptions.defaults());
        Fake index = call(d, "/debug/pprof/", true);
        assertThat(index.status).isEqualTo(200);
        assertThat(index.responseHeaders).containsEntry("Content-Security-Policy", DebugEndpoints.PAGE_POLICY)
                .containsEntry("X-Frame-Options", "DENY").containsEntry("X-Content-Type-Options", "nosniff")
                .containsEntry("Referrer-Policy", "no-referrer");
        Fake gc = call(d, "/debug/gc", true);
        assertThat(gc.responseHeaders).containsEntry("X-Content-Type-Options", "nosniff")
                .doesNotContainKey("Content-Security-Policy");
    }

    @Test
    void tokenFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("token");
        Files.writeString(f, TOKEN + "\n");
        assertThat(DebugOptions.builder().tokenFile(f).build().token()).isEqualTo(TOKEN);
        Files.writeString(f, "\n");
        assertThatThrownBy(() -> DebugOptions.builder().tokenFile(f)).hasMessageContaining("empty");
        assertThatThrownBy(() -> DebugOptions.builder().tokenFile(dir.resolve("none")))
                .hasMessageContaining("cannot read");
        assertThatThrownBy(() -> DebugOptions.builder().token("short").build()).hasMessageContaining("too short");
    }

    @Test
    void parametersAreChecked() throws Exception {
        DebugEndpoints d = new DebugEndpoints(DebugOptions.builder().maxSeconds(60).build());
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("/debug/pprof/profile?seconds=0", "seconds: 0 is out of range (use 1 to 60)");
        cases.put("/debug/pprof/profile?seconds=-1", "seconds: -1 is out of range (use 1 to 60)");
        cases.put("/debug/pprof/profile?seconds=61", "seconds: 61 is out of range (use 1 to 60)");
        cases.put("/debug/pprof/profile?seconds=99999999999999999999", "seconds: '99999999999999999999' is not a whole number");
        cases.put("/debug/pprof/profile?seconds=1e3", "seconds: '1e3' is not a whole number");
        cases.put("/debug/pprof/profile?seconds=", "seconds: '' is not a whole number");
        cases.put("/debug/pprof/profile?seconds=1&seconds=2", "seconds: given more than once");
        cases.put("/debug/pprof/profile?seconds=%zz", "malformed %-escape");
        cases.put("/debug/pprof/profile?secs=1", "unknown parameter 'secs'");
        cases.put("/debug/pprof/profile?format=pdf", "format: unknown 'pdf'");
        cases.put("/debug/pprof/profile?event=cycles", "event: unknown 'cycles'");
        cases.put("/debug/pprof/goroutine?debug=7", "debug: 7 is out of range (use 0 to 2)");
        cases.put("/debug/pprof/goroutine?format=jfr", "format: a thread dump is not a recording");
        cases.put("/debug/pprof/heap?debug=1&seconds=2", "debug=1 is the class histogram");
        cases.put("/debug/gc?x=1", "unknown parameter 'x': this path takes none");
        cases.put("/debug/pprof/heapdump", "heap dumps are off");
        cases.put("/debug/pprof/../../etc/passwd", "unknown path");
        cases.put("/debug/pprof/%2e%2e/%2e%2e/etc/passwd", "unknown path");
        cases.put("/debug/pprof/profile?seconds=<script>", "seconds: '?script?' is not a whole number");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Fake f = call(d, c.getKey(), true);
            assertThat(f.status).as(c.getKey()).isBetween(400, 499);
            assertThat(f.text()).as(c.getKey()).contains(c.getValue()).doesNotContain("<script>");
            assertThat(f.responseHeaders).containsEntry("Content-Type", "application/json");
        }
        Fake post = new Fake("/debug/gc", true);
        post.method = "POST";
        d.handle(post);
        assertThat(post.status).isEqualTo(405);
        assertThat(post.responseHeaders).containsEntry("Allow", "GET");
        assertThat(call(d, "/debug/pprof/" + "x".repeat(600), true).status).isEqualTo(414);
        assertThat(call(d, "/debug/gc?" + "a=1&".repeat(1000), true).status).isEqualTo(414);
    }

    @Test
    void errorsNameNoFiles() {
        assertThat(DebugEndpoints.scrub("/tmp/x,y/lib.so: cannot open /home/u/a b")).isEqualTo("<path>: cannot open <path> b");
        assertThat(DebugEndpoints.scrub("async-profiler cannot load here: no library")).isEqualTo(
                "async-profiler cannot load here: no library");
    }
}
