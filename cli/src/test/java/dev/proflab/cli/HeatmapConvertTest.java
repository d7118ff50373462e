package dev.proflab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code convert -o x.heatmap.html}: async-profiler's heatmap, from either engine's recording; nothing else. */
class HeatmapConvertTest {

    static final String AP_CPU = "../profile/src/test/resources/profiles/ap-cpu.jfr";
    static final String JFR_CPU = "../profile/src/test/resources/profiles/jfr-cpu.jfr";
    static final String AP_ALLOC = "../profile/src/test/resources/profiles/ap-alloc.jfr";
    static final String PPROF = "../profile/src/test/resources/profiles/ap-cpu.pb.gz";

    @TempDir
    Path dir;

    @Test
    void bothEnginesRecordingsBecomeAHeatmapPage() throws Exception {
        for (String in : new String[] {AP_CPU, JFR_CPU}) {
            Path out = dir.resolve(Path.of(in).getFileName() + ".heatmap.html");
            CliRun r = CliRun.of("convert", in, "-o", out.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("heatmap of cpu");
            String page = Files.readString(out);
            assertThat(page).startsWith("<!DOCTYPE html>").contains("async-profiler");
            assertThat(page).contains("Workload");  // the fixture's class is among the names it packs
        }
    }

    @Test
    void theEventIsChosenAndAnEventWithoutSamplesIsRefusedWithNoFileLeft() throws Exception {
        Path alloc = dir.resolve("alloc.heatmap.html");
        assertThat(CliRun.of("convert", AP_ALLOC, "--event", "alloc", "-o", alloc.toString()).exitCode()).isZero();
        Path none = dir.resolve("none.heatmap.html");
        CliRun r = CliRun.of("convert", AP_ALLOC, "--event", "lock", "-o", none.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).endsWith("no lock samples to draw");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("alloc.heatmap.html");
        }
    }

    @Test
    void pprofFiltersAndBaseAreRefusedInOneLine() {
        Path out = dir.resolve("x.heatmap.html");
        assertThat(CliRun.of("convert", PPROF, "-o", out.toString()).err().strip())
                .endsWith("not a JFR recording: the heatmap reads JFR (async-profiler's or the JDK's)");
        assertThat(CliRun.of("convert", AP_CPU, "--focus", "x", "-o", out.toString()).exitCode()).isEqualTo(2);
        assertThat(CliRun.of("convert", AP_CPU, "--title", "x", "-o", out.toString()).exitCode()).isEqualTo(2);
        assertThat(CliRun.of("convert", AP_CPU, "--format", "heatmap", "--event", "bogus", "-o", out.toString()).exitCode()).isEqualTo(2);
        assertThat(Files.exists(out)).isFalse();
    }
}
