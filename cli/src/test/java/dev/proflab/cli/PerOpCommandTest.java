package dev.proflab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cost per operation as a user types it: top --per-op and diff --normalize ops with the recordings' FILE.ops.json
 * (the fixtures have counts chosen for the tests), with --ops/--ops-base, and the bad input.
 */
class PerOpCommandTest {

    private static final Path PROFILES = Path.of("../profile/src/test/resources/profiles").toAbsolutePath().normalize();
    private static final Path DIFF = PROFILES.resolve("diff");
    private static final String CPU = PROFILES.resolve("ap-cpu.jfr").toString();       // 1000 ops beside it
    private static final String NO_COUNT = PROFILES.resolve("jfr-cpu.jfr").toString(); // none

    private static String side(String variant) {
        return DIFF.resolve(variant + "01.jfr") + "," + DIFF.resolve(variant + "02.jfr") + "," + DIFF.resolve(variant + "03.jfr");
    }

    private static void usage(CliRun r, String message) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("proflab: " + message);
    }

    @Test
    void topPerOpReadsTheSidecarOrTheCountGiven() throws Exception {
        CliRun r = CliRun.of("top", "--per-op", "-n", "2", CPU);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Operations: 1,000 ops (user)", "Total per op = 1.49ms/op",
                "987us 66.11% 66.11%        987us 66.11%  dev.proflab.profile.fixture.Workload.methodA");
        // --ops instead of the sidecar: ten times the operations, a tenth of the time each
        CliRun given = CliRun.of("top", "--per-op", "--ops", "10000", "-n", "1", "--format", "json", CPU);
        assertThat(given.exitCode()).as(given.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(given.out());
        assertThat(j.at("/operations/count").asLong()).isEqualTo(10000);
        assertThat(j.at("/operations/source").asText()).isEqualTo("user");
        assertThat(j.get("per_op_unit").asText()).isEqualTo("nanoseconds/op");
        assertThat(j.at("/rows/0/flat_per_op").asDouble()).isEqualTo(98_700.0);
        // several recordings: their counts together
        CliRun merged = CliRun.of("top", "--per-op", "-n", "1", side("a"));
        assertThat(merged.exitCode()).as(merged.err()).isZero();
        assertThat(merged.out()).contains("Operations: 1,800 ops (user), 3 recordings together");
    }

    @Test
    void diffPerOpShowsBothSidesAndTheChange() throws Exception {
        CliRun r = CliRun.of("diff", "--normalize", "ops", "-n", "1", side("a"), side("b"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Operations: base 1,800 ops (user), new 1,200 ops (user)",
                "Compared per op", "base flat/op  new flat/op", "527.78us       1.33ms    +797.22us")
                .containsPattern("\\* Workload\\.checksum");
        // top --base --per-op is the same report
        CliRun top = CliRun.of("top", "--per-op", "--base", side("a"), "-n", "1", side("b"));
        assertThat(top.out()).isEqualTo(r.out());
        // the counts by hand override the sidecars
        CliRun json = CliRun.of("diff", "--normalize", "ops", "--ops-base", "18", "--ops", "12", "--format", "json",
                "-n", "1", side("a"), side("b"));
        JsonNode j = new ObjectMapper().readTree(json.out());
        assertThat(j.at("/base_operations/count").asLong()).isEqualTo(18);
        assertThat(j.at("/rows/0/norm_base_flat").asDouble()).isEqualTo(j.at("/rows/0/base_flat").asLong() / 18.0);
        // tree --base per op: the base scaled to the current's operations
        CliRun tree = CliRun.of("tree", "--base", DIFF.resolve("a01.jfr").toString(), "--normalize", "ops",
                DIFF.resolve("b01.jfr").toString(), "--focus", "Workload.checksum");
        assertThat(tree.out()).contains("a01.jfr subtracted, scaled by 0.6667 to the same number of ops");
    }

    @Test
    void badCountsAndMissingCountsAreOneLineAndExit2(@TempDir Path dir) throws Exception {
        usage(CliRun.of("top", "--per-op", "--ops", "0", CPU),
                "--ops: 0 operations; give at least 1 (a recording with no work done has no cost per operation)");
        usage(CliRun.of("top", "--per-op", "--ops", "abc", CPU), "--ops: 'abc' is not a whole number of operations");
        usage(CliRun.of("diff", "--normalize", "ops", "--ops-base", "-5", CPU, CPU),
                "--ops-base: -5 operations; give at least 1 (a recording with no work done has no cost per operation)");
        usage(CliRun.of("top", "--per-op", NO_COUNT),
                "FILE: " + NO_COUNT + " has no operation count (no jfr-cpu.jfr.ops.json beside it): give --ops N");
        usage(CliRun.of("diff", "--normalize", "ops", NO_COUNT, CPU),
                "BASE: " + NO_COUNT + " has no operation count (no jfr-cpu.jfr.ops.json beside it): give --ops-base N");
        usage(CliRun.of("diff", "--normalize", "ops", CPU, NO_COUNT),
                "NEW: " + NO_COUNT + " has no operation count (no jfr-cpu.jfr.ops.json beside it): give --ops N");
        usage(CliRun.of("diff", "--normalize", "each", CPU, CPU), "--normalize: 'each' is not total, duration or ops");
        usage(CliRun.of("tree", "--base", NO_COUNT, "--normalize", "ops", CPU),
                "--base: " + NO_COUNT + " has no operation count (no jfr-cpu.jfr.ops.json beside it): give --ops-base N");
        usage(CliRun.of("top", "--per-op", "--base", CPU, "--normalize", "duration", CPU),
                "--per-op: with --base it compares per operation; leave out --normalize duration");
        // a sidecar that is not a count
        Path jfr = Files.copy(PROFILES.resolve("ap-cpu.jfr"), dir.resolve("x.jfr"));
        Files.writeString(dir.resolve("x.jfr.ops.json"), "{\"operations\": 0}");
        usage(CliRun.of("top", "--per-op", jfr.toString()),
                dir.resolve("x.jfr.ops.json") + ": \"operations\" must be a whole number of at least 1");
    }
}
