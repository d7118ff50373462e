package dev.proflab.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proflab.stats.JmhReader.JmhResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The regression gate's false-alarm rate (A/A) and power (A/B) on a real JMH run with many forks, as
 * {@code proflab stat BASE.json NEW.json --max-regression L} would judge them: each pair puts some forks of
 * a variant in a baseline file and other forks in a new file (two inputs, one column each, as the CLI's), and
 * the gate runs at each limit with the verdict options the CLI uses ({@code minEffect} = the limit when above 0).
 *
 * <p>A/A: the forks of one variant shuffled and split into two disjoint halves, so any failure is a false
 * alarm. A/B: half the forks of the first variant (the baseline) against half the forks of another, drawn at
 * random; a slower variant should fail, a faster one never. The fork is the unit that is resampled: iterations
 * of one fork are not independent.
 *
 * <p>The default input, {@code gate/fib-iterative.json}, is one run of {@code FibBench.fib} with
 * {@code impl=iterative}, {@code n=35,36,38,46}, 20 forks of 3 x 200 ms measured iterations each (after 2 x
 * 200 ms of warm-up), taken 2026-12-07 02:36-02:39 UTC on the project's shared 2-core machine (load average
 * 3 to 4, other builds running), JDK 25.0.3, JMH 1.37. The test fails when more than 5% of a variant's A/A
 * pairs fail the gate at any limit, or when a faster variant ever fails it.
 *
 * <p>The table printed is the one in docs/ci.md; {@code scripts/stat-gate-calibration} makes a new run and
 * prints its table. On another file: {@code ./mvnw -B -q -o test -pl stats -am -Dtest=GateCalibrationTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dgate.files=tmp/x.json} ({@code -Dgate.pairs=1000},
 * {@code -Dgate.forks=5} for 5 + 5 forks instead of halves, {@code -Dgate.limits=0,5,10},
 * {@code -Dgate.shifts=3,5,10,20}, {@code -Dgate.alpha=0.01}).
 */
class GateCalibrationTest {

    static final int PAIRS = Integer.getInteger("gate.pairs", 1000);
    /** Forks per side; 0: half of the variant's forks (the smaller variant's in A/B). */
    static final int FORKS = Integer.getInteger("gate.forks", 0);
    static final double[] LIMITS = doubles(System.getProperty("gate.limits", "0,5,10"));
    static final double ALPHA = Double.parseDouble(System.getProperty("gate.alpha", "0.05"));
    /** Slowdowns, in percent, injected into the new side of A/A pairs of the first variant. */
    static final double[] SHIFTS = doubles(System.getProperty("gate.shifts", "3,5,10,20"));

    private static double[] doubles(String list) {
        return list.isBlank() ? new double[0]
                : Arrays.stream(list.split(",")).mapToDouble(s -> Double.parseDouble(s.strip())).toArray();
    }

    /**
     * One line of the table.
     *
     * @param failures per limit, pairs in which the gate failed
     * @param inconclusive per limit, pairs whose check was inconclusive (not judged)
     * @param significant pairs with the pooled {@code p <= alpha}, either direction (benchstat's rule)
     * @param wholeRunPercent change of the median over every fork of the run, NaN for A/A
     */
    record Line(String file, String pair, int forks, int pairs, int[] failures, int[] inconclusive, int significant,
                double wholeRunPercent) {
    }

    @Test
    void aaPairsRarelyFailTheGateAndRealSlowdownsDo() {
        List<Path> files = new ArrayList<>();
        String prop = System.getProperty("gate.files");
        if (prop != null && !prop.isBlank()) {
            for (String f : prop.split(",")) {
                // surefire runs in stats/: a relative path is taken from the project's folder when not found there
                Path p = Path.of(f.strip());
                if (!p.isAbsolute() && !java.nio.file.Files.exists(p)) {
                    p = Path.of("..").resolve(p);
                }
                files.add(p.toAbsolutePath().normalize());
            }
        } else {
            files.add(TestFiles.file("gate/fib-iterative.json"));
        }
        List<Line> lines = new ArrayList<>();
        for (Path f : files) {
            lines.addAll(run(f));
        }
        System.out.println(table(lines));
        for (Line l : lines) {
            if (l.pair().endsWith(" vs itself")) {
                for (int i = 0; i < LIMITS.length; i++) {
                    assertThat(l.failures()[i]).as("A/A pairs failing the gate at %s%%: %s %s", LIMITS[i], l.file(),
                            l.pair()).isLessThanOrEqualTo(l.pairs() / 20);
                }
            } else if (l.wholeRunPercent() < 0) {
                assertThat(Arrays.stream(l.failures()).max().orElse(0)).as("a faster variant never fails: %s", l.pair())
                        .isZero();
            }
        }
    }

    static String table(List<Line> lines) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d pairs per line; alpha %s%n", PAIRS, ALPHA));
        sb.append("| file | pair | forks | change | pooled p <= ").append(ALPHA).append(" |");
        for (double l : LIMITS) {
            sb.append(" gate ").append(pct(l)).append(": fails |");
        }
        for (double l : LIMITS) {
            sb.append(" gate ").append(pct(l)).append(": inconclusive |");
        }
        sb.append("\n|:--|:--|--:|--:|--:|");
        sb.append("--:|".repeat(2 * LIMITS.length)).append('\n');
        for (Line l : lines) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d+%d | %s | %s |", l.file(), l.pair(), l.forks(),
                    l.forks(), Double.isNaN(l.wholeRunPercent()) ? "" : String.format(Locale.ROOT, "%+.1f%%",
                            l.wholeRunPercent()), rate(l.significant(), l.pairs())));
            for (int f : l.failures()) {
                sb.append(' ').append(rate(f, l.pairs())).append(" |");
            }
            for (int f : l.inconclusive()) {
                sb.append(' ').append(rate(f, l.pairs())).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String pct(double limit) {
        return (limit == Math.rint(limit) ? String.valueOf((long) limit) : String.valueOf(limit)) + "%";
    }

    private static String rate(int n, int of) {
        return String.format(Locale.ROOT, "%.1f%%", 100.0 * n / of);
    }

    /** The lines of one file: each variant against itself, then the first against each other, both ways. */
    static List<Line> run(Path file) {
        // forks per variant (its params), each a JmhResult with one fork
        Map<String, List<JmhResult>> byVariant = new LinkedHashMap<>();
        List<JmhResult> results = JmhReader.read(file);
        for (JmhResult r : results) {
            String v = variant(r, results);
            for (int i = 0; i < r.forks().size(); i++) {
                List<double[]> alloc = r.allocForks() == null ? null : List.of(r.allocForks().get(i));
                byVariant.computeIfAbsent(v, k -> new ArrayList<>()).add(new JmhResult(r.benchmark(), r.mode(),
                        Map.of(), r.unit(), r.metric(), List.of(r.forks().get(i)), alloc, r.iterationSeconds()));
            }
        }
        List<String> variants = new ArrayList<>(byVariant.keySet());
        String name = file.getFileName().toString();
        Random random = new Random(20261207L);
        List<Line> out = new ArrayList<>();
        for (String v : variants) {
            List<JmhResult> forks = byVariant.get(v);
            int k = FORKS > 0 ? FORKS : forks.size() / 2;
            if (forks.size() >= 2 * k && k >= 1) {
                out.add(tally(name, v + " vs itself", forks, forks, k, 1, random));
            }
        }
        // A/A pairs of the first variant with the new side made slower by a known amount: every fork's
        // iterations scaled (times per op up, throughputs down)
        List<JmhResult> first = byVariant.get(variants.get(0));
        int k0 = FORKS > 0 ? FORKS : first.size() / 2;
        if (first.size() >= 2 * k0 && k0 >= 1) {
            for (double shift : SHIFTS) {
                out.add(tally(name, variants.get(0) + " vs itself " + String.format(Locale.ROOT, "%+.0f%%", shift)
                        + " slower", first, first, k0, 1 + shift / 100, random));
            }
        }
        String base = variants.get(0);
        for (String v : variants.subList(1, variants.size())) {
            int k = FORKS > 0 ? FORKS : Math.min(byVariant.get(base).size(), byVariant.get(v).size()) / 2;
            out.add(tally(name, base + " vs " + v, byVariant.get(base), byVariant.get(v), k, 0, random));
            out.add(tally(name, v + " vs " + base, byVariant.get(v), byVariant.get(base), k, 0, random));
        }
        return out;
    }

    /** A result's name in the table: its benchmark when they differ, and the params whose values differ. */
    private static String variant(JmhResult r, List<JmhResult> all) {
        List<String> parts = new ArrayList<>();
        if (all.stream().anyMatch(o -> !o.benchmark().equals(r.benchmark()))) {
            parts.add(r.benchmark().replaceAll(".*\\.([^.]+\\.[^.]+)$", "$1"));
        }
        new java.util.TreeMap<>(r.params()).forEach((k, v) -> {
            if (all.stream().anyMatch(o -> !v.equals(o.params().get(k)))) {
                parts.add(k + "=" + v);
            }
        });
        return parts.isEmpty() ? r.benchmark().replaceAll(".*\\.([^.]+\\.[^.]+)$", "$1") : String.join("/", parts);
    }

    /**
     * Draws {@link #PAIRS} pairs of {@code k} + {@code k} forks: from {@code a} alone, disjoint, when
     * {@code slower} is above 0 (the new side's forks made that many times slower: 1 for A/A), else
     * {@code k} of {@code a} against {@code k} of {@code b}.
     */
    static Line tally(String file, String pair, List<JmhResult> a, List<JmhResult> b, int k, double slower,
            Random random) {
        boolean same = slower > 0;
        int[] failures = new int[LIMITS.length];
        int[] inconclusive = new int[LIMITS.length];
        int significant = 0;
        List<StatInput> inputs = List.of(StatInput.of("base.json", Path.of("base.json")),
                StatInput.of("new.json", Path.of("new.json")));
        for (int i = 0; i < PAIRS; i++) {
            List<JmhResult> x;
            List<JmhResult> y;
            if (same) {
                List<JmhResult> s = new ArrayList<>(a);
                Collections.shuffle(s, random);
                x = s.subList(0, k);
                y = s.subList(k, 2 * k);
                if (slower != 1) {
                    y = y.stream().map(r -> slower(r, slower)).toList();
                }
            } else {
                List<JmhResult> s = new ArrayList<>(a);
                List<JmhResult> t = new ArrayList<>(b);
                Collections.shuffle(s, random);
                Collections.shuffle(t, random);
                x = s.subList(0, k);
                y = t.subList(0, k);
            }
            Comparison c = Comparison.compute(inputs, List.of(List.copyOf(x), List.copyOf(y)),
                    StatOptions.defaults().withAlpha(ALPHA));
            if (c.rows().get(0).cell(1).delta().significant()) {
                significant++;
            }
            for (int l = 0; l < LIMITS.length; l++) {
                double limit = LIMITS[l];
                Verdicts.Options o = limit > 0 ? Verdicts.Options.defaults().withMinEffect(limit / 100)
                        : Verdicts.Options.defaults();
                Gate.Result g = Gate.check(c, Verdicts.of(c, o), row -> row.metric().equals("B/op") ? null
                        : Gate.Limit.of(limit));
                if (g.failed()) {
                    failures[l]++;
                }
                if (g.inconclusive() > 0) {
                    inconclusive[l]++;
                }
            }
        }
        double whole = Double.NaN;
        if (same && slower != 1) {
            whole = (slower - 1) * 100;
        } else if (!same) {
            Comparison all = Comparison.compute(inputs, List.of(a, b), StatOptions.defaults());
            whole = all.rows().get(0).cell(1).delta().percent();
        }
        return new Line(file, pair, k, PAIRS, failures, inconclusive, significant, whole);
    }

    /** The result with every iteration {@code factor} times slower: sec/op multiplied, ops/s divided. */
    private static JmhResult slower(JmhResult r, double factor) {
        double f = r.metric().equals(Units.OPS_PER_SEC) ? 1 / factor : factor;
        List<double[]> forks = r.forks().stream().map(it -> Arrays.stream(it).map(v -> v * f).toArray()).toList();
        return new JmhResult(r.benchmark(), r.mode(), r.params(), r.unit(), r.metric(), forks, r.allocForks(),
                r.iterationSeconds());
    }
}
