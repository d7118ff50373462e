package dev.proflab.labs.challenge;

import dev.proflab.labs.challenge.solution.SalesReportSolution;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The final challenge: a nightly batch job that is slower than it should be, and a profiler. The guide does
 * not say why; that is the exercise.
 *
 * <p>{@link SalesReport} turns a day's order log into a sales report on a pool of 4 worker threads. One line
 * of the log:
 * <pre>
 *   ts=2026-11-26T08:24:02.048Z order=107000 customer=C0387 sku=SKU-10803 qty=4 price=8.58 region=eu-central status=PAID
 * </pre>
 * and the report: per region and hour (UTC), the orders paid, the units and the revenue, then a total line.
 * The job has three problems, each one a habit that real code has: one that costs CPU, one that allocates,
 * one that makes the workers wait for each other.
 *
 * <ol>
 *   <li>Profile the original: {@code make challenge} records CPU, allocation and lock events of it into
 *       {@code tmp/challenge-before.jfr} and says how to look at them ({@code proflab top}, {@code proflab
 *       view}; a wall-clock profile, {@code -e wall}, shows the waits too).</li>
 *   <li>Name the three causes, each with its evidence: the frames, the share, the line.</li>
 *   <li>Fix them in {@link MySalesReport}, a copy of the original made for you to edit; the original stays as
 *       it is. The report must stay the same, byte for byte: every run of your copy checks it first.</li>
 *   <li>Prove the fix: {@code make challenge-compare} benchmarks the original against your copy and gives
 *       the verdict, then records your copy and serves the difference of the two CPU profiles.</li>
 * </ol>
 *
 * <p>How to run it:
 * <pre>
 *   make challenge                         # profile the original: cpu, alloc, lock into tmp/challenge-before.jfr
 *   make challenge-compare                 # your MySalesReport against the original: statistics, verdict, diff
 *   ./proflab profile challenge-mine -e cpu,alloc,lock    # your copy, profiled the same way
 *   ./proflab compare challenge            # the benchmark alone (ChallengeBench, impl = before vs mine)
 * </pre>
 *
 * <p>The answers, with the profiles that show them and a reference fix ({@link SalesReportSolution}), are
 * in {@code docs/challenge-answers.md}: read them after you have tried.
 */
public final class Challenge {

    /** The variants: the original, your copy, the reference fix. */
    public static final List<String> VARIANTS = List.of("before", "mine", "solution");

    /** Worker threads of the job: more than this machine's 2 cores, as the pool is sized in production. */
    public static final int DEFAULT_WORKERS = 4;

    /** Lines of one day's log: one call of {@link Job#report(List)}. */
    public static final int DEFAULT_LINES = 20_000;

    /** Products in the catalog. */
    public static final int CATALOG_SIZE = 3_000;

    /** The seed of the log that the workloads and the benchmark process. */
    public static final long SEED = 20261126L;

    /**
     * SHA-256 of the original's report of the default log ({@link #SEED}, {@link #DEFAULT_LINES} lines): a run of a
     * variant is checked against it without running the original in the same JVM, where it would show in the
     * variant's profile. ChallengeTest keeps it true.
     */
    public static final String DEFAULT_REPORT_SHA256 = "8e8000bbb90113a81d2892b3bf9fa2c1716dac3add6940344f55d7f083315eaa";

    private static final String[] REGIONS = {"eu-west", "eu-central", "us-east", "us-west", "ap-south", "ap-northeast"};
    private static final long DAY_START = 1_795_651_200_000L; // 2026-11-26T00:00:00Z
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Challenge() {
    }

    /** One implementation of the job. */
    public interface Job extends AutoCloseable {

        /** The report of these lines of the log. */
        String report(List<String> lines) throws InterruptedException;

        /** Stops the job's worker threads. */
        @Override
        void close();
    }

    /** A new job of the named variant (before, mine or solution) with its own pool of {@code workers} threads. */
    public static Job create(String variant, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, was " + workers);
        }
        List<String> catalog = catalog();
        return switch (variant) {
            case "before" -> new SalesReport(catalog, workers);
            case "mine" -> new MySalesReport(catalog, workers);
            case "solution" -> new SalesReportSolution(catalog, workers);
            default -> throw new IllegalArgumentException("variant must be one of " + VARIANTS + ", was '" + variant + "'");
        };
    }

    /**
     * Checks that a variant writes the same report as the original for a log of {@code lines} lines.
     *
     * @return empty when it does; else one line that says where the reports differ
     */
    public static String check(String variant, int workers, int lines) throws InterruptedException {
        List<String> log = log(lines, SEED + 1);
        String expected;
        String actual;
        try (Job original = create("before", workers); Job job = create(variant, workers)) {
            expected = original.report(log);
            actual = job.report(log);
        }
        return difference(variant, expected, actual);
    }

    /** Empty when {@code actual} is {@code expected}; else one line that says where the variant's report differs. */
    public static String difference(String variant, String expected, String actual) {
        if (expected.equals(actual)) {
            return "";
        }
        List<String> e = expected.lines().toList();
        List<String> a = actual.lines().toList();
        for (int i = 0; i < Math.max(e.size(), a.size()); i++) {
            String want = i < e.size() ? e.get(i) : "(no line)";
            String got = i < a.size() ? a.get(i) : "(no line)";
            if (!want.equals(got)) {
                return variant + "'s report differs from the original's at line " + (i + 1) + ": expected '"
                        + want.strip() + "', got '" + got.strip() + "'";
            }
        }
        return variant + "'s report differs from the original's in its line endings";
    }

    /** The SHA-256 of a report's UTF-8 bytes, in hex. */
    public static String sha256(String report) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(report.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The catalog's SKUs, SKU-10000 to SKU-12999, in the (shuffled) order the product service sends them. */
    public static List<String> catalog() {
        List<String> skus = new ArrayList<>(CATALOG_SIZE);
        for (int i = 0; i < CATALOG_SIZE; i++) {
            skus.add("SKU-" + (10_000 + i));
        }
        Collections.shuffle(skus, new Random(SEED));
        return skus;
    }

    /**
     * A day's order log of {@code lines} lines, the same for the same seed: about 90% of the orders paid, 2% with
     * a product that is not (or no longer) in the catalog, six regions, timestamps spread over the day.
     */
    public static List<String> log(int lines, long seed) {
        Random random = new Random(seed);
        List<String> log = new ArrayList<>(lines);
        long step = Math.max(1, 86_400_000L / Math.max(1, lines));
        StringBuilder sb = new StringBuilder(128);
        for (int i = 0; i < lines; i++) {
            long ts = DAY_START + i * step + random.nextLong(step);
            int sku = random.nextInt(50) == 0 ? 90_000 + random.nextInt(10_000) : 10_000 + random.nextInt(CATALOG_SIZE);
            int cents = 199 + random.nextInt(19_800);
            int status = random.nextInt(100);
            sb.setLength(0);
            sb.append("ts=").append(TS.format(java.time.Instant.ofEpochMilli(ts)))
                    .append(" order=").append(100_000 + i)
                    .append(" customer=C").append(String.format(Locale.ROOT, "%04d", random.nextInt(10_000)))
                    .append(" sku=SKU-").append(sku)
                    .append(" qty=").append(1 + random.nextInt(5))
                    .append(" price=").append(cents / 100).append('.').append(cents % 100 < 10 ? "0" : "").append(cents % 100)
                    .append(" region=").append(REGIONS[random.nextInt(REGIONS.length)])
                    .append(" status=").append(status < 90 ? "PAID" : status < 96 ? "REFUNDED" : "CANCELLED");
            log.add(sb.toString());
        }
        return List.copyOf(log);
    }

    /**
     * The report, the same for every variant: {@code byRegion} maps a region to 24 x (orders, units, cents),
     * hour by hour.
     */
    public static String format(Map<String, long[]> byRegion, int lines, long unknown, long skipped) {
        StringBuilder sb = new StringBuilder();
        long orders = 0;
        long units = 0;
        long cents = 0;
        for (long[] t : byRegion.values()) {
            for (int h = 0; h < 24; h++) {
                orders += t[h * 3];
                units += t[h * 3 + 1];
                cents += t[h * 3 + 2];
            }
        }
        sb.append(String.format(Locale.ROOT, "sales report: %d lines, %d orders paid, %d unknown products, %d not paid%n",
                lines, orders, unknown, skipped));
        sb.append(String.format(Locale.ROOT, "%-14s %4s %8s %8s %14s%n", "region", "hour", "orders", "units", "revenue"));
        for (Map.Entry<String, long[]> e : new java.util.TreeMap<>(byRegion).entrySet()) {
            long[] t = e.getValue();
            for (int h = 0; h < 24; h++) {
                if (t[h * 3] > 0) {
                    sb.append(String.format(Locale.ROOT, "%-14s %4d %8d %8d %14s%n", e.getKey(), h, t[h * 3], t[h * 3 + 1],
                            money(t[h * 3 + 2])));
                }
            }
        }
        sb.append(String.format(Locale.ROOT, "%-14s %4s %8d %8d %14s%n", "total", "", orders, units, money(cents)));
        return sb.toString();
    }

    private static String money(long cents) {
        return (cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + (cents % 100);
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, ...: a job left open never keeps the JVM alive. */
    public static ThreadFactory workerThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
