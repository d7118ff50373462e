package dev.proflab.capture;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaptureSettingsTest {

    static CaptureSettings of(Event... events) {
        return CaptureSettings.of(EnumSet.of(events[0], events));
    }

    @Test
    void asyncProfilerOptionsForEachEventAndTogether() {
        assertThat(of(Event.CPU).asyncProfilerOptions()).isEqualTo("event=cpu,interval=10000000");
        assertThat(of(Event.ITIMER).asyncProfilerOptions()).isEqualTo("event=itimer,interval=10000000");
        assertThat(of(Event.WALL).asyncProfilerOptions()).isEqualTo("event=wall,interval=50000000");
        assertThat(of(Event.ALLOC).asyncProfilerOptions()).isEqualTo("alloc=524288");
        assertThat(of(Event.LIVE).asyncProfilerOptions()).isEqualTo("alloc=524288,live");
        assertThat(of(Event.LOCK).asyncProfilerOptions()).isEqualTo("lock=10000");
        assertThat(of(Event.CPU, Event.WALL, Event.ALLOC, Event.LOCK).asyncProfilerOptions())
                .isEqualTo("event=cpu,interval=10000000,wall=50000000,alloc=524288,lock=10000");
        CaptureSettings custom = new CaptureSettings(EnumSet.of(Event.CPU, Event.ALLOC), Duration.ofMillis(1), 4096,
                Duration.ofMillis(1), true);
        assertThat(custom.asyncProfilerOptions()).isEqualTo("event=cpu,interval=1000000,alloc=4096,jfrsync=default");
    }

    @Test
    void jfrSettingsPerEngine() {
        assertThat(of(Event.CPU).jfrSettings(Engine.JFR)).containsExactly(
                Map.entry("jdk.ExecutionSample#enabled", "true"), Map.entry("jdk.ExecutionSample#period", "10 ms"));
        assertThat(of(Event.CPU).jfrSettings(Engine.JFR_CPU_TIME)).containsExactly(
                Map.entry("jdk.CPUTimeSample#enabled", "true"), Map.entry("jdk.CPUTimeSample#throttle", "10 ms"),
                Map.entry("jdk.ExecutionSample#enabled", "false"));
        assertThat(of(Event.LOCK).jfrSettings(Engine.JFR)).containsEntry("jdk.JavaMonitorEnter#threshold", "10 us")
                .containsEntry("jdk.ThreadPark#threshold", "10 us");
        assertThat(of(Event.ALLOC, Event.LIVE).jfrSettings(Engine.JFR))
                .containsEntry("jdk.ObjectAllocationSample#throttle", "300/s")
                .containsEntry("jdk.OldObjectSample#enabled", "true");
    }

    @Test
    void eventTypesSayWhereEachEventIs() {
        assertThat(of(Event.CPU, Event.ALLOC).eventTypes(Engine.ASYNC_PROFILER)).containsExactly(
                Map.entry("cpu", List.of("jdk.ExecutionSample")),
                Map.entry("alloc", List.of("jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB")));
        assertThat(of(Event.CPU).eventTypes(Engine.JFR_CPU_TIME)).containsEntry("cpu", List.of("jdk.CPUTimeSample"));
        assertThat(of(Event.LIVE).eventTypes(Engine.JFR)).containsEntry("live", List.of("jdk.OldObjectSample"));
        assertThat(of(Event.WALL).eventTypes(Engine.ASYNC_PROFILER)).containsEntry("wall", List.of("profiler.WallClockSample"));
    }

    @Test
    void combinationsAnEngineCannotRecord() {
        assertThatThrownBy(() -> of(Event.CPU, Event.ITIMER).check(Engine.ASYNC_PROFILER))
                .hasMessage("cpu and itimer both sample CPU time: choose one");
        assertThatThrownBy(() -> of(Event.WALL).check(Engine.JFR))
                .hasMessage("event wall needs async-profiler: JDK Flight Recorder has no wall-clock sampler");
        assertThatThrownBy(() -> of(Event.ITIMER).check(Engine.JFR)).hasMessageStartingWith("event itimer needs async-profiler");
        assertThatThrownBy(() -> of(Event.ALLOC).check(Engine.JFR_CPU_TIME))
                .hasMessage("engine jfr-cpu-time samples CPU time: add event cpu")
                .satisfies(e -> assertThat(((CaptureException) e).phrase().in(n -> "--" + n))
                        .isEqualTo("engine jfr-cpu-time samples CPU time: add --event cpu"));
    }

    @Test
    void rangesAreChecked() {
        assertThatThrownBy(() -> new CaptureSettings(EnumSet.of(Event.CPU), Duration.ofNanos(10), 1, null, false))
                .hasMessage("interval: 10ns is out of range (100us to 10s)")
                .satisfies(e -> assertThat(((CaptureException) e).phrase().parameters()).containsExactly("interval"));
        assertThatThrownBy(() -> new CaptureSettings(EnumSet.of(Event.ALLOC), null, 0, null, false))
                .hasMessageStartingWith("allocBytes: 0 bytes is out of range")
                .satisfies(e -> assertThat(((CaptureException) e).phrase().parameters()).containsExactly("allocBytes"));
        assertThatThrownBy(() -> new CaptureSettings(EnumSet.of(Event.LOCK), null, 1, Duration.ofSeconds(11), false))
                .hasMessage("lockThreshold: 11s is out of range (0 to 10s)")
                .satisfies(e -> assertThat(((CaptureException) e).phrase().parameters()).containsExactly("lockThreshold"));
        assertThatThrownBy(() -> new CaptureSettings(EnumSet.noneOf(Event.class), null, 1, null, false))
                .hasMessageStartingWith("no event given");
    }

    @Test
    void parsesTimesAndSizesAsTyped() {
        assertThat(CaptureSettings.parseTime("10ms", "--interval")).isEqualTo(Duration.ofMillis(10));
        assertThat(CaptureSettings.parseTime("250us", "--lock")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(CaptureSettings.parseTime("1.5s", "x")).isEqualTo(Duration.ofMillis(1500));
        assertThat(CaptureSettings.parseTime("20", "x")).isEqualTo(Duration.ofMillis(20));
        assertThat(CaptureSettings.parseTime("0", "x")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> CaptureSettings.parseTime("fast", "--lock"))
                .hasMessage("--lock: 'fast' is not a time (use e.g. 10ms, 100us, 1s)");
        assertThat(CaptureSettings.parseBytes("512k", "--alloc")).isEqualTo(512 * 1024);
        assertThat(CaptureSettings.parseBytes("2M", "--alloc")).isEqualTo(2 * 1024 * 1024);
        assertThat(CaptureSettings.parseBytes("4096", "--alloc")).isEqualTo(4096);
        assertThatThrownBy(() -> CaptureSettings.parseBytes("12q", "--alloc")).hasMessageStartingWith("--alloc: '12q' is not a size");
        assertThat(CaptureSettings.format(Duration.ofMillis(10))).isEqualTo("10ms");
        assertThat(CaptureSettings.formatBytes(524288)).isEqualTo("512k");
    }

    @Test
    void describesTheSamplingInOneLine() {
        assertThat(of(Event.CPU, Event.ALLOC, Event.LOCK).describe(Engine.ASYNC_PROFILER))
                .isEqualTo("cpu every 10ms, alloc every 512k, lock waits >= 10us");
        assertThat(of(Event.CPU, Event.ALLOC).describe(Engine.JFR)).isEqualTo("cpu every 10ms, alloc at most 300/s");
    }

    @Test
    void eventsAndEnginesByName() {
        assertThat(Event.parseAll(List.of("cpu,alloc", "lock"))).containsExactly(Event.CPU, Event.ALLOC, Event.LOCK);
        assertThatThrownBy(() -> Event.parseAll(List.of("cpu,heap")))
                .hasMessage("unknown event 'heap': use cpu, wall, alloc, lock, live, itimer");
        assertThat(Event.join(EnumSet.of(Event.ALLOC, Event.CPU))).isEqualTo("cpu+alloc");
        assertThat(Engine.parse("auto")).isNull();
        assertThat(Engine.parse("async")).isEqualTo(Engine.ASYNC_PROFILER);
        assertThat(Engine.parse("async-profiler")).isEqualTo(Engine.ASYNC_PROFILER);
        assertThat(Engine.parse("JFR")).isEqualTo(Engine.JFR);
        assertThat(Engine.parse("jfr-cpu-time")).isEqualTo(Engine.JFR_CPU_TIME);
        assertThatThrownBy(() -> Engine.parse("perf")).hasMessage("unknown engine 'perf': use auto, async, jfr, jfr-cpu-time");
    }
}
