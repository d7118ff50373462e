package dev.proflab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code proflab gclog}: a real JDK 25 G1 log ({@code -Xlog:gc} of mem-hot, -Xmx64m) in text and JSON; bad input. */
class GcLogCommandTest {

    static final String G1_LOG = """
            [0.004s][info][gc] Using G1
            [0.200s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 15M->8M(64M) 12.443ms
            [0.276s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 28M->20M(64M) 22.872ms
            [0.315s][info][gc] GC(2) Pause Young (Normal) (G1 Evacuation Pause) 35M->30M(64M) 9.528ms
            [0.349s][info][gc] GC(3) Pause Young (Concurrent Start) (G1 Evacuation Pause) 43M->40M(64M) 9.038ms
            [0.352s][info][gc] GC(4) Concurrent Mark Cycle
            [0.393s][info][gc] GC(4) Pause Remark 44M->44M(64M) 0.456ms
            [0.395s][info][gc] GC(4) Pause Cleanup 44M->44M(64M) 0.013ms
            [0.396s][info][gc] GC(4) Concurrent Mark Cycle 43.768ms
            """;

    @TempDir
    Path dir;

    Path g1() throws IOException {
        Path f = dir.resolve("g1.log");
        Files.writeString(f, G1_LOG);
        return f;
    }

    @Test
    void textShowsTheNumbersAndTheTable() throws IOException {
        CliRun r = CliRun.of("gclog", g1().toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(
                "Collector:       G1",
                "GC count:        5 collections, 6 pauses",
                "Pauses:          total 54.350 ms, p50 9.038, p90 22.872, p99 22.872, max 22.872 ms",
                "Throughput:      86.28% (1 - pause total / elapsed)",
                "Allocation rate: 190.3 MB/s",
                "   0.276s      1  Pause Young (Normal) (G1 Evacuation Pause)               22.872  28M->20M(64M)",
                "Concurrent Mark Cycle                                 0.469 (2)  44M->44M(64M)");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void nLimitsTheRowsToTheLongestPauses() throws IOException {
        CliRun r = CliRun.of("gclog", "-n", "2", g1().toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("22.872  28M->20M", "12.443  15M->8M")
                .doesNotContain("9.528  35M")
                .contains("2 collections with the longest pauses shown, in log order; 3 more");
    }

    @Test
    void jsonHasTheFieldsOfTheSummaryAndEveryCollection() throws Exception {
        CliRun r = CliRun.of("gclog", "--format", "json", g1().toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("file").asText()).isEqualTo("g1.log");
        assertThat(j.get("collector").asText()).isEqualTo("G1");
        assertThat(j.get("elapsed_s").asDouble()).isEqualTo(0.396);
        assertThat(j.get("gc_count").asInt()).isEqualTo(5);
        assertThat(j.get("pause_count").asInt()).isEqualTo(6);
        assertThat(j.get("pause_total_ms").asDouble()).isEqualTo(54.35);
        assertThat(j.get("pause_p50_ms").asDouble()).isEqualTo(9.038);
        assertThat(j.get("pause_p99_ms").asDouble()).isEqualTo(22.872);
        assertThat(j.get("pause_max_ms").asDouble()).isEqualTo(22.872);
        assertThat(j.get("throughput_pct").asDouble()).isBetween(86.27, 86.29);
        assertThat(j.get("allocated_mb").asDouble()).isEqualTo(67.0);
        assertThat(j.get("heap_peak_committed_mb").asDouble()).isEqualTo(64.0);
        JsonNode cycle = j.get("collections").get(4);
        assertThat(cycle.get("type").asText()).isEqualTo("Concurrent Mark Cycle");
        assertThat(cycle.get("pause_ms").asDouble()).isEqualTo(0.469);
        assertThat(cycle.get("cycle_ms").asDouble()).isEqualTo(43.768);
        assertThat(cycle.get("pauses")).hasSize(2);
    }

    @Test
    void markdownIsATable() throws IOException {
        CliRun r = CliRun.of("gclog", "--format", "markdown", g1().toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("| 0.276s | 1 | Pause Young (Normal) (G1 Evacuation Pause) | 22.872 | 28M->20M(64M) |");
    }

    @Test
    void aMissingFileIsOneLineAndExit2() {
        CliRun r = CliRun.of("gclog", dir.resolve("nope.log").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proflab: " + dir.resolve("nope.log") + ": no such file");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aFileThatIsNoGcLogIsOneLineAndExit2() throws IOException {
        Path f = dir.resolve("out.txt");
        Files.writeString(f, "allocated items=40000\n");
        CliRun r = CliRun.of("gclog", f.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("out.txt:1: not a unified JVM log line");
    }

    @Test
    void aTruncatedLogIsOneLineAndExit2() throws IOException {
        Path f = dir.resolve("cut.log");
        Files.writeString(f, G1_LOG.substring(0, G1_LOG.indexOf("22.872ms")));
        CliRun r = CliRun.of("gclog", f.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("cut.log:3: the last line is cut short");
    }

    @Test
    void aNegativeNIsAUsageError() throws IOException {
        CliRun r = CliRun.of("gclog", "-n", "-1", g1().toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("-n: -1 is negative");
    }
}
