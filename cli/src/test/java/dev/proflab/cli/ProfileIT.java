package dev.proflab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code proflab profile} end to end: real captures of the labs with each engine, by launch, PID and JMH. */
class ProfileIT {

    static final String FIB = "dev.proflab.labs.fib.Fib.recursive";

    @TempDir
    Path out;

    @AfterEach
    void clearOverride() {
        System.clearProperty("proflab.asyncProfiler");
    }

    /** Samples of {@code type} and how many have {@code method} as their top frame. */
    static long[] samples(Path jfr, String type, String method) throws IOException {
        long all = 0;
        long top = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (e.getEventType().getName().equals(type) && e.getStackTrace() != null) {
                all++;
                List<RecordedFrame> f = e.getStackTrace().getFrames();
                if (!f.isEmpty() && (f.get(0).getMethod().getType().getName() + "." + f.get(0).getMethod().getName()).equals(method)) {
                    top++;
                }
            }
        }
        return new long[] {all, top};
    }

    /**
     * The recording holds samples, and Fib.recursive is on top of most: ~97% of them when the machine is idle.
     * How many samples a capture of 2 s gets depends on the CPU the target got (200 at 10 ms when idle; 29 to
     * 49 were seen with the suite under 2 CPU hogs on 2 cores), so the count only has to show that sampling
     * ran (10), and the share is what is checked: with 10 samples at 97%, more than 4 others come by chance
     * ~6 times in a million (binomial), and more samples make it rarer still.
     */
    static void assertSamples(long[] s, String type) {
        assertThat(s[0]).as("%s samples", type).isGreaterThanOrEqualTo(10);
        assertThat(s[1]).as("%s samples with Fib.recursive on top, of %d", type, s[0]).isGreaterThan(s[0] * 6 / 10);
    }

    static JsonNode sidecar(Path jfr) throws IOException {
        return new ObjectMapper().readTree(Files.readString(jfr.resolveSibling(jfr.getFileName() + ".json")));
    }

    void assertOnlyOutputs(String... names) throws IOException {
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("nothing half-written left behind")
                    .containsExactlyInAnyOrder(names);
        }
    }

    @Test
    void aTimelineRecordingPointsToTheTimeline() throws IOException {
        Path jfr = out.resolve("trace.jfr");
        CliRun r = CliRun.of("profile", "trace", "--timeline", "-d", "2s", "--labs-jar", Targets.labsJar().toString(),
                "-o", jfr.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("next: proflab timeline " + jfr + ", or proflab view " + jfr)
                .doesNotContain("next: proflab top");
    }

    @ParameterizedTest
    @CsvSource({"async, jdk.ExecutionSample, async-profiler", "jfr, jdk.ExecutionSample, jfr",
            "jfr-cpu-time, jdk.CPUTimeSample, jfr-cpu-time"})
    void fibBeforeWithEachEngine(String engine, String type, String engineId) throws IOException {
        Path jfr = out.resolve("fib.jfr");
        CliRun r = CliRun.of("profile", "fib-before", "-d", "2s", "--engine", engine, "--labs-jar",
                Targets.labsJar().toString(), "-o", jfr.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("==> profile fib-before: cpu", "fib-before n=35:", "wrote ", "next: proflab top ");
        long[] s = samples(jfr, type, FIB);
        assertSamples(s, type);
        JsonNode m = sidecar(jfr);
        assertThat(m.path("format").asText()).isEqualTo("proflab-capture/1");
        assertThat(m.path("engine").asText()).isEqualTo(engineId);
        assertThat(m.path("events").toString()).isEqualTo("[\"cpu\"]");
        assertThat(m.at("/eventTypes/cpu/0").asText()).isEqualTo(type);
        assertThat(m.at("/settings/intervalNanos").asLong()).isEqualTo(10_000_000L);
        assertThat(m.at("/target/kind").asText()).isEqualTo("lab");
        assertThat(m.at("/target/name").asText()).isEqualTo("fib-before");
        assertThat(m.at("/jdk/version").asText()).isEqualTo(System.getProperty("java.runtime.version"));
        assertThat(m.path("requestedSeconds").asDouble()).isEqualTo(2.0);
        assertThat(m.at("/eventCounts/" + type).asLong()).isEqualTo(s[0]);
        // the lab ran to its end under the recording: its calls are the operations the recording covers
        java.util.regex.Matcher calls = java.util.regex.Pattern.compile("fib-before n=35: (\\d+) calls").matcher(r.out());
        assertThat(calls.find()).as(r.out()).isTrue();
        JsonNode ops = new ObjectMapper().readTree(Files.readString(out.resolve("fib.jfr.ops.json")));
        assertThat(ops.get("operations").asLong()).isEqualTo(Long.parseLong(calls.group(1)));
        assertThat(ops.get("source").asText()).isEqualTo("lab");
        assertOnlyOutputs("fib.jfr", "fib.jfr.json", "fib.jfr.ops.json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"async", "jfr"})
    void attachesToARunningJvmByPid(String engine) throws Exception {
        Path jfr = out.resolve("pid.jfr");
        try (Targets.Jvm target = Targets.lab(null, "fib-before", "--seconds", "30")) {
            Thread.sleep(500); // let it start up
            CliRun r = CliRun.of("profile", "--pid", Long.toString(target.pid()), "-d", "1500ms", "--engine", engine,
                    "-o", jfr.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(target.process().isAlive()).as("the target keeps running").isTrue();
        }
        long[] s = samples(jfr, "jdk.ExecutionSample", FIB);
        assertSamples(s, "jdk.ExecutionSample");
        JsonNode m = sidecar(jfr);
        assertThat(m.at("/target/kind").asText()).isEqualTo("pid");
        assertThat(m.at("/target/name").asText()).isEqualTo("dev.proflab.labs.Run");
        assertOnlyOutputs("pid.jfr", "pid.jfr.json");
    }

    @Test
    void benchmarkMeasurementInOneFile() throws IOException {
        Path jfr = out.resolve("bench.jfr");
        CliRun r = CliRun.of("profile", "--bench", "FibBench", "-p", "impl=recursive", "--warmup", "1", "--iterations", "2",
                "--time", "500ms", "--jar", Targets.benchmarksJar().toString(), "-o", jfr.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("FibBench.fib", "recursive", "wrote ");
        long[] s = samples(jfr, "jdk.ExecutionSample", FIB);
        assertSamples(s, "jdk.ExecutionSample");
        assertThat(sidecar(jfr).at("/target/name").asText()).isEqualTo("FibBench.fib impl=recursive n=35");
        // the operations of the two measurement iterations, the ones recorded: at 35, tens of ms each
        JsonNode ops = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                Files.readString(out.resolve("bench.jfr.ops.json")));
        assertThat(ops.get("source").asText()).isEqualTo("jmh");
        assertThat(ops.get("unit").asText()).isEqualTo("op");
        assertThat(ops.get("operations").asLong()).isBetween(1L, 1000L);
        assertThat(ops.get("covers").asText()).startsWith("JMH measurement iterations: 2 x 500 ms, 1 thread");
        assertThat(r.out()).contains("operations: " + ops.get("operations").asLong() + " ops (jmh) in ");
        CliRun perOp = CliRun.of("top", "--per-op", "-n", "1", jfr.toString());
        assertThat(perOp.exitCode()).as(perOp.err()).isZero();
        assertThat(perOp.out()).contains("ops (jmh)", "flat/op", "Fib.recursive");
        assertOnlyOutputs("bench.jfr", "bench.jfr.json", "bench.jfr.ops.json");
        // recorded again under the same name, by something that counts nothing: the old count goes with it
        CliRun again = CliRun.of("profile", "-o", jfr.toString(), "--", Targets.java().toString(), "-cp",
                Targets.labsJar().toString(), "dev.proflab.labs.Run", "fib-before", "--seconds", "1");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertOnlyOutputs("bench.jfr", "bench.jfr.json");
    }

    @Test
    void anyJavaCommandAfterDashes() throws IOException {
        Path jfr = out.resolve("cmd.jfr");
        CliRun r = CliRun.of("profile", "-e", "cpu,alloc", "-o", jfr.toString(), "--", Targets.java().toString(), "-cp",
                Targets.labsJar().toString(), "dev.proflab.labs.Run", "alloc-before", "--seconds", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode m = sidecar(jfr);
        assertThat(m.at("/target/kind").asText()).isEqualTo("command");
        assertThat(m.at("/target/name").asText()).isEqualTo("Run");
        assertThat(m.at("/eventCounts/jdk.ObjectAllocationInNewTLAB").asLong()).isPositive();
        assertThat(m.path("commandLine").asText()).startsWith("proflab profile -e cpu,alloc -o ");
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        Path jfr = out.resolve("bad.jfr");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        expectUsage(CliRun.of("profile", "--pid", Long.toString(gone.pid()), "-o", jfr.toString()),
                "proflab: PID " + gone.pid() + ": no such process");
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            expectUsage(CliRun.of("profile", "--pid", Long.toString(sleep.pid()), "-o", jfr.toString()),
                    "proflab: PID " + sleep.pid() + " (sleep) is not a JVM");
            assertThat(sleep.isAlive()).as("not sent SIGQUIT").isTrue();
        } finally {
            sleep.destroy();
        }
        expectUsage(CliRun.of("profile", "fib-before", "-e", "heap", "-o", jfr.toString()),
                "proflab: unknown event 'heap': use cpu, wall, alloc, lock, live, itimer");
        expectUsage(CliRun.of("profile", "fib-before", "-e", "wall", "--engine", "jfr", "-o", jfr.toString()),
                "proflab: event wall needs async-profiler: JDK Flight Recorder has no wall-clock sampler");
        expectUsage(CliRun.of("profile", "no-such-lab", "-d", "1s", "--labs-jar", Targets.labsJar().toString(), "-o", jfr.toString()),
                "proflab: no-such-lab exited with code 2 after");
        expectUsage(CliRun.of("profile", "-o", jfr.toString(), "--", Targets.java().toString(), "-cp", "nowhere", "NoMain"),
                "proflab: NoMain exited with code 1 after");
        System.setProperty("proflab.asyncProfiler", out.resolve("missing.so").toString());
        expectUsage(CliRun.of("profile", "fib-before", "--engine", "async", "-o", jfr.toString()),
                "proflab: async-profiler cannot load here: ");
        assertOnlyOutputs();
    }

    @Test
    void fallsBackToFlightRecorderWithANotice() throws IOException {
        System.setProperty("proflab.asyncProfiler", out.resolve("missing.so").toString());
        Path jfr = out.resolve("fallback.jfr");
        CliRun r = CliRun.of("profile", "fib-before", "-d", "1s", "--labs-jar", Targets.labsJar().toString(), "-o", jfr.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("proflab: async-profiler cannot load here: ").contains("; using JDK Flight Recorder");
        assertThat(sidecar(jfr).path("engine").asText()).isEqualTo("jfr");
    }

    static void expectUsage(CliRun r, String start) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        List<String> errors = r.err().lines().filter(l -> l.startsWith("proflab: ")).toList();
        assertThat(errors).as(r.err()).singleElement().asString().startsWith(start);
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }
}
