package dev.proflab.gc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link GcLogReport}: text against a golden file, Markdown, JSON field names and values. */
class GcLogReportTest {

    static GcLogSummary summary(String name) {
        return GcLogSummary.of(GcLogParser.read(GcLogParserTest.log(name)));
    }

    @Test
    void textEqualsTheGoldenFile() {
        String text = GcLogReport.text(summary("g1-gc-only-jdk25.log"), "g1-gc-only-jdk25.log", 0);
        assertThat(text).isEqualTo(GcLogParserTest.resource("g1-gc-only-jdk25.log.text"));
    }

    @Test
    void textListsTheLongestPausesInLogOrder() {
        String text = GcLogReport.text(summary("g1-jdk25.log"), "g1-jdk25.log", 3);
        assertThat(text).contains("91 collections, 91 pauses", "p99 3.903", "max 3.903 ms");
        assertThat(text.lines().filter(l -> l.contains("Pause Young"))).hasSize(3);
        assertThat(text).contains("3 collections with the longest pauses shown, in log order; 88 more");
    }

    @Test
    void markdownIsATable() {
        String md = GcLogReport.markdown(summary("parallel-jdk25.log"), "parallel-jdk25.log", 2);
        assertThat(md).contains("- **Collector**: Parallel", "| time | GC | type | pause ms |", "|---:|---:|---|---:|---|");
        assertThat(md).contains("| 3.734 | 41M->1M(126M) |");
    }

    @Test
    void jsonHasStableSnakeCaseFields() throws Exception {
        JsonNode j = new ObjectMapper().readTree(GcLogReport.json(summary("zgc-jdk25.log"), "zgc-jdk25.log", 0));
        assertThat(j.get("file").asText()).isEqualTo("zgc-jdk25.log");
        assertThat(j.get("collector").asText()).isEqualTo("The Z Garbage Collector");
        assertThat(j.get("gc_count").asInt()).isEqualTo(16);
        assertThat(j.get("pause_count").asInt()).isEqualTo(54);
        assertThat(j.get("pause_max_ms").asDouble()).isEqualTo(0.025);
        assertThat(j.get("pause_p99_ms").asDouble()).isEqualTo(0.025);
        assertThat(j.get("throughput_pct").asDouble()).isBetween(99.0, 100.0);
        assertThat(j.get("heap_peak_committed_mb").asDouble()).isEqualTo(128.0); // ZGC's Capacity rows
        assertThat(j.get("collections")).hasSize(16);
        JsonNode c = j.get("collections").get(0);
        assertThat(c.get("type").asText()).isEqualTo("Major Collection (Warmup)");
        assertThat(c.get("heap_before_mb").asDouble()).isEqualTo(14.0);
        assertThat(c.get("heap_committed_mb").asDouble()).isEqualTo(128.0);
        assertThat(c.get("cycle_ms").asDouble()).isEqualTo(37.0);
        // unknown is null, not 0: ZGC logged with -Xlog:gc only prints no capacity
        JsonNode gcOnly = new ObjectMapper().readTree(GcLogReport.json(summary("zgc-gc-only-jdk25.log"), "z.log", 0));
        assertThat(gcOnly.get("heap_peak_committed_mb").isNull()).isTrue();
        assertThat(gcOnly.get("collections").get(0).get("heap_committed_mb").isNull()).isTrue();
        assertThat(c.get("pauses")).hasSize(5);
        assertThat(c.get("pauses").get(0).get("name").asText()).isEqualTo("Pause Mark Start (Major)");
    }

    @Test
    void jsonSaysNullWhenPausesAreNotLogged() throws Exception {
        JsonNode j = new ObjectMapper().readTree(GcLogReport.json(summary("zgc-gc-only-jdk25.log"), "z.log", 0));
        assertThat(j.get("gc_count").asInt()).isEqualTo(13);
        assertThat(j.get("pause_count").asInt()).isZero();
        assertThat(j.get("pause_max_ms").isNull()).isTrue();
        assertThat(j.get("throughput_pct").isNull()).isTrue();
    }
}
