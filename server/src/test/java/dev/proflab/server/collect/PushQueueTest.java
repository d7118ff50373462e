package dev.proflab.server.collect;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.proflab.profile.ProfileKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery through outages: a local receiver answers as a Pyroscope in trouble would (503 for a while, 429 with
 * Retry-After, 400, 401), and the queue's clock is a fake that moves only when the sender waits, so that a 50 s
 * outage takes no time and no test depends on how loaded the machine is. Every window must arrive once, in order.
 */
@Tag("slow")
class PushQueueTest {

    /** Virtual time: moves by exactly what the sender waits. */
    static final class FakeTiming implements PushQueue.Timing {
        final AtomicLong nanos = new AtomicLong();
        final Instant epoch = Instant.now();
        final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

        @Override
        public long nanoTime() {
            return nanos.get();
        }

        @Override
        public Instant now() {
            return epoch.plusNanos(nanos.get());
        }

        @Override
        public void await(Object monitor, long n) {
            waits.add(Duration.ofNanos(n));
            nanos.addAndGet(n);
        }

        Duration elapsed() {
            return Duration.ofNanos(nanos.get());
        }
    }

    /** One answer of the receiver: status, optional Retry-After. */
    record Answer(int status, String retryAfter) {
        static final Answer OK = new Answer(200, null);
    }

    FakeTiming clock;
    HttpServer receiver;
    volatile Function<Integer, Answer> script = n -> Answer.OK;
    final List<String> accepted = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong requests = new AtomicLong();
    final CollectTestSupport.Log log = new CollectTestSupport.Log();
    Path jfr;

    @BeforeEach
    void start(@TempDir Path dir) throws IOException {
        clock = new FakeTiming();
        jfr = dir.resolve("w.jfr");
        Files.write(jfr, CollectTestSupport.jfr());
        receiver = CollectTestSupport.fake(this::answer);
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    private void answer(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        Answer a = script.apply((int) requests.incrementAndGet());
        if (a.status() == 200) {
            String q = URLDecoder.decode(ex.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
            String from = q.replaceAll(".*[?&]?from=(\\d+).*", "$1");
            String units = q.replaceAll(".*units=(\\w+).*", "$1");
            accepted.add(from + "/" + units);
        }
        if (a.retryAfter() != null) {
            ex.getResponseHeaders().set("Retry-After", a.retryAfter());
        }
        CollectTestSupport.reply(ex, a.status(), "text/plain",
                a.status() == 200 ? new byte[0] : ("answer " + a.status()).getBytes(StandardCharsets.UTF_8));
    }

    PyroscopeUploader uploader() {
        return new PyroscopeUploader(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort()), "demo",
                Map.of(), null, null, Duration.ofSeconds(5));
    }

    PushSettings settings() {
        return PushSettings.DEFAULTS.withTiming(clock);
    }

    /** Window i starts at epoch - 60 s + 10 s * i (recent: not given up for age). */
    Instant from(int i) {
        return clock.epoch.minusSeconds(60).plusSeconds(10L * i);
    }

    void offer(PushQueue q, int i) throws IOException {
        q.offer(i % 2 == 0 ? ProfileKind.CPU : ProfileKind.HEAP, jfr, from(i), from(i).plusSeconds(5));
    }

    String expected(int i) {
        return from(i).getEpochSecond() + "/" + (i % 2 == 0 ? "samples" : "objects");
    }

    static void await(PushQueue q, Function<PushQueue.Counts, Boolean> done) throws InterruptedException {
        long end = System.nanoTime() + 15_000_000_000L;
        while (!done.apply(q.counts())) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 15 s: " + q.counts());
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aFiftySecondRunOf503sLosesNothing() throws Exception {
        // 503 until 50 s have passed (of the queue's clock), as the outage in which every window used to be lost
        script = n -> clock.elapsed().compareTo(Duration.ofSeconds(50)) < 0 ? new Answer(503, null) : Answer.OK;
        PushQueue q = new PushQueue(uploader(), null, settings(), log);
        q.start();
        for (int i = 0; i < 6; i++) {
            offer(q, i); // returns at once: a capture never waits for Pyroscope
        }
        await(q, c -> c.delivered() == 6);
        assertThat(accepted).containsExactlyElementsOf(IntStream.range(0, 6).mapToObj(this::expected).toList());
        PushQueue.Counts c = q.flush(Duration.ofSeconds(1));
        assertThat(c.dropped()).isZero();
        assertThat(c.retried()).isEqualTo(clock.waits.size()).isEqualTo(requests.get() - 6);
        // doubling waits with jitter: each in [b/2, b] for b = 1, 2, 4, 8, 16, 30, 30 ... s
        long b = 1000;
        for (Duration w : clock.waits) {
            assertThat(w.toMillis()).isBetween(b / 2, b);
            b = Math.min(b * 2, 30_000);
        }
        assertThat(clock.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(50));
        assertThat(log.lines()).filteredOn(l -> l.contains("Pyroscope unavailable")).singleElement()
                .satisfies(l -> assertThat(l).contains("Pyroscope answered 503: answer 503"));
        assertThat(log.lines()).filteredOn(l -> l.contains("Pyroscope back after")).hasSize(1);
    }

    @Test
    void anOutageOfMoreThanAMinuteWithTheDefaultsLosesNothing() throws Exception {
        // the bar: a minute of 503s, here 75 s, with the default settings (queue of 100, 1 h max age): the
        // waits cap at 30 s, so the queue asks again within 30 s of the end and every window goes, once, in order
        script = n -> clock.elapsed().compareTo(Duration.ofSeconds(75)) < 0 ? new Answer(503, null) : Answer.OK;
        PushQueue q = new PushQueue(uploader(), null, settings(), log);
        q.start();
        for (int i = 0; i < 12; i++) {
            offer(q, i);
        }
        await(q, c -> c.delivered() == 12);
        assertThat(accepted).containsExactlyElementsOf(IntStream.range(0, 12).mapToObj(this::expected).toList());
        PushQueue.Counts c = q.flush(Duration.ofSeconds(1));
        assertThat(c.dropped()).isZero();
        assertThat(clock.elapsed()).isBetween(Duration.ofSeconds(75), Duration.ofSeconds(75 + 30));
    }

    @Test
    void retryAfterIsWaitedForExactly() throws Exception {
        script = n -> n <= 2 ? new Answer(429, "7") : n == 3 ? new Answer(503, "120") : Answer.OK;
        PushQueue q = new PushQueue(uploader(), null, settings(), log);
        q.start();
        offer(q, 0);
        offer(q, 1);
        await(q, c -> c.delivered() == 2);
        assertThat(clock.waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(7), Duration.ofSeconds(120));
        assertThat(accepted).containsExactly(expected(0), expected(1));
        assertThat(q.flush(Duration.ZERO)).isEqualTo(new PushQueue.Counts(2, 3, 0, 0));
    }

    @Test
    void aRestartMidOutageSendsWhatTheFirstRunLeft(@TempDir Path out) throws Exception {
        Path spool = out.resolve(Collector.SPOOL);
        script = n -> new Answer(503, null);
        PushQueue first = new PushQueue(uploader(), spool, settings(), log);
        first.start();
        for (int i = 0; i < 3; i++) {
            offer(first, i);
        }
        await(first, c -> c.retried() >= 2);
        PushQueue.Counts left = first.flush(Duration.ZERO);
        assertThat(left.delivered()).isZero();
        assertThat(left.dropped()).isZero();
        assertThat(left.queued()).isEqualTo(3);
        assertThat(log.lines()).anyMatch(l -> l.equals("3 windows not yet delivered kept in " + spool
                + " for the next start"));
        try (Stream<Path> s = Files.list(spool)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted())
                    .allMatch(n -> n.matches("\\d+_(cpu|heap)_\\d+_\\d+\\.jfr\\.gz")).hasSize(3);
        }
        Files.writeString(spool.resolve(".9_cpu_1_2.jfr.gz.tmp"), "half written by a killed run");

        // the collector comes back while Pyroscope is still down for a while, then Pyroscope comes back
        long before = requests.get();
        script = n -> n <= before + 2 ? new Answer(502, null) : Answer.OK;
        PushQueue second = new PushQueue(uploader(), spool, settings(), log);
        assertThat(log.lines()).contains("3 windows of a previous run wait in " + spool + ": sent first");
        second.start();
        offer(second, 3);
        await(second, c -> c.delivered() == 4);
        assertThat(accepted).containsExactlyElementsOf(IntStream.range(0, 4).mapToObj(this::expected).toList());
        assertThat(second.flush(Duration.ZERO)).isEqualTo(new PushQueue.Counts(4, 2, 0, 0));
        try (Stream<Path> s = Files.list(spool)) {
            assertThat(s).isEmpty(); // delivered windows deleted, the half-written one too
        }
    }

    @Test
    void beyondQueueMaxTheOldestAreDroppedAndSaidOnce() throws Exception {
        PushQueue q = new PushQueue(uploader(), null, settings().withQueue(3, 1L << 30, Duration.ofHours(1)), log);
        for (int i = 0; i < 5; i++) {
            offer(q, i); // the sender is not started: all wait
        }
        assertThat(q.counts()).isEqualTo(new PushQueue.Counts(0, 0, 2, 3));
        assertThat(log.lines()).filteredOn(l -> l.startsWith("Pyroscope queue full (--queue-max 3,"))
                .containsExactly(
                        "Pyroscope queue full (--queue-max 3, --queue-max-bytes 1.0 GB): dropped the oldest 1 waiting"
                                + " window (1 dropped in all)",
                        "Pyroscope queue full (--queue-max 3, --queue-max-bytes 1.0 GB): dropped the oldest 1 waiting"
                                + " window (2 dropped in all)");
        q.start();
        await(q, c -> c.delivered() == 3);
        assertThat(accepted).containsExactly(expected(2), expected(3), expected(4));
    }

    @Test
    void aWindowOlderThanTheMaxAgeIsGivenUp() throws Exception {
        script = n -> clock.elapsed().compareTo(Duration.ofSeconds(90)) < 0 ? new Answer(503, null) : Answer.OK;
        PushQueue q = new PushQueue(uploader(), null, settings().withQueue(100, 1L << 30, Duration.ofMinutes(2)), log);
        q.start();
        offer(q, 0); // started 60 s ago: older than 2 min after 60 s of outage
        offer(q, 12); // starts 60 s from now: at most 60 s old when the outage (90 s, the last wait <= 30 s) ends
        await(q, c -> c.delivered() + c.dropped() == 2);
        assertThat(q.counts().dropped()).isEqualTo(1);
        assertThat(accepted).containsExactly(expected(12));
        assertThat(log.lines()).anyMatch(l -> l.equals("gave up the cpu window of " + Collector.stamp(from(0))
                + ": older than --push-max-age 2 min (Pyroscope refuses older profiles)"));
    }

    @Test
    void refusalsAreFinalAndBadCredentialsAreSaidOnce() throws Exception {
        script = n -> switch (n) {
            case 1 -> new Answer(400, null);
            case 2, 3, 4 -> new Answer(401, null);
            default -> Answer.OK;
        };
        PushQueue q = new PushQueue(uploader(), null, settings(), log);
        q.start();
        for (int i = 0; i < 5; i++) {
            offer(q, i);
        }
        await(q, c -> c.delivered() + c.dropped() == 5);
        assertThat(q.counts()).isEqualTo(new PushQueue.Counts(1, 0, 4, 0));
        assertThat(clock.waits).isEmpty();
        assertThat(accepted).containsExactly(expected(4));
        assertThat(log.lines()).filteredOn(l -> l.contains("refuses the credentials")).singleElement()
                .satisfies(l -> assertThat(l).contains("Pyroscope answered 401: answer 401"));
        assertThat(log.lines()).anyMatch(l -> l.startsWith("dropped the cpu window of ")
                && l.endsWith("Pyroscope answered 400: answer 400"));
        assertThat(log.lines()).anyMatch(l -> l.endsWith("Pyroscope accepts the pushes again"));
    }

    @Test
    void inMemoryWindowsNotSentWithinTheGraceAreCountedAsDropped() throws Exception {
        script = n -> new Answer(503, null);
        PushQueue q = new PushQueue(uploader(), null, settings(), log);
        q.start();
        offer(q, 0);
        offer(q, 1);
        await(q, c -> c.retried() >= 1);
        assertThat(q.flush(Duration.ZERO)).satisfies(c -> {
            assertThat(c.dropped()).isEqualTo(2);
            assertThat(c.queued()).isZero();
        });
        assertThat(log.lines()).contains("2 windows not delivered within --stop-grace: dropped");
    }
}
