package dev.proflab.cli;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The capture library names its settings neutrally ({@code interval}, {@code allocBytes}, {@code timeline}); the
 * command says them with its own flags. Every case fails before anything is started or written.
 */
class ProfileOptionsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "--interval 10ns;proflab: --interval: 10ns is out of range (100us to 10s)",
            "--alloc 2g;proflab: --alloc: 2147483648 bytes is out of range (1 to 1g)",
            "--lock 11s;proflab: --lock: 11s is out of range (0 to 10s)",
            "--timeline --engine async;proflab: --timeline needs JDK Flight Recorder (--engine jfr): async-profiler",
            "-e alloc --engine jfr-cpu-time;proflab: engine jfr-cpu-time samples CPU time: add --event cpu"})
    void settingsAreNamedByTheirFlags(String options, String error) {
        List<String> args = new ArrayList<>(List.of("profile"));
        args.addAll(List.of(options.split(" ")));
        args.addAll(List.of("-o", dir.resolve("x.jfr").toString(), "--", "java", "-version"));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith(error).doesNotContain("\n");
        assertThat(dir).isEmptyDirectory();
    }

    /** A lab's closing line gives the operations its recording covers; without one (stopped early) there are none. */
    @org.junit.jupiter.api.Test
    void aLabsClosingLineIsItsOperationCount() {
        var ops = ProfileCommand.labOperations(java.util.List.of("starting",
                "fib-before n=35: 355 calls, result 9227465 in 10.0 s, 28.17 ms per call"), "fib-before");
        assertThat(ops.count()).isEqualTo(355);
        assertThat(ops.source()).isEqualTo("lab");
        assertThat(ops.covers()).startsWith("calls of fib-before's loop over its whole run");
        assertThat(ProfileCommand.labOperations(java.util.List.of(
                "cpu-hot n=30 workers=2: 12 rounds, total=1664080 in 5.0 s, 416.67 ms per call"), "cpu-hot").count())
                .isEqualTo(12);
        assertThat(ProfileCommand.labOperations(java.util.List.of("fib-before n=35: 355 calls, result 9227465 in 10.0 s,"
                + " 28.17 ms per call"), "fib-after")).as("another workload's line").isNull();
        assertThat(ProfileCommand.labOperations(java.util.List.of("leak: stopped 100 threads"), "leak")).isNull();
    }
}
