package dev.proflab.export;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ValuesTest {

    @Test
    void timeBytesAndCounts() {
        assertThat(Values.format(4_030_000_000L, "nanoseconds")).isEqualTo("4.03 s");
        assertThat(Values.format(2_000_000_000_000L, "nanoseconds")).isEqualTo("2,000 s");
        assertThat(Values.format(1_000_000_000L, "nanoseconds")).isEqualTo("1 s");
        assertThat(Values.format(953_000_000L, "nanoseconds")).isEqualTo("953 ms");
        assertThat(Values.format(1_500, "nanoseconds")).isEqualTo("1.50 µs");
        assertThat(Values.format(0, "nanoseconds")).isEqualTo("0 s");
        assertThat(Values.format(16_567_000, "bytes")).isEqualTo("15.8 MiB");
        assertThat(Values.format(512, "bytes")).isEqualTo("512 B");
        assertThat(Values.format(12_345, "count")).isEqualTo("12,345");
        assertThat(Values.format(7, "widgets")).isEqualTo("7 widgets");
        assertThat(Values.percent(1)).isEqualTo("100%");
        assertThat(Values.percent(0.4531)).isEqualTo("45.3%");
        assertThat(Values.percent(0.0012)).isEqualTo("0.12%");
    }

    @Test
    void titlesNameEveryTotal() {
        assertThat(Values.title(PprofTest.handMade(), 1)).isEqualTo("cpu: 5 samples, cpu 50.0 ms — cpu.jfr (async-profiler)");
        Profile.Builder b = new Profile.Builder(new Profile.Meta("async-profiler", "alloc", 0, null, null, "", "",
                "C:\\tmp\\alloc.jfr"), List.of(new ValueType("alloc_objects", "count"), new ValueType("alloc_space", "bytes")));
        b.sample(b.stack(new int[0]), b.thread("t"), 0, 3, 3 << 20);
        assertThat(Values.title(b.build(), 1)).isEqualTo("alloc: alloc_objects 3, alloc_space 3.00 MiB — alloc.jfr (async-profiler)");
    }
}
