package dev.proflab.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code proflab view}: errors before listening are one line and exit 2; a running viewer serves the API. */
class ViewCommandTest {

    static final String CPU = "../profile/src/test/resources/profiles/ap-cpu.jfr";

    @Test
    void aMissingFileIsOneLineBeforeListening() {
        CliRun r = CliRun.of("view", "--no-browser", "--port", "0", "no/such.jfr");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("no/such.jfr", "no such file");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anEventNotInTheFileIsOneLine() {
        CliRun r = CliRun.of("view", "--no-browser", "--port", "0", "--event", "alloc", CPU);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("alloc");
    }

    @Test
    void aBadBaseIsOneLineBeforeListening() {
        CliRun missing = CliRun.of("view", "--no-browser", "--port", "0", "--base", "no/such.jfr", CPU);
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("proflab: no/such.jfr: no such file");
        assertThat(missing.out()).isEmpty();
        String lock = "../profile/src/test/resources/profiles/ap-lock.jfr";
        CliRun other = CliRun.of("view", "--no-browser", "--port", "0", "--base", lock, CPU);
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.err().strip()).isEqualTo("proflab: --base " + java.nio.file.Path.of(lock) + " records wall, lock; "
                + java.nio.file.Path.of(CPU) + " records cpu: nothing to compare");
        CliRun broken = CliRun.of("view", "--no-browser", "--port", "0", "--base", "pom.xml", CPU);
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.err().strip()).doesNotContain("\n").startsWith("proflab: pom.xml: not a JFR recording");
    }

    @Test
    void aPortInUseIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CliRun r = CliRun.of("view", "--no-browser", "--port", String.valueOf(taken.getLocalPort()), CPU);
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("proflab: port " + taken.getLocalPort()
                    + " on 127.0.0.1 is in use: pick another with --port");
        }
        assertThat(CliRun.of("view", "--no-browser", "--port", "70000", CPU).exitCode()).isEqualTo(2);
    }

    @Test
    void servesUntilStopped() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        ViewCommand view = cl.getSubcommands().get("view").getCommand();
        AtomicInteger rc = new AtomicInteger(-1);
        Thread t = new Thread(() -> rc.set(cl.execute("view", "--no-browser", "--port", "0", CPU)));
        t.start();
        Pattern url = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/) \\(Ctrl-C to stop\\)");
        Matcher m = url.matcher("");
        for (int i = 0; i < 200 && !(m = url.matcher(out.toString())).find(); i++) {
            Thread.sleep(50);
        }
        assertThat(m.find(0)).as("printed the URL: " + out + err).isTrue();
        HttpResponse<String> meta = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(m.group(1) + "api/meta")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(meta.statusCode()).isEqualTo(200);
        assertThat(meta.body()).contains("\"file\":\"ap-cpu.jfr\"");
        view.stop.countDown();
        t.join(10_000);
        assertThat(rc.get()).isZero();
    }

    @Test
    void noJmcLeavesJmcsRulesOutOfTheFindingsPanel() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        ViewCommand view = cl.getSubcommands().get("view").getCommand();
        AtomicInteger rc = new AtomicInteger(-1);
        Thread t = new Thread(() -> rc.set(cl.execute("view", "--no-browser", "--no-jmc", "--port", "0", CPU)));
        t.start();
        Pattern url = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/) \\(Ctrl-C to stop\\)");
        Matcher m = url.matcher("");
        for (int i = 0; i < 200 && !(m = url.matcher(out.toString())).find(); i++) {
            Thread.sleep(50);
        }
        assertThat(m.find(0)).as("printed the URL: " + out + err).isTrue();
        HttpResponse<String> findings = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(m.group(1) + "api/findings")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(findings.statusCode()).isEqualTo(200);
        assertThat(findings.body()).contains("\"jmc\":{\"state\":\"off\"").contains("proflab.dominant-frame")
                .doesNotContain("\"source\":\"jmc\"");
        view.stop.countDown();
        t.join(10_000);
        assertThat(rc.get()).isZero();
    }

    @Test
    void untilKeyStopsOnCtrlCReadAsAByteAndExitsZero() throws Exception {
        java.io.PipedOutputStream typed = new java.io.PipedOutputStream();
        java.io.PipedInputStream keys = new java.io.PipedInputStream(typed);
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        ViewCommand view = cl.getSubcommands().get("view").getCommand();
        view.keys = keys;
        AtomicInteger rc = new AtomicInteger(-1);
        Thread t = new Thread(() -> rc.set(cl.execute("view", "--no-browser", "--until-key", "--port", "0", CPU)));
        t.start();
        for (int i = 0; i < 200 && !out.toString().contains("(q, Enter or Ctrl-C to stop)"); i++) {
            Thread.sleep(50);
        }
        assertThat(out.toString()).contains("(q, Enter or Ctrl-C to stop)");
        typed.write("x ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));   // other keys do nothing
        typed.flush();
        Thread.sleep(200);
        assertThat(t.isAlive()).isTrue();
        typed.write(3);                                                           // the byte Ctrl-C sends
        typed.flush();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(rc.get()).isZero();
    }

    @Test
    void awaitKeyReturnsOnEachStopKeyAndAtTheEnd() {
        for (String input : new String[] {"q", "Q", "\n", "\r", "\u0003", "\u0004", "", "abc"}) {
            ViewCommand.awaitKey(new java.io.ByteArrayInputStream(input.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
    }

    @Test
    void aBadAllowedHostIsOneLineBeforeListening() {
        for (String[] c : new String[][] {
                {"devbox.lan:7070", "proflab: --allow-host 'devbox.lan:7070': give the host without a port (every port is accepted)"},
                {"a b", "proflab: --allow-host 'a b' is not a host name or an IP address"},
                {"http://devbox.lan", "proflab: --allow-host 'http://devbox.lan' is not a host name or an IP address"},
                {"", "proflab: --allow-host '': empty, give a host name such as devbox.lan"}}) {
            CliRun r = CliRun.of("view", "--no-browser", "--port", "0", "--allow-host", c[0], CPU);
            assertThat(r.exitCode()).as(c[0]).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo(c[1]);
            assertThat(r.out()).isEmpty();
        }
    }

    /** The status of a GET naming {@code host} on 127.0.0.1:port. */
    static int status(int port, String host, String target) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String head = new String(s.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.ISO_8859_1);
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    @Test
    void answersOnlyLoopbackAndAllowedHosts() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        ViewCommand view = cl.getSubcommands().get("view").getCommand();
        AtomicInteger rc = new AtomicInteger(-1);
        Thread t = new Thread(() -> rc.set(cl.execute("view", "--no-browser", "--port", "0", "--allow-host", "devbox.lan",
                "--allow-host", "10.0.0.5", CPU)));
        t.start();
        Pattern url = Pattern.compile("at http://127\\.0\\.0\\.1:(\\d+)/ \\(Ctrl-C to stop\\)");
        Matcher m = url.matcher("");
        for (int i = 0; i < 200 && !(m = url.matcher(out.toString())).find(); i++) {
            Thread.sleep(50);
        }
        assertThat(m.find(0)).as("printed the URL: " + out + err).isTrue();
        int port = Integer.parseInt(m.group(1));
        try {
            for (String host : new String[] {"localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "devbox.lan:" + port,
                    "10.0.0.5"}) {
                assertThat(status(port, host, "/api/meta")).as(host).isEqualTo(200);
            }
            for (String host : new String[] {"evil.example:" + port, "www.devbox.lan", "10.0.0.6", "localhost.evil.example"}) {
                assertThat(status(port, host, "/api/meta")).as(host).isEqualTo(403);
                assertThat(status(port, host, "/")).as(host).isEqualTo(403);
            }
        } finally {
            view.stop.countDown();
            t.join(10_000);
        }
        assertThat(rc.get()).isZero();
    }

    @Test
    void servesTheDiffAgainstABase() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        ViewCommand view = cl.getSubcommands().get("view").getCommand();
        AtomicInteger rc = new AtomicInteger(-1);
        Thread t = new Thread(() -> rc.set(cl.execute("view", "--no-browser", "--port", "0", "--base", CPU, CPU)));
        t.start();
        Pattern url = Pattern.compile("against .*ap-cpu\\.jfr at (http://127\\.0\\.0\\.1:\\d+/) \\(Ctrl-C to stop\\)");
        Matcher m = url.matcher("");
        for (int i = 0; i < 200 && !(m = url.matcher(out.toString())).find(); i++) {
            Thread.sleep(50);
        }
        assertThat(m.find(0)).as("printed the URL: " + out + err).isTrue();
        HttpResponse<String> diff = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(m.group(1) + "api/diff/top?n=3")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(diff.statusCode()).isEqualTo(200);
        assertThat(diff.body()).contains("\"delta_flat\" : 0.0", "\"warnings\" : [ ]");
        view.stop.countDown();
        t.join(10_000);
        assertThat(rc.get()).isZero();
    }
}
