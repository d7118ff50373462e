package dev.proflab.server.collect;

import dev.proflab.profile.ProfileKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static dev.proflab.server.collect.CollectTestSupport.hidden;
import static dev.proflab.server.collect.CollectTestSupport.visible;
import static org.assertj.core.api.Assertions.assertThat;

/** Stopping (what the shutdown hook does on Ctrl-C): a capture under way finishes within the grace, or is dropped. */
@Tag("slow")
class CollectorStopTest {

    private static Collector collector(String base, Path out, CollectTestSupport.Log log, Duration grace) {
        return new Collector(CollectOptions.of(URI.create(base), Duration.ofSeconds(3), Duration.ofSeconds(2),
                Duration.ofSeconds(1), List.of(ProfileKind.CPU), out, false, 0, 0, null, null).withStopGrace(grace), log);
    }

    @Test
    void aStopMidWindowDropsTheWindowCleanlyWhenTheGraceIsShort(@TempDir Path out) throws Exception {
        stopMidWindow(out, Duration.ofMillis(100), false);
    }

    @Test
    void aStopMidWindowLetsItFinishWithinTheGrace(@TempDir Path out) throws Exception {
        stopMidWindow(out, Duration.ofSeconds(5), true);
    }

    private static void stopMidWindow(Path out, Duration grace, boolean kept) throws Exception {
        CollectTestSupport.Target target = new CollectTestSupport.Target().start(0);
        CollectTestSupport.Log log = new CollectTestSupport.Log();
        Collector c = collector(target.base(), out, log, grace);
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        try {
            Thread t = CollectTestSupport.runInBackground(c, errors);
            log.await(l -> l.startsWith("collecting cpu (2 s)"), 1, 10);
            Thread.sleep(800); // in the first window
            long t0 = System.nanoTime();
            c.stop(grace);
            t.join(10_000);
            assertThat(c.finished()).isTrue();
            assertThat(errors).isEmpty();
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(kept ? 5.0 : 2.0);
        } finally {
            target.stop();
        }
        assertThat(hidden(out.resolve("cpu"))).isEmpty();
        if (kept) {
            assertThat(visible(out.resolve("cpu"))).hasSize(1);
            assertThat(log.lines()).anyMatch(l -> l.contains("cycle 1: cpu 2 s") && l.contains("-> cpu/cpu_"));
        } else {
            assertThat(visible(out.resolve("cpu"))).isEmpty();
            assertThat(log.lines()).anyMatch(l -> l.contains("cycle 1: cpu dropped (stopping)"));
        }
    }
}
