package dev.proflab.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proflab.labs.alloc.Alloc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The /work/* endpoints over real HTTP: before and after agree, bounds give 400 naming the parameter. */
class DemoServiceTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static DemoService service;

    @BeforeAll
    static void start() {
        service = DemoService.start(DemoService.Options.defaults().withPort(0));
    }

    @AfterAll
    static void stop() {
        service.stop();
        Alloc.release();
    }

    record Answer(int status, JsonNode body, HttpResponse<String> response) {
    }

    static Answer get(String pathAndQuery) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(service.url() + pathAndQuery.substring(1)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type").orElse("")).as(pathAndQuery).startsWith("application/json");
        return new Answer(r.statusCode(), JSON.readTree(r.body()), r);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/work/cpu?n=25&workers=2                     | 75025",
            "/work/cpu?n=0                                | 0",
            "/work/mem?bytes=512&count=300                | ",
            "/work/contention?workers=3&iter=2000&holdNs=5 | 6000",
            "/work/leak?n=3&bytes=1024                    | 3"})
    void beforeAndAfterAgree(String path, String expected) throws Exception {
        Answer before = get(path + "&impl=before");
        Answer after = get(path + "&impl=after");
        assertThat(before.status).as(before.body.toString()).isEqualTo(200);
        assertThat(after.status).as(after.body.toString()).isEqualTo(200);
        assertThat(after.body.get("result")).isEqualTo(before.body.get("result"));
        if (expected != null) {
            assertThat(before.body.get("result").asLong()).isEqualTo(Long.parseLong(expected));
        }
        assertThat(before.body.get("params").get("impl").asText()).isEqualTo("before");
        assertThat(after.body.get("params").get("impl").asText()).isEqualTo("after");
        assertThat(before.body.get("elapsed_ms").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(before.body.get("ran").asText()).isNotEqualTo(after.body.get("ran").asText());
        if (path.startsWith("/work/contention")) {
            assertThat(after.body.get("sum")).isEqualTo(before.body.get("sum"));
            assertThat(before.body.get("complete").asBoolean()).isTrue();
        }
        service.work().releaseLeaks();
    }

    @Test
    void defaultImplIsBeforeAndBestAgreesToo() throws Exception {
        Answer plain = get("/work/cpu?n=20");
        Answer best = get("/work/cpu?n=20&impl=best");
        assertThat(plain.body.get("params").get("impl").asText()).isEqualTo("before");
        assertThat(best.body.get("result")).isEqualTo(plain.body.get("result"));
        assertThat(get("/work/cpu?n=92&impl=after").body.get("result").asLong()).isEqualTo(7540113804746346429L);
        assertThat(get("/work/mem?impl=reuse-digest&count=10").body.get("result"))
                .isEqualTo(get("/work/mem?count=10").body.get("result"));
        assertThat(get("/work/contention?impl=adder&iter=100&workers=2").body.get("result").asLong()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/work/cpu?n=41                    | n",
            "/work/cpu?n=93&impl=after         | n",
            "/work/cpu?n=-1                    | n",
            "/work/cpu?n=abc                   | n",
            "/work/cpu?n=99999999999999999999  | n",
            "/work/cpu?n=1e3                   | n",
            "/work/cpu?workers=0               | workers",
            "/work/cpu?workers=33              | workers",
            "/work/cpu?impl=fast               | impl",
            "/work/cpu?n=3&n=4                 | n",
            "/work/cpu?colour=red              | colour",
            "/work/mem?bytes=16777217          | bytes",
            "/work/mem?count=100001            | count",
            "/work/mem?bytes=16777216&count=5  | count",
            "/work/mem?hold=maybe              | hold",
            "/work/contention?workers=65       | workers",
            "/work/contention?iter=100001      | iter",
            "/work/contention?holdNs=1000001   | holdNs",
            "/work/contention?impl=none        | impl",
            "/work/leak?n=1001                 | n",
            "/work/leak?bytes=1048577          | bytes",
            "/work/leak?impl=later             | impl"})
    void boundsAre400NamingTheParameter(String path, String parameter) throws Exception {
        Answer a = get(path);
        assertThat(a.status).as(a.body.toString()).isEqualTo(400);
        assertThat(a.body.get("parameter").asText()).isEqualTo(parameter);
        assertThat(a.body.get("error").asText()).startsWith(parameter + ": ").doesNotContain("Exception", "\n", "/tmp");
    }

    @Test
    void holdingAndLeakingAreCappedAndReleasable() throws Exception {
        try (DemoService small = DemoService.start(DemoService.Options.defaults().withPort(0).withLimits(
                new WorkEndpoints.Limits(4, 10_000, 1 << 20, 5, 1 << 20)))) {
            Alloc.release();
            HttpResponse<String> held = CLIENT.send(HttpRequest.newBuilder(URI.create(small.url()
                    + "work/mem?bytes=1024&count=1000&hold=true")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(held.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(held.body()).get("held_items").asInt()).isEqualTo(1000);
            HttpResponse<String> full = CLIENT.send(HttpRequest.newBuilder(URI.create(small.url()
                    + "work/mem?bytes=1024&count=100&hold=true")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(full.statusCode()).isEqualTo(409);
            assertThat(JSON.readTree(full.body()).get("parameter").asText()).isEqualTo("hold");
            HttpResponse<String> released = CLIENT.send(HttpRequest.newBuilder(URI.create(small.url()
                    + "work/mem?release=true")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(released.body()).get("released_items").asInt()).isEqualTo(1000);
            assertThat(Alloc.heldItems()).isZero();

            assertThat(CLIENT.send(HttpRequest.newBuilder(URI.create(small.url() + "work/leak?n=4&bytes=16"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(small.work().leakedThreads()).isEqualTo(4);
            HttpResponse<String> tooMany = CLIENT.send(HttpRequest.newBuilder(URI.create(small.url()
                    + "work/leak?n=2&bytes=16")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(tooMany.statusCode()).isEqualTo(409);
            assertThat(tooMany.body()).contains("release=true");
            HttpResponse<String> freed = CLIENT.send(HttpRequest.newBuilder(URI.create(small.url()
                    + "work/leak?release=true")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(freed.body()).get("released_threads").asInt()).isEqualTo(4);
            assertThat(small.work().leakedThreads()).isZero();
            // after= leaves nothing behind
            CLIENT.send(HttpRequest.newBuilder(URI.create(small.url() + "work/leak?n=5&impl=after")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(small.work().leakedThreads()).isZero();
        }
    }

    @Test
    void saturatedServiceAnswers503WithRetryAfter() throws Exception {
        try (DemoService one = DemoService.start(DemoService.Options.defaults().withPort(0)
                .withLimits(WorkEndpoints.Limits.defaults().withMaxConcurrent(1)))) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    answers.add(pool.submit(() -> CLIENT.send(HttpRequest.newBuilder(URI.create(one.url()
                            + "work/cpu?n=32&workers=2")).build(), HttpResponse.BodyHandlers.ofString())));
                }
                int ok = 0;
                int busy = 0;
                for (Future<HttpResponse<String>> f : answers) {
                    HttpResponse<String> r = f.get();
                    if (r.statusCode() == 200) {
                        ok++;
                    } else {
                        assertThat(r.statusCode()).isEqualTo(503);
                        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                        assertThat(JSON.readTree(r.body()).get("error").asText()).startsWith("busy");
                        busy++;
                    }
                }
                assertThat(ok).isGreaterThanOrEqualTo(1);
                assertThat(busy).isGreaterThanOrEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void unknownPathsAndMethodsAreJson4xx() throws Exception {
        Answer missing = get("/work/gpu");
        assertThat(missing.status).isEqualTo(404);
        assertThat(missing.body.get("error").asText()).contains("GET /work");
        Answer index = get("/work");
        assertThat(index.status).isEqualTo(200);
        assertThat(index.body.get("/work/cpu").asText()).contains("0..40");
        HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(URI.create(service.url() + "work/cpu"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isBetween(400, 499);
    }

    @Test
    void aTakenPortIsOneLine() {
        assertThatThrownBy(() -> DemoService.start(DemoService.Options.defaults().withPort(service.port())))
                .isInstanceOf(DemoServiceException.class)
                .hasMessage("port " + service.port() + " on 127.0.0.1 is in use: pick another with --port");
    }

    @Test
    void lockThresholdFollowsTheSeedsSettings() {
        assertThat(LockThreshold.resolve(null, java.util.Map.of())).isEqualTo(LockThreshold.defaults());
        assertThat(LockThreshold.resolve(null, java.util.Map.of("BLOCK_PROFILE_RATE_NS", "50000")).nanos()).isEqualTo(50000);
        assertThat(LockThreshold.resolve(null, java.util.Map.of("BLOCK_PROFILE_RATE_NS", "0")).enabled()).isFalse();
        assertThat(LockThreshold.resolve(null, java.util.Map.of("MUTEX_PROFILE_FRACTION", "5")).nanos())
                .isEqualTo(LockThreshold.DEFAULT_NANOS);
        assertThat(LockThreshold.resolve(null, java.util.Map.of("MUTEX_PROFILE_FRACTION", "0")).describe())
                .isEqualTo("off (MUTEX_PROFILE_FRACTION=0)");
        assertThat(LockThreshold.resolve(java.time.Duration.ofNanos(2000),
                java.util.Map.of("BLOCK_PROFILE_RATE_NS", "1")).describe()).isEqualTo("2us (--lock-threshold)");
        assertThatThrownBy(() -> LockThreshold.resolve(null, java.util.Map.of("BLOCK_PROFILE_RATE_NS", "fast")))
                .hasMessage("BLOCK_PROFILE_RATE_NS: 'fast' is not an integer");
    }
}
