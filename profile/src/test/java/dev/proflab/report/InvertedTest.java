package dev.proflab.report;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;
import dev.proflab.profile.fixture.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class InvertedTest {

    @Test
    void everyStackTurnedOverAndNothingElseChanged() {
        for (boolean aggregate : new boolean[] {false, true}) {
            Profile p = ProfileReader.read(Fixtures.checkedIn("ap-cpu.jfr"),
                    ReadOptions.defaults().withAggregate(aggregate));
            Profile q = Inverted.of(p);
            assertThat(q.sampleCount()).isEqualTo(p.sampleCount());
            assertThat(q.recordCount()).isEqualTo(p.recordCount());
            for (int v = 0; v < p.valueTypes().size(); v++) {
                assertThat(q.total(v)).isEqualTo(p.total(v));
            }
            for (int i = 0; i < p.sampleCount(); i++) {
                String[] a = names(p, p.stack(p.stackOf(i)));
                String[] b = names(q, q.stack(q.stackOf(i)));
                java.util.Collections.reverse(Arrays.asList(b));
                assertThat(b).isEqualTo(a);
                assertThat(q.threadName(q.threadOf(i))).isEqualTo(p.threadName(p.threadOf(i)));
                assertThat(q.timeOf(i)).isEqualTo(p.timeOf(i));
                assertThat(q.recordsOf(i)).isEqualTo(p.recordsOf(i));
            }
        }
    }

    @Test
    void theInvertedTreeStartsWithWhereTheTimeWent() {
        Profile q = Inverted.of(ProfileReader.read(Fixtures.checkedIn("ap-cpu.jfr")));
        Tree.Result r = Tree.compute(CallIndex.of(q, Selection.all()), new Tree.Options(1, 0, 0));
        String text = TextReport.tree(r);
        // Workload.cpu spends two thirds in methodA and one third in methodB: they are the roots now
        assertThat(text).contains("66.11%          0  dev.proflab.profile.fixture.Workload.methodA")
                .contains("33.82%          0  dev.proflab.profile.fixture.Workload.methodB");
    }

    private static String[] names(Profile p, int[] frames) {
        return Arrays.stream(frames).mapToObj(f -> p.frame(f).name()).toArray(String[]::new);
    }
}
