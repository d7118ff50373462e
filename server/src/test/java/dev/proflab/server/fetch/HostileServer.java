package dev.proflab.server.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.proflab.export.Pprof;
import dev.proflab.profile.ProfileReader;
import jdk.jfr.Recording;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

/**
 * A scripted HTTP server for tests of what a fetch does with a server that does not play fair: endless bodies,
 * bodies that trickle, lengths past any cap, connections cut mid-body, no answer at all, decompression bombs.
 * The handlers stop on their own when the client has gone (a write fails), or after a few minutes.
 */
public final class HostileServer implements AutoCloseable {

    /** One handler for every path. */
    public interface Handler {
        void handle(HttpExchange ex) throws IOException, InterruptedException;
    }

    private static final long GIVE_UP_NANOS = Duration.ofMinutes(3).toNanos();
    private static byte[] jfr;
    private static byte[] pprof;
    private static volatile long sink;

    private final HttpServer server;
    private final ExecutorService pool;
    private volatile boolean stopped;

    private HostileServer(Handler h) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "hostile-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", ex -> {
            try (ex) {
                h.handle(ex);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client went away: what these handlers wait for
            }
        });
        server.start();
    }

    public static HostileServer start(Handler h) throws IOException {
        return new HostileServer(h);
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        stopped = true;
        server.stop(0);
        pool.shutdownNow();
    }

    // ---- answers ----------------------------------------------------------------------------------------

    public static void reply(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** A chunked body that never ends: gzip's magic, then 64 kB blocks, until the client goes away. */
    public void endless(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        byte[] block = new byte[1 << 16];
        Arrays.fill(block, (byte) 'x');
        block[0] = 0x1f;
        block[1] = (byte) 0x8b;
        long end = System.nanoTime() + GIVE_UP_NANOS;
        while (!stopped && System.nanoTime() < end) {
            out.write(block);
        }
    }

    /** Declares {@code length} bytes and sends them, 64 kB at a time, until the client goes away. */
    public void declared(HttpExchange ex, long length) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, length);
        OutputStream out = ex.getResponseBody();
        byte[] block = new byte[1 << 16];
        long end = System.nanoTime() + GIVE_UP_NANOS;
        for (long sent = 0; sent < length && !stopped && System.nanoTime() < end; sent += block.length) {
            out.write(block, 0, (int) Math.min(block.length, length - sent));
        }
    }

    /** Headers at once, then the body one byte every {@code period}, gzip's magic first, never ending. */
    public void trickle(HttpExchange ex, Duration period) throws IOException, InterruptedException {
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        byte[] head = {0x1f, (byte) 0x8b, 8, 0};
        long end = System.nanoTime() + GIVE_UP_NANOS;
        for (int i = 0; !stopped && System.nanoTime() < end; i++) {
            out.write(i < head.length ? head[i] : 0);
            out.flush();
            Thread.sleep(period.toMillis());
        }
    }

    /** Declares all of {@code body}, sends half of it, then closes the connection. */
    public static void cut(HttpExchange ex, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, body.length);
        OutputStream out = ex.getResponseBody();
        out.write(body, 0, body.length / 2);
        out.flush();
        throw new Cut(); // out of the handler: the JDK server closes the connection
    }

    /** Thrown out of a handler to have the server close the connection, short of the declared length. */
    private static final class Cut extends RuntimeException {
        Cut() {
            super("connection cut on purpose", null, false, false);
        }
    }

    /** Never answers: no status line, no headers, until the client goes away or the server stops. */
    public void silent(HttpExchange ex) throws InterruptedException {
        long end = System.nanoTime() + GIVE_UP_NANOS;
        while (!stopped && System.nanoTime() < end) {
            Thread.sleep(100);
        }
    }

    // ---- bodies -----------------------------------------------------------------------------------------

    /**
     * A decompression bomb: gzip members of 16 MB of zeros each, one after the other (a gzip stream may hold many),
     * that inflate to {@code inflated} bytes from about a thousandth of that.
     */
    public static byte[] gzipBomb(long inflated) throws IOException {
        int chunk = 16 << 20;
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(member, 1 << 16)) {
            g.write(new byte[chunk]);
        }
        byte[] one = member.toByteArray();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (long n = 0; n < inflated; n += chunk) {
            all.write(one);
        }
        return all.toByteArray();
    }

    /** A real JFR recording of this JVM burning CPU (about 0.6 s): cpu samples. */
    public static synchronized byte[] cpuJfr() throws IOException {
        if (jfr == null) {
            Path rec = Files.createTempFile("hostile-server", ".jfr");
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

    /** The same as gzipped pprof: a cpu profile. */
    public static synchronized byte[] cpuPprof() throws IOException {
        cpuJfr();
        return pprof;
    }

    private static long burn(int n) {
        return n < 2 ? n : burn(n - 1) + burn(n - 2);
    }
}
