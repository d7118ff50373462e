package dev.proflab.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code proflab profile --timeline}: the JFR settings a timeline needs, laid over the default ones. */
class TimelineSettingsTest {

    @Test
    void lowersTheWaitThresholdsAndRecordsEverySafepoint() {
        CaptureSettings s = new CaptureSettings(EnumSet.of(Event.CPU), null, CaptureSettings.DEFAULT_ALLOC_BYTES, null,
                false, true);
        Map<String, String> jfr = s.jfrSettings(Engine.JFR);
        for (String e : new String[] {"jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait", "jdk.ThreadSleep"}) {
            assertThat(jfr).containsEntry(e + "#enabled", "true").containsEntry(e + "#threshold", "1 ms");
        }
        assertThat(jfr).containsEntry("jdk.SafepointBegin#threshold", "0 ns").containsEntry("jdk.SafepointEnd#enabled", "true")
                .containsEntry("jdk.ExecuteVMOperation#threshold", "0 ns").containsEntry("jdk.ThreadStart#enabled", "true")
                .containsEntry("jdk.GCPhasePause#enabled", "true").containsEntry("jdk.ExecutionSample#period", "10 ms");
        assertThat(s.describe(Engine.JFR)).isEqualTo("cpu every 10ms, timeline (thread start/end, waits >= 1ms, GC, safepoints)");
        // the .jfc written for --bench and attach carries them too
        assertThat(JfrConfiguration.settings(jfr)).containsEntry("jdk.ThreadSleep#threshold", "1 ms");
    }

    @Test
    void aLockThresholdGivenWithLockWins() {
        CaptureSettings s = new CaptureSettings(EnumSet.of(Event.CPU, Event.LOCK), null, CaptureSettings.DEFAULT_ALLOC_BYTES,
                Duration.ofMillis(5), false, true);
        Map<String, String> jfr = s.jfrSettings(Engine.JFR);
        assertThat(jfr).containsEntry("jdk.ThreadPark#threshold", "5 ms").containsEntry("jdk.JavaMonitorEnter#threshold", "5 ms")
                .containsEntry("jdk.ThreadSleep#threshold", "1 ms");
    }

    @Test
    void withoutTimelineNothingChangesAndAsyncProfilerIsRefused() {
        CaptureSettings plain = new CaptureSettings(EnumSet.of(Event.CPU), null, CaptureSettings.DEFAULT_ALLOC_BYTES, null, false);
        assertThat(plain.timeline()).isFalse();
        assertThat(plain.jfrSettings(Engine.JFR)).doesNotContainKey("jdk.ThreadSleep#threshold");
        CaptureSettings t = new CaptureSettings(EnumSet.of(Event.CPU), null, CaptureSettings.DEFAULT_ALLOC_BYTES, null, false, true);
        assertThatThrownBy(() -> t.check(Engine.ASYNC_PROFILER)).isInstanceOf(CaptureException.class)
                .hasMessageStartingWith("timeline needs JDK Flight Recorder (engine jfr)")
                .satisfies(e -> assertThat(((CaptureException) e).phrase().parameters()).containsExactly("timeline", "engine"));
        assertThatThrownBy(() -> Engines.choose(Engine.ASYNC_PROFILER, t, 25)).isInstanceOf(CaptureException.class);
        assertThat(Engines.choose(Engine.JFR, t, 25).engine()).isEqualTo(Engine.JFR);
    }
}
