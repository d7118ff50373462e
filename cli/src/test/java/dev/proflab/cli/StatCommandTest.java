package dev.proflab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proflab stat} over a real JMH result: {@code fib-rounds.json} was written by
 * {@code proflab compare fib --count 3 --iterations 2} (FibBench.fib, impl = recursive, memo, iterative).
 */
class StatCommandTest {

    @TempDir
    Path dir;

    Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/" + name)) {
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    @Test
    void colParamComparesVariantsOfOneFile() throws IOException {
        Path f = resource("fib-rounds.json");
        CliRun r = CliRun.of("stat", "--col", "impl", f.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("recursive", "memo", "iterative", "sec/op", "B/op", "vs base");
        // a million-fold difference with 6+6 samples is significant: a delta, not "~"
        assertThat(r.out()).containsPattern("-(99\\.\\d+|100\\.00)% \\(p=0\\.\\d{3} n=6\\+6\\)");
    }

    @Test
    void jsonRowsHaveTheDocumentedFields() throws IOException {
        Path f = resource("fib-rounds.json");
        CliRun r = CliRun.of("stat", "--col", "impl", "--format", "json", f.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertThat(rows.isArray()).isTrue();
        JsonNode time = rows.get(0);
        assertThat(time.get("benchmark").asText()).isEqualTo("dev.proflab.bench.FibBench.fib");
        assertThat(time.get("metric").asText()).isEqualTo("sec/op");
        JsonNode cols = time.get("columns");
        assertThat(cols).hasSize(3);
        assertThat(cols.get(0).get("name").asText()).isEqualTo("recursive");
        assertThat(cols.get(0).has("delta_percent")).isFalse();
        assertThat(cols.get(1).get("name").asText()).isEqualTo("memo");
        assertThat(cols.get(1).get("significant").asBoolean()).isTrue();
        assertThat(cols.get(1).get("median").asDouble()).isLessThan(cols.get(0).get("median").asDouble() / 1000);
        assertThat(cols.get(1).get("n").asInt()).isEqualTo(6);
    }

    @Test
    void sameFileTwiceIsNotSignificant() throws IOException {
        Path f = resource("fib-rounds.json");
        CliRun r = CliRun.of("stat", f.toString(), f.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("~");
        assertThat(r.out()).doesNotContainPattern("[+-]\\d+\\.\\d+% \\(p=");
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.json"));
        Path notJson = Files.writeString(dir.resolve("not.json"), "BenchmarkFib-8  226  26178138 ns/op\n");
        Path truncated = Files.writeString(dir.resolve("cut.json"),
                Files.readString(resource("fib-rounds.json")).substring(0, 500));
        for (Path bad : new Path[] {empty, notJson, truncated, dir.resolve("missing.json")}) {
            CliRun r = CliRun.of("stat", bad.toString());
            assertThat(r.exitCode()).as(bad.toString()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
            assertThat(r.err()).startsWith("proflab: ").contains(bad.getFileName().toString());
            assertThat(r.err()).doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void unknownFormatAndBadAlphaAreUsageErrors() throws IOException {
        Path f = resource("fib-rounds.json");
        CliRun fmt = CliRun.of("stat", "--format", "xml", f.toString());
        assertThat(fmt.exitCode()).isEqualTo(2);
        assertThat(fmt.err()).contains("--format");
        CliRun alpha = CliRun.of("stat", "--alpha", "2", f.toString());
        assertThat(alpha.exitCode()).isEqualTo(2);
        assertThat(alpha.err().strip()).isEqualTo("proflab: --alpha must be between 0 and 1, not 2.0");
    }

    @Test
    void unknownColumnParamIsNamed() throws IOException {
        Path f = resource("fib-rounds.json");
        CliRun r = CliRun.of("stat", "--col", "nosuch", f.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("nosuch");
    }

    @Test
    void versionNamesTheJdk() {
        CliRun r = CliRun.of("--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("proflab ", "JDK " + Runtime.version().feature());
    }
}
