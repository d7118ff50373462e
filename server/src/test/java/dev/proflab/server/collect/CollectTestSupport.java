package dev.proflab.server.collect;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.proflab.export.Pprof;
import dev.proflab.profile.ProfileReader;
import dev.proflab.debug.DebugEndpoints;
import dev.proflab.debug.DebugHttpHandler;
import dev.proflab.debug.DebugOptions;
import jdk.jfr.Recording;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Targets (a real /debug/pprof in this JVM, or a scripted fake), a recording log and folder helpers. */
final class CollectTestSupport {

    private static byte[] jfr;
    private static byte[] pprof;
    static volatile long sink;

    private CollectTestSupport() {
    }

    /** A real JFR recording of this JVM burning CPU (about 0.6 s), and the same as gzipped pprof. */
    static synchronized byte[] jfr() throws IOException {
        if (jfr == null) {
            Path rec = Files.createTempFile("collect-test", ".jfr");
            try (Recording r = new Recording()) {
                r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(5));
                r.start();
                long end = System.nanoTime() + 600_000_000L;
                while (System.nanoTime() < end) {
                    sink += burn(22);
                }
                r.stop();
                r.dump(rec);
            }
            jfr = Files.readAllBytes(rec);
            pprof = Pprof.encode(ProfileReader.read(rec));
            Files.delete(rec);
        }
        return jfr;
    }

    static synchronized byte[] pprof() throws IOException {
        jfr();
        return pprof;
    }

    static long burn(int n) {
        return n < 2 ? n : burn(n - 1) + burn(n - 2);
    }

    /** A CPU burner so that CPU windows have samples; daemon, stops on close. */
    static AutoCloseable load() {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sink += burn(20);
            }
        }, "collect-test-burner");
        t.setDaemon(true);
        t.start();
        return t::interrupt;
    }

    /** The real endpoints on a JDK HttpServer, as an application mounts them; stoppable and restartable. */
    static final class Target {
        private HttpServer server;
        private ExecutorService pool;
        private int port;

        Target start(int p) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", p), 50);
            pool = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "collect-test-target");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(pool);
            DebugHttpHandler.mount(server, new DebugEndpoints(DebugOptions.builder().build()));
            server.start();
            port = server.getAddress().getPort();
            return this;
        }

        /** Stops at once: open connections (a capture under way) are closed. */
        void stop() {
            server.stop(0);
            pool.shutdownNow();
        }

        int port() {
            return port;
        }

        String base() {
            return "http://127.0.0.1:" + port;
        }
    }

    /** A scripted server: one handler for every path. */
    interface Handler {
        void handle(HttpExchange ex) throws IOException, InterruptedException;
    }

    static HttpServer fake(Handler h) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        s.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "collect-test-fake");
            t.setDaemon(true);
            return t;
        }));
        s.createContext("/", ex -> {
            try (ex) {
                h.handle(ex);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s.start();
        return s;
    }

    static void reply(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Lines logged by a collector, in order; waits for one. */
    static final class Log implements java.util.function.Consumer<String> {
        private final List<String> lines = new ArrayList<>();

        @Override
        public synchronized void accept(String line) {
            lines.add(line);
            notifyAll();
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        synchronized long count(Predicate<String> p) {
            return lines.stream().filter(p).count();
        }

        /** Waits until {@code n} lines match; fails the test after {@code seconds}. */
        synchronized void await(Predicate<String> p, long n, int seconds) throws InterruptedException {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (count(p) < n) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + n + " matching line(s) within " + seconds + " s; log:\n"
                            + String.join("\n", lines));
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }

        @Override
        public synchronized String toString() {
            return String.join("\n", lines);
        }
    }

    /** The files a reader sees (no dot files), sorted by name. */
    static List<Path> visible(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    static List<Path> hidden(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    /** Runs a collector on a daemon thread. */
    static Thread runInBackground(Collector c, List<Throwable> errors) {
        Thread t = new Thread(() -> {
            try {
                c.run();
            } catch (Throwable e) {
                errors.add(e);
            }
        }, "collect-test-collector");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
