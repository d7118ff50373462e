package dev.proflab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code proflab top|list|peek|tree|traces} on the real recordings checked in with the profile library's tests
 * ({@code profile/src/test/resources/profiles}: a workload with 2/3 of its CPU in methodA, 1/3 in
 * methodB, recorded by async-profiler and by JDK Flight Recorder).
 */
class ReportCommandsTest {

    private static final Path PROFILES = Path.of("../profile/src/test/resources/profiles").toAbsolutePath().normalize();
    private static final String W = "dev.proflab.profile.fixture.Workload.";

    private static String file(String name) {
        return PROFILES.resolve(name).toString();
    }

    private static CliRun ok(String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isZero();
        assertThat(r.err()).isEmpty();
        return r;
    }

    private static CliRun usage(String message, String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.exitCode()).as("exit code; stdout: %s", r.out()).isEqualTo(2);
        assertThat(r.err()).startsWith("proflab: ").contains(message);
        assertThat(r.err().strip().lines().filter(l -> !l.startsWith("  try ")).count()).as(r.err()).isEqualTo(1);
        return r;
    }

    @Test
    void topPrintsThePprofTable() {
        for (String f : List.of("ap-cpu.jfr", "jfr-cpu.jfr", "ap-cpu.pb.gz")) {
            String out = ok("top", file(f)).out();
            List<String> lines = out.lines().toList();
            assertThat(lines.get(0)).isEqualTo("File: " + f);
            assertThat(out).contains("Event: cpu", "Type: cpu", "Duration: ", "Showing nodes accounting for ",
                    "      flat  flat%   sum%        cum   cum%");
            int header = lines.indexOf("      flat  flat%   sum%        cum   cum%");
            assertThat(lines.get(header + 1)).endsWith("  " + W + "methodA");
            assertThat(lines.get(header + 2)).endsWith("  " + W + "methodB");
        }
        String cum = ok("top", "--cum", "-n", "2", file("ap-cpu.jfr")).out();
        assertThat(cum.lines().filter(l -> l.contains(W)).toList()).hasSize(2)
                .allSatisfy(l -> assertThat(l).containsAnyOf("Workload.main", "Workload.run", "Workload.cpu"));
    }

    @Test
    void topJsonIsTheRowsAsPrinted() throws IOException {
        String text = ok("top", "-n", "4", file("jfr-cpu.jfr")).out();
        JsonNode rows = new ObjectMapper().readTree(ok("top", "-n", "4", "--format", "json", file("jfr-cpu.jfr")).out());
        assertThat(rows.isArray()).isTrue();
        assertThat(rows).hasSize(4);
        List<String> names = new ArrayList<>();
        for (JsonNode row : rows) {
            List<String> fields = new ArrayList<>();
            row.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("name", "flat", "flat_percent", "cum", "cum_percent");
            names.add(row.get("name").asText());
        }
        assertThat(names.get(0)).isEqualTo(W + "methodA");
        assertThat(rows.get(0).get("flat_percent").asDouble()).isBetween(55.0, 78.0);
        // nanoseconds, as the value type
        assertThat(rows.get(0).get("flat").asLong()).isGreaterThan(100_000_000L);
        List<String> printed = text.lines().filter(l -> l.contains("  ") && l.matches(".*\\d%  \\S.*"))
                .map(l -> l.substring(l.lastIndexOf("  ") + 2)).toList();
        assertThat(names).isEqualTo(printed);
    }

    @Test
    void listPeekTreeTraces() {
        String list = ok("list", "Workload\\.methodA", file("ap-cpu.jfr"),
                "--source-path", Path.of("../profile/src/test/java").toAbsolutePath().toString()).out();
        assertThat(list).contains("ROUTINE ======================== " + W + "methodA", "// HOT-A");
        assertThat(ok("list", "methodA", file("ap-cpu.jfr")).out()).contains("(source not found)");
        String peek = ok("peek", "methodB$", file("jfr-cpu.jfr")).out();
        assertThat(peek).contains("|   " + W + "cpu", "| " + W + "methodB");
        String tree = ok("tree", "--depth", "2", file("ap-cpu.jfr")).out();
        assertThat(tree).contains("call tree", W + "main", "  " + W + "run").doesNotContain(W + "methodA");
        String traces = ok("traces", "-n", "1", file("ap-cpu.jfr")).out();
        assertThat(traces).contains("Showing top 1 stacks out of", W + "methodA");
        for (String cmd : List.of("peek", "list")) {
            assertThat(ok(cmd, "methodA", "--format", "json", file("ap-cpu.jfr")).out()).startsWith("[");
        }
        assertThat(ok("tree", "--format", "json", file("ap-cpu.jfr")).out()).startsWith("[");
        assertThat(ok("traces", "--format", "json", file("ap-cpu.jfr")).out()).startsWith("[");
    }

    @Test
    void eventsSampleIndexAndClasses() {
        String bytes = ok("top", "--event", "alloc", file("ap-alloc.jfr")).out();
        assertThat(bytes).contains("Type: alloc_space").containsPattern("GB +\\d+\\.\\d+%  " + W.replace(".", "\\.") + "allocA");
        String objects = ok("top", "--event", "alloc", "--sample-index", "objects", file("ap-alloc.jfr")).out();
        assertThat(objects).contains("Type: alloc_objects");
        String monitors = ok("top", "--event", "lock", "--classes", file("ap-lock.jfr")).out();
        assertThat(monitors.lines().filter(l -> l.endsWith("Workload$Gate")).findFirst()).isPresent();
        String wall = ok("top", "--event", "wall", "--thread", "contender", file("ap-lock.jfr")).out();
        assertThat(wall).contains("Active filters:", "thread=contender");
        String part = ok("top", "--from", "500ms", "--to", "1s", file("ap-cpu.jfr")).out();
        assertThat(part).contains("from=500ms", "to=1s");
    }

    @Test
    void badInputIsOneLineAndExitCode2() {
        usage("nope.jfr: no such file", "top", "nope.jfr");
        usage("--focus 'zzz' matches no function", "top", "--focus", "zzz", file("ap-cpu.jfr"));
        usage("--thread 'nobody' matches no thread", "top", "--thread", "nobody", file("ap-cpu.jfr"));
        usage("is not a valid regular expression", "top", "--hide", "(", file("ap-cpu.jfr"));
        usage("list 'nothing' matches no function with samples", "list", "nothing", file("ap-cpu.jfr"));
        usage("peek 'nothing' matches no function", "peek", "nothing", file("ap-cpu.jfr"));
        usage("unknown event 'bogus'", "top", "--event", "bogus", file("ap-cpu.jfr"));
        usage("no lock samples in this recording", "top", "--event", "lock", file("ap-cpu.jfr"));
        usage("sample index 'bytes' does not fit event cpu", "top", "--sample-index", "bytes", file("ap-cpu.jfr"));
        usage("--from: 'soon' is not a time", "top", "--from", "soon", file("ap-cpu.jfr"));
        usage("no cpu samples from 3600s to the end (the recording lasts 1.50s)", "top", "--from", "1h", file("ap-cpu.jfr"));
        usage("--from/--to: the range", "top", "--from", "2s", "--to", "1s", file("ap-cpu.jfr"));
        usage("not a JFR recording or a pprof profile", "top", file("README.md"));
        usage("Invalid value for option '--format'", "top", "--format", "xml", file("ap-cpu.jfr"));
    }
}
