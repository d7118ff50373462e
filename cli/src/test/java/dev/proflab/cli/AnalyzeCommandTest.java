package dev.proflab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnalyzeCommandTest {

    static final String LOCK = "../profile/src/test/resources/profiles/jfr-lock.jfr";
    static final String CPU_PPROF = "../profile/src/test/resources/profiles/ap-cpu.pb.gz";

    @Test
    void jsonOfAJdkRecordingHasJmcAndProflabFindings() throws Exception {
        CliRun r = CliRun.of("analyze", "--format", "json", LOCK);
        assertThat(r.exitCode()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("rulesEvaluated").asInt()).isGreaterThan(60);
        assertThat(j.get("findings").findValuesAsText("source")).contains("jmc", "proflab");
        assertThat(j.get("findings").findValuesAsText("rule")).contains("proflab.dominant-frame", "JavaBlocking");
    }

    @Test
    void aPprofFileGetsProflabsRulesOnly() {
        CliRun r = CliRun.of("analyze", CPU_PPROF);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("(4 rules evaluated)").contains("Workload.methodA (own code) runs on the CPU");
    }

    @Test
    void badInputIsOneLineAndExit2() {
        CliRun r = CliRun.of("analyze", "no-such.jfr");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proflab: no-such.jfr: no such file");
        r = CliRun.of("analyze", "--jmc-timeout", "soon", LOCK);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines().count()).isLessThanOrEqualTo(2);
    }
}
