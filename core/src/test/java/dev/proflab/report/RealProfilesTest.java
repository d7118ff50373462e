package dev.proflab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.proflab.profile.EventInfo;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;
import dev.proflab.profile.fixture.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Profiles {@link dev.proflab.profile.fixture.Workload} for real with both engines (async-profiler
 * and JDK Flight Recorder, in a JVM of its own) and checks that the reports find what the workload
 * is known to do: 2/3 of the CPU in methodA at the line marked HOT-A, 1/3 in methodB; 3/4 of the
 * bytes allocated in allocA; lock contention on the Gate in contend. Proportions within tolerances
 * that sampling on a busy 2-core machine keeps; no timings.
 */
class RealProfilesTest {

    private static final String W = "dev.proflab.profile.fixture.Workload.";

    private static Optional<Top.Row> row(Top.Result r, String name) {
        return r.rows().stream().filter(x -> x.name().equals(name)).findFirst();
    }

    private static long flat(Top.Result r, String name) {
        return row(r, name).map(Top.Row::flat).orElse(0L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ap", "jfr"})
    void cpuTopFindsTwoThirdsInMethodA(String engine) {
        Path f = Fixtures.fresh(engine, "cpu");
        Profile p = ProfileReader.read(f, "cpu");
        assertThat(p.meta().engine()).isEqualTo(engine.equals("ap") ? "async-profiler" : "jfr");
        assertThat(p.valueTypes().get(p.defaultValueIndex()).type()).isEqualTo("cpu");
        Top.Result top = Top.compute(p, Selection.all(), 0, false);

        assertThat(top.rows().get(0).name()).isEqualTo(W + "methodA");
        assertThat(top.rows().get(1).name()).isEqualTo(W + "methodB");
        long a = flat(top, W + "methodA");
        long b = flat(top, W + "methodB");
        assertThat((double) a / (a + b)).as("methodA's share of A+B").isCloseTo(2.0 / 3, within(0.11));
        assertThat(top.rows().get(0).flatPercent()).isCloseTo(66.7, within(12.0));
        assertThat(top.rows().get(1).flatPercent()).isCloseTo(33.3, within(12.0));
        // cum: the caller holds both; the main method everything the workload did
        Top.Row cpu = row(top, W + "cpu").orElseThrow();
        assertThat(cpu.flat()).isLessThan(cpu.cum() / 20);
        assertThat(cpu.cum()).isGreaterThanOrEqualTo(a + b);
        assertThat(cpu.cumPercent()).isGreaterThan(85);
        // sorted by cum, the outer frames come first
        Top.Result byCum = Top.compute(p, Selection.all(), 5, true);
        assertThat(byCum.rows().get(0).cum()).isGreaterThanOrEqualTo(cpu.cum());
        assertThat(byCum.rows()).extracting(Top.Row::name).contains(W + "cpu");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ap", "jfr"})
    void listPutsTheSamplesOnTheHotLine(String engine) {
        Profile p = ProfileReader.read(Fixtures.fresh(engine, "cpu"), "cpu");
        Lines.Result r = Lines.compute(p, Selection.all(), "Workload\\.method[AB]$", List.of(Fixtures.testSources()));
        assertThat(r.functions()).extracting(Lines.Function::name).containsExactly(W + "methodA", W + "methodB");
        for (Lines.Function fn : r.functions()) {
            String marker = fn.name().endsWith("A") ? "HOT-A" : "HOT-B";
            assertThat(fn.source()).isNotNull();
            Lines.Line hottest = fn.lines().stream().max((x, y) -> Long.compare(x.flat(), y.flat())).orElseThrow();
            assertThat(hottest.number()).as(fn.name()).isEqualTo(Fixtures.line(marker));
            assertThat(hottest.text()).contains(marker);
            assertThat((double) hottest.flat() / fn.flat()).isGreaterThan(0.9);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ap", "jfr"})
    void peekShowsTheCaller(String engine) {
        Profile p = ProfileReader.read(Fixtures.fresh(engine, "cpu"), "cpu");
        Peek.Result r = Peek.compute(p, Selection.all(), "Workload\\.methodB$", 0, false);
        assertThat(r.entries()).hasSize(1);
        Peek.Entry e = r.entries().get(0);
        assertThat(e.callers().get(0).name()).isEqualTo(W + "cpu");
        assertThat(e.callers().get(0).percent()).isGreaterThan(95);
        // focus on one method keeps its samples and its callers'; hide removes it from the stacks
        Top.Result focused = Top.compute(p, Selection.all().withFocus("methodB$"), 0, false);
        assertThat(focused.rows().get(0).name()).isEqualTo(W + "methodB");
        assertThat(flat(focused, W + "methodA")).isZero();
        Top.Result hidden = Top.compute(p, Selection.all().withHide("Workload\\.method[AB]$"), 0, false);
        assertThat(hidden.rows().get(0).name()).isEqualTo(W + "cpu");
        assertThat(hidden.rows().get(0).flatPercent()).isGreaterThan(85);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ap", "jfr"})
    void allocationBytesBySite(String engine) {
        Path f = Fixtures.fresh(engine, "alloc");
        Profile bytes = ProfileReader.read(f, "alloc");
        assertThat(bytes.valueTypes().get(bytes.defaultValueIndex()).type()).isEqualTo("alloc_space");
        Top.Result top = Top.compute(bytes, Selection.all(), 0, false);
        long a = flat(top, W + "allocA");
        long b = flat(top, W + "allocB");
        assertThat(a).isPositive();
        assertThat(b).isPositive();
        assertThat(top.rows().get(0).name()).isEqualTo(W + "allocA");
        // async-profiler samples every so many bytes (randomized); JFR weighs whole TLABs to the site
        // that overflowed one: coarser, so a wider tolerance
        assertThat((double) a / b).as("bytes allocA/allocB").isBetween(engine.equals("ap") ? 2.2 : 2.0,
                engine.equals("ap") ? 4.2 : 5.0);

        if (engine.equals("ap")) {
            // as many objects in each: weight / object size
            Profile objects = ProfileReader.read(f, "alloc", "objects");
            assertThat(objects.valueTypes().get(objects.defaultValueIndex()).type()).isEqualTo("alloc_objects");
            Top.Result byCount = Top.compute(objects, Selection.all(), 0, false);
            double ratio = (double) flat(byCount, W + "allocA") / flat(byCount, W + "allocB");
            assertThat(ratio).as("objects allocA/allocB").isBetween(0.6, 1.6);
        } else {
            // JFR's allocation samples weigh bytes; alloc_objects only counts the samples
            Profile objects = ProfileReader.read(f, "alloc", "objects");
            assertThat(objects.total(objects.defaultValueIndex())).isEqualTo(objects.total(0))
                    .isEqualTo(ProfileReader.events(f).get(0).count());
        }

        // which type: the class as the leaf frame
        Profile classes = ProfileReader.read(f, ReadOptions.defaults().withEvent("alloc").withClassFrames(true));
        Top.Result byType = Top.compute(classes, Selection.all().withFocus("Workload\\.alloc[AB]$"), 0, false);
        assertThat(byType.rows().get(0).name()).isEqualTo("byte[]");
        Peek.Result callers = Peek.compute(classes, Selection.all(), "^byte\\[\\]$", 0, false);
        assertThat(callers.entries().get(0).callers()).extracting(Peek.Edge::name)
                .startsWith(W + "allocA", W + "allocB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ap", "jfr"})
    void lockContentionByMonitor(String engine) {
        Path f = Fixtures.fresh(engine, "lock");
        Profile p = ProfileReader.read(f, "lock");
        assertThat(p.valueTypes().get(p.defaultValueIndex()).type()).isEqualTo("delay");
        Top.Result top = Top.compute(p, Selection.all(), 0, false);
        assertThat(top.rows().get(0).name()).isEqualTo(W + "contend");
        assertThat(top.rows().get(0).flatPercent()).isGreaterThan(95);

        Profile monitors = ProfileReader.read(f, ReadOptions.defaults().withEvent("lock").withClassFrames(true));
        Top.Result byMonitor = Top.compute(monitors, Selection.all(), 0, false);
        assertThat(byMonitor.rows().get(0).name()).isEqualTo("dev.proflab.profile.fixture.Workload$Gate");
        assertThat(byMonitor.rows().get(0).flatPercent()).isGreaterThan(95);
        Peek.Result peek = Peek.compute(monitors, Selection.all(), "Workload\\$Gate", 0, false);
        assertThat(peek.entries().get(0).callers().get(0).name()).isEqualTo(W + "contend");

        // both contenders wait; one thread is a part of the whole
        Top.Result one = Top.compute(p, Selection.all().withThread("contender-1"), 0, false);
        long all = top.header().total();
        assertThat(one.rows().get(0).flat()).isPositive().isLessThan(all);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ap", "jfr"})
    void eventsOfEachRecording(String engine) {
        List<String> cpu = ProfileReader.events(Fixtures.fresh(engine, "cpu")).stream().map(EventInfo::name).toList();
        List<String> lock = ProfileReader.events(Fixtures.fresh(engine, "lock")).stream().map(EventInfo::name).toList();
        if (engine.equals("ap")) {
            assertThat(cpu).containsExactly("cpu");
            assertThat(lock).containsExactly("wall", "lock");
        } else {
            assertThat(cpu).containsExactly("cpu", "cpu-time");
            assertThat(lock).containsExactly("lock");
        }
    }

    @org.junit.jupiter.api.Test
    void liveObjectsOfAsyncProfiler() {
        Path f = Fixtures.fresh("ap", "live");
        assertThat(ProfileReader.events(f)).extracting(EventInfo::name).containsExactly("alloc", "live");
        Profile live = ProfileReader.read(f, "live");
        assertThat(live.valueTypes().get(live.defaultValueIndex()).type()).isEqualTo("inuse_space");
        Top.Result top = Top.compute(live, Selection.all(), 0, false);
        assertThat(top.rows().get(0).name()).isEqualTo(W + "liveA");
        long a = flat(top, W + "liveA");
        long b = flat(top, W + "liveB");
        assertThat((double) a / b).as("live bytes liveA/liveB").isBetween(1.5, 6.0);
        // the garbage was allocated (alloc) but is not live
        long garbage = flat(top, W + "allocA") + flat(top, W + "allocB");
        assertThat(garbage).isLessThan((a + b) / 5);
        Top.Result alloc = Top.compute(ProfileReader.read(f, "alloc"), Selection.all(), 0, false);
        assertThat(flat(alloc, W + "allocA") + flat(alloc, W + "allocB")).isGreaterThan(a + b);
    }

    @org.junit.jupiter.api.Test
    void cpuTimeSamplesOfJdk25FindTheSameProportions() {
        Profile p = ProfileReader.read(Fixtures.fresh("jfr", "cpu"), "cpu-time");
        Top.Result top = Top.compute(p, Selection.all(), 0, false);
        long a = flat(top, W + "methodA");
        long b = flat(top, W + "methodB");
        assertThat(top.rows().get(0).name()).isEqualTo(W + "methodA");
        assertThat((double) a / (a + b)).isCloseTo(2.0 / 3, within(0.12));
        // each sample weighs its sampling period: the total is CPU time, close to the run's length
        assertThat(top.header().total()).isBetween(1_000_000_000L, 3_500_000_000L);
    }
}
