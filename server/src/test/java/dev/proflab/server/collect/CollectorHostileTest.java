package dev.proflab.server.collect;

import dev.proflab.profile.EventInfo;
import dev.proflab.profile.ProfileKind;
import dev.proflab.server.fetch.HostileServer;
import dev.proflab.server.fetch.ProfileFetcher;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.proflab.server.collect.CollectTestSupport.hidden;
import static dev.proflab.server.collect.CollectTestSupport.visible;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A target that answers a capture with an endless body, a body past the cap, a trickle, no answer, a cut connection,
 * a profile of another kind or format: each costs that window (one line says why) and the next capture goes on.
 */
@Tag("slow")
class CollectorHostileTest {

    @Test
    void eachHostileAnswerCostsOneWindowAndCollectionGoesOn(@TempDir Path out) throws Exception {
        byte[] pprof = HostileServer.cpuPprof();
        byte[] jfr = HostileServer.cpuJfr();
        AtomicInteger heapCalls = new AtomicInteger();
        HostileServer[] self = new HostileServer[1];
        // the heap snapshot of each cycle, as the cycle's line says it (regular expressions)
        List<String> expected = List.of(
                "heap skipped \\(the answer is larger than 1\\.0 MB: stopped reading it: --max-profile-bytes\\)",
                "heap skipped \\(the answer is 10 GB \\(Content-Length\\), larger than 1\\.0 MB: not read: --max-profile-bytes\\)",
                "heap skipped \\(the answer did not complete within 3 s \\(\\d+ bytes? arrived\\): the snapshot plus 2 s\\)",
                "heap skipped \\(no answer within 3 s: the snapshot plus 2 s\\)",
                "heap skipped \\(download failed after [^:;]+: [^;]+\\)",
                "heap skipped \\(not a heap profile: the answer is a cpu profile \\(\\d+ samples\\)\\)",
                "heap skipped \\(not pprof as asked: the answer is a JFR recording\\)");
        try (HostileServer target = HostileServer.start(ex -> {
            HostileServer s = self[0];
            switch (ex.getRequestURI().getPath()) {
                case "/debug/pprof/profile" -> HostileServer.reply(ex, 200, "application/octet-stream", pprof);
                case "/debug/pprof/heap" -> {
                    switch (heapCalls.getAndIncrement()) {
                        case 0 -> s.endless(ex);
                        case 1 -> s.declared(ex, 10L << 30);
                        case 2 -> s.trickle(ex, Duration.ofMillis(200));
                        case 3 -> s.silent(ex);
                        case 4 -> HostileServer.cut(ex, pprof);
                        case 5 -> HostileServer.reply(ex, 200, "application/octet-stream", pprof); // a CPU profile
                        default -> HostileServer.reply(ex, 200, "application/octet-stream", jfr); // JFR, not pprof
                    }
                }
                default -> HostileServer.reply(ex, 200, "text/html", "<html>index</html>".getBytes());
            }
        })) {
            self[0] = target;
            CollectTestSupport.Log log = new CollectTestSupport.Log();
            CollectOptions o = CollectOptions.of(URI.create(target.base()), Duration.ofSeconds(2), Duration.ofSeconds(1),
                            Duration.ofSeconds(1), List.of(ProfileKind.CPU, ProfileKind.HEAP), out, false, 0, 0, null, null)
                    .withMaxCycles(expected.size()).withMaxProfileBytes(1 << 20).withMargin(Duration.ofSeconds(2))
                    .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1));
            long t0 = System.nanoTime();
            Collector.Summary s = new Collector(o, log).run();
            double seconds = (System.nanoTime() - t0) / 1e9;

            assertThat(s.cycles()).isEqualTo(expected.size());
            assertThat(s.files()).as(log.toString()).isEqualTo(expected.size());
            assertThat(s.skipped()).as(log.toString()).isEqualTo(expected.size());
            assertThat(s.outages()).as(log.toString()).isZero();
            List<String> cycles = log.lines().stream().filter(l -> l.contains(" cycle ")).toList();
            assertThat(cycles).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                // every cycle saved its CPU window, then lost its heap snapshot for the reason said
                assertThat(cycles.get(i)).as(log.toString()).matches(".* cycle " + (i + 1)
                        + ": cpu 1 s [^,]* -> cpu/cpu_\\S+\\.pb\\.gz, " + expected.get(i) + "; kept \\d+ files? .*");
            }
            assertThat(log.toString()).doesNotContain("--timeout");
            assertThat(seconds).isLessThan(120);
        }
        assertThat(visible(out.resolve("heap"))).isEmpty();
        assertThat(hidden(out.resolve("heap"))).isEmpty();
        assertThat(hidden(out.resolve("cpu"))).isEmpty();
        List<Path> cpu = visible(out.resolve("cpu"));
        assertThat(cpu).hasSize(expected.size());
        for (Path p : cpu) {
            assertThat(Files.readAllBytes(p)).isEqualTo(pprof);
        }
    }

    @Test
    void anAnswerOfAnotherKindOrFormatIsToldApart() throws Exception {
        // what the real endpoints answer passes; a JFR recording's side events (thread parks) tell nothing
        EventInfo cpu = new EventInfo("cpu", 120, List.of("jdk.ExecutionSample"), "");
        EventInfo lock = new EventInfo("lock", 4000, List.of("jdk.ThreadPark"), "");
        EventInfo alloc = new EventInfo("alloc", 900, List.of("x"), "");
        EventInfo live = new EventInfo("live", 90, List.of("x"), "");
        EventInfo heap = new EventInfo("heap", 9, List.of("pprof"), "");
        assertThat(AnswerCheck.mismatch(ProfileKind.CPU, true, jfr(cpu, lock))).isNull();
        assertThat(AnswerCheck.mismatch(ProfileKind.HEAP, true, jfr(alloc, lock))).isNull(); // no live object left: still heap
        assertThat(AnswerCheck.mismatch(ProfileKind.ALLOCS, true, jfr(lock))).isNull(); // nothing allocated: cannot tell
        assertThat(AnswerCheck.mismatch(ProfileKind.MUTEX, true, jfr())).isNull();
        assertThat(AnswerCheck.mismatch(ProfileKind.HEAP, false, pprof(heap))).isNull(); // Go's heap profile
        assertThat(AnswerCheck.mismatch(ProfileKind.ALLOCS, false, pprof(heap))).isNull(); // Go's allocs profile
        assertThat(AnswerCheck.mismatch(ProfileKind.BLOCK, false, pprof(new EventInfo("lock", 0, List.of("pprof"), ""))))
                .isNull();
        assertThat(AnswerCheck.mismatch(ProfileKind.CPU, false, pprof(new EventInfo("goroutine", 3, List.of("pprof"), ""))))
                .isNull(); // of no known kind: cannot tell

        assertThat(AnswerCheck.mismatch(ProfileKind.HEAP, true, jfr(cpu, lock)))
                .isEqualTo("not a heap profile: the answer holds samples of cpu (120)");
        assertThat(AnswerCheck.mismatch(ProfileKind.MUTEX, true, jfr(cpu, alloc)))
                .isEqualTo("not a mutex profile: the answer holds samples of cpu (120), alloc (900)");
        assertThat(AnswerCheck.mismatch(ProfileKind.CPU, true, jfr(live, alloc)))
                .isEqualTo("not a cpu profile: the answer holds samples of live (90), alloc (900)");
        assertThat(AnswerCheck.mismatch(ProfileKind.WALL, false, pprof(cpu))).isEqualTo("not a wall profile: the answer is a cpu profile (120 samples)");
        assertThat(AnswerCheck.mismatch(ProfileKind.MUTEX, false, pprof(heap))).isEqualTo("not a mutex profile: the answer is a heap profile (9 samples)");
        assertThat(AnswerCheck.mismatch(ProfileKind.CPU, true, pprof(cpu)))
                .isEqualTo("not JFR as asked: the answer is pprof (gzipped profile.proto)");
        assertThat(AnswerCheck.mismatch(ProfileKind.CPU, false, jfr(cpu))).isEqualTo("not pprof as asked: the answer is a JFR recording");
    }

    private static ProfileFetcher.Fetched jfr(EventInfo... events) {
        return new ProfileFetcher.Fetched(Path.of("x.jfr"), 1, "JFR recording", List.of(events));
    }

    private static ProfileFetcher.Fetched pprof(EventInfo event) {
        return new ProfileFetcher.Fetched(Path.of("x.pb.gz"), 1, "pprof (gzipped profile.proto)",
                List.of(event));
    }
}
