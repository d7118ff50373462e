package dev.proflab.stats.chart;

import dev.proflab.stats.Comparison;
import dev.proflab.stats.StatInput;
import dev.proflab.stats.StatOptions;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chart of real comparisons: {@code chart/fib-compare.json} and {@code chart/mutex-compare.json}
 * were written by {@code proflab compare fib} and {@code proflab compare mutex} (5 rounds x 2
 * iterations). {@code -Dchart.keep=DIR} keeps the SVGs to look at.
 */
class ComparisonChartTest {

    static Path resource(String name) {
        try {
            return Path.of(ComparisonChartTest.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Comparison fib() {
        return Comparison.compute(List.of(StatInput.of("fib.json", resource("chart/fib-compare.json"))),
                new StatOptions(0.05, 0.95, "impl", List.of("recursive", "memo", "iterative")));
    }

    @Test
    void aRunThatCannotDecideSaysSoInItsSubtitle() throws Exception {
        // a real compare fib --count 1 --iterations 3: 3+3 samples, no column can be told from the baseline
        Comparison c = Comparison.compute(List.of(StatInput.of("fib-few.json", resource("chart/fib-few.json"))),
                new StatOptions(0.05, 0.95, "impl", List.of("recursive", "memo", "iterative")));
        String svg = ComparisonChart.svg(c, ComparisonChart.Options.defaults().withTitle("compare fib"));
        parse(svg);
        assertThat(svg).contains("memo: inconclusive, iterative: inconclusive, against recursive (FibBench.fib/n=35)")
                .doesNotContain("inconclusive than");
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static void keep(String name, String svg) throws IOException {
        String dir = System.getProperty("chart.keep");
        if (dir != null && !dir.isBlank()) {
            Files.createDirectories(Path.of(dir));
            Files.writeString(Path.of(dir, name), svg, StandardCharsets.UTF_8);
        }
    }

    @Test
    void fibComparisonHasEverySampleAMedianAndTheVerdict() throws Exception {
        Comparison c = fib();
        String svg = ComparisonChart.svg(c, ComparisonChart.Options.defaults().withTitle("compare fib"));
        keep("fib.svg", svg);
        Document d = parse(svg);
        // one dot per sample, in every panel (sec/op and B/op)
        int samples = c.rows().stream().flatMap(r -> r.cells().stream()).mapToInt(Comparison.Cell::n).sum();
        assertThat(d.getElementsByTagName("circle").getLength()).isEqualTo(samples);
        assertThat(svg).contains(">compare fib</text>");
        assertThat(svg).contains("memo is ", "× faster", "iterative is ", "than recursive (FibBench.fib/n=35)");
        // recursive's B/op is JMH's bookkeeping over ~7 calls per iteration: no ratio against it
        assertThat(svg).contains("~ the baseline is below what -prof gc can resolve",
                "~ both below what -prof gc can resolve");
        assertThat(svg).doesNotContain("the bytes (p");
        assertThat(svg).contains("time per operation (sec/op), lower is better",
                "bytes allocated per operation (B/op), lower is better");
        // tick labels with SI prefixes
        assertThat(texts(d)).contains("10 ns", "1 µs", "1 ms", "1 kB");
        // medians: recursive right of memo right of iterative (log axis, time)
        List<Double> medians = medianXs(d);
        assertThat(medians).hasSize(6);
        assertThat(medians.get(0)).isGreaterThan(medians.get(1));
        assertThat(medians.get(1)).isGreaterThan(medians.get(2));
        assertThat(ComparisonChart.svg(c)).isEqualTo(ComparisonChart.svg(c));
    }

    @Test
    void cellsCarryTheirSortedSamples() {
        Comparison.Cell cell = fib().rows().get(0).cell(1);
        double[] samples = cell.samples();
        assertThat(samples).hasSize(cell.n()).isSorted();
        samples[0] = -1;
        assertThat(cell.samples()[0]).as("a copy").isPositive();
        assertThat(new Comparison.Cell("x", 0, Double.NaN, Double.NaN, Double.NaN, null).samples()).isEmpty();
    }

    @Test
    void throughputAndManyColumns() throws Exception {
        Comparison c = Comparison.compute(List.of(StatInput.of("mutex.json", resource("chart/mutex-compare.json"))),
                new StatOptions(0.05, 0.95, "impl", List.of()));
        String svg = ComparisonChart.svg(c);
        keep("mutex.svg", svg);
        Document d = parse(svg);
        assertThat(d.getDocumentElement().getAttribute("width")).isEqualTo("1000");
        int samples = c.rows().stream().flatMap(r -> r.cells().stream()).mapToInt(Comparison.Cell::n).sum();
        assertThat(d.getElementsByTagName("circle").getLength()).isEqualTo(samples);
    }

    @Test
    void oldVersusNewFilesWithSeveralRows() throws Exception {
        Comparison c = Comparison.compute(List.of(StatInput.of("old.json", resource("stats/fib-old.json")),
                StatInput.of("new.json", resource("stats/fib-new.json"))), StatOptions.defaults());
        String svg = ComparisonChart.svg(c);
        keep("old-new.svg", svg);
        parse(svg);
        assertThat(svg).contains("old.json", "new.json", "FibBench.fib/n=20", "StringBench.concat/size=16");
        assertThat(ComparisonChart.headline(c)).isEmpty(); // several rows: no one-line verdict
    }

    @Test
    void siPrefixes() {
        assertThat(SiFormat.value(0.02797, "sec/op")).isEqualTo("27.97 ms");
        assertThat(SiFormat.value(0.028, "sec/op")).isEqualTo("28 ms");
        assertThat(SiFormat.value(4.37e-7, "sec/op")).isEqualTo("437 ns");
        assertThat(SiFormat.value(5.782e-9, "sec/op")).isEqualTo("5.782 ns");
        assertThat(SiFormat.value(0.99997, "sec/op")).isEqualTo("1 s");
        assertThat(SiFormat.tick(999.7, "sec/op")).isEqualTo("1 ks");
        assertThat(SiFormat.value(2208, "B/op")).isEqualTo("2.156 KiB");
        assertThat(SiFormat.value(869, "B/op")).isEqualTo("869 B");
        assertThat(SiFormat.tick(1000, "B/op")).isEqualTo("1 kB");
        assertThat(SiFormat.value(0.0001994, "B/op")).isEqualTo("0.0002 B");
        assertThat(SiFormat.value(1.52e6, "ops/s")).isEqualTo("1.52 Mops/s");
        assertThat(SiFormat.value(0, "B/op")).isEqualTo("0 B");
        assertThat(SiFormat.tick(1e-6, "sec/op")).isEqualTo("1 µs");
        assertThat(SiFormat.tick(100, "B/op")).isEqualTo("100 B");
    }

    @Test
    void logAxisTicks() {
        LogAxis wide = LogAxis.of(5e-9, 0.03, 0, 1000);
        assertThat(wide.ticks()).containsExactly(1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2);
        assertThat(wide.x(5e-9)).isGreaterThan(0).isLessThan(wide.x(1e-8));
        assertThat(wide.x(1e-3)).isLessThan(1000);
        LogAxis decade = LogAxis.of(3e-7, 6e-6, 0, 1000);
        assertThat(decade.ticks()).contains(5e-7, 1e-6, 2e-6, 5e-6);
        LogAxis narrow = LogAxis.of(0.0275, 0.0285, 0, 1000);
        assertThat(narrow.ticks()).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(t -> assertThat(t).isBetween(narrow.min(), narrow.max()));
        LogAxis point = LogAxis.of(2, 2, 0, 100);
        assertThat(point.x(2)).isCloseTo(50, org.assertj.core.data.Offset.offset(0.01));
        assertThatThrownBy(() -> LogAxis.of(0, 1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratios() {
        assertThat(ComparisonChart.ratioWords(1, 64012.3, "sec/op")).isEqualTo("64,000× faster");
        assertThat(ComparisonChart.ratioWords(2.13, 1, "sec/op")).isEqualTo("2.13× slower");
        assertThat(ComparisonChart.ratioWords(3, 2, "ops/s")).isEqualTo("1.50× the throughput");
        assertThat(ComparisonChart.ratioWords(0.0002, 2208, "B/op")).isEqualTo("allocates nothing (under 1 B/op)");
        assertThat(ComparisonChart.ratioWords(2208, 869, "B/op")).isEqualTo("2.54× the bytes");
    }

    private static List<String> texts(Document d) {
        List<String> out = new ArrayList<>();
        NodeList ts = d.getElementsByTagName("text");
        for (int i = 0; i < ts.getLength(); i++) {
            out.add(ts.item(i).getTextContent());
        }
        return out;
    }

    /** x of the median bars (the thick black lines), in drawing order. */
    private static List<Double> medianXs(Document d) {
        List<Double> out = new ArrayList<>();
        NodeList ls = d.getElementsByTagName("line");
        for (int i = 0; i < ls.getLength(); i++) {
            Element l = (Element) ls.item(i);
            if ("2.5".equals(l.getAttribute("stroke-width"))) {
                out.add(Double.parseDouble(l.getAttribute("x1")));
            }
        }
        return out;
    }
}
