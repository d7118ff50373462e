package dev.proflab.export;

import dev.proflab.profile.Profile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SampleIndexTest {

    @Test
    void namesTypesUnitsAndWords() {
        Profile cpu = PprofTest.handMade(); // samples/count, cpu/nanoseconds
        assertThat(SampleIndex.resolve(cpu, null)).isEqualTo(1);
        assertThat(SampleIndex.resolve(cpu, " ")).isEqualTo(1);
        assertThat(SampleIndex.resolve(cpu, "0")).isZero();
        assertThat(SampleIndex.resolve(cpu, "samples")).isZero();
        assertThat(SampleIndex.resolve(cpu, "CPU")).isEqualTo(1);
        assertThat(SampleIndex.resolve(cpu, "nanoseconds")).isEqualTo(1);
        assertThat(SampleIndex.resolve(cpu, "count")).isZero();
        Profile.Builder b = new Profile.Builder(cpu.meta(), cpu.valueTypes()).defaultValueIndex(0);
        assertThat(SampleIndex.resolve(b.build(), null)).isZero();

        Profile alloc = Recordings.allocProfile(); // alloc_objects/count, alloc_space/bytes
        assertThat(SampleIndex.resolve(alloc, null)).isEqualTo(1);
        assertThat(SampleIndex.resolve(alloc, "bytes")).isEqualTo(1);
        assertThat(SampleIndex.resolve(alloc, "space")).isEqualTo(1);
        assertThat(SampleIndex.resolve(alloc, "objects")).isZero();
        assertThat(SampleIndex.resolve(alloc, "alloc_objects")).isZero();
    }

    @Test
    void unknownOnesSayWhatThereIs() {
        Profile cpu = PprofTest.handMade();
        assertThatThrownBy(() -> SampleIndex.resolve(cpu, "bytes"))
                .isInstanceOf(ExportException.class)
                .hasMessage("sample index 'bytes' is not in this profile (or fits more than one value):"
                        + " it has 0=samples/count, 1=cpu/nanoseconds");
        assertThatThrownBy(() -> SampleIndex.resolve(cpu, "7")).isInstanceOf(ExportException.class);
    }
}
