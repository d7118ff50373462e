package dev.proflab.export;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CollapsedTest {

    @Test
    void handMadeProfileRootFirstSortedAndMerged() {
        Profile p = PprofTest.handMade();
        assertThat(Collapsed.render(p, 0)).isEqualTo("""
                [no stack] 1
                java.lang.Thread.run;dev.proflab.labs.fib.Fib$Worker.call;dev.proflab.labs.fib.Fib.recursive;__memset_avx2_unaligned_erms 1
                java.lang.Thread.run;dev.proflab.labs.fib.Fib.recursive;dev.proflab.labs.fib.Fib.recursive 3
                """);
        assertThat(Collapsed.render(p, 1, true)).isEqualTo("""
                [main];[no stack] 10000000
                [main];java.lang.Thread.run;dev.proflab.labs.fib.Fib.recursive;dev.proflab.labs.fib.Fib.recursive 20000000
                [worker-1];java.lang.Thread.run;dev.proflab.labs.fib.Fib$Worker.call;dev.proflab.labs.fib.Fib.recursive;__memset_avx2_unaligned_erms 10000000
                [worker-1];java.lang.Thread.run;dev.proflab.labs.fib.Fib.recursive;dev.proflab.labs.fib.Fib.recursive 10000000
                """);
    }

    @Test
    void separatorsInNamesAreReplacedAndZeroesLeftOut() {
        Profile.Builder b = new Profile.Builder(new Profile.Meta("pprof", "cpu", 0, null, null, "", "", ""),
                List.of(new ValueType("samples", "count")));
        int odd = b.frame(new Frame("", "operator;new\n", "", 0, Frame.Kind.NATIVE));
        int ok = b.frame(new Frame("a.B", "c", "", 0, Frame.Kind.JIT));
        b.sample(b.stack(new int[] {odd, ok}), b.thread("t"), 0, 2);
        b.sample(b.stack(new int[] {ok}), b.thread("t"), 0, 0);
        assertThat(Collapsed.render(b.build(), 0)).isEqualTo("a.B.c;operator:new  2\n");
    }

    @Test
    void realRecordingTotalsAndHotStack() {
        Profile p = Recordings.cpuProfile();
        String text = Collapsed.render(p, 0);
        List<String> lines = text.lines().toList();
        long total = lines.stream().mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(total).isEqualTo(p.sampleCount());
        String hottest = lines.stream()
                .max((a, c) -> Long.compare(count(a), count(c))).orElseThrow();
        String[] frames = hottest.substring(0, hottest.lastIndexOf(' ')).split(";");
        assertThat(frames[0]).isEqualTo("java.lang.Thread.run");
        assertThat(frames[frames.length - 1]).isEqualTo("dev.proflab.export.Fib.recursive");
        assertThat(Arrays.stream(frames).filter(f -> f.equals("dev.proflab.export.Fib.recursive")).count())
                .isGreaterThan(5);
    }

    private static long count(String line) {
        return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
    }
}
