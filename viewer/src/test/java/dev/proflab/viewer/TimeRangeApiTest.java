package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.proflab.viewer.ViewerApiTest.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code from} and {@code to} of {@code /api/flame} and {@code /api/top}: nanoseconds since the start
 * of the recording, on the fixture's steady workload (methodA 2/3, methodB 1/3 of the CPU, all along).
 */
class TimeRangeApiTest {

    static ViewerServer server;
    /** The nanosecond of the last sample (+1): every sample is before it. */
    static long end;
    static long total;

    @BeforeAll
    static void start() throws Exception {
        server = new ViewerServer(ViewerApiTest.CPU, null).start("127.0.0.1", 0);
        Profile p = ProfileReader.read(ViewerApiTest.CPU, ReadOptions.defaults());
        for (int s = 0; s < p.sampleCount(); s++) {
            end = Math.max(end, p.timeOf(s) + 1);
        }
        total = get(server, "api/flame").json().get("total").asLong();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static long flameTotal(String query) throws Exception {
        ViewerApiTest.Reply r = get(server, "api/flame?" + query);
        assertThat(r.status()).as(query + " -> " + r.body()).isEqualTo(200);
        JsonNode f = r.json();
        assertThat(f.get("root").get("total").asLong()).isEqualTo(f.get("total").asLong());
        return f.get("total").asLong();
    }

    static long topFlat(String query) throws Exception {
        ViewerApiTest.Reply r = get(server, "api/top?n=0&" + query);
        assertThat(r.status()).as(query + " -> " + r.body()).isEqualTo(200);
        long sum = 0;
        for (JsonNode row : r.json()) {
            sum += row.get("flat").asLong();
        }
        return sum;
    }

    @Test
    void halfTheTimeHoldsAboutHalfTheTotalAndTheHalvesAddUp() throws Exception {
        assertThat(total).isPositive();
        long half = end / 2;
        long first = flameTotal("from=0&to=" + half);
        long second = flameTotal("from=" + half);
        assertThat(first + second).isEqualTo(total);
        assertThat((double) first / total).isBetween(0.3, 0.7);
        // the top table sees the same samples
        assertThat(topFlat("")).isEqualTo(total);
        assertThat(topFlat("from=0&to=" + half)).isEqualTo(first);
        assertThat(topFlat("from=" + half)).isEqualTo(second);
        // the whole recording, said explicitly
        assertThat(flameTotal("from=0&to=" + end)).isEqualTo(total);
    }

    @Test
    void aRangeCombinesWithTheOtherFilters() throws Exception {
        long half = end / 2;
        long b = flameTotal("focus=methodB");
        long bFirst = flameTotal("focus=methodB&from=0&to=" + half);
        long bSecond = flameTotal("focus=methodB&from=" + half);
        assertThat(bFirst + bSecond).isEqualTo(b);
        assertThat(bFirst).isPositive().isLessThan(b);
        JsonNode f = get(server, "api/flame?to=" + half).json();
        assertThat(ViewerApiTest.named(f.get("root"), "Workload.methodA")).hasSize(1);
        assertThat(ViewerApiTest.consistent(f.get("root"))).isTrue();
    }

    @Test
    void anEmptyRangeHasNothing() throws Exception {
        long mid = end / 2;
        assertThat(flameTotal("from=" + mid + "&to=" + mid)).isZero();
        assertThat(flameTotal("from=" + end * 10)).isZero();
        JsonNode f = get(server, "api/flame?from=" + mid + "&to=" + mid).json();
        assertThat(f.get("root").has("children")).isFalse();
        ViewerApiTest.Reply top = get(server, "api/top?from=" + mid + "&to=" + mid);
        assertThat(top.status()).isEqualTo(200);
        assertThat(top.json().size()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "api/flame?from=2000&to=1000",
            "api/top?from=2000&to=1000",
            "api/flame?from=abc",
            "api/top?to=1.5s",
            "api/flame?from=-1",
            "api/top?to=-5",
            "api/flame?to=99999999999999999999",
    })
    void badRangesAre400WithAOneLineError(String path) throws Exception {
        ViewerApiTest.Reply r = get(server, path);
        assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/json");
        String error = r.json().get("error").asText();
        String param = path.contains("to=") && (path.contains("from=2000") || !path.contains("from=")) ? "to: " : "from: ";
        assertThat(error).startsWith(param).doesNotContain("\n");
    }
}
