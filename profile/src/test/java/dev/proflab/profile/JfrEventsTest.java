package dev.proflab.profile;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The small events of a recording read without its stack traces, against what the JDK's {@code jfr print} shows of
 * the same file: {@code jfr-timeline.jfr} (the trace lab, JDK Flight Recorder) has 4 collections, the first with
 * {@code sumOfPauses = 11.6 ms}, 3 CPU load readings, 1 CPU information and 61 monitor waits.
 */
class JfrEventsTest {

    static final Path TIMELINE = Path.of("src/test/resources/profiles/jfr-timeline.jfr");

    @Test
    void smallEventsAreReadAndOthersOnlyCounted() {
        JfrEvents.Result r = JfrEvents.read(TIMELINE, Set.of("jdk.GarbageCollection", "jdk.CPULoad",
                "jdk.CPUInformation"), Set.of("jdk.JavaMonitorEnter"), 1000);
        assertThat(r.counts()).containsEntry("jdk.GarbageCollection", 4L).containsEntry("jdk.CPULoad", 3L)
                .containsEntry("jdk.CPUInformation", 1L).containsEntry("jdk.JavaMonitorEnter", 61L);
        List<JfrEvents.Event> gcs = r.events().stream().filter(e -> e.type().equals("jdk.GarbageCollection")).toList();
        assertThat(gcs).hasSize(4);
        assertThat(gcs.get(0).nanos("sumOfPauses")).isEqualTo(11_575_953L);
        assertThat(r.events()).noneMatch(e -> e.type().equals("jdk.JavaMonitorEnter"));
        JfrEvents.Event cpu = r.events().stream().filter(e -> e.type().equals("jdk.CPUInformation")).findFirst()
                .orElseThrow();
        assertThat(cpu.number("hwThreads")).isPositive();
        // at most max events, the counts still whole
        JfrEvents.Result two = JfrEvents.read(TIMELINE, Set.of("jdk.GarbageCollection"), 2);
        assertThat(two.events()).hasSize(2);
        assertThat(two.counts()).containsEntry("jdk.GarbageCollection", 4L);
    }

    @Test
    void aFileThatIsNotARecordingIsOneLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path junk = Files.write(dir.resolve("junk.jfr"), "not a recording at all".getBytes());
        assertThatThrownBy(() -> JfrEvents.read(junk, Set.of("jdk.CPULoad"), 10))
                .isInstanceOf(ProfileException.class).hasMessageStartingWith(junk + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> JfrEvents.read(dir.resolve("none.jfr"), Set.of("jdk.CPULoad"), 10))
                .isInstanceOf(ProfileException.class).hasMessageEndingWith("no such file");
    }
}
