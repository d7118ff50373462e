package dev.proflab.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A benchmark that throws is named with its first error line, not lost in a table without it. */
class InterleavedRunFailureTest {

    @Test
    void theFirstErrorAfterAFailureIsKept() {
        InterleavedRun.FailureWatch watch = new InterleavedRun.FailureWatch();
        for (String line : new String[] {
                "# Warmup Iteration   1: 42.1 ms/op",
                "# Parameters: (impl = mine)",
                "# Warmup Iteration   1: <failure>",
                "",
                "java.lang.IllegalStateException: mine's report differs from the original's at line 1",
                "\tat dev.proflab.bench.ChallengeBench.setUp(ChallengeBench.java:62)",
                "java.lang.RuntimeException: a later one"}) {
            watch.accept("mine", line);
        }
        assertThat(watch.first()).isEqualTo("the benchmark of mine failed: java.lang.IllegalStateException: "
                + "mine's report differs from the original's at line 1");
    }

    @Test
    void noFailureNoMessage() {
        InterleavedRun.FailureWatch watch = new InterleavedRun.FailureWatch();
        watch.accept("before", "Iteration   1: 12.0 ms/op");
        watch.accept("before", "java.lang.Exception mentioned in a normal line");
        assertThat(watch.first()).isNull();
    }
}
