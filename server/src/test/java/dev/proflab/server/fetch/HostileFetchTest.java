package dev.proflab.server.fetch;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A server that does not play fair costs a fetch its time limit or its byte cap, never more: the download stops, one
 * line says which limit, and nothing is left in the folder.
 */
@Tag("slow")
class HostileFetchTest {

    static HostileServer server;

    @BeforeAll
    static void start() throws IOException {
        byte[] pprof = HostileServer.cpuPprof();
        byte[] jfr = HostileServer.cpuJfr();
        HostileServer[] self = new HostileServer[1];
        server = HostileServer.start(ex -> {
            HostileServer s = self[0];
            switch (ex.getRequestURI().getPath()) {
                case "/endless" -> s.endless(ex);
                case "/declared" -> s.declared(ex, 10L << 30);
                case "/twice-the-cap" -> s.declared(ex, 2L << 20);
                case "/trickle" -> s.trickle(ex, Duration.ofMillis(200));
                case "/silent" -> s.silent(ex);
                case "/cut" -> HostileServer.cut(ex, pprof);
                case "/ok" -> HostileServer.reply(ex, 200, "application/octet-stream", pprof);
                case "/jfr" -> HostileServer.reply(ex, 200, "application/octet-stream", jfr);
                default -> HostileServer.reply(ex, 404, "text/plain", "no".getBytes());
            }
        });
        self[0] = server;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static URI url(String path) {
        return URI.create(server.base() + path);
    }

    /** Fetches with a 2 s deadline and a 1 MB cap; the exception it threw, and the seconds it took. */
    record Failure(FetchException e, double seconds) {
    }

    static Failure fail(String path, Path out) {
        long t0 = System.nanoTime();
        FetchException e = catchThrowableOfType(FetchException.class,
                () -> new ProfileFetcher(Duration.ofSeconds(2), 1 << 20).fetch(url(path), out, null));
        assertThat(e).as(path).isNotNull();
        return new Failure(e, (System.nanoTime() - t0) / 1e9);
    }

    static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void anEndlessBodyStopsAtTheCap(@TempDir Path dir) throws Exception {
        Failure f = fail("/endless", dir.resolve("cpu.pb.gz"));
        assertThat(f.e().reason()).isEqualTo(FetchException.Reason.TOO_LARGE);
        assertThat(f.e().getMessage()).isEqualTo(url("/endless") + ": the answer is larger than 1.0 MB: stopped reading it");
        assertThat(f.seconds()).isLessThan(15);
        assertThat(files(dir)).isEmpty();
    }

    @Test
    void aBodyPastTheCapStopsAtTheCap(@TempDir Path dir) throws Exception {
        // a declared length past the cap is not even started on
        Failure declared = fail("/declared", dir.resolve("cpu.pb.gz"));
        assertThat(declared.e().reason()).isEqualTo(FetchException.Reason.TOO_LARGE);
        assertThat(declared.e().getMessage()).isEqualTo(url("/declared")
                + ": the answer is 10 GB (Content-Length), larger than 1.0 MB: not read");
        assertThat(declared.seconds()).isLessThan(15);
        Failure twice = fail("/twice-the-cap", dir.resolve("cpu.pb.gz"));
        assertThat(twice.e().getMessage()).endsWith("larger than 1.0 MB: not read");
        assertThat(files(dir)).isEmpty();
    }

    @Test
    void aTrickleIsGivenUpAtTheDeadline(@TempDir Path dir) throws Exception {
        Failure f = fail("/trickle", dir.resolve("cpu.pb.gz"));
        assertThat(f.e().reason()).isEqualTo(FetchException.Reason.TIMEOUT);
        assertThat(f.e().getMessage()).matches(java.util.regex.Pattern.quote(url("/trickle").toString())
                + ": the answer did not complete within 2 s \\(\\d+ bytes? arrived\\)");
        assertThat(f.seconds()).isLessThan(15);
        assertThat(files(dir)).isEmpty();
    }

    @Test
    void noAnswerIsGivenUpAtTheDeadline(@TempDir Path dir) throws Exception {
        Failure f = fail("/silent", dir.resolve("cpu.pb.gz"));
        assertThat(f.e().reason()).isEqualTo(FetchException.Reason.TIMEOUT);
        assertThat(f.e().getMessage()).isEqualTo(url("/silent") + ": no answer within 2 s");
        assertThat(f.seconds()).isLessThan(15);
        assertThat(files(dir)).isEmpty();
    }

    @Test
    void aConnectionCutMidBodyIsOneLine(@TempDir Path dir) throws Exception {
        Failure f = fail("/cut", dir.resolve("cpu.pb.gz"));
        assertThat(f.e().reason()).isEqualTo(FetchException.Reason.UNREACHABLE);
        assertThat(f.e().getMessage()).startsWith(url("/cut") + ": download failed after ")
                .doesNotContain("\n").doesNotEndWith(": closed");
        assertThat(files(dir)).isEmpty();
    }

    @Test
    void theTimeoutAndTheCapLeaveAWholeAnswerAlone(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("cpu.pb.gz");
        ProfileFetcher.Fetched f = new ProfileFetcher(Duration.ofSeconds(10), HostileServer.cpuPprof().length)
                .fetch(url("/ok"), out, null);
        assertThat(f.bytes()).isEqualTo(HostileServer.cpuPprof().length);
        assertThat(files(dir)).containsExactly(out);
    }

    @Test
    void aRecordingIsKeptOnlyUnderANameOfItsFormat(@TempDir Path dir) throws Exception {
        ProfileFetcher fetcher = new ProfileFetcher(Duration.ofSeconds(10), 64 << 20);
        Path pb = dir.resolve("cpu.pb.gz");
        FetchException e = catchThrowableOfType(FetchException.class,
                () -> fetcher.fetch(url("/jfr"), pb, null, ProfileFetcher.formatOfName(pb)));
        assertThat(e.reason()).isEqualTo(FetchException.Reason.UNEXPECTED);
        assertThat(e).hasMessage(url("/jfr") + ": the answer is a JFR recording, but the name cpu.pb.gz says pprof:"
                + " name it .jfr or ask the endpoint for pprof");
        assertThat(files(dir)).isEmpty();
        Path jfr = dir.resolve("cpu.jfr");
        assertThat(fetcher.fetch(url("/jfr"), jfr, null, ProfileFetcher.formatOfName(jfr)).isJfr()).isTrue();
        FetchException back = catchThrowableOfType(FetchException.class,
                () -> fetcher.fetch(url("/ok"), dir.resolve("x.jfr"), null, ProfileFetcher.formatOfName(dir.resolve("x.jfr"))));
        assertThat(back).hasMessageEndingWith("the answer is pprof, but the name x.jfr says JFR: name it .pb.gz or ask"
                + " the endpoint for JFR (format=jfr)");
        // a name that says nothing takes either
        assertThat(ProfileFetcher.formatOfName(dir.resolve("profile.bin"))).isNull();
        assertThat(files(dir)).containsExactly(jfr);
    }

    @Test
    void anAnswerArrivesWhileTheCommonPoolIsBusy(@TempDir Path dir) throws Exception {
        // the common ForkJoinPool has one thread on a 2-core machine; a caller that holds every one of its threads
        // (a supplyAsync waiting on this very fetch) must not make the fetch wait out its deadline
        int n = java.util.concurrent.ForkJoinPool.getCommonPoolParallelism();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            java.util.concurrent.CompletableFuture.runAsync(() -> {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        try {
            held.await();
            long t0 = System.nanoTime();
            ProfileFetcher.Fetched f = new ProfileFetcher(Duration.ofSeconds(20), 1 << 20).fetch(url("/ok"), dir.resolve("cpu.pb.gz"), null);
            assertThat(f.isJfr()).isFalse();
            assertThat((System.nanoTime() - t0) / 1e9).as("seconds, against a deadline of 20").isLessThan(15);
        } finally {
            release.countDown();
        }
    }
}
