package dev.proflab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gives one line that names the file and the problem. */
class BadInputTest {

    private static String message(String name) {
        return message(TestFiles.input(name));
    }

    private static String message(StatInput in) {
        try {
            Comparison.compute(List.of(in));
        } catch (StatException e) {
            assertThat(e.getMessage()).as("one line").doesNotContain("\n").doesNotContain("\r");
            assertThat(e.file()).isEqualTo(in.file());
            return e.getMessage();
        }
        throw new AssertionError("no StatException for " + in);
    }

    @Test
    void emptyFile() {
        assertThat(message("bad/empty.json")).isEqualTo(
                TestFiles.file("bad/empty.json") + ": file is empty (expected JMH JSON output, as written by -rf json)");
    }

    @Test
    void notJson() {
        assertThat(message("bad/not-json.html")).isEqualTo(TestFiles.file("bad/not-json.html")
                + ": not valid JSON: Unexpected character ('<' (code 60)) at line 1, column 1"
                + " (expected JMH JSON output, as written by -rf json)");
    }

    @Test
    void jmhTextOutputGetsAHint() {
        assertThat(message("bad/jmh-text-output.txt")).isEqualTo(TestFiles.file("bad/jmh-text-output.txt")
                + ": this is JMH's text output, not JSON: run the benchmarks with -rf json -rff FILE.json"
                + " and compare those files");
    }

    @Test
    void jsonButNotJmh() {
        assertThat(message("bad/not-jmh.json")).isEqualTo(TestFiles.file("bad/not-jmh.json")
                + ": JSON, but not JMH output: the top level is an object, not the array of results JMH writes"
                + " (expected the file written by -rf json)");
        assertThat(message("bad/not-jmh-array.json")).isEqualTo(TestFiles.file("bad/not-jmh-array.json")
                + ": JSON, but not JMH output: result #1 has no \"benchmark\" name (expected the file written by -rf json)");
        assertThat(message("bad/empty-array.json")).isEqualTo(TestFiles.file("bad/empty-array.json")
                + ": no benchmark results (the JSON array is empty)");
    }

    @Test
    void resultWithoutRawData() {
        assertThat(message("bad/no-rawdata.json")).isEqualTo(TestFiles.file("bad/no-rawdata.json")
                + ": result #1 (dev.proflab.bench.FibBench.fib) has no primaryMetric.rawData"
                + " (needed for the statistics; JMH writes it unless -Djmh.json.rawData=false)");
    }

    @Test
    void truncatedJson() {
        assertThat(message("bad/truncated.json")).isEqualTo(TestFiles.file("bad/truncated.json")
                + ": truncated JSON: the file ends at line 97, column 5 in the middle of result #1"
                + " (was the benchmark run interrupted?)");
    }

    @Test
    void missingFileAndDirectory(@TempDir Path tmp) {
        Path missing = tmp.resolve("nope.json");
        assertThat(message(StatInput.of(missing))).isEqualTo(missing + ": no such file");
        assertThat(message(StatInput.of(tmp))).isEqualTo(tmp + ": is a directory, not a JMH JSON file");
    }

    @Test
    void unsupportedUnitAndNonNumericSamples(@TempDir Path tmp) throws Exception {
        String ok = Files.readString(TestFiles.file("no-params.json"));
        Path unit = tmp.resolve("unit.json");
        Files.writeString(unit, ok.replace("\"us/op\"", "\"furlongs/op\""));
        assertThat(message(StatInput.of(unit))).isEqualTo(unit + ": result #1 (dev.proflab.bench.Noop.run) has an"
                + " unsupported scoreUnit \"furlongs/op\" (expected a time per op like ns/op or a throughput like ops/s)");
        Path nan = tmp.resolve("nan.json");
        Files.writeString(nan, ok.replace("1.25,", "\"NaN\","));
        assertThat(message(StatInput.of(nan))).isEqualTo(nan + ": result #1 (dev.proflab.bench.Noop.run) has a"
                + " non-numeric sample (NaN) in primaryMetric.rawData");
    }

    @Test
    void theFirstBadFileOfSeveralIsNamed() {
        StatInput good = TestFiles.input("fib-old.json");
        StatInput bad = TestFiles.input("bad/truncated.json");
        assertThatThrownBy(() -> Comparison.compute(List.of(good, bad)))
                .isInstanceOf(StatException.class)
                .hasMessageStartingWith(TestFiles.file("bad/truncated.json") + ": truncated JSON");
    }

    @Test
    void unknownColumnParam() {
        StatOptions opts = StatOptions.defaults().withColParam("impl");
        assertThatThrownBy(() -> Comparison.compute(List.of(TestFiles.input("fib-old.json")), opts))
                .isInstanceOf(StatException.class)
                .hasMessage("no benchmark in fib-old.json has param 'impl'; params are: n, size");
        StatOptions order = StatOptions.defaults().withColParam("impl", List.of("memo", "iterative"));
        assertThatThrownBy(() -> Comparison.compute(List.of(TestFiles.input("fib-impl.json")), order))
                .isInstanceOf(StatException.class)
                .hasMessage("column order names impl=iterative, which no benchmark has; values are: recursive, memo");
    }
}
