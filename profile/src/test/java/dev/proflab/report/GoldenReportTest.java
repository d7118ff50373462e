package dev.proflab.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proflab.profile.Operations;
import dev.proflab.profile.Profile;
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
 * Every report, text and JSON, on the checked-in recordings ({@code src/test/resources/profiles})
 * against golden files in {@code profiles/golden}, named as pprof names its testdata:
 * {@code <recording>.<report>[.<options>].<format>}. To accept new output after an intended change:
 * {@code ./mvnw -pl profile test -Dtest=GoldenReportTest -Dgolden.update=true}, then review the diff.
 */
class GoldenReportTest {

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

    /** Read as the CLI reads: aggregated. */
    private static Profile read(String file, String event) {
        return read(file, ReadOptions.defaults().withEvent(event));
    }

    private static Profile read(String file, ReadOptions o) {
        return ProfileReader.read(Fixtures.checkedIn(file), o.withAggregate(true));
    }

    private static final Selection ALL = Selection.all();

    @Test
    void asyncProfilerCpu() throws IOException {
        Profile p = read("ap-cpu.jfr", (String) null);
        golden("ap-cpu.top.text", TextReport.top(Top.compute(p, ALL, 10, false)));
        golden("ap-cpu.top.json", JsonReport.top(Top.compute(p, ALL, 10, false)));
        golden("ap-cpu.top.cum.text", TextReport.top(Top.compute(p, ALL, 10, true)));
        golden("ap-cpu.top.lines.text", TextReport.top(Top.compute(p, ALL.withLines(true), 10, false)));
        golden("ap-cpu.top.hide-method.text", TextReport.top(Top.compute(p, ALL.withHide("Workload\\.method"), 10, false)));
        golden("ap-cpu.list.methodA.text",
                TextReport.list(Lines.compute(p, ALL, "Workload\\.methodA", List.of(Fixtures.testSources()))));
        golden("ap-cpu.list.methodA.nosource.text", TextReport.list(Lines.compute(p, ALL, "Workload\\.methodA", List.of())));
        golden("ap-cpu.peek.methodA.text", TextReport.peek(Peek.compute(p, ALL, "Workload\\.methodA", 0, false)));
        golden("ap-cpu.peek.methodA.json", JsonReport.peek(Peek.compute(p, ALL, "Workload\\.methodA", 0, false)));
        golden("ap-cpu.tree.text", TextReport.tree(Tree.compute(p, ALL, Tree.Options.defaults())));
        golden("ap-cpu.tree.json", JsonReport.tree(Tree.compute(p, ALL, Tree.Options.defaults())));
        golden("ap-cpu.traces.text", TextReport.traces(Traces.compute(p, ALL, 0)));
        golden("ap-cpu.traces.json", JsonReport.traces(Traces.compute(p, ALL, 0)));
    }

    @Test
    void flightRecorderCpu() throws IOException {
        Profile p = read("jfr-cpu.jfr", "cpu");
        golden("jfr-cpu.top.text", TextReport.top(Top.compute(p, ALL, 10, false)));
        golden("jfr-cpu.top.signatures.text", TextReport.top(Top.compute(p, ALL.withSignatures(true), 5, false)));
        golden("jfr-cpu.top.focus-methodB.text", TextReport.top(Top.compute(p, ALL.withFocus("methodB"), 10, false)));
        golden("jfr-cpu.top.samples.text", TextReport.top(Top.compute(read("jfr-cpu.jfr",
                ReadOptions.defaults().withSampleIndex("samples")), ALL, 5, false)));
        golden("jfr-cpu.cpu-time.top.text", TextReport.top(Top.compute(read("jfr-cpu.jfr", "cpu-time"), ALL, 10, false)));
        golden("jfr-cpu.tree.depth-3.text", TextReport.tree(Tree.compute(p, ALL, new Tree.Options(3, 0, 0.005))));
    }

    @Test
    void allocations() throws IOException {
        golden("ap-alloc.top.text", TextReport.top(Top.compute(read("ap-alloc.jfr", "alloc"), ALL, 10, false)));
        golden("ap-alloc.top.objects.text", TextReport.top(Top.compute(
                read("ap-alloc.jfr", ReadOptions.defaults().withSampleIndex("objects")), ALL, 10, false)));
        golden("ap-alloc.top.classes.text", TextReport.top(Top.compute(
                read("ap-alloc.jfr", ReadOptions.defaults().withClassFrames(true)), ALL, 10, false)));
        golden("jfr-alloc.top.text", TextReport.top(Top.compute(read("jfr-alloc.jfr", "alloc"), ALL, 10, false)));
        golden("jfr-alloc.list.alloc.text", TextReport.list(Lines.compute(read("jfr-alloc.jfr", "alloc"), ALL,
                "Workload\\.alloc[AB]$", List.of(Fixtures.testSources()))));
    }

    @Test
    void locks() throws IOException {
        Profile ap = read("ap-lock.jfr", "lock");
        golden("ap-lock.top.text", TextReport.top(Top.compute(ap, ALL, 10, false)));
        Profile byClass = read("ap-lock.jfr", ReadOptions.defaults().withEvent("lock").withClassFrames(true));
        golden("ap-lock.top.classes.text", TextReport.top(Top.compute(byClass, ALL, 10, false)));
        golden("ap-lock.peek.Gate.classes.text", TextReport.peek(Peek.compute(byClass, ALL, "Gate", 0, false)));
        golden("ap-lock.top.thread-contender-1.text", TextReport.top(Top.compute(ap, ALL.withThread("contender-1"), 10, false)));
        golden("ap-lock.wall.top.thread-contender.text", TextReport.top(Top.compute(read("ap-lock.jfr", "wall"),
                ALL.withThread("contender"), 10, false)));
        Profile jfr = read("jfr-lock.jfr", "lock");
        golden("jfr-lock.top.text", TextReport.top(Top.compute(jfr, ALL, 10, false)));
        golden("jfr-lock.traces.text", TextReport.traces(Traces.compute(jfr, ALL, 3)));
    }

    @Test
    void pprof() throws IOException {
        golden("ap-cpu.pb.gz.top.text", TextReport.top(Top.compute(read("ap-cpu.pb.gz", (String) null), ALL, 10, false)));
        golden("ap-cpu.pb.gz.list.methodA.text", TextReport.list(Lines.compute(read("ap-cpu.pb.gz", (String) null), ALL,
                "methodA", List.of(Fixtures.testSources()))));
        golden("ap-alloc.pb.gz.top.text", TextReport.top(Top.compute(read("ap-alloc.pb.gz", (String) null), ALL, 10, false)));
    }

    /**
     * Per operation, with the counts of the recordings' {@code FILE.ops.json} (numbers chosen for the tests: 1000
     * operations for ap-cpu, 500 for ap-alloc, 600 for each a0N and 400 for each b0N of diff/).
     */
    @Test
    void perOperation() throws IOException {
        Operations cpuOps = Operations.read(Fixtures.checkedIn("ap-cpu.jfr"));
        assertThat(cpuOps.count()).isEqualTo(1000);
        PerOp.Result cpu = PerOp.of(Top.compute(read("ap-cpu.jfr", (String) null), ALL, 10, false), cpuOps);
        golden("ap-cpu.top.per-op.text", TextReport.topPerOp(cpu));
        golden("ap-cpu.top.per-op.json", JsonReport.topPerOp(cpu));
        Operations allocOps = Operations.read(Fixtures.checkedIn("ap-alloc.jfr"));
        golden("ap-alloc.top.per-op.text", TextReport.topPerOp(PerOp.of(Top.compute(read("ap-alloc.jfr",
                (String) null), ALL, 10, false), allocOps)));
        golden("ap-alloc.top.objects.per-op.text", TextReport.topPerOp(PerOp.of(Top.compute(read("ap-alloc.jfr",
                ReadOptions.defaults().withSampleIndex("objects")), ALL, 10, false), allocOps)));

        List<Profile> a = new java.util.ArrayList<>();
        List<Profile> b = new java.util.ArrayList<>();
        List<Operations> ao = new java.util.ArrayList<>();
        List<Operations> bo = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            a.add(read("diff/a0" + i + ".jfr", (String) null));
            b.add(read("diff/b0" + i + ".jfr", (String) null));
            ao.add(Operations.read(Fixtures.checkedIn("diff/a0" + i + ".jfr")));
            bo.add(Operations.read(Fixtures.checkedIn("diff/b0" + i + ".jfr")));
        }
        Diff.Result ops = Diff.compute(a, b, ALL, Diff.Normalize.OPS, 0, Operations.sum(ao), Operations.sum(bo));
        assertThat(ops.normUnit()).isEqualTo("nanoseconds/op");
        // the test of a change is the same as with shares: the same function is marked
        assertThat(ops.rows().stream().filter(Diff.Row::significant).map(Diff.Row::name))
                .containsExactly("Workload.checksum");
        golden("diff.3v3.ops.text", TextReport.diff(ops, 8));
        golden("diff.3v3.ops.json", JsonReport.diff(ops, 3));
        CallIndex d = CallIndex.diff(a.get(0), b.get(0), Selection.all().withFocus("Workload.checksum"),
                Diff.Normalize.OPS, ao.get(0), bo.get(0));
        golden("diff.tree.base.ops.text", TextReport.tree(Tree.compute(d, new Tree.Options(0, 0, 0.02))));
    }

    /** Three recordings of a program against three of it with one function 2.5x heavier, and one against one. */
    @Test
    void diff() throws IOException {
        List<Profile> a = new java.util.ArrayList<>();
        List<Profile> b = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            a.add(read("diff/a0" + i + ".jfr", (String) null));
            b.add(read("diff/b0" + i + ".jfr", (String) null));
        }
        Diff.Result three = Diff.compute(a, b, ALL, Diff.Normalize.TOTAL, 0);
        assertThat(three.limitation()).isNull();
        assertThat(three.rows().stream().filter(Diff.Row::significant).map(Diff.Row::name))
                .contains("Workload.checksum");
        golden("diff.3v3.text", TextReport.diff(three, 12));
        golden("diff.3v3.json", JsonReport.diff(three, 6));
        Diff.Result one = Diff.compute(List.of(a.get(0)), List.of(b.get(0)), ALL, Diff.Normalize.TOTAL, 0);
        assertThat(one.limitation()).startsWith("One recording on each side");
        golden("diff.1v1.text", TextReport.diff(one, 8));
        golden("diff.3v3.hide-java.text", TextReport.diff(Diff.compute(a, b, Selection.all().withHide("^(java|jdk)\\."),
                Diff.Normalize.TOTAL, 0), 8));
        // the other reports through --base: the change along the call tree, and in top's shape
        CallIndex d = CallIndex.diff(a.get(0), b.get(0), Selection.all().withFocus("Workload.checksum"),
                Diff.Normalize.TOTAL);
        golden("diff.tree.base.text", TextReport.tree(Tree.compute(d, new Tree.Options(0, 0, 0.02))));
    }
}
