package dev.proflab.server.fetch;

import com.sun.net.httpserver.HttpServer;
import dev.proflab.export.Pprof;
import dev.proflab.profile.ProfileReader;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fetching a profile: a real one is written and readable; error pages and garbage leave nothing behind. */
@Tag("slow")
class DemoFetchTest {

    @TempDir
    static Path dir;
    static HttpServer server;
    static byte[] jfr;
    static byte[] pprof;
    static volatile String lastAuthorization;

    @BeforeAll
    static void start() throws Exception {
        Path rec = dir.resolve("source.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(5));
            r.start();
            long end = System.nanoTime() + 700_000_000L;
            long x = 0;
            while (System.nanoTime() < end) {
                x += Long.numberOfTrailingZeros(x * 31 + 7) + burn(20);
            }
            r.stop();
            r.dump(rec);
            assertThat(x).isNotZero();
        }
        jfr = Files.readAllBytes(rec);
        pprof = Pprof.encode(ProfileReader.read(rec));
        Files.delete(rec);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            lastAuthorization = ex.getRequestHeaders().getFirst("Authorization");
            String p = ex.getRequestURI().getPath();
            switch (p) {
                case "/cpu.pb.gz" -> reply(ex, 200, "application/octet-stream", pprof);
                case "/cpu.jfr" -> reply(ex, 200, "application/octet-stream", jfr);
                case "/missing" -> reply(ex, 404, "application/json",
                        "{\"error\": \"no such profile: try /debug/pprof/\"}".getBytes(StandardCharsets.UTF_8));
                case "/busy" -> reply(ex, 409, "text/plain", "a capture is already running\n".getBytes(StandardCharsets.UTF_8));
                case "/html" -> reply(ex, 200, "text/html", "<html><head><title>Login</title></head><body><h1>Please log in</h1></body></html>"
                        .getBytes(StandardCharsets.UTF_8));
                case "/garbage" -> reply(ex, 200, "application/octet-stream", new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
                case "/gzipped-garbage" -> reply(ex, 200, "application/octet-stream", gzip("hello, not a profile".repeat(20)));
                case "/truncated" -> reply(ex, 200, "application/octet-stream", java.util.Arrays.copyOf(pprof, pprof.length / 2));
                default -> reply(ex, 500, "text/html", "<h1>oops</h1>".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    static long burn(int n) {
        return n < 2 ? n : burn(n - 1) + burn(n - 2);
    }

    static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    static URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    static ProfileFetcher fetcher() {
        return new ProfileFetcher(Duration.ofSeconds(10));
    }

    static long filesIn(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    @Test
    void aPprofProfileIsWrittenAndReadable() throws Exception {
        Path out = dir.resolve("ok/cpu.pb.gz");
        ProfileFetcher.Fetched f = fetcher().fetch(url("/cpu.pb.gz"), out, "s3cret");
        assertThat(f.bytes()).isEqualTo(pprof.length);
        assertThat(f.type()).startsWith("pprof");
        assertThat(Files.readAllBytes(out)).isEqualTo(pprof);
        assertThat(ProfileReader.read(out).sampleCount()).isPositive();
        assertThat(lastAuthorization).isEqualTo("Bearer s3cret");
        assertThat(filesIn(out.getParent())).isEqualTo(1);
    }

    @Test
    void aJfrRecordingIsWrittenAndReadable() throws Exception {
        Path out = dir.resolve("jfr/cpu.jfr");
        ProfileFetcher.Fetched f = fetcher().fetch(url("/cpu.jfr"), out, null);
        assertThat(f.type()).isEqualTo("JFR recording");
        assertThat(f.describe()).contains("cpu (");
        assertThat(ProfileReader.events(out)).isNotEmpty();
        assertThat(lastAuthorization).isNull();
    }

    @Test
    void errorsAndNonProfilesLeaveNothingBehind() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("bad"));
        Path out = folder.resolve("cpu.pb.gz");
        assertThatThrownBy(() -> fetcher().fetch(url("/missing"), out, null)).isInstanceOf(FetchException.class)
                .hasMessageEndingWith("the server answered 404: no such profile: try /debug/pprof/");
        assertThatThrownBy(() -> fetcher().fetch(url("/busy"), out, null))
                .hasMessageEndingWith("the server answered 409: a capture is already running");
        assertThatThrownBy(() -> fetcher().fetch(url("/boom"), out, null))
                .hasMessageEndingWith("the server answered 500: oops");
        assertThatThrownBy(() -> fetcher().fetch(url("/html"), out, null))
                .hasMessageContaining("is not a profile").hasMessageContaining("'<htm'");
        assertThatThrownBy(() -> fetcher().fetch(url("/garbage"), out, null)).hasMessageContaining("is not a profile");
        assertThatThrownBy(() -> fetcher().fetch(url("/gzipped-garbage"), out, null))
                .hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> fetcher().fetch(url("/truncated"), out, null)).hasMessageContaining("cannot be read");
        assertThat(filesIn(folder)).isZero();

        // an existing file stays as it was
        Files.writeString(out, "old");
        assertThatThrownBy(() -> fetcher().fetch(url("/html"), out, null)).isInstanceOf(FetchException.class);
        assertThat(Files.readString(out)).isEqualTo("old");
        assertThat(filesIn(folder)).isEqualTo(1);
    }

    @Test
    void anUnreachableServerIsOneLine() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path out = dir.resolve("none/cpu.pb.gz");
        assertThatThrownBy(() -> fetcher().fetch(URI.create("http://127.0.0.1:" + closed + "/x"), out, null))
                .isInstanceOf(FetchException.class).hasMessageContaining("cannot connect");
        assertThat(Files.exists(out)).isFalse();
    }
}
