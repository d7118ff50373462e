package dev.proflab.cli;

import com.sun.net.httpserver.HttpServer;
import dev.proflab.capture.CaptureException;
import dev.proflab.capture.CaptureSettings;
import dev.proflab.debug.DebugEndpoints;
import dev.proflab.debug.DebugHttpHandler;
import dev.proflab.debug.javalin.DebugJavalin;
import dev.proflab.debug.DebugOptions;
import dev.proflab.server.demo.DemoService;
import dev.proflab.server.demo.DemoServiceException;
import dev.proflab.server.demo.LockThreshold;
import dev.proflab.server.demo.WorkEndpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** {@code proflab serve}: the demo service with the labs' load endpoints ({@code make run-server}). */
@Command(name = "serve", addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        description = {"Run the demo service: load endpoints over the labs' code, and /debug/pprof.",
                "/work/cpu, /work/mem, /work/contention, /work/leak run a lab's before or after (impl=before|after)",
                "so that a profile taken under load shows the lesson; GET /work lists their parameters and bounds.",
                "Listens on 127.0.0.1 only, unless --bind says otherwise; Ctrl-C stops it.",
                "Against DNS rebinding, requests must name the Host localhost, 127.0.0.1 or",
                "[::1] (any port), a host given with --allow-host, or, with --bind to another",
                "address, that address or any IP address; else 403 (/debug/pprof: unless they",
                "carry the token). Requests that another site's page sends (an <img>, <iframe>",
                "or fetch of evil.example) get 403 too.",
                "The seed's BLOCK_PROFILE_RATE_NS and MUTEX_PROFILE_FRACTION set the lock profiling threshold."},
        footer = {"", "Examples:",
                "  proflab serve",
                "  proflab load 'http://127.0.0.1:6060/work/cpu?n=30&workers=2' --duration 30s",
                "  BLOCK_PROFILE_RATE_NS=50000 proflab serve --port 6061"})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "N", defaultValue = "6060",
            description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}); another address exposes the service to the network")
    String bind;

    @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "8",
            description = "Work requests running at once; more get 503 with Retry-After (default: ${DEFAULT-VALUE})")
    int maxConcurrent;

    @Option(names = "--lock-threshold", paramLabel = "D",
            description = "Lock waits shorter than this are not profiled, e.g. 10us, 1ms (default: from"
                    + " BLOCK_PROFILE_RATE_NS or MUTEX_PROFILE_FRACTION, else 10us)")
    String lockThreshold;

    @Option(names = "--debug-port", paramLabel = "N",
            description = "Serve /debug/pprof on this separate port instead of the service's (an admin port)")
    Integer debugPort;

    @Option(names = "--debug-bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address of the --debug-port listener (default: ${DEFAULT-VALUE}: the service may face the"
                    + " network while its admin port stays on loopback)")
    String debugBind;

    @Option(names = "--allow-host", paramLabel = "HOST",
            description = "Also answer requests whose Host is HOST (a name or an IP address, without a port; repeatable),"
                    + " e.g. the name of this machine, of a reverse proxy or of an SSH tunnel: /work and, on loopback"
                    + " without the token, /debug/pprof")
    java.util.List<String> allowHosts = new java.util.ArrayList<>();

    @Option(names = "--debug-token-file", paramLabel = "F",
            description = "Bearer token for /debug/pprof on non-loopback addresses (without one they are off there)")
    Path debugTokenFile;

    @Option(names = "--flight-recorder", paramLabel = "AGE", arity = "0..1", fallbackValue = "15m",
            description = "Keep an always-on JFR recording of the last AGE (default when given without a value: 15m)"
                    + " that /debug/jfr?last=5m dumps: the recording that was running when the spike happened")
    String flightRecorder;

    @Option(names = "--flight-recorder-size", paramLabel = "SIZE", defaultValue = "100m",
            description = "At most this much on disk for --flight-recorder (default: ${DEFAULT-VALUE})")
    String flightRecorderSize;

    @Spec
    CommandSpec spec;

    /** Counted down to stop a running service (tests); Ctrl-C stops it through the shutdown hook. */
    final CountDownLatch stop = new CountDownLatch(1);

    /** The running service, once started (tests). */
    volatile DemoService service;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port: " + port + " is not a port (0 to 65535)");
        }
        if (maxConcurrent < 1 || maxConcurrent > 1024) {
            throw new UsageException("--max-concurrent: must be 1 to 1024, was " + maxConcurrent);
        }
        LockThreshold threshold;
        try {
            threshold = LockThreshold.resolve(lockThreshold == null ? null : parseNanos(lockThreshold), System.getenv());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (debugPort != null && (debugPort < 0 || debugPort > 65535)) {
            throw new UsageException("--debug-port: " + debugPort + " is not a port (0 to 65535)");
        }
        DebugOptions.Builder debugOptions = DebugOptions.builder()
                // off (the seed's rate or fraction 0): no wait is long enough to be recorded
                .lockThreshold(threshold.enabled() ? Duration.ofNanos(threshold.nanos()) : Duration.ofDays(1));
        try {
            debugOptions.allowHosts(allowHosts);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--allow-host " + e.getMessage());
        }
        if (debugTokenFile != null) {
            try {
                debugOptions.tokenFile(debugTokenFile);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--debug-token-file " + e.getMessage());
            }
        }
        if (flightRecorder != null) {
            Duration age = Durations.parse(flightRecorder, "--flight-recorder");
            long size;
            try {
                size = CaptureSettings.parseBytes(flightRecorderSize, "--flight-recorder-size");
                debugOptions.flightRecorder(new DebugOptions.FlightRecorder(age, size, "default"));
            } catch (CaptureException | IllegalArgumentException e) {
                throw new UsageException(e.getMessage().startsWith("--") ? e.getMessage()
                        : "--flight-recorder: " + e.getMessage());
            }
        }
        DebugEndpoints debug = new DebugEndpoints(debugOptions.build());
        DemoService.Options options = DemoService.Options.defaults()
                .withBind(bind)
                .withPort(port)
                .withLimits(WorkEndpoints.Limits.defaults().withMaxConcurrent(maxConcurrent))
                .withLockThreshold(threshold)
                .withAllowHosts(allowHosts)
                .withExtraRoutes(debugPort == null ? config -> DebugJavalin.register(config, debug) : config -> { });
        DemoService s;
        try {
            s = DemoService.start(options);
        } catch (DemoServiceException e) {
            debug.close();
            throw new UsageException(e.getMessage());
        }
        HttpServer admin = null;
        ExecutorService adminThreads = null;
        if (debugPort != null) {
            try {
                admin = HttpServer.create(new InetSocketAddress(debugBind, debugPort), 0);
            } catch (BindException e) {
                s.stop();
                debug.close();
                throw new UsageException("--debug-port: port " + debugPort + " on " + debugBind + " is in use: pick another");
            } catch (IOException e) {
                s.stop();
                debug.close();
                throw new UsageException("--debug-port: cannot listen on " + debugBind + ":" + debugPort + ": " + e.getMessage());
            }
            // a capture holds its thread for ?seconds=: not the server's one dispatcher thread
            adminThreads = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "proflab-debug-admin");
                t.setDaemon(true);
                return t;
            });
            admin.setExecutor(adminThreads);
            DebugHttpHandler.mount(admin, debug);
            admin.start();
        }
        service = s;
        HttpServer adminServer = admin;
        ExecutorService adminPool = adminThreads;
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable stopAll = () -> {
            if (!stopped.compareAndSet(false, true)) {
                return; // the shutdown hook or the end of call() did it already
            }
            s.stop();
            if (adminServer != null) {
                adminServer.stop(0);
                adminPool.shutdownNow();
            }
            debug.close();
        };
        Thread hook = new Thread(() -> {
            stopAll.run();
            stop.countDown();
        }, "proflab-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int debugAt = adminServer != null ? adminServer.getAddress().getPort() : s.port();
        String debugHost = adminServer != null ? debugBind : bind;
        String debugLine = debug.describe(debugHost)   // its URL without the port: add it
                .replaceFirst("http://(\\[[^\\]]+\\]|[^/:\\s]+)/debug/", "http://$1:" + debugAt + "/debug/");
        if (!debugLine.contains("http://")) {
            String h = debugHost.equals("0.0.0.0") || debugHost.equals("::") ? "127.0.0.1"
                    : debugHost.contains(":") ? "[" + debugHost + "]" : debugHost;
            debugLine = debugLine.replaceFirst("/debug/pprof/", "http://" + h + ":" + debugAt + "/debug/pprof/");
        }
        if (adminServer != null) {
            debugLine += " (admin port " + debugAt + ")";
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("proflab serve: " + s.url() + "work (cpu, mem, contention, leak; impl=before|after); " + debugLine
                + "; lock threshold " + threshold.describe() + " (Ctrl-C to stop)");
        out.flush();
        try {
            stop.await();
        } finally {
            stopAll.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
        return 0;
    }

    /** 10us, 1ms, 500ns, 0. */
    static Duration parseNanos(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,12})(ns|us|µs|ms|s)?").matcher(t);
        if (!m.matches()) {
            throw new UsageException("--lock-threshold: '" + text + "' is not a duration (use e.g. 500ns, 10us, 1ms)");
        }
        long v = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ns" : m.group(2);
        return switch (unit) {
            case "ns" -> Duration.ofNanos(v);
            case "us", "µs" -> Duration.ofNanos(v * 1_000);
            case "ms" -> Duration.ofMillis(v);
            default -> Duration.ofSeconds(v);
        };
    }
}
