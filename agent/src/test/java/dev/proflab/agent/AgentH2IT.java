package dev.proflab.agent;

import dev.proflab.profile.Profile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that is not ours, as a user runs it: the H2 database server from its Maven Central jar,
 * {@code java -javaagent:proflab-agent.jar=port=0 -cp h2.jar org.h2.tools.Server -tcp ...}, under a JDBC query
 * load; its CPU profile, read from the agent's port, is H2's own methods.
 */
@Tag("slow")
class AgentH2IT {

    @TempDir
    Path dir;

    @Test
    void theH2ServersCpuProfileShowsH2sMethods() throws Exception {
        int tcp = AgentProcess.freePort();
        try (AgentProcess h2 = AgentProcess.start(dir, "port=0", List.of(), List.of("-cp",
                H2Load.h2Jar().toString(), "org.h2.tools.Server", "-tcp", "-tcpPort", Integer.toString(tcp),
                "-ifNotExists", "-baseDir", dir.resolve("h2").toString()))) {
            String base = h2.awaitBase();
            awaitStdout(h2, "TCP server running");
            try (H2Load load = new H2Load("jdbc:h2:tcp://127.0.0.1:" + tcp + "/mem:lab")) {
                Thread.sleep(1000);
                HttpResponse<byte[]> cpu = Http.get(base + "/debug/pprof/profile?seconds=2");
                assertThat(cpu.statusCode()).isEqualTo(200);
                Profile p = Http.profile(cpu.body());
                assertThat(Http.anyFrame(p, "org.h2.")).as("H2's methods in the profile").isTrue();

                String go = Http.go();
                if (go != null) {
                    String top = Http.pprof(go, dir, "-top", base + "/debug/pprof/profile?seconds=2");
                    assertThat(top).contains("org.h2.");
                } else if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    throw new AssertionError("CI=true and go is not installed");
                }
                assertThat(Http.get(base + "/debug/pprof/goroutine?debug=1").statusCode()).isEqualTo(200);
                assertThat(load.failure).isNull();
                assertThat(load.queries.get()).isPositive();
            }
            assertThat(h2.process.isAlive()).isTrue();
            assertThat(h2.agentLines()).hasSize(1);
        }
    }

    static void awaitStdout(AgentProcess p, String text) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!p.stdout().contains(text)) {
            Assumptions.assumeTrue(p.process.isAlive(), "H2 exited: " + p.stderr());
            if (System.nanoTime() > end) {
                throw new AssertionError("H2 did not start: " + p.stdout() + p.stderr());
            }
            Thread.sleep(50);
        }
    }
}
