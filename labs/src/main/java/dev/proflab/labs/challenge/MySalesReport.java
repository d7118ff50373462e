package dev.proflab.labs.challenge;

import java.math.BigDecimal;
import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Your copy of {@link SalesReport}, the final challenge's batch job: <b>edit this one</b>. It starts as an exact
 * copy of the original (only the class name differs), so {@code make challenge-compare} first finds no
 * difference; fix what your profiles show here, and the comparison tells you what each fix is worth.
 *
 * <p>What it does: every night it reads the day's order log (one line per order event, see {@link Challenge})
 * and writes the sales report: per region and hour of the day, the orders paid, the units sold and the
 * revenue. Lines whose product is not in the catalog are counted as unknown, orders not paid as skipped. The
 * log is split into one slice per worker; the workers run on a fixed pool, each adds its slice into its own
 * totals, and the totals are merged and formatted at the end.
 *
 * <p>Keep the report the same, byte for byte: {@code make challenge-compare}, {@code proflab profile
 * challenge-mine} and the benchmark check it first and stop with the first line that differs. To start over:
 * {@code git checkout labs/src/main/java/dev/proflab/labs/challenge/MySalesReport.java}.
 */
public final class MySalesReport implements Challenge.Job {

    /** The catalog's SKUs, as the product service sends them. */
    private final List<String> catalog;
    private final int workers;
    private final ExecutorService pool;

    public MySalesReport(List<String> catalog, int workers) {
        this.catalog = catalog;
        this.workers = workers;
        this.pool = Executors.newFixedThreadPool(workers, Challenge.workerThreads("sales-worker"));
    }

    @Override
    public String report(List<String> lines) throws InterruptedException {
        List<Callable<Totals>> slices = new ArrayList<>();
        int size = (lines.size() + workers - 1) / workers;
        for (int from = 0; from < lines.size(); from += size) {
            List<String> slice = lines.subList(from, Math.min(lines.size(), from + size));
            slices.add(() -> add(slice));
        }
        Totals all = new Totals();
        try {
            for (Future<Totals> part : pool.invokeAll(slices)) {
                all.merge(part.get());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("a worker failed: " + e.getCause(), e.getCause());
        }
        return all.format(lines.size());
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** One worker's part: its slice of the log added into its own totals. */
    private Totals add(List<String> slice) {
        Totals totals = new Totals();
        for (String line : slice) {
            Order order = Order.parse(line);
            if (!catalog.contains(order.sku())) {
                totals.unknown++;
            } else if (!order.status().equals("PAID")) {
                totals.skipped++;
            } else {
                totals.add(order.region(), Timestamps.hourOf(order.ts()), order.qty(), order.cents());
            }
        }
        return totals;
    }

    /** One line of the log. */
    record Order(String ts, String sku, String region, String status, int qty, long cents) {

        /** {@code ts=... order=... sku=... qty=... price=... region=... status=...}, fields in any order. */
        static Order parse(String line) {
            Map<String, String> fields = Arrays.stream(line.split(" "))
                    .map(field -> field.split("=", 2))
                    .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
            return new Order(fields.get("ts"), fields.get("sku"), fields.get("region"), fields.get("status"),
                    Integer.parseInt(fields.get("qty")),
                    new BigDecimal(fields.get("price")).movePointRight(2).longValueExact());
        }
    }

    /** Timestamps of the log: ISO-8601 in UTC, with milliseconds. */
    static final class Timestamps {
        private static final SimpleDateFormat ISO = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSX", Locale.ROOT);

        static {
            ISO.setTimeZone(TimeZone.getTimeZone("UTC"));
        }

        private Timestamps() {
        }

        /** The hour of the day, 0..23, UTC. */
        static int hourOf(String ts) {
            long millis;
            synchronized (ISO) { // SimpleDateFormat is not thread-safe
                try {
                    millis = ISO.parse(ts).getTime();
                } catch (ParseException e) {
                    throw new IllegalArgumentException("bad timestamp '" + ts + "'", e);
                }
            }
            return (int) Math.floorMod(millis / 3_600_000L, 24L);
        }
    }

    /** Per region and hour: orders, units, revenue in cents; and the lines not counted. */
    static final class Totals {
        final Map<String, long[]> byRegion = new TreeMap<>();
        long unknown;
        long skipped;

        void add(String region, int hour, int qty, long cents) {
            long[] t = byRegion.computeIfAbsent(region, r -> new long[24 * 3]);
            t[hour * 3]++;
            t[hour * 3 + 1] += qty;
            t[hour * 3 + 2] += qty * cents;
        }

        void merge(Totals other) {
            other.byRegion.forEach((region, t) -> {
                long[] mine = byRegion.computeIfAbsent(region, r -> new long[24 * 3]);
                for (int i = 0; i < t.length; i++) {
                    mine[i] += t[i];
                }
            });
            unknown += other.unknown;
            skipped += other.skipped;
        }

        String format(int lines) {
            return Challenge.format(byRegion, lines, unknown, skipped);
        }
    }
}
