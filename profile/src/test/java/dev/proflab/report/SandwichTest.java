package dev.proflab.report;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.fixture.Fixtures;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class SandwichTest {

    // main -> f; main -> f -> g; main -> f -> g -> f -> h (recursion); main -> x -> f; main -> y; run -> g
    static Profile recursive() {
        return DiffTest.profile("async-profiler", "cpu", DiffTest.MS, Duration.ofSeconds(1), "rec.jfr",
                DiffTest.stacks("f;main", 10, "g;f;main", 20, "h;f;g;f;main", 30, "f;x;main", 5, "y;main", 100,
                        "g;run", 7));
    }

    static Selection samples() {
        return Selection.all().withSampleIndex("samples");
    }

    @Test
    void aRecursiveStackIsCutAtItsOutermostCallAndCountsOnce() {
        Sandwich.Result r = Sandwich.compute(recursive(), samples(), "p.F.f", 0).orElseThrow();
        assertThat(r.function()).isEqualTo("p.F.f");
        assertThat(r.total()).isEqualTo(65);   // 10 + 20 + 30 + 5: the 30 once, though f is on it twice
        // callers: f's outermost callers, up to the roots; nothing below f is f again
        assertThat(text(r.callers())).isEqualTo("""
                p.F.f 65 self 0
                  p.MAIN.main 60 self 60
                  p.X.x 5 self 0
                    p.MAIN.main 5 self 5
                """);
        // callees: from the outermost f down; the inner f is a callee of g, with its own callee h
        assertThat(text(r.callees())).isEqualTo("""
                p.F.f 65 self 15
                  p.G.g 50 self 20
                    p.F.f 30 self 0
                      p.H.h 30 self 30
                """);
        assertThat(r.nodes()).isEqualTo(8);
        // the function's cum as top counts it
        Top.Row f = Top.compute(recursive(), samples(), 0, true).rows().stream()
                .filter(x -> x.name().equals("p.F.f")).findFirst().orElseThrow();
        assertThat(f.cum()).isEqualTo(r.total());
    }

    @Test
    void aFunctionCalledOnlyBelowItselfOrNowhereHasNoSandwich() {
        assertThat(Sandwich.compute(recursive(), samples(), "p.NONE.none", 0)).isEmpty();
        // focus on y: f has no selected stack left
        assertThat(Sandwich.compute(recursive(), samples().withFocus("y"), "p.F.f", 0)).isEmpty();
        // a prefix of a name is not the name
        assertThat(Sandwich.compute(recursive(), samples(), "p.F.", 0)).isEmpty();
    }

    @Test
    void theSelectionApplies() {
        // hide g: h is called by the inner f directly, and the inner f by the outer one
        Sandwich.Result r = Sandwich.compute(recursive(), samples().withHide("^p\\.G\\.g$"), "p.F.f", 0).orElseThrow();
        assertThat(text(r.callees())).isEqualTo("""
                p.F.f 65 self 35
                  p.F.f 30 self 0
                    p.H.h 30 self 30
                """);
        // the main thread has 3/4 of each stack's samples: 7 + 15 + 22 + 3
        Sandwich.Result main = Sandwich.compute(recursive(), samples().withThread("^main$"), "p.F.f", 0).orElseThrow();
        assertThat(main.total()).isEqualTo(47);
        // the values of the selected sample index: nanoseconds
        Sandwich.Result ns = Sandwich.compute(recursive(), Selection.all(), "p.F.f", 0).orElseThrow();
        assertThat(ns.total()).isEqualTo(65 * DiffTest.MS);
        assertThat(ns.header().type().type()).isEqualTo("cpu");
    }

    @Test
    void asProfilesTheSandwichIsTheSameTwoTrees() {
        for (Selection s : List.of(samples(), samples().withHide("^p\\.G\\.g$"), samples().withThread("^worker$"),
                Selection.all())) {
            Sandwich.Result r = Sandwich.compute(recursive(), s, "p.F.f", 0).orElseThrow();
            Profile[] ps = Sandwich.profiles(recursive(), s, "p.F.f");
            Selection plain = Selection.all().withSampleIndex(s.sampleIndex());
            for (int i = 0; i < 2; i++) {
                Flame.Node root = Flame.compute(ps[i], plain, 0).root();
                assertThat(root.children()).hasSize(1);
                assertThat(text(root.children().get(0))).as(s.activeFilters() + " " + i)
                        .isEqualTo(text(i == 0 ? r.callers() : r.callees()));
                // every sample with the function, its time and thread kept
                assertThat(ps[i].sampleCount()).isEqualTo(s.thread() == null ? 8 : 4);
            }
        }
        Profile[] none = Sandwich.profiles(recursive(), samples(), "p.NONE.none");
        assertThat(none[0].sampleCount()).isZero();
        assertThat(none[1].sampleCount()).isZero();
        assertThat(none[0].meta()).isEqualTo(recursive().meta());
        // as a side of a comparison: a focus that matches nothing here selects nothing, an ignore everything
        assertThat(Sandwich.profiles(recursive(), samples().withFocus("nowhere"), "p.F.f")[0].sampleCount()).isZero();
        assertThat(Sandwich.profiles(recursive(), samples().withIgnore("nowhere"), "p.F.f")[0].sampleCount())
                .isEqualTo(8);
    }

    @Test
    void smallNodesAreLeftOutUnderMinFraction() {
        // 5 of 65 is under 10%: x and its caller go
        Sandwich.Result r = Sandwich.compute(recursive(), samples(), "p.F.f", 0.1).orElseThrow();
        assertThat(r.callers().children()).extracting(Flame.Node::name).containsExactly("p.MAIN.main");
        assertThat(r.total()).isEqualTo(65);
        assertThat(r.nodes()).isEqualTo(6);
    }

    @Test
    void onARealRecordingEveryFunctionsSandwichAddsUpToItsCum() {
        Profile p = ProfileReader.read(Fixtures.checkedIn("ap-cpu.jfr"));
        List<Top.Row> rows = Top.compute(p, Selection.all(), 0, true).rows();
        assertThat(rows).hasSizeGreaterThan(5);
        for (Top.Row row : rows) {
            Sandwich.Result r = Sandwich.compute(p, Selection.all(), row.name(), 0).orElseThrow();
            assertThat(r.total()).as(row.name()).isEqualTo(row.cum());
            assertThat(r.callers().total()).isEqualTo(row.cum());
            assertThat(r.callees().total()).isEqualTo(row.cum());
            assertThat(r.callers().name()).isEqualTo(row.name());
            adds(r.callers());
            adds(r.callees());
            // the callers tree has the function at its root only
            assertThat(names(r.callers()).stream().skip(1)).doesNotContain(row.name());
        }
        // Workload.methodB is called by Workload.cpu alone; once a timer interrupt ran on top of it
        Sandwich.Result b = Sandwich.compute(p, Selection.all(), "dev.proflab.profile.fixture.Workload.methodB", 0)
                .orElseThrow();
        assertThat(b.callers().children()).extracting(Flame.Node::name)
                .containsExactly("dev.proflab.profile.fixture.Workload.cpu");
        assertThat(b.callees().self()).isEqualTo(505_000_000L);
        assertThat(b.callees().children()).extracting(Flame.Node::name, Flame.Node::total)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("asm_sysvec_apic_timer_interrupt", 1_000_000L));
    }

    /** Each node's total is its self and its children's totals. */
    private static void adds(Flame.Node n) {
        long sum = n.self() + n.children().stream().mapToLong(Flame.Node::total).sum();
        assertThat(sum).as(n.name()).isEqualTo(n.total());
        n.children().forEach(SandwichTest::adds);
    }

    private static List<String> names(Flame.Node n) {
        List<String> out = new java.util.ArrayList<>();
        out.add(n.name());
        n.children().forEach(c -> out.addAll(names(c)));
        return out;
    }

    private static String text(Flame.Node n) {
        return text(n, 0);
    }

    private static String text(Flame.Node n, int level) {
        return "  ".repeat(level) + n.name() + " " + n.total() + " self " + n.self() + "\n"
                + n.children().stream().map(c -> text(c, level + 1)).collect(Collectors.joining());
    }
}
