package dev.proflab.labs.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The timeline lesson's workload runs every part, ends on time and leaves no thread behind. */
@Tag("slow")
class TraceTest {

    private static final Pattern SUMMARY = Pattern.compile("trace: (\\d+) fib calls on 2 long threads, (\\d+) short-lived "
            + "threads, (\\d+) MB allocated, (\\d+) lock entries, (\\d+) signals");

    @Test
    void everyPartRunsAndStops() throws InterruptedException {
        String summary = Trace.run(System.nanoTime() + 1_200_000_000L);
        Matcher m = SUMMARY.matcher(summary);
        assertThat(m.matches()).as(summary).isTrue();
        assertThat(Long.parseLong(m.group(1))).as("fib calls").isPositive();
        // a burst at the start and one every BURST_EVERY_MS after it
        assertThat(Long.parseLong(m.group(2))).as("short-lived threads").isGreaterThanOrEqualTo(2L * Trace.BURST_SIZE);
        assertThat(Long.parseLong(m.group(3))).as("MB allocated").isGreaterThanOrEqualTo(Trace.ALLOC_BURST >> 20);
        assertThat(Long.parseLong(m.group(4))).as("lock entries").isPositive();
        assertThat(Long.parseLong(m.group(5))).as("signals").isPositive();
        Set<String> names = Set.of("fib-long-1", "fib-long-2", "allocator", "lock-holder", "consumer", "producer",
                "queue-taker", "burst");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> names.contains(t.getName())
                || t.getName().startsWith("short-") || t.getName().startsWith("lock-waiter-"));
    }
}
