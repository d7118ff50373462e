package dev.proflab.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proflab.profile.fixture.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recording of several chunks (two recordings one after the other, as JFR concatenates them). */
class MultiChunkTest {

    @TempDir
    Path tmp;

    private static Set<List<String>> stacks(Profile p) {
        Set<List<String>> s = new HashSet<>();
        for (int i = 0; i < p.stackCount(); i++) {
            s.add(java.util.Arrays.stream(p.stack(i)).mapToObj(f -> p.frame(f).toString()).toList());
        }
        return s;
    }

    @Test
    void chunksAddUpAndStacksAreStoredOnce() throws IOException {
        Path a = Fixtures.checkedIn("jfr-cpu.jfr");
        Path both = tmp.resolve("twice.jfr");
        try (OutputStream out = Files.newOutputStream(both)) {
            out.write(Files.readAllBytes(a));
            out.write(Files.readAllBytes(a));
        }
        for (boolean aggregate : new boolean[] {false, true}) {
            ReadOptions o = ReadOptions.defaults().withEvent("cpu").withAggregate(aggregate);
            Profile one = ProfileReader.read(a, o);
            Profile two = ProfileReader.read(both, o);
            int v = one.defaultValueIndex();
            assertThat(two.total(v)).isEqualTo(2 * one.total(v));
            assertThat(two.stackCount()).isEqualTo(one.stackCount());
            assertThat(two.frameCount()).isEqualTo(one.frameCount());
            assertThat(stacks(two)).isEqualTo(stacks(one));
            assertThat(two.sampleCount()).isEqualTo(aggregate ? one.sampleCount() : 2 * one.sampleCount());
        }
        assertThat(ProfileReader.events(both)).extracting(EventInfo::count)
                .containsExactlyElementsOf(ProfileReader.events(a).stream().map(e -> 2 * e.count()).toList());
    }
}
