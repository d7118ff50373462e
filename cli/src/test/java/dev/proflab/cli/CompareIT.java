package dev.proflab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code proflab compare} end to end: real JMH forks of the labs' benchmarks jar. */
class CompareIT {

    static Path jar;

    @TempDir
    Path out;

    @BeforeAll
    static void findJar() {
        jar = Path.of(System.getProperty("proflab.benchmarksJar", "../bench/target/benchmarks.jar"));
        assertThat(jar).as("the benchmarks jar, packaged before the cli module").isRegularFile();
    }

    @Test
    void fibBeforeAfterBestWithAVerdict() throws IOException {
        CliRun r = CliRun.of("compare", "fib", "--count", "2", "--iterations", "2", "--warmup", "1",
                "--time", "100ms", "--jar", jar.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("==> compare fib", "recursive", "memo", "iterative", "==> verdict");
        assertThat(r.out()).containsPattern("memo \\(after\\) is [\\d,]+x faster than recursive \\(before\\)");
        assertThat(r.out()).containsPattern("iterative \\(best\\) is [\\d,]+x faster than recursive \\(before\\)");
        assertThat(r.out()).contains("n=4+4");

        JsonNode merged = new ObjectMapper().readTree(out.resolve("fib.json").toFile());
        // 2 rounds x 3 variants, one fork each
        assertThat(merged).hasSize(6);
        for (JsonNode result : merged) {
            assertThat(result.at("/primaryMetric/rawData")).hasSize(1);
            assertThat(result.at("/primaryMetric/rawData/0")).hasSize(2);
            assertThat(result.at("/secondaryMetrics/gc.alloc.rate.norm")).isNotNull();
        }
        assertThat(Files.readString(out.resolve("fib.txt"))).contains("sec/op", "B/op");
        assertThat(Files.readString(out.resolve("fib.svg"))).startsWith("<?xml").contains("<svg", "× faster");
        assertThat(r.out()).containsPattern("chart: \\S*fib\\.svg");
        assertThat(Files.readString(out.resolve("fib.log"))).contains("# Benchmark: dev.proflab.bench.FibBench.fib");
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("round files are merged and removed; nothing half-written remains")
                    .containsExactlyInAnyOrder("fib.json", "fib.txt", "fib.svg", "fib.log", ".fib-rounds");
        }
        try (var rounds = Files.list(out.resolve(".fib-rounds"))) {
            assertThat(rounds).isEmpty();
        }
    }

    @Test
    void jsonFormatPrintsOnlyJsonRows() throws IOException {
        CliRun r = CliRun.of("compare", "alloc", "--count", "2", "--iterations", "2", "--warmup", "1",
                "--time", "100ms", "--format", "json", "--jar", jar.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertThat(rows.isArray()).isTrue();
        JsonNode bytes = null;
        for (JsonNode row : rows) {
            if (row.get("metric").asText().equals("B/op")) {
                bytes = row;
            }
        }
        assertThat(bytes).as("a B/op row from -prof gc").isNotNull();
        JsonNode cols = bytes.get("columns");
        assertThat(cols.get(0).get("name").asText()).isEqualTo("before");
        JsonNode after = cols.get(cols.size() - 1);
        assertThat(after.get("name").asText()).isEqualTo("after");
        // the lab's promise: after allocates at most 1% of before's bytes
        assertThat(after.get("median").asDouble()).isLessThanOrEqualTo(cols.get(0).get("median").asDouble() * 0.01);
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() {
        CliRun lab = CliRun.of("compare", "nosuch", "--jar", jar.toString());
        assertThat(lab.exitCode()).isEqualTo(2);
        assertThat(lab.err().strip()).isEqualTo("proflab: unknown lab 'nosuch': use fib, alloc, mutex, mutex-seed, dce, challenge or challenge-solution");

        CliRun time = CliRun.of("compare", "fib", "--time", "fast", "--jar", jar.toString());
        assertThat(time.exitCode()).isEqualTo(2);
        assertThat(time.err().strip()).isEqualTo("proflab: --time: 'fast' is not a duration (use e.g. 500ms, 2s, 1m)");

        CliRun missing = CliRun.of("compare", "fib", "--jar", out.resolve("none.jar").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("none.jar: benchmarks jar not found").doesNotContain("\tat ");
    }
}
