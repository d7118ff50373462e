package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the viewer holds of a recording: per event one row per distinct stack and thread (not per sample), the
 * samples' number kept for {@code /api/meta}; a time range read again for its own rows; the timeline the same whether
 * it is kept or read again for each window.
 */
class ViewerModelTest {

    static final Path TRACE = TimelineApiTest.TRACE;

    @ParameterizedTest
    @ValueSource(strings = {"src/test/resources/profiles/ap-cpu.jfr", "src/test/resources/profiles/ap-lock.jfr",
            "../profile/src/test/resources/profiles/jfr-alloc.jfr", "../profile/src/test/resources/profiles/jfr-timeline.jfr"})
    void theProfileHoldsOneRowPerStackAndThreadNotPerSample(String name) throws Exception {
        Path file = Path.of(name);
        ViewerServer server = new ViewerServer(file, null, null, 0).start("127.0.0.1", 0);
        try {
            Profile held = server.current(null);
            Profile every = ProfileReader.read(file, ReadOptions.defaults().withEvent(server.defaultEvent()));
            Set<Long> pairs = new HashSet<>();
            for (int i = 0; i < every.sampleCount(); i++) {
                pairs.add((long) every.stackOf(i) << 32 | every.threadOf(i));
            }
            assertThat(held.sampleCount()).isEqualTo(pairs.size()).isLessThan(every.sampleCount());
            assertThat(held.recordCount()).isEqualTo(every.sampleCount());
            long records = 0;
            for (int i = 0; i < held.sampleCount(); i++) {
                records += held.recordsOf(i);
            }
            assertThat(records).isEqualTo(every.sampleCount());
            // what the page is told is the recording's, not the rows'
            JsonNode meta = ViewerApiTest.get(server, "api/meta").json();
            assertThat(meta.get("samples").asLong()).isEqualTo(every.sampleCount());
        } finally {
            server.stop();
        }
    }

    @Test
    void aTimeRangeIsReadAgainWithItsOwnRowsAndKept() {
        ViewerServer server = new ViewerServer(ViewerApiTest.CPU, null, null, 0);
        Profile whole = server.current(null);
        long end = 0;
        Profile every = ProfileReader.read(ViewerApiTest.CPU, ReadOptions.defaults());
        for (int i = 0; i < every.sampleCount(); i++) {
            end = Math.max(end, every.timeOf(i) + 1);
        }
        FlameJson.Range half = new FlameJson.Range(0, end / 2);
        Profile first = server.current(null, half);
        assertThat(first).isNotSameAs(whole).isSameAs(server.current(null, half));
        assertThat(server.current(null, FlameJson.Range.ALL)).isSameAs(whole);
        long in = 0;
        for (int i = 0; i < every.sampleCount(); i++) {
            in += every.timeOf(i) < end / 2 ? 1 : 0;
        }
        assertThat(first.recordCount()).isEqualTo(in).isPositive().isLessThan(every.sampleCount());
        // a range without samples is an empty profile, not an error
        Profile none = server.current(null, new FlameJson.Range(end * 10, end * 20));
        assertThat(none.sampleCount()).isZero();
        assertThat(none.valueTypes()).isEqualTo(whole.valueTypes());
    }

    @Test
    void samplesThatFitInAnEighthOfTheHeapAreKeptOneRowEach() {
        ViewerServer server = new ViewerServer(ViewerApiTest.CPU, null);
        Profile held = server.current(null);
        assertThat(held.sampleCount()).isEqualTo(held.recordCount()).isGreaterThan(held.stackCount());
        // a range is then selected from it
        assertThat(server.current(null, new FlameJson.Range(0, 1_000_000_000))).isSameAs(held);
    }

    @ParameterizedTest
    @ValueSource(strings = {"src/test/resources/profiles/ap-cpu.jfr", "src/test/resources/profiles/ap-lock.jfr",
            "../profile/src/test/resources/profiles/jfr-alloc.jfr", "../profile/src/test/resources/profiles/jfr-timeline.jfr"})
    void mergedOrOneRowEachThePageGetsTheSameAnswers(String name) throws Exception {
        Path file = Path.of(name);
        ViewerServer rows = new ViewerServer(file, null).start("127.0.0.1", 0);
        ViewerServer merged = new ViewerServer(file, null, null, 0).start("127.0.0.1", 0);
        try {
            assertThat(rows.current(null).recordCount()).isEqualTo(rows.current(null).sampleCount());
            assertThat(merged.current(null).sampleCount()).isLessThan(rows.current(null).sampleCount());
            long end = (long) (ViewerApiTest.get(rows, "api/meta").json().get("duration_seconds").asDouble() * 1e9);
            String fn = java.net.URLEncoder.encode(ViewerApiTest.get(rows, "api/top?n=1").json().get(0).get("name")
                    .asText(), StandardCharsets.UTF_8);
            for (String q : List.of("api/meta", "api/flame", "api/top?n=0", "api/top?cum=true", "api/flame?minFraction=0",
                    "api/flame?from=0&to=" + end / 2, "api/flame?from=" + end / 2, "api/top?n=0&from=" + end / 3 + "&to="
                            + end / 2, "api/flame?from=" + end * 2, "api/flame?focus=a&hide=java&from=" + end / 4,
                    "api/top?thread=.&to=" + end / 2, "api/peek?fn=" + fn, "api/source?fn=" + fn + "&from=" + end / 2,
                    "api/peek?fn=" + fn + "&to=" + end / 3, "api/timeline")) {
                ViewerApiTest.Reply a = ViewerApiTest.get(rows, q);
                ViewerApiTest.Reply b = ViewerApiTest.get(merged, q);
                assertThat(b.status()).as(q).isEqualTo(a.status());
                assertThat(b.body()).as(q).isEqualTo(a.body());
            }
        } finally {
            rows.stop();
            merged.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "buckets=10&lanes=1", "from=100000000&to=900000000&buckets=50&sort=busy",
            "thread=fib&sort=name", "lanes=3&sort=lifetime", "from=5&to=4"})
    void theTimelineReadAgainForAWindowIsTheTimelineKept(String query) {
        TimelineApi kept = new TimelineApi(TRACE, 0);
        TimelineApi streamed = new TimelineApi(TRACE, Long.MAX_VALUE);
        assertThat(kept.keeps()).isTrue();
        assertThat(streamed.keeps()).isFalse();
        assertThat(answer(streamed, query)).isEqualTo(answer(kept, query));
        // and again, from what the streamed one kept
        assertThat(answer(streamed, query)).isEqualTo(answer(kept, query));
    }

    @Test
    void aFileWithoutATimelineSaysSoEitherWay() {
        Path pprof = Path.of("../profile/src/test/resources/profiles/ap-cpu.pb.gz");
        String kept = answer(new TimelineApi(pprof, 0), "");
        assertThat(kept).contains("\"available\":false");
        assertThat(answer(new TimelineApi(pprof, Long.MAX_VALUE), "")).isEqualTo(kept);
    }

    private static String answer(TimelineApi api, String query) {
        Exchange x = new Exchange(query, h -> List.of(), () -> Duration.ofSeconds(1));
        try {
            api.timeline(x);
        } catch (BadRequest e) {
            return "400 " + e.getMessage();
        }
        return x.status() + " " + new String(x.body(), StandardCharsets.UTF_8);
    }
}
