package dev.proflab.server.collect;

import com.sun.net.httpserver.HttpServer;
import dev.proflab.profile.ProfileKind;
import dev.proflab.profile.ProfileReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.proflab.server.collect.CollectTestSupport.hidden;
import static dev.proflab.server.collect.CollectTestSupport.visible;
import static org.assertj.core.api.Assertions.assertThat;

/** A collector killed with SIGKILL in the middle of writing a file leaves nothing a reader sees. */
@Tag("slow")
class CollectorKillTest {

    /** The collector process: {@code CollectorKillTest$Child BASE OUT}, CPU windows of 1 s until killed. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            CollectOptions o = CollectOptions.of(URI.create(args[0]), Duration.ofSeconds(1), Duration.ofSeconds(1),
                    Duration.ofSeconds(1), List.of(ProfileKind.CPU), Path.of(args[1]), false, 0, 0, null, null);
            new Collector(o, line -> {
                System.out.println(line);
                System.out.flush();
            }).run();
        }
    }

    @Test
    void sigkillMidWriteLeavesNoVisibleFileAndTheNextRunCleansUp(@TempDir Path out, @TempDir Path logs) throws Exception {
        byte[] pprof = CollectTestSupport.pprof();
        AtomicBoolean stall = new AtomicBoolean(true);
        HttpServer fake = CollectTestSupport.fake(ex -> {
            if (!ex.getRequestURI().getPath().equals("/debug/pprof/profile")) {
                CollectTestSupport.reply(ex, 404, "text/plain", "no".getBytes());
                return;
            }
            if (!stall.get()) {
                CollectTestSupport.reply(ex, 200, "application/octet-stream", pprof);
                return;
            }
            // half of a real profile, then nothing: the collector is writing its file when it is killed
            ex.sendResponseHeaders(200, pprof.length);
            OutputStream body = ex.getResponseBody();
            body.write(pprof, 0, pprof.length / 2);
            body.flush();
            Thread.sleep(60_000);
        });
        String base = "http://127.0.0.1:" + fake.getAddress().getPort();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), base, out.toString())
                .redirectErrorStream(true).redirectOutput(logs.resolve("child.log").toFile())
                .start();
        Path cpu = out.resolve("cpu");
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < end && (hidden(cpu).isEmpty() || Files.size(hidden(cpu).get(0)) == 0)) {
                Thread.sleep(50);
            }
            assertThat(hidden(cpu)).as("the collector is writing a temporary file").hasSize(1);
            assertThat(Files.size(hidden(cpu).get(0))).isPositive();
            p.destroyForcibly(); // SIGKILL
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(137);

            // a reader sees nothing: the half-written file is hidden (.NAME.tmp)
            assertThat(visible(cpu)).isEmpty();
            assertThat(hidden(cpu).get(0).getFileName().toString()).matches("\\.cpu_\\d{8}-\\d{6}\\.pb\\.gz\\.tmp");

            // the next collector removes it and goes on
            stall.set(false);
            CollectTestSupport.Log log = new CollectTestSupport.Log();
            new Collector(CollectOptions.of(URI.create(base), Duration.ofSeconds(1), Duration.ofSeconds(1),
                    Duration.ofSeconds(1), List.of(ProfileKind.CPU), out, false, 0, 0, null, null)
                    .withMaxCycles(1), log).run();
            assertThat(log.lines().get(0)).isEqualTo("removed 1 temporary file left by a stopped collector");
            assertThat(hidden(cpu)).isEmpty();
            assertThat(visible(cpu)).hasSize(1);
            assertThat(ProfileReader.read(visible(cpu).get(0)).sampleCount()).isPositive();
        } finally {
            p.destroyForcibly();
            fake.stop(0);
        }
    }
}
