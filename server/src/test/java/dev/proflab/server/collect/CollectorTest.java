package dev.proflab.server.collect;

import com.sun.net.httpserver.HttpServer;
import dev.proflab.profile.ProfileKind;
import dev.proflab.profile.ProfileReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.proflab.server.collect.CollectTestSupport.hidden;
import static dev.proflab.server.collect.CollectTestSupport.visible;
import static org.assertj.core.api.Assertions.assertThat;

/** The collection loop against a real /debug/pprof in this JVM and against scripted bad servers. */
@Tag("slow")
class CollectorTest {

    static AutoCloseable load;

    @BeforeAll
    static void burn() {
        load = CollectTestSupport.load();
    }

    @AfterAll
    static void stopBurning() throws Exception {
        load.close();
    }

    static CollectOptions options(String base, Duration interval, List<ProfileKind> kinds, Path out, int keep,
                                  long maxBytes, long cycles) {
        return CollectOptions.of(URI.create(base), interval, Duration.ofSeconds(1), Duration.ofSeconds(1), kinds, out,
                        false, keep, maxBytes, null, null)
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1)).withMaxCycles(cycles);
    }

    /** A longish run with the target up: every window of every cycle is there, readable, in order. */
    @Test
    void aRunWithTheTargetUpLosesNoWindow(@TempDir Path out) throws Exception {
        CollectTestSupport.Target target = new CollectTestSupport.Target().start(0);
        CollectTestSupport.Log log = new CollectTestSupport.Log();
        int cycles = 6;
        try {
            Collector.Summary s = new Collector(options(target.base(), Duration.ofMillis(2500),
                    List.of(ProfileKind.CPU, ProfileKind.HEAP), out, 100, 0, cycles), log).run();
            assertThat(s.cycles()).isEqualTo(cycles);
            assertThat(s.files()).isEqualTo(2L * cycles);
            assertThat(s.skipped()).as(log.toString()).isZero();
        } finally {
            target.stop();
        }
        List<Path> cpu = visible(out.resolve("cpu"));
        List<Path> heap = visible(out.resolve("heap"));
        assertThat(cpu).hasSize(cycles);
        assertThat(heap).hasSize(cycles);
        assertThat(hidden(out.resolve("cpu"))).isEmpty();
        assertThat(hidden(out.resolve("heap"))).isEmpty();
        for (Path p : cpu) {
            assertThat(p.getFileName().toString()).matches("cpu_\\d{8}-\\d{6}(-\\d+)?\\.pb\\.gz");
            assertThat(ProfileReader.read(p).sampleCount()).as(p.toString()).isPositive();
        }
        for (Path p : heap) {
            assertThat(p.getFileName().toString()).matches("heap_\\d{8}-\\d{6}(-\\d+)?\\.pb\\.gz");
            assertThat(ProfileReader.events(p)).isNotNull(); // reads as a profile
        }
        // the heap snapshot of a cycle starts after its CPU window: names say so
        for (int i = 0; i < cycles; i++) {
            assertThat(heap.get(i).getFileName().toString().substring(5, 20)
                    .compareTo(cpu.get(i).getFileName().toString().substring(4, 19))).isPositive();
        }
        List<String> lines = log.lines().stream().filter(l -> l.contains(" cycle ")).toList();
        assertThat(lines).hasSize(cycles);
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ cycle 1: cpu 1 s \\d.* -> cpu/cpu_\\d{8}-\\d{6}"
                + "(-\\d+)?\\.pb\\.gz, heap 1 s .* -> heap/heap_.*; kept 2 files \\(.*\\)");
        assertThat(lines.get(cycles - 1)).contains("cycle " + cycles + ":").contains("kept " + 2 * cycles + " files");
    }

    /**
     * The target dies in the middle of a window and comes back on the same port: the collector says so once, waits,
     * says when it is back and goes on; what it kept is whole.
     */
    @Test
    void aTargetKilledMidWindowIsWaitedForAndCollectionResumes(@TempDir Path out) throws Exception {
        CollectTestSupport.Target target = new CollectTestSupport.Target().start(0);
        int port = target.port();
        CollectTestSupport.Log log = new CollectTestSupport.Log();
        Collector c = new Collector(options(target.base(), Duration.ofSeconds(2), List.of(ProfileKind.CPU), out,
                100, 0, 0), log);
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        Thread t = CollectTestSupport.runInBackground(c, errors);
        try {
            log.await(l -> l.contains(" cycle 1: cpu 1 s"), 1, 20);
            long end = System.nanoTime() + 5_000_000_000L;
            while (!c.capturing() && System.nanoTime() < end) { // cycle 2's window
                Thread.sleep(10);
            }
            Thread.sleep(400);
            assertThat(c.capturing()).as("in the middle of a window").isTrue();
            target.stop();
            log.await(l -> l.contains("target down ("), 1, 10);
            Thread.sleep(2500); // down for a while: several probes, said once
            target = new CollectTestSupport.Target().start(port);
            log.await(l -> l.contains("target back after "), 1, 10);
            long before = log.count(l -> l.contains(" cycle "));
            log.await(l -> l.contains(" cycle "), before + 2, 15);
        } finally {
            c.stop(Duration.ofSeconds(1));
            t.join(10_000);
            target.stop();
        }
        assertThat(errors).isEmpty();
        assertThat(c.finished()).isTrue();
        assertThat(log.count(l -> l.contains("target down ("))).as(log.toString()).isEqualTo(1);
        assertThat(log.count(l -> l.contains("target back after"))).isEqualTo(1);
        assertThat(log.lines().stream().filter(l -> l.contains("target down")).findFirst().orElseThrow())
                .matches(".*target down \\((connection refused|connection lost: .*)\\): retrying every 0\\.2 s \\.\\. 1 s");
        List<Path> cpu = visible(out.resolve("cpu"));
        assertThat(cpu.size()).as(log.toString()).isGreaterThanOrEqualTo(3);
        for (Path p : cpu) {
            assertThat(ProfileReader.read(p).sampleCount()).as(p.toString()).isPositive();
        }
        assertThat(hidden(out.resolve("cpu"))).isEmpty();
        // the cycle lines after the outage go on counting
        int back = indexOf(log.lines(), "target back after");
        assertThat(log.lines().subList(back + 1, log.lines().size())).anyMatch(l -> l.contains(" cycle ") && l.contains("-> cpu/cpu_"));
    }

    private static int indexOf(List<String> lines, String s) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(s)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Bad answers (HTML, an error status, a truncated profile) are logged and skipped, never saved; a small quota
     * is held by deleting the oldest files.
     */
    @Test
    void badAnswersAreSkippedAndTheQuotaHolds(@TempDir Path out) throws Exception {
        byte[] pprof = CollectTestSupport.pprof();
        AtomicInteger heapCalls = new AtomicInteger();
        HttpServer fake = CollectTestSupport.fake(ex -> {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/debug/pprof/profile")) {
                CollectTestSupport.reply(ex, 200, "application/octet-stream", pprof);
            } else if (path.equals("/debug/pprof/heap")) {
                switch (heapCalls.getAndIncrement() % 3) {
                    case 0 -> CollectTestSupport.reply(ex, 200, "text/html",
                            "<html><body><h1>Please log in</h1></body></html>".getBytes(StandardCharsets.UTF_8));
                    case 1 -> CollectTestSupport.reply(ex, 503, "application/json",
                            "{\"error\": \"heap profile: busy\"}".getBytes(StandardCharsets.UTF_8));
                    default -> CollectTestSupport.reply(ex, 200, "application/octet-stream",
                            Arrays.copyOf(pprof, pprof.length / 2));
                }
            } else {
                CollectTestSupport.reply(ex, 200, "text/html", "<html>index</html>".getBytes(StandardCharsets.UTF_8));
            }
        });
        CollectTestSupport.Log log = new CollectTestSupport.Log();
        long quota = pprof.length * 3L + pprof.length / 2; // room for three files
        try {
            Collector.Summary s = new Collector(options("http://127.0.0.1:" + fake.getAddress().getPort(),
                    Duration.ofSeconds(2), List.of(ProfileKind.CPU, ProfileKind.HEAP), out, 0, quota, 5), log).run();
            assertThat(s.files()).isEqualTo(5);
            assertThat(s.skipped()).isEqualTo(5);
        } finally {
            fake.stop(0);
        }
        assertThat(visible(out.resolve("heap"))).isEmpty();
        assertThat(hidden(out.resolve("heap"))).isEmpty();
        List<Path> cpu = visible(out.resolve("cpu"));
        assertThat(cpu).hasSize(3);
        long total = 0;
        for (Path p : cpu) {
            total += Files.size(p);
            assertThat(Files.readAllBytes(p)).isEqualTo(pprof);
        }
        assertThat(total).isLessThanOrEqualTo(quota);
        List<String> lines = log.lines();
        assertThat(lines).anyMatch(l -> l.contains("heap skipped (the answer is not a profile"));
        assertThat(lines).anyMatch(l -> l.contains("heap skipped (the server answered 503: heap profile: busy)"));
        assertThat(lines).anyMatch(l -> l.contains("heap skipped (the answer looks like pprof"));
        assertThat(lines).anyMatch(l -> l.contains("cycle 5:") && l.contains("kept 3 files") && l.contains("deleted 1"));
        // the three kept are the newest three windows
        assertThat(lines.stream().filter(l -> l.contains(" cycle ")).skip(2)
                .map(l -> l.replaceAll(".*-> (cpu/cpu_[^,;]*).*", "$1")).toList())
                .containsExactlyElementsOf(cpu.stream().map(p -> "cpu/" + p.getFileName()).toList());
    }

    /** Two windows in the same second get -1, -2 before the extension. */
    @Test
    void aSecondTakenGetsASuffix(@TempDir Path out) throws Exception {
        Collector c = new Collector(options("http://127.0.0.1:1", Duration.ofSeconds(2), List.of(ProfileKind.CPU), out,
                0, 0, 1), line -> { });
        java.time.Instant t = java.time.Instant.parse("2026-11-26T10:45:00.300Z");
        Path dir = Files.createDirectories(out.resolve("cpu"));
        assertThat(c.uniqueName(dir, ProfileKind.CPU, t)).isEqualTo("cpu_20261126-104500.pb.gz");
        Files.writeString(dir.resolve("cpu_20261126-104500.pb.gz"), "x");
        assertThat(c.uniqueName(dir, ProfileKind.CPU, t)).isEqualTo("cpu_20261126-104500-1.pb.gz");
        Files.writeString(dir.resolve(".cpu_20261126-104500-1.pb.gz.tmp"), "x"); // being written
        assertThat(c.uniqueName(dir, ProfileKind.CPU, t)).isEqualTo("cpu_20261126-104500-2.pb.gz");
        assertThat(Set.of(Retention.parse(dir.resolve("cpu_20261126-104500-2.pb.gz"), 1).orElseThrow().seq())).containsExactly(2);
    }
}
