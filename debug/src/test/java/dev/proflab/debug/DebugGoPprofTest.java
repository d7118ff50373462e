package dev.proflab.debug;

import dev.proflab.debug.DebugTestSupport.Server;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Go's own client against the JDK adapter: {@code go tool pprof -top URL/profile?seconds=2} and {@code -raw} of
 * heap, mutex and goroutine. Skipped with a message when {@code go} is not installed, except under {@code CI=true},
 * where a missing Go fails.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebugGoPprofTest {

    private String go;
    private Path home;
    private DebugTestSupport.Load load;
    private Server server;

    @BeforeAll
    void start() throws IOException {
        go = findGo();
        if (go == null) {
            String why = "go is not installed (apt-get install -y golang-go): skipping the go tool pprof tests";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why.replace("skipping", "CI=true, so failing instead of skipping"));
            }
            Assumptions.abort(why);
        }
        home = Files.createTempDirectory("debug-go-pprof");
        server = DebugTestSupport.jdk(new DebugEndpoints(DebugOptions.defaults()), "127.0.0.1");
        load = new DebugTestSupport.Load();
    }

    @AfterAll
    void stop() throws Exception {
        if (load != null) {
            load.close();
        }
        if (server != null) {
            server.close();
        }
        if (home != null) {
            try (var s = Files.walk(home)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String findGo() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "go"))) {
                return Path.of(dir, "go").toString();
            }
        }
        for (String p : List.of("/usr/bin/go", "/usr/local/go/bin/go", "/usr/lib/go/bin/go")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    /** Runs go tool pprof with {@code args}; its standard output (fails with stderr on a non-zero exit). */
    private String pprof(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(go, "tool", "pprof"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PPROF_TMPDIR", home.toString());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("GOCACHE", home.resolve("gocache").toString());
        Path out = home.resolve("out.txt");
        Path err = home.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("go tool pprof did not finish in 60 s: " + cmd);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        System.out.println("$ go tool pprof " + String.join(" ", args) + "\n" + stderr + stdout.lines().limit(12)
                .reduce("", (a, b) -> a + b + "\n"));
        assertThat(p.exitValue()).as(stderr).isZero();
        return stdout;
    }

    @Test
    void goToolPprofTopOfACpuProfile() throws Exception {
        String out = pprof("-top", server.base() + "/debug/pprof/profile?seconds=2");
        List<String> lines = out.lines().toList();
        int header = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith("flat")) {
                header = i;
                break;
            }
        }
        assertThat(header).as(out).isNotNegative();
        assertThat(lines.get(header + 1)).as("the top function").endsWith("DebugTestSupport.spinHot");
        assertThat(out).contains("Type: cpu");
    }

    @Test
    void goToolPprofRawOfHeapMutexAndGoroutine() throws Exception {
        String heap = pprof("-raw", server.base() + "/debug/pprof/heap?seconds=1");
        assertThat(heap).contains("Samples:", "inuse_objects/count", "inuse_space/bytes");
        assertThat(heap).contains("allocHot");

        String mutex = pprof("-raw", server.base() + "/debug/pprof/mutex?seconds=1");
        assertThat(mutex).contains("Samples:", "contentions/count", "delay/nanoseconds", "contendHot");

        String threads = pprof("-raw", server.base() + "/debug/pprof/goroutine");
        assertThat(threads).contains("Samples:", "goroutine/count", "spinHot");
    }
}
