package dev.proflab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proflab.stats.Comparison.Cell;
import dev.proflab.stats.Comparison.Row;
import dev.proflab.stats.Comparison.Table;
import dev.proflab.stats.Comparison.Warning;
import dev.proflab.stats.JmhReader.JmhResult;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    private static Comparison compare(StatOptions opts, String... names) {
        return Comparison.compute(Arrays.stream(names).map(TestFiles::input).toList(), opts);
    }

    private static Row row(Comparison c, String metric, String name) {
        return c.rows().stream().filter(r -> r.metric().equals(metric) && r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + metric + " " + name + " in "
                        + c.rows().stream().map(r -> r.metric() + " " + r.name()).toList()));
    }

    private static double median(List<double[]> forks) {
        double[] all = forks.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
        return MedianCI.median(all);
    }

    @Test
    void pairsRowsAcrossFilesByBenchmarkAndParams() {
        Comparison c = compare(StatOptions.defaults(), "fib-old.json", "fib-new.json");
        assertThat(c.columns()).containsExactly("fib-old.json", "fib-new.json");
        assertThat(c.tables()).extracting(Table::metric).containsExactly("sec/op", "B/op");
        assertThat(c.tables().get(0).rows()).extracting(Row::name)
                .containsExactly("FibBench.fib/n=20", "FibBench.fib/n=32", "StringBench.concat/size=16");

        Row fib32 = row(c, "sec/op", "FibBench.fib/n=32");
        assertThat(fib32.benchmark()).isEqualTo("dev.proflab.bench.FibBench.fib");
        assertThat(fib32.params()).containsExactly(Map.entry("n", "32"));
        assertThat(fib32.unit()).isEqualTo("ns/op");
        Cell old = fib32.cell(0);
        Cell now = fib32.cell(1);
        double oldMedian = median(JmhReader.read(TestFiles.file("fib-old.json")).get(1).forks());
        double newMedian = median(JmhReader.read(TestFiles.file("fib-new.json")).get(1).forks());
        assertThat(old.n()).isEqualTo(10);
        assertThat(old.median()).isEqualTo(oldMedian);
        assertThat(now.median()).isEqualTo(newMedian);
        assertThat(old.delta()).isNull();
        // 10 + 10 completely separated samples: exact p = 2 / C(20, 10).
        assertThat(now.delta().pValue()).isCloseTo(2.0 / 184756, within(1e-15));
        assertThat(now.delta().significant()).isTrue();
        assertThat(now.delta().percent()).isCloseTo((newMedian / oldMedian - 1) * 100, within(1e-9));
        assertThat(now.delta().baseN()).isEqualTo(10);
        // Ten samples: the interval is x(2)..x(9).
        double[] sorted = JmhReader.read(TestFiles.file("fib-old.json")).get(1).forks().stream()
                .flatMapToDouble(Arrays::stream).sorted().toArray();
        assertThat(old.ciLow()).isEqualTo(sorted[1]);
        assertThat(old.ciHigh()).isEqualTo(sorted[8]);

        Row concat = row(c, "sec/op", "StringBench.concat/size=16");
        assertThat(concat.cell(1).delta().significant()).isFalse();
        assertThat(concat.cell(1).delta().pValue()).isGreaterThan(0.05);
    }

    @Test
    void poolsEntriesWithTheSameBenchmarkAndParamsInOneFile() {
        Comparison c = compare(StatOptions.defaults(), "thrpt-rounds.json");
        assertThat(c.rows()).hasSize(1);
        Row r = c.rows().get(0);
        assertThat(r.metric()).isEqualTo("ops/s");
        assertThat(r.mode()).isEqualTo("thrpt");
        List<JmhResult> raw = JmhReader.read(TestFiles.file("thrpt-rounds.json"));
        assertThat(r.cell(0).n()).isEqualTo(10);
        assertThat(r.cell(0).median()).isEqualTo(median(List.of(raw.get(0).forks().get(0), raw.get(1).forks().get(0))));
        assertThat(c.tables().get(0).geomean()).isNull(); // one row: no summary, as benchstat
    }

    @Test
    void colParamMakesColumnsOfOneFile() {
        Comparison c = compare(StatOptions.defaults().withColParam("impl"), "fib-impl.json");
        assertThat(c.columns()).containsExactly("recursive", "memo");
        Table time = c.tables().get(0);
        assertThat(time.rows()).extracting(Row::name).containsExactly("FibBench.fibImpl/n=20", "FibBench.fibImpl/n=32");
        Row n32 = time.rows().get(1);
        assertThat(n32.params()).containsExactly(Map.entry("n", "32"));
        assertThat(n32.cell(0).median()).isBetween(25e-3, 28e-3); // recursive fib(32): ~26 ms
        assertThat(n32.cell(1).median()).isBetween(1.6e-6, 1.8e-6); // memo: ~1.7 us
        assertThat(n32.cell(1).delta().significant()).isTrue();

        Comparison reordered = compare(StatOptions.defaults().withColParam("impl", List.of("memo")), "fib-impl.json");
        assertThat(reordered.columns()).containsExactly("memo", "recursive");
        assertThat(reordered.rows().get(1).cell(1).delta().percent()).isGreaterThan(1e6);
    }

    @Test
    void colParamWithSeveralFilesNamesColumnsByFileAndValue() {
        Comparison c = compare(StatOptions.defaults().withColParam("impl"), "fib-impl.json", "fib-impl.json");
        assertThat(c.columns()).containsExactly("fib-impl.json:recursive", "fib-impl.json:memo",
                "fib-impl.json:recursive", "fib-impl.json:memo");
        // The same data in columns 0 and 2: no difference at all.
        Cell same = c.rows().get(0).cell(2);
        assertThat(same.delta().percent()).isZero();
        assertThat(same.delta().significant()).isFalse();
    }

    @Test
    void resultsWithoutTheColumnParamAreLeftOutWithAWarning() {
        Comparison c = compare(StatOptions.defaults().withColParam("n"), "fib-old.json");
        assertThat(c.columns()).containsExactly("20", "32");
        assertThat(c.rows()).extracting(Row::name).containsExactly("FibBench.fib", "FibBench.fib");
        assertThat(c.warnings()).extracting(Warning::kind).contains(Warning.Kind.NO_PARAM);
        assertThat(c.warnings().stream().filter(w -> w.kind() == Warning.Kind.NO_PARAM).findFirst().orElseThrow()
                .message()).isEqualTo("1 result(s) without param 'n' are not shown");
    }

    @Test
    void geomeanOfEachColumnAndOfTheRatios() {
        Comparison c = compare(StatOptions.defaults(), "fib-old.json", "fib-new.json");
        Table time = c.tables().get(0);
        double logOld = 0;
        double logNew = 0;
        double logRatio = 0;
        for (Row r : time.rows()) {
            logOld += Math.log(r.cell(0).median());
            logNew += Math.log(r.cell(1).median());
            logRatio += Math.log(r.cell(1).median() / r.cell(0).median());
        }
        int n = time.rows().size();
        assertThat(time.geomean().counts()).containsExactly(3, 3);
        assertThat(time.geomean().values().get(0)).isCloseTo(Math.exp(logOld / n), within(1e-15));
        assertThat(time.geomean().values().get(1)).isCloseTo(Math.exp(logNew / n), within(1e-15));
        assertThat(time.geomean().ratioPercent().get(0)).isNaN();
        assertThat(time.geomean().ratioPercent().get(1)).isCloseTo((Math.exp(logRatio / n) - 1) * 100, within(1e-9));
    }

    @Test
    void geomeanLeavesOutRowsWithZeroValues() {
        JmhResult zero = result("x.A.zero", "avgt", Map.of(), 0.0);
        JmhResult one = result("x.A.one", "avgt", Map.of(), 2e-9);
        JmhResult two = result("x.A.two", "avgt", Map.of(), 8e-9);
        List<StatInput> inputs = List.of(StatInput.of("a", Path.of("a.json")));
        Comparison c = Comparison.compute(inputs, List.of(List.of(zero, one, two)), StatOptions.defaults());
        Comparison.Geomean g = c.tables().get(0).geomean();
        assertThat(g.counts()).containsExactly(2);
        assertThat(g.skipped()).isEqualTo(1);
        assertThat(g.values().get(0)).isCloseTo(4e-9, within(1e-20));
        assertThat(c.warnings()).extracting(Warning::toString)
                .contains("geomean leaves out 1 of 3 rows with a median <= 0: sec/op");
    }

    @Test
    void modeIsShownOnlyWhenOneBenchmarkRanInSeveralModes() {
        JmhResult avgt = result("x.A.run", "avgt", Map.of("n", "1"), 1e-6);
        JmhResult sample = result("x.A.run", "sample", Map.of("n", "1"), 1.1e-6);
        JmhResult other = result("x.B.run", "avgt", Map.of(), 1e-6);
        List<StatInput> inputs = List.of(StatInput.of("a", Path.of("a.json")));
        Comparison c = Comparison.compute(inputs, List.of(List.of(avgt, sample, other)), StatOptions.defaults());
        assertThat(c.rows()).extracting(Row::name).containsExactly("A.run/mode=avgt/n=1", "A.run/mode=sample/n=1", "B.run");
    }

    @Test
    void commonPackagePrefixIsStripped() {
        JmhResult a = result("dev.proflab.bench.alloc.AllocBench.run", "avgt", Map.of(), 1e-6);
        JmhResult b = result("dev.proflab.bench.fib.FibBench.fib", "avgt", Map.of(), 1e-6);
        JmhResult c = result("Plain.run", "avgt", Map.of(), 1e-6);
        List<StatInput> inputs = List.of(StatInput.of("a", Path.of("a.json")));
        assertThat(Comparison.compute(inputs, List.of(List.of(a, b)), StatOptions.defaults()).rows())
                .extracting(Row::name).containsExactly("alloc.AllocBench.run", "fib.FibBench.fib");
        assertThat(Comparison.compute(inputs, List.of(List.of(a, b, c)), StatOptions.defaults()).rows())
                .extracting(Row::name)
                .containsExactly("dev.proflab.bench.alloc.AllocBench.run", "dev.proflab.bench.fib.FibBench.fib", "Plain.run");
    }

    @Test
    void warnsAboutTooFewSamples() {
        // 3 + 3 samples: no finite 95% interval (needs 6), and p can never be below 0.1.
        JmhResult a = result("x.A.run", "avgt", Map.of(), 1e-6, 1.1e-6, 1.2e-6);
        JmhResult b = result("x.A.run", "avgt", Map.of(), 2e-6, 2.1e-6, 2.2e-6);
        List<StatInput> inputs = List.of(StatInput.of("old", Path.of("old.json")), StatInput.of("new", Path.of("new.json")));
        Comparison c = Comparison.compute(inputs, List.of(List.of(a), List.of(b)), StatOptions.defaults());
        Cell cell = c.rows().get(0).cell(1);
        assertThat(cell.ciFinite()).isFalse();
        assertThat(cell.delta().pValue()).isCloseTo(0.1, within(1e-15));
        assertThat(cell.delta().significant()).isFalse();
        assertThat(c.warnings()).extracting(Warning::toString).containsExactly(
                "too few samples for a finite 95% confidence interval (shown as ±∞): need >= 6 per cell, have 3:"
                        + " A.run [sec/op, old], A.run [sec/op, new]",
                "n=3+3 samples can never give p <= 0.05 (smallest possible p is 0.100): need >= 4 samples in each"
                        + " column to detect a difference: A.run [sec/op, new]");
        // With alpha 0.2 the same samples can be significant: no power warning.
        Comparison loose = Comparison.compute(inputs, List.of(List.of(a), List.of(b)),
                StatOptions.defaults().withAlpha(0.2));
        assertThat(loose.rows().get(0).cell(1).delta().significant()).isTrue();
        assertThat(loose.warnings()).extracting(Warning::kind).containsExactly(Warning.Kind.NO_CI);
    }

    @Test
    void warnsAboutForkEffects() {
        Comparison c = compare(StatOptions.defaults(), "fork-effect.json");
        assertThat(c.warnings()).hasSize(1);
        Warning w = c.warnings().get(0);
        assertThat(w.kind()).isEqualTo(Warning.Kind.FORK_EFFECT);
        assertThat(w.subjects()).containsExactly("FibBench.fib/n=25 [sec/op, fork-effect.json]");
        assertThat(w.message()).startsWith("forks disagree: their medians spread 15% of the median but the 95%"
                + " interval is only ±");
        // The well-behaved files have none.
        assertThat(compare(StatOptions.defaults(), "fib-old.json", "fib-new.json").warnings()).isEmpty();
    }

    @Test
    void warnsAboutBenchmarksMissingFromAColumn() {
        JmhResult a = result("x.A.run", "avgt", Map.of(), 1e-6, 1e-6, 1e-6, 1e-6, 1e-6, 1e-6);
        JmhResult b = result("x.B.run", "avgt", Map.of(), 1e-6, 1e-6, 1e-6, 1e-6, 1e-6, 1e-6);
        List<StatInput> inputs = List.of(StatInput.of("old", Path.of("old.json")), StatInput.of("new", Path.of("new.json")));
        Comparison c = Comparison.compute(inputs, List.of(List.of(a, b), List.of(a)), StatOptions.defaults());
        assertThat(c.rows().get(1).cell(1).present()).isFalse();
        assertThat(c.rows().get(1).cell(1).median()).isNaN();
        assertThat(c.warnings()).extracting(Warning::toString).containsExactly(
                "missing from new, present in the baseline old: B.run [sec/op]",
                "benchmark set differs from baseline; geomeans may not be comparable: sec/op, new");
    }

    @Test
    void optionsAreValidated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StatOptions.defaults().withAlpha(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("alpha must be between 0 and 1 (exclusive), got 0.0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StatOptions.defaults().withConfidence(1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** One fork of samples (seconds per op). */
    static JmhResult result(String benchmark, String mode, Map<String, String> params, double... samples) {
        double[] s = samples.length == 1 ? new double[] {samples[0], samples[0], samples[0], samples[0], samples[0],
            samples[0]} : samples;
        return new JmhResult(benchmark, mode, new LinkedHashMap<>(params), "s/op", "sec/op", List.of(s), null);
    }
}
