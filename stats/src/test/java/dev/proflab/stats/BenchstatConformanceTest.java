package dev.proflab.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proflab.stats.JmhReader.JmhResult;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The examples in benchstat's documentation ({@code cmd/benchstat/main.go}), fed through this
 * package: same samples in, the same table out. The samples are the documented old.txt and new.txt
 * (ns/op of {@code BenchmarkEncode/format=json-48} and {@code format=gob-48}, ten runs each); each run
 * is one JMH iteration here.
 */
class BenchstatConformanceTest {

    static final double[] OLD_JSON = {1726, 1723, 1707, 1707, 1713, 1729, 1736, 1707, 1705, 1774};
    static final double[] OLD_GOB = {3069, 3075, 3069, 3067, 3207, 3064, 3064, 3058, 3059, 3062};
    static final double[] NEW_JSON = {1423, 1416, 1411, 1413, 1412, 1426, 1422, 1424, 1447, 1425};
    static final double[] NEW_GOB = {3075, 3065, 3059, 3065, 3060, 3081, 3186, 3135, 3087, 3062};

    private static JmhResult result(String name, Map<String, String> params, double[] nanos) {
        double[] sec = Arrays.stream(nanos).map(v -> v * 1e-9).toArray();
        return new JmhResult(name, "avgt", params, "ns/op", "sec/op", List.of(sec), null);
    }

    private static Map<String, String> format(String f) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", f);
        return m;
    }

    @Test
    // Differences from benchstat's own output, by design: the test column always reads
    // "p=... n=A+B" (benchstat writes "n=10" for equal counts), which widens the delta column.
    void oldVersusNew() {
        // $ benchstat old.txt new.txt
        List<StatInput> inputs = List.of(StatInput.of("old.txt", Path.of("old.txt")),
                StatInput.of("new.txt", Path.of("new.txt")));
        Comparison c = Comparison.compute(inputs, List.of(
                List.of(result("Encode/format=json-48", Map.of(), OLD_JSON), result("Encode/format=gob-48", Map.of(), OLD_GOB)),
                List.of(result("Encode/format=json-48", Map.of(), NEW_JSON), result("Encode/format=gob-48", Map.of(), NEW_GOB))),
                StatOptions.defaults());
        assertThat(StatFormat.TEXT.render(c)).isEqualTo("""
                                      │   old.txt   │                new.txt                 │
                                      │   sec/op    │   sec/op     vs base                   │
                Encode/format=json-48   1.718µ ± 1%   1.423µ ± 1%  -17.20% (p=0.000 n=10+10)
                Encode/format=gob-48    3.066µ ± 0%   3.070µ ± 2%        ~ (p=0.446 n=10+10)
                geomean                 2.295µ        2.090µ        -8.94%
                """);
    }

    @Test
    void columnsByParam() {
        // $ benchstat -col /format new.txt
        List<StatInput> inputs = List.of(StatInput.of("new.txt", Path.of("new.txt")));
        Comparison c = Comparison.compute(inputs, List.of(
                List.of(result("Encode-48", format("json"), NEW_JSON), result("Encode-48", format("gob"), NEW_GOB))),
                StatOptions.defaults().withColParam("format"));
        assertThat(StatFormat.TEXT.render(c)).isEqualTo("""
                          │    json     │                   gob                   │
                          │   sec/op    │   sec/op     vs base                    │
                Encode-48   1.423µ ± 1%   3.070µ ± 2%  +115.82% (p=0.000 n=10+10)
                """);
    }

    @Test
    void columnsByParamInAFixedOrder() {
        // $ benchstat -col "/format@(gob json)" -row .name -ignore .file new.txt
        List<StatInput> inputs = List.of(StatInput.of("new.txt", Path.of("new.txt")));
        Comparison c = Comparison.compute(inputs, List.of(
                List.of(result("Encode", format("json"), NEW_JSON), result("Encode", format("gob"), NEW_GOB))),
                StatOptions.defaults().withColParam("format", List.of("gob", "json")));
        assertThat(StatFormat.TEXT.render(c)).isEqualTo("""
                       │     gob     │                  json                  │
                       │   sec/op    │   sec/op     vs base                   │
                Encode   3.070µ ± 2%   1.423µ ± 1%  -53.66% (p=0.000 n=10+10)
                """);
    }

    @Test
    void smallSample() {
        // testdata/smallSample: one run each of 100 and 101 ns/op.
        List<StatInput> inputs = List.of(StatInput.of("before", Path.of("before")), StatInput.of("after", Path.of("after")));
        Comparison c = Comparison.compute(inputs, List.of(List.of(result("X", Map.of(), new double[] {100})),
                List.of(result("X", Map.of(), new double[] {101}))), StatOptions.defaults());
        // benchstat prints footnote markers (¹ ²) after "∞" and the test, which widen its columns by
        // two; this package returns the same notes as warnings instead. Values are identical.
        assertThat(StatFormat.TEXT.render(c)).isEqualTo("""
                  │   before   │             after             │
                  │   sec/op   │   sec/op    vs base           │
                X   100.0n ± ∞   101.0n ± ∞  ~ (p=1.000 n=1+1)
                """);
        assertThat(c.warnings()).extracting(Comparison.Warning::message).containsExactly(
                "too few samples for a finite 95% confidence interval (shown as ±∞): need >= 6 per cell, have 1",
                "n=1+1 samples can never give p <= 0.05 (smallest possible p is 1.000): need >= 4 samples in each"
                        + " column to detect a difference");
    }
}
