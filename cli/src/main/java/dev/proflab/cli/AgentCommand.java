package dev.proflab.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.VirtualMachine;
import dev.proflab.capture.Jvms;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code proflab agent --pid PID --port 6060}: loads {@code proflab-agent.jar} into a running JVM (the Attach API's
 * {@code VirtualMachine.loadAgent}), which then serves the {@code /debug/pprof} endpoints on that port, then waits
 * until the port answers.
 */
@Command(name = "agent", addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Start the /debug/pprof endpoints in a running JVM, with no change to its code.",
                "Loads proflab-agent.jar through the Attach API; the JVM then serves /debug/pprof/*, /debug/jfr and /debug/gc on --port",
                "(go tool pprof http://127.0.0.1:6060/debug/pprof/profile). The same as starting it with",
                "-javaagent:proflab-agent.jar=port=6060. The endpoints stay until that JVM exits. See docs/agent.md."})
final class AgentCommand implements Callable<Integer> {

    @Option(names = "--pid", paramLabel = "PID", required = true, description = "The JVM")
    long pid;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "6060",
            description = "The port to listen on (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}); another needs --token-file")
    String bind;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file whose first line is the bearer token non-loopback clients must send (read by the JVM)")
    Path tokenFile;

    @Option(names = "--flight-recorder", paramLabel = "AGE",
            description = "Keep an always-on JFR recording of the last AGE (15m) for /debug/jfr?last=5m")
    String flightRecorder;

    @Option(names = "--debug-heap-dumps", paramLabel = "FOLDER",
            description = "Enable /debug/pprof/heapdump, writing .hprof files into FOLDER (in the JVM's file system)")
    Path heapDumps;

    @Option(names = "--jar", paramLabel = "FILE",
            description = "proflab-agent.jar (default: $PROFLAB_AGENT_JAR, else the installed lib/ or agent/target)")
    Path jar;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for the port to answer (default: ${DEFAULT-VALUE}; 0: do not wait)")
    int waitSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65535) {
            throw new UsageException("--port " + port + ": not a port (1 to 65535)");
        }
        Path agentJar = agentJar();
        String options = options();
        PrintWriter out = spec.commandLine().getOut();
        VirtualMachine vm = Jvms.attach(pid);
        try {
            Jvms.Info info = Jvms.info(pid, vm);
            if (info.feature() < 21) {
                throw new UsageException("PID " + pid + " runs Java " + info.version()
                        + ": proflab-agent needs Java 21 or newer");
            }
            vm.loadAgent(agentJar.toString(), options);
        } catch (AgentLoadException | AgentInitializationException e) {
            throw new UsageException("PID " + pid + " did not load " + agentJar + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UsageException("PID " + pid + ": the Attach API failed: " + e.getMessage());
        } finally {
            try {
                vm.detach();
            } catch (IOException e) {
                // detached anyway when the JVM goes
            }
        }
        InetAddress a = InetAddress.getByName(bind);
        String host = a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress().contains(":")
                ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        String url = "http://" + host + ":" + port + "/debug/pprof/";
        if (waitSeconds <= 0) {
            out.println("proflab-agent loaded into PID " + pid + " (" + options + "): it says where it listens on its stderr");
            return 0;
        }
        int status = waitFor(url, waitSeconds * 1000L);
        if (status < 0) {
            throw new UsageException("proflab-agent loaded into PID " + pid + ", but " + url + " does not answer after "
                    + waitSeconds + " s: its stderr says why (port taken? bad option?)");
        }
        out.println("PID " + pid + ": /debug/pprof endpoints on " + url + " (HTTP " + status + ")");
        out.println("  go tool pprof " + url + "profile?seconds=30");
        out.println("  proflab collect --target " + url.substring(0, url.length() - "/debug/pprof/".length()));
        return 0;
    }

    private String options() {
        List<String> o = new ArrayList<>();
        o.add("port=" + port);
        o.add("bind=" + bind);
        if (tokenFile != null) {
            o.add("token-file=" + tokenFile.toAbsolutePath());
        }
        if (flightRecorder != null) {
            o.add("flight-recorder=" + flightRecorder);
        }
        if (heapDumps != null) {
            o.add("debug-heap-dumps=" + heapDumps.toAbsolutePath());
        }
        for (String s : o) {
            if (s.indexOf(',') >= 0) {
                throw new UsageException("'" + s + "': the agent's options cannot contain a comma");
            }
        }
        return String.join(",", o);
    }

    /** The HTTP status of {@code url} (any status: it listens), or -1 when nothing answers within {@code millis}. */
    private static int waitFor(String url, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(5000);
                try {
                    return c.getResponseCode();
                } finally {
                    c.disconnect();
                }
            } catch (IOException e) {
                if (System.nanoTime() > end) {
                    return -1;
                }
                Thread.sleep(100);
            }
        }
    }

    private Path agentJar() {
        if (jar != null) {
            if (!Files.isRegularFile(jar)) {
                throw new UsageException("--jar " + jar + ": no such file");
            }
            return jar.toAbsolutePath();
        }
        String env = System.getenv("PROFLAB_AGENT_JAR");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (!Files.isRegularFile(p)) {
                throw new UsageException("PROFLAB_AGENT_JAR=" + env + ": no such file");
            }
            return p.toAbsolutePath();
        }
        List<Path> tried = new ArrayList<>();
        // the launchers say where the jars are: the installed archive's lib/, or the source tree
        if (Env.lib() != null) {
            tried.add(Env.lib().resolve("proflab-agent.jar"));
        } else if (System.getenv("PROFLAB_HOME") != null) {
            tried.add(Env.home().resolve("agent/target/proflab-agent.jar"));
        }
        try {
            // a class read from a start-up cache may have no code source: then only the launchers' answer
            Path self = Path.of(AgentCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = Files.isDirectory(self) ? self : self.getParent(); // cli/target/classes or cli/target
            if (dir != null) {
                tried.add(dir.resolve("proflab-agent.jar"));
                for (Path d = dir; d != null && tried.size() < 5; d = d.getParent()) {
                    tried.add(d.resolve("agent/target/proflab-agent.jar"));
                }
            }
        } catch (Exception e) {
            // no code source: only --jar and the variable
        }
        for (Path p : tried) {
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new UsageException("proflab-agent.jar not found (tried " + tried
                + "): build it (./mvnw package) or give --jar");
    }
}
