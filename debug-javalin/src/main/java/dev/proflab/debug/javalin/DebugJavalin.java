package dev.proflab.debug.javalin;

import dev.proflab.debug.DebugEndpoints;
import dev.proflab.debug.DebugExchange;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;

/**
 * {@link DebugEndpoints} in a Javalin 7 application.
 *
 * <pre>{@code
 * DebugEndpoints debug = new DebugEndpoints(DebugOptions.builder().tokenFile(Path.of("debug-token")).build());
 * Javalin app = Javalin.create(config -> {
 *     DebugJavalin.register(config, debug);               // GET /debug/pprof/..., /debug/jfr, /debug/gc
 *     config.routes.get("/hello", ctx -> ctx.result("hi"));
 * }).start("0.0.0.0", 8080);
 * System.out.println(debug.describe("0.0.0.0"));
 * }</pre>
 *
 * <p>Loopback is decided by the connection's local address ({@code ServletRequest.getLocalAddr()}); on loopback, a
 * request without the token must name a loopback or allowed {@code Host} (see {@link DebugEndpoints}); the body is
 * written to the servlet response directly, past Javalin's compression (profiles are gzipped already).
 */
public final class DebugJavalin {

    private DebugJavalin() {
    }

    /** Adds the GET routes of {@code /debug/pprof} (with and without the trailing slash) and {@code /debug/*}. */
    public static void register(JavalinConfig config, DebugEndpoints endpoints) {
        Handler h = handler(endpoints);
        config.routes.get("/debug/pprof", h);
        config.routes.get("/debug/*", h);
    }

    /** The handler alone, for applications that route differently (mount it at {@code /debug/*}). */
    public static Handler handler(DebugEndpoints endpoints) {
        return ctx -> endpoints.handle(new Exchange(ctx));
    }

    private record Exchange(Context ctx) implements DebugExchange {

        @Override
        public String method() {
            return ctx.req().getMethod();
        }

        @Override
        public String rawPath() {
            return ctx.req().getRequestURI();
        }

        @Override
        public String rawQuery() {
            return ctx.req().getQueryString();
        }

        @Override
        public String header(String name) {
            return ctx.req().getHeader(name);
        }

        @Override
        public List<String> headers(String name) {
            java.util.Enumeration<String> e = ctx.req().getHeaders(name);
            return e == null ? List.of() : Collections.list(e);
        }

        @Override
        public boolean loopback() {
            String local = ctx.req().getLocalAddr();
            if (local == null || local.isEmpty()) {
                return false;
            }
            if (local.startsWith("[") && local.endsWith("]")) {
                local = local.substring(1, local.length() - 1);
            }
            if (!local.matches("[0-9a-fA-F:.%]+[0-9a-zA-Z]*")) {
                return false; // not an address literal: never resolve names here
            }
            try {
                return InetAddress.getByName(local).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }

        @Override
        public void header(String name, String value) {
            ctx.res().setHeader(name, value);
        }

        @Override
        public OutputStream send(int status, long length) throws IOException {
            ctx.status(status);
            ctx.res().setStatus(status);
            if (length >= 0) {
                ctx.res().setContentLengthLong(length);
            }
            return ctx.res().getOutputStream();
        }
    }
}
