package dev.proflab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** proflab diff and --base as a user types them: several recordings a side, the formats, the errors. */
class DiffCommandTest {

    private static final Path PROFILES = Path.of("../profile/src/test/resources/profiles").toAbsolutePath().normalize();
    private static final Path DIFF = PROFILES.resolve("diff");

    private static String side(String variant) {
        return DIFF.resolve(variant + "01.jfr") + "," + DIFF.resolve(variant + "02.jfr") + "," + DIFF.resolve(variant + "03.jfr");
    }

    @Test
    void threeRecordingsASideMakeAClaimAndTopBaseIsTheSameReport() {
        CliRun r = CliRun.of("diff", side("a"), side("b"), "-n", "5");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Recordings: 3 base, 3 new", "changed beyond the noise between recordings")
                .containsPattern("\\* Workload\\.checksum");
        CliRun top = CliRun.of("top", "--base", side("a"), DIFF.resolve("b01.jfr").toString(), "-n", "5");
        assertThat(top.exitCode()).as(top.err()).isZero();
        assertThat(top.out()).contains("Recordings: 3 base, 1 new", "No change is marked significant: One recording on the current side");
    }

    @Test
    void jsonRowsCarryBothSidesTheChangeAndTheTest() throws Exception {
        CliRun r = CliRun.of("diff", "--format", "json", "-n", "3", side("a"), side("b"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("base_recordings").asInt()).isEqualTo(3);
        assertThat(j.get("limitation").isNull()).isTrue();
        assertThat(j.get("tested").asInt()).isPositive();
        JsonNode row = j.get("rows").get(0);
        for (String field : new String[] {"name", "base_flat", "base_cum", "flat", "cum", "norm_base_flat", "norm_flat",
                "delta_flat", "norm_base_cum", "norm_cum", "delta_cum", "p_value", "q_value", "significant"}) {
            assertThat(row.has(field)).as(field).isTrue();
        }
    }

    @Test
    void theOtherReportsAndConvertTakeBase(@TempDir Path dir) throws Exception {
        CliRun tree = CliRun.of("tree", "--base", DIFF.resolve("a01.jfr").toString(), DIFF.resolve("b01.jfr").toString(),
                "--focus", "Workload.checksum");
        assertThat(tree.exitCode()).as(tree.err()).isZero();
        assertThat(tree.out()).contains("Base: a01.jfr subtracted", "Workload.checksum");
        Path svg = dir.resolve("change.svg");
        CliRun convert = CliRun.of("convert", DIFF.resolve("b01.jfr").toString(), "--base", side("a"), "-o", svg.toString());
        assertThat(convert.exitCode()).as(convert.err()).isZero();
        assertThat(Files.readString(svg)).contains("<svg", "Workload.checksum", "grew");
        CliRun runs = CliRun.of("convert", side("b"), "--base", side("a"), "-o", svg.toString());
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        assertThat(runs.out()).contains("b01.jfr and 2 more compared with a01.jfr and 2 more", "1 function changed");
        Path pb = dir.resolve("change.pb.gz");
        CliRun refused = CliRun.of("convert", DIFF.resolve("b01.jfr").toString(), "--base", side("a"), "-o", pb.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err().strip()).startsWith("proflab: --base: pprof holds one profile").doesNotContain("\n");
        assertThat(pb).doesNotExist();
    }

    @Test
    void badSidesAreOneLineAndExit2(@TempDir Path dir) throws Exception {
        CliRun missing = CliRun.of("diff", dir.resolve("nope.jfr").toString(), DIFF.resolve("b01.jfr").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).endsWith("nope.jfr: no such file").doesNotContain("\n");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        CliRun none = CliRun.of("diff", empty.toString(), DIFF.resolve("b01.jfr").toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("no .jfr, .pb.gz or .pprof file in this folder");
        Path many = Files.createDirectory(dir.resolve("many"));
        for (int i = 0; i <= SelectionOptions.MAX_RECORDINGS; i++) {
            Files.copy(DIFF.resolve("a01.jfr"), many.resolve("r" + i + ".jfr"));
        }
        CliRun tooMany = CliRun.of("diff", many.toString(), DIFF.resolve("b01.jfr").toString());
        assertThat(tooMany.exitCode()).isEqualTo(2);
        assertThat(tooMany.err()).contains("at most 64 a side");
    }
}
