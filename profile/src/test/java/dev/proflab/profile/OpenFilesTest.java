package dev.proflab.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.proflab.profile.fixture.Fixtures;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JFR recording is read from its file by position, not mapped: the file is closed after each reading. */
class OpenFilesTest {

    @TempDir
    Path tmp;

    private static long openFiles() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void readingsCloseTheirFile() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "Linux's /proc/self/fd");
        Path jfr = Fixtures.checkedIn("ap-cpu.jfr");
        Path cut = tmp.resolve("cut.jfr");
        byte[] all = Files.readAllBytes(jfr);
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 100));
        // once for the JDK's own files and classes, then counted
        ProfileReader.read(jfr);
        long before = openFiles();
        for (int i = 0; i < 20; i++) {
            ProfileReader.read(jfr);
            ProfileReader.events(jfr);
            TimelineReader.read(jfr);
            try (TimelineReader.Recording r = TimelineReader.open(jfr)) {
                assertThat(r.durationNanos()).isPositive();
            }
            assertThatThrownBy(() -> ProfileReader.read(cut)).isInstanceOf(ProfileException.class);
            assertThatThrownBy(() -> TimelineReader.read(cut)).isInstanceOf(ProfileException.class);
            assertThatThrownBy(() -> ProfileReader.read(jfr, "lock")).isInstanceOf(ProfileException.class);
        }
        assertThat(openFiles()).isLessThanOrEqualTo(before);
    }

    @Test
    void aFileThatGetsShorterWhileReadFailsAsItself() throws IOException {
        Path copy = tmp.resolve("shrinking.jfr");
        Files.copy(Fixtures.checkedIn("jfr-timeline.jfr"), copy);
        try (TimelineReader.Recording r = TimelineReader.open(copy)) {
            try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
                f.setLength(f.length() / 2);
            }
            assertThatThrownBy(() -> r.read(null)).isInstanceOf(ProfileException.class)
                    .hasMessageContaining("shrinking.jfr").hasMessageContaining("got shorter while it was read");
        }
    }
}
