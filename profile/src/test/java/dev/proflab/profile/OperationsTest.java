package dev.proflab.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationsTest {

    @TempDir
    Path dir;

    @Test
    void theSidecarIsBesideTheRecordingAndReadsBack() throws IOException {
        Path jfr = dir.resolve("cpu.jfr");
        Files.writeString(jfr, "not read");
        assertThat(Operations.sidecarOf(jfr)).isEqualTo(dir.resolve("cpu.jfr.ops.json"));
        assertThat(Operations.read(jfr)).as("no sidecar, no count").isNull();
        Operations o = new Operations(135, "op", "jmh", "measurement iterations");
        o.write(jfr);
        assertThat(Operations.read(jfr)).isEqualTo(o);
        assertThat(Files.readString(jfr)).as("the recording is untouched").isEqualTo("not read");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted())
                    .as("nothing but the two files: the write was atomic, no temporary left")
                    .containsExactly("cpu.jfr", "cpu.jfr.ops.json");
        }
        assertThat(o.describe()).isEqualTo("135 ops (jmh)");
        assertThat(new Operations(1, "request", "load", "").describe()).isEqualTo("1 request (load)");
    }

    @Test
    void aBadSidecarIsOneLineNamingIt() throws IOException {
        Path jfr = dir.resolve("x.jfr");
        Path side = Operations.sidecarOf(jfr);
        for (String[] c : List.of(
                new String[] {"{", "not JSON"},
                new String[] {"[1]", "not a JSON object"},
                new String[] {"{\"operations\": 0}", "\"operations\" must be a whole number of at least 1"},
                new String[] {"{\"operations\": \"12\"}", "\"operations\" must be a whole number of at least 1"},
                new String[] {"{\"operations\": 1.5}", "\"operations\" must be a whole number of at least 1"},
                new String[] {"{\"operations\": 3, \"unit\": \"byte\"}", "\"unit\" 'byte' is not op or request"})) {
            Files.writeString(side, c[0]);
            assertThatThrownBy(() -> Operations.read(jfr)).as(c[0]).isInstanceOf(ProfileException.class)
                    .hasMessageStartingWith(side + ": " + c[1]).hasMessageNotContaining("\n");
        }
        byte[] big = new byte[(int) Operations.MAX_BYTES + 1];
        Arrays.fill(big, (byte) ' ');
        Files.write(side, big);
        assertThatThrownBy(() -> Operations.read(jfr)).hasMessageContaining("larger than 64 KB");
    }

    @Test
    void aSideOfSeveralRecordingsSumsTheirCounts() {
        Operations a = new Operations(100, "op", "jmh", "");
        Operations b = new Operations(50, "op", "jmh", "");
        assertThat(Operations.sum(List.of(a, b))).isEqualTo(new Operations(150, "op", "jmh", "2 recordings together"));
        assertThat(Operations.sum(List.of(a, Operations.user(5))).source()).isEqualTo("mixed");
        assertThat(Operations.sum(Arrays.asList(a, null))).as("one without a count: the side has none").isNull();
        assertThat(Operations.sum(List.of(a, new Operations(5, "request", "load", "")))).isNull();
        assertThatThrownBy(() -> new Operations(0, "op", "user", "")).isInstanceOf(IllegalArgumentException.class);
    }
}
