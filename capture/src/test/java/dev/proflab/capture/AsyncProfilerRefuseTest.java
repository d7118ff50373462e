package dev.proflab.capture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link AsyncProfilerLibrary#refuse}: probe() answers "not usable" with the reason (in a JVM of its own). */
class AsyncProfilerRefuseTest {

    @Test
    void refusedIsNotUsableWithTheReason() throws Exception {
        java.nio.file.Path bin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(bin.toString(), "-cp", System.getProperty("java.class.path"),
                Refused.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out.strip()).isEqualTo("false|null|null|another async-profiler is loaded");
    }

    /** Refuses, then probes. */
    static final class Refused {
        public static void main(String[] args) {
            AsyncProfilerLibrary.refuse("another async-profiler is loaded");
            AsyncProfilerLibrary.Status s = AsyncProfilerLibrary.probe();
            System.out.println(s.usable() + "|" + s.library() + "|" + s.version() + "|" + s.problem());
        }
    }
}
