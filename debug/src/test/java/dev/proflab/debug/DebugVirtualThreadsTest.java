package dev.proflab.debug;

import com.sun.net.httpserver.HttpServer;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.report.Selection;
import dev.proflab.report.Top;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server whose handlers run on virtual threads (the JDK HttpServer with a virtual-thread executor, as
 * the docs suggest) can capture: async-profiler loaded from a virtual thread refuses every start
 * afterwards ("Could not find VMThread bridge"), so the library is loaded on a platform thread. The
 * service runs in a JVM of its own, so that nothing in this test JVM has loaded the profiler before.
 */
@Tag("slow")
class DebugVirtualThreadsTest {

    /** The service: a spinning thread, the endpoints on virtual threads; prints its port, runs until killed. */
    public static final class Service {
        static volatile long sink;

        public static void main(String[] args) throws Exception {
            Thread spinner = new Thread(() -> {
                while (true) {
                    sink += DebugTestSupport.spinHot(sink);
                }
            }, "spinner");
            spinner.setDaemon(true);
            spinner.start();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            DebugHttpHandler.mount(server, new DebugEndpoints(DebugOptions.defaults()));
            server.start();
            System.out.println("port " + server.getAddress().getPort());
            System.out.flush();
            Thread.sleep(120_000);
        }
    }

    @Test
    void aCaptureFromAVirtualThreadHandlerWorks(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Service.class.getName()))
                .redirectError(dir.resolve("service.err").toFile())
                .start();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            String first = reader.submit(() -> {
                BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()));
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    if (l.startsWith("port ")) {
                        return l;
                    }
                }
                return "";
            }).get(60, TimeUnit.SECONDS);
            assertThat(first).as(Files.readString(dir.resolve("service.err"))).startsWith("port ");
            int port = Integer.parseInt(first.substring(5).strip());
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/debug/pprof/profile?seconds=2")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
            Path file = dir.resolve("cpu.pb.gz");
            Files.write(file, r.body());
            Profile profile = ProfileReader.read(file);
            Top.Result top = Top.compute(profile, Selection.all(), 1, false);
            assertThat(top.rows()).isNotEmpty();
            assertThat(top.rows().get(0).name()).endsWith("spinHot");
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            reader.shutdownNow();
        }
    }
}
