package dev.proflab.report;

import dev.proflab.profile.Profile;

/**
 * A sample-density heatmap, as async-profiler's heatmap and FlameScope draw one: time in columns, each column cut into
 * {@link #ROWS} rows of equal length (a column of a second: rows of 20 ms), each cell the number of samples whose
 * time falls in it. A pure function of the profile model and a {@link Selection} (focus, ignore, thread: the samples
 * every other report of that selection counts; its time range is not used, the {@link Grid} spans the heatmap).
 *
 * <p>The matrix stays bounded: a {@link Grid} has at most the columns it is asked for, a column being the shortest of
 * {@link #STEPS_SECONDS} that fits the span in them (a second for a few minutes, five minutes for a day at 300
 * columns), so the answer's size never grows with the recording's length. Samples are counted as every report counts
 * them: the event's count value (samples, contentions) when it has one, else the samples merged into each.
 */
public final class DensityMap {

    /** Rows of a column (FlameScope's: 50 rows of 20 ms in a second). */
    public static final int ROWS = 50;
    /** The lengths a column may have, shortest first, in seconds. */
    static final long[] STEPS_SECONDS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600,
            43200, 86400};
    private static final long SECOND = 1_000_000_000L;

    private DensityMap() {
    }

    /**
     * The cells: {@code columns} columns of {@code columnNanos} from {@code from}, each of {@code rows} rows of
     * {@link #rowNanos()}. Times are in whatever the caller counts from (nanoseconds since the start of a recording,
     * or since the epoch).
     */
    public record Grid(long from, long columnNanos, int columns, int rows) {

        public Grid {
            if (columnNanos <= 0 || columns <= 0 || rows <= 0 || columnNanos % rows != 0) {
                throw new IllegalArgumentException("a grid of " + columns + " columns of " + columnNanos + " ns, "
                        + rows + " rows");
            }
        }

        /**
         * The grid over {@code [from, to)} with at most {@code maxColumns} columns: the shortest column of
         * {@link #STEPS_SECONDS} that fits (whole days past those), starting at {@code from} rounded down to a whole
         * column when {@code aligned} (times since the epoch: columns then start at round minutes or hours).
         */
        public static Grid of(long from, long to, int maxColumns, boolean aligned) {
            if (maxColumns < 1) {
                throw new IllegalArgumentException("maxColumns < 1");
            }
            long span = Math.max(1, to - from);
            long step = 0;
            for (long s : STEPS_SECONDS) {
                long col = s * SECOND;
                long start = aligned ? Math.floorDiv(from, col) * col : from;
                if (ceilDiv(to - start, col) <= maxColumns) {
                    step = col;
                    break;
                }
            }
            if (step == 0) {
                long days = ceilDiv(ceilDiv(span, maxColumns), 86_400 * SECOND) + 1;
                step = days * 86_400 * SECOND;
            }
            long start = aligned ? Math.floorDiv(from, step) * step : from;
            int columns = (int) Math.max(1, ceilDiv(Math.max(1, to - start), step));
            return new Grid(start, step, columns, ROWS);
        }

        public long rowNanos() {
            return columnNanos / rows;
        }

        /** The end of the last column. */
        public long to() {
            return from + columnNanos * columns;
        }

        /** The cell of time {@code t} ({@code column * rows + row}), or -1 outside the grid. */
        public int cell(long t) {
            if (t < from || t >= to()) {
                return -1;
            }
            long d = t - from;
            int column = (int) (d / columnNanos);
            int row = (int) Math.min(rows - 1, (d % columnNanos) / rowNanos());
            return column * rows + row;
        }
    }

    /**
     * The heatmap: {@code counts[column * rows + row]}.
     *
     * @param total the samples counted (those of the grid's span)
     * @param outside the samples selected that fall outside the grid
     * @param max the largest cell
     */
    public record Result(Grid grid, long[] counts, long total, long outside, long max) {
        public long count(int column, int row) {
            return counts[column * grid.rows() + row];
        }
    }

    /** The samples of {@code p} that {@code s} selects (its time range aside), counted per cell of {@code g}. */
    public static Result compute(Profile p, Selection s, Grid g) {
        Selection whole = s.fromNanos() == 0 && s.toNanos() == Long.MAX_VALUE ? s : s.withTimeRange(0, Long.MAX_VALUE);
        CallIndex x = CallIndex.of(p, whole);
        int ci = CallIndex.countIndex(p);
        long[] counts = new long[g.columns() * g.rows()];
        long total = 0;
        long outside = 0;
        for (int i = 0, n = p.sampleCount(); i < n; i++) {
            if (x.stackValue[p.stackOf(i)] == 0 || !x.threadOk[p.threadOf(i)]) {
                continue;   // as the reports select: focus, ignore, thread; a stack without value
            }
            long c = ci >= 0 ? p.value(i, ci) : p.recordsOf(i);
            int cell = g.cell(p.timeOf(i));
            if (cell < 0) {
                outside += c;
            } else {
                counts[cell] += c;
                total += c;
            }
        }
        long max = 0;
        for (long c : counts) {
            max = Math.max(max, c);
        }
        return new Result(g, counts, total, outside, max);
    }

    /** The samples of {@code p} that {@code s} selects, its time range aside: what one window adds to a heatmap. */
    public static long selectedSamples(Profile p, Selection s) {
        Selection whole = s.fromNanos() == 0 && s.toNanos() == Long.MAX_VALUE ? s : s.withTimeRange(0, Long.MAX_VALUE);
        CallIndex x = CallIndex.of(p, whole);
        int ci = CallIndex.countIndex(p);
        long total = 0;
        for (int i = 0, n = p.sampleCount(); i < n; i++) {
            if (x.stackValue[p.stackOf(i)] != 0 && x.threadOk[p.threadOf(i)]) {
                total += ci >= 0 ? p.value(i, ci) : p.recordsOf(i);
            }
        }
        return total;
    }

    /**
     * Adds {@code count} samples spread evenly over {@code [start, end)} to the cells of {@code g} they overlap (a
     * window whose samples' own times are not known), in whole samples that add up to {@code count}: the part of
     * the span before the grid or after it is counted in {@code outside[0]}.
     */
    public static void spread(Grid g, long[] counts, long start, long end, long count, long[] outside) {
        if (count == 0) {
            return;
        }
        if (end <= start) {
            int cell = g.cell(start);
            if (cell < 0) {
                outside[0] += count;
            } else {
                counts[cell] += count;
            }
            return;
        }
        double span = end - start;
        long given = 0;
        long row = g.rowNanos();
        long a = start;
        while (a < end) {
            long cellStart = a < g.from() ? a : g.from() + Math.floorDiv(a - g.from(), row) * row;
            long b = Math.min(end, a < g.from() ? g.from() : a >= g.to() ? end : cellStart + row);
            long upTo = Math.round(count * ((b - start) / span));
            long here = upTo - given;
            given = upTo;
            int cell = g.cell(a);
            if (cell < 0) {
                outside[0] += here;
            } else {
                counts[cell] += here;
            }
            a = b;
        }
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
