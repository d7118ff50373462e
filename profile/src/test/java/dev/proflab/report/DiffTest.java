package dev.proflab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Operations;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The differential report's arithmetic on small profiles with known numbers: shares, per-second
 * values, the z-test both ways, each warning, filters on both sides, functions on one side only.
 */
class DiffTest {

    static final double EPS = 1e-12;
    static final long MS = 1_000_000;

    /** A cpu-like profile: {@code samples/count, cpu/nanoseconds}; each stack "leaf;caller;...;root" with its sample count. */
    static Profile profile(String engine, String event, long interval, Duration duration, String file,
                           Map<String, Integer> stacks) {
        return profile(engine, event, interval, duration, file, new ValueType("cpu", "nanoseconds"), stacks);
    }

    static Profile profile(String engine, String event, long interval, Duration duration, String file,
                           ValueType value, Map<String, Integer> stacks) {
        Profile.Builder b = new Profile.Builder(new Profile.Meta(engine, event, interval, null, duration, "", "", file),
                List.of(new ValueType("samples", "count"), value));
        int t1 = b.thread("main");
        int t2 = b.thread("worker");
        int k = 0;
        for (Map.Entry<String, Integer> e : stacks.entrySet()) {
            String[] names = e.getKey().split(";");
            int[] ids = new int[names.length];
            for (int i = 0; i < names.length; i++) {
                ids[i] = b.frame(new Frame("p." + names[i].toUpperCase(), names[i], "()V", 1, Frame.Kind.JIT));
            }
            int n = e.getValue();
            // two samples per stack, on two threads at two times: the first thread has 3/4 of them
            int first = n * 3 / 4;
            b.sample(b.stack(ids), t1, 1_000 * MS, first, first * interval);
            b.sample(b.stack(ids), t2, 3_000 * MS, n - first, (n - first) * interval);
            k++;
        }
        return b.build();
    }

    static Map<String, Integer> stacks(Object... kv) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Integer) kv[i + 1]);
        }
        return m;
    }

    // base: a 500, b 300, d 200 of 1000 samples in 10 s; current: a 350, b 550, c 100 in 5 s
    static Profile base() {
        return profile("async-profiler", "cpu", MS, Duration.ofSeconds(10), "base.jfr",
                stacks("a;main", 500, "b;main", 300, "d;main", 200));
    }

    static Profile current() {
        return profile("async-profiler", "cpu", MS, Duration.ofSeconds(5), "current.jfr",
                stacks("a;main", 350, "b;main", 550, "c;main", 100));
    }

    static Map<String, Diff.Row> rows(Diff.Result r) {
        return r.rows().stream().collect(Collectors.toMap(Diff.Row::name, Function.identity()));
    }

    static Diff.Node child(Diff.Node n, String name) {
        return n.children().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void totalNormalisationComparesShares() {
        Diff.Result r = Diff.compute(base(), current(), Selection.all(), Diff.Normalize.TOTAL);
        assertThat(r.normalize()).isEqualTo(Diff.Normalize.TOTAL);
        assertThat(r.normUnit()).isEqualTo("share");
        assertThat(r.warnings()).isEmpty();
        assertThat(r.baseTotal()).isEqualTo(1000 * MS);
        assertThat(r.total()).isEqualTo(1000 * MS);
        assertThat(r.baseSamples()).isEqualTo(1000);
        assertThat(r.samples()).isEqualTo(1000);
        // largest |delta flat| first: b +0.25, d -0.2, a -0.15, c +0.1, main 0
        assertThat(r.rows()).extracting(Diff.Row::name).containsExactly("p.B.b", "p.D.d", "p.A.a", "p.C.c", "p.MAIN.main");
        Map<String, Diff.Row> rows = rows(r);
        Diff.Row a = rows.get("p.A.a");
        assertThat(a.baseFlat()).isEqualTo(500 * MS);
        assertThat(a.flat()).isEqualTo(350 * MS);
        assertThat(a.normBaseFlat()).isCloseTo(0.5, within(EPS));
        assertThat(a.normFlat()).isCloseTo(0.35, within(EPS));
        assertThat(a.deltaFlat()).isCloseTo(-0.15, within(EPS));
        assertThat(a.deltaCum()).isCloseTo(-0.15, within(EPS));
        assertThat(rows.get("p.B.b").deltaFlat()).isCloseTo(0.25, within(EPS));
        Diff.Row main = rows.get("p.MAIN.main");
        assertThat(main.normBaseCum()).isCloseTo(1, within(EPS));
        assertThat(main.deltaCum()).isZero();
        assertThat(main.significant()).isFalse();
        // one recording per side: the change is measured, no claim is made
        assertThat(r.limitation()).startsWith("One recording on each side cannot tell a change");
        assertThat(r.rows()).noneMatch(Diff.Row::significant);
        // the tree: all -> main -> a, b, c, d
        Diff.Node root = r.root();
        assertThat(root.name()).isEqualTo("all");
        assertThat(root.kind()).isNull();
        assertThat(root.base()).isEqualTo(1000 * MS);
        assertThat(root.normBase()).isCloseTo(1, within(EPS));
        assertThat(root.delta()).isZero();
        assertThat(root.significant()).isFalse();
        Diff.Node m = child(root, "p.MAIN.main");
        assertThat(m.children()).extracting(Diff.Node::name).containsExactly("p.A.a", "p.B.b", "p.C.c", "p.D.d");
        Diff.Node b = child(m, "p.B.b");
        assertThat(b.kind()).isEqualTo(Frame.Kind.JIT);
        assertThat(b.type()).isEqualTo("p.B");
        assertThat(b.baseSelf()).isEqualTo(300 * MS);
        assertThat(b.self()).isEqualTo(550 * MS);
        assertThat(b.baseCount()).isEqualTo(300);
        assertThat(b.count()).isEqualTo(550);
        assertThat(b.delta()).isCloseTo(0.25, within(EPS));
        assertThat(b.significant()).as("one recording per side").isFalse();
    }

    @Test
    void aFunctionOnlyInBaseOrOnlyInCurrent() {
        Diff.Result r = Diff.compute(base(), current(), Selection.all(), Diff.Normalize.TOTAL);
        Map<String, Diff.Row> rows = rows(r);
        Diff.Row gone = rows.get("p.D.d");
        assertThat(gone.baseFlat()).isEqualTo(200 * MS);
        assertThat(gone.flat()).isZero();
        assertThat(gone.normFlat()).isZero();
        assertThat(gone.deltaFlat()).isCloseTo(-0.2, within(EPS));
        Diff.Row added = rows.get("p.C.c");
        assertThat(added.baseFlat()).isZero();
        assertThat(added.baseCum()).isZero();
        assertThat(added.cum()).isEqualTo(100 * MS);
        assertThat(added.deltaCum()).isCloseTo(0.1, within(EPS));
        Diff.Node main = child(r.root(), "p.MAIN.main");
        assertThat(child(main, "p.D.d").current()).isZero();
        assertThat(child(main, "p.D.d").baseCount()).isEqualTo(200);
        assertThat(child(main, "p.C.c").base()).isZero();
        assertThat(child(main, "p.C.c").normCurrent()).isCloseTo(0.1, within(EPS));
    }

    @Test
    void durationNormalisationComparesValuesPerSecond() {
        Diff.Result r = Diff.compute(base(), current(), Selection.all(), Diff.Normalize.DURATION);
        assertThat(r.normalize()).isEqualTo(Diff.Normalize.DURATION);
        assertThat(r.normUnit()).isEqualTo("nanoseconds/s");
        assertThat(r.warnings()).as("durations 10 s and 5 s are what this is for").isEmpty();
        Diff.Row a = rows(r).get("p.A.a");
        // 500 ms in 10 s = 50 ms/s; 350 ms in 5 s = 70 ms/s: a smaller share, but more per second
        assertThat(a.normBaseFlat()).isCloseTo(50e6, within(1e-3));
        assertThat(a.normFlat()).isCloseTo(70e6, within(1e-3));
        assertThat(a.deltaFlat()).isCloseTo(20e6, within(1e-3));
        assertThat(r.root().normBase()).isCloseTo(100e6, within(1e-3));
        assertThat(r.root().normCurrent()).isCloseTo(200e6, within(1e-3));
        // the time range is the duration: [0, 2 s) of 10 s and of 5 s
        Diff.Result early = Diff.compute(base(), current(), Selection.all().withTimeRange(0, 2_000 * MS),
                Diff.Normalize.DURATION);
        assertThat(early.baseSamples()).isEqualTo(375 + 225 + 150);
        assertThat(rows(early).get("p.A.a").normBaseFlat()).isCloseTo(375 * MS / 2.0, within(1e-3));
    }

    @Test
    void opsNormalisationComparesValuesPerOperation() {
        // base: 1 s of CPU for 100 ops; current: 0.5 s for 1000 ops
        Diff.Result r = Diff.compute(List.of(base()), List.of(current()), Selection.all(), Diff.Normalize.OPS, 0,
                new Operations(100, "op", "jmh", ""), new Operations(1000, "op", "jmh", ""));
        assertThat(r.normalize()).isEqualTo(Diff.Normalize.OPS);
        assertThat(r.normUnit()).isEqualTo("nanoseconds/op");
        Diff.Row a = rows(r).get("p.A.a");
        // 500 ms over 100 ops = 5 ms/op; 350 ms over 1000 ops = 0.35 ms/op
        assertThat(a.normBaseFlat()).isCloseTo(5e6, within(1e-3));
        assertThat(a.normFlat()).isCloseTo(0.35e6, within(1e-3));
        assertThat(a.deltaFlat()).isCloseTo(-4.65e6, within(1e-3));
        assertThat(r.root().normBase()).isCloseTo(10e6, within(1e-3));
        assertThat(r.root().normCurrent()).isCloseTo(1e6, within(1e-3));
        assertThat(r.baseOperations().count()).isEqualTo(100);
        // the shares' test is unchanged: what is significant does not depend on the normalisation
        Diff.Result shares = Diff.compute(base(), current(), Selection.all(), Diff.Normalize.TOTAL);
        assertThat(rows(r).get("p.A.a").significant()).isEqualTo(rows(shares).get("p.A.a").significant());
        assertThat(r.limitation()).isEqualTo(shares.limitation());
    }

    @Test
    void opsNormalisationNeedsBothCountsOfOneUnit() {
        Operations ops = new Operations(10, "op", "user", "");
        assertThatThrownBy(() -> Diff.compute(List.of(base()), List.of(current()), Selection.all(), Diff.Normalize.OPS,
                0, null, ops)).isInstanceOf(ReportException.class)
                .hasMessage("normalize: ops needs the operation count of both sides, and the base has none");
        assertThatThrownBy(() -> Diff.compute(List.of(base()), List.of(current()), Selection.all(), Diff.Normalize.OPS,
                0, new Operations(10, "op", "jmh", ""), new Operations(10, "request", "load", "")))
                .isInstanceOf(ReportException.class)
                .hasMessageContaining("the base counts ops, the current side requests");
        // a count given by hand counts what the other side counts
        assertThat(Diff.compute(List.of(base()), List.of(current()), Selection.all(), Diff.Normalize.OPS, 0, ops,
                new Operations(10, "request", "load", "")).normUnit()).isEqualTo("nanoseconds/request");
        assertThatThrownBy(() -> CallIndex.diff(base(), current(), Selection.all(), Diff.Normalize.OPS))
                .isInstanceOf(ReportException.class).hasMessageContaining("either side has none");
        // --base in the other reports: the base scaled to the current's number of operations
        CallIndex d = CallIndex.diff(base(), current(), Selection.all(), Diff.Normalize.OPS,
                new Operations(100, "op", "jmh", ""), new Operations(50, "op", "jmh", ""));
        assertThat(Top.compute(d, 0, false).header().base()).contains("scaled by 0.5000 to the same number of ops");
    }

    @Test
    void anUnknownDurationFallsBackToTotalWithAWarning() {
        Profile noDuration = profile("async-profiler", "cpu", MS, null, "nodur.jfr",
                stacks("a;main", 500, "b;main", 500));
        Diff.Result r = Diff.compute(base(), noDuration, Selection.all(), Diff.Normalize.DURATION);
        assertThat(r.normalize()).isEqualTo(Diff.Normalize.TOTAL);
        assertThat(r.warnings()).singleElement().asString()
                .contains("Normalised by total instead of duration", "nodur.jfr");
        assertThat(rows(r).get("p.A.a").normFlat()).isCloseTo(0.5, within(EPS));
    }

    /** Three recordings of a side: a's and b's samples of 1000 in each. */
    private static List<Profile> runs(String name, int... aCounts) {
        List<Profile> out = new java.util.ArrayList<>();
        for (int k = 0; k < aCounts.length; k++) {
            out.add(profile("async-profiler", "cpu", MS, Duration.ofSeconds(4), name + k + ".jfr",
                    stacks("a;main", aCounts[k], "b;main", 1000 - aCounts[k])));
        }
        return out;
    }

    @Test
    void significanceTellsAChangeFromNoiseWithThreeRecordingsASide() {
        List<Profile> before = runs("b", 500, 490, 510);
        // 50% -> 51%, within the runs' own spread: noise
        Diff.Result noise = Diff.compute(before, runs("s", 520, 500, 510), Selection.all(), Diff.Normalize.TOTAL, 0);
        assertThat(noise.limitation()).isNull();
        assertThat(noise.baseRecordings()).isEqualTo(3);
        assertThat(noise.tested()).isPositive();
        assertThat(noise.rows()).noneMatch(Diff.Row::significant);
        assertThat(child(child(noise.root(), "p.MAIN.main"), "p.A.a").significant()).isFalse();
        // 50% -> 60% in every run: a change
        Diff.Result real = Diff.compute(before, runs("l", 600, 610, 590), Selection.all(), Diff.Normalize.TOTAL, 0);
        assertThat(real.limitation()).isNull();
        Map<String, Diff.Row> rows = rows(real);
        assertThat(rows.get("p.A.a").significant()).isTrue();
        assertThat(rows.get("p.A.a").q()).isLessThanOrEqualTo(Diff.ALPHA);
        assertThat(rows.get("p.B.b").significant()).isTrue();
        assertThat(rows.get("p.MAIN.main").significant()).isFalse();
        Diff.Node a = child(child(real.root(), "p.MAIN.main"), "p.A.a");
        assertThat(a.significant()).isTrue();
        assertThat(a.delta()).isPositive();
        // the values are those of the three recordings together
        assertThat(rows.get("p.A.a").flat()).isEqualTo((600 + 610 + 590) * MS);
        // one recording against three: no claim, and the sentence says why
        Diff.Result one = Diff.compute(List.of(before.get(0)), runs("l", 600, 610, 590), Selection.all(),
                Diff.Normalize.TOTAL, 0);
        assertThat(one.limitation()).startsWith("One recording on the base cannot tell");
        assertThat(one.rows()).noneMatch(Diff.Row::significant);
    }

    @Test
    void aDiffWithItselfHasNoChange() {
        Diff.Result r = Diff.compute(base(), base(), Selection.all(), Diff.Normalize.DURATION);
        assertThat(r.warnings()).isEmpty();
        assertThat(r.rows()).allSatisfy(row -> {
            assertThat(row.deltaFlat()).isZero();
            assertThat(row.deltaCum()).isZero();
            assertThat(row.significant()).isFalse();
        });
        assertThat(child(child(r.root(), "p.MAIN.main"), "p.A.a").delta()).isZero();
    }

    @Test
    void warningsSayWhyTheyMayNotBeComparable() {
        Map<String, Integer> s = stacks("a;main", 500, "b;main", 500);
        Duration d = Duration.ofSeconds(1);
        Profile ap = profile("async-profiler", "cpu", MS, d, "ap.jfr", s);

        assertThat(Diff.compute(ap, profile("async-profiler", "wall", MS, d, "wall.jfr", s), Selection.all(),
                Diff.Normalize.TOTAL).warnings()).singleElement().asString()
                .contains("Different events", "ap.jfr records cpu", "wall.jfr records wall");

        assertThat(Diff.compute(ap, profile("async-profiler", "cpu", MS, d, "v.jfr",
                new ValueType("cpu-time", "nanoseconds"), s), Selection.all(), Diff.Normalize.TOTAL).warnings())
                .singleElement().asString().contains("Different values", "cpu/nanoseconds", "cpu-time/nanoseconds");

        assertThat(Diff.compute(ap, profile("jfr", "cpu", MS, d, "jfr.jfr", s), Selection.all(),
                Diff.Normalize.TOTAL).warnings()).singleElement().asString()
                .contains("Different engines", "async-profiler", "jfr.jfr by jfr");

        assertThat(Diff.compute(ap, profile("async-profiler", "cpu", 2 * MS, d, "2ms.jfr", s), Selection.all(),
                Diff.Normalize.TOTAL).warnings()).singleElement().asString()
                .contains("Different sampling intervals", "ap.jfr 1ms", "2ms.jfr 2ms", "not comparable");

        Profile few = profile("async-profiler", "cpu", MS, d, "few.jfr", stacks("a;main", 40, "b;main", 50));
        Diff.Result r = Diff.compute(ap, few, Selection.all(), Diff.Normalize.TOTAL);
        assertThat(r.warnings()).isEmpty();
        assertThat(r.limitation()).contains("only 90 samples", "fewer than the 100");
        assertThat(r.rows()).as("nothing is significant with 90 samples").noneMatch(Diff.Row::significant);
        // a side's samples are all of its recording in the time range, as its total: a focus does not make
        // it few (a function with few samples is not tested, see ChangeTest)
        assertThat(Diff.compute(base(), base(), Selection.all().withFocus("^p\\.D\\.d$").withThread("worker"),
                Diff.Normalize.TOTAL).limitation()).startsWith("One recording on each side");
    }

    @Test
    void filtersApplyToBothSides() {
        // focus b: only stacks through b on either side; the totals are pprof's, before the filters, so that
        // b's share is of the whole profile and its change shows (30% -> 55%)
        Diff.Result f = Diff.compute(base(), current(), Selection.all().withFocus("B\\.b"), Diff.Normalize.TOTAL);
        assertThat(f.baseTotal()).isEqualTo(1000 * MS);
        assertThat(f.total()).isEqualTo(1000 * MS);
        assertThat(f.root().base()).isEqualTo(300 * MS);
        assertThat(f.root().current()).isEqualTo(550 * MS);
        assertThat(f.rows()).extracting(Diff.Row::name).containsExactlyInAnyOrder("p.B.b", "p.MAIN.main");
        assertThat(rows(f).get("p.B.b").deltaFlat()).isCloseTo(0.25, within(EPS));
        // hide a: its value goes to main's flat on both sides, and stays in the totals
        Diff.Result h = Diff.compute(base(), current(), Selection.all().withHide("A\\.a"), Diff.Normalize.TOTAL);
        assertThat(h.baseTotal()).isEqualTo(1000 * MS);
        assertThat(rows(h)).doesNotContainKey("p.A.a");
        Diff.Row main = rows(h).get("p.MAIN.main");
        assertThat(main.baseFlat()).isEqualTo(500 * MS);
        assertThat(main.flat()).isEqualTo(350 * MS);
        assertThat(child(h.root(), "p.MAIN.main").children()).extracting(Diff.Node::name).doesNotContain("p.A.a");
        assertThat(child(h.root(), "p.MAIN.main").baseSelf()).isEqualTo(500 * MS);
        // ignore, thread and the time range, the same way
        Diff.Result i = Diff.compute(base(), current(), Selection.all().withIgnore("D\\.d|C\\.c"), Diff.Normalize.TOTAL);
        assertThat(i.root().base()).isEqualTo(800 * MS);
        assertThat(i.root().current()).isEqualTo(900 * MS);
        Diff.Result t = Diff.compute(base(), current(), Selection.all().withThread("main"), Diff.Normalize.TOTAL);
        assertThat(t.root().baseCount()).isEqualTo(375 + 225 + 150);
        assertThat(t.root().count()).isEqualTo(262 + 412 + 75);
        Diff.Result late = Diff.compute(base(), current(), Selection.all().withTimeRange(2_000 * MS, Long.MAX_VALUE),
                Diff.Normalize.TOTAL);
        assertThat(late.baseSamples()).isEqualTo(125 + 75 + 50);
    }

    @Test
    void aRegexMustMatchSomethingOnEitherSide() {
        // c is only in current, d only in base: fine
        Diff.Result c = Diff.compute(base(), current(), Selection.all().withFocus("C\\.c"), Diff.Normalize.TOTAL);
        assertThat(c.root().base()).isZero();
        assertThat(rows(c).get("p.C.c").normBaseFlat()).isZero();
        assertThat(rows(c).get("p.C.c").normFlat()).isCloseTo(0.1, within(EPS));
        assertThat(Diff.compute(base(), current(), Selection.all().withFocus("D\\.d"), Diff.Normalize.TOTAL).root()
                .current()).isZero();
        assertThatThrownBy(() -> Diff.compute(base(), current(), Selection.all().withFocus("nope"), Diff.Normalize.TOTAL))
                .isInstanceOf(ReportException.class).hasMessage("focus 'nope' matches no function in either profile");
        assertThatThrownBy(() -> Diff.compute(base(), current(), Selection.all().withHide("nope"), Diff.Normalize.TOTAL))
                .isInstanceOf(ReportException.class).hasMessageContaining("hide 'nope'");
        assertThatThrownBy(() -> Diff.compute(base(), current(), Selection.all().withThread("nope"), Diff.Normalize.TOTAL))
                .isInstanceOf(ReportException.class).hasMessage("thread 'nope' matches no thread in either profile");
        assertThatThrownBy(() -> Diff.compute(base(), current(), Selection.all().withSampleIndex("bytes"),
                Diff.Normalize.TOTAL)).isInstanceOf(ReportException.class).hasMessageContaining("bytes");
    }

    @Test
    void minFractionPrunesAsAFlameGraphDoes() {
        // the tree computed pruned is the whole tree with the small nodes taken out (and what is under them)
        for (Selection s : List.of(Selection.all(), Selection.all().withHide("A\\.a"),
                Selection.all().withFocus("B\\.b|C\\.c"), Selection.all().withTimeRange(2_000 * MS, Long.MAX_VALUE))) {
            for (double min : new double[] {0, 0.05, 0.1, 0.2, 0.5, 1}) {
                Diff.Result whole = Diff.compute(base(), current(), s, Diff.Normalize.TOTAL);
                Diff.Result pruned = Diff.compute(base(), current(), s, Diff.Normalize.TOTAL, min);
                assertThat(pruned.root()).as("%s at %s", s.activeFilters(), min).isEqualTo(prune(whole.root(), whole, min));
                assertThat(pruned.rows()).isEqualTo(whole.rows());
                assertThat(pruned.warnings()).isEqualTo(whole.warnings());
            }
        }
        Diff.Result p = Diff.compute(base(), current(), Selection.all(), Diff.Normalize.TOTAL, 0.25);
        assertThat(child(p.root(), "p.MAIN.main").children()).extracting(Diff.Node::name)
                .containsExactly("p.A.a", "p.B.b");
        assertThatThrownBy(() -> Diff.compute(base(), current(), Selection.all(), Diff.Normalize.TOTAL, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The viewer's pruning, on the whole tree. */
    private static Diff.Node prune(Diff.Node n, Diff.Result r, double min) {
        List<Diff.Node> kids = n.children().stream()
                .filter(k -> k.maxShare(r) >= min && (k.maxShare(r) > 0 || min == 0))
                .map(k -> prune(k, r, min)).toList();
        return new Diff.Node(n.name(), n.kind(), n.type(), n.base(), n.current(), n.baseSelf(), n.self(), n.baseCount(),
                n.count(), n.normBase(), n.normCurrent(), n.delta(), n.significant(), kids);
    }

    @Test
    void normalizeIsParsedFromItsLabel() {
        assertThat(Diff.Normalize.parse("total")).isEqualTo(Diff.Normalize.TOTAL);
        assertThat(Diff.Normalize.parse("Duration")).isEqualTo(Diff.Normalize.DURATION);
        assertThat(Diff.Normalize.DURATION.label()).isEqualTo("duration");
        assertThatThrownBy(() -> Diff.Normalize.parse("share")).isInstanceOf(ReportException.class)
                .hasMessage("normalize: 'share' is not total, duration or ops");
        assertThat(Diff.Normalize.parse("OPS")).isEqualTo(Diff.Normalize.OPS);
    }
}
