package dev.proflab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class AnalyzeCommandTest {

    static final String LOCK = "../profile/src/test/resources/profiles/jfr-lock.jfr";
    static final String CPU_PPROF = "../profile/src/test/resources/profiles/ap-cpu.pb.gz";

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(rc), out.toString(), err.toString()};
    }

    @Test
    void jsonOfAJdkRecordingHasJmcAndProflabFindings() throws Exception {
        String[] r = run("analyze", "--format", "json", LOCK);
        assertThat(r[0]).isEqualTo("0");
        JsonNode j = new ObjectMapper().readTree(r[1]);
        assertThat(j.get("rulesEvaluated").asInt()).isGreaterThan(60);
        assertThat(j.get("findings").findValuesAsText("source")).contains("jmc", "proflab");
        assertThat(j.get("findings").findValuesAsText("rule")).contains("proflab.dominant-frame", "JavaBlocking");
    }

    @Test
    void aPprofFileGetsProflabsRulesOnly() {
        String[] r = run("analyze", CPU_PPROF);
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("(4 rules evaluated)").contains("Workload.methodA (own code) runs on the CPU");
    }

    @Test
    void badInputIsOneLineAndExit2() {
        String[] r = run("analyze", "no-such.jfr");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2].strip()).isEqualTo("proflab: no-such.jfr: no such file");
        r = run("analyze", "--jmc-timeout", "soon", LOCK);
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2].lines().count()).isLessThanOrEqualTo(2);
    }
}
