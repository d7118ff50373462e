package dev.proflab.debug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proflab.capture.SelfCapture;
import dev.proflab.profile.Profile;
import dev.proflab.debug.DebugTestSupport.Server;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static dev.proflab.debug.DebugTestSupport.SPINNER;
import static dev.proflab.debug.DebugTestSupport.anyFrame;
import static dev.proflab.debug.DebugTestSupport.flat;
import static dev.proflab.debug.DebugTestSupport.get;
import static dev.proflab.debug.DebugTestSupport.profile;
import static dev.proflab.debug.DebugTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint over real HTTP, on the JDK HttpServer and on Javalin, with known hot spots in this JVM. */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebugHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DebugTestSupport.Load load;
    private Path temp;
    private Path dumps;
    private Server jdk;
    private Server javalin;

    @BeforeAll
    void start() throws IOException {
        temp = Files.createTempDirectory("debug-http-test-tmp");
        dumps = Files.createTempDirectory("debug-http-test-dumps");
        DebugEndpoints debug = new DebugEndpoints(DebugOptions.builder().tempFolder(temp).heapDumps(dumps).build());
        jdk = DebugTestSupport.jdk(debug, "127.0.0.1");
        javalin = JavalinServers.javalin(debug, "127.0.0.1");
        load = new DebugTestSupport.Load();
    }

    @AfterAll
    void stop() throws Exception {
        load.close();
        jdk.close();
        javalin.close();
        try (Stream<Path> s = Files.list(dumps)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.deleteIfExists(dumps);
        Files.deleteIfExists(temp);
    }

    Stream<Server> servers() {
        return Stream.of(jdk, javalin);
    }

    private void noTempFilesLeft() throws IOException, InterruptedException {
        // the client has the whole body a moment before the handler's clean-up runs
        for (int i = 0; i < 40 && !isEmpty(temp); i++) {
            Thread.sleep(50);
        }
        try (Stream<Path> s = Files.list(temp)) {
            assertThat(s.toList()).as("temporary captures are deleted").isEmpty();
        }
    }

    private static java.util.Set<String> eventTypes(byte[] recording) throws IOException {
        Path f = Files.createTempFile("debug-test-", ".jfr");
        try {
            Files.write(f, recording);
            java.util.Set<String> types = new java.util.TreeSet<>();
            try (jdk.jfr.consumer.RecordingFile r = new jdk.jfr.consumer.RecordingFile(f)) {
                while (r.hasMoreEvents()) {
                    types.add(r.readEvent().getEventType().getName());
                }
            }
            return types;
        } finally {
            Files.deleteIfExists(f);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("servers")
    void cpuProfileTopFunctionIsTheSpinningMethod(Server s) throws Exception {
        HttpResponse<byte[]> r = get(s.base() + "/debug/pprof/profile?seconds=2");
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"profile.pb.gz\"");
        assertThat(r.body()[0] & 0xff).as("gzip").isEqualTo(0x1f);
        Profile p = profile(r.body());
        assertThat(p.valueTypes().toString()).contains("cpu");
        assertThat(flat(p).get(0).getKey()).isEqualTo(DebugTestSupport.class.getName() + ".spinHot");
        assertThat(new String(r.body(), StandardCharsets.ISO_8859_1)).doesNotContain(temp.toString());
        noTempFilesLeft();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("servers")
    void mutexAndBlockShowTheContendedMonitor(Server s) throws Exception {
        for (String path : List.of("mutex", "block")) {
            HttpResponse<byte[]> r = get(s.base() + "/debug/pprof/" + path + "?seconds=1");
            assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
            Profile p = profile(r.body());
            assertThat(p.valueTypes().toString()).contains("contentions", "delay");
            assertThat(anyFrame(p, "DebugTestSupport.contendHot")).as(path).isTrue();
        }
        HttpResponse<byte[]> c = get(s.base() + "/debug/pprof/mutex?seconds=1&format=collapsed");
        assertThat(c.statusCode()).isEqualTo(200);
        assertThat(c.headers().firstValue("Content-Type").map(v -> v.replace(" ", ""))).hasValue("text/plain;charset=utf-8");
        assertThat(text(c)).contains("contendHot");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("servers")
    void heapAndAllocsAreProfilesOfTheAllocatingThread(Server s) throws Exception {
        HttpResponse<byte[]> allocs = get(s.base() + "/debug/pprof/allocs?seconds=1");
        assertThat(allocs.statusCode()).as(text(allocs)).isEqualTo(200);
        Profile a = profile(allocs.body());
        assertThat(a.valueTypes().toString()).contains("alloc_space");
        assertThat(anyFrame(a, "allocHot")).isTrue();

        HttpResponse<byte[]> heap = get(s.base() + "/debug/pprof/heap?seconds=1&gc=1");
        assertThat(heap.statusCode()).as(text(heap)).isEqualTo(200);
        Profile h = profile(heap.body());
        assertThat(h.valueTypes().toString()).contains("inuse_space");
        assertThat(anyFrame(h, "allocHot")).as("the allocator keeps arrays alive").isTrue();

        HttpResponse<byte[]> histo = get(s.base() + "/debug/pprof/heap?debug=1");
        assertThat(histo.statusCode()).isEqualTo(200);
        assertThat(text(histo)).contains("num", "#instances", "[B");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("servers")
    void goroutineInThreeFormats(Server s) throws Exception {
        HttpResponse<byte[]> proto = get(s.base() + "/debug/pprof/goroutine");
        assertThat(proto.statusCode()).isEqualTo(200);
        Profile p = profile(proto.body());
        assertThat(p.valueTypes().get(0).type()).isEqualTo("goroutine");
        List<String> threads = new ArrayList<>();
        for (int t = 0; t < p.threadCount(); t++) {
            threads.add(p.threadName(t));
        }
        assertThat(threads).contains(SPINNER);
        assertThat(anyFrame(p, "spinHot")).isTrue();

        String one = text(get(s.base() + "/debug/pprof/goroutine?debug=1"));
        assertThat(one).startsWith("thread profile: total ");
        // debug-test-contender-1 and -2 may be in one group ("2 @ BLOCKED debug-test-contender-*") or apart
        assertThat(one).containsPattern("(?m)^1 @ RUNNABLE " + SPINNER + "$");
        assertThat(one).containsPattern("(?m)^#\\t" + DebugTestSupport.class.getName().replace(".", "\\.")
                + "\\.spinHot\\(DebugTestSupport\\.java:\\d+\\)$");

        String two = text(get(s.base() + "/debug/pprof/goroutine?debug=2"));
        assertThat(two).contains("\"" + SPINNER + "\"", "java.lang.Thread.State: RUNNABLE",
                "at " + DebugTestSupport.class.getName() + ".spinHot", "Locked ownable synchronizers");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("servers")
    void recordingsAndFormats(Server s) throws Exception {
        HttpResponse<byte[]> trace = get(s.base() + "/debug/pprof/trace?seconds=1");
        assertThat(trace.statusCode()).isEqualTo(200);
        assertThat(new String(trace.body(), 0, 3, StandardCharsets.US_ASCII)).isEqualTo("FLR");
        assertThat(trace.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"trace.jfr\"");

        HttpResponse<byte[]> jfr = get(s.base() + "/debug/jfr?seconds=1");
        assertThat(jfr.statusCode()).isEqualTo(200);
        assertThat(new String(jfr.body(), 0, 3, StandardCharsets.US_ASCII)).isEqualTo("FLR");
        for (byte[] recording : List.of(trace.body(), jfr.body())) {
            assertThat(eventTypes(recording)).contains("jdk.ExecutionSample")
                    .as("no secrets of the environment or other processes leave the JVM")
                    .doesNotContain("jdk.InitialEnvironmentVariable", "jdk.SystemProcess");
        }

        HttpResponse<byte[]> wall = get(s.base() + "/debug/pprof/wall?seconds=1&format=jfr");
        assertThat(wall.statusCode()).as(text(wall)).isEqualTo(200);
        assertThat(new String(wall.body(), 0, 3, StandardCharsets.US_ASCII)).isEqualTo("FLR");

        HttpResponse<byte[]> html = get(s.base() + "/debug/pprof/profile?seconds=1&format=html");
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type").map(v -> v.replace(" ", ""))).hasValue("text/html;charset=utf-8");
        assertThat(text(html)).contains("<html", "spinHot");
        noTempFilesLeft();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("servers")
    void indexAndGc(Server s) throws Exception {
        for (String path : List.of("/debug/pprof/", "/debug/pprof")) {
            HttpResponse<byte[]> r = get(s.base() + path);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(text(r)).contains("Types of profiles available", "href=\"profile?seconds=5&amp;format=html\"",
                    "goroutine?debug=1", "heapdump", "/debug/jfr");
        }
        HttpResponse<byte[]> gc = get(s.base() + "/debug/gc");
        assertThat(gc.statusCode()).isEqualTo(200);
        assertThat(gc.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode n = JSON.readTree(gc.body());
        assertThat(n.get("collectors").size()).isPositive();
        assertThat(n.get("heap").get("used").asLong()).isPositive();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("servers")
    void badRequestsAreOneLineJsonErrors(Server s) throws Exception {
        Map<String, Integer> cases = Map.of(
                "/debug/pprof/profile?seconds=0", 400,
                "/debug/pprof/profile?seconds=121", 400,
                "/debug/pprof/profile?seconds=abc", 400,
                "/debug/pprof/profile?seconds=1&seconds=1", 400,
                "/debug/pprof/profile?seconds=1&format=pdf", 400,
                "/debug/pprof/profile?event=cycles", 400,
                "/debug/pprof/nothing", 404,
                "/debug/pprof/goroutine?debug=3", 400);
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            HttpResponse<byte[]> r = get(s.base() + c.getKey());
            assertThat(r.statusCode()).as(c.getKey()).isEqualTo(c.getValue());
            String body = text(r);
            assertThat(body).as(c.getKey()).startsWith("{\"error\":\"").endsWith("}\n").doesNotContain("\tat ");
            assertThat(body.strip()).doesNotContain("\n");
        }
        assertThat(text(get(s.base() + "/debug/pprof/profile?seconds=121"))).contains("seconds", "1 to 120");
    }

    @Test
    void fiftyConcurrentProfilesOneRunsTheOthersGet409Quickly() throws Exception {
        String url = jdk.base() + "/debug/pprof/profile?seconds=2";
        long t0 = System.nanoTime();
        List<CompletableFuture<long[]>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
            all.add(DebugTestSupport.CLIENT.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray())
                    .thenApply(r -> new long[] {r.statusCode(), System.nanoTime() - t0,
                            r.headers().firstValueAsLong("Retry-After").orElse(-1)}));
        }
        int ok = 0;
        int busy = 0;
        long slowest409 = 0;
        for (CompletableFuture<long[]> f : all) {
            long[] r = f.get();
            if (r[0] == 200) {
                ok++;
            } else if (r[0] == 409) {
                busy++;
                slowest409 = Math.max(slowest409, r[1]);
                assertThat(r[2]).as("Retry-After").isBetween(1L, 2L);
            }
        }
        long total = System.nanoTime() - t0;
        System.out.printf("50 concurrent profile requests: %d x 200, %d x 409, slowest 409 after %d ms, all done after %d ms%n",
                ok, busy, slowest409 / 1_000_000, total / 1_000_000);
        assertThat(ok).isEqualTo(1);
        assertThat(busy).isEqualTo(49);
        assertThat(slowest409).as("409s come before the capture ends").isLessThan(Duration.ofSeconds(2).toNanos());
        assertThat(get(jdk.base() + "/debug/pprof/profile?seconds=1").statusCode()).isEqualTo(200);
    }

    @Test
    void aCaptureWhoseClientLeavesIsCleanedUp() throws Exception {
        try (Socket sock = new Socket()) {
            sock.connect(new InetSocketAddress("127.0.0.1", jdk.port()));
            OutputStream out = sock.getOutputStream();
            out.write("GET /debug/pprof/profile?seconds=2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);
            assertThat(SelfCapture.busy()).isTrue();
        }
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (SelfCapture.busy() && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(SelfCapture.busy()).isFalse();
        Thread.sleep(300); // the response's write fails, then the files go
        noTempFilesLeft();
        assertThat(get(javalin.base() + "/debug/pprof/profile?seconds=1").statusCode()).isEqualTo(200);
    }

    @Test
    void withoutAsyncProfilerCpuFallsBackToJfrAndHeapSaysWhy() throws Exception {
        String key = dev.proflab.capture.AsyncProfilerLibrary.LIBRARY_PROPERTY;
        System.setProperty(key, temp.resolve("no-such-libasyncProfiler.so").toString());
        try {
            HttpResponse<byte[]> r = get(jdk.base() + "/debug/pprof/profile?seconds=2");
            assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Profile-Engine")).hasValue("jfr");
            assertThat(flat(profile(r.body())).get(0).getKey()).isEqualTo(DebugTestSupport.class.getName() + ".spinHot");

            HttpResponse<byte[]> heap = get(jdk.base() + "/debug/pprof/heap?seconds=1");
            assertThat(heap.statusCode()).isEqualTo(503);
            assertThat(text(heap)).contains("needs async-profiler", "heap?debug=1").doesNotContain(temp.toString());

            HttpResponse<byte[]> wall = get(jdk.base() + "/debug/pprof/wall?seconds=1");
            assertThat(wall.statusCode()).isEqualTo(503);
            assertThat(text(wall)).contains("wall").doesNotContain(temp.toString());
        } finally {
            System.clearProperty(key);
        }
        noTempFilesLeft();
    }

    @Test
    void anAsyncProfilerStartedBySomeoneElseIs409() throws Exception {
        var lib = dev.proflab.capture.AsyncProfilerLibrary.probe();
        org.junit.jupiter.api.Assumptions.assumeTrue(lib.usable(), "async-profiler cannot load here");
        one.profiler.AsyncProfiler ap = one.profiler.AsyncProfiler.getInstance(lib.library().toString());
        ap.execute("start,event=itimer");
        try {
            HttpResponse<byte[]> r = get(jdk.base() + "/debug/pprof/profile?seconds=1");
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(text(r)).contains("already running in this JVM");
        } finally {
            ap.execute("stop");
        }
        assertThat(SelfCapture.busy()).isFalse();
        assertThat(get(jdk.base() + "/debug/pprof/profile?seconds=1").statusCode()).isEqualTo(200);
        noTempFilesLeft();
    }

    @Test
    void heapDumpsGoToTheFolderAndNotOverHttp() throws Exception {
        HttpResponse<byte[]> r = get(jdk.base() + "/debug/pprof/heapdump?gc=1");
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        JsonNode n = JSON.readTree(r.body());
        String name = n.get("file").asText();
        assertThat(name).matches("heap-[0-9-]+\\.hprof");
        assertThat(text(r)).doesNotContain(dumps.toString());
        assertThat(Files.size(dumps.resolve(name))).isEqualTo(n.get("bytes").asLong()).isPositive();
        assertThat(r.body().length).isLessThan(1000);

        try (Server off = DebugTestSupport.jdk(new DebugEndpoints(DebugOptions.defaults()), "127.0.0.1")) {
            HttpResponse<byte[]> o = get(off.base() + "/debug/pprof/heapdump");
            assertThat(o.statusCode()).isEqualTo(404);
            assertThat(text(o)).contains("heap dumps are off");
            assertThat(text(get(off.base() + "/debug/pprof/"))).doesNotContain("heapdump");
        }
    }
}
