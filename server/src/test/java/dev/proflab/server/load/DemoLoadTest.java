package dev.proflab.server.load;

import dev.proflab.server.demo.DemoService;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The load generator against the demo service: counts add up, percentiles are ordered, a fixed rate holds. */
@Tag("slow")
class DemoLoadTest {

    static DemoService service;

    @BeforeAll
    static void start() {
        service = DemoService.start(DemoService.Options.defaults().withPort(0));
    }

    @AfterAll
    static void stop() {
        service.stop();
    }

    static void assertConsistent(LoadResult r) {
        long statuses = 0;
        for (int k = 1; k <= 5; k++) {
            statuses += r.status(k);
        }
        long errors = 0;
        for (String kind : LoadResult.ERROR_KINDS) {
            errors += r.errors(kind);
        }
        assertThat(statuses).isEqualTo(r.answered());
        assertThat(errors).isEqualTo(r.errorCount());
        assertThat(statuses + errors).isEqualTo(r.requests());
        assertThat(r.histogram().getTotalCount()).isEqualTo(r.answered());
        assertThat(r.percentileMillis(50)).isLessThanOrEqualTo(r.percentileMillis(90));
        assertThat(r.percentileMillis(90)).isLessThanOrEqualTo(r.percentileMillis(99));
        assertThat(r.percentileMillis(99)).isLessThanOrEqualTo(r.percentileMillis(99.9));
        assertThat(r.percentileMillis(99.9)).isLessThanOrEqualTo(r.maxMillis());
        // the timeline holds every answer once, in order, and no second is slower than the run's slowest answer
        assertThat(r.timeline().stream().mapToLong(LoadResult.Interval::answered).sum()).isEqualTo(r.answered());
        double last = 0;
        for (LoadResult.Interval i : r.timeline()) {
            assertThat(i.endSeconds()).isGreaterThan(last);
            last = i.endSeconds();
            assertThat(i.p50Millis()).isLessThanOrEqualTo(i.p99Millis());
            assertThat(i.p99Millis()).isLessThanOrEqualTo(i.maxMillis());
            assertThat(i.maxMillis()).isLessThanOrEqualTo(r.maxMillis());
        }
        if (r.answered() > 0) {
            assertThat(r.timeline().stream().mapToDouble(LoadResult.Interval::maxMillis).max().orElseThrow())
                    .isEqualTo(r.maxMillis());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void closedLoopForTwoSeconds() throws Exception {
        LoadOptions o = new LoadOptions(URI.create(service.url() + "work/cpu?n=22&workers=1"), 2, Duration.ofSeconds(2),
                0, 0, Duration.ofSeconds(10));
        List<LoadGenerator.Progress> progress = new ArrayList<>();
        LoadResult r = new LoadGenerator(o).run(progress::add);
        assertConsistent(r);
        assertThat(r.requests()).isGreaterThan(20);
        assertThat(r.status(2)).isEqualTo(r.requests());
        // the run ends at 2 s, once its last answers are in: no later than the slowest answer after that
        assertThat(r.elapsedSeconds()).isGreaterThan(1.9).isLessThanOrEqualTo(2.0 + r.maxMillis() / 1000 + 0.5);
        assertThat(r.interrupted()).isFalse();
        assertThat(progress).isNotEmpty();
        Map<String, Object> json = r.toMap();
        assertThat(json).containsOnlyKeys("url", "mode", "concurrency", "target_rate", "warmup_s", "warmup_requests", "elapsed_s", "requests",
                "throughput_rps", "status", "errors", "latency_ms", "coordinated_omission_corrected", "interrupted",
                "timeline");
        // a second per entry: a 2 s run has two full seconds, and maybe the tail of the last answers (a starved
        // progress thread can miss a tick: then that entry holds more than a second)
        assertThat(r.timeline()).hasSizeBetween(1, 3);
        assertThat(r.timeline().get(0).endSeconds()).isGreaterThan(0.9).isLessThanOrEqualTo(r.elapsedSeconds() + 0.01);
        assertThat(((List<Map<String, Object>>) json.get("timeline")).get(0))
                .containsOnlyKeys("t_s", "answered", "p50_ms", "p99_ms", "max_ms");
        assertThat(progress.get(0).lastSecond()).isEqualTo(r.timeline().get(0));
        assertThat(progress.get(0).toString()).contains("last second p99 ");
        assertThat((Map<String, Object>) json.get("latency_ms")).containsOnlyKeys("p50", "p90", "p99", "p99_9", "max", "mean");
        assertThat((Map<String, Object>) json.get("status")).containsOnlyKeys("1xx", "2xx", "3xx", "4xx", "5xx");
        assertThat((Map<String, Object>) json.get("errors")).containsOnlyKeys("connect", "timeout", "io", "other");
        assertThat(json.get("mode")).isEqualTo("closed-loop");
        assertThat(r.toText()).contains("p99.9", "2xx " + r.status(2));
    }

    @Test
    void fixedRateSendsTheScheduledRequests() throws Exception {
        LoadOptions o = new LoadOptions(URI.create(service.url() + "work/cpu?n=15&impl=before"), 4, Duration.ofSeconds(2),
                100, 0, Duration.ofSeconds(10));
        LoadResult r = new LoadGenerator(o).run(null);
        assertConsistent(r);
        // the schedule sent R x D requests; the throughput (completed over the elapsed time, which ends
        // with the slowest answer) also depends on how busy the machine is, so it is not asserted
        assertThat(r.requests()).isBetween(180L, 220L);
        assertThat(r.toMap().get("coordinated_omission_corrected")).isEqualTo(true);
    }

    @Test
    void aWarmupIsSentAndNotCounted() throws Exception {
        LoadOptions o = new LoadOptions(URI.create(service.url() + "work/cpu?n=15&impl=after"), 4, Duration.ofSeconds(2),
                50, 0, Duration.ofSeconds(10), Duration.ofSeconds(1));
        List<LoadGenerator.Progress> progress = new ArrayList<>();
        LoadResult r = new LoadGenerator(o).run(progress::add);
        assertConsistent(r);
        // 3 s at 50/s were scheduled; the 2 s after the warm-up are the result, and their clock starts after it
        assertThat(r.requests()).isBetween(90L, 110L);
        assertThat(r.elapsedSeconds()).isGreaterThan(1.9).isLessThanOrEqualTo(2.0 + r.maxMillis() / 1000 + 0.5);
        assertThat(r.toMap().get("warmup_s")).isEqualTo(1.0);
        assertThat(r.warmupRequests()).isBetween(40L, 60L);
        assertThat(r.toText()).contains("after a 1 s warm-up");
        assertThat(progress.get(0).warmingUp()).isTrue();
        assertThat(progress.get(0).lastSecond()).isNull();
        assertThat(progress.get(0).toString()).startsWith("load: warm-up, ").contains(" s of 3 s, ");
        assertThat(progress.get(progress.size() - 1).warmingUp()).isFalse();
        assertThat(progress.get(0).requests()).isPositive(); // progress counts the warm-up's requests

        // with --requests, the count is of measured requests
        LoadResult n = new LoadGenerator(new LoadOptions(URI.create(service.url() + "work/cpu?n=15&impl=after"), 2, null,
                0, 25, Duration.ofSeconds(10), Duration.ofMillis(500))).run(null);
        assertConsistent(n);
        assertThat(n.requests()).isEqualTo(25);
    }

    @Test
    void requestCountBoundsTheRunAndErrorsAreCounted() throws Exception {
        LoadResult r = new LoadGenerator(new LoadOptions(URI.create(service.url() + "work/cpu?n=50"), 3, null, 0, 37,
                Duration.ofSeconds(10))).run(null);
        assertConsistent(r);
        assertThat(r.requests()).isEqualTo(37);
        assertThat(r.status(4)).isEqualTo(37); // n=50 is over the bound: 400

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        LoadResult refused = new LoadGenerator(new LoadOptions(URI.create("http://127.0.0.1:" + closed + "/"), 2, null,
                0, 10, Duration.ofSeconds(2))).run(null);
        assertConsistent(refused);
        assertThat(refused.errors("connect")).isEqualTo(10);
        assertThat(refused.answered()).isZero();
        assertThat(refused.toText()).contains("connect 10");
    }

    @Test
    void aServerThatTricklesItsAnswersCostsATimeoutNotTheRun() throws Exception {
        // headers at once, then a byte every 200 ms of a body that never ends: each request is given up at the
        // 1 s timeout (for the whole answer), and the 2 s run ends on time instead of never
        com.sun.net.httpserver.HttpServer trickle = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        trickle.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "trickle");
            t.setDaemon(true);
            return t;
        }));
        trickle.createContext("/", ex -> {
            ex.sendResponseHeaders(200, 0);
            try (var out = ex.getResponseBody()) {
                for (int i = 0; i < 600; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (InterruptedException | java.io.IOException e) {
                // the client gave up
            }
        });
        trickle.start();
        try {
            long t0 = System.nanoTime();
            LoadResult r = new LoadGenerator(new LoadOptions(URI.create("http://127.0.0.1:" + trickle.getAddress().getPort()
                    + "/"), 2, Duration.ofSeconds(2), 0, 0, Duration.ofSeconds(1))).run(null);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertConsistent(r);
            assertThat(seconds).as("the run's wall time").isLessThan(30);
            assertThat(r.errors("timeout")).as(r.toText()).isPositive();
            assertThat(r.answered()).isZero();
        } finally {
            trickle.stop(0);
        }
    }

    @Test
    void stopEndsTheRunEarlyWithASummary() throws Exception {
        LoadGenerator g = new LoadGenerator(new LoadOptions(URI.create(service.url() + "work/cpu?n=20"), 2,
                Duration.ofSeconds(60), 0, 0, Duration.ofSeconds(10)));
        LoadResult r = g.run(p -> {
            if (p.requests() > 0) {
                g.stop(); // as Ctrl-C does, once something was answered
            }
        });
        assertThat(r.interrupted()).isTrue();
        assertThat(r.elapsedSeconds()).isLessThan(10);
        assertConsistent(r);
        assertThat(r.requests()).isPositive();
    }

    @Test
    void badOptionsAreOneLine() {
        URI u = URI.create("http://127.0.0.1:1/");
        assertThatThrownBy(() -> new LoadOptions(u, 0, Duration.ofSeconds(1), 0, 0, Duration.ofSeconds(1)))
                .hasMessage("--concurrency: must be 1 to 10000, was 0");
        assertThatThrownBy(() -> new LoadOptions(u, 1, Duration.ofSeconds(-1), 0, 0, Duration.ofSeconds(1)))
                .hasMessageStartingWith("--duration: must be > 0");
        assertThatThrownBy(() -> new LoadOptions(u, 1, null, 0, 0, Duration.ofSeconds(1)))
                .hasMessageStartingWith("give --duration or --requests");
        assertThatThrownBy(() -> LoadOptions.parseUri("ftp://x/")).hasMessageContaining("only http:// and https://");
        assertThatThrownBy(() -> LoadOptions.parseUri("http://")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoadOptions.parseUri("not a url")).isInstanceOf(IllegalArgumentException.class);
    }
}
