package dev.proflab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proflab.profile.ValueType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The profile gate's decisions on diff rows made by hand: what fails (significant, grew, beyond the limit), what
 * passes, which rule a function gets, and what it refuses to judge.
 */
class DiffGateTest {

    /** A row with its shares in percent and whether each test called the change significant. */
    static Diff.Row row(String name, double baseFlat, double flat, boolean flatSig, double baseCum, double cum,
                        boolean cumSig) {
        double bf = baseFlat / 100;
        double f = flat / 100;
        double bc = baseCum / 100;
        double c = cum / 100;
        double qf = flatSig ? 0.01 : 0.5;
        double qc = cumSig ? 0.02 : 0.6;
        return new Diff.Row(name, 0, 0, 0, 0, bf, f, f - bf, bc, c, c - bc, flatSig || cumSig, 0.001,
                Math.min(qf, qc), name, flatSig, cumSig, qf, qc);
    }

    static Diff.Result diff(String limitation, Diff.Normalize normalize, Diff.Row... rows) {
        Header h = new Header("new.jfr", "async-profiler", "", "cpu", 10_000_000, null,
                new ValueType("cpu", "nanoseconds"), 1000, 100, List.of());
        Diff.Node root = new Diff.Node("all", null, "", 0, 0, 0, 0, 0, 0, 0, 0, 0, false, List.of());
        return new Diff.Result(normalize, h, h, List.of(), root, List.of(rows), 0.05, 2 * rows.length, limitation, 3, 3);
    }

    static Diff.Result diff(Diff.Row... rows) {
        return diff(null, Diff.Normalize.TOTAL, rows);
    }

    static DiffGate.Rule rule(String regex, String limit) {
        return new DiffGate.Rule(Regex.compile("--max-growth", regex),
                limit == null ? null : DiffGate.Limit.of(DiffGate.Limit.points(limit), "--max-growth"));
    }

    static final Diff.Row CHECKSUM = row("Workload.checksum", 5.83, 12.39, true, 5.83, 12.55, true);
    static final Diff.Row MATRIX = row("Workload.matrix", 15.95, 12.31, false, 16.26, 12.55, false);
    static final Diff.Row WRAP = row("java.util.stream.AbstractPipeline.wrapSink", 6.2, 2.18, true, 7.61, 2.49, true);

    @Test
    void aSignificantGrowthBeyondItsLimitFails() {
        DiffGate.Result g = DiffGate.check(diff(CHECKSUM, MATRIX, WRAP), List.of(rule("Workload\\.", "2pp")),
                DiffGate.Measure.CUM);
        assertThat(g.judged()).isTrue();
        assertThat(g.failed()).isTrue();
        assertThat(g.failures()).singleElement().satisfies(c -> {
            assertThat(c.row().name()).isEqualTo("Workload.checksum");
            assertThat(c.growth()).isCloseTo(6.72, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(c.baseShare()).isCloseTo(5.83, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(c.q()).isEqualTo(0.02);
            assertThat(c.limit().label()).isEqualTo("2pp");
        });
        assertThat(g.of("Workload.matrix").status()).isEqualTo(DiffGate.Status.PASSED);
        assertThat(g.unchecked()).isEqualTo(1);
        assertThat(TextReport.diffGate(g)).startsWith("profile gate: 1 of 2 functions grew beyond its limit")
                .contains("Workload.checksum  cum 5.83% -> 12.55%  +6.72pp  q=0.0200  limit 2pp (--max-growth)");
    }

    @Test
    void aSignificantGrowthWithinItsLimitPassesAndEqualToItToo() {
        DiffGate.Result g = DiffGate.check(diff(CHECKSUM), List.of(rule("checksum", "10pp")), DiffGate.Measure.CUM);
        assertThat(g.failed()).isFalse();
        assertThat(g.with(DiffGate.Status.WITHIN_LIMIT)).hasSize(1);
        assertThat(TextReport.diffGate(g)).startsWith("profile gate: no function grew beyond its limit (1 function checked")
                .contains("1 grew significantly within its limit: Workload.checksum +6.72pp (limit 10pp)");
        Diff.Row exactly = row("f", 1, 3, true, 1, 3, true);
        assertThat(DiffGate.check(diff(exactly), List.of(rule("f", "2pp")), DiffGate.Measure.CUM).failed()).isFalse();
    }

    @Test
    void aGrowthTheTestDoesNotCallSignificantPassesEvenAtZero() {
        Diff.Row noisy = row("Workload.tokenize", 2, 9, false, 2, 9, false);
        DiffGate.Result g = DiffGate.check(diff(noisy), List.of(rule("tokenize", "0pp")), DiffGate.Measure.CUM);
        assertThat(g.failed()).isFalse();
        assertThat(g.of("Workload.tokenize").status()).isEqualTo(DiffGate.Status.PASSED);
    }

    @Test
    void aSignificantFallNeverFails() {
        DiffGate.Result g = DiffGate.check(diff(WRAP), List.of(rule("wrapSink", "0pp")), DiffGate.Measure.CUM);
        assertThat(g.failed()).isFalse();
        assertThat(g.checks()).singleElement().extracting(DiffGate.Check::status).isEqualTo(DiffGate.Status.PASSED);
    }

    @Test
    void zeroPointsFailsAnySignificantGrowth() {
        Diff.Row small = row("f", 1, 1.3, true, 1, 1.3, true);
        assertThat(DiffGate.check(diff(small), List.of(rule("f", "0pp")), DiffGate.Measure.CUM).failed()).isTrue();
    }

    @Test
    void theFirstRuleThatFindsAFunctionGivesItsLimitAndNoneExempts() {
        Diff.Row tokenize = row("Workload.tokenize", 2, 4, true, 2, 4, true);
        List<DiffGate.Rule> rules = List.of(rule("checksum", "10pp"), rule("tokenize", null), rule("Workload\\.", "1pp"));
        DiffGate.Result g = DiffGate.check(diff(CHECKSUM, tokenize, MATRIX), rules, DiffGate.Measure.CUM);
        assertThat(g.of("Workload.checksum").limit().points()).isEqualTo(10);
        assertThat(g.of("Workload.checksum").status()).isEqualTo(DiffGate.Status.WITHIN_LIMIT);
        assertThat(g.of("Workload.tokenize").status()).isEqualTo(DiffGate.Status.EXEMPT);
        assertThat(g.of("Workload.matrix").limit().points()).isEqualTo(1);
        assertThat(g.failed()).isFalse();
        assertThat(TextReport.diffGate(g)).contains("2 functions checked", "1 function exempt (a rule with limit none)");
    }

    @Test
    void flatReadsTheFlatTestAndCumTheCumTest() {
        // the callee's time moved into the function itself: flat grew significantly, cum did not
        Diff.Row inlined = row("Foo.bar", 1, 6, true, 10, 11, false);
        List<DiffGate.Rule> rules = List.of(rule("Foo", "2pp"));
        assertThat(DiffGate.check(diff(inlined), rules, DiffGate.Measure.CUM).failed()).isFalse();
        DiffGate.Result flat = DiffGate.check(diff(inlined), rules, DiffGate.Measure.FLAT);
        assertThat(flat.failed()).isTrue();
        assertThat(flat.failures().get(0).q()).isEqualTo(0.01);
        assertThat(TextReport.diffGate(flat)).contains("flat 1.00% -> 6.00%  +5.00pp");
    }

    @Test
    void aRuleThatFindsNoFunctionIsAnErrorNamingIt() {
        assertThatThrownBy(() -> DiffGate.check(diff(CHECKSUM), List.of(rule("checksum", "2pp"), rule("Wrkload", "2pp")),
                DiffGate.Measure.CUM))
                .isInstanceOf(ReportException.class)
                .hasMessage("--max-growth: 'Wrkload' matches no function in either profile (a rule that finds nothing"
                        + " checks nothing)");
    }

    @Test
    void whenTheDiffCannotClaimTheGateSaysSoInsteadOfPassing() {
        String why = "One recording on each side cannot tell a change from the differences between runs.";
        DiffGate.Result g = DiffGate.check(diff(why, Diff.Normalize.TOTAL, CHECKSUM), List.of(rule("checksum", "2pp")),
                DiffGate.Measure.CUM);
        assertThat(g.judged()).isFalse();
        assertThat(g.limitation()).isEqualTo(why);
        assertThat(g.checks()).isEmpty();
        assertThat(TextReport.diffGate(g)).isEqualTo("profile gate: not judged: " + why + "\n");
        // even then a typo is one
        assertThatThrownBy(() -> DiffGate.check(diff(why, Diff.Normalize.TOTAL, CHECKSUM),
                List.of(rule("nothing", "2pp")), DiffGate.Measure.CUM)).isInstanceOf(ReportException.class);
    }

    @Test
    void perSecondValuesAreNotPoints() {
        assertThatThrownBy(() -> DiffGate.check(diff(null, Diff.Normalize.DURATION, CHECKSUM),
                List.of(rule("checksum", "2pp")), DiffGate.Measure.CUM))
                .isInstanceOf(ReportException.class).hasMessageContaining("--normalize total");
    }

    @Test
    void limitsArePercentagePoints() {
        assertThat(DiffGate.Limit.points("2pp")).isEqualTo(2);
        assertThat(DiffGate.Limit.points("0.5pp")).isEqualTo(0.5);
        assertThat(DiffGate.Limit.points(".5PP")).isEqualTo(0.5);
        assertThat(DiffGate.Limit.points("0pp")).isZero();
        assertThat(DiffGate.Limit.points(" 100pp ")).isEqualTo(100);
        for (String bad : new String[] {"2", "2%", "-1pp", "101pp", "pp", "2 pp", "1e3pp", "NaNpp", "", null}) {
            assertThat(DiffGate.Limit.points(bad)).as(bad).isNaN();
        }
        assertThat(DiffGate.Limit.of(0.5, "x").label()).isEqualTo("0.5pp");
        assertThat(DiffGate.Limit.of(2, "x").label()).isEqualTo("2pp");
        assertThat(DiffGate.Measure.parse("FLAT")).isEqualTo(DiffGate.Measure.FLAT);
        assertThatThrownBy(() -> DiffGate.Measure.parse("self")).isInstanceOf(ReportException.class);
    }
}
