package dev.proflab.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proflab.stats.JmhReader.JmhResult;
import dev.proflab.stats.Verdicts.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The verdict rules on data whose truth is known: A/A pairs, two groups of forks drawn from the same
 * variant of a real {@code proflab compare --count 20} run, where any "different" is a false alarm;
 * and A/B pairs drawn from two variants, to see that the rules still find real differences.
 *
 * <p>Each pair is two disjoint sets of {@code forks} forks (5, as {@code make compare-*}), drawn at
 * random without replacement from the 20 forks of the run; the fork is the unit that is resampled,
 * because iterations of one fork are not independent. The table printed is the one in
 * docs/benchmarks.md. Run on other files:
 * {@code ./mvnw -B -q -o test -pl stats -am -Dtest=VerdictsAATest -Dsurefire.failIfNoSpecifiedTests=false
 * -Daa.files=tmp/mutex.json,tmp/alloc.json}.
 */
class VerdictsAATest {

    static final int PAIRS = Integer.getInteger("aa.pairs", 400);
    static final int FORKS = Integer.getInteger("aa.forks", 5);

    record Tally(String file, String metric, String pair, int pairs, Map<String, Integer> counts) {
    }

    @Test
    void aaPairsAreRarelyCalledDifferent() throws Exception {
        List<Path> files = new ArrayList<>();
        String prop = System.getProperty("aa.files");
        if (prop != null && !prop.isBlank()) {
            for (String f : prop.split(",")) {
                files.add(Path.of(f.strip()).toAbsolutePath());
            }
        } else {
            for (String f : List.of("mutex-busy.json", "alloc-busy.json", "fib-busy.json")) {
                Path p = TestFiles.file("aa/" + f);
                if (Files.exists(p)) {
                    files.add(p);
                }
            }
        }
        assertThat(files).as("A/A input files").isNotEmpty();
        List<Tally> tallies = new ArrayList<>();
        for (Path f : files) {
            tallies.addAll(run(f));
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d pairs of %d+%d forks per line%n", PAIRS, FORKS, FORKS));
        sb.append("| file | metric | pair | old rule: significant | different | (size uncertain) | no difference"
                + " | inconclusive | below resolution |\n|:--|:--|:--|--:|--:|--:|--:|--:|--:|\n");
        for (Tally t : tallies) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", t.file(),
                    t.metric(), t.pair(), pct(t, "old"), pct(t, "DIFFERENT"), pct(t, "uncertain"),
                    pct(t, "NO_DIFFERENCE"), pct(t, "INCONCLUSIVE"), pct(t, "BELOW_RESOLUTION")));
        }
        System.out.println(sb);
        for (Tally t : tallies) {
            if (t.pair().contains(" vs itself")) {
                assertThat(t.counts().getOrDefault("DIFFERENT", 0) - t.counts().getOrDefault("uncertain", 0))
                        .as("A/A pairs called different without a caveat, %s %s %s", t.file(), t.metric(), t.pair())
                        .isLessThanOrEqualTo(t.pairs() / 10);
            }
        }
    }

    private static String pct(Tally t, String key) {
        return String.format(Locale.ROOT, "%.1f%%", 100.0 * t.counts().getOrDefault(key, 0) / t.pairs());
    }

    static List<Tally> run(Path file) {
        List<JmhResult> all = JmhReader.read(file);
        // forks per variant (value of "impl"), each a JmhResult with one fork
        Map<String, List<JmhResult>> byVariant = new LinkedHashMap<>();
        for (JmhResult r : all) {
            String v = r.params().get("impl");
            for (int i = 0; i < r.forks().size(); i++) {
                List<double[]> alloc = r.allocForks() == null ? null : List.of(r.allocForks().get(i));
                byVariant.computeIfAbsent(v, k -> new ArrayList<>()).add(new JmhResult(r.benchmark(), r.mode(),
                        r.params(), r.unit(), r.metric(), List.of(r.forks().get(i)), alloc, r.iterationSeconds()));
            }
        }
        List<String> variants = new ArrayList<>(byVariant.keySet());
        String name = file.getFileName().toString();
        List<Tally> out = new ArrayList<>();
        Random random = new Random(20261206L);
        for (String v : variants) {
            if (byVariant.get(v).size() >= 2 * FORKS) {
                out.addAll(tally(name, v + " vs itself", byVariant.get(v), byVariant.get(v), true, random));
            }
        }
        String before = variants.get(0);
        for (String v : variants.subList(1, variants.size())) {
            out.addAll(tally(name, before + " vs " + v, byVariant.get(before), byVariant.get(v), false, random));
        }
        return out;
    }

    static List<Tally> tally(String file, String pair, List<JmhResult> a, List<JmhResult> b, boolean same,
            Random random) {
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        StatOptions options = StatOptions.defaults().withColParam("impl", List.of("x", "y"));
        for (int i = 0; i < PAIRS; i++) {
            List<JmhResult> x;
            List<JmhResult> y;
            if (same) {
                List<JmhResult> s = new ArrayList<>(a);
                Collections.shuffle(s, random);
                x = s.subList(0, FORKS);
                y = s.subList(FORKS, 2 * FORKS);
            } else {
                List<JmhResult> s = new ArrayList<>(a);
                List<JmhResult> t = new ArrayList<>(b);
                Collections.shuffle(s, random);
                Collections.shuffle(t, random);
                x = s.subList(0, FORKS);
                y = t.subList(0, FORKS);
            }
            List<JmhResult> results = new ArrayList<>();
            x.forEach(r -> results.add(relabel(r, "x")));
            y.forEach(r -> results.add(relabel(r, "y")));
            Comparison c = Comparison.compute(List.of(StatInput.of("aa", Path.of("aa.json"))), List.of(results), options);
            for (Verdict v : Verdicts.of(c, Verdicts.Options.defaults())) {
                Map<String, Integer> m = counts.computeIfAbsent(v.metric(), k -> new LinkedHashMap<>());
                m.merge(v.kind().name(), 1, Integer::sum);
                if (v.sizeUncertain()) {
                    m.merge("uncertain", 1, Integer::sum);
                }
                if (v.cell().delta().significant()) {
                    m.merge("old", 1, Integer::sum);
                }
            }
        }
        List<Tally> out = new ArrayList<>();
        counts.forEach((metric, m) -> out.add(new Tally(file, metric, pair, PAIRS, m)));
        return out;
    }

    private static JmhResult relabel(JmhResult r, String impl) {
        Map<String, String> params = new LinkedHashMap<>(r.params());
        params.put("impl", impl);
        return new JmhResult(r.benchmark(), r.mode(), params, r.unit(), r.metric(), r.forks(), r.allocForks(),
                r.iterationSeconds());
    }
}
