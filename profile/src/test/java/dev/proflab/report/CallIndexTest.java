package dev.proflab.report;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;
import dev.proflab.profile.fixture.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one index's two ways to the same numbers: flat and cum per function from the selected stacks
 * (what top and list read) and from the call tree (what tree, traces, peek, the flame graphs and the
 * diff read) agree on every checked-in recording under every kind of filter.
 */
class CallIndexTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ap-cpu.jfr|",
            "ap-cpu.jfr|hide=Workload.cpu",
            "ap-cpu.jfr|focus=methodB",
            "ap-cpu.jfr|ignore=methodA",
            "jfr-cpu.jfr|hide=^java\\.",
            "ap-alloc.jfr|",
            "ap-lock.jfr|thread=contender",
            "ap-cpu.pb.gz|lines",
            "jfr-timeline.jfr|from=1000000000"})
    void flatAndCumFromStacksAndFromTheTreeAgree(String file, String filter) {
        Profile p = ProfileReader.read(Fixtures.checkedIn(file), ReadOptions.defaults().withAggregate(false));
        Selection s = select(filter);
        CallIndex x = CallIndex.of(p, s);
        CallIndex.FlatCum fc = x.flatCum();
        CallIndex.Tree t = x.tree();
        Map<String, long[]> fromTree = new HashMap<>();
        for (int n = 1; n < t.view.count; n++) {
            if (!t.reached(n)) {
                continue;
            }
            long[] v = fromTree.computeIfAbsent(t.name(n), k -> new long[4]);
            v[0] += t.self[n];
            v[2] += t.counts()[1][n];
            if (!t.view.repeat()[n]) {
                v[1] += t.value[n];
                v[3] += t.counts()[0][n];
            }
        }
        int checked = 0;
        for (int i = 0; i < x.names.count(); i++) {
            long[] v = fromTree.get(x.names.names[i]);
            assertThat(fc.has()[i]).as(x.names.names[i]).isEqualTo(v != null);
            if (v != null) {
                assertThat(new long[] {fc.flat()[i], fc.cum()[i], fc.flatCount()[i], fc.cumCount()[i]})
                        .as(x.names.names[i]).containsExactly(v);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(3);
        assertThat(t.value[0]).isEqualTo(x.selectedTotal());
        assertThat(t.counts()[0][0]).isEqualTo(x.selectedCount());
    }

    private static Selection select(String filter) {
        Selection s = Selection.all();
        if (filter == null) {
            return s;
        }
        String[] kv = filter.split("=", 2);
        return switch (kv[0]) {
            case "hide" -> s.withHide(kv[1]);
            case "focus" -> s.withFocus(kv[1]);
            case "ignore" -> s.withIgnore(kv[1]);
            case "thread" -> s.withThread(kv[1]);
            case "lines" -> s.withLines(true);
            case "from" -> s.withTimeRange(Long.parseLong(kv[1]), Long.MAX_VALUE);
            default -> throw new IllegalArgumentException(filter);
        };
    }

    @ParameterizedTest
    @CsvSource({"ap-cpu.jfr", "jfr-cpu.jfr", "ap-alloc.jfr"})
    void aProfileComparedWithItselfHasNoChange(String file) {
        Profile p = ProfileReader.read(Fixtures.checkedIn(file), ReadOptions.defaults().withAggregate(true));
        CallIndex d = CallIndex.diff(p, p, Selection.all(), Diff.Normalize.TOTAL);
        assertThat(Top.compute(d, 0, false).rows()).isEmpty();
        assertThat(Tree.compute(d, Tree.Options.defaults()).roots()).isEmpty();
        assertThat(d.header().total()).isEqualTo(CallIndex.of(p, Selection.all()).total);
        assertThat(d.header().base()).contains("subtracted");
    }

    @ParameterizedTest
    @CsvSource({"ap-cpu.jfr|jfr-cpu.jfr"})
    void aComparisonsFlatIsTheChangeOfTheDiffReportInTheCurrentsUnits(String pair) {
        String[] f = pair.split("\\|");
        Profile base = ProfileReader.read(Fixtures.checkedIn(f[0]), ReadOptions.defaults().withAggregate(true));
        Profile current = ProfileReader.read(Fixtures.checkedIn(f[1]), ReadOptions.defaults().withAggregate(true));
        Selection s = Selection.all().withHide("^(java|jdk)\\.");
        CallIndex d = CallIndex.diff(base, current, s, Diff.Normalize.TOTAL);
        Top.Result top = Top.compute(d, 0, false);
        Diff.Result r = Diff.compute(base, current, s, Diff.Normalize.TOTAL);
        long selected = CallIndex.of(current, s).selectedTotal();
        Map<String, Diff.Row> rows = new HashMap<>();
        r.rows().forEach(row -> rows.put(row.name(), row));
        List<Top.Row> shown = top.rows();
        assertThat(shown).isNotEmpty();
        for (Top.Row row : shown) {
            Diff.Row dr = rows.get(row.name());
            // the subtraction rounds each of the base's stacks to the current's unit once
            double expected = dr.deltaFlat() * selected;
            // (half a unit per stack at most), and doubles carry ~16 digits
            assertThat((double) row.flat()).as(row.name()).isCloseTo(expected,
                    org.assertj.core.data.Offset.offset(0.5 * base.stackCount() + 1e-9 * Math.abs(expected) + 1));
        }
    }
}
