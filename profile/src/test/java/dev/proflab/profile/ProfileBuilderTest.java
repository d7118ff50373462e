package dev.proflab.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder hands its columns to the profile it builds, and interns stacks from a reused buffer. */
class ProfileBuilderTest {

    private static Profile.Builder builder() {
        return new Profile.Builder(new Profile.Meta("test", "cpu", 0, null, null, "", "", ""),
                List.of(new ValueType("samples", "count"), new ValueType("cpu", "nanoseconds")));
    }

    @Test
    void aBuiltProfileDoesNotChangeWhenTheBuilderGoesOn() {
        Profile.Builder b = builder();
        int s = b.stack(new int[] {b.frame(new Frame("p.T", "a", "()V", 1, Frame.Kind.JIT)), b.frame(new Frame("p.T", "main", "()V", 1, Frame.Kind.JIT))});
        int t = b.thread("main");
        for (int i = 0; i < 3000; i++) {
            b.sample(s, t, i, 1, 10);
        }
        Profile first = b.build();
        b.addTo(0, 0, new long[] {5, 50});
        b.sample(s, t, 5000, 7, 70);
        Profile second = b.build();
        assertThat(first.sampleCount()).isEqualTo(3000);
        assertThat(first.value(0, 0)).isEqualTo(1);
        assertThat(first.total(1)).isEqualTo(30_000);
        assertThat(second.sampleCount()).isEqualTo(3001);
        assertThat(second.value(0, 0)).isEqualTo(6);
        assertThat(second.total(1)).isEqualTo(30_000 + 50 + 70);
        assertThat(second.timeOf(3000)).isEqualTo(5000);
        // built twice with nothing added in between: equal profiles
        Profile third = b.build();
        assertThat(third.sampleCount()).isEqualTo(3001);
        assertThat(third.total(0)).isEqualTo(second.total(0));
        // an empty builder builds, and goes on
        Profile.Builder e = builder();
        assertThat(e.build().sampleCount()).isZero();
        e.sample(e.stack(new int[0]), e.thread("x"), 0, 1, 1);
        assertThat(e.build().sampleCount()).isEqualTo(1);
    }

    @Test
    void stacksFromABufferAreCopiedWhenNew() {
        Profile.Builder b = builder();
        int f0 = b.frame(new Frame("p.T", "a", "()V", 1, Frame.Kind.JIT));
        int f1 = b.frame(new Frame("p.T", "b", "()V", 1, Frame.Kind.JIT));
        int f2 = b.frame(new Frame("p.T", "main", "()V", 1, Frame.Kind.JIT));
        int[] buf = {f0, f1, f2, 99, 99};
        int s = b.stack(buf, 3);
        int shorter = b.stack(buf, 2);
        buf[0] = f1;
        assertThat(s).isNotEqualTo(shorter);
        assertThat(b.stackFrames(s)).containsExactly(f0, f1, f2);
        assertThat(b.stackFrames(shorter)).containsExactly(f0, f1);
        assertThat(b.stack(new int[] {f0, f1, f2})).isEqualTo(s);
        assertThat(b.stack(new int[] {f1, f1, f2, 7}, 3)).isNotEqualTo(s);
        assertThat(b.stack(new int[0], 0)).isEqualTo(b.stack(new int[0]));
        assertThat(b.stackCount()).isEqualTo(4);
    }
}
