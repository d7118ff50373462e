package dev.proflab.profile;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Messages of the library name its parameters as it does, marked for the CLI and HTTP layers to rename. */
class NeutralMessagesTest {

    private static final Path PROFILES = Path.of("src/test/resources/profiles");

    @Test
    void aTimeRangeOnPprofNamesTheReadOptions() {
        Path pprof = PROFILES.resolve("ap-cpu.pb.gz");
        ProfileException e = catchThrowableOfType(ProfileException.class,
                () -> ProfileReader.read(pprof, ReadOptions.defaults().withTimeRange(0, 1_000_000)));
        assertThat(e.getMessage()).isEqualTo(pprof + ": a pprof profile has no sample times: fromNanos/toNanos need a"
                + " JFR recording");
        assertThat(e.phrase().parameters()).containsExactly("fromNanos", "toNanos");
        assertThat(e.phrase().in(n -> "--" + n.replace("Nanos", ""))).endsWith(": --from/--to need a JFR recording");
        assertThat(new ProfileException(pprof, "plain").phrase().toString()).isEqualTo(pprof + ": plain");
    }

    @Test
    void theTimelineNoteNamesTheCaptureSettings() {
        Timeline t = TimelineReader.read(PROFILES.resolve("ap-cpu.jfr"));
        assertThat(t.note()).endsWith("need a JDK Flight Recorder recording, e.g. one captured with timeline (engine jfr)");
        assertThat(t.notePhrase().parameters()).containsExactly("timeline", "engine");
        assertThat(TimelineReader.read(PROFILES.resolve("jfr-timeline.jfr")).notePhrase()).isNull();
    }
}
