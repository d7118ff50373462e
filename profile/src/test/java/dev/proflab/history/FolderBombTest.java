package dev.proflab.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.proflab.profile.fixture.Bombs;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of collected windows with hostile files among the good ones: a gzip that inflates to 8 GB,
 * named as a window and not; a recording cut short. The folder is listed in seconds: the good windows as
 * ever, the bombs as unreadable windows (their name tells kind and start) or skipped files (it does not),
 * each with its reason.
 */
@Tag("slow")
class FolderBombTest {

    @TempDir
    Path dir;

    private Path put(Path from, String name) throws IOException {
        Path to = dir.resolve(name);
        Files.createDirectories(to.getParent());
        return Files.copy(from, to);
    }

    @Test
    void bombsAreUnreadableWindowsOrSkippedFiles() throws IOException {
        put(ProfileFolderTest.CPU, "cpu/cpu_20261126-100000.jfr");
        put(ProfileFolderTest.CPU_PPROF, "cpu/cpu_20261126-100200.pb.gz");
        Files.createDirectories(dir.resolve("cpu"));
        Bombs.zeros(dir.resolve("cpu/cpu_20261126-100100.pb.gz"), 128);
        Bombs.zeros(dir.resolve("unnamed.pb.gz"), 128);
        byte[] jfr = Files.readAllBytes(ProfileFolderTest.CPU);
        Files.write(dir.resolve("cpu/cpu_20261126-100300.jfr"), Arrays.copyOf(jfr, jfr.length / 2));

        long bytes = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = mx.getCurrentThreadAllocatedBytes();
            ProfileFolder.Listing l = new ProfileFolder(dir).scan();
            assertThat(l.of("cpu")).extracting(Window::name).containsExactly("cpu/cpu_20261126-100000.jfr",
                    "cpu/cpu_20261126-100100.pb.gz", "cpu/cpu_20261126-100200.pb.gz", "cpu/cpu_20261126-100300.jfr");
            assertThat(l.of("cpu")).extracting(Window::problem).satisfiesExactly(
                    p -> assertThat(p).isNull(),
                    p -> assertThat(p).startsWith("gzip data that inflates to more than ")
                            .endsWith(": not read (a decompression bomb?)"),
                    p -> assertThat(p).isNull(),
                    p -> assertThat(p).startsWith("truncated JFR recording"));
            assertThat(l.skipped()).singleElement().satisfies(s -> {
                assertThat(s.name()).isEqualTo("unnamed.pb.gz");
                assertThat(s.reason()).startsWith("gzip data that inflates to more than ");
            });
            return mx.getCurrentThreadAllocatedBytes() - before;
        });
        // the skim inflates a bomb up to the limit into a small buffer, not into memory
        assertThat(bytes).isLessThan(256L << 20);
    }
}
