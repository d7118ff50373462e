package dev.proflab.labs.alloc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link MemProbe}: one JSON line with the loop's numbers; bad arguments are exit 2. */
class MemProbeTest {

    @TempDir
    Path dir;

    @Test
    void writesOneJsonLineWithTheNumbers() throws Exception {
        Path out = dir.resolve("probe.json");
        int code = MemProbe.run(new String[] {"impl=before", "bytes=512", "count=100", "rounds=20", "--out", out.toString()},
                System.err);
        assertThat(code).isZero();
        String line = Files.readString(out).strip();
        assertThat(line).startsWith("{\"impl\":\"before\"").endsWith("}").doesNotContain("\n");
        assertThat(line).contains("\"items\":2000", "\"oom_items\":null", "\"hold\":false");
        long allocated = Long.parseLong(line.replaceAll(".*\"allocated_bytes\":(\\d+).*", "$1"));
        assertThat(allocated).isGreaterThan(2000L * 512);
        assertThat(Alloc.heldItems()).isZero();
        if (Files.isDirectory(Path.of("/proc/self/task"))) {
            assertThat(line).containsPattern("\"vm_hwm_kb\":\\d+").containsPattern("\"gc_cpu_ns\":\\d+");
        }
    }

    @Test
    void afterAllocatesAlmostNothing() {
        String before = MemProbe.probe("before", 1024, 1000, false, 5);
        String after = MemProbe.probe("after", 1024, 1000, false, 5);
        long b = Long.parseLong(before.replaceAll(".*\"allocated_bytes\":(\\d+).*", "$1"));
        long a = Long.parseLong(after.replaceAll(".*\"allocated_bytes\":(\\d+).*", "$1"));
        assertThat(a).isLessThan(b / 100);
    }

    @Test
    void badArgumentsAreExit2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MemProbe.run(new String[] {"impl=middle"}, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("MemProbe: impl must be before or after, was 'middle'"
                + System.lineSeparator());
        assertThat(MemProbe.run(new String[] {"rounds=0"}, new PrintStream(new ByteArrayOutputStream()))).isEqualTo(2);
    }

    @Test
    void gcThreadNames() {
        assertThat(MemProbe.isGcThread("GC Thread#0")).isTrue();
        assertThat(MemProbe.isGcThread("G1 Conc#0")).isTrue();
        assertThat(MemProbe.isGcThread("ZWorkerYoung#0")).isTrue();
        assertThat(MemProbe.isGcThread("Shenandoah Con")).isTrue();
        assertThat(MemProbe.isGcThread("VM Thread")).isTrue();
        assertThat(MemProbe.isGcThread("main")).isFalse();
        assertThat(MemProbe.isGcThread("C2 CompilerThre")).isFalse();
    }
}
