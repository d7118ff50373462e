package dev.proflab.agent;

import dev.proflab.profile.Profile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -javaagent:target/proflab-agent.jar=... HotApp}: the endpoints answer on the agent's own port, a CPU
 * profile shows the application's own method, the token rule holds off loopback, a port in use is one line on
 * stderr and the application runs on, and the agent neither holds up nor keeps alive a JVM that ends.
 */
@Tag("slow")
class AgentIT {

    @TempDir
    Path dir;

    @Test
    void cpuProfileFromTheAgentsPortShowsTheApplicationsMethods() throws Exception {
        try (AgentProcess app = AgentProcess.hotApp(dir, "port=0", 60)) {
            String base = app.awaitBase();
            assertThat(base).startsWith("http://127.0.0.1:");
            HttpResponse<byte[]> index = Http.get(base + "/debug/pprof/");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(Http.text(index)).contains("profile", "heap", "goroutine");
            assertThat(Http.get(base + "/debug/gc").statusCode()).isEqualTo(200);

            HttpResponse<byte[]> cpu = Http.get(base + "/debug/pprof/profile?seconds=2");
            assertThat(cpu.statusCode()).isEqualTo(200);
            Profile p = Http.profile(cpu.body());
            assertThat(p.sampleCount()).isPositive();
            assertThat(Http.anyFrame(p, "HotApp.spinHot")).as("HotApp.spinHot in the profile").isTrue();

            // the Host check (DNS rebinding) of the debug module, on the agent's port
            int port = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
            assertThat(rawStatus(port, "Host: evil.example")).isEqualTo(403);
            assertThat(rawStatus(port, "Host: localhost:" + port)).isEqualTo(200);
            assertThat(app.agentLines()).hasSize(1);
        }
    }

    @Test
    void goToolPprofReadsTheAgentsCpuProfile() throws Exception {
        String go = Http.go();
        Assumptions.assumeTrue(go != null || "true".equalsIgnoreCase(System.getenv("CI")),
                "go is not installed (apt-get install -y golang-go)");
        try (AgentProcess app = AgentProcess.hotApp(dir, "port=0", 60)) {
            String base = app.awaitBase();
            String top = Http.pprof(go, dir, "-top", base + "/debug/pprof/profile?seconds=2");
            assertThat(top).contains("dev.proflab.agent.HotApp.spinHot");
        }
    }

    @Test
    void flightRecorderAndHeapDumpsFromTheAgentsOptions() throws Exception {
        Path dumps = dir.resolve("dumps");
        try (AgentProcess app = AgentProcess.hotApp(dir, "port=0,flight-recorder=1m,debug-heap-dumps=" + dumps, 60)) {
            String base = app.awaitBase();
            assertThat(app.agentLines().get(0)).contains("heap dumps on", "flight recorder on");
            Thread.sleep(1500);
            HttpResponse<byte[]> jfr = Http.get(base + "/debug/jfr?last=1m");
            assertThat(jfr.statusCode()).as(Http.text(jfr)).isEqualTo(200);
            assertThat(new String(jfr.body(), 0, 3, StandardCharsets.ISO_8859_1)).isEqualTo("FLR");
            HttpResponse<byte[]> heap = Http.get(base + "/debug/pprof/heapdump");
            assertThat(heap.statusCode()).as(Http.text(heap)).isEqualTo(200);
            try (var files = Files.list(dumps)) {
                assertThat(files.filter(f -> f.toString().endsWith(".hprof")).count()).isEqualTo(1);
            }
        }
    }

    @Test
    void offLoopbackTheTokenIsRequired() throws Exception {
        InetAddress other = nonLoopbackAddress();
        Assumptions.assumeTrue(other != null, "this machine has no non-loopback IPv4 address");
        String token = "agent-test-token-0123456789";
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, token + "\n");
        try (AgentProcess app = AgentProcess.hotApp(dir, "port=0,bind=0.0.0.0,token-file=" + tokenFile, 60)) {
            String base = app.awaitBase();
            String port = base.substring(base.lastIndexOf(':') + 1);
            String there = "http://" + other.getHostAddress() + ":" + port;
            assertThat(Http.get(there + "/debug/pprof/").statusCode()).isEqualTo(401);
            assertThat(Http.get(there + "/debug/pprof/", "Authorization", "Bearer wrong-token-0123456789")
                    .statusCode()).isEqualTo(401);
            assertThat(Http.get(there + "/debug/pprof/", "Authorization", "Bearer " + token).statusCode())
                    .isEqualTo(200);
            // loopback stays open without the token
            assertThat(Http.get("http://127.0.0.1:" + port + "/debug/pprof/").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void offLoopbackWithoutATokenTheEndpointsAreOff() throws Exception {
        InetAddress other = nonLoopbackAddress();
        Assumptions.assumeTrue(other != null, "this machine has no non-loopback IPv4 address");
        try (AgentProcess app = AgentProcess.hotApp(dir, "port=0,bind=0.0.0.0", 60)) {
            String base = app.awaitBase();
            assertThat(app.agentLines().get(0)).contains("OFF (404) on non-loopback addresses");
            String port = base.substring(base.lastIndexOf(':') + 1);
            assertThat(Http.get("http://" + other.getHostAddress() + ":" + port + "/debug/pprof/").statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void aPortInUseIsOneLineAndTheApplicationRunsOn() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             AgentProcess app = AgentProcess.hotApp(dir, "port=" + taken.getLocalPort(), 5)) {
            app.awaitAgentLine(Duration.ofSeconds(30));
            assertThat(app.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(app.stdout()).contains("done");
            List<String> lines = app.agentLines();
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).startsWith("proflab-agent: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .endsWith("the application runs on");
            assertThat(app.stderr()).doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void badOptionsAreOneLineAndTheApplicationRunsOn() throws Exception {
        try (AgentProcess app = AgentProcess.hotApp(dir, "port=6060,colour=blue", 5)) {
            app.awaitAgentLine(Duration.ofSeconds(30));
            assertThat(app.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(app.stdout()).contains("done");
            assertThat(app.agentLines()).singleElement().asString()
                    .startsWith("proflab-agent: bad options: unknown option 'colour'");
        }
    }

    @Test
    void aJvmThatEndsIsNeitherHeldUpNorKeptAlive() throws Exception {
        // main returns while the agent may still be starting, and once it listens: the JVM exits both times
        try (AgentProcess early = AgentProcess.hotApp(dir, "port=0", 0);
             AgentProcess late = AgentProcess.hotApp(dir, "port=0", 8)) {
            assertThat(early.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(early.stdout()).contains("done");
            late.awaitBase();
            assertThat(late.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(late.stdout()).contains("done");
        }
    }

    @Test
    void aHostWithItsOwnAsyncProfilerKeepsIt() throws Exception {
        // the host runs async-profiler as -agentpath (a copy of the library at another path, as a user installs it);
        // the agent must not load a second copy: that one's signal handler silenced the host's recording
        Path lib = dir.resolve("theirs/libasyncProfiler.so");
        Files.createDirectories(lib.getParent());
        try (var in = one.profiler.AsyncProfiler.class.getResourceAsStream("/linux-x64/libasyncProfiler.so")) {
            Assumptions.assumeTrue(in != null && System.getProperty("os.name").startsWith("Linux")
                    && System.getProperty("os.arch").equals("amd64"), "linux-x64 only");
            Files.copy(in, lib);
        }
        Path theirs = dir.resolve("theirs.jfr");
        long t0 = System.nanoTime();
        long captured;
        try (AgentProcess app = AgentProcess.start(dir, "port=0", List.of("-agentpath:" + lib
                        + "=start,event=cpu,interval=10ms,file=" + theirs), List.of("-cp",
                System.getProperty("java.class.path"), HotApp.class.getName(), "15"))) {
            String base = app.awaitBase();
            assertThat(app.agentLines().get(0)).endsWith("async-profiler is already loaded here (" + lib
                    + "): captures use JDK Flight Recorder");
            HttpResponse<byte[]> cpu = Http.get(base + "/debug/pprof/profile?seconds=2");
            captured = System.nanoTime() - t0;
            assertThat(cpu.statusCode()).isEqualTo(200);
            Profile ours = Http.profile(cpu.body());
            assertThat(Http.anyFrame(ours, "HotApp.spinHot")).isTrue();
            Assumptions.assumeTrue(captured < 12_000_000_000L, "the machine is too slow: the capture ended "
                    + captured / 1_000_000 + " ms after the start of a 15 s application");
            assertThat(app.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(app.stderr()).doesNotContain("restricted method");
        }
        Profile host = dev.proflab.profile.ProfileReader.read(theirs);
        long last = 0;
        for (int i = 0; i < host.sampleCount(); i++) {
            last = Math.max(last, host.timeOf(i));
        }
        // the host's own recording kept sampling after the agent's capture ended (its recording started a little
        // after t0, so its clock is behind ours: the margin of 1 s is on the safe side)
        assertThat(last).as("the host's last sample, ns into its recording; the capture ended at "
                + captured / 1_000_000 + " ms").isGreaterThan(captured + 1_000_000_000L);
    }

    /** The status of a GET of the index sent on a socket with {@code hostHeader} (the JDK client will not send Host). */
    static int rawStatus(int port, String hostHeader) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /debug/pprof/ HTTP/1.1\r\n" + hostHeader + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    /** A non-loopback IPv4 address of this machine, or null when it has none. */
    static InetAddress nonLoopbackAddress() throws Exception {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a;
                }
            }
        }
        return null;
    }
}
