package dev.proflab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proflab diff --max-growth / --budget} on the calibration recordings (profiles/diff: b is a with
 * {@code Workload.checksum} 2.5x heavier; its cum share grows from 5.83% to 12.55% of the samples, +6.72 points,
 * q = 0.0146): exit 1 beyond the limit, 0 within it, 2 when the gate cannot judge or is given something wrong.
 */
class DiffGateCommandTest {

    private static final Path DIFF = Path.of("../profile/src/test/resources/profiles/diff").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private static String side(String variant) {
        return DIFF.resolve(variant + "01.jfr") + "," + DIFF.resolve(variant + "02.jfr") + "," + DIFF.resolve(variant + "03.jfr");
    }

    @Test
    void theKnownChangeBeyondItsLimitExits1NamingTheFunction() {
        CliRun r = CliRun.of("diff", side("a"), side("b"), "-n", "3", "--max-growth", "Workload\\.=2pp");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("Recordings: 3 base, 3 new", "\nprofile gate: 1 of 11 functions grew beyond its limit",
                "  Workload.checksum  cum 5.83% -> 12.55%  +6.72pp  q=0.0146  limit 2pp (--max-growth)");
        assertThat(r.err().strip()).isEqualTo("proflab: profile gate failed: 1 function's cum share grew significantly"
                + " beyond the limit: Workload.checksum +6.72pp (limit 2pp)");
    }

    @Test
    void aGenerousLimitExits0AndSaysWhatGrewWithinIt() {
        CliRun r = CliRun.of("diff", side("a"), side("b"), "-n", "3", "--max-growth", "Workload\\.checksum=10pp");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("profile gate: no function grew beyond its limit (1 function checked;",
                "1 grew significantly within its limit: Workload.checksum +6.72pp (limit 10pp)");
        assertThat(r.err()).isEmpty();
        // the other way round the function shrank: even 0pp on everything passes
        CliRun back = CliRun.of("diff", side("b"), side("a"), "-n", "3", "--max-growth", ".=0pp");
        assertThat(back.exitCode()).as(back.err()).isZero();
    }

    @Test
    void aBudgetFileFirstMatchWinsAndNoneExempts() throws Exception {
        Path budget = Files.writeString(dir.resolve("budget.txt"), """
                # limits per function, the first rule that finds one wins
                Workload\\.checksum   none
                Workload\\.           1pp
                """);
        CliRun ok = CliRun.of("diff", side("a"), side("b"), "-n", "1", "--budget", budget.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("1 function exempt (a rule with limit none)");
        // --max-growth rules come before the file's
        CliRun tight = CliRun.of("diff", side("a"), side("b"), "-n", "1", "--budget", budget.toString(),
                "--max-growth", "checksum=0.5pp");
        assertThat(tight.exitCode()).as(tight.err()).isEqualTo(1);
        assertThat(tight.err()).contains("Workload.checksum +6.72pp (limit 0.5pp)");
        Path cum = Files.writeString(dir.resolve("cum.txt"), "Workload\\.checksum 5pp\n");
        CliRun fromFile = CliRun.of("diff", side("a"), side("b"), "-n", "1", "--budget", cum.toString());
        assertThat(fromFile.exitCode()).isEqualTo(1);
        assertThat(fromFile.out()).contains("limit 5pp (" + cum + ":1)");
    }

    @Test
    void jsonKeepsItsFieldsAndAddsTheGate() throws Exception {
        CliRun r = CliRun.of("diff", "--format", "json", "-n", "2", side("a"), side("b"), "--max-growth",
                "Workload\\.checksum=2pp", "--gate-on", "flat");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("base_recordings").asInt()).isEqualTo(3);
        JsonNode row = j.get("rows").get(0);
        assertThat(row.get("name").asText()).isEqualTo("Workload.checksum");
        assertThat(row.get("significant").asBoolean()).isTrue();
        assertThat(row.get("gate").asText()).isEqualTo("failed");
        assertThat(row.get("limit_points").asDouble()).isEqualTo(2);
        assertThat(j.get("rows").get(1).get("gate").asText()).isEqualTo("no_limit");
        assertThat(j.get("rows").get(1).get("limit_points").isNull()).isTrue();
        JsonNode g = j.get("gate");
        assertThat(g.get("on").asText()).isEqualTo("flat");
        assertThat(g.get("judged").asBoolean()).isTrue();
        assertThat(g.get("failed").asBoolean()).isTrue();
        JsonNode f = g.get("failures").get(0);
        assertThat(f.get("name").asText()).isEqualTo("Workload.checksum");
        assertThat(f.get("growth_points").asDouble()).isBetween(6.5, 6.6);
        assertThat(f.get("limit_source").asText()).isEqualTo("--max-growth");
        // without a gate the JSON has no gate fields
        CliRun plain = CliRun.of("diff", "--format", "json", "-n", "2", side("a"), side("b"));
        JsonNode p = new ObjectMapper().readTree(plain.out());
        assertThat(p.has("gate")).isFalse();
        assertThat(p.get("rows").get(0).has("gate")).isFalse();
    }

    @Test
    void whatTheGateCannotJudgeExits2InOneLine() throws Exception {
        String one = DIFF.resolve("a01.jfr").toString();
        CliRun few = CliRun.of("diff", one, side("b"), "--max-growth", "Workload=2pp");
        assertThat(few.exitCode()).isEqualTo(2);
        assertThat(few.err().strip()).isEqualTo("proflab: --max-growth: the gate needs at least 3 recordings per side"
                + " (separate runs, as a,b,c or a folder) to call a growth significant; BASE has 1");
        assertThat(few.out()).isEmpty();
        CliRun typo = CliRun.of("diff", side("a"), side("b"), "--max-growth", "Wrkload\\.=2pp");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err().strip()).startsWith("proflab: --max-growth: 'Wrkload\\.' matches no function in either profile")
                .doesNotContain("\n");
        for (String bad : new String[] {"Workload=2%", "Workload=2", "Workload", "=2pp", "Workload=101pp"}) {
            CliRun r = CliRun.of("diff", side("a"), side("b"), "--max-growth", bad);
            assertThat(r.exitCode()).as(bad).isEqualTo(2);
            assertThat(r.err().strip()).as(bad).startsWith("proflab: --max-growth: ").doesNotContain("\n");
        }
        CliRun regex = CliRun.of("diff", side("a"), side("b"), "--max-growth", "Work(load=2pp");
        assertThat(regex.exitCode()).isEqualTo(2);
        assertThat(regex.err()).contains("is not a valid regular expression");
        Path bad = Files.writeString(dir.resolve("bad.txt"), "Workload\\.  2pp   # the usual\n");
        CliRun line = CliRun.of("diff", side("a"), side("b"), "--budget", bad.toString());
        assertThat(line.exitCode()).isEqualTo(2);
        assertThat(line.err().strip()).isEqualTo("proflab: " + bad + ":1: 'usual' is not a limit in percentage points or"
                + " 'none': write it as 2pp, 0.5pp or 0pp (comments take a whole line, starting with #)");
        CliRun on = CliRun.of("diff", side("a"), side("b"), "--max-growth", "Workload=2pp", "--gate-on", "self");
        assertThat(on.exitCode()).isEqualTo(2);
        CliRun alone = CliRun.of("diff", side("a"), side("b"), "--gate-on", "flat");
        assertThat(alone.exitCode()).isEqualTo(2);
        assertThat(alone.err().strip()).isEqualTo("proflab: --gate-on: only with a gate (--max-growth or --budget)");
        CliRun duration = CliRun.of("diff", side("a"), side("b"), "--max-growth", "Workload=2pp", "--normalize", "duration");
        assertThat(duration.exitCode()).isEqualTo(2);
        assertThat(duration.err()).contains("percentage points");
    }
}
