package dev.proflab.gc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link GcLogParser} and {@link GcLogSummary} on real JDK 25 logs of the labs' alloc-before workload
 * ({@code -Xmx128m -Xlog:gc*}, cut to whole lines under 100 KB; the "-gc-only" ones {@code -Xmx64m -Xlog:gc}
 * of mem-hot). The expected numbers were counted from the log lines by hand (grep + sort, see docs/gclog.md),
 * not by this code.
 */
class GcLogParserTest {

    @TempDir
    Path dir;

    static Path log(String name) {
        try {
            return Path.of(GcLogParserTest.class.getResource("/gclogs/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // file,                  collector,                 collections, pauses, total ms, p50,  p90,  p99,  max
            "g1-jdk25.log,            G1,                        91,  91,  91.290, 0.824, 1.487, 3.903, 3.903",
            "parallel-jdk25.log,      Parallel,                  161, 161, 92.031, 0.516, 0.747, 2.438, 3.734",
            "serial-jdk25.log,        Serial,                    163, 163, 70.525, 0.364, 0.658, 1.605, 1.973",
            "zgc-jdk25.log,           The Z Garbage Collector,   16,  54,  0.424,  0.007, 0.013, 0.025, 0.025",
            "shenandoah-jdk25.log,    Shenandoah,                12,  22,  1.687,  0.052, 0.106, 0.443, 0.443",
            "g1-gc-only-jdk25.log,    G1,                        5,   6,   54.350, 9.038, 22.872, 22.872, 22.872",
    })
    void countsAndPausesEqualTheLogLines(String file, String collector, int collections, int pauses, double total,
                                         double p50, double p90, double p99, double max) {
        GcLogSummary s = GcLogSummary.of(GcLogParser.read(log(file)));
        assertThat(s.log().collector()).isEqualTo(collector);
        assertThat(s.gcCount()).isEqualTo(collections);
        assertThat(s.pauseCount()).isEqualTo(pauses);
        assertThat(s.pauseTotalMs()).isCloseTo(total, within(1e-6));
        assertThat(s.pauseP50Ms()).isEqualTo(p50);
        assertThat(s.pauseP90Ms()).isEqualTo(p90);
        assertThat(s.pauseP99Ms()).isEqualTo(p99);
        assertThat(s.pauseMaxMs()).isEqualTo(max);
        assertThat(s.throughput()).isPresent();
        assertThat(s.throughput().getAsDouble()).isCloseTo(1 - total / s.log().elapsedMs(), within(1e-9));
        assertThat(s.allocRateMbS()).isPresent();
    }

    @Test
    void g1CollectionsCarryTypeHeapAndTime() {
        GcLog log = GcLogParser.read(log("g1-jdk25.log"));
        GcLog.Collection first = log.collections().get(0);
        // [0.190s][info][gc,start    ] GC(0) Pause Young (Normal) (G1 Evacuation Pause)
        // [0.193s][info][gc          ] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 15M->1M(128M) 3.048ms
        assertThat(first.id()).isZero();
        assertThat(first.startMs()).isEqualTo(190.0);
        assertThat(first.type()).isEqualTo("Pause Young (Normal) (G1 Evacuation Pause)");
        assertThat(first.pauseMs()).isEqualTo(3.048);
        assertThat(first.heapBeforeKb()).isEqualTo(15 * 1024);
        assertThat(first.heapAfterKb()).isEqualTo(1024);
        assertThat(first.heapCommittedKb()).isEqualTo(128 * 1024);
        assertThat(log.elapsedMs()).isEqualTo(1383.0);
    }

    @Test
    void g1ConcurrentCycleHasRemarkAndCleanup() {
        GcLog log = GcLogParser.read(log("g1-gc-only-jdk25.log"));
        GcLog.Collection cycle = log.collections().get(4);
        assertThat(cycle.type()).isEqualTo("Concurrent Mark Cycle");
        assertThat(cycle.pauses()).extracting(GcLog.Pause::name).containsExactly("Pause Remark", "Pause Cleanup");
    }

    @Test
    void zgcCyclesGroupTheirPausesAndKeepTheCycleTime() {
        GcLog log = GcLogParser.read(log("zgc-jdk25.log"));
        GcLog.Collection first = log.collections().get(0);
        // GC(0) Major Collection (Warmup) 14M(11%)->12M(9%) 0.037s; Y: and O: Pause Mark Start/End, Relocate Start
        assertThat(first.type()).isEqualTo("Major Collection (Warmup)");
        assertThat(first.pauses()).hasSize(5);
        assertThat(first.heapBeforeKb()).isEqualTo(14 * 1024);
        assertThat(first.heapAfterKb()).isEqualTo(12 * 1024);
        // from the Heap Statistics' Capacity rows (its [gc] line has a share of the maximum instead)
        assertThat(first.heapCommittedKb()).isEqualTo(128 * 1024);
        assertThat(first.cycleMs()).isCloseTo(37.0, within(1e-9));
        assertThat(GcLogSummary.of(log).heapPeakCommittedMb()).hasValue(128.0);
    }

    @Test
    void zgcWithoutGcPhasesHasCollectionsButUnknownPauses() {
        GcLogSummary s = GcLogSummary.of(GcLogParser.read(log("zgc-gc-only-jdk25.log")));
        assertThat(s.gcCount()).isEqualTo(13);
        assertThat(s.pauseCount()).isZero();
        assertThat(s.pausesLogged()).isFalse();
        assertThat(s.throughput()).isEmpty();
        assertThat(s.heapPeakCommittedMb()).isEmpty(); // no Capacity rows without gc*
    }

    @Test
    void shenandoahCyclesAreNamedAndDegeneratedOnesKeepTheirName() {
        GcLog log = GcLogParser.read(log("shenandoah-jdk25.log"));
        assertThat(log.collections().get(0).type()).isEqualTo("Concurrent cycle");
        assertThat(log.collections()).extracting(GcLog.Collection::type).contains("Pause Degenerated GC (Mark)");
    }

    @Test
    void percentileIsNearestRank() {
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(GcLogSummary.percentile(v, 50)).isEqualTo(5);
        assertThat(GcLogSummary.percentile(v, 90)).isEqualTo(9);
        assertThat(GcLogSummary.percentile(v, 99)).isEqualTo(10);
        assertThat(GcLogSummary.percentile(new double[0], 99)).isZero();
    }

    @Test
    void allocationAddsWhatEachCollectionFoundSinceTheLast() {
        GcLog log = GcLogParser.read(log("g1-gc-only-jdk25.log"));
        // 15M->8M, 28M->20M, 35M->30M, 43M->40M, 44M->44M: 15 + 20 + 15 + 13 + 4 = 67 MB
        GcLogSummary s = GcLogSummary.of(log);
        assertThat(s.allocatedMb().getAsDouble()).isEqualTo(67.0);
        assertThat(s.heapPeakUsedMb().getAsDouble()).isEqualTo(44.0);
    }

    @Test
    void otherDecorationsAreRead() throws IOException {
        Path f = dir.resolve("decorated.log");
        Files.writeString(f, """
                [2026-11-26T09:47:27.100+0000][12ms][info][gc] Using Serial
                [2026-11-26T09:47:27.300+0000][212ms][info][gc] GC(0) Pause Young (Allocation Failure) 18M->10M(61M) 8.091ms
                [2026-11-26T09:47:27.500+0000][412ms][info][gc] GC(1) Pause Full (System.gc()) 12M->3M(61M) 11.500ms
                """);
        GcLogSummary s = GcLogSummary.of(GcLogParser.read(f));
        assertThat(s.log().collector()).isEqualTo("Serial");
        assertThat(s.log().elapsedMs()).isEqualTo(412.0);
        assertThat(s.pauseMaxMs()).isEqualTo(11.5);
        assertThat(s.log().collections().get(1).type()).isEqualTo("Pause Full (System.gc())");
    }

    @Test
    void aMissingFileIsOneLine() {
        assertThatThrownBy(() -> GcLogParser.read(dir.resolve("nope.log")))
                .isInstanceOf(GcLogException.class).hasMessageEndingWith("nope.log: no such file");
    }

    @Test
    void aDirectoryIsRejected() {
        assertThatThrownBy(() -> GcLogParser.read(dir))
                .isInstanceOf(GcLogException.class).hasMessageContaining("is a directory");
    }

    @Test
    void aTextFileIsNotAGcLog() throws IOException {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "allocated items=40000\nsomething else\n");
        assertThatThrownBy(() -> GcLogParser.read(f))
                .isInstanceOf(GcLogException.class)
                .hasMessageContaining("notes.txt:1: not a unified JVM log line")
                .hasMessageContaining("-Xlog:gc");
    }

    @Test
    void aBinaryFileIsNotAGcLog() throws IOException {
        Path f = dir.resolve("x.jfr");
        Files.write(f, new byte[] {'F', 'L', 'R', 0, 0, 2, 0, 1, (byte) 0xff, '\n'});
        assertThatThrownBy(() -> GcLogParser.read(f))
                .isInstanceOf(GcLogException.class).hasMessageContaining("x.jfr:1: a binary file, not a GC log");
    }

    @Test
    void anEmptyFileIsNotAGcLog() throws IOException {
        Path f = dir.resolve("empty.log");
        Files.writeString(f, "");
        assertThatThrownBy(() -> GcLogParser.read(f))
                .isInstanceOf(GcLogException.class).hasMessageContaining("empty.log: empty");
    }

    @Test
    void aJvmLogWithoutGcLinesIsNotAGcLog() throws IOException {
        Path f = dir.resolve("safepoint.log");
        Files.writeString(f, "[0.105s][info][safepoint] Safepoint \"Cleanup\", Time since last: 1000 ns, Reaching safepoint: 100 ns\n");
        assertThatThrownBy(() -> GcLogParser.read(f))
                .isInstanceOf(GcLogException.class).hasMessageContaining("without [gc] lines");
    }

    @Test
    void aTruncatedLogIsRejectedWithItsLastLine() throws IOException {
        byte[] all = Files.readAllBytes(log("g1-jdk25.log"));
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int cut = text.indexOf("3.048ms");  // in the middle of GC(0)'s pause line
        Path f = dir.resolve("cut.log");
        Files.write(f, java.util.Arrays.copyOf(all, cut));
        long lines = text.substring(0, cut).lines().count();
        assertThatThrownBy(() -> GcLogParser.read(f))
                .isInstanceOf(GcLogException.class)
                .hasMessage(f + ":" + lines + ": the last line is cut short (a truncated log?)");
    }

    @Test
    void aBrokenLineInTheMiddleIsRejected() throws IOException {
        String text = Files.readString(log("g1-gc-only-jdk25.log"));
        Path f = dir.resolve("broken.log");
        Files.writeString(f, text.replace("[0.276s][info][gc]", "[0.276s][info][gc"));
        assertThatThrownBy(() -> GcLogParser.read(f))
                .isInstanceOf(GcLogException.class).hasMessageContaining("broken.log:3: not a unified JVM log line");
    }

    @Test
    void programOutputBetweenLogLinesIsSkippedAndCounted() throws IOException {
        String text = Files.readString(log("g1-gc-only-jdk25.log"));
        Path f = dir.resolve("stdout.txt");
        Files.writeString(f, text.replace("[0.352s]", "allocated items=40000\n[0.352s]") + "done\n");
        GcLogSummary s = GcLogSummary.of(GcLogParser.read(f));
        assertThat(s.log().otherLines()).isEqualTo(2);
        assertThat(s.gcCount()).isEqualTo(5);
        assertThat(s.pauseMaxMs()).isEqualTo(22.872);
    }

    static String resource(String name) {
        try (InputStream in = GcLogParserTest.class.getResourceAsStream("/gclogs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
