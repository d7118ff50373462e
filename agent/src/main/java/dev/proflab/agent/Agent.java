package dev.proflab.agent;

import com.sun.net.httpserver.HttpServer;
import dev.proflab.capture.AsyncProfilerLibrary;
import dev.proflab.debug.DebugEndpoints;
import dev.proflab.debug.DebugHttpHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * What {@link AgentMain} starts: the debug module's {@link DebugEndpoints} on the JDK's {@code HttpServer}, on their
 * own port, in a JVM that was not written for them.
 *
 * <p>Rules, so that the host never notices: {@link AgentMain} returns at once and {@link #run} happens on a daemon
 * thread (so do the server's threads, which inherit it); nothing here calls {@code System.exit} or lets an exception
 * out; what the agent says is one line on standard error, prefixed {@code proflab-agent:}: where it listens, or why
 * it does not (bad options, a port in use, a JVM without {@code jdk.httpserver}), and the application runs on.
 * Loaded twice into one JVM (a second attach), it says where the first one listens.
 */
public final class Agent {

    static final String PREFIX = "proflab-agent: ";

    /** The running server's URL, once one listens in this JVM. */
    private static String listening;
    private static boolean starting;

    private Agent() {
    }

    /** Parses, binds, mounts, starts; one line on stderr either way. Returns the server, or null. */
    public static HttpServer run(String args) {
        try {
            synchronized (Agent.class) {
                if (listening != null || starting) {
                    say("already running in this JVM" + (listening != null ? " on " + listening : "")
                            + "; options '" + args + "' ignored");
                    return null;
                }
                starting = true;
            }
            HttpServer server = null;
            try {
                server = serve(args);
                return server;
            } finally {
                synchronized (Agent.class) {
                    starting = false;
                }
            }
        } catch (Throwable e) {
            say("did not start (" + e + "); the application runs on");
            return null;
        }
    }

    private static HttpServer serve(String args) {
        AgentOptions o;
        try {
            o = AgentOptions.parse(args);
        } catch (IllegalArgumentException e) {
            say("bad options: " + e.getMessage() + "; no /debug endpoints, the application runs on");
            return null;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(o.bind());
        } catch (UnknownHostException e) {
            say("bind=" + o.bind() + ": unknown address; no /debug endpoints, the application runs on");
            return null;
        }
        String where = hostPort(address, o.port());
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, o.port()), 0);
        } catch (IOException e) {
            say("cannot listen on " + where + " (" + e.getMessage() + "); no /debug endpoints, the application runs on");
            return null;
        }
        String theirs = loadedAsyncProfiler();
        if (theirs != null) {
            AsyncProfilerLibrary.refuse("this JVM already has its own async-profiler (" + theirs
                    + "); proflab-agent leaves it alone");
        }
        DebugEndpoints endpoints = new DebugEndpoints(o.debug());
        // not the server's own dispatcher thread: a capture holds its thread for ?seconds=
        server.setExecutor(executor());
        DebugHttpHandler.mount(server, endpoints);
        server.start();
        String url = "http://" + hostPort(address, server.getAddress().getPort()) + DebugEndpoints.PREFIX + "pprof/";
        synchronized (Agent.class) {
            listening = url;
        }
        say("listening on " + url + " (" + endpoints.describe(address) + ")" + (theirs == null ? ""
                : "; async-profiler is already loaded here (" + theirs + "): captures use JDK Flight Recorder"));
        return server;
    }

    /**
     * The path of an async-profiler library already mapped into this JVM (an {@code -agentpath:}, {@code asprof},
     * or the application's own use of its Java API), or null. Loading a second copy would install its own signal
     * handler and silently stop the first one's profiling (measured: the host's recording stopped getting samples
     * when the agent's capture began), so the agent then captures with JDK Flight Recorder. Linux only
     * ({@code /proc/self/maps}); elsewhere null.
     */
    static String loadedAsyncProfiler() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return null;
        }
        try (Stream<String> lines = Files.lines(maps, StandardCharsets.ISO_8859_1)) {
            return lines.map(l -> l.indexOf('/') < 0 ? "" : l.substring(l.indexOf('/')))
                    .filter(p -> p.contains("libasyncProfiler")).findFirst().orElse(null);
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    private static ExecutorService executor() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "proflab-agent-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static String hostPort(InetAddress a, int port) {
        String h = a.getHostAddress();
        return (a instanceof Inet6Address ? "[" + h + "]" : h) + ":" + port;
    }

    static void say(String line) {
        System.err.println(PREFIX + line);
    }
}
