package dev.proflab.server.collect;

import dev.proflab.profile.ProfileKind;
import dev.proflab.server.fetch.HostileServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.proflab.server.collect.CollectTestSupport.hidden;
import static dev.proflab.server.collect.CollectTestSupport.visible;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A decompression bomb (2 MB that inflate to 2 GB) answered for a CPU window, to a collector in a JVM of 256 MB: the
 * window is skipped, whether the reader refuses to inflate that much or runs out of memory trying, and the next
 * window is saved.
 */
@Tag("slow")
class CollectorBombTest {

    /** {@code CollectorBombTest$Child BASE OUT}: three cycles of CPU windows of 1 s; the summary on the last line. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            CollectOptions o = CollectOptions.of(URI.create(args[0]), Duration.ofSeconds(1), Duration.ofSeconds(1),
                    Duration.ofSeconds(1), List.of(ProfileKind.CPU), Path.of(args[1]), false, 0, 0, null, null)
                    .withMaxCycles(3);
            Collector.Summary s = new Collector(o, line -> {
                System.out.println(line);
                System.out.flush();
            }).run();
            System.out.println("summary: " + s.files() + " files, " + s.skipped() + " skipped");
        }
    }

    @Test
    void aBombCostsOneWindowAndTheCollectorGoesOn(@TempDir Path out, @TempDir Path logs) throws Exception {
        byte[] pprof = HostileServer.cpuPprof();
        byte[] bomb = HostileServer.gzipBomb(2L << 30);
        assertThat(bomb.length).isLessThan(4 << 20);
        AtomicInteger calls = new AtomicInteger();
        try (HostileServer target = HostileServer.start(ex -> {
            if (!ex.getRequestURI().getPath().equals("/debug/pprof/profile")) {
                HostileServer.reply(ex, 200, "text/html", "<html>index</html>".getBytes(StandardCharsets.UTF_8));
                return;
            }
            // a bomb, a real profile, a bomb
            HostileServer.reply(ex, 200, "application/octet-stream", calls.getAndIncrement() % 2 == 0 ? bomb : pprof);
        })) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path log = logs.resolve("child.log");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    Child.class.getName(), target.base(), out.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the collector ends its three cycles").isTrue();
            } finally {
                p.destroyForcibly();
            }
            String text = Files.readString(log);
            assertThat(p.exitValue()).as(text).isZero();
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(120);
            List<String> lines = text.lines().toList();
            assertThat(lines).as(text).anyMatch(l -> l.matches(".* cycle 1: cpu skipped \\(the answer looks like pprof .*"));
            assertThat(lines).as(text).anyMatch(l -> l.matches(".* cycle 2: cpu 1 s .* -> cpu/cpu_.*"));
            assertThat(lines).as(text).anyMatch(l -> l.matches(".* cycle 3: cpu skipped \\(the answer looks like pprof .*"));
            assertThat(lines.get(lines.size() - 1)).isEqualTo("summary: 1 files, 2 skipped");
            assertThat(text).doesNotContain("Exception in thread");
        }
        assertThat(visible(out.resolve("cpu"))).hasSize(1);
        assertThat(hidden(out.resolve("cpu"))).isEmpty();
    }
}
