package dev.proflab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileMerge;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;
import dev.proflab.profile.fixture.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reports split and filtered by labels: a real Go CPU profile with pprof labels ({@code go-labels.pb.gz}, made by
 * {@code go-labels.go}: tenant a on route /orders spins twice as long as tenant b on /users) and two recordings merged
 * (each sample labelled with its file). Golden files as {@link GoldenReportTest}'s ({@code -Dgolden.update=true}).
 * The Go profile's numbers are those {@code go tool pprof -tags}, {@code -top -tagfocus} read in it.
 */
class LabelReportsTest {

    private static final Path SOURCE = Path.of("src/test/resources/profiles/golden");

    private static void golden(String name, String actual) throws IOException {
        Path expected = Fixtures.dir().resolve("golden").resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(SOURCE);
            Files.writeString(SOURCE.resolve(name), actual, StandardCharsets.UTF_8);
            expected = SOURCE.resolve(name);
        }
        assertThat(Files.exists(expected)).as("golden file %s (run with -Dgolden.update=true to create it)", name)
                .isTrue();
        assertThat(actual).as(name).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
    }

    private static Profile go() {
        return ProfileReader.read(Fixtures.checkedIn("go-labels.pb.gz"), ReadOptions.defaults().withAggregate(true));
    }

    private static Profile merged() {
        ReadOptions o = ReadOptions.defaults().withEvent("cpu").withAggregate(true);
        return ProfileMerge.merge(List.of(
                new ProfileMerge.Part(ProfileReader.read(Fixtures.checkedIn("ap-cpu.jfr"), o), null, "ap-cpu.jfr"),
                new ProfileMerge.Part(ProfileReader.read(Fixtures.checkedIn("jfr-cpu.jfr"), o), null, "jfr-cpu.jfr")),
                "2 recordings: ap-cpu.jfr, jfr-cpu.jfr");
    }

    private static Selection focus(String... terms) {
        Selection s = Selection.all();
        for (String t : terms) {
            s = s.withTagFocus(s.tagTerm("--tagfocus", t));
        }
        return s;
    }

    private static Selection ignore(String term) {
        Selection s = Selection.all();
        return s.withTagIgnore(s.tagTerm("--tagignore", term));
    }

    private static long selected(Profile p, Selection s) {
        return CallIndex.of(p, s).selectedTotal();
    }

    @Test
    void goldenReportsOfAPprofProfileWithLabels() throws IOException {
        Profile p = go();
        golden("go-labels.pb.gz.tags.text", TextReport.tags(Tags.compute(p, Selection.all())));
        golden("go-labels.pb.gz.tags.json", JsonReport.tags(Tags.compute(p, Selection.all())));
        golden("go-labels.pb.gz.top.tagfocus-tenant-a.text", TextReport.top(Top.compute(p, focus("tenant=a"), 10, false)));
        golden("go-labels.pb.gz.top.tagignore-route-orders.text",
                TextReport.top(Top.compute(p, ignore("route=/orders"), 10, false)));
        golden("go-labels.pb.gz.tree.tagroot-tenant-route.text", TextReport.tree(Tree.compute(
                TagFrames.of(p, List.of("tenant", "route"), List.of()), Selection.all(), new Tree.Options(4, 0, 0.005))));
        golden("go-labels.pb.gz.traces.tagleaf-tenant.text", TextReport.traces(Traces.compute(
                TagFrames.of(p, List.of(), List.of("tenant")), Selection.all(), 3)));
    }

    @Test
    void goldenReportsOfTwoRecordingsMerged() throws IOException {
        Profile m = merged();
        golden("merged-cpu.tags.text", TextReport.tags(Tags.compute(m, Selection.all())));
        golden("merged-cpu.tree.tagroot-file.depth-3.text", TextReport.tree(Tree.compute(
                TagFrames.of(m, List.of("file"), List.of()), Selection.all(), new Tree.Options(3, 0, 0.005))));
        golden("merged-cpu.top.tagfocus-file-jfr.text", TextReport.top(Top.compute(m, focus("file=^jfr"), 5, false)));
    }

    @Test
    void aFileFocusedIsThatFileAlone() {
        Profile m = merged();
        ReadOptions o = ReadOptions.defaults().withEvent("cpu").withAggregate(true);
        Profile a = ProfileReader.read(Fixtures.checkedIn("ap-cpu.jfr"), o);
        Profile b = ProfileReader.read(Fixtures.checkedIn("jfr-cpu.jfr"), o);
        assertThat(selected(m, focus("file=ap-cpu"))).isEqualTo(a.total(a.defaultValueIndex()));
        assertThat(selected(m, ignore("file=ap-cpu"))).isEqualTo(b.total(b.defaultValueIndex()));
        // the total stays the merge's, as with --thread
        assertThat(CallIndex.of(m, focus("file=ap-cpu")).total).isEqualTo(m.total(m.defaultValueIndex()));
        // --tagroot file: one root per file, each with its file's total
        Tree.Result t = Tree.compute(TagFrames.of(m, List.of("file"), List.of()), Selection.all(),
                new Tree.Options(1, 0, 0));
        assertThat(TextReport.tree(t)).contains("file:ap-cpu.jfr").contains("file:jfr-cpu.jfr");
    }

    @Test
    void pprofSemanticsOfTermsKeyedBareAndSeveral() {
        Profile p = go();
        long all = selected(p, Selection.all());
        long a = selected(p, focus("tenant=a"));
        long b = selected(p, focus("tenant=b"));
        assertThat(a + b).isEqualTo(all);
        assertThat(a).isEqualTo(270_000_000L);
        // KEY=R1,R2: either expression
        assertThat(selected(p, focus("tenant=^a$,^b$"))).isEqualTo(all);
        // a bare expression: any label's value (or key:value)
        assertThat(selected(p, focus("orders"))).isEqualTo(a);
        assertThat(selected(p, focus("^/users$"))).isEqualTo(b);
        assertThat(selected(p, focus("tenant:b"))).isEqualTo(b);
        // R1,R2 bare: each must find a label
        assertThat(selected(p, focus("orders,^a$"))).isEqualTo(a);
        assertThat(selected(p, focus("orders,^b$"))).isZero();
        // several terms: all of them; ignore drops
        assertThat(selected(p, focus("tenant=a", "route=users"))).isZero();
        assertThat(selected(p, ignore("tenant=a"))).isEqualTo(b);
    }

    @Test
    void theThreadOfAJfrRecordingIsALabelToo() {
        Profile lock = ProfileReader.read(Fixtures.checkedIn("ap-lock.jfr"), ReadOptions.defaults().withAggregate(true));
        Selection byThread = Selection.all().withThread("^contender-1$");
        assertThat(selected(lock, focus("thread=^contender-1$"))).isEqualTo(selected(lock, byThread)).isPositive();
        assertThat(selected(lock, focus("^contender-1$"))).isEqualTo(selected(lock, byThread));
        Tags.Result tags = Tags.compute(lock, Selection.all());
        assertThat(tags.keys()).extracting(Tags.Key::name).containsExactly("thread");
    }

    @Test
    void badTermsAreOneLineErrorsNamingTheOption() {
        Profile p = go();
        Selection s = Selection.all();
        assertThatThrownBy(() -> s.tagTerm("--tagfocus", "=x")).isInstanceOf(ReportException.class)
                .hasMessage("--tagfocus: '=x' has no label key before '=' (give KEY=REGEX)");
        assertThatThrownBy(() -> s.tagTerm("--tagfocus", "tenant=(")).isInstanceOf(ReportException.class)
                .hasMessageStartingWith("--tagfocus: '(' is not a valid regular expression");
        assertThatThrownBy(() -> s.tagTerm("--tagignore", "tenant=")).isInstanceOf(ReportException.class)
                .hasMessage("--tagignore: 'tenant=' has an empty regular expression after '='");
        assertThatThrownBy(() -> CallIndex.of(p, focus("user=x"))).isInstanceOf(ReportException.class)
                .hasMessage("go-labels.pb.gz: --tagfocus 'user=x' names no label key of this profile"
                        + " (keys: route, tenant, thread)");
        assertThatThrownBy(() -> CallIndex.of(p, focus("tenant=zz"))).isInstanceOf(ReportException.class)
                .hasMessageContaining("matches no label of this profile");
    }

    @Test
    void aComparisonNeedsATermToMatchOneSide() {
        Profile m = merged();
        Profile ap = ProfileReader.read(Fixtures.checkedIn("ap-cpu.jfr"), ReadOptions.defaults().withEvent("cpu")
                .withAggregate(true));
        // the file label is the merge's alone: enough that one side has it
        assertThat(CallIndex.diff(ap, m, focus("file=jfr-cpu"), Diff.Normalize.TOTAL).selectedTotal()).isPositive();
        assertThatThrownBy(() -> CallIndex.diff(ap, m, focus("tenant=a"), Diff.Normalize.TOTAL))
                .isInstanceOf(ReportException.class)
                .hasMessage("--tagfocus 'tenant=a' matches no label in either profile (keys: file, thread)");
    }
}
