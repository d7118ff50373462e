package dev.proflab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code proflab threads} on real JVMs: the leak lab's workers grouped, a deadlock named. */
class ThreadsIT {

    @Test
    void leakyWorkersAreOneGroup() throws Exception {
        try (Targets.Jvm leak = Targets.lab("leak: 20 threads", "leak", "--seconds", "30", "n=20")) {
            CliRun r = CliRun.of("threads", "--pid", Long.toString(leak.pid()));
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("==> threads of PID " + leak.pid() + " (dev.proflab.labs.Run leak");
            assertThat(r.out()).containsPattern("(?m)^20 x WAITING +leaky-worker-\\*$");
            assertThat(r.out()).contains("dev.proflab.labs.leak.Leak.waitForWorkThatNeverComes(Leak.java:");

            CliRun j = CliRun.of("threads", "--pid", Long.toString(leak.pid()), "--format", "json", "--twice", "500ms");
            assertThat(j.exitCode()).as(j.err()).isZero();
            JsonNode doc = new ObjectMapper().readTree(j.out());
            JsonNode top = doc.at("/summary/groups/0");
            assertThat(top.path("count").asInt()).isEqualTo(20);
            assertThat(top.path("names").asText()).isEqualTo("leaky-worker-*");
            assertThat(top.path("state").asText()).isEqualTo("WAITING");
            assertThat(doc.at("/summary/states/WAITING").asInt()).isGreaterThanOrEqualTo(20);
            assertThat(doc.at("/growth/seconds").asDouble()).isGreaterThanOrEqualTo(0.4);
            assertThat(doc.at("/before/groups/0/count").asInt()).isEqualTo(20);
        }
    }

    @Test
    void deadlockIsNamed() throws Exception {
        try (Targets.Jvm fixture = Targets.fixture(DeadlockFixture.class, "deadlocked", "30")) {
            CliRun r = CliRun.of("threads", "--pid", Long.toString(fixture.pid()));
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("==> DEADLOCK: 2 threads wait for each other");
            assertThat(r.out()).containsPattern("\"deadlock-a\" \\(BLOCKED\\) waits for java.lang.Object@\\w+ held by \"deadlock-b\"");
            assertThat(r.out()).containsPattern("\"deadlock-b\" \\(BLOCKED\\) waits for java.lang.Object@\\w+ held by \"deadlock-a\"");
            assertThat(r.out()).contains("at dev.proflab.cli.DeadlockFixture.lockBoth(DeadlockFixture.java:");
        }
    }

    @Test
    void notAJvm() {
        CliRun r = CliRun.of("threads", "--pid", "999999999");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proflab: PID 999999999: no such process");
    }
}
