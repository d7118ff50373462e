package dev.proflab.cli;

import dev.proflab.export.OtlpProfiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code convert -o x.otlp}: OpenTelemetry profiles of a JFR file of either engine, the converter's bytes as they are
 * (the profile module's OtlpProfilesTest decodes them with the official classes); nothing else.
 */
class OtlpConvertTest {

    static final String AP_CPU = "../profile/src/test/resources/profiles/ap-cpu.jfr";
    static final String JFR_CPU = "../profile/src/test/resources/profiles/jfr-cpu.jfr";
    static final String AP_ALLOC = "../profile/src/test/resources/profiles/ap-alloc.jfr";
    static final String PPROF = "../profile/src/test/resources/profiles/ap-cpu.pb.gz";

    @TempDir
    Path dir;

    @Test
    void bothEnginesRecordingsBecomeTheConvertersRequest() throws Exception {
        for (String in : new String[] {AP_CPU, JFR_CPU}) {
            Path out = dir.resolve(Path.of(in).getFileName() + ".otlp");
            CliRun r = CliRun.of("convert", in, "--event", "cpu", "-o", out.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("OTLP profiles (ExportProfilesServiceRequest) of cpu");
            assertThat(Files.readAllBytes(out)).isEqualTo(OtlpProfiles.of(Path.of(in), "cpu").bytes());
        }
        // without --event, the recording's main event, as the reports: cpu, not cpu-time too
        Path named = dir.resolve("named.bin");
        CliRun r = CliRun.of("convert", JFR_CPU, "--format", "otlp", "-o", named.toString());
        assertThat(r.out()).contains("of cpu, 1,288 events");
        assertThat(Files.readAllBytes(named)).isEqualTo(OtlpProfiles.of(Path.of(JFR_CPU), "cpu").bytes());
        // and of an allocation recording, its allocations
        Path alloc = dir.resolve("alloc.otlp");
        assertThat(CliRun.of("convert", AP_ALLOC, "-o", alloc.toString()).out()).contains("OTLP profiles (ExportProfilesServiceRequest) of alloc");
    }

    @Test
    void anEventWithoutSamplesIsRefusedInOneLineWithNoFileLeft() throws Exception {
        Path alloc = dir.resolve("alloc.otlp");
        assertThat(CliRun.of("convert", AP_ALLOC, "--event", "alloc", "-o", alloc.toString()).exitCode()).isZero();
        Path none = dir.resolve("none.otlp");
        CliRun r = CliRun.of("convert", AP_ALLOC, "--event", "lock", "-o", none.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").endsWith("no lock samples to write");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("alloc.otlp");
        }
    }

    @Test
    void pprofFiltersAndBaseAreRefusedInOneLine() {
        Path out = dir.resolve("x.otlp");
        CliRun pprof = CliRun.of("convert", PPROF, "-o", out.toString());
        assertThat(pprof.exitCode()).isEqualTo(2);
        assertThat(pprof.err().strip()).doesNotContain("\n")
                .endsWith("not a JFR recording: OTLP profiles are written of JFR (async-profiler's or the JDK's)");
        assertThat(CliRun.of("convert", AP_CPU, "--focus", "x", "-o", out.toString()).exitCode()).isEqualTo(2);
        assertThat(CliRun.of("convert", AP_CPU, "--base", AP_CPU, "-o", out.toString()).exitCode()).isEqualTo(2);
        assertThat(CliRun.of("convert", AP_CPU, "--format", "otlp", "--event", "bogus", "-o", out.toString())
                .exitCode()).isEqualTo(2);
        assertThat(CliRun.of("convert", "no-such.jfr", "-o", out.toString()).exitCode()).isEqualTo(2);
        assertThat(Files.exists(out)).isFalse();
    }
}
