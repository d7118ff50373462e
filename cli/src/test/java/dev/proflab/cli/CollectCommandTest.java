package dev.proflab.cli;

import com.sun.net.httpserver.HttpServer;
import dev.proflab.profile.ProfileReader;
import dev.proflab.debug.DebugEndpoints;
import dev.proflab.debug.DebugHttpHandler;
import dev.proflab.debug.DebugOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code proflab collect}: arguments, and short real runs against /debug/pprof in this JVM. */
@Tag("slow")
class CollectCommandTest {

    static HttpServer target;
    static String base;
    static volatile boolean burning = true;
    static volatile long sink;

    @BeforeAll
    static void start() throws Exception {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        target.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "collect-cli-target");
            t.setDaemon(true);
            return t;
        }));
        DebugHttpHandler.mount(target, new DebugEndpoints(DebugOptions.defaults()));
        target.start();
        base = "http://127.0.0.1:" + target.getAddress().getPort();
        Thread burner = new Thread(() -> {
            while (burning) {
                sink += fib(20);
            }
        }, "collect-cli-burner");
        burner.setDaemon(true);
        burner.start();
    }

    static long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    @AfterAll
    static void stop() {
        burning = false;
        target.stop(0);
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void collectsCyclesAndSaysWhatItDid(@TempDir Path out) throws Exception {
        CliRun r = CliRun.of("collect", "--target", base + "/debug/pprof/", "--interval", "1s", "--window", "1s",
                "--no-heap", "--cycles", "2", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<Path> cpu = files(out.resolve("cpu"));
        assertThat(cpu).hasSize(2);
        for (Path p : cpu) {
            assertThat(p.getFileName().toString()).matches("cpu_\\d{8}-\\d{6}\\.pb\\.gz");
            assertThat(ProfileReader.read(p).sampleCount()).isPositive();
        }
        String[] lines = r.err().strip().split("\\R");
        assertThat(lines[0]).isEqualTo("collecting cpu (1 s) from " + base + " every 1 s into " + out
                + " (pprof, keep 100 per kind)");
        assertThat(lines[1]).matches("\\S+Z cycle 1: cpu 1 s .* -> cpu/" + cpu.get(0).getFileName().toString()
                .replace(".", "\\.") + "; kept 1 file \\(.*\\)");
        assertThat(lines[2]).contains("cycle 2:").contains("kept 2 files");
        assertThat(lines[3]).isEqualTo("proflab collect: stopped after 2 cycles: 2 files, 0 skipped, 0 outages (0 s down)");
    }

    @Test
    void jfrFormatSavesRecordings(@TempDir Path out) throws Exception {
        CliRun r = CliRun.of("collect", "--target", base, "--interval", "2s", "--window", "1s", "--snapshot", "1s",
                "--cycles", "1", "--format", "jfr", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(files(out.resolve("cpu"))).singleElement()
                .satisfies(p -> assertThat(p.getFileName().toString()).matches("cpu_\\d{8}-\\d{6}\\.jfr"));
        assertThat(files(out.resolve("heap"))).singleElement()
                .satisfies(p -> assertThat(p.getFileName().toString()).matches("heap_\\d{8}-\\d{6}\\.jfr"));
        assertThat(ProfileReader.events(files(out.resolve("cpu")).get(0))).isNotEmpty();
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo(@TempDir Path out) throws Exception {
        String o = out.toString();
        String tok = Files.writeString(out.resolve("token"), "t0ken").toString();
        String[][] cases = {
                {"--max-bytes", "lots", "--out", o},
                {"--max-bytes", "12", "--out", o},
                {"--window", "1.5s", "--out", o},
                {"--interval", "10s", "--window", "30s", "--out", o},
                {"--interval", "7s", "--window", "5s", "--snapshot", "1s", "--allocs", "--mutex", "--out", o},
                {"--app", "demo", "--out", o},
                {"--pyroscope", "http://127.0.0.1:4040"},
                {"--pyroscope", "http://127.0.0.1:4040", "--app", "my app"},
                {"--pyroscope", "http://127.0.0.1:4040", "--app", "demo", "--label", "env"},
                {"--pyroscope", "http://127.0.0.1:4040", "--app", "demo", "--label", "bad-name=x"},
                {"--pyroscope", "http://127.0.0.1:4040", "--app", "demo", "--format", "pprof"},
                {"--target", "http://127.0.0.1:6060/debug/pprof/profile?seconds=5", "--out", o},
                {"--target", "ftp://host", "--out", o},
                {"--keep", "-1", "--out", o},
                {"--max-profile-bytes", "lots", "--out", o},
                {"--max-profile-bytes", "0", "--out", o},
                {"--queue-max", "5", "--out", o},
                {"--pyroscope", "http://127.0.0.1:4040", "--app", "demo", "--queue-max", "0"},
                {"--pyroscope", "http://127.0.0.1:4040", "--app", "demo", "--push-max-age", "soon"},
                {"--pyroscope", "http://u:hunter2@127.0.0.1:4040", "--app", "demo", "--pyroscope-basic-auth-file",
                        "/nonexistent"},
                {"--pyroscope", "http://u@127.0.0.1:4040", "--app", "demo"},
                {"--pyroscope", "http://u:hunter2@127.0.0.1:4040", "--app", "demo", "--pyroscope-token-file",
                        tok},
                {"--pyroscope", "http://127.0.0.1:4040", "--app", "demo", "--tenant", "a/b"},
                {"--pyroscope", "http://127.0.0.1:4040", "--app", "demo", "--label", "1zone=eu"},
                {"--pyroscope", "http://127.0.0.1:4040", "--app", "demo", "--label", "k8s.pod=a", "--label",
                        "k8s_pod=b"},
                {"--pyroscope", "http://127.0.0.1:4040", "--app", "demo", "--label", "service_name=x"},
                {"--no-default-labels", "--out", o},
                manyLabels(23),
                {"--otlp", "http://127.0.0.1:4318"},
        };
        String[] expected = {
                "--max-bytes: 'lots' is not a size",
                "--max-bytes: '12' is out of range",
                "--window: 1500 ms: the endpoints take whole seconds",
                "--interval 10s: shorter than one cycle's captures (35 s",
                "--interval 7s: shorter than one cycle's captures (8 s",
                "--app, --label, --tenant, --pyroscope-token-file, --pyroscope-basic-auth-file and",
                "--app: needed with --pyroscope",
                "--app: 'my app' is not a Pyroscope application name",
                "--label env: use NAME=VALUE",
                "--label bad-name=x: 'bad-name' is not a label name",
                "--format pprof: Pyroscope takes the windows as JFR",
                "--target http://127.0.0.1:6060/debug/pprof/profile?seconds=5: give the service's base URL",
                "--target: ",
                "--keep: must be 0 (all) or more",
                "--max-profile-bytes: 'lots' is not a size",
                "--max-profile-bytes: '0' is out of range",
                "--queue-max: goes with --pyroscope URL",
                "--queue-max: must be 1 or more, was 0",
                "--push-max-age: 'soon' is not a duration",
                "--pyroscope-basic-auth-file /nonexistent: no such file",
                "--pyroscope: 'http://***@127.0.0.1:4040': the URL names a user but no password",
                "--pyroscope-token-file: Pyroscope is also given basic auth credentials: give one of them",
                "--tenant 'a/b': a tenant ID is 1 to 150",
                "--label 1zone=eu: '1zone' starts with a digit: Pyroscope's distributor refuses the push",
                "--label k8s_pod=b: 'k8s.pod' and 'k8s_pod' are the same label 'k8s_pod' once . becomes _",
                "--label service_name=x: Pyroscope sets 'service_name' itself from the app name: use --app",
                "--app, --label, --tenant, --pyroscope-token-file, --pyroscope-basic-auth-file and",
                "--label: 32 label names per series, more than the 30 Pyroscope takes (5 are its own: __name__,"
                        + " service_name, pyroscope_spy, __delta__, jfr_event; 2 the runtime's); drop some, or the"
                        + " defaults with --no-default-labels",
                "--app: needed with --otlp (the service.name of the profiles)",
        };
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[cases[i].length + 1];
            args[0] = "collect";
            System.arraycopy(cases[i], 0, args, 1, cases[i].length);
            CliRun r = CliRun.of(args);
            assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().findFirst().orElse("")).as(String.join(" ", args))
                    .startsWith("proflab: " + expected[i]);
            assertThat(r.err().strip().lines().count()).isOne();
        }
        assertThat(Files.exists(out.resolve("cpu"))).isFalse();
    }

    /**
     * A target whose CPU window never ends: the window is skipped at --max-profile-bytes, said in the cycle's line
     * with the option that sets the cap, and the run goes on to its end; no advice of an option collect has not.
     */
    @Test
    void anEndlessAnswerIsSkippedAtTheCap(@TempDir Path out) throws Exception {
        HttpServer endless = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        endless.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "collect-cli-endless");
            t.setDaemon(true);
            return t;
        }));
        endless.createContext("/", ex -> {
            try (ex) {
                ex.sendResponseHeaders(200, 0);
                byte[] block = new byte[1 << 16];
                long end = System.nanoTime() + 60_000_000_000L;
                while (System.nanoTime() < end) {
                    ex.getResponseBody().write(block);
                }
            } catch (java.io.IOException e) {
                // the collector hung up: what is expected
            }
        });
        endless.start();
        try {
            long t0 = System.nanoTime();
            CliRun r = CliRun.of("collect", "--target", "http://127.0.0.1:" + endless.getAddress().getPort(),
                    "--interval", "1s", "--window", "1s", "--no-heap", "--cycles", "2", "--max-profile-bytes", "1MB",
                    "--out", out.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains("cycle 1: cpu skipped (the answer is larger than 1.0 MB: stopped reading it:"
                    + " --max-profile-bytes)", "cycle 2: cpu skipped (", "2 cycles: 0 files, 2 skipped")
                    .doesNotContain("--timeout");
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(60);
            assertThat(files(out.resolve("cpu"))).isEmpty();
        } finally {
            endless.stop(0);
        }
        CliRun help = CliRun.of("collect", "--help");
        assertThat(help.out()).contains("--max-profile-bytes=SIZE", "(default: 64MB", "plus 30 s");
    }

    /**
     * Pyroscope answers 503 for the first 2 s: the captures go on on time, every window waits in the queue under
     * the output folder and is delivered once, in order, when Pyroscope is back; nothing is left in the spool.
     */
    @Test
    void windowsWaitOutAPyroscopeOutage(@TempDir Path out) throws Exception {
        long upAt = System.nanoTime() + 2_000_000_000L;
        List<Long> delivered = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        HttpServer pyroscope = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        pyroscope.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "collect-cli-pyroscope");
            t.setDaemon(true);
            return t;
        }));
        pyroscope.createContext("/ingest", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                if (System.nanoTime() < upAt) {
                    ex.sendResponseHeaders(503, -1);
                    return;
                }
                String q = ex.getRequestURI().getRawQuery();
                delivered.add(Long.parseLong(q.replaceAll(".*[?&]?from=(\\d+).*", "$1")));
                ex.sendResponseHeaders(200, -1);
            }
        });
        pyroscope.start();
        try {
            CliRun r = CliRun.of("collect", "--target", base, "--interval", "1s", "--window", "1s", "--no-heap",
                    "--cycles", "3", "--stop-grace", "15s", "--out", out.toString(), "--pyroscope",
                    "http://127.0.0.1:" + pyroscope.getAddress().getPort(), "--app", "demo");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains("Pyroscope unavailable (", "Pyroscope answered 503").containsPattern(
                    "proflab collect: stopped after 3 cycles: 3 files, .*; Pyroscope: 3 delivered, \\d+ retried,"
                            + " 0 dropped, 0 left");
            assertThat(delivered).hasSize(3).isSorted().doesNotHaveDuplicates();
            assertThat(files(out.resolve(".pyroscope"))).isEmpty();

            // the same counts as JSON lines on stdout
            delivered.clear();
            CliRun j = CliRun.of("collect", "--target", base, "--interval", "1s", "--window", "1s", "--no-heap",
                    "--cycles", "2", "--stop-grace", "15s", "--pyroscope",
                    "http://127.0.0.1:" + pyroscope.getAddress().getPort(), "--app", "demo", "--log-format", "json");
            assertThat(j.exitCode()).as(j.err()).isZero();
            List<com.fasterxml.jackson.databind.JsonNode> recs = new java.util.ArrayList<>();
            for (String line : j.out().strip().split("\\R")) {
                recs.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line));
            }
            assertThat(recs).filteredOn(n -> n.path("event").asText().equals("cycle")).hasSize(2)
                    .allSatisfy(n -> {
                        assertThat(n.path("captures").get(0).path("kind").asText()).isEqualTo("cpu");
                        assertThat(n.path("captures").get(0).path("bytes").asLong()).isPositive();
                        assertThat(n.path("pyroscope").has("delivered")).isTrue();
                        assertThat(n.path("pyroscope").has("waiting")).isTrue();
                    });
            com.fasterxml.jackson.databind.JsonNode last = recs.get(recs.size() - 1);
            assertThat(last.path("event").asText()).isEqualTo("stopped");
            assertThat(last.path("cycles").asLong()).isEqualTo(2);
            assertThat(last.path("pyroscope").path("delivered").asLong()).isEqualTo(2);
            assertThat(last.path("pyroscope").path("dropped").asLong()).isZero();
            assertThat(delivered).hasSize(2);
        } finally {
            pyroscope.stop(0);
        }
    }

    /**
     * A gateway in front of Pyroscope that wants basic auth: the URL's credentials are sent as the Java agent sends
     * them; a wrong password is refused (401), said once with the gateway's reason, and shown nowhere.
     */
    @Test
    void basicAuthFromTheUrlOrAFileAndA401SaidOnce(@TempDir Path dir) throws Exception {
        String good = "Basic " + java.util.Base64.getEncoder().encodeToString("fleet:s3cret-pw".getBytes());
        List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        HttpServer gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        gateway.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "collect-cli-gateway");
            t.setDaemon(true);
            return t;
        }));
        gateway.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                seen.add(String.valueOf(auth));
                byte[] why = "invalid credentials for tenant".getBytes();
                if (good.equals(auth)) {
                    ex.sendResponseHeaders(200, -1);
                } else {
                    ex.sendResponseHeaders(401, why.length);
                    ex.getResponseBody().write(why);
                }
            }
        });
        gateway.start();
        try {
            String port = String.valueOf(gateway.getAddress().getPort());
            CliRun ok = CliRun.of("collect", "--target", base, "--interval", "1s", "--window", "1s", "--no-heap",
                    "--cycles", "1", "--pyroscope", "http://fleet:s3cret-pw@127.0.0.1:" + port, "--app", "demo");
            assertThat(ok.exitCode()).as(ok.err()).isZero();
            assertThat(ok.err()).contains("Pyroscope: 1 delivered, 0 retried, 0 dropped, 0 left",
                    "at http://127.0.0.1:" + port + "/ingest (basic auth)").doesNotContain("s3cret");

            Path file = dir.resolve("auth");
            Files.writeString(file, "fleet:wrong-pw\n");
            CliRun refused = CliRun.of("collect", "--target", base, "--interval", "1s", "--window", "1s", "--no-heap",
                    "--cycles", "2", "--pyroscope", "http://127.0.0.1:" + port, "--app", "demo",
                    "--pyroscope-basic-auth-file", file.toString());
            assertThat(refused.exitCode()).as(refused.err()).isZero();
            assertThat(refused.err().lines().filter(l -> l.contains("Pyroscope refuses the credentials")))
                    .singleElement().asString().contains("Pyroscope answered 401: invalid credentials for tenant");
            assertThat(refused.err()).contains("Pyroscope: 0 delivered, 0 retried, 2 dropped, 0 left")
                    .doesNotContain("wrong-pw");
            assertThat(seen).hasSize(3);
        } finally {
            gateway.stop(0);
        }
    }

    /** {@code --pyroscope ... --app demo} and {@code n} labels: with host and instance, 2 over Pyroscope's 30. */
    private static String[] manyLabels(int n) {
        List<String> a = new java.util.ArrayList<>(List.of("--pyroscope", "http://127.0.0.1:4040", "--app", "demo"));
        for (int i = 0; i < n; i++) {
            a.add("--label");
            a.add("l" + i + "=v");
        }
        return a.toArray(String[]::new);
    }

    @Test
    void sizesAreParsedInPowersOf1024() {
        assertThat(CollectCommand.parseSize("1GB", "--max-bytes")).isEqualTo(1L << 30);
        assertThat(CollectCommand.parseSize("500MB", "--max-bytes")).isEqualTo(500L << 20);
        assertThat(CollectCommand.parseSize("1.5g", "--max-bytes")).isEqualTo(3L << 29);
        assertThat(CollectCommand.parseSize("64KiB", "--max-bytes")).isEqualTo(64L << 10);
        assertThat(CollectCommand.parseSize("4096", "--max-bytes")).isEqualTo(4096);
    }
}
