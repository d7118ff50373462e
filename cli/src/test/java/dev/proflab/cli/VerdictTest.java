package dev.proflab.cli;

import dev.proflab.jmh.Lab;
import dev.proflab.stats.Comparison;
import dev.proflab.stats.StatInput;
import dev.proflab.stats.StatOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verdict's words: golden text for a real fib run, and constructed runs for the cases a short run on
 * a busy machine produces. Accept new golden text with {@code -Dgolden.update=true}.
 */
class VerdictTest {

    private static final Path SOURCE = Path.of("src/test/resources/verdict");

    @TempDir
    Path dir;

    static final Verdict.Rerun RERUN = new Verdict.Rerun(n -> "make compare-mutex BENCH_COUNT=" + n, 1.5, 3);

    private Comparison compare(Path json, Lab lab) {
        return Comparison.compute(List.of(StatInput.of(json.getFileName().toString(), json)),
                StatOptions.defaults().withColParam(Lab.PARAM, lab.variants()));
    }

    private static void golden(String name, String actual) throws IOException {
        Path file = SOURCE.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(SOURCE);
            Files.writeString(file, actual);
        }
        assertThat(file).as("golden file %s (run with -Dgolden.update=true to create it)", name).exists();
        assertThat(actual).isEqualTo(Files.readString(file));
    }

    @Test
    void realFibRun() throws IOException {
        Path f = dir.resolve("fib-rounds.json");
        try (InputStream in = getClass().getResourceAsStream("/fib-rounds.json")) {
            Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> lines = Verdict.lines(compare(f, Lab.FIB), Lab.FIB, RERUN);
        golden("fib-rounds.txt", String.join("\n", lines) + "\n");
        assertThat(lines).anyMatch(l -> l.startsWith("sec/op: memo (after) is") && l.endsWith("significant"));
        assertThat(lines).as("JMH's bookkeeping is not called an allocation")
                .anyMatch(l -> l.startsWith("B/op: allocation per op is below what -prof gc can resolve here, for"
                        + " recursive (before) (869 B/op, under the floor of"));
    }

    /** A JMH JSON file of the mutex lab: per variant, forks x iterations of ops/s around a center. */
    private Path mutexRun(double spread, double... centers) throws IOException {
        Random r = new Random(42);
        StringBuilder sb = new StringBuilder("[");
        List<String> variants = Lab.MUTEX.variants();
        for (int v = 0; v < centers.length; v++) {
            for (int f = 0; f < 5; f++) {
                List<String> it = new ArrayList<>();
                List<String> bytes = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    it.add(String.format(Locale.ROOT, "%.1f", centers[v] * (1 + spread * (r.nextDouble() * 2 - 1))));
                    bytes.add(String.format(Locale.ROOT, "%.6f", 6000 / (centers[v] * 0.2)));
                }
                sb.append(sb.length() > 1 ? "," : "").append("""
                        {"benchmark": "dev.proflab.bench.MutexBench.record", "mode": "thrpt", "params": {"impl": "%s"},
                         "measurementTime": "200 ms",
                         "primaryMetric": {"scoreUnit": "ops/s", "rawData": [[%s]]},
                         "secondaryMetrics": {"gc.alloc.rate.norm": {"scoreUnit": "B/op", "rawData": [[%s]]}}}
                        """.formatted(variants.get(v), String.join(", ", it), String.join(", ", bytes)));
            }
        }
        Path f = dir.resolve("mutex.json");
        Files.writeString(f, sb.append("]").toString());
        return f;
    }

    @Test
    void aWideSpreadSaysInconclusiveAndHowToRerun() throws IOException {
        List<String> lines = Verdict.lines(compare(mutexRun(0.6, 40e6, 42e6, 39e6), Lab.MUTEX), Lab.MUTEX, RERUN);
        golden("mutex-wide.txt", String.join("\n", lines) + "\n");
        assertThat(lines).noneMatch(l -> l.contains("no difference"));
        assertThat(lines).anyMatch(l -> l.startsWith("ops/s: inconclusive between after (after) and before (before)")
                && l.contains("so a difference smaller than ~"));
        assertThat(lines.get(lines.size() - 1)).matches(
                "to see a difference of 5\\.0%, rerun with (\\d+) forks per variant, about [\\d.]+ (s|min|h)"
                        + "(, or on a quieter machine)?: make compare-mutex BENCH_COUNT=\\1");
    }

    @Test
    void aClearDifferenceIsUnchanged() throws IOException {
        List<String> lines = Verdict.lines(compare(mutexRun(0.02, 40e6, 140e6, 78e6), Lab.MUTEX), Lab.MUTEX, RERUN);
        golden("mutex-clear.txt", String.join("\n", lines) + "\n");
        assertThat(lines).anyMatch(l -> l.matches("ops/s: after \\(after\\) has 3\\.\\d\\dx the throughput of before"
                + " \\(before\\) .*, p=0\\.\\d{3} n=10\\+10: significant"));
        assertThat(lines).noneMatch(l -> l.startsWith("to see"));
    }

    @Test
    void tightIntervalsWithoutADifferenceSayNoDifference() throws IOException {
        List<String> lines = Verdict.lines(compare(mutexRun(0.004, 40e6, 40e6, 40e6), Lab.MUTEX), Lab.MUTEX, RERUN);
        assertThat(lines).anyMatch(l -> l.startsWith("ops/s: no difference between after (after) and before (before)")
                && l.contains("would have shown"));
    }
}
