package dev.proflab.export;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.report.Flame;
import dev.proflab.report.Selection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The tree the flame graphs (SVG, HTML, collapsed, the page) are drawn from: the {@link Flame} report. */
class FlameTreeTest {

    @Test
    void mergesLinesAndKindsOfOneMethod() {
        Profile p = PprofTest.handMade();
        Flame.Result t = Flame.compute(p, Selection.all().withSampleIndex("0"), 0);
        Flame.Node root = t.root();
        assertThat(root.name()).isEqualTo("all");
        assertThat(root.total()).isEqualTo(5);
        assertThat(root.self()).isEqualTo(1); // the sample without a stack
        assertThat(root.children()).extracting(Flame.Node::name).containsExactly("java.lang.Thread.run");
        Flame.Node run = root.children().get(0);
        assertThat(run.total()).isEqualTo(4);
        assertThat(run.self()).isZero();
        assertThat(run.children()).extracting(Flame.Node::name)
                .containsExactly("dev.proflab.labs.fib.Fib$Worker.call", "dev.proflab.labs.fib.Fib.recursive");
        Flame.Node rec = run.children().get(1);
        assertThat(rec.total()).isEqualTo(3);
        assertThat(rec.kind()).isEqualTo(Frame.Kind.INLINED); // the caller-side frame of s1 was inlined
        Flame.Node leaf = rec.children().get(0);
        assertThat(leaf.self()).isEqualTo(3);
        assertThat(leaf.kind()).isEqualTo(Frame.Kind.JIT);
        assertThat(t.depth()).isEqualTo(4);
        assertThat(t.nodes()).isEqualTo(count(root));
    }

    private static int count(Flame.Node n) {
        int c = 1;
        for (Flame.Node k : n.children()) {
            c += count(k);
        }
        return c;
    }

    @Test
    void realRecordingIsATowerOfFib() {
        Profile p = Recordings.cpuProfile();
        Flame.Result t = Flame.compute(p, Selection.all().withSampleIndex("1"), 0);
        assertThat(t.root().total()).isEqualTo(p.total(1));
        Flame.Node n = t.root();
        int fibLevels = 0;
        while (!n.children().isEmpty()) {
            n = n.children().stream().max((a, b) -> Long.compare(a.total(), b.total())).orElseThrow();
            if (n.name().equals("dev.proflab.export.Fib.recursive")) {
                fibLevels++;
            }
        }
        assertThat(fibLevels).isGreaterThan(5);
    }
}
