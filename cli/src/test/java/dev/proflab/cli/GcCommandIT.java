package dev.proflab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code proflab gc} end to end: real forked JVMs with small heaps and a tiny workload. */
class GcCommandIT {

    @TempDir
    Path dir;

    static Map<String, JsonNode> byConfig(JsonNode rows) {
        Map<String, JsonNode> m = new HashMap<>();
        rows.forEach(r -> m.put(r.get("config").asText() + "/" + r.get("workload").asText(), r));
        return m;
    }

    @Test
    void serialAndG1WithARefusedConfig() throws Exception {
        Path charts = dir.resolve("charts");
        CliRun r = CliRun.of("gc", "--collectors", "serial,g1", "--heap", "64m", "--workload", "before",
                "--config", "foo=-XX:+UseFooGC -Xmx64m", "--count", "2000", "--rounds", "150", "--runs", "1",
                "--format", "json", "--charts", charts.toString(), "--labs-jar", Targets.labsJar().toString(),
                "--timeout", "60s");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertThat(rows).hasSize(3);
        Map<String, JsonNode> m = byConfig(rows);
        for (String c : new String[] {"serial-64m/before", "g1-64m/before"}) {
            JsonNode row = m.get(c);
            assertThat(row.get("error").isNull()).as(c + ": " + row).isTrue();
            assertThat(row.get("runs").asInt()).isEqualTo(1);
            assertThat(row.get("wall_s").asDouble()).isPositive();
            assertThat(row.get("gc_count").asInt()).as(c).isPositive();
            assertThat(row.get("pause_total_ms").asDouble()).isPositive();
            assertThat(row.get("pause_max_ms").asDouble()).isPositive();
            assertThat(row.get("pause_p99_ms").asDouble()).isPositive().isLessThanOrEqualTo(row.get("pause_max_ms").asDouble());
            // 150 calls x 2000 items x ~1.3 KiB: hundreds of MiB in well under a minute
            assertThat(row.get("alloc_rate_mb_s").asDouble()).isGreaterThan(10);
            assertThat(row.get("heap_peak_used_mb").asDouble()).isPositive().isLessThanOrEqualTo(64);
            assertThat(row.get("rss_peak_mb").asDouble()).isGreaterThan(row.get("heap_peak_used_mb").asDouble());
            assertThat(row.get("gc_cpu_s").isNull()).isFalse(); // exact (schedstat) yet may be ~0 for a short G1 run
        }
        assertThat(m.get("serial-64m/before").get("collector").asText()).isEqualTo("Serial");
        assertThat(m.get("g1-64m/before").get("collector").asText()).isEqualTo("G1");
        JsonNode foo = m.get("foo/before");
        assertThat(foo.get("error").asText()).contains("Unrecognized VM option 'UseFooGC'");
        assertThat(foo.get("runs").asInt()).isZero();
        assertThat(m).doesNotContainKey("g1-gctimeratio4/before"); // --collectors given: no presets
        assertThat(foo.get("wall_s").isNull()).isTrue();
        assertThat(r.err()).contains("skip foo", "[1/2] serial-64m before run 1", "[2/2] g1-64m before run 1");
        assertThat(charts.resolve("heap-before.svg")).exists();
        assertThat(Files.readString(charts.resolve("pauses-before.svg"))).contains("data-config=\"serial-64m\"",
                "data-config=\"g1-64m\"");
        try (Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("proflab-gc-"))
                    .filter(p -> p.toFile().lastModified() > System.currentTimeMillis() - 60_000)).isEmpty();
        }
    }

    @Test
    void aLeakInASmallHeapIsReportedAsOutOfMemory() throws Exception {
        CliRun r = CliRun.of("gc", "--config", "leak=-XX:+UseSerialGC -Xmx32m", "--hold", "--workload", "before",
                "--count", "20000", "--rounds", "100", "--runs", "1", "--format", "json",
                "--labs-jar", Targets.labsJar().toString(), "--timeout", "60s");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode row = new ObjectMapper().readTree(r.out()).get(0);
        assertThat(row.get("error").asText()).matches("OutOfMemoryError after \\d+ items \\(in call \\d+ of 100\\)");
        long items = Long.parseLong(row.get("error").asText().replaceAll("OutOfMemoryError after (\\d+) items.*", "$1"));
        assertThat(items).isPositive().isLessThan(100 * 20000).isEqualTo(items / 20000 * 20000);
        assertThat(row.get("gc_count").asInt()).isPositive();
        assertThat(row.get("collector").asText()).isEqualTo("Serial");
    }

    @Test
    void aRunThatTakesTooLongIsKilledAndReported() throws Exception {
        CliRun r = CliRun.of("gc", "--collectors", "serial", "--workload", "before", "--rounds", "100000", "--runs", "1",
                "--timeout", "1500ms", "--format", "json", "--labs-jar", Targets.labsJar().toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode row = new ObjectMapper().readTree(r.out()).get(0);
        assertThat(row.get("error").asText()).isEqualTo("timed out after 1500 ms (killed)");
        assertThat(row.get("runs").asInt()).isZero();
        assertThat(row.get("wall_s").isNull()).isTrue();
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();
    }
}
