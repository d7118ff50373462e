package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static dev.proflab.viewer.ViewerApiTest.get;
import static org.assertj.core.api.Assertions.assertThat;

/** Several recordings on one page: merged per event, each sample labelled with its file; no timeline, no ranges. */
class MergedViewApiTest {

    static final Path AP = Path.of("src/test/resources/profiles/ap-cpu.jfr");
    static final Path JFR = Path.of("../profile/src/test/resources/profiles/jfr-cpu.jfr");

    static ViewerServer both;
    static ViewerServer ap;
    static ViewerServer jfr;

    @BeforeAll
    static void start() {
        both = new ViewerServer(List.of(AP, JFR), null, null).start("127.0.0.1", 0);
        ap = new ViewerServer(AP, null).start("127.0.0.1", 0);
        jfr = new ViewerServer(JFR, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        both.stop();
        ap.stop();
        jfr.stop();
    }

    private static long flat(ViewerServer s, String query) throws Exception {
        ViewerApiTest.Reply r = get(s, "api/top?n=0&event=cpu" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        long t = 0;
        for (JsonNode row : r.json()) {
            t += row.get("flat").asLong();
        }
        return t;
    }

    @Test
    void theMergeHoldsBothAndFiltersByFile() throws Exception {
        long a = flat(ap, "");
        long j = flat(jfr, "");
        assertThat(flat(both, "")).isEqualTo(a + j);
        assertThat(flat(both, "&tagfocus=file%3D%5Eap-cpu")).isEqualTo(a);
        assertThat(flat(both, "&tagignore=file%3D%5Eap-cpu")).isEqualTo(j);
        JsonNode meta = get(both, "api/meta").json();
        assertThat(meta.get("file").asText()).isEqualTo("2 recordings: ap-cpu.jfr, jfr-cpu.jfr");
    }

    @Test
    void theTimelineHeatmapAndTimeRangesSayTheyNeedOneRecording() throws Exception {
        JsonNode t = get(both, "api/timeline").json();
        assertThat(t.get("available").asBoolean()).isFalse();
        assertThat(t.get("note").asText()).startsWith("2 recordings merged");
        JsonNode h = get(both, "api/heatmap").json();
        assertThat(h.get("available").asBoolean()).isFalse();
        assertThat(h.get("note").asText()).startsWith("2 recordings merged: the heatmap is drawn of one recording's");
        ViewerApiTest.Reply range = get(both, "api/top?from=0&to=1000000000");
        assertThat(range.status()).isEqualTo(400);
        assertThat(range.json().get("error").asText()).startsWith("from/to: a time range is read from one recording");
    }
}
