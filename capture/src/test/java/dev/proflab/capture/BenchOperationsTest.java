package dev.proflab.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proflab.profile.Operations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What profile --bench makes of the counts the benchmarks jar's OperationCounter writes. */
class BenchOperationsTest {

    @TempDir
    Path dir;

    @Test
    void everyOperationOfTheMeasurementIterationsIsTheCount() throws IOException {
        Path f = dir.resolve("operations.json");
        Files.writeString(f, "{\"all_ops\": 137, \"measured_ops\": 135, \"iterations\": 5, \"of_iterations\": 5,"
                + " \"threads\": 1, \"iteration_ms\": 1000, \"benchmark\": \"dev.proflab.bench.FibBench.fib\"}\n");
        Operations o = BenchRecorder.operations(f);
        assertThat(o.count()).isEqualTo(137);
        assertThat(o.unit()).isEqualTo("op");
        assertThat(o.source()).isEqualTo("jmh");
        assertThat(o.covers()).isEqualTo("JMH measurement iterations: 5 x 1000 ms, 1 thread, every operation run while"
                + " the profiler recorded (warm-up neither recorded nor counted); JMH's score divides by the 135 of"
                + " them it measured");
    }

    @Test
    void noCountOrNoOperationIsAnError() throws IOException {
        assertThatThrownBy(() -> BenchRecorder.operations(dir.resolve("none.json"))).isInstanceOf(CaptureException.class)
                .hasMessageContaining("without the operation count");
        Path f = dir.resolve("zero.json");
        Files.writeString(f, "{\"all_ops\": 0, \"measured_ops\": 0, \"iterations\": 1, \"threads\": 1}");
        assertThatThrownBy(() -> BenchRecorder.operations(f)).isInstanceOf(CaptureException.class)
                .hasMessageContaining("no operation");
    }

    @Test
    void theProjectsBenchmarksJarHasTheCounterAnotherMayNot() throws IOException {
        Path jar = Path.of("../bench/target/benchmarks.jar");
        if (Files.exists(jar)) {
            assertThat(BenchRecorder.hasCounter(jar)).isTrue();
        }
        Path notAJar = Files.writeString(dir.resolve("x.jar"), "no");
        assertThat(BenchRecorder.hasCounter(notAJar)).isFalse();
    }
}
