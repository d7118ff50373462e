package dev.proflab.debug;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * {@link DebugEndpoints} as a handler of the JDK's {@code com.sun.net.httpserver.HttpServer}.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 6060), 0);
 * server.setExecutor(Executors.newVirtualThreadPerTaskExecutor()); // not the default: a capture takes seconds
 * DebugEndpoints debug = new DebugEndpoints(DebugOptions.defaults());
 * DebugHttpHandler.mount(server, debug);
 * System.out.println(debug.describe(server.getAddress().getAddress()));
 * server.start();
 * }</pre>
 *
 * <p>Give the server an executor: without one every request runs on the server's single dispatcher thread, and a
 * 30 s profile holds up every other request for 30 s. Loopback is decided by the socket's local address; on
 * loopback, a request without the token must name a loopback or allowed {@code Host} (see {@link DebugEndpoints}).
 */
public final class DebugHttpHandler implements HttpHandler {

    private final DebugEndpoints endpoints;

    public DebugHttpHandler(DebugEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    /** Serves {@link DebugEndpoints#PREFIX} ({@code /debug/}) on {@code server}; returns the handler. */
    public static DebugHttpHandler mount(HttpServer server, DebugEndpoints endpoints) {
        DebugHttpHandler h = new DebugHttpHandler(endpoints);
        server.createContext(DebugEndpoints.PREFIX, h);
        server.createContext("/debug/pprof", h); // without the trailing slash too
        return h;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            endpoints.handle(new Exchange(exchange));
        }
    }

    private record Exchange(HttpExchange x) implements DebugExchange {

        @Override
        public String method() {
            return x.getRequestMethod();
        }

        @Override
        public String rawPath() {
            return x.getRequestURI().getRawPath();
        }

        @Override
        public String rawQuery() {
            return x.getRequestURI().getRawQuery();
        }

        @Override
        public String header(String name) {
            return x.getRequestHeaders().getFirst(name);
        }

        @Override
        public List<String> headers(String name) {
            List<String> v = x.getRequestHeaders().get(name);
            return v == null ? List.of() : List.copyOf(v);
        }

        @Override
        public boolean loopback() {
            InetSocketAddress local = x.getLocalAddress();
            return local != null && local.getAddress() != null && local.getAddress().isLoopbackAddress();
        }

        @Override
        public void header(String name, String value) {
            x.getResponseHeaders().set(name, value);
        }

        @Override
        public OutputStream send(int status, long length) throws IOException {
            // HttpServer: 0 means chunked, -1 no body
            x.sendResponseHeaders(status, length == 0 ? -1 : length < 0 ? 0 : length);
            return x.getResponseBody();
        }
    }
}
