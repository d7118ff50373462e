package dev.proflab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proflab.stats.JmhReader.JmhResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmhReaderTest {

    @Test
    void readsSamplesPerForkInBaseUnits() {
        List<JmhResult> results = JmhReader.read(TestFiles.file("fib-old.json"));
        assertThat(results).hasSize(3);
        JmhResult fib20 = results.get(0);
        assertThat(fib20.benchmark()).isEqualTo("dev.proflab.bench.FibBench.fib");
        assertThat(fib20.mode()).isEqualTo("avgt");
        assertThat(fib20.params()).containsExactly(Map.entry("n", "20"));
        assertThat(fib20.unit()).isEqualTo("ns/op");
        assertThat(fib20.metric()).isEqualTo("sec/op");
        // Two forks of five iterations; 61339.876 ns/op is the first sample of the first fork.
        assertThat(fib20.forks()).hasSize(2);
        assertThat(fib20.forks().get(0)).hasSize(5);
        assertThat(fib20.forks().get(0)[0]).isCloseTo(61339.876e-9, within(1e-18));
        assertThat(fib20.forks().get(1)[4]).isCloseTo(61299.106e-9, within(1e-18));
        // B/op from secondaryMetrics["gc.alloc.rate.norm"] (not gc.alloc.rate, which comes first).
        assertThat(fib20.allocForks()).hasSize(2);
        assertThat(results.get(2).allocForks().get(0)[0]).isCloseTo(96.0, within(0.001));
    }

    @Test
    void olderJmhNamesTheAllocationMetricWithADot(@TempDir Path tmp) throws IOException {
        Path old = tmp.resolve("jmh-1.35.json");
        Files.writeString(old, Files.readString(TestFiles.file("fib-old.json"))
                .replace("\"gc.alloc.rate", "\"\u00b7gc.alloc.rate"));
        List<JmhResult> results = JmhReader.read(old);
        assertThat(results.get(2).allocForks().get(0)[0]).isCloseTo(96.0, within(0.001));
    }

    @Test
    void throughputIsConvertedToOpsPerSecond() {
        List<JmhResult> results = JmhReader.read(TestFiles.file("thrpt-rounds.json"));
        assertThat(results).hasSize(2);
        JmhResult r = results.get(0);
        assertThat(r.mode()).isEqualTo("thrpt");
        assertThat(r.unit()).isEqualTo("ops/ms");
        assertThat(r.metric()).isEqualTo("ops/s");
        // No -prof gc in this file: no B/op.
        assertThat(r.allocForks()).isNull();
        assertThat(r.forks().get(0)[0]).isGreaterThan(5e7);
    }

    @Test
    void sampleModeUsesTheMeanOfEachIterationHistogram() {
        List<JmhResult> results = JmhReader.read(TestFiles.file("sample-mode.json"));
        JmhResult r = results.get(0);
        assertThat(r.mode()).isEqualTo("sample");
        assertThat(r.metric()).isEqualTo("sec/op");
        assertThat(r.forks()).hasSize(2);
        assertThat(r.forks().get(0)).hasSize(3);
        // The first iteration's histogram starts [2.5, 2], [2.501, 4], ...; its mean is near 2.6 us.
        assertThat(r.forks().get(0)[0]).isBetween(2.5e-6, 2.7e-6);
    }

    @Test
    void paramsMayBeAbsentAndUnknownFieldsAreSkipped() {
        List<JmhResult> results = JmhReader.read(TestFiles.file("no-params.json"));
        assertThat(results).hasSize(1);
        assertThat(results.get(0).params()).isEmpty();
        assertThat(results.get(0).mode()).isEqualTo("ss");
        assertThat(results.get(0).forks().get(0)).containsExactly(new double[] {1.5e-6, 1.25e-6, 1.75e-6}, within(1e-18));
    }
}
