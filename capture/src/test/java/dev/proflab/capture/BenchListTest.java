package dev.proflab.capture;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What JMH's {@code -lp} prints, and the rule that one recording is one benchmark with one set of parameters. */
class BenchListTest {

    static final List<String> LP = List.of("Benchmarks: ", "dev.proflab.bench.FibBench.fib",
            "  param \"impl\" = {recursive, memo, iterative}", "  param \"n\" = {35}",
            "dev.proflab.bench.AllocBench.allocate", "  param \"impl\" = {before}");

    static BenchRecorder recorder(String pattern) {
        Capture.Bench b = new Capture.Bench(Path.of("java"), Path.of("benchmarks.jar"), pattern, List.of(), 1,
                Duration.ofSeconds(1), 1, Duration.ofSeconds(1), List.of());
        return new BenchRecorder(new Capture.Request(b, new Engines.Choice(Engine.JFR, null, null),
                CaptureSettings.of(EnumSet.of(Event.CPU)), Duration.ofSeconds(1), Path.of("x.jfr"), "test"), b);
    }

    @Test
    void parsesBenchmarksAndParameters() {
        var listed = BenchRecorder.parseList(LP);
        assertThat(listed).containsOnlyKeys("dev.proflab.bench.FibBench.fib", "dev.proflab.bench.AllocBench.allocate");
        assertThat(listed.get("dev.proflab.bench.FibBench.fib")).containsExactly(
                Map.entry("impl", List.of("recursive", "memo", "iterative")), Map.entry("n", List.of("35")));
    }

    @Test
    void oneBenchmarkWithOneValueEach() {
        BenchRecorder r = recorder("Fib");
        assertThatThrownBy(() -> r.checkOne(BenchRecorder.parseList(LP))).hasMessageContaining("matches 2 benchmarks");
        assertThatThrownBy(() -> r.checkOne(BenchRecorder.parseList(LP.subList(0, 4))))
                .hasMessage("FibBench.fib runs with several parameter values, one recording is one: add params impl=recursive (of recursive, memo, iterative)")
                .satisfies(e -> assertThat(((CaptureException) e).phrase().in(n -> n.equals("params") ? "-p" : n))
                        .endsWith("one recording is one: add -p impl=recursive (of recursive, memo, iterative)"));
        assertThatThrownBy(() -> r.checkOne(BenchRecorder.parseList(List.of("Benchmarks: "))))
                .hasMessage("no benchmark matches 'Fib' in benchmarks.jar");
        r.checkOne(BenchRecorder.parseList(LP.subList(4, 6)));
    }
}
