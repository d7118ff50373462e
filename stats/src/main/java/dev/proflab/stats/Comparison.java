package dev.proflab.stats;

import dev.proflab.stats.JmhReader.JmhResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;

/**
 * benchstat for JMH: the comparison of JMH result files, one table per metric ({@code sec/op} or
 * {@code ops/s}, then {@code B/op}), one row per benchmark and params, one column per input file (or
 * per value of {@link StatOptions#colParam()}). The first column is the baseline.
 *
 * <p>Each cell pools every measurement iteration of every fork (and of every entry with the same
 * benchmark, mode and params in that file, so a file may hold several rounds). Its center is the
 * median, its interval the distribution-free order-statistic interval of the median
 * ({@link MedianCI}), and every other column is compared with the baseline by a two-sided
 * Mann-Whitney U test ({@link MannWhitney}); a delta is significant when {@code p <= alpha}. Each
 * table ends with the geometric mean of its rows. All values are in base units: seconds per op,
 * ops per second, bytes per op.
 *
 * <p>Build one with {@link #compute(List, StatOptions)}; render it with {@link StatFormat}.
 */
public final class Comparison {

    /**
     * One column of one row.
     *
     * @param column column name
     * @param n number of samples, 0 when the benchmark is missing from this column
     * @param median median, NaN when n is 0
     * @param ciLow lower bound of the median's interval; -Infinity (and ciHigh +Infinity) when the
     *     sample is too small for a finite interval at the confidence asked, shown as {@code ±∞}
     * @param ciHigh upper bound of the median's interval; +Infinity when not finite
     * @param delta comparison with the baseline, null in the baseline column or when either side is
     *     missing
     * @param samples the cell's samples (every iteration of every fork), sorted ascending; empty when
     *     n is 0 (for charts; the accessor returns a copy)
     * @param forkMedians the median of each fork's iterations, in fork order; empty when unknown (the
     *     accessor returns a copy)
     * @param forkEffect the forks disagree more than the interval admits ({@link ForkCheck}): the
     *     interval and the p-value understate the uncertainty
     * @param iterationSeconds the length of one measurement iteration as JMH ran it, NaN when unknown
     *     (single-shot mode, or inputs that disagree)
     */
    public record Cell(String column, int n, double median, double ciLow, double ciHigh, Delta delta,
                       double[] samples, double[] forkMedians, boolean forkEffect, double iterationSeconds) {

        public Cell {
            samples = samples == null ? new double[0] : samples;
            forkMedians = forkMedians == null ? new double[0] : forkMedians;
        }

        /** A cell without its forks. */
        public Cell(String column, int n, double median, double ciLow, double ciHigh, Delta delta,
                    double[] samples) {
            this(column, n, median, ciLow, ciHigh, delta, samples, null, false, Double.NaN);
        }

        /** A cell without its samples. */
        public Cell(String column, int n, double median, double ciLow, double ciHigh, Delta delta) {
            this(column, n, median, ciLow, ciHigh, delta, null);
        }

        /** The samples, sorted ascending (a copy). */
        @Override
        public double[] samples() {
            return samples.clone();
        }

        /** The fork medians (a copy). */
        @Override
        public double[] forkMedians() {
            return forkMedians.clone();
        }

        /** The forks, as the number of fork medians. */
        public int forks() {
            return forkMedians.length;
        }

        /**
         * The interval's half-width relative to the median: the larger distance of a bound from the
         * median over the median, as the table's {@code ± x%} (0.05 for 5%); +Infinity when the
         * interval is not finite, NaN when the median is 0.
         */
        public double relativeHalfWidth() {
            if (!ciFinite()) {
                return Double.POSITIVE_INFINITY;
            }
            if (median == 0) {
                return ciLow == 0 && ciHigh == 0 ? 0 : Double.NaN;
            }
            return Math.max(ciHigh - median, median - ciLow) / Math.abs(median);
        }

        /** True when this column has samples for the row. */
        public boolean present() {
            return n > 0;
        }

        /** True when both interval bounds are finite. */
        public boolean ciFinite() {
            return Double.isFinite(ciLow) && Double.isFinite(ciHigh);
        }
    }

    /**
     * A column compared with the baseline.
     *
     * @param percent change of the median in percent, {@code (median / baseline - 1) * 100}; NaN when
     *     the baseline median is 0 and this one is not
     * @param pValue two-sided Mann-Whitney U p-value
     * @param significant {@code pValue <= alpha}
     * @param baseN number of samples in the baseline
     */
    public record Delta(double percent, double pValue, boolean significant, int baseN) {
    }

    /**
     * One benchmark with one set of params in one metric.
     *
     * @param benchmark full JMH benchmark name, e.g. {@code dev.proflab.bench.FibBench.fib}
     * @param name display name: common package prefix stripped, params appended benchstat-style,
     *     e.g. {@code FibBench.fib/n=32}; the mode is appended ({@code /mode=sample}) only when the
     *     same benchmark appears in several modes of one metric
     * @param mode JMH mode: thrpt, avgt, sample or ss
     * @param params JMH params, without the column param
     * @param metric base unit of the values: {@code sec/op}, {@code ops/s} or {@code B/op}
     * @param unit unit JMH reported for this row (first one seen), e.g. {@code ns/op}
     * @param cells one per column, in column order
     */
    public record Row(
            String benchmark,
            String name,
            String mode,
            Map<String, String> params,
            String metric,
            String unit,
            List<Cell> cells) {

        public Cell cell(int column) {
            return cells.get(column);
        }
    }

    /**
     * Geometric mean of a table's rows, as benchstat's summary row.
     *
     * <p>Rows with a median &lt;= 0 in any column are left out of every column (a geometric mean
     * needs positive values; leaving a row out of one column only would make columns incomparable).
     *
     * @param values geomean of each column's medians, NaN when no row qualifies
     * @param ratioPercent per column, the geomean of the ratios to the baseline as a percent change;
     *     NaN for the baseline and when there is no ratio
     * @param counts per column, the number of medians in its geomean
     * @param skipped rows left out because of values &lt;= 0
     */
    public record Geomean(List<Double> values, List<Double> ratioPercent, List<Integer> counts, int skipped) {
    }

    /**
     * The rows of one metric and their geomean.
     *
     * @param metric {@code sec/op}, {@code ops/s} or {@code B/op}
     * @param rows rows in order of first appearance
     * @param geomean summary row, null when the table has fewer than two rows (as benchstat)
     */
    public record Table(String metric, List<Row> rows, Geomean geomean) {
    }

    /**
     * Something the reader of the table should know. Identical messages for several cells are merged
     * into one warning listing its subjects.
     *
     * @param kind what kind of problem
     * @param message one line, without the subjects
     * @param subjects the cells concerned, e.g. {@code FibBench.fib/n=32 [sec/op, new.json]}; empty
     *     when the warning is about the whole comparison
     */
    public record Warning(Kind kind, String message, List<String> subjects) {

        /** Kinds of warnings. */
        public enum Kind {
            /** Forks of one benchmark disagree more than the interval admits (see ForkCheck). */
            FORK_EFFECT,
            /** Too few samples for a finite confidence interval (shown as ±∞). */
            NO_CI,
            /** Too few samples for the test to ever reach significance at alpha. */
            LOW_POWER,
            /** A benchmark is missing from some columns. */
            MISSING,
            /** The geomean row leaves out rows or compares different benchmark sets. */
            GEOMEAN,
            /** Results without the column param are left out. */
            NO_PARAM
        }

        /** The warning as one line: message, then up to five subjects. */
        @Override
        public String toString() {
            if (subjects.isEmpty()) {
                return message;
            }
            StringBuilder sb = new StringBuilder(message).append(": ");
            int shown = Math.min(5, subjects.size());
            sb.append(String.join(", ", subjects.subList(0, shown)));
            if (subjects.size() > shown) {
                sb.append(" and ").append(subjects.size() - shown).append(" more");
            }
            return sb.toString();
        }
    }

    private final StatOptions options;
    private final List<String> columns;
    private final List<Table> tables;
    private final List<Row> rows;
    private final List<Warning> warnings;

    private Comparison(StatOptions options, List<String> columns, List<Table> tables, List<Warning> warnings) {
        this.options = options;
        this.columns = List.copyOf(columns);
        this.tables = List.copyOf(tables);
        List<Row> all = new ArrayList<>();
        for (Table t : tables) {
            all.addAll(t.rows());
        }
        this.rows = Collections.unmodifiableList(all);
        this.warnings = List.copyOf(warnings);
    }

    /** The options this comparison was computed with. */
    public StatOptions options() {
        return options;
    }

    /** Column names; the first is the baseline. */
    public List<String> columns() {
        return columns;
    }

    /** One table per metric: primary metrics in order of appearance, then B/op. */
    public List<Table> tables() {
        return tables;
    }

    /** Every row of every table, in table order. */
    public List<Row> rows() {
        return rows;
    }

    /** Warnings, to be shown with the table. */
    public List<Warning> warnings() {
        return warnings;
    }

    /** Compares the inputs with default options (alpha 0.05, 95% intervals). */
    public static Comparison compute(List<StatInput> inputs) {
        return compute(inputs, StatOptions.defaults());
    }

    /**
     * Reads the inputs and computes the comparison.
     *
     * @throws StatException when a file cannot be read or is not JMH JSON output, or the column
     *     param does not occur
     */
    public static Comparison compute(List<StatInput> inputs, StatOptions options) {
        Objects.requireNonNull(options, "options");
        if (inputs == null || inputs.isEmpty()) {
            throw new StatException("no input files to compare");
        }
        return compute(inputs, readAll(inputs), options);
    }

    /** Reads the files, in parallel when there are several (parsing dominates the run time). */
    private static List<List<JmhResult>> readAll(List<StatInput> inputs) {
        if (inputs.size() == 1) {
            return List.of(JmhReader.read(inputs.get(0).file()));
        }
        List<CompletableFuture<List<JmhResult>>> futures = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(
                Math.min(inputs.size(), Runtime.getRuntime().availableProcessors()), r -> {
                    Thread t = new Thread(r, "jmh-json-reader");
                    t.setDaemon(true);
                    return t;
                })) {
            for (StatInput in : inputs) {
                futures.add(CompletableFuture.supplyAsync(() -> JmhReader.read(in.file()), pool));
            }
        }
        List<List<JmhResult>> read = new ArrayList<>(inputs.size());
        for (var f : futures) {
            try {
                read.add(f.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw e;
            }
        }
        return read;
    }

    // ---------------------------------------------------------------------------------------------

    /** Identity of a row: metric, benchmark, mode and params (sorted, column param removed). */
    private record RowKey(String metric, String benchmark, String mode, List<String> params) {
    }

    /** Samples of a row, per column, as forks. */
    private static final class RowAcc {
        final RowKey key;
        final Map<String, String> params;
        final String unit;
        final List<List<double[]>> forks;
        final Map<Integer, Double> iterationSeconds = new HashMap<>();

        RowAcc(RowKey key, Map<String, String> params, String unit, int columns) {
            this.key = key;
            this.params = params;
            this.unit = unit;
            this.forks = new ArrayList<>(columns);
        }

        /** Records the iteration length of a column; results of one column that disagree leave NaN. */
        void iterationSeconds(int c, double seconds) {
            iterationSeconds.merge(c, seconds, (a, b) -> a.equals(b) ? a : Double.NaN);
        }

        List<double[]> column(int c) {
            while (forks.size() <= c) {
                forks.add(new ArrayList<>());
            }
            return forks.get(c);
        }
    }

    /** Collects warnings, merging identical messages. */
    private static final class Warnings {
        private final Map<String, Warning.Kind> kinds = new LinkedHashMap<>();
        private final Map<String, List<String>> subjects = new HashMap<>();

        void add(Warning.Kind kind, String message, String subject) {
            kinds.putIfAbsent(message, kind);
            List<String> s = subjects.computeIfAbsent(message, m -> new ArrayList<>());
            if (subject != null) {
                s.add(subject);
            }
        }

        List<Warning> list() {
            List<Warning> out = new ArrayList<>();
            // Most useful first: fork effects, then sample-size problems, then the rest.
            for (Warning.Kind kind : Warning.Kind.values()) {
                for (Map.Entry<String, Warning.Kind> e : kinds.entrySet()) {
                    if (e.getValue() == kind) {
                        out.add(new Warning(kind, e.getKey(), List.copyOf(subjects.get(e.getKey()))));
                    }
                }
            }
            return out;
        }
    }

    static Comparison compute(List<StatInput> inputs, List<List<JmhResult>> read, StatOptions options) {
        String colParam = options.colParam();
        Warnings warnings = new Warnings();

        // Columns.
        List<String> columns = new ArrayList<>();
        Map<String, Integer> columnOf = new HashMap<>(); // "input\0value" -> column
        if (colParam == null) {
            for (StatInput in : inputs) {
                columns.add(in.name());
            }
        } else {
            columns.addAll(paramColumns(inputs, read, options, columnOf));
        }

        // Rows, pooled per column.
        Map<RowKey, RowAcc> rowMap = new LinkedHashMap<>();
        int missingParam = 0;
        for (int i = 0; i < read.size(); i++) {
            for (JmhResult r : read.get(i)) {
                int col;
                Map<String, String> params = r.params();
                if (colParam == null) {
                    col = i;
                } else {
                    String v = params.get(colParam);
                    if (v == null) {
                        missingParam++;
                        continue;
                    }
                    col = columnOf.get(i + "\0" + v);
                    params = new LinkedHashMap<>(params);
                    params.remove(colParam);
                    params = Collections.unmodifiableMap(params);
                }
                List<String> sortedParams = new ArrayList<>();
                for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
                    sortedParams.add(e.getKey() + "=" + e.getValue());
                }
                add(rowMap, new RowKey(r.metric(), r.benchmark(), r.mode(), sortedParams), params, r.unit(),
                        col, columns.size(), r.forks(), r.iterationSeconds());
                if (r.allocForks() != null) {
                    add(rowMap, new RowKey(Units.BYTES_PER_OP, r.benchmark(), r.mode(), sortedParams), params,
                            Units.BYTES_PER_OP, col, columns.size(), r.allocForks(), r.iterationSeconds());
                }
            }
        }
        if (missingParam > 0) {
            warnings.add(Warning.Kind.NO_PARAM, missingParam + " result(s) without param '" + colParam
                    + "' are not shown", null);
        }

        // Tables: primary metrics in order of appearance, B/op last.
        Map<String, List<RowAcc>> byMetric = new LinkedHashMap<>();
        for (RowAcc acc : rowMap.values()) {
            if (!acc.key.metric().equals(Units.BYTES_PER_OP)) {
                byMetric.computeIfAbsent(acc.key.metric(), m -> new ArrayList<>()).add(acc);
            }
        }
        for (RowAcc acc : rowMap.values()) {
            if (acc.key.metric().equals(Units.BYTES_PER_OP)) {
                byMetric.computeIfAbsent(acc.key.metric(), m -> new ArrayList<>()).add(acc);
            }
        }

        String prefix = commonPackagePrefix(rowMap.keySet());
        List<Table> tables = new ArrayList<>();
        for (Map.Entry<String, List<RowAcc>> e : byMetric.entrySet()) {
            tables.add(table(e.getKey(), e.getValue(), prefix, columns, options, warnings));
        }
        return new Comparison(options, columns, tables, warnings.list());
    }

    private static void add(Map<RowKey, RowAcc> rowMap, RowKey key, Map<String, String> params, String unit,
            int col, int columns, List<double[]> forks, double iterationSeconds) {
        RowAcc acc = rowMap.computeIfAbsent(key, k -> new RowAcc(k, params, unit, columns));
        acc.column(col).addAll(forks);
        acc.iterationSeconds(col, iterationSeconds);
    }

    private static List<String> paramColumns(List<StatInput> inputs, List<List<JmhResult>> read,
            StatOptions options, Map<String, Integer> columnOf) {
        String colParam = options.colParam();
        // Values in order of first appearance, per input.
        List<LinkedHashSet<String>> values = new ArrayList<>();
        LinkedHashSet<String> all = new LinkedHashSet<>();
        Set<String> knownParams = new TreeSet<>();
        for (List<JmhResult> results : read) {
            LinkedHashSet<String> vs = new LinkedHashSet<>();
            for (JmhResult r : results) {
                knownParams.addAll(r.params().keySet());
                String v = r.params().get(colParam);
                if (v != null) {
                    vs.add(v);
                }
            }
            values.add(vs);
            all.addAll(vs);
        }
        if (all.isEmpty()) {
            String names = inputs.stream().map(StatInput::name).reduce((a, b) -> a + ", " + b).orElse("");
            throw new StatException("no benchmark in " + names + " has param '" + colParam + "'"
                    + (knownParams.isEmpty() ? " (they have no params)" : "; params are: "
                            + String.join(", ", knownParams)));
        }
        List<String> order = new ArrayList<>();
        for (String v : options.colOrder()) {
            if (!all.contains(v)) {
                throw new StatException("column order names " + colParam + "=" + v + ", which no benchmark has;"
                        + " values are: " + String.join(", ", all));
            }
            if (!order.contains(v)) {
                order.add(v);
            }
        }
        for (String v : all) {
            if (!order.contains(v)) {
                order.add(v);
            }
        }
        List<String> names = new ArrayList<>();
        boolean several = inputs.size() > 1;
        for (int i = 0; i < inputs.size(); i++) {
            for (String v : order) {
                if (values.get(i).contains(v)) {
                    columnOf.put(i + "\0" + v, names.size());
                    names.add(several ? inputs.get(i).name() + ":" + v : v);
                }
            }
        }
        return names;
    }

    /** The package (dot-separated segments before Class.method) shared by every benchmark. */
    static String commonPackagePrefix(Iterable<RowKey> keys) {
        String[] common = null;
        int len = 0;
        for (RowKey k : keys) {
            String[] seg = k.benchmark().split("\\.");
            int pkg = Math.max(0, seg.length - 2);
            if (common == null) {
                common = seg;
                len = pkg;
            } else {
                int i = 0;
                while (i < len && i < pkg && common[i].equals(seg[i])) {
                    i++;
                }
                len = i;
            }
        }
        if (common == null || len == 0) {
            return "";
        }
        return String.join(".", Arrays.copyOf(common, len)) + ".";
    }

    private static Table table(String metric, List<RowAcc> accs, String prefix, List<String> columns,
            StatOptions options, Warnings warnings) {
        // Benchmarks (with params) that appear in several modes get the mode in their name.
        Map<String, Set<String>> modes = new HashMap<>();
        for (RowAcc acc : accs) {
            modes.computeIfAbsent(acc.key.benchmark() + "\0" + acc.key.params(), k -> new LinkedHashSet<>())
                    .add(acc.key.mode());
        }
        List<Row> rows = new ArrayList<>(accs.size());
        for (RowAcc acc : accs) {
            boolean showMode = modes.get(acc.key.benchmark() + "\0" + acc.key.params()).size() > 1;
            String name = displayName(acc.key.benchmark(), prefix, acc.params, showMode ? acc.key.mode() : null);
            rows.add(row(acc, name, metric, columns, options, warnings));
        }
        Geomean geomean = rows.size() > 1 ? geomean(metric, rows, columns, warnings) : null;
        return new Table(metric, Collections.unmodifiableList(rows), geomean);
    }

    static String displayName(String benchmark, String prefix, Map<String, String> params, String mode) {
        StringBuilder sb = new StringBuilder(
                !prefix.isEmpty() && benchmark.startsWith(prefix) ? benchmark.substring(prefix.length()) : benchmark);
        if (mode != null && !mode.isEmpty()) {
            sb.append("/mode=").append(mode);
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            sb.append('/').append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }

    private static Row row(RowAcc acc, String name, String metric, List<String> columns, StatOptions options,
            Warnings warnings) {
        int nc = columns.size();
        double[][] sorted = new double[nc][];
        List<Cell> cells = new ArrayList<>(nc);
        for (int c = 0; c < nc; c++) {
            List<double[]> forks = c < acc.forks.size() ? acc.forks.get(c) : List.of();
            int n = 0;
            for (double[] f : forks) {
                n += f.length;
            }
            if (n == 0) {
                sorted[c] = null;
                cells.add(new Cell(columns.get(c), 0, Double.NaN, Double.NaN, Double.NaN, null));
                continue;
            }
            double[] s = new double[n];
            int k = 0;
            for (double[] f : forks) {
                System.arraycopy(f, 0, s, k, f.length);
                k += f.length;
            }
            Arrays.sort(s);
            sorted[c] = s;
            double median = MedianCI.median(s);
            MedianCI ci = MedianCI.of(n, options.confidence());
            double lo = ci.finite() ? ci.lower(s) : Double.NEGATIVE_INFINITY;
            double hi = ci.finite() ? ci.upper(s) : Double.POSITIVE_INFINITY;
            if (!ci.finite()) {
                int need = MedianCI.samplesNeeded(options.confidence());
                warnings.add(Warning.Kind.NO_CI, "too few samples for a finite " + percent(options.confidence())
                        + " confidence interval (shown as ±∞): need " + (need < 0 ? "> 50" : ">= " + need)
                        + " per cell, have " + n, subject(name, metric, columns.get(c)));
            }
            ForkCheck.Result fork = ForkCheck.check(forks, s, median, lo, hi,
                    metric.equals(Units.BYTES_PER_OP) ? 1 : 0);
            if (fork != null && fork.flagged()) {
                warnings.add(Warning.Kind.FORK_EFFECT, String.format(Locale.ROOT,
                        "forks disagree: their medians spread %s of the median but the %s interval is only ±%s"
                                + " (Kruskal-Wallis p=%s over %d forks); iterations of one fork are not"
                                + " independent, so ± and p understate the uncertainty: run more forks",
                        pct(fork.spread() / Math.abs(median)), percent(options.confidence()),
                        pct(fork.halfWidth() / Math.abs(median)), pFormat(fork.pValue()), fork.forks()),
                        subject(name, metric, columns.get(c)));
            }
            double[] forkMedians = new double[forks.size()];
            for (int f = 0; f < forks.size(); f++) {
                double[] fs = forks.get(f).clone();
                Arrays.sort(fs);
                forkMedians[f] = MedianCI.median(fs);
            }
            cells.add(new Cell(columns.get(c), n, median, lo, hi, null, s, forkMedians,
                    fork != null && fork.flagged(), acc.iterationSeconds.getOrDefault(c, Double.NaN)));
        }
        // Comparisons with the baseline.
        double[] base = sorted[0];
        for (int c = 1; c < nc; c++) {
            double[] s = sorted[c];
            if (s == null || base == null) {
                if (s == null && base != null) {
                    warnings.add(Warning.Kind.MISSING, "missing from " + columns.get(c) + ", present in the baseline "
                            + columns.get(0), name + " [" + metric + "]");
                } else if (s != null) {
                    warnings.add(Warning.Kind.MISSING, "missing from the baseline " + columns.get(0)
                            + ", so not compared", subject(name, metric, columns.get(c)));
                }
                continue;
            }
            double p = MannWhitney.pValue(base, s);
            double minP = MannWhitney.minPValue(base.length, s.length);
            if (minP > options.alpha()) {
                int need = MannWhitney.samplesFor(options.alpha());
                warnings.add(Warning.Kind.LOW_POWER, String.format(Locale.ROOT,
                        "n=%d+%d samples can never give p <= %s (smallest possible p is %.3f): need >= %d samples"
                                + " in each column to detect a difference",
                        base.length, s.length, trim(options.alpha()), minP, need),
                        subject(name, metric, columns.get(c)));
            }
            Cell baseCell = cells.get(0);
            Cell cell = cells.get(c);
            double pct;
            if (cell.median() == baseCell.median()) {
                pct = 0;
            } else if (baseCell.median() == 0) {
                pct = Double.NaN;
            } else {
                pct = (cell.median() / baseCell.median() - 1) * 100;
            }
            cells.set(c, new Cell(cell.column(), cell.n(), cell.median(), cell.ciLow(), cell.ciHigh(),
                    new Delta(pct, p, p <= options.alpha(), base.length), s, cell.forkMedians(), cell.forkEffect(),
                    cell.iterationSeconds()));
        }
        return new Row(acc.key.benchmark(), name, acc.key.mode(), acc.params, metric, acc.unit,
                Collections.unmodifiableList(cells));
    }

    private static String subject(String name, String metric, String column) {
        return name + " [" + metric + ", " + column + "]";
    }

    private static Geomean geomean(String metric, List<Row> rows, List<String> columns, Warnings warnings) {
        int nc = columns.size();
        double[] logSum = new double[nc];
        int[] count = new int[nc];
        double[] ratioLogSum = new double[nc];
        int[] ratios = new int[nc];
        int skipped = 0;
        int nBase = 0;
        for (Row row : rows) {
            boolean positive = true;
            for (Cell cell : row.cells()) {
                if (cell.present() && !(cell.median() > 0)) {
                    positive = false;
                }
            }
            if (!positive) {
                skipped++;
                continue;
            }
            Cell base = row.cell(0);
            if (base.present()) {
                nBase++;
            }
            for (int c = 0; c < nc; c++) {
                Cell cell = row.cell(c);
                if (!cell.present()) {
                    continue;
                }
                logSum[c] += Math.log(cell.median());
                count[c]++;
                if (c > 0 && base.present()) {
                    ratioLogSum[c] += Math.log(cell.median() / base.median());
                    ratios[c]++;
                }
            }
        }
        List<Double> values = new ArrayList<>(nc);
        List<Double> ratioPercent = new ArrayList<>(nc);
        List<Integer> counts = new ArrayList<>(nc);
        for (int c = 0; c < nc; c++) {
            counts.add(count[c]);
            values.add(count[c] == 0 ? Double.NaN : Math.exp(logSum[c] / count[c]));
            ratioPercent.add(c == 0 || ratios[c] == 0 ? Double.NaN : (Math.exp(ratioLogSum[c] / ratios[c]) - 1) * 100);
            if (c > 0 && ratios[c] != nBase) {
                warnings.add(Warning.Kind.GEOMEAN, "benchmark set differs from baseline; geomeans may not be"
                        + " comparable", metric + ", " + columns.get(c));
            }
        }
        if (skipped > 0) {
            warnings.add(Warning.Kind.GEOMEAN, String.format(Locale.ROOT,
                    "geomean leaves out %d of %d rows with a median <= 0", skipped, rows.size()), metric);
        }
        return new Geomean(Collections.unmodifiableList(values), Collections.unmodifiableList(ratioPercent),
                Collections.unmodifiableList(counts), skipped);
    }

    private static String percent(double confidence) {
        return trim(confidence * 100) + "%";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String pct(double fraction) {
        double v = fraction * 100;
        return (v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v)) + "%";
    }

    private static String pFormat(double p) {
        return p < 0.0001 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f", p);
    }
}
