package dev.proflab.report;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ValueType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The calibration of the diff's significance test (scripts/diff-calibration/run, docs/diff-significance.md): reads
 * recordings {@code a*.jfr} of a program (A) and {@code b*.jfr} of the same program with one function made heavier
 * (B) from a folder, compares every A/A and A/B pair of recordings with the old test and with {@link ChangeTest},
 * then random sets of several recordings per side, and prints one table row per test: in how many A/A comparisons
 * some function was flagged (all false alarms), in how many A/B comparisons the heavier function was, in how many
 * another function was, and how many items were tested.
 *
 * <p>Items are functions (by name; normalised by {@link GeneratedNames} unless said), each twice: its flat samples
 * (where it is the leaf) and its cum samples (where it is on the stack, once per stack), as the diff's table has
 * them; a function is flagged when either is. Samples are counted as the diff counts them (the {@code samples}
 * value, else one per record). The old test is {@link Diff#z} at {@link Diff#Z_CRITICAL} on whole recordings with
 * raw names, nothing below {@link Diff#MIN_SAMPLES}: exactly the diff's rows.
 *
 * <p>Usage: {@code DiffCalibration [--heavier Workload.checksum] [--alpha 0.05] [--sets 5] [--draws 200] DIR}.
 */
public final class DiffCalibration {

    /** Function names (raw as read, or normalised), one dictionary for all recordings. */
    static final class Names {
        final Map<String, Integer> ids = new HashMap<>();
        final List<String> names = new ArrayList<>();

        int id(String s) {
            Integer i = ids.get(s);
            if (i == null) {
                i = names.size();
                ids.put(s, i);
                names.add(s);
            }
            return i;
        }
    }

    static final Names RAW = new Names();
    static final Names NORMALISED = new Names();

    /** One recording: per sample its time, count, leaf function and the distinct functions of its stack, per naming. */
    record Rec(String file, long[] time, long[] count, int[] leafRaw, int[][] cumRaw, int[] leaf, int[][] cum) {
        long samples() {
            return Arrays.stream(count).sum();
        }
    }

    static Rec read(Path f) {
        Profile p = ProfileReader.read(f);
        int ci = CallIndex.countIndex(p);
        int n = p.sampleCount();
        int stacks = p.stackCount();
        int[][] leafOf = new int[2][stacks];
        int[][][] cumOf = new int[2][stacks][];
        for (int s = 0; s < stacks; s++) {
            int[] frames = p.stack(s);
            for (int m = 0; m < 2; m++) {
                Names names = m == 0 ? RAW : NORMALISED;
                LinkedHashSet<Integer> set = new LinkedHashSet<>();
                for (int k = 0; k < frames.length; k++) {
                    String raw = p.frame(frames[k]).name();
                    int id = names.id(m == 0 ? raw : GeneratedNames.normalize(raw));
                    if (k == 0) {
                        leafOf[m][s] = id;
                    }
                    set.add(id);
                }
                cumOf[m][s] = set.stream().mapToInt(Integer::intValue).toArray();
            }
        }
        long[] time = new long[n];
        long[] count = new long[n];
        int[][] leaf = new int[2][n];
        int[][][] cum = new int[2][n][];
        for (int i = 0; i < n; i++) {
            time[i] = p.timeOf(i);
            count[i] = ci < 0 ? 1 : p.value(i, ci);
            int s = p.stackOf(i);
            for (int m = 0; m < 2; m++) {
                leaf[m][i] = leafOf[m][s];
                cum[m][i] = cumOf[m][s];
            }
        }
        return new Rec(f.getFileName().toString(), time, count, leaf[0], cum[0], leaf[1], cum[1]);
    }

    /** A recording cut into time blocks: per block its samples and per item (2 per function) its counts. */
    record Cut(long[] totals, long[][] counts) {
        long total() {
            return Arrays.stream(totals).sum();
        }

        long[] sums() {
            long[] s = new long[counts[0].length];
            for (long[] row : counts) {
                for (int i = 0; i < s.length; i++) {
                    s[i] += row[i];
                }
            }
            return s;
        }
    }

    static Cut cut(Rec r, boolean raw, boolean blocks) {
        ChangeTest.Blocks b = blocks ? ChangeTest.blocks(r.time(), r.count()) : new ChangeTest.Blocks(0, 0, 1);
        int f = (raw ? RAW : NORMALISED).names.size();
        long[] totals = new long[b.count()];
        long[][] counts = new long[b.count()][2 * f];
        int[] leaf = raw ? r.leafRaw() : r.leaf();
        int[][] cum = raw ? r.cumRaw() : r.cum();
        for (int i = 0; i < r.time().length; i++) {
            int k = b.of(r.time()[i]);
            long c = r.count()[i];
            totals[k] += c;
            counts[k][2 * leaf[i]] += c;
            for (int id : cum[i]) {
                counts[k][2 * id + 1] += c;
            }
        }
        return new Cut(totals, counts);
    }

    /** The items with samples in any of the cuts. */
    static int[] items(List<Cut> cuts) {
        int len = cuts.get(0).counts()[0].length;
        boolean[] has = new boolean[len];
        for (Cut c : cuts) {
            for (long[] row : c.counts()) {
                for (int i = 0; i < len; i++) {
                    has[i] |= row[i] > 0;
                }
            }
        }
        return java.util.stream.IntStream.range(0, len).filter(i -> has[i]).toArray();
    }

    /** Recordings as one side of a test: the blocks of each, numbered by recording, only the items {@code items}. */
    static ChangeTest.Replicates side(List<Cut> cuts, int[] items) {
        List<ChangeTest.Replicates> parts = new ArrayList<>();
        for (Cut c : cuts) {
            long[][] rows = new long[c.totals().length][items.length];
            for (int k = 0; k < rows.length; k++) {
                for (int i = 0; i < items.length; i++) {
                    rows[k][i] = c.counts()[k][items[i]];
                }
            }
            parts.add(ChangeTest.Replicates.ofBlocks(c.totals(), rows));
        }
        return ChangeTest.Replicates.concat(parts.toArray(new ChangeTest.Replicates[0]));
    }

    // ---- the tests compared --------------------------------------------------------------------

    /** A test of one side against the other: the functions it flags, and how many items it tested. */
    interface Test {
        Flags run(List<Cut> base, List<Cut> current);
    }

    record Flags(List<String> functions, int tested) {
    }

    /** The old test: the diff's rows, on one recording per side (raw names when the cuts have them). */
    static Test old(boolean raw) {
        return (base, current) -> old(base, current, raw ? RAW : NORMALISED);
    }

    static Flags old(List<Cut> base, List<Cut> current, Names names) {
        Cut a = base.get(0);
        Cut b = current.get(0);
        long na = a.total();
        long nb = b.total();
        long[] sa = a.sums();
        long[] sb = b.sums();
        List<String> out = new ArrayList<>();
        int tested = 0;
        for (int f = 0; f < sa.length / 2; f++) {
            if (sa[2 * f + 1] == 0 && sb[2 * f + 1] == 0) {
                continue;
            }
            tested += 2;
            if (na >= OldZTest.MIN_SAMPLES && nb >= OldZTest.MIN_SAMPLES
                    && (Math.abs(OldZTest.z(sa[2 * f], na, sb[2 * f], nb)) >= OldZTest.Z_CRITICAL
                    || Math.abs(OldZTest.z(sa[2 * f + 1], na, sb[2 * f + 1], nb)) >= OldZTest.Z_CRITICAL)) {
                out.add(names.names.get(f));
            }
        }
        return new Flags(out, tested);
    }

    /**
     * ChangeTest with options; {@code claimsOnly}: what it reports (nothing when it states a limitation), else every
     * q-value at most alpha (what the within-recording blocks alone would flag).
     */
    static Test change(double alpha, ChangeTest.Options o, boolean claimsOnly, boolean raw) {
        return (base, current) -> {
            List<Cut> all = new ArrayList<>(base);
            all.addAll(current);
            int[] items = items(all);
            ChangeTest.Result r = ChangeTest.test(side(base, items), side(current, items), alpha, o);
            LinkedHashSet<String> flagged = new LinkedHashSet<>();
            for (int i = 0; i < items.length; i++) {
                boolean hit = claimsOnly ? r.significant()[i] : r.qValues()[i] <= alpha;
                if (hit) {
                    flagged.add((raw ? RAW : NORMALISED).names.get(items[i] / 2));
                }
            }
            return new Flags(new ArrayList<>(flagged), r.tested());
        };
    }

    static final class Tally {
        final String name;
        int aa;
        int aaFlagged;
        int ab;
        int abHit;
        int abOther;
        final List<Integer> tested = new ArrayList<>();
        final Map<String, Integer> aaNames = new HashMap<>();
        final Map<String, Integer> otherNames = new HashMap<>();

        Tally(String name) {
            this.name = name;
        }

        void aa(Flags f) {
            aa++;
            tested.add(f.tested());
            if (!f.functions().isEmpty()) {
                aaFlagged++;
                f.functions().forEach(s -> aaNames.merge(s, 1, Integer::sum));
            }
        }

        void ab(Flags f, String heavier) {
            ab++;
            tested.add(f.tested());
            abHit += f.functions().contains(heavier) ? 1 : 0;
            boolean other = false;
            for (String s : f.functions()) {
                if (!s.equals(heavier)) {
                    other = true;
                    otherNames.merge(s, 1, Integer::sum);
                }
            }
            abOther += other ? 1 : 0;
        }

        String row() {
            int[] t = tested.stream().mapToInt(Integer::intValue).sorted().toArray();
            return String.format(Locale.ROOT, "| %s | %d / %d (%.1f%%) | %d / %d (%.1f%%) | %d / %d | %s |", name,
                    aaFlagged, aa, 100.0 * aaFlagged / Math.max(1, aa), abHit, ab, 100.0 * abHit / Math.max(1, ab),
                    abOther, ab, t.length == 0 ? "" : t[t.length / 2] + " (" + t[0] + "–" + t[t.length - 1] + ")");
        }

        String notes() {
            return "    A/A flags: " + top(aaNames) + "\n    A/B other flags: " + top(otherNames);
        }

        private static String top(Map<String, Integer> m) {
            List<Map.Entry<String, Integer>> e = new ArrayList<>(m.entrySet());
            e.sort((x, y) -> y.getValue() - x.getValue());
            return e.subList(0, Math.min(5, e.size())).toString();
        }
    }

    /** Every A/A and A/B pair of single recordings. */
    static Tally pairs(String name, Test t, List<Cut> a, List<Cut> b, String heavier) {
        Tally y = new Tally(name);
        for (int i = 0; i < a.size(); i++) {
            for (int j = i + 1; j < a.size(); j++) {
                y.aa(t.run(List.of(a.get(i)), List.of(a.get(j))));
            }
        }
        for (Cut x : a) {
            for (Cut z : b) {
                y.ab(t.run(List.of(x), List.of(z)), heavier);
            }
        }
        return y;
    }

    /** {@code draws} random comparisons of s recordings per side: A/A from 2s distinct A, A/B from s A and s B. */
    static Tally sets(String name, Test t, List<Cut> a, List<Cut> b, String heavier, int s, int draws, long seed) {
        Tally y = new Tally(name);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int n = 0; n < draws; n++) {
            int[] pa = shuffle(a.size(), rnd);
            int[] pb = shuffle(b.size(), rnd);
            if (a.size() >= 2 * s) {
                y.aa(t.run(pick(a, pa, 0, s), pick(a, pa, s, s)));
            }
            y.ab(t.run(pick(a, pa, 0, s), pick(b, pb, 0, s)), heavier);
        }
        return y;
    }

    static List<Cut> pick(List<Cut> from, int[] perm, int at, int n) {
        List<Cut> out = new ArrayList<>();
        for (int i = at; i < at + n; i++) {
            out.add(from.get(perm[i]));
        }
        return out;
    }

    static int[] shuffle(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        Arrays.setAll(p, i -> i);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int x = p[i];
            p[i] = p[j];
            p[j] = x;
        }
        return p;
    }

    public static void main(String[] args) throws IOException {
        String heavier = "Workload.checksum";
        double alpha = ChangeTest.ALPHA;
        int maxSets = 5;
        int draws = 200;
        boolean verbose = false;
        boolean spread = false;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--heavier" -> heavier = args[++i];
                case "--alpha" -> alpha = Double.parseDouble(args[++i]);
                case "--sets" -> maxSets = Integer.parseInt(args[++i]);
                case "--draws" -> draws = Integer.parseInt(args[++i]);
                case "--verbose" -> verbose = true;
                case "--spread" -> spread = true;
                default -> dir = Path.of(args[i]);
            }
        }
        if (dir == null) {
            System.err.println("usage: DiffCalibration [--heavier NAME] [--alpha A] [--sets S] [--draws N]"
                    + " [--verbose] [--spread] DIR");
            System.exit(2);
        }
        List<Rec> ra = new ArrayList<>();
        List<Rec> rb = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".jfr")).sorted().toList()) {
                String n = f.getFileName().toString();
                (n.startsWith("a") ? ra : rb).add(read(f));
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d recordings of A, %d of B; samples per recording (min, median, max):"
                + " A %s, B %s; blocks per recording: %s%n", dir, ra.size(), rb.size(), range(ra), range(rb),
                ra.stream().mapToInt(r -> ChangeTest.blocks(r.time(), r.count()).count()).distinct().sorted()
                        .mapToObj(Integer::toString).toList());
        if (spread) {
            spread(ra.stream().map(r -> cut(r, false, true)).toList());
            return;
        }
        List<Cut> rawA = ra.stream().map(r -> cut(r, true, false)).toList();
        List<Cut> rawB = rb.stream().map(r -> cut(r, true, false)).toList();
        List<Cut> a = ra.stream().map(r -> cut(r, false, true)).toList();
        List<Cut> b = rb.stream().map(r -> cut(r, false, true)).toList();
        List<Cut> rawBlocksA = ra.stream().map(r -> cut(r, true, true)).toList();
        List<Cut> rawBlocksB = rb.stream().map(r -> cut(r, true, true)).toList();

        ChangeTest.Options def = ChangeTest.Options.DEFAULT;
        int min = ChangeTest.MIN_RECORDINGS;
        List<Tally> rows = new ArrayList<>();
        rows.add(pairs("old: two-proportion z, \\|z\\| >= 1.96, raw names, 1 vs 1", old(true), rawA, rawB, heavier));
        List<Cut> wholeA = ra.stream().map(r -> cut(r, false, false)).toList();
        List<Cut> wholeB = rb.stream().map(r -> cut(r, false, false)).toList();
        rows.add(pairs("old, with generated names normalised", old(false), wholeA, wholeB, heavier));
        rows.add(pairs("new, 1 vs 1: reported (the limitation, nothing flagged)", change(alpha, def, true, false),
                a, b, heavier));
        rows.add(pairs("new, 1 vs 1: what the time blocks alone would flag", change(alpha, def, false, false),
                a, b, heavier));
        for (int s = 2; s <= maxSets && a.size() >= 2 * s && b.size() >= s; s++) {
            String name = "new, " + s + " vs " + s + (s < min ? ": what the time blocks alone would flag" : "");
            rows.add(sets(name, change(alpha, def, s >= min, false), a, b, heavier, s, draws, s));
        }
        if (a.size() >= 2 * min && b.size() >= min) {
            // the choices of the test, one changed at a time
            ChangeTest.Options two = new ChangeTest.Options(def.minItemSamples(), 2, def.prior(), true);
            rows.add(sets("2 vs 2 claimed (2 recordings per side taken as enough)", change(alpha, two, true, false),
                    a, b, heavier, 2, draws, 2));
            String[] names = {
                "3 vs 3 without Benjamini–Hochberg (each p <= alpha)",
                "3 vs 3, each item's own dispersion (no squeezing)",
                "3 vs 3, dispersions squeezed from above too (limma's way)",
                "3 vs 3, one common dispersion (the median)",
                "3 vs 3, items from 5 samples (not 20)"};
            ChangeTest.Options[] options = {
                new ChangeTest.Options(def.minItemSamples(), min, def.prior(), false),
                new ChangeTest.Options(def.minItemSamples(), min, ChangeTest.Prior.OWN, true),
                new ChangeTest.Options(def.minItemSamples(), min, ChangeTest.Prior.SQUEEZED, true),
                new ChangeTest.Options(def.minItemSamples(), min, ChangeTest.Prior.COMMON, true),
                new ChangeTest.Options(5, min, def.prior(), true)};
            for (int i = 0; i < names.length; i++) {
                rows.add(sets(names[i], change(alpha, options[i], true, false), a, b, heavier, min, draws, min));
            }
            rows.add(sets("3 vs 3, raw names", change(alpha, def, true, true), rawBlocksA, rawBlocksB, heavier, min,
                    draws, min));
        }
        System.out.println();
        System.out.println("| test | A/A: comparisons with a function flagged | A/B: the heavier function flagged"
                + " | A/B: another function flagged | items tested (median, range) |");
        System.out.println("|:--|--:|--:|--:|--:|");
        for (Tally t : rows) {
            System.out.println(t.row());
            if (verbose) {
                System.out.println(t.notes());
            }
        }
    }

    /**
     * {@code --spread}: for the A recordings, per item with at least 2% of the samples on average, how much its
     * share varies between recordings (standard deviation) against what the time blocks within each recording
     * predict for a whole recording's share (Pearson dispersion of the blocks around the recording's share, times
     * the binomial variance of the share), and the ratio; then the quartiles of the ratio over the items.
     */
    static void spread(List<Cut> cuts) {
        int len = cuts.get(0).counts()[0].length;
        List<double[]> rows = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int it = 0; it < len; it++) {
            double[] share = new double[cuts.size()];
            double within = 0;
            for (int c = 0; c < cuts.size(); c++) {
                Cut cut = cuts.get(c);
                long n = cut.total();
                long x = cut.sums()[it];
                double p = (double) x / n;
                share[c] = p;
                double x2 = 0;
                for (int b = 0; b < cut.totals().length; b++) {
                    double e = cut.totals()[b] * p;
                    if (e > 0 && p < 1) {
                        x2 += (cut.counts()[b][it] - e) * (cut.counts()[b][it] - e) / (e * (1 - p));
                    }
                }
                within += x2 / Math.max(1, cut.totals().length - 1) * p * (1 - p) / n;
            }
            double mean = Arrays.stream(share).average().orElse(0);
            if (mean < 0.02) {
                continue;
            }
            double sd = Math.sqrt(Arrays.stream(share).map(v -> (v - mean) * (v - mean)).sum() / (share.length - 1));
            double w = Math.sqrt(within / share.length);
            rows.add(new double[]{mean, sd, w, sd / w});
            names.add(NORMALISED.names.get(it / 2) + (it % 2 == 0 ? " (flat)" : " (cum)"));
        }
        System.out.println("| item | mean share | SD between recordings | SD from the time blocks | ratio |");
        System.out.println("|:--|--:|--:|--:|--:|");
        for (int i = 0; i < rows.size(); i++) {
            double[] r = rows.get(i);
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.4f | %.4f | %.2f |%n", names.get(i), r[0], r[1], r[2], r[3]);
        }
        double[] ratio = rows.stream().mapToDouble(r -> r[3]).sorted().toArray();
        System.out.printf(Locale.ROOT, "%d items; ratio quartiles %.2f, %.2f, %.2f; above 1.5: %d%n", ratio.length,
                ratio[ratio.length / 4], ratio[ratio.length / 2], ratio[3 * ratio.length / 4],
                Arrays.stream(ratio).filter(x -> x > 1.5).count());
    }

    static String range(List<Rec> rs) {
        long[] s = rs.stream().mapToLong(Rec::samples).sorted().toArray();
        return s.length == 0 ? "-" : s[0] + ", " + s[s.length / 2] + ", " + s[s.length - 1];
    }
}
