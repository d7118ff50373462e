package dev.proflab.cli;

import dev.proflab.export.ExportFormat;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;
import dev.proflab.report.Inverted;
import dev.proflab.report.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code proflab convert --inverted} on the fib lab's recording (a recursive {@code Fib.recursive}). */
class ConvertInvertedTest {

    static final Path FIB = Path.of("../viewer/src/test/resources/profiles/fib-before-cpu.jfr");

    @TempDir
    Path dir;

    @Test
    void theCollapsedStacksAreTurnedOver() throws IOException {
        Path down = dir.resolve("down.collapsed");
        Path up = dir.resolve("up.collapsed");
        assertThat(CliRun.of("convert", FIB.toString(), "-o", down.toString()).exitCode()).isZero();
        CliRun r = CliRun.of("convert", FIB.toString(), "--inverted", "-o", up.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("up.collapsed: collapsed bottom-up, cpu profile");
        // each line of the one is a line of the other, its frames in the other order, with the same value
        List<String> turned = new ArrayList<>();
        for (String line : Files.readAllLines(up)) {
            int sp = line.lastIndexOf(' ');
            List<String> frames = Arrays.asList(line.substring(0, sp).split(";"));
            Collections.reverse(frames);
            turned.add(String.join(";", frames) + line.substring(sp));
        }
        assertThat(turned).containsExactlyInAnyOrderElementsOf(Files.readAllLines(down));
        assertThat(Files.readAllLines(up)).allMatch(l -> !l.startsWith("java.lang.Thread") && !l.startsWith(
                "dev.proflab.labs.Run.main;"));
    }

    @Test
    void theHtmlPageIsTheFlameGraphOfTheProfileTurnedOver() throws IOException {
        Path html = dir.resolve("up.html");
        CliRun r = CliRun.of("convert", FIB.toString(), "--inverted", "--focus", "Fib", "-o", html.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("up.html: html bottom-up");
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        ExportFormat.HTML.write(Inverted.of(ProfileReader.read(FIB, ReadOptions.defaults().withAggregate(true))),
                Selection.all().withFocus("Fib"), null, null, want);
        assertThat(Files.readString(html)).isEqualTo(want.toString(java.nio.charset.StandardCharsets.UTF_8));
        Path down = dir.resolve("down.html");
        assertThat(CliRun.of("convert", FIB.toString(), "--focus", "Fib", "-o", down.toString()).exitCode()).isZero();
        assertThat(Files.readString(down)).isNotEqualTo(Files.readString(html));
    }

    @Test
    void whatCannotBeInvertedIsOneLineExitTwo() {
        for (String[] args : new String[][] {
                {"convert", FIB.toString(), "--inverted", "-o", dir.resolve("x.pb.gz").toString()},
                {"convert", FIB.toString(), "--inverted", "-o", dir.resolve("x.jfr").toString()},
                {"convert", FIB.toString(), "--inverted", "-o", dir.resolve("x.heatmap.html").toString()},
                {"convert", FIB.toString(), "--inverted", "--base", FIB.toString(), "-o", dir.resolve("d.svg").toString()}}) {
            CliRun r = CliRun.of(args);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
            assertThat(r.err().lines().filter(l -> !l.startsWith("  try ")).toList()).hasSize(1);
            assertThat(r.err()).contains("--inverted").doesNotContain("Exception");
        }
        assertThat(dir.toFile().list()).isEmpty();
    }
}
