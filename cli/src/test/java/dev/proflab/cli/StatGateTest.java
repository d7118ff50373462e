package dev.proflab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code proflab stat --max-regression / --budget}: the regression gate's exit codes (0 passed, 1 a
 * regression, 2 bad input) and what it prints, on small JMH JSON files written here: 5 forks of 3
 * iterations per benchmark, {@code center x (1 - e, 1, 1 + e)}, so the pooled median is the center.
 */
class StatGateTest {

    @TempDir
    Path dir;

    /** A benchmark of one JMH result file. */
    record Bench(String name, String mode, String unit, double center) {
    }

    static Bench avgt(String name, double nsPerOp) {
        return new Bench(name, "avgt", "ns/op", nsPerOp);
    }

    static Bench thrpt(String name, double opsPerSec) {
        return new Bench(name, "thrpt", "ops/s", opsPerSec);
    }

    /** A JMH {@code -rf json} file with these benchmarks (the fields proflab reads). */
    Path jmh(String file, Bench... benches) throws IOException {
        StringBuilder sb = new StringBuilder("[\n");
        for (int b = 0; b < benches.length; b++) {
            Bench x = benches[b];
            List<String> forks = new ArrayList<>();
            for (int f = 0; f < 5; f++) {
                double e = 0.001 * (f + 1);
                forks.add(String.format(Locale.ROOT, "[%s, %s, %s]", x.center() * (1 - e), x.center(),
                        x.center() * (1 + e)));
            }
            sb.append(b == 0 ? "" : ",\n").append(String.format(Locale.ROOT, """
                      {"jmhVersion": "1.37", "benchmark": "dev.proflab.bench.%s", "mode": "%s", "threads": 1,
                       "forks": 5, "measurementIterations": 3, "measurementTime": "200 ms",
                       "primaryMetric": {"score": %s, "scoreUnit": "%s", "rawData": [%s]},
                       "secondaryMetrics": {}}""", x.name(), x.mode(), x.center(), x.unit(),
                    String.join(", ", forks)));
        }
        return Files.writeString(dir.resolve(file), sb.append("\n]\n").toString());
    }

    Path budget(String text) throws IOException {
        return Files.writeString(dir.resolve("budget.txt"), text);
    }

    static CliRun stat(Object... args) {
        return CliRun.of(java.util.Arrays.stream(args).map(String::valueOf).toArray(String[]::new));
    }

    @Test
    void noRegressionExitsZeroAndSaysSo() throws IOException {
        Path base = jmh("base.json", avgt("Fib.fib", 100), avgt("Fib.memo", 50));
        Path now = jmh("new.json", avgt("Fib.fib", 100), avgt("Fib.memo", 40));
        CliRun r = stat("stat", "--max-regression", "5%", base, now);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("sec/op", "vs base")
                .contains("\nregression gate: no benchmark regressed beyond its limit (2 rows checked;"
                        + " a regression is significantly worse, p <= 0.05)\n");
        assertThat(r.err()).doesNotContain("regression gate failed");
    }

    @Test
    void aTimeRegressionExitsOneAndNamesTheRow() throws IOException {
        Path base = jmh("base.json", avgt("Fib.fib", 100), avgt("Fib.memo", 50));
        Path now = jmh("new.json", avgt("Fib.fib", 120), avgt("Fib.memo", 50));
        CliRun r = stat("stat", "--max-regression", "5%", base, now);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(Main.EXIT_CHECK_FAILED);
        assertThat(r.out()).contains("regression gate: 1 of 2 rows regressed beyond its limit (significantly worse,"
                + " p <= 0.05):\n").containsPattern("\n  Fib\\.fib  sec/op  \\+20\\.00%  p=0\\.\\d{3}  limit 5%\n");
        assertThat(r.err().strip()).isEqualTo("proflab: regression gate failed: 1 benchmark significantly worse beyond"
                + " the limit: Fib.fib [sec/op] +20.00%");
    }

    @Test
    void aThroughputDropFailsAndARiseDoesNot() throws IOException {
        Path base = jmh("base.json", thrpt("Mutex.inc", 1000));
        CliRun down = stat("stat", "--max-regression", "5", base, jmh("down.json", thrpt("Mutex.inc", 800)));
        assertThat(down.exitCode()).as(down.err()).isEqualTo(1);
        assertThat(down.out()).containsPattern("Mutex\\.inc  ops/s  -20\\.00%");
        CliRun up = stat("stat", "--max-regression", "5", base, jmh("up.json", thrpt("Mutex.inc", 2000)));
        assertThat(up.exitCode()).as(up.err()).isZero();
    }

    @Test
    void aRegressionWithinTheLimitPasses() throws IOException {
        Path base = jmh("base.json", avgt("Fib.fib", 100));
        Path now = jmh("new.json", avgt("Fib.fib", 103));
        CliRun r = stat("stat", "--max-regression=5%", base, now);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("  1 significantly worse, but within its limit\n");
        assertThat(stat("stat", "--max-regression=0.5%", base, now).exitCode()).isEqualTo(1);
        assertThat(stat("stat", "--max-regression=0", base, now).exitCode()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5x", "-5", "abc", "5 %", "5%%", "%", "", "1e2", "NaN", "Infinity", "0x10"})
    void aBadMaxRegressionIsOneLineAndExitTwo(String value) throws IOException {
        Path base = jmh("base.json", avgt("Fib.fib", 100));
        CliRun r = stat("stat", "--max-regression=" + value, base, base);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("proflab: --max-regression: '" + value
                + "' is not a percentage: write it as 5%, 5 or 0.5%");
    }

    @Test
    void withoutAGateTheOutputIsAsBefore() throws IOException {
        Path base = jmh("base.json", avgt("Fib.fib", 100));
        Path now = jmh("new.json", avgt("Fib.fib", 200));
        CliRun r = stat("stat", base, now);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).doesNotContain("regression gate");
        CliRun json = stat("stat", "--format", "json", base, now);
        assertThat(json.out()).doesNotContain("limit_percent", "regressed");
    }

    @Test
    void markdownHasASectionForThePullRequest() throws IOException {
        Path base = jmh("base.json", avgt("Fib.fib", 100), avgt("Alloc.run", 100));
        Path now = jmh("new.json", avgt("Fib.fib", 150), avgt("Alloc.run", 100));
        CliRun r = stat("stat", "--max-regression", "10%", "--format", "markdown", base, now);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).startsWith("**sec/op**\n\n")
                .contains("\n### Regression gate\n\n❌ **1 regression** beyond the limit (significantly worse, p ≤ 0.05;"
                        + " 2 rows checked):\n\n| benchmark | metric | change | p | limit |\n|:--|:--|--:|--:|--:|\n"
                        + "| Fib.fib | sec/op | +50.00% | ");
        CliRun ok = stat("stat", "--max-regression", "10%", "--format", "markdown", base, base);
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).contains("### Regression gate\n\n✅ No benchmark regressed beyond its limit (2 rows"
                + " checked; a regression is significantly worse, p ≤ 0.05).\n");
    }

    @Test
    void jsonCarriesTheGateInEachComparedColumn() throws IOException {
        Path base = jmh("base.json", avgt("Fib.fib", 100), avgt("Alloc.run", 100));
        Path now = jmh("new.json", avgt("Fib.fib", 150), avgt("Alloc.run", 100));
        CliRun r = stat("stat", "--max-regression", "10%", "--format", "json", base, now);
        assertThat(r.exitCode()).isEqualTo(1);
        JsonNode rows = new ObjectMapper().readTree(r.out());
        JsonNode fib = rows.get(0).get("columns");
        assertThat(rows.get(0).get("name").asText()).isEqualTo("Fib.fib");
        assertThat(fib.get(0).has("regressed")).isFalse();
        assertThat(fib.get(1).get("limit_percent").asDouble()).isEqualTo(10.0);
        assertThat(fib.get(1).get("regressed").asBoolean()).isTrue();
        assertThat(fib.get(1).get("gate").asText()).isEqualTo("regressed");
        assertThat(rows.get(1).get("columns").get(1).get("regressed").asBoolean()).isFalse();
        assertThat(r.err()).contains("proflab: regression gate failed: 1 benchmark");
    }

    @Test
    void csvIsUnchangedAndTheFailureIsOnStderr() throws IOException {
        Path base = jmh("base.json", avgt("Fib.fib", 100));
        Path now = jmh("new.json", avgt("Fib.fib", 150));
        CliRun gated = stat("stat", "--max-regression", "10%", "--format", "csv", base, now);
        assertThat(gated.exitCode()).isEqualTo(1);
        assertThat(gated.out()).isEqualTo(stat("stat", "--format", "csv", base, now).out());
        assertThat(gated.err()).contains("Fib.fib [sec/op] +50.00%");
    }

    @Test
    void everyColumnIsGatedAgainstTheBaseline() throws IOException {
        Path base = jmh("base.json", avgt("Fib.fib", 100));
        Path a = jmh("a.json", avgt("Fib.fib", 100));
        Path b = jmh("b.json", avgt("Fib.fib", 130));
        CliRun r = stat("stat", "--max-regression", "5%", base, a, b);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("1 of 2 checks (rows x columns) regressed")
                .containsPattern("  Fib\\.fib  sec/op  \\S*b\\.json  \\+30\\.00%");
        assertThat(r.err()).contains("Fib.fib [sec/op, " + b + "] +30.00%");
    }

    @Test
    void theFirstBudgetRuleThatFindsTheNameWins() throws IOException {
        Path base = jmh("base.json", avgt("Fib.fib", 100), avgt("Fib.memo", 100), avgt("Alloc.run", 100),
                avgt("Mutex.inc", 100));
        Path now = jmh("new.json", avgt("Fib.fib", 130), avgt("Fib.memo", 130), avgt("Alloc.run", 130),
                avgt("Mutex.inc", 130));
        Path budget = budget("""
                \uFEFF# limits per benchmark: REGEX LIMIT (a byte order mark first, as some editors write)

                Fib\\.memo   none
                Fib\\.       40%

                Fib\\.fib    1%
                Al+oc\\.run  50%
                """);
        // Fib.memo exempt, Fib.fib gets 40% (not the later 1%), Alloc.run 50%, Mutex.inc --max-regression
        CliRun r = stat("stat", "--budget", budget, "--max-regression", "20%", base, now);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("regression gate: 1 of 3 rows regressed beyond its limit")
                .containsPattern("\n  Mutex\\.inc  sec/op  \\+30\\.00%  p=0\\.\\d{3}  limit 20%\n")
                .contains("  1 without a limit, not checked\n")
                .contains("  2 significantly worse, but within their limit\n");
        // without --max-regression, rows no rule finds have no limit
        CliRun only = stat("stat", "--budget", budget, base, now);
        assertThat(only.exitCode()).as(only.err()).isZero();
        assertThat(only.out()).contains("(2 rows checked;").contains("  2 without a limit, not checked\n");
        // a rule's limit names its line
        Path strict = budget("Fib\\.fib 1%\n");
        CliRun s = stat("stat", "--budget", strict, base, now);
        assertThat(s.exitCode()).isEqualTo(1);
        assertThat(s.out()).contains("limit 1% (" + strict + ":1)");
    }

    @Test
    void aBadBudgetLineExitsTwoNamingFileAndLine() throws IOException {
        Path base = jmh("base.json", avgt("Fib.fib", 100));
        String[][] cases = {
                {"# ok\nFib.fib\n", ":2: 'Fib.fib' is not 'REGEX LIMIT' (LIMIT a percentage such as 5% or 'none')"},
                {"Fib 5x\n", ":1: '5x' is not a percentage or 'none': write the limit as 5%, 5 or 0.5%"
                        + " (comments take a whole line, starting with #)"},
                {"Fib 5% # why\n", ":1: 'why' is not a percentage or 'none'"},
                {"\n\n(Fib 5%\n", ":3: '(Fib' is not a valid regular expression: Unclosed group"},
                {"(a{1000}){1000} 5%\n", ":1: the regular expression is too large with its repetitions expanded"},
        };
        for (String[] c : cases) {
            Path b = budget(c[0]);
            CliRun r = stat("stat", "--budget", b, base, base);
            assertThat(r.exitCode()).as(c[0] + ": " + r.err()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
            assertThat(r.err()).startsWith("proflab: " + b + c[1]);
        }
        CliRun missing = stat("stat", "--budget", dir.resolve("nosuch.txt"), base, base);
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("proflab: --budget: " + dir.resolve("nosuch.txt") + ": no such file");
    }

    @Test
    @Tag("slow")
    void aCatastrophicBudgetRegexStopsWithinTheMatchingBudget() throws IOException {
        String longName = "Fib.f" + "i".repeat(40);
        Path base = jmh("base.json", avgt(longName, 100));
        Path b = budget("((.+)+)\\2Z 5%\n");
        long t0 = System.nanoTime();
        CliRun r = stat("stat", "--budget", b, base, base);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("proflab: " + b
                + ":1: the regular expression takes too long to match (over 1 s): simplify it");
    }
}
