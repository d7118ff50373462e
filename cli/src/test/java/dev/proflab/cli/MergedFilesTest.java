package dev.proflab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every report takes several recordings and reads them as one (pprof's merge): totals add up. */
class MergedFilesTest {

    static final String CPU = "../profile/src/test/resources/profiles/ap-cpu.jfr";
    static final String JFR_CPU = "../profile/src/test/resources/profiles/jfr-cpu.jfr";

    private static JsonNode top(String... files) throws Exception {
        String[] args = new String[files.length + 5];
        args[0] = "top";
        args[1] = "--format";
        args[2] = "json";
        args[3] = "-n";
        args[4] = "0";
        System.arraycopy(files, 0, args, 5, files.length);
        CliRun r = CliRun.of(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    private static long total(JsonNode top) {
        long t = 0;
        for (JsonNode row : top) {
            t += row.get("flat").asLong();
        }
        return t;
    }

    @Test
    void twoFilesSpacedOrCommaSeparatedAreOneProfileWithTheSumOfTheirTotals() throws Exception {
        long a = total(top(CPU));
        long b = total(top(JFR_CPU));
        JsonNode spaced = top(CPU, JFR_CPU);
        assertThat(total(spaced)).isEqualTo(a + b);
        assertThat(CliRun.of("top", CPU, JFR_CPU).out()).startsWith("File: 2 recordings: ap-cpu.jfr, jfr-cpu.jfr\n");
        assertThat(total(top(CPU + "," + JFR_CPU))).isEqualTo(a + b);
    }

    @Test
    void peekAndListTakeSeveralFilesAfterTheRegex() {
        for (String cmd : new String[] {"peek", "list", "tree", "traces"}) {
            String[] args = cmd.equals("peek") || cmd.equals("list")
                    ? new String[] {cmd, "Workload.methodA", CPU, CPU}
                    : new String[] {cmd, CPU, CPU};
            CliRun r = CliRun.of(args);
            assertThat(r.exitCode()).as(cmd + ": " + r.err()).isZero();
            assertThat(r.out()).as(cmd).contains("methodA");
        }
    }
}
