package dev.proflab.report;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The heatmap's cells on a real recording (the labs' trace workload, 3 s), and its grid's bounds. */
class DensityMapTest {

    static final Path TRACE = Path.of("src/test/resources/profiles/jfr-timeline.jfr");
    static final long S = 1_000_000_000L;

    static long sum(DensityMap.Result r, long from, long to) {
        long n = 0;
        DensityMap.Grid g = r.grid();
        for (int c = 0; c < g.columns(); c++) {
            for (int row = 0; row < g.rows(); row++) {
                long t = g.from() + c * g.columnNanos() + row * g.rowNanos();
                if (t >= from && t < to) {
                    n += r.count(c, row);
                }
            }
        }
        return n;
    }

    @Test
    void cellsAddUpToTheSamplesOfEachRangeAsTheReportsCountThem() {
        Profile p = ProfileReader.read(TRACE, "cpu");
        DensityMap.Grid g = DensityMap.Grid.of(0, p.meta().duration().toNanos(), 600, false);
        assertThat(g.columnNanos()).isEqualTo(S);
        assertThat(g.rowNanos()).isEqualTo(20_000_000L);
        assertThat(g.columns()).isEqualTo(4);
        DensityMap.Result r = DensityMap.compute(p, Selection.all(), g);
        assertThat(r.total()).isEqualTo(p.sampleCount()).isEqualTo(139);
        assertThat(r.outside()).isZero();
        // each second, and a range that cuts through columns on row boundaries, as Top counts them
        for (long[] range : new long[][] {{0, S}, {S, 2 * S}, {2 * S, 3 * S}, {3 * S, 4 * S}, {S + 240_000_000L, 2 * S + 500_000_000L}}) {
            long top = Top.compute(p, Selection.all().withTimeRange(range[0], range[1]), 0, false).header().samples();
            assertThat(sum(r, range[0], range[1])).as("%d..%d", range[0], range[1]).isEqualTo(top);
        }
        // the load changes over time: the first second holds more than twice the second's
        assertThat(sum(r, 0, S)).isGreaterThan(2 * sum(r, S, 2 * S));
    }

    @Test
    void filtersSelectAsTheReportsDo() {
        Profile p = ProfileReader.read(TRACE, "cpu");
        Selection s = Selection.all().withThread("fib-long-1");
        DensityMap.Result r = DensityMap.compute(p, s, DensityMap.Grid.of(0, 4 * S, 600, false));
        Profile selected = Selected.profile(p, s);
        assertThat(r.total()).isEqualTo(selected.total(p.valueIndex("samples"))).isPositive().isLessThan(p.sampleCount());
        Selection focus = Selection.all().withIgnore("Fib");
        DensityMap.Result ignored = DensityMap.compute(p, focus, DensityMap.Grid.of(0, 4 * S, 600, false));
        assertThat(ignored.total()).isEqualTo(Selected.profile(p, focus).total(p.valueIndex("samples")));
        assertThat(DensityMap.selectedSamples(p, s)).isEqualTo(r.total());
    }

    @Test
    void aDayHasColumnsOfFiveMinutesAndTheMatrixStaysBounded() {
        long day = 86_400 * S;
        long t0 = 1_795_000_000_000L * 1_000_000L;   // an instant in 2026, in nanoseconds since the epoch
        DensityMap.Grid g = DensityMap.Grid.of(t0, t0 + day, 300, true);
        assertThat(g.columnNanos()).isEqualTo(300 * S);
        assertThat(g.columns()).isLessThanOrEqualTo(300);
        assertThat(g.from() % (300 * S)).isZero();
        assertThat(g.to()).isGreaterThanOrEqualTo(t0 + day);
        // a year in 10 columns: whole days each
        DensityMap.Grid year = DensityMap.Grid.of(0, 365 * day, 10, false);
        assertThat(year.columns()).isLessThanOrEqualTo(10);
        assertThat(year.columnNanos() % day).isZero();
    }

    @Test
    void aWindowSpreadOverItsCellsKeepsEverySample() {
        DensityMap.Grid g = DensityMap.Grid.of(0, 10 * S, 10, false);
        long[] counts = new long[g.columns() * g.rows()];
        long[] outside = new long[1];
        DensityMap.spread(g, counts, 2 * S + 7_000_000L, 4 * S + 3_000_000L, 1001, outside);
        DensityMap.spread(g, counts, 9 * S, 12 * S, 300, outside);   // two thirds past the grid
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        assertThat(n + outside[0]).isEqualTo(1301);
        assertThat(outside[0]).isEqualTo(200);
        assertThat(counts[0]).isZero();
    }
}
