package dev.proflab.export;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real recording to pprof and back with the project's pprof reader: value types, totals, threads,
 * every stack (as collapsed stacks) and the top frames agree.
 */
@Tag("slow")
class RoundTripTest {

    @Test
    void cpuRecording(@TempDir Path dir) throws Exception {
        roundTrip(Recordings.cpuProfile(), dir.resolve("cpu.pb.gz"));
    }

    @Test
    void allocRecording(@TempDir Path dir) throws Exception {
        roundTrip(Recordings.allocProfile(), dir.resolve("alloc.pb.gz"));
    }

    @Test
    void handMadeProfileKeepsLinesAndFiles(@TempDir Path dir) throws Exception {
        Path pb = dir.resolve("hand.pb.gz");
        Files.write(pb, Pprof.encode(PprofTest.handMade()));
        Profile back = ProfileReader.read(pb);
        Set<String> frames = new HashSet<>();
        for (int f = 0; f < back.frameCount(); f++) {
            frames.add(back.frame(f).name() + ":" + back.frame(f).line() + " " + back.frame(f).sourceFile());
        }
        assertThat(frames).contains("dev.proflab.labs.fib.Fib.recursive:12 dev/proflab/labs/fib/Fib.java",
                "dev.proflab.labs.fib.Fib.recursive:14 dev/proflab/labs/fib/Fib.java",
                "dev.proflab.labs.fib.Fib$Worker.call:7 dev/proflab/labs/fib/Fib.java",
                "java.lang.Thread.run:1583 java/lang/Thread.java");
        roundTrip(PprofTest.handMade(), dir.resolve("hand2.pb.gz"));
    }

    private static void roundTrip(Profile a, Path pb) throws Exception {
        Files.write(pb, Pprof.encode(a));
        Profile b = ProfileReader.read(pb);

        assertThat(b.valueTypes()).isEqualTo(a.valueTypes());
        assertThat(b.defaultValueIndex()).isEqualTo(a.defaultValueIndex());
        for (int v = 0; v < a.valueTypes().size(); v++) {
            assertThat(b.total(v)).as("total of %s", a.valueTypes().get(v)).isEqualTo(a.total(v));
            // every stack with its value, root first, merged by name: the same text
            assertThat(Collapsed.render(b, v)).isEqualTo(Collapsed.render(a, v));
            assertThat(Collapsed.render(b, v, true)).isEqualTo(Collapsed.render(a, v, true));
            assertThat(top(b, v)).isEqualTo(top(a, v));
        }
        assertThat(threads(b)).isEqualTo(threads(a));
        assertThat(b.meta().event()).isEqualTo(a.meta().event());
        assertThat(b.meta().interval()).isEqualTo(a.meta().interval());
        if (a.meta().start() != null) {
            assertThat(b.meta().start()).isEqualTo(a.meta().start());
            assertThat(b.meta().duration()).isEqualTo(a.meta().duration());
        }
    }

    /** The ten frames with the most self value, with their values (pprof's -top). */
    static List<String> top(Profile p, int v) {
        Map<String, Long> self = new HashMap<>();
        for (int s = 0; s < p.sampleCount(); s++) {
            int[] stack = p.stack(p.stackOf(s));
            if (stack.length > 0) {
                self.merge(p.frame(stack[0]).name(), p.value(s, v), Long::sum);
            }
        }
        return self.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(10).map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.toList());
    }

    private static Set<String> threads(Profile p) {
        Set<String> t = new HashSet<>();
        for (int s = 0; s < p.sampleCount(); s++) {
            t.add(p.threadName(p.threadOf(s)));
        }
        return t;
    }
}
