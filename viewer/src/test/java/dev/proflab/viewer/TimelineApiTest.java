package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.proflab.viewer.ViewerApiTest.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/timeline} over real HTTP on the recording of the labs' {@code trace} workload (core's
 * {@code jfr-timeline.jfr}: two long fib threads, bursts of short-lived threads, G1 pauses, a lock, a wait,
 * a park) and on async-profiler's {@code ap-lock.jfr} (no JDK events).
 */
class TimelineApiTest {

    static final Path TRACE = Path.of("../profile/src/test/resources/profiles/jfr-timeline.jfr");

    static ViewerServer trace;
    static ViewerServer lock;

    @BeforeAll
    static void start() {
        trace = new ViewerServer(TRACE, null).start("127.0.0.1", 0);
        lock = new ViewerServer(ViewerApiTest.LOCK, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        trace.stop();
        lock.stop();
    }

    static JsonNode lane(JsonNode t, String name) {
        for (JsonNode l : t.get("lanes")) {
            if (l.get("name").asText().equals(name)) {
                return l;
            }
        }
        throw new AssertionError("no lane " + name);
    }

    static List<String> names(JsonNode t) {
        List<String> out = new ArrayList<>();
        t.get("lanes").forEach(l -> out.add(l.get("name").asText()));
        return out;
    }

    @Test
    void theWholeRecordingByDefault() throws Exception {
        ViewerApiTest.Reply r = get(trace, "api/timeline");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode t = r.json();
        assertThat(t.get("available").asBoolean()).isTrue();
        assertThat(t.get("engine").asText()).isEqualTo("jfr");
        assertThat(t.get("from").asLong()).isZero();
        assertThat(t.get("to").asLong()).isEqualTo(t.get("duration_ns").asLong());
        assertThat(t.get("buckets").asInt()).isEqualTo(TimelineApi.DEFAULT_BUCKETS);
        assertThat(t.get("has_jdk_events").asBoolean()).isTrue();
        assertThat(t.get("note").isNull()).isTrue();
        assertThat(names(t)).contains("fib-long-1", "fib-long-2", "queue-taker", "consumer", "lock-waiter-1");
        assertThat(t.get("threads").asInt()).isEqualTo(t.get("lanes").size());
        assertThat(t.get("short_lived").asInt()).isGreaterThanOrEqualTo(30);
        // four G1 pauses, each inside a safepoint
        assertThat(t.get("gc").get("count").asInt()).isEqualTo(4);
        List<JsonNode> gc = new ArrayList<>();
        t.get("bands").forEach(b -> {
            if (b.get("kind").asText().equals("gc")) {
                gc.add(b);
            }
        });
        assertThat(gc).hasSize(4).allSatisfy(b -> {
            assertThat(b.get("name").asText()).contains("G1");
            assertThat(b.get("duration").asLong()).isPositive();
        });
        assertThat(t.get("safepoints").get("count").asInt()).isGreaterThanOrEqualTo(10);
        // the long thread: running, a sample in most buckets of a coarse grid; the parked one: parked
        JsonNode fib = lane(t, "fib-long-1");
        assertThat(fib.get("summary").get("samples").asLong()).isPositive();
        assertThat(fib.get("buckets").has("running")).isTrue();
        assertThat(fib.get("buckets").get("running").size()).isEqualTo(TimelineApi.DEFAULT_BUCKETS);
        assertThat(fib.get("intervals").size()).isZero();
        JsonNode taker = lane(t, "queue-taker");
        assertThat(taker.get("summary").get("parked_ns").asLong())
                .isGreaterThan(taker.get("summary").get("lifetime_ns").asLong() * 8 / 10);
        assertThat(taker.get("intervals").get(0).get("state").asText()).isEqualTo("parked");
        assertThat(lane(t, "consumer").get("summary").get("waiting_ns").asLong()).isPositive();
        assertThat(lane(t, "lock-waiter-2").get("summary").get("blocked_ns").asLong()).isPositive();
        JsonNode shortOne = t.get("lanes").findValues("name").stream().filter(n -> n.asText().startsWith("short-"))
                .findFirst().map(n -> lane(t, n.asText())).orElseThrow();
        assertThat(shortOne.get("start_seen").asBoolean()).isTrue();
        assertThat(shortOne.get("end_seen").asBoolean()).isTrue();
    }

    @Test
    void aWindowBucketsAThreadFilterAndACap() throws Exception {
        JsonNode t = get(trace, "api/timeline?from=1000000000&to=2000000000&buckets=20&thread=%5Efib-long").json();
        assertThat(t.get("from").asLong()).isEqualTo(1_000_000_000L);
        assertThat(t.get("to").asLong()).isEqualTo(2_000_000_000L);
        assertThat(t.get("bucket_ns").asLong()).isEqualTo(50_000_000L);
        assertThat(names(t)).containsExactlyInAnyOrder("fib-long-1", "fib-long-2");
        for (JsonNode l : t.get("lanes")) {
            assertThat(l.get("samples").size()).isEqualTo(20);
            assertThat(l.get("summary").get("lifetime_ns").asLong()).isEqualTo(1_000_000_000L);
        }
        t.get("bands").forEach(b -> {
            assertThat(b.get("start").asLong() + b.get("duration").asLong()).isGreaterThanOrEqualTo(1_000_000_000L);
            assertThat(b.get("start").asLong()).isLessThan(2_000_000_000L);
        });
        JsonNode capped = get(trace, "api/timeline?lanes=3&sort=busy&buckets=10").json();
        assertThat(capped.get("lanes").size()).isEqualTo(3);
        assertThat(capped.get("more").asInt()).isEqualTo(capped.get("threads").asInt() - 3);
        assertThat(names(capped).subList(0, 2)).containsExactlyInAnyOrder("fib-long-1", "fib-long-2");
    }

    @Test
    void badParametersAre400WithAMessage() throws Exception {
        for (String[] c : new String[][] {
                {"from=abc", "from:"},
                {"from=5&to=5", "to:"},
                {"buckets=0", "buckets:"},
                {"buckets=x", "buckets:"},
                {"lanes=-1", "lanes:"},
                {"thread=(", "thread"},
                {"sort=fastest", "sort:"}}) {
            ViewerApiTest.Reply r = get(trace, "api/timeline?" + c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(400);
            assertThat(r.json().get("error").asText()).as(c[0]).startsWith(c[1]);
        }
    }

    @Test
    void asyncProfilerRecordingsHaveLanesAndANoteInsteadOfBands() throws Exception {
        JsonNode t = get(lock, "api/timeline?buckets=50").json();
        assertThat(t.get("available").asBoolean()).isTrue();
        assertThat(t.get("engine").asText()).isEqualTo("async-profiler");
        assertThat(t.get("has_jdk_events").asBoolean()).isFalse();
        assertThat(t.get("note").asText()).contains("need a JDK Flight Recorder recording");
        assertThat(t.get("bands").size()).isZero();
        JsonNode c = lane(t, "contender-1");
        assertThat(c.get("summary").get("samples").asLong()).isPositive();
        assertThat(c.get("summary").get("blocked_ns").asLong()).isPositive();
    }

    @Test
    void aPprofProfileHasNoTimeline() throws Exception {
        ViewerServer pprof = new ViewerServer(Path.of("../profile/src/test/resources/profiles/ap-cpu.pb.gz"), null)
                .start("127.0.0.1", 0);
        try {
            ViewerApiTest.Reply r = get(pprof, "api/timeline");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("available").asBoolean()).isFalse();
            assertThat(r.json().get("note").asText()).contains("needs a JFR recording");
        } finally {
            pprof.stop();
        }
    }

    @Test
    void theTimelineScriptIsServed() throws Exception {
        ViewerApiTest.Reply page = get(trace, "");
        assertThat(page.body()).contains("<section id=\"timeline-section\" hidden></section>",
                "<script src=\"timeline.js\"></script>", "timeline.css");
        ViewerApiTest.Reply js = get(trace, "timeline.js");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.contentType()).startsWith("text/javascript");
        assertThat(js.body()).contains("window.proflabTimeline", "api/timeline");
        ViewerApiTest.Reply css = get(trace, "timeline.css");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.contentType()).startsWith("text/css");
    }
}
