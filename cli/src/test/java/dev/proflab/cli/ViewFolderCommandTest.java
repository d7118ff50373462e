package dev.proflab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code proflab view DIR}: a folder of windows; {@code --base} with it is one line and exit 2; an empty one is served. */
class ViewFolderCommandTest {

    @TempDir
    Path dir;

    @Test
    void aBaseWithAFolderIsOneLine() {
        CliRun r = CliRun.of("view", "--no-browser", "--port", "0", "--base", ViewCommandTest.CPU, dir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").startsWith("proflab: --base ").contains("folder", "Compare");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anEventWithAFolderNamesAKind() {
        CliRun r = CliRun.of("view", "--no-browser", "--port", "0", "--event", "nope", dir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("cpu, heap, allocs, mutex, block, wall");
    }

    @Test
    void servesAFolderAndSaysWhenItIsEmpty() throws Exception {
        assertThat(serve(dir)).contains("(no profiles yet: the page shows them as proflab collect writes them)");
        Files.createDirectories(dir.resolve("cpu"));
        Files.copy(Path.of(ViewCommandTest.CPU), dir.resolve("cpu/cpu_20261126-100000.jfr"));
        Files.copy(Path.of(ViewCommandTest.CPU), dir.resolve("cpu/cpu_20261126-100100.jfr"));
        assertThat(serve(dir)).contains("(2 windows) at http://127.0.0.1:");
    }

    /** Runs {@code proflab view DIR}, asks for /api/history, stops it; returns what it printed. */
    private static String serve(Path folder) throws Exception {
        Served s = serveHistory(folder);
        assertThat(s.history()).contains("\"windows\":[");
        return s.out();
    }

    /** What {@code proflab view DIR} printed, and what its /api/history answered (200); the view stopped with 0. */
    record Served(String out, String history) {
    }

    static Served serveHistory(Path folder) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        ViewCommand view = cl.getSubcommands().get("view").getCommand();
        AtomicInteger rc = new AtomicInteger(-1);
        Thread t = new Thread(() -> rc.set(cl.execute("view", "--no-browser", "--port", "0", folder.toString())));
        t.start();
        Pattern url = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/) \\(Ctrl-C to stop\\)");
        Matcher m = url.matcher("");
        for (int i = 0; i < 600 && !(m = url.matcher(out.toString())).find(); i++) {
            Thread.sleep(50);
        }
        assertThat(m.find(0)).as("printed the URL: " + out + err).isTrue();
        HttpResponse<String> h = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(m.group(1) + "api/history")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(h.statusCode()).isEqualTo(200);
        view.stop.countDown();
        t.join(10_000);
        assertThat(rc.get()).isZero();
        return new Served(out.toString(), h.body());
    }
}
