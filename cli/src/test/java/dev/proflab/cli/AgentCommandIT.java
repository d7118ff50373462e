package dev.proflab.cli;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proflab agent --pid} against an application that is not ours: the H2 database server started from its
 * Maven Central jar with no agent, under a JDBC query load. The Attach API loads proflab-agent.jar (agent/target,
 * packaged earlier in the reactor), the endpoints answer on the port given, and {@code proflab collect} collects
 * CPU profiles of H2's own methods from them. A second attach says where the first one listens.
 */
@Tag("slow")
class AgentCommandIT {

    @TempDir
    Path dir;

    @Test
    void attachToTheH2ServerThenCollect() throws Exception {
        Path agentJar = Path.of(System.getProperty("proflab.agentJar", "../agent/target/proflab-agent.jar"));
        assertThat(agentJar).as("run after the agent module's package (./mvnw verify)").isRegularFile();
        int tcp = freePort();
        Path out = dir.resolve("h2-out.txt");
        Path err = dir.resolve("h2-err.txt");
        Process h2 = new ProcessBuilder(Targets.java().toString(), "-cp", h2Jar().toString(), "org.h2.tools.Server",
                "-tcp", "-tcpPort", Integer.toString(tcp), "-ifNotExists", "-baseDir", dir.resolve("db").toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        AtomicLong queries = new AtomicLong();
        Thread load = null;
        try {
            await(out, "TCP server running", h2);
            load = Thread.ofPlatform().daemon().start(() -> query("jdbc:h2:tcp://127.0.0.1:" + tcp + "/mem:lab", queries));
            int port = freePort();
            CliRun attach = CliRun.of("agent", "--pid", Long.toString(h2.pid()), "--port", Integer.toString(port));
            assertThat(attach.exitCode()).as(attach.err()).isZero();
            assertThat(attach.out()).contains("PID " + h2.pid() + ": /debug/pprof endpoints on http://127.0.0.1:" + port
                    + "/debug/pprof/ (HTTP 200)");
            assertThat(read(err)).contains("proflab-agent: listening on http://127.0.0.1:" + port + "/debug/pprof/");

            Path collected = dir.resolve("collected");
            CliRun collect = CliRun.of("collect", "--target", "http://127.0.0.1:" + port, "--interval", "4s",
                    "--window", "2s", "--snapshot", "1s", "--cycles", "1", "--out", collected.toString());
            assertThat(collect.exitCode()).as(collect.err()).isZero();
            List<Path> cpu;
            try (Stream<Path> s = Files.list(collected.resolve("cpu"))) {
                cpu = s.filter(p -> p.toString().endsWith(".pb.gz")).toList();
            }
            assertThat(cpu).hasSize(1);
            Profile p = ProfileReader.read(cpu.get(0));
            boolean h2Frames = false;
            for (int i = 0; i < p.frameCount() && !h2Frames; i++) {
                h2Frames = p.frame(i).name().startsWith("org.h2.");
            }
            assertThat(h2Frames).as("H2's methods in the collected CPU profile").isTrue();
            assertThat(queries.get()).isPositive();

            CliRun again = CliRun.of("agent", "--pid", Long.toString(h2.pid()), "--port", Integer.toString(freePort()),
                    "--wait", "1");
            assertThat(again.exitCode()).isEqualTo(2);
            await(err, "proflab-agent: already running in this JVM on http://127.0.0.1:" + port, h2);
            assertThat(h2.isAlive()).isTrue();
        } finally {
            h2.destroy();
            if (!h2.waitFor(10, TimeUnit.SECONDS)) {
                h2.destroyForcibly();
            }
            if (load != null) {
                load.join(10_000);
            }
        }
    }

    @Test
    void aJvmOlderThan21IsRefusedBeforeLoading() throws Exception {
        Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(java17), "no JDK 17 at " + java17);
        Path out = dir.resolve("old-out.txt");
        Process old = new ProcessBuilder(java17.toString(), "-cp", h2Jar().toString(), "org.h2.tools.Server",
                "-tcp", "-tcpPort", Integer.toString(freePort()), "-baseDir", dir.resolve("db17").toString())
                .redirectOutput(out.toFile()).redirectErrorStream(true).start();
        try {
            await(out, "TCP server running", old);
            CliRun r = CliRun.of("agent", "--pid", Long.toString(old.pid()), "--port", Integer.toString(freePort()));
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err().strip()).startsWith("proflab: PID " + old.pid() + " runs Java 17")
                    .endsWith("proflab-agent needs Java 21 or newer");
            assertThat(read(out)).doesNotContain("proflab-agent");
        } finally {
            old.destroyForcibly();
            old.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void notAJvm() {
        CliRun r = CliRun.of("agent", "--pid", "999999999");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proflab: PID 999999999: no such process");
    }

    private static void query(String url, AtomicLong queries) {
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            Statement s = c.createStatement();
            s.execute("CREATE TABLE IF NOT EXISTS t(id INT PRIMARY KEY, v VARCHAR(100))");
            s.execute("MERGE INTO t SELECT x, 'row' || x FROM SYSTEM_RANGE(1, 20000)");
            while (true) {
                try (ResultSet r = s.executeQuery(
                        "SELECT COUNT(*), SUM(LENGTH(v)) FROM t WHERE MOD(id, 7) = 3 AND v LIKE '%1%'")) {
                    r.next();
                    queries.incrementAndGet();
                }
            }
        } catch (Exception e) {
            // the server went away at the end of the test
        }
    }

    private static Path h2Jar() {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (p.getFileName() != null && p.getFileName().toString().matches("h2-[0-9.]+\\.jar")) {
                return p.toAbsolutePath();
            }
        }
        throw new IllegalStateException("the h2 jar is not on the test class path");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String read(Path f) throws Exception {
        return Files.readString(f, StandardCharsets.UTF_8);
    }

    private static void await(Path f, String text, Process p) throws Exception {
        long end = System.nanoTime() + 30_000_000_000L;
        while (!read(f).contains(text)) {
            if (System.nanoTime() > end || !p.isAlive()) {
                throw new AssertionError("no '" + text + "' in " + f + ":\n" + read(f));
            }
            Thread.sleep(50);
        }
    }
}
