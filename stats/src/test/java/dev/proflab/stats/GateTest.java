package dev.proflab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proflab.stats.Comparison.Row;
import dev.proflab.stats.Gate.Check;
import dev.proflab.stats.Gate.Limit;
import dev.proflab.stats.Gate.Outcome;
import dev.proflab.stats.JmhReader.JmhResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The regression gate on constructed comparisons whose answer is known. */
class GateTest {

    static final double T = 0.2; // 200 ms iterations

    /**
     * 5 forks of 3 iterations, {@code center x (1 - e, 1, 1 + e)} each: the forks agree, and the pooled
     * median is exactly {@code center}.
     */
    static List<double[]> forks(double center) {
        List<double[]> out = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            double e = 0.001 * (f + 1);
            out.add(new double[] {center * (1 - e), center, center * (1 + e)});
        }
        return out;
    }

    static JmhResult time(String bench, double secPerOp) {
        return new JmhResult("b.B." + bench, "avgt", Map.of(), "s/op", "sec/op", forks(secPerOp), null, T);
    }

    static JmhResult thrpt(String bench, double opsPerSec) {
        return new JmhResult("b.B." + bench, "thrpt", Map.of(), "ops/s", "ops/s", forks(opsPerSec), null, T);
    }

    static JmhResult alloc(String bench, double secPerOp, double bytesPerOp) {
        return new JmhResult("b.B." + bench, "avgt", Map.of(), "s/op", "sec/op", forks(secPerOp), forks(bytesPerOp), T);
    }

    /** One column per list of results: the first is the baseline. */
    @SafeVarargs
    static Comparison compare(List<JmhResult>... columns) {
        List<StatInput> inputs = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            inputs.add(StatInput.of("c" + i + ".json", Path.of("c" + i + ".json")));
        }
        return Comparison.compute(inputs, Arrays.asList(columns), StatOptions.defaults());
    }

    static Gate.Result gate(Comparison c, Function<Row, Limit> limits) {
        return Gate.check(c, Verdicts.of(c, Verdicts.Options.defaults()), limits);
    }

    static Gate.Result gate(Comparison c, double percent) {
        return gate(c, row -> Limit.of(percent));
    }

    static Check only(Gate.Result r, String metric) {
        return r.checks().stream().filter(k -> k.row().metric().equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void timeUpBeyondTheLimitFails() {
        Gate.Result r = gate(compare(List.of(time("m", 100e-6)), List.of(time("m", 120e-6))), 5);
        Check k = only(r, "sec/op");
        assertThat(k.verdict().kind()).isEqualTo(Verdicts.Kind.DIFFERENT);
        assertThat(k.outcome()).isEqualTo(Outcome.REGRESSED);
        assertThat(r.failed()).isTrue();
        assertThat(r.failures()).singleElement().satisfies(f -> {
            assertThat(f.row().name()).isEqualTo("B.m");
            assertThat(f.columnName()).isEqualTo("c1.json");
            assertThat(f.column()).isEqualTo(1);
            assertThat(f.changePercent()).isCloseTo(20, org.assertj.core.api.Assertions.within(1e-9));
            assertThat(f.pValue()).isLessThanOrEqualTo(0.05);
            assertThat(f.limit().percent()).isEqualTo(5);
        });
    }

    @Test
    void timeDownIsAnImprovementWhateverItsSize() {
        Gate.Result r = gate(compare(List.of(time("m", 100e-6)), List.of(time("m", 50e-6))), 0);
        assertThat(only(r, "sec/op").outcome()).isEqualTo(Outcome.PASSED);
        assertThat(r.failed()).isFalse();
    }

    @Test
    void throughputDownFailsAndUpPasses() {
        Gate.Result down = gate(compare(List.of(thrpt("m", 1000)), List.of(thrpt("m", 800))), 5);
        assertThat(only(down, "ops/s").outcome()).isEqualTo(Outcome.REGRESSED);
        assertThat(down.failures().get(0).changePercent()).isCloseTo(-20, org.assertj.core.api.Assertions.within(1e-9));
        Gate.Result up = gate(compare(List.of(thrpt("m", 1000)), List.of(thrpt("m", 1500))), 5);
        assertThat(only(up, "ops/s").outcome()).isEqualTo(Outcome.PASSED);
        assertThat(up.failed()).isFalse();
    }

    @Test
    void bytesUpFailsAndDownPasses() {
        // 100 µs/op in 200 ms iterations: 2000 ops, a floor of 8 B/op; 1000 B/op is well above it
        Gate.Result up = gate(compare(List.of(alloc("m", 100e-6, 1000)), List.of(alloc("m", 100e-6, 1300))), 5);
        assertThat(only(up, "B/op").outcome()).isEqualTo(Outcome.REGRESSED);
        assertThat(only(up, "sec/op").outcome()).isEqualTo(Outcome.PASSED);
        assertThat(up.failures()).singleElement().satisfies(f -> assertThat(f.row().metric()).isEqualTo("B/op"));
        Gate.Result down = gate(compare(List.of(alloc("m", 100e-6, 1000)), List.of(alloc("m", 100e-6, 700))), 5);
        assertThat(only(down, "B/op").outcome()).isEqualTo(Outcome.PASSED);
    }

    @Test
    void bytesBelowResolutionAreNotJudged() {
        // 10 ms/op: 20 ops per iteration, a floor of 819 B/op: 100 -> 500 B/op is JMH's bookkeeping
        Gate.Result r = gate(compare(List.of(alloc("m", 10e-3, 100)), List.of(alloc("m", 10e-3, 500))), 0);
        assertThat(only(r, "B/op").outcome()).isEqualTo(Outcome.BELOW_RESOLUTION);
        assertThat(r.belowResolution()).isEqualTo(1);
        assertThat(r.failed()).isFalse();
    }

    @Test
    void theLimitItselfPassesAndJustAboveFails() {
        Comparison c = compare(List.of(time("m", 100)), List.of(time("m", 105)));
        // (105 / 100 - 1) x 100 is 5.000000000000004 in doubles: equal to a 5% limit, within 1e-9 points
        assertThat(only(gate(c, 5), "sec/op").outcome()).isEqualTo(Outcome.WITHIN_LIMIT);
        assertThat(only(gate(c, 4.99), "sec/op").outcome()).isEqualTo(Outcome.REGRESSED);
        assertThat(gate(c, 5).withinLimit()).isEqualTo(1);
        Comparison t = compare(List.of(thrpt("m", 100)), List.of(thrpt("m", 95)));
        assertThat(only(gate(t, 5), "ops/s").outcome()).isEqualTo(Outcome.WITHIN_LIMIT);
        assertThat(only(gate(t, 4.99), "ops/s").outcome()).isEqualTo(Outcome.REGRESSED);
    }

    @Test
    void aZeroLimitFailsAnySignificantRegression() {
        Comparison c = compare(List.of(time("m", 100)), List.of(time("m", 100.5)));
        assertThat(only(gate(c, 0), "sec/op").outcome()).isEqualTo(Outcome.REGRESSED);
        assertThat(only(gate(c, 1), "sec/op").outcome()).isEqualTo(Outcome.WITHIN_LIMIT);
    }

    @Test
    void noSignificantChangePasses() {
        Comparison c = compare(List.of(time("m", 100)), List.of(time("m", 100)));
        Check k = only(gate(c, 0), "sec/op");
        assertThat(k.cell().delta().significant()).isFalse();
        assertThat(k.outcome()).isIn(Outcome.PASSED, Outcome.INCONCLUSIVE);
        assertThat(gate(c, 0).failed()).isFalse();
    }

    @Test
    void aSignificantChangeWhoseForksDisagreeIsInconclusiveAndDoesNotFail() {
        // Each fork is tight, but forks land anywhere within ±40%: the pooled U test sees 30+30 samples and
        // p <= 0.05, across the 5+5 fork medians the 20% slowdown is not significant (as VerdictsTest)
        List<double[]> x = tight(60, 100, 101, 139, 140);
        List<double[]> y = tight(58, 112, 142, 145, 152);
        Comparison c = compare(List.of(new JmhResult("b.B.m", "avgt", Map.of(), "s/op", "sec/op", x, null, T)),
                List.of(new JmhResult("b.B.m", "avgt", Map.of(), "s/op", "sec/op", y, null, T)));
        Gate.Result r = gate(c, 5);
        Check k = only(r, "sec/op");
        assertThat(k.cell().delta().significant()).as("the pooled test alone").isTrue();
        assertThat(Gate.worseBy("sec/op", k.cell().delta().percent())).isGreaterThan(5);
        assertThat(k.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(k.judged()).isFalse();
        assertThat(r.failed()).isFalse();
        assertThat(r.inconclusive()).isEqualTo(1);
        assertThat(r.suggestedForks()).isEqualTo(k.verdict().suggestedForks()).isGreaterThan(5);
    }

    private static List<double[]> tight(double... centers) {
        List<double[]> out = new ArrayList<>();
        for (double c : centers) {
            out.add(new double[] {c, c * 1.001, c * 0.999, c * 1.002, c * 0.998, c * 1.003});
        }
        return out;
    }

    @Test
    void rowsWithoutALimitAreNotCheckedAndTheLimitIsAskedOncePerRow() {
        Comparison c = compare(List.of(time("slow", 100), time("fast", 100)),
                List.of(time("slow", 200), time("fast", 200)), List.of(time("slow", 300), time("fast", 300)));
        AtomicInteger calls = new AtomicInteger();
        Gate.Result r = gate(c, row -> {
            calls.incrementAndGet();
            return row.name().equals("B.slow") ? null : Limit.of(10);
        });
        assertThat(calls).hasValue(2);
        assertThat(r.checks()).hasSize(4);
        assertThat(r.noLimit()).isEqualTo(2);
        assertThat(r.checked()).isEqualTo(2);
        // every non-baseline column against the baseline
        assertThat(r.failures()).extracting(f -> f.row().name() + " " + f.columnName())
                .containsExactly("B.fast c1.json", "B.fast c2.json");
    }

    @Test
    void aBenchmarkMissingFromAColumnIsNotJudged() {
        Comparison c = compare(List.of(time("gone", 100), time("kept", 100)), List.of(time("kept", 100)));
        Gate.Result r = gate(c, 5);
        assertThat(r.checks()).extracting(Check::outcome).contains(Outcome.MISSING);
        assertThat(r.missing()).isEqualTo(1);
        assertThat(r.failed()).isFalse();
        assertThat(r.checks().stream().filter(k -> k.outcome() == Outcome.MISSING).findFirst().orElseThrow().verdict())
                .isNull();
    }

    @Test
    void worseByFollowsEachMetricsDirection() {
        assertThat(Gate.worseBy("sec/op", 10)).isEqualTo(10);
        assertThat(Gate.worseBy("B/op", 10)).isEqualTo(10);
        assertThat(Gate.worseBy("ops/s", 10)).isEqualTo(-10);
        assertThat(Gate.worseBy("ops/s", -10)).isEqualTo(10);
        assertThat(Gate.worseBy("furlongs", 10)).isZero();
    }

    @Test
    void limitsAreFiniteAndNotNegative() {
        assertThatThrownBy(() -> Limit.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limit.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limit.of(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Limit.of(0).percent()).isZero();
    }

    // ---- rendering --------------------------------------------------------------------------------

    @Test
    void withoutAGateEveryFormatIsAsBefore() {
        Comparison c = compare(List.of(time("m", 100e-6)), List.of(time("m", 120e-6)));
        for (StatFormat f : StatFormat.values()) {
            assertThat(f.render(c, null)).isEqualTo(f.render(c));
        }
    }

    @Test
    void textNamesEachFailureAfterTheTable() {
        Comparison c = compare(List.of(time("m", 100e-6), time("ok", 100e-6)),
                List.of(time("m", 120e-6), time("ok", 100e-6)));
        Gate.Result r = gate(c, row -> row.name().equals("B.m") ? new Limit(5, "budget.txt:2") : Limit.of(5));
        String out = StatFormat.TEXT.render(c, r);
        assertThat(out).startsWith(StatFormat.TEXT.render(c));
        String gate = out.substring(StatFormat.TEXT.render(c).length());
        assertThat(gate).startsWith("\nregression gate: 1 of 2 rows regressed beyond its limit (significantly worse,"
                + " p <= 0.05):\n");
        assertThat(gate).containsPattern("  B\\.m  sec/op  \\+20\\.00%  p=0\\.\\d{3}  limit 5% \\(budget\\.txt:2\\)\n");
    }

    @Test
    void textSaysWhenNothingRegressedAndWhatWasNotJudged() {
        List<double[]> x = tight(60, 100, 101, 139, 140);
        List<double[]> y = tight(58, 112, 142, 145, 152);
        Comparison c = compare(List.of(new JmhResult("b.B.m", "avgt", Map.of(), "s/op", "sec/op", x, null, T),
                        time("n", 100)),
                List.of(new JmhResult("b.B.m", "avgt", Map.of(), "s/op", "sec/op", y, null, T), time("n", 90)));
        Gate.Result r = gate(c, 5);
        String gate = StatFormat.TEXT.render(c, r).substring(StatFormat.TEXT.render(c).length());
        assertThat(gate).contains("regression gate: no benchmark regressed beyond its limit (2 rows checked;"
                + " a regression is significantly worse, p <= 0.05)\n");
        assertThat(gate).contains("  1 inconclusive, not judged: the data cannot decide (forks disagree); a rerun"
                + " with " + r.suggestedForks() + " forks per side could decide\n");
    }

    @Test
    void markdownIsASectionForAPullRequest() {
        Comparison c = compare(List.of(time("m|x", 100e-6)), List.of(time("m|x", 120e-6)));
        String md = StatFormat.MARKDOWN.render(c, gate(c, 5));
        assertThat(md).startsWith(StatFormat.MARKDOWN.render(c));
        assertThat(md).contains("\n### Regression gate\n\n❌ **1 regression** beyond the limit (significantly worse,"
                + " p ≤ 0.05; 1 row checked):\n\n| benchmark | metric | change | p | limit |\n|:--|:--|--:|--:|--:|\n"
                + "| B.m\\|x | sec/op | +20.00% | ");
        assertThat(md).endsWith(" | 5% |\n");
        Comparison same = compare(List.of(time("m", 100e-6)), List.of(time("m", 99e-6)));
        assertThat(StatFormat.MARKDOWN.render(same, gate(same, 5))).contains(
                "### Regression gate\n\n✅ No benchmark regressed beyond its limit (1 row checked; a regression is"
                        + " significantly worse, p ≤ 0.05).\n");
    }

    @Test
    void severalColumnsNameTheColumn() {
        Comparison c = compare(List.of(time("m", 100e-6)), List.of(time("m", 100e-6)), List.of(time("m", 130e-6)));
        Gate.Result r = gate(c, 5);
        assertThat(StatFormat.TEXT.render(c, r)).contains("1 of 2 checks (rows x columns) regressed")
                .containsPattern("  B\\.m  sec/op  c2\\.json  \\+30\\.00%  p=");
        assertThat(StatFormat.MARKDOWN.render(c, r)).contains("| benchmark | metric | column | change | p | limit |")
                .contains("| B.m | sec/op | c2.json | +30.00% |");
    }

    @Test
    void csvIsTheSameWithAGate() {
        Comparison c = compare(List.of(time("m", 100e-6)), List.of(time("m", 120e-6)));
        assertThat(StatFormat.CSV.render(c, gate(c, 5))).isEqualTo(StatFormat.CSV.render(c));
    }

    @Test
    void jsonAddsTheGateFieldsToNonBaselineColumnsOnly() throws Exception {
        Comparison c = compare(List.of(time("m", 100e-6), time("n", 100e-6), time("free", 100e-6)),
                List.of(time("m", 120e-6), time("n", 103e-6), time("free", 200e-6)));
        Gate.Result r = gate(c, row -> row.name().equals("B.free") ? null : Limit.of(5));
        JsonNode rows = new ObjectMapper().readTree(StatFormat.JSON.render(c, r));
        JsonNode plain = new ObjectMapper().readTree(StatFormat.JSON.render(c));
        assertThat(rows).hasSize(plain.size());
        for (JsonNode row : rows) {
            JsonNode base = row.get("columns").get(0);
            assertThat(base.has("limit_percent") || base.has("regressed") || base.has("gate")).isFalse();
            JsonNode col = row.get("columns").get(1);
            String name = row.get("name").asText();
            switch (name) {
                case "B.m" -> {
                    assertThat(col.get("limit_percent").asDouble()).isEqualTo(5.0);
                    assertThat(col.get("regressed").asBoolean()).isTrue();
                    assertThat(col.get("gate").asText()).isEqualTo("regressed");
                }
                case "B.n" -> {
                    assertThat(col.get("regressed").isBoolean()).isTrue();
                    assertThat(col.get("regressed").asBoolean()).isFalse();
                    assertThat(col.get("gate").asText()).isEqualTo("within_limit");
                }
                case "B.free" -> {
                    assertThat(col.get("limit_percent").isNull()).isTrue();
                    assertThat(col.get("regressed").isNull()).isTrue();
                    assertThat(col.get("gate").asText()).isEqualTo("no_limit");
                }
                case "geomean" -> assertThat(col.has("limit_percent")).isFalse();
                default -> throw new AssertionError(name);
            }
        }
    }
}
