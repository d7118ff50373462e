package dev.proflab.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proflab fetch} against a server that does not play fair: an endless body, a trickle, a connection cut
 * mid-body, a decompression bomb. Each is exit 2, one line naming the URL and the limit, within a bounded time, and
 * nothing is left in the folder.
 */
@Tag("slow")
class FetchCommandTest {

    static HttpServer server;
    static String base;
    static volatile boolean stopped;
    static byte[] bomb;

    @BeforeAll
    static void start() throws IOException {
        bomb = gzipBomb(2L << 30);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fetch-cli-hostile");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", ex -> {
            try (ex) {
                switch (ex.getRequestURI().getPath()) {
                    case "/endless" -> endless(ex);
                    case "/trickle" -> trickle(ex);
                    case "/bomb.pb.gz" -> {
                        ex.sendResponseHeaders(200, bomb.length);
                        ex.getResponseBody().write(bomb);
                    }
                    default -> ex.sendResponseHeaders(404, -1);
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        stopped = true;
        server.stop(0);
    }

    static void endless(HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        byte[] block = new byte[1 << 16];
        Arrays.fill(block, (byte) 'x');
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!stopped && System.nanoTime() < end) {
            out.write(block);
        }
    }

    /** Headers, then one byte every 200 ms. */
    static void trickle(HttpExchange ex) throws IOException, InterruptedException {
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        for (int i = 0; !stopped && System.nanoTime() < end; i++) {
            out.write(i == 0 ? 0x1f : i == 1 ? 0x8b : 0);
            out.flush();
            Thread.sleep(200);
        }
    }

    /** gzip members of 16 MB of zeros, one after the other: {@code inflated} bytes from a thousandth of that. */
    static byte[] gzipBomb(long inflated) throws IOException {
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(member, 1 << 16)) {
            g.write(new byte[16 << 20]);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (long n = 0; n < inflated; n += 16 << 20) {
            all.write(member.toByteArray());
        }
        return all.toByteArray();
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void aTrickleIsExit2AtTheDeadline(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        CliRun r = CliRun.of("fetch", base + "/trickle", "-o", dir.resolve("cpu.pb.gz").toString(), "--timeout", "2s");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).matches("proflab: " + base.replace(".", "\\.")
                + "/trickle: the answer did not complete within 2 s \\(\\d+ bytes? arrived\\) \\(--timeout\\)");
        assertThat(seconds).isLessThan(15);
        assertThat(files(dir)).isEmpty();
    }

    @Test
    void anEndlessBodyIsExit2AtTheCap(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        CliRun r = CliRun.of("fetch", base + "/endless", "-o", dir.resolve("cpu.pb.gz").toString(),
                "--max-profile-bytes", "1MB");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proflab: " + base
                + "/endless: the answer is larger than 1.0 MB: stopped reading it (--max-profile-bytes)");
        assertThat(seconds).isLessThan(15);
        assertThat(files(dir)).isEmpty();
    }

    @Test
    void badLimitsAreUsageErrors(@TempDir Path dir) {
        String o = dir.resolve("x.pb.gz").toString();
        CliRun size = CliRun.of("fetch", base + "/endless", "-o", o, "--max-profile-bytes", "lots");
        assertThat(size.exitCode()).isEqualTo(2);
        assertThat(size.err().strip()).startsWith("proflab: --max-profile-bytes: 'lots' is not a size");
        CliRun small = CliRun.of("fetch", base + "/endless", "-o", o, "--max-profile-bytes", "10");
        assertThat(small.exitCode()).isEqualTo(2);
        assertThat(small.err().strip()).startsWith("proflab: --max-profile-bytes: '10' is out of range");
        CliRun help = CliRun.of("fetch", "--help");
        assertThat(help.out()).contains("--max-profile-bytes=SIZE", "(default: 256MB)", "--timeout=D",
                "headers and body");
    }

    /** SIGTERM (as Ctrl-C) in the middle of a download: the temporary files go with the process. */
    @Test
    void aStoppedFetchLeavesNothing(@TempDir Path dir, @TempDir Path logs) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "fetch", base + "/trickle", "-o", dir.resolve("slow.pb.gz").toString(),
                "--timeout", "5m")
                .redirectErrorStream(true).redirectOutput(logs.resolve("fetch.log").toFile()).start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < end && files(dir).stream().noneMatch(f -> f.toString().endsWith(".part"))) {
                Thread.sleep(50);
            }
            assertThat(files(dir)).as("downloading").hasSize(2); // .part and .lock
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
        } finally {
            p.destroyForcibly();
        }
        assertThat(files(dir)).isEmpty();
    }

    /** A bomb, to a fetch in a JVM of 256 MB: one line, whether the reader refuses it or runs out of memory. */
    @Test
    void aDecompressionBombIsExit2AndLeavesNothing(@TempDir Path dir, @TempDir Path logs) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = logs.resolve("fetch.log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "fetch", base + "/bomb.pb.gz", "-o", dir.resolve("bomb.pb.gz").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isEqualTo(2);
        List<String> lines = text.strip().lines().filter(l -> !l.startsWith("WARNING:")).toList();
        assertThat(lines).as(text).hasSize(1);
        assertThat(lines.get(0)).startsWith("proflab: " + base + "/bomb.pb.gz: the answer looks like pprof"
                + " (gzipped profile.proto) but cannot be read (");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(120);
        assertThat(files(dir)).isEmpty();
    }
}
