package dev.proflab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code proflab gc} bad input: one line, exit 2, before any JVM starts (so these take milliseconds). */
class GcCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "--heap;64mb;proflab: --heap: '64mb' is not a size (use e.g. 64m, 512m, 2g)",
            "--heap;1k;proflab: --heap: '1k' is too small for a heap (at least 2m)",
            "--collectors;g1,cms;proflab: --collectors: unknown collector 'cms'",
            "--config;mine=-XX:+UseG1GC -Xmx12x;proflab: config mine: -Xmx12x: '12x' is not a size",
            "--config;-Xmx64m;proflab: --config: '-Xmx64m' is not NAME=JVM-OPTIONS",
            "--workload;middle;proflab: --workload: unknown workload 'middle' (use before, after)",
            "--runs;0;proflab: --runs must be at least 1, not 0",
            "--timeout;soon;proflab: --timeout: 'soon' is not a duration"})
    void badInputIsOneLineAndExit2(String option, String value, String message) throws java.io.IOException {
        Path charts = dir.resolve("charts");
        // a labs jar that exists, so that the option under test is what fails (nothing runs)
        Path jar = java.nio.file.Files.writeString(dir.resolve("labs.jar"), "");
        CliRun r = CliRun.of("gc", option, value, "--charts", charts.toString(), "--labs-jar", jar.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().findFirst().orElseThrow()).startsWith(message);
        assertThat(r.err()).doesNotContain("==> gc", "Exception", "\tat ");
        assertThat(r.out()).isEmpty();
        assertThat(charts).doesNotExist();
    }

    @Test
    void missingLabsJarIsBadInput() {
        CliRun r = CliRun.of("gc", "--quick", "--labs-jar", dir.resolve("nope.jar").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("proflab: " + dir.resolve("nope.jar") + ": labs jar not found");
    }

    @Test
    void helpExplainsTheGoKnobs() {
        CliRun r = CliRun.of("gc", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("GOGC", "GOMEMLIMIT", "-XX:GCTimeRatio", "-XX:SoftMaxHeapSize", "--quick",
                "--charts", "--config");
        assertThat(Files.exists(dir.resolve("charts"))).isFalse();
    }
}
