package dev.proflab.capture;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadSummaryTest {

    static final List<String> PARKED = List.of("jdk.internal.misc.Unsafe.park(Native Method)",
            "java.util.concurrent.CountDownLatch.await(CountDownLatch.java:230)",
            "dev.proflab.labs.leak.Leak.waitForWorkThatNeverComes(Leak.java:143)");

    static ThreadDump.ThreadEntry t(long id, String name, String state, List<String> stack) {
        return new ThreadDump.ThreadEntry(id, name, state, true, stack, null, -1, List.of());
    }

    static ThreadDump dump(Instant at, int workers, ThreadDump.ThreadEntry... more) {
        List<ThreadDump.ThreadEntry> ts = new ArrayList<>();
        ts.add(t(1, "main", "TIMED_WAITING", List.of("java.lang.Thread.sleep(Thread.java:500)", "Main.main(Main.java:3)")));
        for (int i = 0; i < workers; i++) {
            ts.add(t(100 + i, "leaky-worker-" + i, "WAITING", PARKED));
        }
        ts.addAll(List.of(more));
        return new ThreadDump(7, at, "25", "Main", ts, List.of());
    }

    @Test
    void groupsIdenticalStacksLargestFirst() {
        ThreadSummary s = ThreadSummary.of(dump(Instant.EPOCH, 5, t(9, "Signal Dispatcher", "RUNNABLE", List.of())));
        assertThat(s.threads()).isEqualTo(7);
        assertThat(s.states()).containsExactly(java.util.Map.entry("RUNNABLE", 1), java.util.Map.entry("WAITING", 5),
                java.util.Map.entry("TIMED_WAITING", 1));
        ThreadSummary.Group g = s.groups().get(0);
        assertThat(g.count()).isEqualTo(5);
        assertThat(g.names()).isEqualTo("leaky-worker-*");
        assertThat(g.state()).isEqualTo("WAITING");
        assertThat(g.stack()).isEqualTo(PARKED);
        assertThat(s.groups()).hasSize(3);
        assertThat(s.deadlocks()).isEmpty();
    }

    @Test
    void namePatterns() {
        assertThat(ThreadSummary.pattern(List.of("pool-1-thread-1", "pool-1-thread-2"))).isEqualTo("pool-*-thread-*");
        assertThat(ThreadSummary.pattern(List.of("main"))).isEqualTo("main");
        assertThat(ThreadSummary.pattern(List.of("a", "b", "c", "d"))).isEqualTo("a, b, c, ...");
        assertThat(ThreadSummary.pattern(List.of("w-1", "w-2", "x"))).isEqualTo("w-*, x");
    }

    @Test
    void growthBetweenTwoDumps() {
        ThreadDump a = dump(Instant.parse("2026-01-01T00:00:00Z"), 3);
        ThreadDump b = dump(Instant.parse("2026-01-01T00:00:05Z"), 10);
        ThreadSummary.Growth g = ThreadSummary.growth(a, b);
        assertThat(g.seconds()).isEqualTo(5.0);
        assertThat(g.before()).isEqualTo(4);
        assertThat(g.after()).isEqualTo(11);
        assertThat(g.states()).containsExactly(java.util.Map.entry("WAITING", 7));
        assertThat(g.changes()).singleElement().satisfies(c -> {
            assertThat(c.delta()).isEqualTo(7);
            assertThat(c.before()).isEqualTo(3);
            assertThat(c.after()).isEqualTo(10);
            assertThat(c.names()).isEqualTo("leaky-worker-*");
        });
        assertThat(ThreadSummary.growth(a, a).changes()).isEmpty();
    }

    @Test
    void deadlockCycleIsSpelledOut() {
        ThreadDump.ThreadEntry x = new ThreadDump.ThreadEntry(11, "deadlock-a", "BLOCKED", false,
                List.of("Fixture.a(Fixture.java:10)"), "java.lang.Object@1", 12, List.of("java.lang.Object@2"));
        ThreadDump.ThreadEntry y = new ThreadDump.ThreadEntry(12, "deadlock-b", "BLOCKED", false,
                List.of("Fixture.b(Fixture.java:20)"), "java.lang.Object@2", 11, List.of("java.lang.Object@1"));
        ThreadDump d = new ThreadDump(7, Instant.EPOCH, "25", "Fixture", List.of(x, y), List.of(11L, 12L));
        List<ThreadSummary.Deadlock> dl = ThreadSummary.of(d).deadlocks();
        assertThat(dl).singleElement().satisfies(one -> assertThat(one.cycle()).containsExactly(
                new ThreadSummary.Link("deadlock-a", "BLOCKED", "java.lang.Object@1", "deadlock-b", "Fixture.a(Fixture.java:10)"),
                new ThreadSummary.Link("deadlock-b", "BLOCKED", "java.lang.Object@2", "deadlock-a", "Fixture.b(Fixture.java:20)")));
    }
}
