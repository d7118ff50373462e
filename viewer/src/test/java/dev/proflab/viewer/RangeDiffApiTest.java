package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.proflab.viewer.ViewerApiTest.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/diff/*} of one recording without {@code --base}: a time range of it ({@code baseFrom}/{@code baseTo})
 * against another ({@code from}/{@code to}), on the labs' trace workload, whose seconds differ.
 */
@Tag("slow")
class RangeDiffApiTest {

    static final long S = 1_000_000_000L;
    static ViewerServer trace;

    @BeforeAll
    static void start() {
        trace = new ViewerServer(TimelineApiTest.TRACE, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        trace.stop();
    }

    static long samples(String query) throws Exception {
        return get(trace, "api/flame?sampleIndex=samples&" + query).json().get("total").asLong();
    }

    @Test
    void aRangeAgainstAnotherOfTheSameRecording() throws Exception {
        String q = "from=0&to=" + S + "&baseFrom=" + S + "&baseTo=" + 2 * S;
        ViewerApiTest.Reply r = get(trace, "api/diff/flame?" + q);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode f = r.json();
        assertThat(f.get("samples").asLong()).isEqualTo(samples("from=0&to=" + S)).isEqualTo(63);
        assertThat(f.get("base_samples").asLong()).isEqualTo(samples("from=" + S + "&to=" + 2 * S)).isEqualTo(26);
        assertThat(f.get("total").asLong()).isEqualTo(get(trace, "api/flame?from=0&to=" + S).json().get("total").asLong());
        JsonNode top = get(trace, "api/diff/top?n=0&" + q).json();
        assertThat(top.get("base").get("samples").asLong()).isEqualTo(26);
        assertThat(top.get("current").get("samples").asLong()).isEqualTo(63);
        // as every diff: each side's total is its time range's (pprof's), a thread filter selects within it
        JsonNode t = get(trace, "api/diff/flame?thread=fib-long-1&" + q).json();
        assertThat(t.get("samples").asLong()).isEqualTo(63);
        assertThat(t.get("base_samples").asLong()).isEqualTo(26);
        assertThat(t.get("root").get("total").asLong())
                .isEqualTo(get(trace, "api/flame?thread=fib-long-1&from=0&to=" + S).json().get("total").asLong());
    }

    @Test
    void withoutABaseRangeThereIsNothingToCompareAndBadRangesAre400s() throws Exception {
        assertThat(get(trace, "api/diff/flame?from=0&to=" + S).status()).isEqualTo(404);
        assertThat(get(trace, "api/diff/flame?baseFrom=" + S + "&baseTo=" + S).status()).isEqualTo(400);
        assertThat(get(trace, "api/diff/flame?baseFrom=-1&baseTo=" + S).status()).isEqualTo(400);
        ViewerApiTest.Reply d = get(trace, "api/diff/flame?normalize=duration&baseFrom=0&baseTo=" + S);
        assertThat(d.status()).isEqualTo(400);
        assertThat(d.json().get("error").asText()).contains("by total");
    }
}
