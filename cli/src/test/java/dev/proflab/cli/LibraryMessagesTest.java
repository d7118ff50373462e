package dev.proflab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The profile library names its parameters neutrally ({@code fromNanos}, the capture's {@code timeline}); the CLI
 * names them as its users type them.
 */
class LibraryMessagesTest {

    private static final Path PROFILES = Path.of("../profile/src/test/resources/profiles").toAbsolutePath().normalize();

    @Test
    void aTimeRangeOnPprofNamesTheFlags() {
        CliRun r = CliRun.of("top", "--from", "1s", PROFILES.resolve("ap-cpu.pb.gz").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("a pprof profile has no sample times: --from/--to need a JFR recording")
                .doesNotContain("fromNanos");
    }

    @Test
    void theTimelineNoteNamesTheCommandThatRecordsGcAndSafepoints() {
        String want = "e.g. one captured with proflab profile --timeline (--engine jfr)";
        CliRun text = CliRun.of("timeline", PROFILES.resolve("ap-cpu.jfr").toString());
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("Note: no GC or safepoint events in this recording (async-profiler)", want);
        CliRun json = CliRun.of("timeline", "--format", "json", PROFILES.resolve("ap-cpu.jfr").toString());
        assertThat(json.out()).contains(want);
    }
}
