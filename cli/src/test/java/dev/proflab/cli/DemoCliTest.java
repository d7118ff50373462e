package dev.proflab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code proflab serve}, {@code load} and {@code fetch} together, in-process, over real HTTP. */
@Tag("slow")
class DemoCliTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static ServeCommand serve;
    static Thread serving;
    static StringWriter serveOut = new StringWriter();
    static String base;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        serve = new ServeCommand();
        CommandLine cl = new CommandLine(serve);
        cl.setOut(new PrintWriter(serveOut, true));
        serving = new Thread(() -> cl.execute("--port", "0"), "test-serve");
        serving.start();
        for (int i = 0; i < 200 && serve.service == null; i++) {
            Thread.sleep(50);
        }
        assertThat(serve.service).as("started").isNotNull();
        base = serve.service.url();
    }

    @AfterAll
    static void stop() throws Exception {
        serve.stop.countDown();
        serving.join(10_000);
        assertThat(serving.isAlive()).isFalse();
    }

    @Test
    void theNewCommandsHaveHelp() {
        var subcommands = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .getSubcommands();
        for (String command : new String[] {"serve", "load", "fetch"}) {
            CliRun r = CliRun.of(command, "--help");
            assertThat(r.exitCode()).as(command).isZero();
            assertThat(r.out()).as(command).startsWith("Usage: proflab " + command).contains("Examples:");
            assertThat(subcommands.get(command).getCommandSpec().usageMessage().description()[0].strip())
                    .as(command).endsWith(".");
        }
    }

    @Test
    void serveSaysWhereAndWhatItServes() throws Exception {
        for (int i = 0; i < 100 && !serveOut.toString().contains("\n"); i++) {
            Thread.sleep(20);
        }
        String line = serveOut.toString().strip();
        assertThat(line).startsWith("proflab serve: " + base + "work (cpu, mem, contention, leak")
                .contains("debug endpoints: ", "lock threshold 10us (default)", "(Ctrl-C to stop)")
                .doesNotContain("\n");
    }

    @Test
    void aForeignHostGets403OnWorkAndDebug() throws Exception {
        int port = serve.service.port();
        for (String target : new String[] {"/work/cpu?n=30", "/work", "/debug/gc", "/debug/pprof/profile?seconds=30"}) {
            assertThat(ViewCommandTest.status(port, "evil.example:" + port, target)).as(target).isEqualTo(403);
            assertThat(ViewCommandTest.status(port, "localhost:" + port, target.replace("seconds=30", "seconds=1")))
                    .as(target).isEqualTo(200);
        }
        CliRun bad = CliRun.of("serve", "--port=0", "--allow-host", "devbox.lan:6060");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err().strip())
                .isEqualTo("proflab: --allow-host 'devbox.lan:6060': give the host without a port (every port is accepted)");
    }

    @Test
    void allowedHostsOnTheServiceAndTheAdminPort() throws Exception {
        ServeCommand other = new ServeCommand();
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(other);
        cl.setOut(new PrintWriter(out, true));
        Thread t = new Thread(() -> cl.execute("--port", "0", "--debug-port", "0", "--allow-host", "devbox.lan"));
        t.start();
        try {
            for (int i = 0; i < 200 && !out.toString().contains("\n"); i++) {
                Thread.sleep(20);
            }
            String line = out.toString();
            assertThat(line).contains("Host localhost, 127.0.0.1, [::1] or devbox.lan only");
            int admin = Integer.parseInt(line.replaceAll("(?s).*\\(admin port (\\d+)\\).*", "$1"));
            int port = other.service.port();
            assertThat(ViewCommandTest.status(port, "devbox.lan:" + port, "/work")).isEqualTo(200);
            assertThat(ViewCommandTest.status(port, "evil.example", "/work")).isEqualTo(403);
            assertThat(ViewCommandTest.status(admin, "devbox.lan", "/debug/gc")).isEqualTo(200);
            assertThat(ViewCommandTest.status(admin, "evil.example:" + admin, "/debug/gc")).isEqualTo(403);
            assertThat(ViewCommandTest.status(admin, "evil.example:" + admin, "/debug/jfr?seconds=30")).isEqualTo(403);
        } finally {
            other.stop.countDown();
            t.join(10_000);
        }
    }

    @Test
    void debugEndpointsOnASeparateAdminPort() throws Exception {
        ServeCommand other = new ServeCommand();
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(other);
        cl.setOut(new PrintWriter(out, true));
        Thread t = new Thread(() -> cl.execute("--port", "0", "--debug-port", "0", "--lock-threshold", "2us"));
        t.start();
        try {
            for (int i = 0; i < 200 && !out.toString().contains("\n"); i++) {
                Thread.sleep(20);
            }
            String line = out.toString();
            assertThat(line).contains("(admin port ", "lock threshold 2us (--lock-threshold)");
            String admin = line.replaceAll("(?s).*\\(admin port (\\d+)\\).*", "$1");
            Path file = dir.resolve("admin-goroutine.pb.gz");
            CliRun r = CliRun.of("fetch", "http://127.0.0.1:" + admin + "/debug/pprof/goroutine", "-o", file.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            // the admin port is on loopback unless --debug-bind says otherwise
            assertThat(line).contains("http://127.0.0.1:" + admin + "/debug/pprof/");
            // a capture on the admin port (its threads are platform threads: async-profiler does not
            // start from a virtual thread)
            Path cpu = dir.resolve("admin-cpu.pb.gz");
            CliRun capture = CliRun.of("fetch", "http://127.0.0.1:" + admin + "/debug/pprof/profile?seconds=1",
                    "-o", cpu.toString());
            assertThat(capture.exitCode()).as(capture.err()).isZero();
            assertThat(capture.out()).contains("wrote");
            CliRun notThere = CliRun.of("fetch", other.service.url() + "debug/pprof/goroutine", "-o", file.toString());
            assertThat(notThere.exitCode()).isEqualTo(2); // not on the service's own port
            assertThat(notThere.err()).contains("404");
        } finally {
            other.stop.countDown();
            t.join(10_000);
        }
    }

    @Test
    void theFlightRecorderRecordsBeforeAnyoneAsks() throws Exception {
        ServeCommand other = new ServeCommand();
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(other);
        cl.setOut(new PrintWriter(out, true));
        Thread t = new Thread(() -> cl.execute("--port", "0", "--flight-recorder", "2m", "--flight-recorder-size", "20m"));
        t.start();
        try {
            for (int i = 0; i < 200 && !out.toString().contains("\n"); i++) {
                Thread.sleep(20);
            }
            assertThat(out.toString()).contains("flight recorder on (/debug/jfr?last=5m; keeps the last 2 min, at most 20 MB");
            CliRun work = CliRun.of("load", other.service.url() + "work/cpu?n=28", "-d", "2s");
            assertThat(work.exitCode()).as(work.err()).isZero();
            Path file = dir.resolve("last.jfr");
            CliRun r = CliRun.of("fetch", other.service.url() + "debug/jfr?last=1m", "-o", file.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            // the requests above ran before the dump was asked for: their samples are in it
            CliRun top = CliRun.of("top", file.toString(), "--format", "json");
            assertThat(top.exitCode()).as(top.err()).isZero();
            assertThat(top.out()).contains("Fib.recursive");
        } finally {
            other.stop.countDown();
            t.join(10_000);
        }
        for (String[] args : new String[][] {{"--flight-recorder", "5s"}, {"--flight-recorder", "soon"},
                {"--flight-recorder", "--flight-recorder-size", "10k"}, {"--flight-recorder", "--flight-recorder-size", "lots"}}) {
            String[] all = new String[args.length + 2];
            all[0] = "serve";
            all[1] = "--port=0";
            System.arraycopy(args, 0, all, 2, args.length);
            CliRun bad = CliRun.of(all);
            assertThat(bad.exitCode()).as(String.join(" ", args) + ": " + bad.err()).isEqualTo(2);
            assertThat(bad.err().strip()).startsWith("proflab: --flight-recorder").doesNotContain("\n", "Exception");
        }
    }

    @Test
    void loadForTwoSecondsAsJson() throws Exception {
        CliRun r = CliRun.of("load", base + "work/cpu?n=20&impl=before", "-c", "2", "-d", "2s", "--format", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        long requests = j.get("requests").asLong();
        assertThat(requests).isPositive();
        long statuses = 0;
        for (String k : new String[] {"1xx", "2xx", "3xx", "4xx", "5xx"}) {
            statuses += j.get("status").get(k).asLong();
        }
        long errors = 0;
        for (String k : new String[] {"connect", "timeout", "io", "other"}) {
            errors += j.get("errors").get(k).asLong();
        }
        assertThat(statuses + errors).isEqualTo(requests);
        assertThat(j.get("status").get("2xx").asLong()).isEqualTo(requests);
        JsonNode lat = j.get("latency_ms");
        assertThat(lat.get("p50").asDouble()).isPositive().isLessThanOrEqualTo(lat.get("p90").asDouble());
        assertThat(lat.get("p90").asDouble()).isLessThanOrEqualTo(lat.get("p99").asDouble());
        assertThat(lat.get("p99").asDouble()).isLessThanOrEqualTo(lat.get("p99_9").asDouble());
        assertThat(lat.get("p99_9").asDouble()).isLessThanOrEqualTo(lat.get("max").asDouble());
        assertThat(j.get("throughput_rps").asDouble()).isPositive();
        assertThat(j.get("mode").asText()).isEqualTo("closed-loop");
        assertThat(r.err()).contains("load: 1 s of 2 s");
        long inTimeline = 0;
        for (JsonNode second : j.get("timeline")) {
            inTimeline += second.get("answered").asLong();
            assertThat(second.get("p99_ms").asDouble()).isLessThanOrEqualTo(lat.get("max").asDouble());
        }
        assertThat(inTimeline).isEqualTo(requests);
    }

    @Test
    void loadAtAFixedRateAsText() {
        CliRun r = CliRun.of("load", base + "work/cpu?n=10&impl=after", "--rate", "50", "-d", "2s", "-c", "2",
                "--timeline", "--warmup", "500ms");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("fixed rate 50/s", "p99.9", "(from each request's scheduled start)",
                "after a 0.5 s warm-up");
        // --timeline: a header and a line for each second, about 50 answers in each
        assertThat(r.out()).containsPattern("second\\s+answered\\s+p50\\s+p99\\s+max")
                .containsPattern("(?m)^\\s+1\\.\\d\\s+\\d{2}\\s");
        long requests = Long.parseLong(r.out().replaceAll("(?s).*requests\\s+(\\d+).*", "$1"));
        assertThat(requests).isBetween(90L, 110L);
    }

    @Test
    void badLoadInputIsOneLineAndExit2() {
        for (String[] args : new String[][] {
                {"load", "not a url"}, {"load", "ftp://x/"}, {"load", base, "-c", "0"},
                {"load", base, "--duration", "-1s"}, {"load", base, "--rate", "-5"}, {"load", base, "-n", "-3"},
                {"load", base, "--duration", "soon"}, {"load", base, "--warmup", "-1s"},
                {"load", base, "--warmup", "soon"}}) {
            CliRun r = CliRun.of(args);
            assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().findFirst().orElse("")).startsWith("proflab: ");
            assertThat(r.err()).doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void fetchRefusesWhatIsNotAProfileAndLeavesNothing() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("fetch-bad"));
        CliRun missing = CliRun.of("fetch", base + "work/nothing", "-o", folder.resolve("x.pb.gz").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("proflab: " + base + "work/nothing: the server answered 404:"
                + " no such endpoint: see GET /work for the list");
        CliRun json = CliRun.of("fetch", base + "work/cpu?n=5", "-o", folder.resolve("x.pb.gz").toString());
        assertThat(json.exitCode()).isEqualTo(2);
        assertThat(json.err()).contains("is not a profile");
        CliRun bad = CliRun.of("fetch", base + "work/cpu?n=99", "-o", folder.resolve("x.pb.gz").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("the server answered 400: n: 99 is out of range");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void fetchWithABadTokenFileIsExit2() {
        CliRun r = CliRun.of("fetch", base + "debug/pprof/goroutine", "-o", dir.resolve("t.pb.gz").toString(),
                "--token-file", dir.resolve("no-such-token").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--token-file", "no such file");
        assertThat(Files.exists(dir.resolve("t.pb.gz"))).isFalse();
    }

    @Test
    void fetchAThreadProfileFromTheDebugEndpoints() throws Exception {
        Path out = dir.resolve("goroutine.pb.gz");
        Path token = Files.writeString(dir.resolve("token"), "  a-token-that-is-long-enough \n");
        CliRun r = CliRun.of("fetch", base + "debug/pprof/goroutine", "-o", out.toString(), "--token-file", token.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + out, "pprof", "proflab top " + out);
        assertThat(ProfileReader.read(out).sampleCount()).isPositive();
    }

    /**
     * End to end: /work/cpu under load, a 5 s CPU profile fetched meanwhile: the hottest method is the fib under load.
     * fib(36) keeps each request's worker thread alive for a few hundred ms: the debug module's default CPU event
     * (perf_events) was seen to miss most samples of threads that live only ~30 ms (n=32), see docs/service.md.
     */
    @Test
    void cpuProfileUnderLoadShowsRecursiveFib() throws Exception {
        Path out = dir.resolve("cpu.pb.gz");
        CompletableFuture<CliRun> load = CompletableFuture.supplyAsync(() ->
                CliRun.of("load", base + "work/cpu?n=36&workers=1&impl=before", "-c", "2", "-d", "8s"));
        Thread.sleep(1000);
        CliRun fetch = CliRun.of("fetch", base + "debug/pprof/profile?seconds=5", "-o", out.toString());
        assertThat(fetch.exitCode()).as(fetch.err()).isZero();
        assertThat(load.get().exitCode()).isZero();
        Profile p = ProfileReader.read(out);
        assertThat(hottest(p)).as(top(p)).isEqualTo("dev.proflab.labs.fib.Fib.recursive");
    }

    /** The ten hottest functions of {@code p}, for a failure's message. */
    static String top(Profile p) {
        return "top of the profile: " + dev.proflab.report.Top.compute(p, dev.proflab.report.Selection.all(), 10, false)
                .rows().stream().map(r -> r.name() + " " + r.flat()).toList();
    }

    /** End to end: /work/contention under load, a lock profile fetched meanwhile: the wait is on the one lock. */
    @Test
    void lockProfileUnderContentionLoadShowsTheOneLock() throws Exception {
        Path out = dir.resolve("mutex.pb.gz");
        CompletableFuture<CliRun> load = CompletableFuture.supplyAsync(() -> CliRun.of("load",
                base + "work/contention?workers=8&iter=2000&holdNs=50000&impl=before", "-c", "2", "-d", "8s"));
        Thread.sleep(1000);
        CliRun fetch = CliRun.of("fetch", base + "debug/pprof/mutex?seconds=5", "-o", out.toString());
        assertThat(fetch.exitCode()).as(fetch.err()).isZero();
        assertThat(load.get().exitCode()).isZero();
        Profile p = ProfileReader.read(out);
        assertThat(p.sampleCount()).isPositive();
        assertThat(anyStackContains(p, "OneLockTable.record")).isTrue();
    }

    /** The Java method with the most self samples (kernel and JVM frames are skipped up to the first Java one). */
    static String hottest(Profile p) {
        Map<String, Long> self = new HashMap<>();
        int vi = p.defaultValueIndex();
        for (int s = 0; s < p.sampleCount(); s++) {
            int[] stack = p.stack(p.stackOf(s));
            if (stack.length == 0) {
                continue;
            }
            Frame f = null;
            for (int id : stack) {
                Frame candidate = p.frame(id);
                if (candidate.kind().isJava() || candidate.kind() == Frame.Kind.UNKNOWN  // pprof has no kinds:
                        && candidate.type().matches("([\\w$]+\\.)+[A-Z][\\w$]*")) { // a package.Class

                    f = p.frame(id);
                    break;
                }
            }
            if (f == null) {
                continue;
            }
            self.merge(f.name(), p.value(s, vi), Long::sum);
        }
        return self.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    static boolean anyStackContains(Profile p, String method) {
        for (int s = 0; s < p.sampleCount(); s++) {
            for (int id : p.stack(p.stackOf(s))) {
                Frame f = p.frame(id);
                if ((f.type() + "." + f.method()).contains(method)) {
                    return true;
                }
            }
        }
        return false;
    }
}
