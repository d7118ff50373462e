package dev.proflab.labs.leak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LeakTest {

    private static long liveLeakyWorkers() {
        Map<Thread, StackTraceElement[]> all = Thread.getAllStackTraces();
        return all.keySet().stream().filter(t -> t.getName().startsWith("leaky-worker-") && t.isAlive()).count();
    }

    @Test
    void threadsStayUntilStoppedThenAllEnd() throws InterruptedException {
        long already = liveLeakyWorkers();
        Leak leak = Leak.start(25, 1024);
        try {
            assertThat(leak.threads()).hasSize(25);
            assertThat(leak.alive()).isEqualTo(25);
            Thread.sleep(100);
            assertThat(leak.alive()).as("nothing ends them but stop()").isEqualTo(25);
            assertThat(liveLeakyWorkers()).isEqualTo(already + 25);
            for (Thread thread : leak.threads()) {
                assertThat(thread.isDaemon()).isTrue();
                assertThat(thread.getState()).isEqualTo(Thread.State.WAITING);
                assertThat(thread.getStackTrace()).anyMatch(f -> f.getMethodName().equals("waitForWorkThatNeverComes"));
            }
        } finally {
            assertThat(leak.stop()).isTrue();
        }
        assertThat(leak.alive()).isZero();
        assertThat(leak.threads()).allMatch(t -> t.getState() == Thread.State.TERMINATED);
        assertThat(leak.stop()).as("stop twice").isTrue();
    }

    @Test
    void interruptsDoNotEndThem() throws InterruptedException {
        try (Leak leak = Leak.start(3)) {
            leak.threads().forEach(Thread::interrupt);
            Thread.sleep(100);
            assertThat(leak.alive()).isEqualTo(3);
        }
    }

    @Test
    void closeStopsThem() {
        Leak leak;
        try (Leak l = Leak.start(4)) {
            leak = l;
            assertThat(l.alive()).isEqualTo(4);
        }
        assertThat(leak.alive()).isZero();
    }

    @Test
    void zeroThreadsIsAllowedNegativeIsNot() {
        try (Leak leak = Leak.start(0)) {
            assertThat(leak.alive()).isZero();
        }
        assertThatThrownBy(() -> Leak.start(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Leak.start(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
