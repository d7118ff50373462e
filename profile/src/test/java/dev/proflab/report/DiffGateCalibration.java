package dev.proflab.report;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The profile gate's A/A and A/B calibration (docs/ci.md): the recordings of {@code scripts/diff-calibration/run}
 * ({@code aNN.jfr}: the program as it is, {@code bNN.jfr}: {@code Workload.checksum} 2.5x heavier), compared k
 * against k as {@code proflab diff --max-growth} compares them ({@link Diff#compute} on whole recordings, then
 * {@link DiffGate#check}), and how often each gate fails. A/A: 2k distinct A recordings split in two, any failure
 * a false alarm. A/B: k A against k B, the heavier function should fail.
 *
 * <pre>
 * java -cp ... dev.proflab.report.DiffGateCalibration [--draws 200] [--seed 1] [--max-k 5] FOLDER...
 * </pre>
 * Several folders are pooled (their A recordings together, their B recordings together).
 */
public final class DiffGateCalibration {

    private DiffGateCalibration() {
    }

    /** A gate to count: its rules and the share it reads. */
    record Variant(String label, List<DiffGate.Rule> rules, DiffGate.Measure on) {
    }

    static Variant variant(String label, DiffGate.Measure on, String... regexAndLimit) {
        List<DiffGate.Rule> rules = new ArrayList<>();
        for (int i = 0; i < regexAndLimit.length; i += 2) {
            rules.add(new DiffGate.Rule(Regex.compile("--max-growth", regexAndLimit[i]),
                    DiffGate.Limit.of(DiffGate.Limit.points(regexAndLimit[i + 1]), "--max-growth")));
        }
        return new Variant(label, rules, on);
    }

    public static void main(String[] args) throws IOException {
        int draws = 200;
        long seed = 1;
        int maxK = 5;
        List<Path> folders = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--draws" -> draws = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--max-k" -> maxK = Integer.parseInt(args[++i]);
                default -> folders.add(Path.of(args[i]));
            }
        }
        List<Profile> a = new ArrayList<>();
        List<Profile> b = new ArrayList<>();
        ReadOptions read = ReadOptions.defaults().withAggregate(true);
        for (Path folder : folders) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : files.filter(p -> p.getFileName().toString().matches("[ab]\\d+\\.jfr")).sorted().toList()) {
                    (f.getFileName().toString().startsWith("a") ? a : b).add(ProfileReader.read(f, read));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d A and %d B recordings; samples per recording A %s, B %s%n", a.size(), b.size(),
                range(a), range(b));
        List<Variant> variants = List.of(
                variant("`.=0pp` (any function, any significant growth of cum)", DiffGate.Measure.CUM, ".", "0pp"),
                variant("`.=1pp`, cum", DiffGate.Measure.CUM, ".", "1pp"),
                variant("`.=2pp`, cum", DiffGate.Measure.CUM, ".", "2pp"),
                variant("`.=0pp`, flat", DiffGate.Measure.FLAT, ".", "0pp"),
                variant("`.=2pp`, flat", DiffGate.Measure.FLAT, ".", "2pp"),
                variant("`Workload\\.checksum=2pp`, cum", DiffGate.Measure.CUM, "Workload\\.checksum", "2pp"),
                variant("`Workload\\.checksum=5pp`, cum", DiffGate.Measure.CUM, "Workload\\.checksum", "5pp"),
                variant("`Workload\\.checksum=10pp`, cum", DiffGate.Measure.CUM, "Workload\\.checksum", "10pp"));
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int k = 3; k <= maxK; k++) {
            Map<String, int[]> aa = new LinkedHashMap<>();
            Map<String, int[]> ab = new LinkedHashMap<>();
            Map<String, int[]> abHeavier = new LinkedHashMap<>();
            Map<String, Integer> aaNames = new TreeMap<>();
            Map<String, Integer> abOthers = new TreeMap<>();
            List<Double> growth = new ArrayList<>();
            int aaDraws = 0;
            int abDraws = 0;
            for (int d = 0; d < draws; d++) {
                int[] pa = shuffle(a.size(), rnd);
                int[] pb = shuffle(b.size(), rnd);
                if (a.size() >= 2 * k) {
                    Diff.Result r = Diff.compute(pick(a, pa, 0, k), pick(a, pa, k, k), Selection.all(),
                            Diff.Normalize.TOTAL, 0);
                    aaDraws++;
                    for (Variant v : variants) {
                        DiffGate.Result g = gate(r, v);
                        if (g != null && g.failed()) {
                            aa.computeIfAbsent(v.label(), x -> new int[1])[0]++;
                            if (v == variants.get(0)) {
                                g.failures().forEach(c -> aaNames.merge(c.row().name(), 1, Integer::sum));
                            }
                        }
                    }
                }
                if (a.size() >= k && b.size() >= k) {
                    Diff.Result r = Diff.compute(pick(a, pa, 0, k), pick(b, pb, 0, k), Selection.all(),
                            Diff.Normalize.TOTAL, 0);
                    abDraws++;
                    r.rows().stream().filter(x -> x.name().equals("Workload.checksum")).findFirst()
                            .ifPresent(x -> growth.add(100 * x.deltaCum()));
                    for (Variant v : variants) {
                        DiffGate.Result g = gate(r, v);
                        if (g != null && g.failed()) {
                            ab.computeIfAbsent(v.label(), x -> new int[1])[0]++;
                            if (g.failures().stream().anyMatch(c -> c.row().name().equals("Workload.checksum"))) {
                                abHeavier.computeIfAbsent(v.label(), x -> new int[1])[0]++;
                            }
                            if (v == variants.get(0)) {
                                g.failures().stream().map(c -> c.row().name()).filter(n -> !n.equals("Workload.checksum"))
                                        .forEach(n -> abOthers.merge(n, 1, Integer::sum));
                            }
                        }
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%n%d vs %d: %d A/A draws, %d A/B draws%n", k, k, aaDraws, abDraws);
            System.out.println("| gate | A/A: some function failed | A/B: checksum failed | A/B: any failure |");
            System.out.println("|:--|--:|--:|--:|");
            for (Variant v : variants) {
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", v.label(),
                        frac(aa.getOrDefault(v.label(), new int[1])[0], aaDraws),
                        frac(abHeavier.getOrDefault(v.label(), new int[1])[0], abDraws),
                        frac(ab.getOrDefault(v.label(), new int[1])[0], abDraws));
            }
            growth.sort(null);
            if (!growth.isEmpty()) {
                System.out.printf(Locale.ROOT, "A/B: growth of Workload.checksum's cum share, points: min %.2f, median"
                        + " %.2f, max %.2f%n", growth.get(0), growth.get(growth.size() / 2), growth.get(growth.size() - 1));
            }
            System.out.println("A/A failures at .=0pp cum, by function: " + aaNames);
            System.out.println("A/B failures other than checksum at .=0pp cum: " + abOthers);
        }
    }

    /** The gate of one variant, null when a rule finds nothing in this comparison. */
    private static DiffGate.Result gate(Diff.Result r, Variant v) {
        try {
            return DiffGate.check(r, v.rules(), v.on());
        } catch (ReportException e) {
            return null;
        }
    }

    private static String frac(int n, int of) {
        if (of == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%d/%d (%s%%)", n, of, trim(100.0 * n / of));
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    private static String range(List<Profile> ps) {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (Profile p : ps) {
            long n = CallIndex.of(p, Selection.all()).header().samples();
            min = Math.min(min, n);
            max = Math.max(max, n);
        }
        return ps.isEmpty() ? "-" : min + "–" + max;
    }

    private static List<Profile> pick(List<Profile> from, int[] perm, int at, int n) {
        List<Profile> out = new ArrayList<>();
        for (int i = at; i < at + n; i++) {
            out.add(from.get(perm[i]));
        }
        return out;
    }

    private static int[] shuffle(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int x = p[i];
            p[i] = p[j];
            p[j] = x;
        }
        return p;
    }
}
