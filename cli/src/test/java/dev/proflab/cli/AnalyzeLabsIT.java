package dev.proflab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proflab analyze} on real recordings of the labs: each "before" gets the finding a teacher would point to,
 * and alloc's and mutex's "after"s do not. What must hold whatever the machine's load: Fib.recursive holds ~97% of fib-before's
 * CPU samples (ProfileIT), so more than 60% of at least 10 samples; alloc-before allocates ~1 GB/s and alloc-after
 * ~0.1 MB/s (a factor of 10,000 against the 100 MB/s at which a site counts fully); leak parks 100 threads.
 */
class AnalyzeLabsIT {

    @TempDir
    Path out;

    private List<JsonNode> findings(String lab, String events, String... labArgs) throws Exception {
        Path jfr = out.resolve(lab + ".jfr");
        List<String> args = new ArrayList<>(List.of("profile", lab, "-e", events, "-d", "2s", "--labs-jar",
                Targets.labsJar().toString(), "-o", jfr.toString()));
        args.addAll(List.of(labArgs));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        CliRun a = CliRun.of("analyze", "--no-jmc", "--format", "json", jfr.toString());
        assertThat(a.exitCode()).as(a.err()).isZero();
        List<JsonNode> l = new ArrayList<>();
        new ObjectMapper().readTree(a.out()).get("findings").forEach(l::add);
        return l;
    }

    private static List<JsonNode> rule(List<JsonNode> all, String rule) {
        return all.stream().filter(f -> f.get("rule").asText().equals(rule)).toList();
    }

    @Test
    void fibBeforeIsDominatedByFibRecursive() throws Exception {
        List<JsonNode> d = rule(findings("fib-before", "cpu"), "proflab.dominant-frame");
        assertThat(d).singleElement().satisfies(f -> {
            assertThat(f.get("summary").asText()).startsWith("dev.proflab.labs.fib.Fib.recursive (own code) runs on the CPU");
            assertThat(f.get("score").asDouble()).isGreaterThan(60);
        });
    }

    @Test
    void allocBeforeIsAnAllocationSiteAndAllocAfterIsNot() throws Exception {
        List<JsonNode> before = rule(findings("alloc-before", "alloc"), "proflab.dominant-frame");
        assertThat(before).singleElement().satisfies(f -> {
            assertThat(f.get("summary").asText()).startsWith("dev.proflab.labs.alloc.Alloc.allocate (own code) allocates");
            assertThat(f.get("severity").asText()).isEqualTo("warning");
        });
        assertThat(rule(findings("alloc-after", "alloc"), "proflab.dominant-frame")).isEmpty();
    }

    @Test
    void mutexBeforeWaitsForOneLockAndItsStripedAfterDoesNot() throws Exception {
        // work=40 as in the guide: the before's waits are long enough to be recorded (~500 a second, all on the
        // table's one monitor); the after's spread over its stripes, none with half of them
        List<JsonNode> before = rule(findings("mutex-before", "lock", "work=40"), "proflab.one-lock");
        assertThat(before).singleElement().satisfies(f -> {
            assertThat(f.get("summary").asText()).contains("to enter the monitor of one object, java.lang.Object @");
            assertThat(f.get("next").asText()).contains("Contention$OneLockTable.record");
        });
        assertThat(rule(findings("mutex-after", "lock", "work=40"), "proflab.one-lock")).isEmpty();
    }

    @Test
    void leakShowsThreadsThatNeverRun() throws Exception {
        List<JsonNode> idle = rule(findings("leak", "wall"), "proflab.idle-threads");
        assertThat(idle).singleElement().satisfies(f -> assertThat(f.get("severity").asText()).isEqualTo("warning"));
    }
}
