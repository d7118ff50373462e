package dev.proflab.capture;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("slow")
class ContinuousRecordingTest {

    @TempDir
    Path dir;

    /** Sleeps 30 ms on a thread of this name: a jdk.ThreadSleep event (threshold 20 ms in the default settings). */
    private static void sleeper(String name) throws InterruptedException {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.start();
        t.join();
    }

    private static List<String> sleepers(Path file) throws IOException {
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.ThreadSleep"))
                .map(RecordedEvent::getThread)
                .filter(t -> t != null && t.getJavaName() != null && t.getJavaName().startsWith("fr-test-"))
                .map(t -> t.getJavaName())
                .toList();
    }

    @Test
    void theLastSecondsHoldOnlyWhatHappenedInThem() throws Exception {
        try (ContinuousRecording fr = ContinuousRecording.start(Duration.ofMinutes(5), 16 << 20, "default")) {
            assertThat(fr.running()).isTrue();
            sleeper("fr-test-early");
            Thread.sleep(1_500);
            sleeper("fr-test-late");

            ContinuousRecording.Dump last = fr.dumpLast(Duration.ofMillis(700), dir.resolve("last.jfr"));
            assertThat(sleepers(last.file())).containsExactly("fr-test-late");
            assertThat(last.events()).isPositive();
            assertThat(last.bytes()).isEqualTo(Files.size(last.file()));
            assertThat(Duration.between(last.from(), last.to())).isEqualTo(Duration.ofMillis(700));

            // a span longer than the recording: everything since it started, and it says so
            ContinuousRecording.Dump all = fr.dumpLast(Duration.ofHours(1), dir.resolve("all.jfr"));
            assertThat(sleepers(all.file())).containsExactly("fr-test-early", "fr-test-late");
            assertThat(all.from()).isEqualTo(fr.started());
            assertThat(all.events()).isGreaterThan(last.events());

            // the recording goes on after a dump
            assertThat(fr.running()).isTrue();
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("last.jfr", "all.jfr");
            }
            fr.close();
            assertThat(fr.running()).isFalse();
            assertThatThrownBy(() -> fr.dumpLast(Duration.ofSeconds(1), dir.resolve("after.jfr")))
                    .isInstanceOf(CaptureException.class).hasMessageContaining("not running");
            assertThat(dir.resolve("after.jfr")).doesNotExist();
        }
    }

    @Test
    void badSettingsAreRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> ContinuousRecording.start(Duration.ZERO, 16 << 20, "default"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("age");
        assertThatThrownBy(() -> ContinuousRecording.start(Duration.ofMinutes(1), 1000, "default"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size");
        assertThatThrownBy(() -> ContinuousRecording.start(Duration.ofMinutes(1), 16 << 20, "no-such-settings"))
                .isInstanceOf(CaptureException.class).hasMessageContaining("no-such-settings");
    }
}
