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
    void viewServesSeveralRecordingsMergedAndRefusesAFolderAmongThem() throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = Main.commandLine(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        ViewCommand view = cl.getSubcommands().get("view").getCommand();
        java.util.concurrent.atomic.AtomicInteger rc = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread t = new Thread(() -> rc.set(cl.execute("view", "--no-browser", "--port", "0", DIR + "*-cpu.jfr")));
        t.start();
        java.util.regex.Pattern url = java.util.regex.Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/) ");
        java.util.regex.Matcher m = url.matcher("");
        for (int i = 0; i < 200 && !(m = url.matcher(out.toString())).find(); i++) {
            Thread.sleep(50);
        }
        assertThat(m.find(0)).as("printed the URL: " + out + err).isTrue();
        assertThat(out.toString()).startsWith("proflab view: 2 recordings merged (");
        java.net.http.HttpResponse<String> top = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(m.group(1) + "api/top?n=0&tagfocus=file%3D%5Eap"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(top.statusCode()).isEqualTo(200);
        long flat = 0;
        for (JsonNode row : new ObjectMapper().readTree(top.body())) {
            flat += row.get("flat").asLong();
        }
        assertThat(flat).isEqualTo(flat(CPU));
        view.stop.countDown();
        t.join(10_000);
        assertThat(rc.get()).isZero();

        CliRun folder = CliRun.of("view", "--no-browser", CPU, DIR + "diff");
        assertThat(folder.exitCode()).isEqualTo(2);
        assertThat(folder.err().strip()).isEqualTo("proflab: " + DIR + "diff: a folder of windows is shown alone"
                + " (proflab view DIR)");
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
