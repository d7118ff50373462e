package dev.proflab.server.demo;

import dev.proflab.net.HostCheck;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;

import java.net.BindException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The demo service of the labs ({@code proflab serve}, {@code make run-server}): the {@code /work/*} load
 * endpoints of {@link WorkEndpoints} on a Javalin server with request and idle timeouts, plus whatever other
 * routes the caller mounts (the {@code /debug/pprof} endpoints) through {@link Options#extraRoutes}.
 *
 * <pre>{@code
 * try (DemoService s = DemoService.start(DemoService.Options.defaults().withPort(0))) {   // 0: any free port
 *     HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.url() + "work/cpu?n=25")).build(), ...);
 * }
 * // with other routes on the same server:
 * DemoService.start(Options.defaults().withExtraRoutes(config -> DebugJavalin.register(config, endpoints)));
 * }</pre>
 *
 * <p>DNS rebinding: every request but those of {@code /debug/} (which {@code DebugEndpoints} checks itself, with
 * the token as a way in) must name a host the service answers to ({@link HostCheck#of}: {@code localhost},
 * {@code 127.0.0.1}, {@code [::1]}, the allowed hosts; bound to another address, that address and any IP literal)
 * and come from no other site's page ({@link HostCheck#crossSite}); else 403 with a JSON error. The work
 * endpoints burn CPU, hold memory and leak threads on request: a page that rebinds its name to 127.0.0.1 (or that
 * merely embeds their URLs) must not be able to run them on the user's machine.
 */
public final class DemoService implements AutoCloseable {

    /**
     * How to run the service.
     *
     * @param bind          address to listen on ({@code 127.0.0.1})
     * @param port          port, 0 for any free one ({@value #DEFAULT_PORT})
     * @param limits        bounds of the work endpoints
     * @param idleTimeout   a connection that sends or reads nothing for this long is closed (slow or stuck
     *                      clients); also bounds how long a request's headers may take to arrive between bytes
     * @param lockThreshold the lock profiling threshold (the seed's BLOCK_PROFILE_RATE_NS / MUTEX_PROFILE_FRACTION)
     * @param extraRoutes   more routes on the same server, e.g. the /debug/pprof endpoints (never null)
     * @param allowHosts    host names or addresses answered besides the loopback ones (and, bound to another
     *                      address, that address and IP literals), without a port: DNS rebinding protection
     */
    public record Options(String bind, int port, WorkEndpoints.Limits limits, Duration idleTimeout,
                          LockThreshold lockThreshold, Consumer<JavalinConfig> extraRoutes, List<String> allowHosts) {

        public Options {
            Objects.requireNonNull(bind, "bind");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(lockThreshold, "lockThreshold");
            Objects.requireNonNull(extraRoutes, "extraRoutes");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not a port (0 to 65535)");
            }
            allowHosts = allowHosts == null ? List.of() : allowHosts.stream().map(HostCheck::allowedName).distinct()
                    .toList(); // IllegalArgumentException naming a bad one
        }

        /** The hosts this service answers to (DNS rebinding protection). */
        public HostCheck hostCheck() {
            return HostCheck.of(bind, allowHosts);
        }

        public static Options defaults() {
            return new Options("127.0.0.1", DEFAULT_PORT, WorkEndpoints.Limits.defaults(), Duration.ofSeconds(30),
                    LockThreshold.defaults(), config -> { }, List.of());
        }

        public Options withBind(String b) {
            return new Options(b, port, limits, idleTimeout, lockThreshold, extraRoutes, allowHosts);
        }

        public Options withPort(int p) {
            return new Options(bind, p, limits, idleTimeout, lockThreshold, extraRoutes, allowHosts);
        }

        public Options withLimits(WorkEndpoints.Limits l) {
            return new Options(bind, port, l, idleTimeout, lockThreshold, extraRoutes, allowHosts);
        }

        public Options withIdleTimeout(Duration d) {
            return new Options(bind, port, limits, d, lockThreshold, extraRoutes, allowHosts);
        }

        public Options withLockThreshold(LockThreshold t) {
            return new Options(bind, port, limits, idleTimeout, t, extraRoutes, allowHosts);
        }

        public Options withExtraRoutes(Consumer<JavalinConfig> routes) {
            return new Options(bind, port, limits, idleTimeout, lockThreshold, routes, allowHosts);
        }

        /**
         * Host names or addresses (no port) answered besides the loopback ones.
         *
         * @throws IllegalArgumentException naming the value when one is not a host name or an address literal
         */
        public Options withAllowHosts(List<String> hosts) {
            return new Options(bind, port, limits, idleTimeout, lockThreshold, extraRoutes, hosts);
        }
    }

    /** The seed's port. */
    public static final int DEFAULT_PORT = 6060;

    private final Options options;
    private final WorkEndpoints work;
    private final Javalin app;
    private final String url;

    private DemoService(Options options, WorkEndpoints work, Javalin app, String url) {
        this.options = options;
        this.work = work;
        this.app = app;
        this.url = url;
    }

    /**
     * Starts listening.
     *
     * @throws DemoServiceException with a one-line message when the address cannot be listened on
     */
    public static DemoService start(Options options) {
        WorkEndpoints work = new WorkEndpoints(options.limits());
        HostCheck hosts = options.hostCheck();
        long idleMillis = options.idleTimeout().toMillis();
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = 8192; // the endpoints take no body
            config.jetty.modifyHttpConfiguration(http -> {
                http.setIdleTimeout(idleMillis);
                http.setRequestHeaderSize(8192);
                http.setSendServerVersion(false);
                http.setSendXPoweredBy(false);
            });
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.routes.before(ctx -> {
                String path = ctx.path();
                if (path.startsWith("/debug/") || path.equals("/debug/pprof")) {
                    return; // DebugEndpoints: the same rule, and its token
                }
                String why = hosts.refusal(java.util.Collections.list(ctx.req().getHeaders("Host")));
                if (why != null) {
                    why += ": add the name with --allow-host NAME";
                } else {
                    why = HostCheck.crossSite(ctx.header("Sec-Fetch-Site"), ctx.header("Sec-Fetch-Mode"),
                            ctx.header("Sec-Fetch-Dest"), ctx.header("Origin"), ctx.header("Host"));
                }
                if (why != null) {
                    throw new BadRequest(403, null, why);
                }
            });
            config.routes.get("/", ctx -> ctx.redirect("/work"));
            work.register(config);
            options.extraRoutes().accept(config);
        });
        String host = options.bind();
        int port = options.port();
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            try {
                app.stop();
            } catch (RuntimeException ignored) {
                // it never started
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException b) {
                    String m = b.getMessage() == null ? "" : b.getMessage();
                    throw new DemoServiceException(m.toLowerCase(Locale.ROOT).contains("in use")
                            ? "port " + port + " on " + host + " is in use: pick another with --port"
                            : "cannot listen on " + host + ":" + port + ": " + m, e);
                }
            }
            throw new DemoServiceException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof AbstractConnector a) {
                a.setIdleTimeout(idleMillis);
            }
        }
        String h = host.contains(":") ? "[" + host + "]" : host;
        return new DemoService(options, work, app, "http://" + h + ":" + app.port() + "/");
    }

    /** The port it listens on. */
    public int port() {
        return app.port();
    }

    /** {@code http://127.0.0.1:6060/}. */
    public String url() {
        return url;
    }

    public Options options() {
        return options;
    }

    /** The /work/* endpoints (to release what they hold, in tests). */
    public WorkEndpoints work() {
        return work;
    }

    /** Stops listening and ends the threads {@code /work/leak} left behind. Safe to call more than once. */
    public void stop() {
        app.stop();
        work.releaseLeaks();
        work.shutdown();
    }

    @Override
    public void close() {
        stop();
    }
}
