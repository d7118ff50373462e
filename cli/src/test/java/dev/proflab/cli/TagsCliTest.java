package dev.proflab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Labels from the command line: tags, --tagfocus/--tagignore, --tagroot/--tagleaf, quoted patterns of files. */
class TagsCliTest {

    static final String DIR = "../profile/src/test/resources/profiles/";
    static final String CPU = DIR + "ap-cpu.jfr";
    static final String JFR_CPU = DIR + "jfr-cpu.jfr";
    static final String GO = DIR + "go-labels.pb.gz";

    @TempDir
    Path tmp;

    private static long flat(String... args) throws Exception {
        String[] all = new String[args.length + 5];
        System.arraycopy(new String[] {"top", "--format", "json", "-n", "0"}, 0, all, 0, 5);
        System.arraycopy(args, 0, all, 5, args.length);
        CliRun r = CliRun.of(all);
        assertThat(r.exitCode()).as(r.err()).isZero();
        long t = 0;
        for (JsonNode row : new ObjectMapper().readTree(r.out())) {
            t += row.get("flat").asLong();
        }
        return t;
    }

    @Test
    void tagsOfTwoRecordingsGiveEachFileItsTotal() throws Exception {
        CliRun r = CliRun.of("tags", "--format", "json", CPU, JFR_CPU);
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode keys = new ObjectMapper().readTree(r.out());
        JsonNode file = keys.get(0);
        assertThat(file.get("key").asText()).isEqualTo("file");
        assertThat(file.get("values").get(0).get("name").asText()).isEqualTo("ap-cpu.jfr");
        assertThat(file.get("values").get(0).get("value").asLong()).isEqualTo(flat(CPU));
        assertThat(file.get("values").get(1).get("value").asLong()).isEqualTo(flat(JFR_CPU));
        assertThat(CliRun.of("tags", GO).out()).contains("tenant: total 370ms\n       270ms 72.97%  a\n");
    }

    @Test
    void tagfocusOnAFileIsThatFileAloneAndTagignoreTheOthers() throws Exception {
        assertThat(flat("--tagfocus", "file=^ap-cpu", CPU, JFR_CPU)).isEqualTo(flat(CPU));
        assertThat(flat("--tagignore", "file=^ap-cpu", CPU, JFR_CPU)).isEqualTo(flat(JFR_CPU));
        assertThat(flat("--tagfocus", "tenant=a", GO)).isEqualTo(270_000_000L);
        assertThat(flat("--tagfocus", "thread=main", CPU)).isEqualTo(flat("--thread", "main", CPU));
    }

    @Test
    void tagrootSplitsTheTreeByFile() {
        CliRun r = CliRun.of("tree", "--tagroot", "file", "--depth", "2", CPU, JFR_CPU);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("  file:ap-cpu.jfr\n").contains("  file:jfr-cpu.jfr\n");
        CliRun leaf = CliRun.of("traces", "-n", "1", "--tagleaf", "tenant", GO);
        assertThat(leaf.out()).contains("     190ms   tenant:a\n             main.spin\n");
    }

    @Test
    void twoFilesOfOneNameAreToldApartByTheirFolders() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("run1")).resolve("cpu.jfr");
        Path b = Files.createDirectories(tmp.resolve("run2")).resolve("cpu.jfr");
        Files.copy(Path.of(CPU), a);
        Files.copy(Path.of(JFR_CPU), b);
        CliRun r = CliRun.of("tags", a.toString(), b.toString());
        assertThat(r.out()).contains("  run1/cpu.jfr\n").contains("  run2/cpu.jfr\n");
    }

    @Test
    void aQuotedPatternOfFilesExpandsAsAShellWould() throws Exception {
        assertThat(flat(DIR + "*-cpu.jfr")).isEqualTo(flat(CPU, JFR_CPU));
        assertThat(CliRun.of("top", DIR + "*-cpu.jfr").out()).startsWith("File: 2 recordings: ap-cpu.jfr, jfr-cpu.jfr\n");
        assertThat(flat(DIR + "diff/a0?.jfr")).isEqualTo(flat(DIR + "diff/a01.jfr", DIR + "diff/a02.jfr",
                DIR + "diff/a03.jfr"));
        // ** crosses folders (at least one: diff/ here, not the .jfr files beside it)
        assertThat(flat(DIR + "**/b0*.jfr")).isEqualTo(flat(DIR + "diff/b01.jfr", DIR + "diff/b02.jfr",
                DIR + "diff/b03.jfr"));
        CliRun none = CliRun.of("top", DIR + "*.nothing");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err().strip()).isEqualTo("proflab: FILE: '" + DIR + "*.nothing' matches no file");
    }

    @Test
    void badTermsAreOneLineAndExit2() {
        String[][] bad = {
                {"--tagfocus", "=x"},
                {"--tagfocus", "file=("},
                {"--tagignore", "file="},
                {"--tagfocus", "nokey=x"},
                {"--tagfocus", "zzz-no-such"},
        };
        for (String[] b : bad) {
            CliRun r = CliRun.of("top", b[0], b[1], CPU, JFR_CPU);
            assertThat(r.exitCode()).as(String.join(" ", b)).isEqualTo(2);
            assertThat(r.err().strip()).as(String.join(" ", b)).doesNotContain("\n").startsWith("proflab: ")
                    .doesNotContain("Exception");
        }
        assertThat(CliRun.of("top", "--tagfocus", "=x", CPU).err().strip())
                .isEqualTo("proflab: --tagfocus: '=x' has no label key before '=' (give KEY=REGEX)");
        assertThat(CliRun.of("tags", "--base", CPU, JFR_CPU).exitCode()).isEqualTo(2);
    }
}
