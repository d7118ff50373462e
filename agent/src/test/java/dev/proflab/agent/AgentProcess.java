package dev.proflab.agent;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM started by a test with {@code -javaagent:proflab-agent.jar=OPTIONS}; its output goes to files. */
final class AgentProcess implements AutoCloseable {

    static final Pattern LISTENING = Pattern.compile("proflab-agent: listening on (http://\\S+)/debug/pprof/");

    final Process process;
    final Path stdout;
    final Path stderr;

    private AgentProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The agent jar packaged by this module (failsafe sets proflab.agentJar). */
    static Path agentJar() {
        Path jar = Path.of(System.getProperty("proflab.agentJar", "target/proflab-agent.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: these tests run after package (./mvnw verify)");
        }
        return jar.toAbsolutePath();
    }

    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Starts {@code java [jvmArgs] -javaagent:jar=options rest...}; options null: no agent. */
    static AgentProcess start(Path dir, String options, List<String> jvmArgs, List<String> rest) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java().toString());
        cmd.addAll(jvmArgs);
        if (options != null) {
            cmd.add("-javaagent:" + agentJar() + (options.isEmpty() ? "" : "=" + options));
        }
        cmd.addAll(rest);
        Path out = Files.createTempFile(dir, "stdout-", ".txt");
        Path err = Files.createTempFile(dir, "stderr-", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new AgentProcess(p, out, err);
    }

    /** HotApp for {@code seconds} from this module's test classes. */
    static AgentProcess hotApp(Path dir, String options, double seconds) throws IOException {
        return start(dir, options, List.of(), List.of("-cp", System.getProperty("java.class.path"),
                HotApp.class.getName(), Double.toString(seconds)));
    }

    String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    /** The lines of stderr that the agent wrote. */
    List<String> agentLines() throws IOException {
        return stderr().lines().filter(l -> l.startsWith("proflab-agent:")).toList();
    }

    /** Waits for a line of the agent on stderr; returns the first (fails the test after {@code timeout}). */
    String awaitAgentLine(Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            List<String> l = agentLines();
            if (!l.isEmpty()) {
                return l.get(0);
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        List<String> l = agentLines();
        if (!l.isEmpty()) {
            return l.get(0);
        }
        throw new AssertionError("no proflab-agent line on stderr within " + timeout + ":\n" + stderr());
    }

    /** The base URL ({@code http://127.0.0.1:PORT}) from the agent's "listening on" line. */
    String awaitBase() throws IOException, InterruptedException {
        String line = awaitAgentLine(Duration.ofSeconds(30));
        Matcher m = LISTENING.matcher(line);
        if (!m.find()) {
            throw new AssertionError("the agent does not listen: " + line);
        }
        return m.group(1);
    }

    /** Waits for the exit; the exit code (fails after {@code timeout}). */
    int awaitExit(Duration timeout) throws InterruptedException, IOException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the JVM did not exit within " + timeout + "; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
