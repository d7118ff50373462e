package dev.proflab.report;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.numbers.gamma.Digamma;
import org.apache.commons.numbers.gamma.Trigamma;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * Which items of a profile diff (functions, call-tree nodes) changed their share of the samples between a base
 * and a current side, with the noise measured from the data rather than assumed: a pure function of sample
 * counts, independent of the profile model, so that a diff feeds it from its own index.
 *
 * <pre>{@code
 * // per side: every time block of every recording (blocks(...) cuts one), with its samples, the samples
 * // through each item in it, and the recording it belongs to
 * ChangeTest.Replicates base = new ChangeTest.Replicates(totals, counts, recordingOf);
 * ChangeTest.Result r = ChangeTest.test(base, current);
 * if (r.limitation() != null) System.out.println(r.limitation());   // then nothing is significant
 * for (int i = 0; i < items; i++) if (r.significant()[i]) ...       // q-value <= 0.05
 * }</pre>
 *
 * <p><b>The unit is the recording.</b> Samples are not independent draws: a program runs in phases, so samples
 * come in runs of one function; and two runs of the same program differ by more than either run's samples show,
 * because the JIT compiles and inlines differently in each JVM (which inlined frame a sample is charged to moved
 * by 5% of the samples between runs of the calibration program). Time blocks within a recording capture the
 * phases but not the JIT. So a claim needs at least {@value #MIN_RECORDINGS} recordings per side, each a run of
 * its own (docs/diff-significance.md has the measurements).
 *
 * <p><b>The statistic.</b> Per item, a quasi-binomial comparison of its share of the samples between the sides:
 * {@code t = (p1 - p0) / sqrt(phi * p (1 - p) (1/N0 + 1/N1))}, {@code p0}, {@code p1} the item's share of each
 * side's samples (all its recordings together), {@code p} the pooled share, {@code N} the samples per side, and
 * {@code phi} the item's dispersion: how much more its share varies between the recordings of a side than
 * binomial sampling would make it vary (Pearson's chi-square over the recordings of both sides, each around its
 * side's share, divided by {@code d = R0 + R1 - 2} degrees of freedom). With 3 recordings per side {@code d} is 4,
 * too few for a t-test with any power, so the items borrow from each other as limma does for genes measured in
 * few replicates (Smyth 2004, "Linear models and empirical Bayes methods for assessing differential expression in
 * microarray experiments", section 6.2): a prior for the dispersions, {@code d0} degrees of freedom and scale
 * {@code s0}, from the moments of {@code log phi} over the items, and each item's dispersion becomes
 * {@code (d0 s0 + d phi) / (d0 + d)}. Unlike limma, a dispersion is only ever raised this way, never lowered:
 * a frame whose share jumps between runs with the JIT's choices varies far more than the others, and pulling it
 * towards theirs made up to 8.5% of the A/A comparisons of 3 vs 3 recordings flag something, where raising only
 * made at most 3%. The dispersion is
 * at least 1 (binomial), and {@code t} has {@code d0 + d} degrees of freedom; the p-value is two-sided, from
 * commons-statistics' t distribution.
 *
 * <p><b>Many items at once.</b> The p-values are adjusted by Benjamini–Hochberg ({@link #benjaminiHochberg}),
 * and an item is significant when its q-value is at most {@code alpha} (0.05): of the items called changed, 5% or
 * fewer are expected to be noise; when nothing changed, something is called changed in at most 5% of
 * comparisons. Items whose counts are the same in every replicate (a chain of callers with one callee; a function
 * that is only ever a leaf, flat = cum) are one hypothesis ({@link Result#hypotheses()}). Items with fewer than
 * {@value #MIN_ITEM_SAMPLES} samples on both sides together are not tested ({@link Result#tested()} counts the
 * rest): filtering on the total, which says nothing about the direction of a change, keeps the false discovery
 * rate (Bourgon, Gentleman and Huber 2010, "Independent filtering increases detection power for high-throughput
 * experiments").
 *
 * <p><b>When nothing can be claimed</b> ({@link Result#limitation()}, one sentence; nothing is significant then):
 * fewer than {@value #MIN_SAMPLES} samples on a side, or fewer than {@value #MIN_RECORDINGS} recordings on a side.
 * With one or two recordings per side the same statistic still runs with the time blocks of the recordings as
 * replicates, and its p- and q-values say what differs beyond the noise <em>within</em> the recordings (phases,
 * bursts): worth a look, not a claim. On the calibration program that flagged some function in 45% of the pairs
 * of recordings of the same program.
 */
public final class ChangeTest {

    /** The false discovery rate allowed by default. */
    public static final double ALPHA = 0.05;

    /** Recordings per side from which a change is claimed (2 per side flagged 15% of A/A comparisons). */
    public static final int MIN_RECORDINGS = 3;

    /** Samples per side below which nothing is claimed (as the diff's own {@code MIN_SAMPLES}). */
    public static final long MIN_SAMPLES = 100;

    /** Samples of an item, both sides together, from which it is tested. */
    public static final long MIN_ITEM_SAMPLES = 20;

    /** Time blocks of a recording: at most this many... */
    public static final int MAX_BLOCKS = 8;

    /** ... of at least this many samples ... */
    public static final long MIN_BLOCK_SAMPLES = 50;

    /** ... and at least this long, in nanoseconds (0.5 s). */
    public static final long MIN_BLOCK_NANOS = 500_000_000L;

    /**
     * The sample counts of one side. Replicate {@code r} (a time block of a recording, or a whole recording) has
     * {@code totals[r]} samples, {@code counts[r][i]} of them through item {@code i}, and belongs to recording
     * {@code recordingOf[r]} (0, 1, 2, ..., below the number of replicates; the replicates of one recording need
     * not be next to each other).
     * Every row of {@code counts} has the same length, the number of items, the same on both sides of a test.
     * The arrays are not copied: do not change them while a test runs.
     *
     * @throws IllegalArgumentException when the lengths disagree, a count is negative or above its total, or a
     *     recording number is negative or not below the number of replicates
     */
    public record Replicates(long[] totals, long[][] counts, int[] recordingOf) {

        public Replicates {
            if (totals.length != counts.length || totals.length != recordingOf.length) {
                throw new IllegalArgumentException(totals.length + " totals, " + counts.length + " rows of counts and "
                        + recordingOf.length + " recording numbers: they must be as many");
            }
            int items = counts.length == 0 ? 0 : counts[0].length;
            for (int r = 0; r < totals.length; r++) {
                if (counts[r].length != items) {
                    throw new IllegalArgumentException("replicate " + r + " has " + counts[r].length
                            + " items, replicate 0 has " + items);
                }
                if (totals[r] < 0) {
                    throw new IllegalArgumentException("replicate " + r + ": a negative total");
                }
                if (recordingOf[r] < 0 || recordingOf[r] >= totals.length) {
                    throw new IllegalArgumentException("replicate " + r + ": recording number " + recordingOf[r]
                            + " is not from 0 to " + (totals.length - 1));
                }
                for (long c : counts[r]) {
                    if (c < 0 || c > totals[r]) {
                        throw new IllegalArgumentException("replicate " + r + ": count " + c
                                + " is not from 0 to its total " + totals[r]);
                    }
                }
            }
        }

        /** Each replicate a whole recording of its own. */
        public static Replicates ofRecordings(long[] totals, long[][] counts) {
            int[] of = new int[totals.length];
            Arrays.setAll(of, r -> r);
            return new Replicates(totals, counts, of);
        }

        /** The time blocks of one recording. */
        public static Replicates ofBlocks(long[] totals, long[][] counts) {
            return new Replicates(totals, counts, new int[totals.length]);
        }

        /** The replicates of several sides' worth of recordings, one after the other, as one side. */
        public static Replicates concat(Replicates... parts) {
            int n = 0;
            for (Replicates p : parts) {
                n += p.replicates();
            }
            long[] t = new long[n];
            long[][] c = new long[n][];
            int[] of = new int[n];
            int at = 0;
            int recordings = 0;
            for (Replicates p : parts) {
                for (int r = 0; r < p.replicates(); r++) {
                    t[at] = p.totals[r];
                    c[at] = p.counts[r];
                    of[at++] = recordings + p.recordingOf[r];
                }
                recordings += p.recordings();
            }
            return new Replicates(t, c, of);
        }

        public int replicates() {
            return totals.length;
        }

        public int items() {
            return counts.length == 0 ? 0 : counts[0].length;
        }

        /** How many recordings: the highest recording number plus one. */
        public int recordings() {
            int max = -1;
            for (int x : recordingOf) {
                max = Math.max(max, x);
            }
            return max + 1;
        }

        public long total() {
            long t = 0;
            for (long x : totals) {
                t += x;
            }
            return t;
        }
    }

    /**
     * The outcome, per item (the index of the items of {@link Replicates}).
     *
     * @param pValues two-sided p-value of each item; NaN when it was not tested
     * @param qValues its Benjamini–Hochberg q-value among the hypotheses tested; NaN when not tested
     * @param significant q-value at most alpha, and the data can support a claim ({@code limitation} null)
     * @param baseShares the item's share of the base's samples
     * @param shares its share of the current side's samples
     * @param tested items tested (with at least {@link #MIN_ITEM_SAMPLES} samples on both sides together)
     * @param hypotheses distinct hypotheses among them (items with the same counts everywhere are one)
     * @param replicates what was compared: {@code "recordings"}, {@code "time blocks"}, or {@code "none"}
     * @param priorDf the degrees of freedom of the common dispersion the items' ones were squeezed towards
     *     (infinite: all items took the common one; 0: none)
     * @param priorDispersion that common dispersion
     * @param limitation why no change can be claimed, in one sentence; null when a claim can be made
     */
    public record Result(double[] pValues, double[] qValues, boolean[] significant, double[] baseShares,
                         double[] shares, int tested, int hypotheses, String replicates, double priorDf,
                         double priorDispersion, String limitation) {

        /** How many items are significant. */
        public int significantCount() {
            int n = 0;
            for (boolean s : significant) {
                n += s ? 1 : 0;
            }
            return n;
        }
    }

    private ChangeTest() {
    }

    /** {@link #test(Replicates, Replicates, double)} at {@link #ALPHA}. */
    public static Result test(Replicates base, Replicates current) {
        return test(base, current, ALPHA);
    }

    /**
     * Tests every item of {@code current} against {@code base} at false discovery rate {@code alpha}: whole
     * recordings as replicates when each side has at least {@link #MIN_RECORDINGS}, else the time blocks (and
     * then nothing is significant: see {@link Result#limitation()}).
     *
     * @throws IllegalArgumentException when the sides have different numbers of items, or alpha is not in (0, 1)
     */
    public static Result test(Replicates base, Replicates current, double alpha) {
        return test(base, current, alpha, Options.DEFAULT);
    }

    /** How the dispersions of the items are estimated: the test's way, and three for comparison. */
    enum Prior {
        /** Each item's own, raised towards a common one when below it (the test). */
        RAISED,
        /** Each item's own, squeezed towards a common one from below and from above (limma's way). */
        SQUEEZED,
        /** Each item's own alone, with its {@code d} degrees of freedom. */
        OWN,
        /** One for all items: the median of theirs. */
        COMMON
    }

    /**
     * The test's choices, changeable for the measurements that justify them (docs/diff-significance.md).
     *
     * @param correct Benjamini–Hochberg over the hypotheses (false: each p-value on its own against alpha)
     */
    record Options(long minItemSamples, int minRecordings, Prior prior, boolean correct) {
        static final Options DEFAULT = new Options(MIN_ITEM_SAMPLES, MIN_RECORDINGS, Prior.RAISED, true);
    }

    static Result test(Replicates base, Replicates current, double alpha, Options o) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha " + alpha + " is not between 0 and 1");
        }
        int items = base.items();
        if (base.replicates() > 0 && current.replicates() > 0 && current.items() != items) {
            throw new IllegalArgumentException("the base has " + items + " items, the current side " + current.items());
        }
        items = Math.max(items, current.items());
        long nb = base.total();
        long nc = current.total();
        double[] baseShares = shares(base, items);
        double[] shares = shares(current, items);
        double[] p = new double[items];
        double[] q = new double[items];
        Arrays.fill(p, Double.NaN);
        Arrays.fill(q, Double.NaN);
        boolean[] sig = new boolean[items];

        // recordings with samples
        Level recB = Level.recordings(base, items);
        Level recC = Level.recordings(current, items);
        int rb = recB.units();
        int rc = recC.units();
        String limitation = null;
        if (nb < MIN_SAMPLES || nc < MIN_SAMPLES) {
            String which = nb < MIN_SAMPLES && nc < MIN_SAMPLES ? "The sides have only " + nb + " and " + nc
                    : nb < MIN_SAMPLES ? "The base has only " + nb : "The current side has only " + nc;
            limitation = which + " samples, fewer than the " + MIN_SAMPLES
                    + " per side with which a change of share can be told from noise.";
            return new Result(p, q, sig, baseShares, shares, 0, 0, "none", 0, 1, limitation);
        }
        boolean byRecording = rb >= o.minRecordings() && rc >= o.minRecordings();
        Level lb = byRecording ? recB : Level.blocks(base, items);
        Level lc = byRecording ? recC : Level.blocks(current, items);
        if (!byRecording) {
            int min = o.minRecordings();
            String sides = rb < min && rc < min ? "each side" : rb < min ? "the base" : "the current side";
            int fewest = rb < min ? rb : rc;
            limitation = (fewest == 1 ? "One recording" : fewest + " recordings") + " on " + sides
                    + " cannot tell a change from the differences between runs of the same program (the JIT"
                    + " compiles each run differently): record at least " + min + " per side to claim one.";
            if (lb.units() < 2 || lc.units() < 2) {
                return new Result(p, q, sig, baseShares, shares, 0, 0, "none", 0, 1, limitation);
            }
        }

        // items tested, and one hypothesis per distinct pattern of counts
        int[] hypOf = new int[items];
        Arrays.fill(hypOf, -1);
        Map<Pattern, Integer> ids = new HashMap<>();
        int[] first = new int[items];   // an item of each hypothesis
        int h = 0;
        int tested = 0;
        for (int i = 0; i < items; i++) {
            if (lb.sum(i) + lc.sum(i) < o.minItemSamples()) {
                continue;
            }
            tested++;
            Pattern key = new Pattern(base, current, i);
            Integer id = ids.putIfAbsent(key, h);
            if (id == null) {
                id = h;
                first[h++] = i;
            }
            hypOf[i] = id;
        }

        // dispersions, raised towards a common one
        int d = lb.units() + lc.units() - 2;
        double[] phi = new double[h];
        for (int k = 0; k < h; k++) {
            int i = first[k];
            phi[k] = (lb.pearson(i) + lc.pearson(i)) / d;
        }
        double[] prior = switch (o.prior()) {
            case RAISED, SQUEEZED -> squeeze(phi, d);
            case OWN -> new double[]{0, 1};
            case COMMON -> new double[]{Double.POSITIVE_INFINITY, median(phi)};
        };
        double d0 = prior[0];
        double s0 = prior[1];
        TDistribution t = TDistribution.of(Double.isInfinite(d0) ? Double.MAX_VALUE : d0 + d);
        double[] hp = new double[h];
        for (int k = 0; k < h; k++) {
            int i = first[k];
            double post = Double.isInfinite(d0) ? s0 : (d0 * s0 + d * phi[k]) / (d0 + d);
            if (o.prior() == Prior.RAISED) {
                post = Math.max(post, phi[k]);
            }
            post = Math.max(1, post);
            double pb = (double) lb.sum(i) / nb;
            double pc = (double) lc.sum(i) / nc;
            double pool = (double) (lb.sum(i) + lc.sum(i)) / (nb + nc);
            double se = Math.sqrt(post * pool * (1 - pool) * (1.0 / nb + 1.0 / nc));
            hp[k] = se == 0 ? 1 : Math.min(1, 2 * t.survivalProbability(Math.abs(pc - pb) / se));
        }
        double[] hq = o.correct() ? benjaminiHochberg(hp) : hp;
        for (int i = 0; i < items; i++) {
            if (hypOf[i] >= 0) {
                p[i] = hp[hypOf[i]];
                q[i] = hq[hypOf[i]];
                sig[i] = limitation == null && q[i] <= alpha;
            }
        }
        return new Result(p, q, sig, baseShares, shares, tested, h, byRecording ? "recordings" : "time blocks", d0, s0,
                limitation);
    }

    private static double[] shares(Replicates s, int items) {
        double[] out = new double[items];
        long n = s.total();
        if (n == 0) {
            return out;
        }
        for (long[] row : s.counts()) {
            for (int i = 0; i < items; i++) {
                out[i] += row[i];
            }
        }
        for (int i = 0; i < items; i++) {
            out[i] /= n;
        }
        return out;
    }

    /** One side at the level compared: per unit (a recording, or a block) its samples and the items' counts. */
    private record Level(long[] totals, long[][] counts, long[] sums, long total) {

        static Level blocks(Replicates s, int items) {
            long[] sums = new long[items];
            for (long[] row : s.counts()) {
                for (int i = 0; i < items; i++) {
                    sums[i] += row[i];
                }
            }
            return new Level(s.totals(), s.counts(), sums, s.total());
        }

        static Level recordings(Replicates s, int items) {
            int n = s.recordings();
            long[] totals = new long[n];
            long[][] counts = new long[n][items];
            for (int r = 0; r < s.replicates(); r++) {
                int to = s.recordingOf()[r];
                totals[to] += s.totals()[r];
                long[] row = s.counts()[r];
                for (int i = 0; i < items; i++) {
                    counts[to][i] += row[i];
                }
            }
            Level all = blocks(s, items);
            return new Level(totals, counts, all.sums(), all.total());
        }

        /** Units with samples. */
        int units() {
            int u = 0;
            for (long t : totals) {
                u += t > 0 ? 1 : 0;
            }
            return u;
        }

        long sum(int item) {
            return sums[item];
        }

        /** Pearson's chi-square of the item's counts around its share of this side. */
        double pearson(int item) {
            double p = (double) sums[item] / total;
            if (p <= 0 || p >= 1) {
                return 0;
            }
            double x = 0;
            for (int u = 0; u < totals.length; u++) {
                if (totals[u] > 0) {
                    double e = totals[u] * p;
                    double dev = counts[u][item] - e;
                    x += dev * dev / (e * (1 - p));
                }
            }
            return x;
        }
    }

    /** An item's counts in every replicate of both sides, for telling identical hypotheses apart. */
    private static final class Pattern {
        private final Replicates base;
        private final Replicates current;
        private final int item;
        private final int hash;

        Pattern(Replicates base, Replicates current, int item) {
            this.base = base;
            this.current = current;
            this.item = item;
            int x = 1;
            for (long[] row : base.counts()) {
                x = 31 * x + Long.hashCode(row[item]);
            }
            for (long[] row : current.counts()) {
                x = 31 * x + Long.hashCode(row[item]);
            }
            this.hash = x;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Pattern other) || other.hash != hash) {
                return false;
            }
            for (long[] row : base.counts()) {
                if (row[item] != row[other.item]) {
                    return false;
                }
            }
            for (long[] row : current.counts()) {
                if (row[item] != row[other.item]) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * The prior of the dispersions {@code phi} (each with {@code d} degrees of freedom) by the moments of their
     * logarithms (limma's {@code fitFDist}, Smyth 2004, section 6.2): {@code {d0, s0}}. {@code d0} is infinite
     * when the dispersions vary no more than {@code d} degrees of freedom alone would make them, and 0 when there
     * are fewer than 3 to learn from (each item then keeps its own).
     */
    static double[] squeeze(double[] phi, int d) {
        int g = phi.length;
        if (g < 3 || d < 1) {
            return new double[]{0, 1};
        }
        double half = d / 2.0;
        double shift = Digamma.value(half) - Math.log(half);
        double[] e = new double[g];
        double mean = 0;
        for (int i = 0; i < g; i++) {
            // a dispersion of 0 (counts exactly in proportion) has no logarithm: a small one instead, as limma offsets
            e[i] = Math.log(Math.max(phi[i], 1e-3)) - shift;
            mean += e[i];
        }
        mean /= g;
        double var = 0;
        for (double x : e) {
            var += (x - mean) * (x - mean);
        }
        var = var / (g - 1) - Trigamma.value(half);
        if (var <= 0) {
            return new double[]{Double.POSITIVE_INFINITY, Math.exp(mean)};
        }
        double d0 = 2 * trigammaInverse(var);
        double s0 = Math.exp(mean + Digamma.value(d0 / 2) - Math.log(d0 / 2));
        return new double[]{d0, s0};
    }

    private static double median(double[] x) {
        if (x.length == 0) {
            return 1;
        }
        double[] c = x.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }

    /** The x with trigamma(x) = y (y > 0): bisection on the log scale, trigamma decreasing from +inf to 0. */
    static double trigammaInverse(double y) {
        double lo = 1e-9;
        double hi = 1e9;
        for (int i = 0; i < 100; i++) {
            double mid = Math.sqrt(lo * hi);
            if (Trigamma.value(mid) > y) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Math.sqrt(lo * hi);
    }

    /**
     * Benjamini–Hochberg q-values of the p-values, in their order: {@code q(i) = min over j with p(j) >= p(i) of
     * p(j) m / rank(j)}, at most 1 (ties take the same value). NaN p-values are not allowed.
     */
    public static double[] benjaminiHochberg(double[] p) {
        int m = p.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            if (Double.isNaN(p[i])) {
                throw new IllegalArgumentException("p-value " + i + " is NaN");
            }
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(p[x], p[y]));
        double[] q = new double[m];
        double min = 1;
        for (int k = m - 1; k >= 0; k--) {
            int i = order[k];
            min = Math.min(min, p[i] * m / (k + 1));
            q[i] = min;
        }
        return q;
    }

    // ---- time blocks ----------------------------------------------------------------------------

    /**
     * Equal-duration time blocks of a recording: block {@code b} holds the samples from {@code start + b * width}
     * (inclusive) to {@code start + (b + 1) * width}; the last one also those after it.
     */
    public record Blocks(long start, long width, int count) {

        /** The block of a sample time (times before the first block go to it, after the last to the last). */
        public int of(long timeNanos) {
            if (count <= 1 || width <= 0 || timeNanos <= start) {
                return 0;
            }
            long b = (timeNanos - start) / width;
            return (int) Math.min(count - 1, b);
        }
    }

    /**
     * The time blocks of a recording, from its samples' times (nanoseconds, any order) and sample counts
     * ({@code counts[i]} samples at {@code times[i]}; null: one each): as many equal-duration blocks from the first
     * sample to the last as allows {@link #MIN_BLOCK_SAMPLES} samples and {@link #MIN_BLOCK_NANOS} per block on
     * average, at most {@link #MAX_BLOCKS}, and at least 1.
     *
     * <p>Why these numbers: a block must be long against a program's phases for its share of a function to vary
     * as the recording's does, and hold enough samples for the chi-square of the dispersion (5 expected samples of
     * a function with 10% of them); more blocks add little, since blocks only decide the test when there are fewer
     * than 3 recordings per side, and then nothing is claimed. A 6 s recording of ~600 samples at 100 Hz is cut into 8
     * blocks of 0.75 s. On the calibration program (docs/diff-significance.md) the differences between its
     * recordings were what these blocks predict, median ratio 0.92 to 1.02, with both engines, after warm-up or
     * from the JVM's start.
     */
    public static Blocks blocks(long[] times, long[] counts) {
        if (counts != null && counts.length != times.length) {
            throw new IllegalArgumentException(times.length + " times but " + counts.length + " counts");
        }
        if (times.length == 0) {
            return new Blocks(0, 0, 1);
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long samples = 0;
        for (int i = 0; i < times.length; i++) {
            min = Math.min(min, times[i]);
            max = Math.max(max, times[i]);
            samples += counts == null ? 1 : counts[i];
        }
        long span = max - min + 1;
        int count = blockCount(samples, span);
        return new Blocks(min, (span + count - 1) / count, count);
    }

    /**
     * How many blocks {@link #blocks} makes of {@code samples} samples spread over {@code spanNanos} (first sample
     * to last), for a caller that cuts the blocks itself: at most {@link #MAX_BLOCKS}, at least 1.
     */
    public static int blockCount(long samples, long spanNanos) {
        long k = Math.min(MAX_BLOCKS, Math.min(samples / MIN_BLOCK_SAMPLES, spanNanos / MIN_BLOCK_NANOS));
        return (int) Math.max(1, k);
    }

}
