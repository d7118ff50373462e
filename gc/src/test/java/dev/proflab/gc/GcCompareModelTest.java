package dev.proflab.gc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sizes, configurations and medians of {@code proflab gc}: checked before anything runs. */
class GcCompareModelTest {

    @ParameterizedTest
    @CsvSource({"64m,67108864", "64M,67108864", "1g,1073741824", "4096k,4194304", "3145728,3145728", "2m,2097152"})
    void sizesParseAsTheJvmReadsThem(String text, long bytes) {
        assertThat(HeapSize.parseHeap(text, "--heap")).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "64mb", "-64m", "1.5g", "64 m", "m", "99999999999999999999"})
    void badSizesAreOneLineNamingTheOption(String text) {
        assertThatThrownBy(() -> HeapSize.parseHeap(text, "--heap"))
                .isInstanceOf(GcCompareException.class)
                .hasMessageStartingWith("--heap: '" + text + "'")
                .hasMessageNotContaining("\n");
    }

    @Test
    void tooSmallOrTooLargeHeaps() {
        assertThatThrownBy(() -> HeapSize.parseHeap("1m", "--heap")).hasMessageContaining("too small");
        assertThatThrownBy(() -> HeapSize.parseHeap("0", "--heap")).hasMessageContaining("too small");
        assertThatThrownBy(() -> HeapSize.parseHeap("5000t", "--heap")).hasMessageContaining("larger than 4t");
        assertThatThrownBy(() -> HeapSize.parseHeap("9000000t", "--heap")).hasMessageContaining("too large");
    }

    @Test
    void formatIsTheShortestSpelling() {
        assertThat(HeapSize.format(64L << 20)).isEqualTo("64m");
        assertThat(HeapSize.format(2L << 30)).isEqualTo("2g");
        assertThat(HeapSize.format(1536L << 10)).isEqualTo("1536k");
        assertThat(HeapSize.format(1000)).isEqualTo("1000");
    }

    @Test
    void sizesInsideCustomConfigsAreChecked() {
        assertThatThrownBy(() -> GcConfig.parse("mine=-XX:+UseG1GC -Xmxlots"))
                .isInstanceOf(GcCompareException.class)
                .hasMessage("config mine: -Xmxlots: 'lots' is not a size (use e.g. 64m, 512m, 2g)");
        assertThatThrownBy(() -> GcConfig.parse("mine=-XX:+UseZGC -XX:SoftMaxHeapSize=1.5g"))
                .hasMessageContaining("-XX:SoftMaxHeapSize=1.5g");
        assertThatThrownBy(() -> GcConfig.parse("mine=-Xmx1k")).hasMessageContaining("too small");
        // options the runner cannot judge are left to the JVM
        assertThat(GcConfig.parse("foo=-XX:+UseFooGC -Xmx64m").jvmOptions()).containsExactly("-XX:+UseFooGC", "-Xmx64m");
    }

    @Test
    void customConfigs() {
        GcConfig c = GcConfig.parse("g1-pause5= -XX:+UseG1GC  -Xmx128m -XX:MaxGCPauseMillis=5 ");
        assertThat(c.name()).isEqualTo("g1-pause5");
        assertThat(c.jvmOptions()).containsExactly("-XX:+UseG1GC", "-Xmx128m", "-XX:MaxGCPauseMillis=5");
        assertThat(c.collector()).contains(GcConfig.Collector.G1);
        assertThat(GcConfig.parse("plain=-Xmx64m").collector()).isEmpty();
        assertThatThrownBy(() -> GcConfig.parse("-Xmx64m")).hasMessageContaining("NAME=JVM-OPTIONS");
        assertThatThrownBy(() -> GcConfig.parse("a b=-Xmx64m")).hasMessageContaining("config name 'a b'");
        assertThatThrownBy(() -> GcConfig.parse("x=Xmx64m")).hasMessageContaining("'Xmx64m' is not a JVM option");
    }

    @Test
    void collectorsByName() {
        assertThat(GcConfig.Collector.byId("ZGC")).isEqualTo(GcConfig.Collector.ZGC);
        assertThat(GcConfig.Collector.byId("z")).isEqualTo(GcConfig.Collector.ZGC);
        assertThatThrownBy(() -> GcConfig.Collector.byId("cms")).hasMessageStartingWith("collector: unknown collector 'cms'")
                .hasMessageEndingWith("other JVM options with config NAME=OPTIONS)")
                .satisfies(e -> assertThat(((GcCompareException) e).phrase().parameters()).containsExactly("collector", "config"));
        GcConfig g = GcConfig.of(GcConfig.Collector.PARALLEL, 64L << 20, true);
        assertThat(g.name()).isEqualTo("parallel-64m");
        assertThat(g.jvmOptions()).containsExactly("-XX:+UseParallelGC", "-Xmx64m", "-Xms64m");
        assertThat(GcConfig.Collector.fromLog("The Z Garbage Collector")).isEqualTo("ZGC");
        assertThat(GcConfig.Collector.fromLog("G1")).isEqualTo("G1");
        assertThat(GcConfig.Collector.fromLog("unknown")).isNull();
    }

    @Test
    void presetsAreTheGogcAndGomemlimitCounterparts() {
        List<GcConfig> p = GcConfig.presets(64L << 20);
        assertThat(p).extracting(GcConfig::name).containsExactly("g1-gctimeratio4", "g1-gctimeratio99", "zgc-softmax");
        assertThat(p.get(0).jvmOptions()).contains("-XX:GCTimeRatio=4", "-Xms16m", "-Xmx256m");
        assertThat(p.get(1).jvmOptions()).contains("-XX:GCTimeRatio=99", "-Xms16m", "-Xmx256m");
        assertThat(GcConfig.presets(4L << 20).get(0).jvmOptions()).contains("-Xms8m", "-Xmx16m");
        assertThat(p.get(2).jvmOptions()).contains("-XX:+UseZGC", "-XX:SoftMaxHeapSize=64m", "-Xmx256m");
    }

    static GcRun run(int n, Double wall, Integer gcs, Double maxPause, String error) {
        return new GcRun("c", "before", n, "G1", error, wall, gcs, wall == null ? null : 10.0 * n, maxPause, maxPause,
                null, 100.0, 40.0, 64.0, 120.0, List.of(), List.of());
    }

    @Test
    void rowsAreMediansAndUnknownStaysNull() {
        GcConfig c = GcConfig.parse("c=-XX:+UseG1GC -Xmx64m");
        GcRow r = GcRow.of(c, "before", List.of(run(1, 3.0, 10, 2.0, null), run(2, 1.0, 30, null, null),
                run(3, 2.0, 20, 4.0, null)));
        assertThat(r.runs()).isEqualTo(3);
        assertThat(r.wallS()).isEqualTo(2.0);
        assertThat(r.gcCount()).isEqualTo(20.0);
        assertThat(r.pauseTotalMs()).isEqualTo(20.0);
        assertThat(r.pauseMaxMs()).isEqualTo(3.0); // median of the two known values
        assertThat(r.gcCpuS()).isNull();
        assertThat(r.error()).isNull();
        assertThat(GcRow.medianRun(List.of(run(1, 3.0, 1, 1.0, null), run(2, 1.0, 1, 1.0, null),
                run(3, 2.0, 1, 1.0, null))).run()).isEqualTo(3);
    }

    @Test
    void failedRunsBecomeTheRowsError() {
        GcConfig c = GcConfig.parse("c=-XX:+UseSerialGC -Xmx32m");
        GcRow all = GcRow.of(c, "before", List.of(GcRun.failed("c", "before", 1, null, "timed out after 5 s (killed)")));
        assertThat(all.error()).isEqualTo("timed out after 5 s (killed)");
        assertThat(all.runs()).isZero();
        assertThat(all.wallS()).isNull();
        assertThat(all.collector()).isEqualTo("Serial");
        GcRow some = GcRow.of(c, "before", List.of(run(1, 1.0, 5, 1.0, "OutOfMemoryError after 300 items"),
                run(2, 1.0, 5, 1.0, null)));
        assertThat(some.error()).isEqualTo("OutOfMemoryError after 300 items (1 of 2 runs)");
        assertThat(some.runs()).isEqualTo(2);
        GcRow skipped = GcRow.skipped(GcConfig.parse("foo=-XX:+UseFooGC"), "after", "Unrecognized VM option 'UseFooGC'");
        assertThat(skipped.error()).isEqualTo("Unrecognized VM option 'UseFooGC'");
        assertThat(skipped.collector()).isNull();
    }

    @Test
    void firstErrorSaysWhatTheJvmRefused() {
        assertThat(GcRunner.firstError(List.of("Unrecognized VM option 'UseFooGC'",
                "Error: Could not create the Java Virtual Machine."), 1)).isEqualTo("Unrecognized VM option 'UseFooGC'");
        assertThat(GcRunner.firstError(List.of("Error occurred during initialization of VM",
                "Initial heap size set to a larger value than the maximum heap size"), 1))
                .isEqualTo("Error occurred during initialization of VM: Initial heap size set to a larger value than "
                        + "the maximum heap size");
        assertThat(GcRunner.firstError(List.of(" "), 1)).isEqualTo("the JVM exited with code 1");
    }

    @Test
    void lastWordsPickTheErrorLine() {
        assertThat(GcRunner.lastWords(List.of("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space",
                "\tat Foo.bar(Foo.java:1)"), 1)).isEqualTo("java.lang.OutOfMemoryError: Java heap space");
        assertThat(GcRunner.lastWords(List.of("", "something went wrong"), 3)).isEqualTo("something went wrong");
        assertThat(GcRunner.lastWords(List.of(), 137)).isEqualTo("the JVM exited with code 137");
    }
}
