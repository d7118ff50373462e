package dev.proflab.debug;

import com.sun.net.httpserver.HttpServer;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Servers with the debug endpoints on the JDK's adapter (proflab-debug-javalin's tests add Javalin's), workloads
 * with known hot methods, and HTTP helpers.
 */
final class DebugTestSupport {

    static final String TOKEN = "s3cret-token-for-the-tests-0123456789";
    static final String SPINNER = "debug-test-spinner";
    static final Object MONITOR = new Object();
    static volatile long sink;

    private DebugTestSupport() {
    }

    // ---- workloads -----------------------------------------------------------------------------------------

    /** Burns CPU in this method and nothing else (no calls in the loop): the CPU profile's top function. */
    static long spinHot(long n) {
        long x = n;
        for (long i = 0; i < 50_000_000L; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            x ^= x >>> 29;
        }
        return x;
    }

    /** Two or more threads fighting for {@link #MONITOR}: the lock profile's contended monitor (no CPU used). */
    static void contendHot() {
        synchronized (MONITOR) {
            try {
                Thread.sleep(2); // hold it 2 ms
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Allocates 1 KiB arrays, keeping some alive. */
    static void allocHot(List<byte[]> keep) {
        byte[] b = new byte[1024];
        b[0] = 1;
        keep.add(b);
        if (keep.size() > 20_000) {
            keep.subList(0, 10_000).clear();
        }
    }

    /** The background load of every test: one spinner, two contenders, one allocator; daemon threads. */
    static final class Load implements AutoCloseable {
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stop;

        Load() {
            start(SPINNER, () -> sink += spinHot(sink));
            start("debug-test-contender-1", DebugTestSupport::contendHot);
            start("debug-test-contender-2", DebugTestSupport::contendHot);
            List<byte[]> keep = new ArrayList<>();
            // 100 KiB then a sleep of at least 1 ms: a few percent of a core at most, so that on a machine where
            // every thread gets a small share the spinner (which wants a whole core) still gets more than the
            // allocator (which, waking from sleeps, gets all it asks for): at 1,000 per sleep, with twenty
            // runnable threads on two cores, the two were even and allocHot topped the CPU profile once
            start("debug-test-allocator", () -> {
                allocHot(keep);
                if (keep.size() % 100 == 0) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
        }

        private void start(String name, Runnable step) {
            Thread t = new Thread(() -> {
                while (!stop && !Thread.currentThread().isInterrupted()) {
                    step.run();
                }
            }, name);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }

        @Override
        public void close() {
            stop = true;
            try {
                for (Thread t : threads) {
                    t.join(5000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- servers -------------------------------------------------------------------------------------------

    /** An adapter, listening. */
    interface Server extends AutoCloseable {
        String name();

        int port();

        DebugEndpoints endpoints();

        default String base() {
            return "http://127.0.0.1:" + port();
        }

        @Override
        void close();
    }

    static Server jdk(DebugEndpoints debug, String host) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(host, 0), 100);
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "debug-test-http");
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(pool);
        DebugHttpHandler.mount(s, debug);
        s.start();
        return new Server() {
            public String name() {
                return "jdk";
            }

            public int port() {
                return s.getAddress().getPort();
            }

            public DebugEndpoints endpoints() {
                return debug;
            }

            public void close() {
                s.stop(0);
                pool.shutdownNow();
            }

            @Override
            public String toString() {
                return "jdk HttpServer";
            }
        };
    }

    /** A non-loopback IPv4 address of this machine, or null when it has none. */
    static InetAddress nonLoopbackAddress() throws SocketException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a;
                }
            }
        }
        return null;
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    static HttpResponse<byte[]> get(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** A raw request on a socket (anything may be sent); the status code, or -1 when the server closed first. */
    static RawResponse raw(String host, int port, String request, int timeoutMs) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(timeoutMs);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                head.write(c);
                if (head.size() > 65536) {
                    break;
                }
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int status = -1;
            if (text.startsWith("HTTP/1.")) {
                status = Integer.parseInt(text.substring(9, 12));
            }
            return new RawResponse(status, text);
        }
    }

    record RawResponse(int status, String text) {
        String body() {
            int i = text.indexOf("\r\n\r\n");
            return i < 0 ? "" : text.substring(i + 4);
        }
    }

    // ---- profiles ------------------------------------------------------------------------------------------

    /** Reads a response body with the profile library's ProfileReader (from a temporary file). */
    static Profile profile(byte[] body) throws IOException {
        Path f = Files.createTempFile("debug-test-", ".pb.gz");
        try {
            Files.write(f, body);
            return ProfileReader.read(f);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /** Self value by leaf function, largest first. */
    static List<Map.Entry<String, Long>> flat(Profile p) {
        Map<String, Long> self = new HashMap<>();
        int v = p.defaultValueIndex();
        for (int i = 0; i < p.sampleCount(); i++) {
            int[] stack = p.stack(p.stackOf(i));
            if (stack.length > 0) {
                self.merge(p.frame(stack[0]).name(), p.value(i, v), Long::sum);
            }
        }
        List<Map.Entry<String, Long>> l = new ArrayList<>(self.entrySet());
        l.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        return l;
    }

    /** True when some stack of the profile has a frame whose name contains {@code part}. */
    static boolean anyFrame(Profile p, String part) {
        for (int s = 0; s < p.stackCount(); s++) {
            for (int f : p.stack(s)) {
                if (p.frame(f).name().contains(part)) {
                    return true;
                }
            }
        }
        return false;
    }
}
