package dev.proflab.export;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallTreeTest {

    @Test
    void mergesLinesAndKindsOfOneMethod() {
        Profile p = PprofTest.handMade();
        CallTree t = CallTree.of(p, 0);
        CallTree.Node root = t.root();
        assertThat(root.name()).isEqualTo("all");
        assertThat(root.total()).isEqualTo(5);
        assertThat(root.self()).isEqualTo(1); // the sample without a stack
        assertThat(root.children()).extracting(CallTree.Node::name).containsExactly("java.lang.Thread.run");
        CallTree.Node run = root.children().get(0);
        assertThat(run.total()).isEqualTo(4);
        assertThat(run.self()).isZero();
        assertThat(run.children()).extracting(CallTree.Node::name)
                .containsExactly("dev.proflab.labs.fib.Fib$Worker.call", "dev.proflab.labs.fib.Fib.recursive");
        CallTree.Node rec = run.children().get(1);
        assertThat(rec.total()).isEqualTo(3);
        assertThat(rec.kind()).isEqualTo(Frame.Kind.INLINED); // the caller-side frame of s1 was inlined
        CallTree.Node leaf = rec.children().get(0);
        assertThat(leaf.self()).isEqualTo(3);
        assertThat(leaf.kind()).isEqualTo(Frame.Kind.JIT);
        assertThat(leaf.total(Frame.Kind.JIT)).isEqualTo(3);
        assertThat(root.depth()).isEqualTo(5);
        assertThat(leaf.parent()).isSameAs(rec);
    }

    @Test
    void realRecordingIsATowerOfFib() {
        Profile p = Recordings.cpuProfile();
        CallTree t = CallTree.of(p, 1);
        assertThat(t.root().total()).isEqualTo(p.total(1));
        CallTree.Node n = t.root();
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
