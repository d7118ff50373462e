package dev.proflab.capture;

import dev.proflab.capture.fixture.Burn;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real captures of a forked JVM running {@link Burn}: the engine's options reach it, the file is complete. */
@Tag("slow")
class LaunchCaptureTest {

    @TempDir
    Path dir;

    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static final String CP = System.getProperty("java.class.path");

    @AfterEach
    void clearOverride() {
        System.clearProperty(AsyncProfilerLibrary.LIBRARY_PROPERTY);
    }

    static Capture capture(Capture.Target t, Engine engine, Duration d, Path out) {
        CaptureSettings s = CaptureSettings.of(EnumSet.of(Event.CPU));
        return Capture.of(new Capture.Request(t, Engines.choose(engine, s, Runtime.version().feature()), s, d, out, "test"));
    }

    /** Counts execution samples whose top Java frame is in {@code method}, and all execution samples. */
    static long[] topFrames(Path jfr, String method) throws IOException {
        long in = 0;
        long all = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            all++;
            var frames = e.getStackTrace().getFrames();
            if (!frames.isEmpty() && (frames.get(0).getMethod().getType().getName() + "." + frames.get(0).getMethod().getName()).equals(method)) {
                in++;
            }
        }
        return new long[] {in, all};
    }

    @Test
    void commandThroughJavaToolOptionsUntilItExits() throws Exception {
        Path out = dir.resolve("burn.jfr");
        AtomicLong started = new AtomicLong();
        Capture.Result r = capture(new Capture.Launch("command", "sh", List.of("sh", "-c",
                        "exec " + JAVA + " -cp " + CP + " " + Burn.class.getName() + " 1.5"), -1, false, true),
                Engine.ASYNC_PROFILER, null, out).run(new Capture.Listener() {
            @Override
            public void started(long pid) {
                started.set(pid);
            }
        });
        assertThat(started.get()).isPositive();
        assertThat(r.file()).isEqualTo(out).isRegularFile();
        long[] top = topFrames(out, "dev.proflab.capture.fixture.Burn.recursive");
        assertThat(top[1]).as("execution samples").isGreaterThan(50);
        assertThat(top[0]).as("in Burn.recursive").isGreaterThan(top[1] * 8 / 10);
        Metadata m = Metadata.read(out);
        assertThat(m.engine()).isEqualTo("async-profiler");
        assertThat(m.target().pid()).as("the PID of the JVM, read from the recording").isNotNull();
        assertThat(m.jdk().version()).isEqualTo(System.getProperty("java.runtime.version"));
        assertThat(m.requestedSeconds()).isNull();
        assertThat(m.eventCounts().get("jdk.ExecutionSample")).isEqualTo(top[1]);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("burn.jfr", "burn.jfr.json");
        }
    }

    @Test
    void cancelStopsTheTargetAndKeepsACompleteRecording() throws Exception {
        Path out = dir.resolve("cancel.jfr");
        Capture c = capture(new Capture.Launch("command", "java", List.of(JAVA, "-cp", CP, Burn.class.getName(), "60"),
                1, false, true), Engine.JFR, Duration.ofSeconds(60), out);
        AtomicLong pid = new AtomicLong();
        Thread stopper = new Thread(() -> {
            // cancel once the target has run a while (its JVM started and burned 1.5 s of CPU under the
            // recording), however slow the machine is at starting it
            long until = System.nanoTime() + 20_000_000_000L;
            try {
                while (System.nanoTime() < until) {
                    Thread.sleep(100);
                    long p = pid.get();
                    long cpu = p == 0 ? 0 : ProcessHandle.of(p).flatMap(h -> h.info().totalCpuDuration())
                            .map(Duration::toMillis).orElse(0L);
                    if (cpu >= 1500) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
            c.cancel();
        });
        stopper.start();
        long t0 = System.nanoTime();
        Capture.Result r = c.run(new Capture.Listener() {
            @Override
            public void started(long p) {
                pid.set(p);
            }
        });
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(30);
        assertThat(r.metadata().interrupted()).isTrue();
        assertThat(r.metadata().engine()).isEqualTo("jfr");
        assertThat(ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(topFrames(out, "dev.proflab.capture.fixture.Burn.recursive")[0]).isPositive();
    }

    @Test
    void aTargetThatFailsLeavesNothing() {
        Path out = dir.resolve("fail.jfr");
        assertThatThrownBy(() -> capture(new Capture.Launch("command", "java", List.of(JAVA, "-cp", CP, "no.such.Main"),
                1, false, true), Engine.ASYNC_PROFILER, null, out).run(null))
                .isInstanceOf(CaptureException.class)
                .hasMessageStartingWith("java exited with code 1 after")
                .hasMessageContaining("no.such.Main");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void fallsBackToFlightRecorderWhenAsyncProfilerCannotLoad() {
        System.setProperty(AsyncProfilerLibrary.LIBRARY_PROPERTY, dir.resolve("missing.so").toString());
        CaptureSettings cpu = CaptureSettings.of(EnumSet.of(Event.CPU));
        Engines.Choice c = Engines.choose(null, cpu, 25);
        assertThat(c.engine()).isEqualTo(Engine.JFR);
        assertThat(c.notice()).startsWith("async-profiler cannot load here: ").endsWith("missing.so (from PROFLAB_ASYNC_PROFILER) does not exist; using JDK Flight Recorder");
        assertThatThrownBy(() -> Engines.choose(Engine.ASYNC_PROFILER, cpu, 25)).hasMessageEndingWith("(try engine jfr)");
        assertThatThrownBy(() -> Engines.choose(null, CaptureSettings.of(EnumSet.of(Event.WALL)), 25))
                .hasMessageEndingWith("; and event wall needs async-profiler: JDK Flight Recorder has no wall-clock sampler");
        assertThatThrownBy(() -> Engines.choose(Engine.JFR_CPU_TIME, cpu, 21)).hasMessageStartingWith("engine jfr-cpu-time needs JDK 25");
    }

    @Test
    void asyncProfilerLoadsHere() {
        AsyncProfilerLibrary.Status s = AsyncProfilerLibrary.probe();
        assertThat(s.problem()).isNull();
        assertThat(s.version()).isEqualTo("4.5");
        assertThat(s.library()).isRegularFile();
    }
}
