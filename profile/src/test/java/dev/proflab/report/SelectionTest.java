package dev.proflab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The reports' arithmetic on a small profile with known numbers (pprof's semantics): flat, cum with
 * recursion counted once, focus/ignore/hide/thread, percentages of the total before filters, edges,
 * the tree, traces; and a regular expression that matches nothing is an error.
 */
class SelectionTest {

    // 10 samples:  [a, main] x3 (t1); [b, a, main] x2 (t1); [c, b, main] x1 (t2); [a, a, a, main] x4 (t2)
    static Profile profile() {
        Profile.Builder b = new Profile.Builder(new Profile.Meta("jfr", "cpu", 1_000_000, null, null, "", "", "x.jfr"),
                List.of(new ValueType("samples", "count"), new ValueType("cpu", "nanoseconds")));
        int main = b.frame(new Frame("p.Main", "main", "([Ljava/lang/String;)V", 5, Frame.Kind.JIT));
        int aLeaf = b.frame(new Frame("p.A", "a", "(I)J", 10, Frame.Kind.JIT));
        int aCall = b.frame(new Frame("p.A", "a", "(I)J", 11, Frame.Kind.JIT));
        int bLeaf = b.frame(new Frame("p.B", "b", "()V", 20, Frame.Kind.INLINED));
        int bCall = b.frame(new Frame("p.B", "b", "()V", 21, Frame.Kind.INLINED));
        int c = b.frame(new Frame("p.C", "c", "(J)V", 30, Frame.Kind.INTERPRETED));
        int t1 = b.thread("t1");
        int t2 = b.thread("t2");
        add(b, 3, b.stack(new int[] {aLeaf, main}), t1);
        add(b, 2, b.stack(new int[] {bLeaf, aCall, main}), t1);
        add(b, 1, b.stack(new int[] {c, bCall, main}), t2);
        add(b, 4, b.stack(new int[] {aLeaf, aCall, aCall, main}), t2);
        return b.build();
    }

    private static void add(Profile.Builder b, int n, int stack, int thread) {
        for (int i = 0; i < n; i++) {
            b.sample(stack, thread, i * 1_000_000L, 1, 1_000_000);
        }
    }

    private static Map<String, List<Long>> top(Selection s) {
        return Top.compute(profile(), s, 0, false).rows().stream()
                .collect(Collectors.toMap(Top.Row::name, r -> List.of(r.flat() / 1_000_000, r.cum() / 1_000_000)));
    }

    @Test
    void flatAndCumCountRecursionOnce() {
        Top.Result r = Top.compute(profile(), Selection.all(), 0, false);
        assertThat(r.rows()).extracting(Top.Row::name).containsExactly("p.A.a", "p.B.b", "p.C.c", "p.Main.main");
        assertThat(top(Selection.all())).isEqualTo(Map.of(
                "p.A.a", List.of(7L, 9L), "p.B.b", List.of(2L, 3L), "p.C.c", List.of(1L, 1L), "p.Main.main", List.of(0L, 10L)));
        assertThat(r.rows().get(0).flatPercent()).isEqualTo(70.0);
        assertThat(r.rows().get(1).sumPercent()).isEqualTo(90.0);
        assertThat(r.header().total()).isEqualTo(10_000_000);
        assertThat(r.header().samples()).isEqualTo(10);
        assertThat(Top.compute(profile(), Selection.all(), 2, true).rows()).extracting(Top.Row::name)
                .containsExactly("p.Main.main", "p.A.a");
    }

    @Test
    void filtersKeepPercentagesOfTheWholeProfile() {
        assertThat(top(Selection.all().withFocus("^p\\.B\\.b$"))).isEqualTo(Map.of(
                "p.B.b", List.of(2L, 3L), "p.C.c", List.of(1L, 1L), "p.A.a", List.of(0L, 2L), "p.Main.main", List.of(0L, 3L)));
        assertThat(top(Selection.all().withIgnore("C\\.c"))).isEqualTo(Map.of(
                "p.A.a", List.of(7L, 9L), "p.B.b", List.of(2L, 2L), "p.Main.main", List.of(0L, 9L)));
        assertThat(top(Selection.all().withHide("A\\.a"))).isEqualTo(Map.of(
                "p.Main.main", List.of(7L, 10L), "p.B.b", List.of(2L, 3L), "p.C.c", List.of(1L, 1L)));
        assertThat(top(Selection.all().withThread("t2"))).isEqualTo(Map.of(
                "p.A.a", List.of(4L, 4L), "p.C.c", List.of(1L, 1L), "p.B.b", List.of(0L, 1L), "p.Main.main", List.of(0L, 5L)));
        Top.Result focused = Top.compute(profile(), Selection.all().withFocus("B"), 0, false);
        assertThat(focused.header().total()).isEqualTo(10_000_000);
        assertThat(focused.rows().get(0).flatPercent()).isEqualTo(20.0);
        assertThat(focused.header().filters()).containsExactly("focus=B");
        assertThat(top(Selection.all().withTimeRange(0, 2_000_000)))
                .containsEntry("p.A.a", List.of(4L, 6L));
    }

    @Test
    void signaturesAndLines() {
        assertThat(top(Selection.all().withSignatures(true))).containsKeys("p.A.a(int)", "p.Main.main(java.lang.String[])");
        assertThat(top(Selection.all().withLines(true))).containsEntry("p.A.a A.java:10", List.of(7L, 7L))
                .containsEntry("p.A.a A.java:11", List.of(0L, 6L));
    }

    @Test
    void peekEdges() {
        Peek.Result r = Peek.compute(profile(), Selection.all(), "A\\.a$", 0, false);
        Peek.Entry a = r.entries().get(0);
        assertThat(a.callers()).extracting(Peek.Edge::name, e -> e.value() / 1_000_000)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("p.Main.main", 9L),
                        org.assertj.core.groups.Tuple.tuple("p.A.a", 4L));
        assertThat(a.callees()).extracting(Peek.Edge::name, e -> e.value() / 1_000_000)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("p.A.a", 4L),
                        org.assertj.core.groups.Tuple.tuple("p.B.b", 2L));
        assertThat(a.callers().get(0).percent()).isEqualTo(100.0);
    }

    @Test
    void treeAndTraces() {
        Tree.Result t = Tree.compute(profile(), Selection.all(), Tree.Options.defaults());
        Tree.Node main = t.roots().get(0);
        assertThat(main.name()).isEqualTo("p.Main.main");
        assertThat(main.cum()).isEqualTo(10_000_000);
        assertThat(main.children()).extracting(Tree.Node::name, n -> n.cum() / 1_000_000, n -> n.self() / 1_000_000)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("p.A.a", 9L, 3L),
                        org.assertj.core.groups.Tuple.tuple("p.B.b", 1L, 0L));
        Tree.Result shallow = Tree.compute(profile(), Selection.all(), new Tree.Options(2, 1, 0));
        assertThat(shallow.roots().get(0).children()).hasSize(1);
        assertThat(shallow.roots().get(0).children().get(0).children()).isEmpty();
        assertThat(shallow.dropped()).isPositive();

        Traces.Result tr = Traces.compute(profile(), Selection.all(), 0);
        assertThat(tr.traces()).extracting(x -> x.value() / 1_000_000).containsExactly(4L, 3L, 2L, 1L);
        assertThat(tr.traces().get(0).frames()).containsExactly("p.A.a", "p.A.a", "p.A.a", "p.Main.main");
        assertThat(Traces.compute(profile(), Selection.all(), 2).traces()).hasSize(2);
    }

    @Test
    void listPerLine() {
        Lines.Result r = Lines.compute(profile(), Selection.all(), "A\\.a", List.of());
        Lines.Function a = r.functions().get(0);
        assertThat(a.name()).isEqualTo("p.A.a");
        assertThat(a.file()).isEqualTo("p/A.java");
        assertThat(a.source()).isNull();
        assertThat(a.lines()).extracting(Lines.Line::number, l -> l.flat() / 1_000_000, l -> l.cum() / 1_000_000)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(10, 7L, 7L),
                        org.assertj.core.groups.Tuple.tuple(11, 0L, 6L));
    }

    @Test
    void regularExpressionsThatMatchNothingAreErrors() {
        assertThatThrownBy(() -> Top.compute(profile(), Selection.all().withFocus("zzz"), 0, false))
                .isInstanceOf(ReportException.class).hasMessage("x.jfr: focus 'zzz' matches no function in this profile");
        assertThatThrownBy(() -> Top.compute(profile(), Selection.all().withHide("zzz"), 0, false))
                .hasMessageContaining("hide 'zzz' matches no function");
        assertThatThrownBy(() -> Top.compute(profile(), Selection.all().withThread("main"), 0, false))
                .hasMessage("x.jfr: thread 'main' matches no thread (threads: t1, t2)");
        assertThatThrownBy(() -> Selection.all().withIgnore("("))
                .isInstanceOf(ReportException.class).hasMessageStartingWith("ignore: '(' is not a valid regular expression");
        assertThatThrownBy(() -> Peek.compute(profile(), Selection.all(), "zzz", 0, false))
                .hasMessage("x.jfr: peek 'zzz' matches no function with samples");
        assertThatThrownBy(() -> Lines.compute(profile(), Selection.all().withFocus("C"), "A\\.a", List.of()))
                .hasMessage("x.jfr: list 'A\\.a' matches no function with samples under the filters");
        assertThatThrownBy(() -> Top.compute(profile(), Selection.all().withSampleIndex("bytes"), 0, false))
                .hasMessage("sampleIndex 'bytes' does not fit event cpu: it has samples, cpu")
                .satisfies(e -> assertThat(((ReportException) e).phrase().in(n -> n.equals("sampleIndex")
                        ? "--sample-index" : null)).isEqualTo("--sample-index 'bytes' does not fit event cpu: it has samples, cpu"));
    }
}
