package dev.proflab.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proflab.profile.fixture.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A recording of several chunks (two recordings one after the other, as JFR concatenates them). The first chunk's
 * stacks are read in one pass over its pools, a later chunk's in a second pass straight into the profile, unless
 * it is small: each test runs both ways ({@code onePass}: the largest chunk read in one pass, 0 or any).
 */
class MultiChunkTest {

    @TempDir
    Path tmp;

    @AfterEach
    void byTheHeap() {
        JfrConstants.onePassChunkBytes = -1;
    }

    private static Set<List<String>> stacks(Profile p) {
        Set<List<String>> s = new HashSet<>();
        for (int i = 0; i < p.stackCount(); i++) {
            s.add(java.util.Arrays.stream(p.stack(i)).mapToObj(f -> p.frame(f).toString()).toList());
        }
        return s;
    }

    @ParameterizedTest
    @ValueSource(longs = {0, Long.MAX_VALUE})
    void chunksAddUpAndStacksAreStoredOnce(long onePass) throws IOException {
        JfrConstants.onePassChunkBytes = onePass;
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

    /** Samples per stack, the stack as its frames' names. */
    private static Map<String, Long> samplesByStack(Profile p) {
        Map<String, Long> out = new TreeMap<>();
        for (int i = 0; i < p.sampleCount(); i++) {
            String key = java.util.Arrays.stream(p.stack(p.stackOf(i))).mapToObj(f -> p.frame(f).toString())
                    .collect(java.util.stream.Collectors.joining(";"));
            out.merge(key, p.value(i, 0), Long::sum);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(longs = {0, Long.MAX_VALUE})
    void chunksOfDifferentRecordingsReadAsEachAlone(long onePass) throws IOException {
        JfrConstants.onePassChunkBytes = onePass;
        Path ap = Fixtures.checkedIn("ap-cpu.jfr");
        Path jfr = Fixtures.checkedIn("jfr-cpu.jfr");
        ReadOptions o = ReadOptions.defaults().withEvent("cpu").withAggregate(true);
        Map<String, Long> expected = new TreeMap<>(samplesByStack(ProfileReader.read(ap, o)));
        samplesByStack(ProfileReader.read(jfr, o)).forEach((k, v) -> expected.merge(k, v, Long::sum));
        for (List<Path> order : List.of(List.of(ap, jfr), List.of(jfr, ap))) {
            Path both = tmp.resolve(order.get(0).getFileName() + "+" + order.get(1).getFileName());
            try (OutputStream out = Files.newOutputStream(both)) {
                for (Path f : order) {
                    out.write(Files.readAllBytes(f));
                }
            }
            Profile p = ProfileReader.read(both, o);
            assertThat(samplesByStack(p)).as(both.getFileName().toString()).isEqualTo(expected);
            // every stack once, however many chunks hold it
            assertThat(stacks(p)).hasSize(p.stackCount());
        }
    }
}
