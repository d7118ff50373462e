package dev.proflab.debug;

import dev.proflab.debug.DebugEndpointsTest.Fake;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.proflab.debug.DebugEndpointsTest.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code /debug/jfr?last=}: the always-on recording's last minutes, not a new recording. */
@Tag("slow")
class DebugFlightRecorderTest {

    /** Between the two spikes: a recent window of a few seconds must not reach the earlier one. */
    private static final long GAP_MILLIS = 4_100;

    @TempDir
    Path tmp;

    private DebugOptions.Builder options() {
        return DebugOptions.builder().tempFolder(tmp);
    }

    private static void sleepOn(String thread) throws InterruptedException {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(30); // a jdk.ThreadSleep event (the default settings record sleeps of 20 ms or more)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, thread);
        t.start();
        t.join();
    }

    private static List<String> sleepers(byte[] jfr, Path tmp) throws Exception {
        Path f = Files.createTempFile(tmp, "got-", ".jfr");
        Files.write(f, jfr);
        return RecordingFile.readAllEvents(f).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.ThreadSleep"))
                .map(RecordedEvent::getThread)
                .filter(t -> t != null && t.getJavaName() != null && t.getJavaName().startsWith("spike-"))
                .map(t -> t.getJavaName()).toList();
    }

    @Test
    void lastSendsWhatWasRecordedBeforeTheRequest() throws Exception {
        DebugOptions.FlightRecorder fr = new DebugOptions.FlightRecorder(Duration.ofMinutes(10), 32L << 20, "default");
        try (DebugEndpoints d = new DebugEndpoints(options().flightRecorder(fr).build())) {
            assertThat(d.flightRecorderRunning()).isTrue();
            assertThat(d.describe("127.0.0.1")).contains("flight recorder on", "last 10 min", "32 MB");
            sleepOn("spike-before");                  // happened before anyone asked for a profile
            Thread.sleep(GAP_MILLIS);
            sleepOn("spike-recent");
            long recentEnded = System.nanoTime();

            // the recent window first, sized from the time since the recent spike: dumping ten minutes first can
            // take seconds on a busy machine, and a fixed last=1 would then miss the recent spike too
            long window = 1 + (System.nanoTime() - recentEnded + 999_999_999L) / 1_000_000_000L;
            assumeTrue(window * 1000 < GAP_MILLIS - 1000, "the machine took " + (window - 1)
                    + " s to get from the spike to the request: the window would reach the earlier spike");
            Fake recent = call(d, "/debug/jfr?last=" + window, true);
            assertThat(recent.status).isEqualTo(200);
            assertThat(sleepers(recent.body.toByteArray(), tmp)).containsExactly("spike-recent");
            Instant from = Instant.parse(recent.responseHeaders.get("X-Recording-From"));
            Instant to = Instant.parse(recent.responseHeaders.get("X-Recording-To"));
            assertThat(Duration.between(from, to)).isEqualTo(Duration.ofSeconds(window));

            long t0 = System.nanoTime();
            Fake all = call(d, "/debug/jfr?last=10m", true);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(all.status).as(all.text()).isEqualTo(200);
            assertThat(millis).as("a dump answers at once, it does not record for 10 minutes").isLessThan(10_000);
            assertThat(all.responseHeaders).containsEntry("X-Profile-Engine", "jfr")
                    .containsKey("X-Recording-From").containsKey("X-Recording-To");
            assertThat(all.responseHeaders.get("Content-Disposition")).matches("attachment; filename=\"flight-[0-9TZ-]+\\.jfr\"");
            assertThat(sleepers(all.body.toByteArray(), tmp)).containsExactly("spike-before", "spike-recent");

            // the recording goes on, and nothing is left behind in the temp folder
            assertThat(d.flightRecorderRunning()).isTrue();
            try (var left = Files.list(tmp)) {
                assertThat(left.filter(p -> !p.getFileName().toString().startsWith("got-"))).isEmpty();
            }
        }
    }

    @Test
    void closeStopsTheRecording() throws Exception {
        DebugEndpoints d = new DebugEndpoints(options().flightRecorder(DebugOptions.FlightRecorder.defaults()).build());
        assertThat(d.flightRecorderRunning()).isTrue();
        d.close();
        d.close();
        assertThat(d.flightRecorderRunning()).isFalse();
        Fake f = call(d, "/debug/jfr?last=5m", true);
        assertThat(f.status).isEqualTo(503);
        assertThat(f.text()).contains("not running");
    }

    @Test
    void withoutAFlightRecorderLastSaysHowToTurnItOn() throws Exception {
        try (DebugEndpoints d = new DebugEndpoints(options().build())) {
            assertThat(d.flightRecorderRunning()).isFalse();
            assertThat(d.describe("127.0.0.1")).doesNotContain("flight recorder");
            Fake f = call(d, "/debug/jfr?last=5m", true);
            assertThat(f.status).isEqualTo(404);
            assertThat(f.text()).contains("--flight-recorder");
        }
    }

    @Test
    void badSpansAndMixedParametersAre400() throws Exception {
        try (DebugEndpoints d = new DebugEndpoints(options().flightRecorder(DebugOptions.FlightRecorder.defaults()).build())) {
            for (String bad : List.of("0", "-5m", "5d", "1.5m", "", "5mm", "99999999m", "%3Cscript%3E")) {
                Fake f = call(d, "/debug/jfr?last=" + bad, true);
                assertThat(f.status).as(bad).isEqualTo(400);
                assertThat(f.text()).as(bad).startsWith("{\"error\":\"last: ").doesNotContain("<script>");
            }
            Fake both = call(d, "/debug/jfr?last=5m&seconds=5", true);
            assertThat(both.status).isEqualTo(400);
            assertThat(both.text()).contains("one or the other");
            // the token rules hold for it as for every path
            assertThat(call(d, "/debug/jfr?last=5m", false).status).isEqualTo(404);
        }
        assertThat(DebugEndpoints.parseSpan("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DebugEndpoints.parseSpan("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DebugEndpoints.parseSpan("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DebugEndpoints.parseSpan("2h")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void oneDumpAtATime() throws Exception {
        try (DebugEndpoints d = new DebugEndpoints(options().flightRecorder(DebugOptions.FlightRecorder.defaults()).build())) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Fake>> calls = new java.util.ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    calls.add(pool.submit(() -> {
                        go.await();
                        return call(d, "/debug/jfr?last=1m", true);
                    }));
                }
                go.countDown();
                int ok = 0;
                for (Future<Fake> c : calls) {
                    Fake f = c.get();
                    assertThat(f.status).isIn(200, 409);
                    if (f.status == 409) {
                        assertThat(f.responseHeaders).containsKey("Retry-After");
                    } else {
                        ok++;
                    }
                }
                assertThat(ok).isGreaterThanOrEqualTo(1);
                assertThat(call(d, "/debug/jfr?last=1m", true).status).isEqualTo(200);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
