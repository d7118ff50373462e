package dev.proflab.server.demo;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 2,000 malformed or hostile requests against /work/*, on raw sockets so that nothing cleans them up on the way:
 * only 4xx (or 503 when saturated) come back, never a 5xx, never a hang, never a stack trace or a path; and a
 * good request between batches is served.
 */
@Tag("slow")
class DemoHostileRequestsTest {

    static final int REQUESTS = 2000;
    static final int BATCH = 100;
    static DemoService service;

    @BeforeAll
    static void start() {
        service = DemoService.start(DemoService.Options.defaults().withPort(0).withIdleTimeout(Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stop() {
        service.stop();
        dev.proflab.labs.alloc.Alloc.release();
    }

    static final String[] ENDPOINTS = {"/work/cpu", "/work/mem", "/work/contention", "/work/leak"};
    static final Map<String, String[]> PARAMS = Map.of(
            "/work/cpu", new String[] {"n", "workers"},
            "/work/mem", new String[] {"bytes", "count"},
            "/work/contention", new String[] {"workers", "iter", "holdNs"},
            "/work/leak", new String[] {"n", "bytes"});
    /** Values that are bad for every numeric parameter. */
    static final String[] BAD_NUMBERS = {"-1", "-2147483649", "-9223372036854775809", "99999999999999999999999",
            "9223372036854775808", "2147483648", "4294967296", "abc", "", "1.5", "0x10", "1e9", "%00", "NaN",
            "+-1", "--1", "%2D1", "1%20", "%EF%BF%BD", "%zz", "%", "1;DROP", "${jndi:ldap://x}", "<script>",
            "0000000000000000000000000001000000", "%F0%9F%92%A3", "\u00a0"};

    static String target(Random r, int i) {
        String e = ENDPOINTS[r.nextInt(ENDPOINTS.length)];
        String[] ps = PARAMS.get(e);
        String p = ps[r.nextInt(ps.length)];
        return switch (i % 12) {
            case 0, 1, 2, 3 -> e + "?" + p + "=" + BAD_NUMBERS[r.nextInt(BAD_NUMBERS.length)];
            case 4 -> e + "?" + p + "=1&" + p + "=1";                                   // repeated
            case 5 -> e + "?impl=" + new String[] {"xyz", "BEFORE", "../../etc/passwd", "before%00", "%2e%2e"}[r.nextInt(5)];
            case 6 -> new String[] {"/work/../../etc/passwd", "/work/%2e%2e/%2e%2e/etc/passwd", "/work/cpu/../../../etc/passwd",
                    "/..%2f..%2fetc/passwd", "/work/cpu%00", "/work/%2fetc%2fpasswd", "/work//cpu/..;/..;/",
                    "/work/cpu/%c0%ae%c0%ae/", "/WORK/CPU", "/work/cpu/extra"}[r.nextInt(10)];
            case 7 -> e + "?" + p + "=" + "9".repeat(100 + r.nextInt(20_000));          // very long URL
            case 8 -> e + "?" + "x".repeat(1 + r.nextInt(50)) + "=1";                    // unknown parameter
            case 9 -> e + "?" + p + "=" + new String[] {"65", "100001", "1000001", "33", "41", "16777217", "1001"}[r.nextInt(7)]
                    + (p.equals("n") || p.equals("workers") ? "0000" : "000000");       // beyond the maximum
            case 10 -> e + "?" + "&".repeat(r.nextInt(5)) + "=&=" + "&" + p;             // empty names, missing values
            default -> e + "?workers=0";                                                 // zero where it is not allowed
        };
    }

    /** A raw request: mostly GET, some other methods and broken request lines. */
    static String request(Random r, int i, String target) {
        if (i % 37 == 0) {
            return new String[] {"GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET " + target + "\r\n\r\n",
                    "GET " + target + " HTTP/1.1\r\n\r\n", // no Host
                    "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n",
                    "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n"}[r.nextInt(6)];
        }
        String method = i % 29 == 0 ? new String[] {"POST", "PUT", "DELETE", "TRACE", "PATCH"}[r.nextInt(5)] : "GET";
        String body = method.equals("GET") ? "" : "x=1";
        return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + (i % 31 == 0 ? "X-Long: " + "a".repeat(20_000) + "\r\n" : "")
                + (body.isEmpty() ? "" : "Content-Length: " + body.length() + "\r\n") + "\r\n" + body;
    }

    record Reply(int status, String text) {
    }

    static Reply send(String raw) throws IOException {
        try (Socket s = new Socket("127.0.0.1", service.port())) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                s.shutdownOutput();
            } catch (IOException e) {
                // the server may close early on an oversized request; read what it said
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0 && got.size() < 1 << 20; ) {
                    got.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer within 15 s to " + raw.substring(0, Math.min(120, raw.length())));
            } catch (IOException reset) {
                // connection reset after the answer: keep what arrived
            }
            String text = got.toString(StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.1 ")) {
                return new Reply(-1, text); // closed without an answer
            }
            return new Reply(Integer.parseInt(text.substring(9, 12)), text);
        }
    }

    static Reply good() throws IOException {
        return send("GET /work/cpu?n=20&impl=after HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void hostileRequestsGetOnly4xxAndTheServiceKeepsServing() throws Exception {
        Random random = new Random(20261126);
        List<String> raws = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            raws.add(request(random, i, target(random, i)));
        }
        Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int b = 0; b < REQUESTS; b += BATCH) {
                List<Future<?>> futures = new ArrayList<>();
                for (String raw : raws.subList(b, Math.min(REQUESTS, b + BATCH))) {
                    futures.add(pool.submit(() -> {
                        Reply reply = send(raw);
                        byStatus.computeIfAbsent(reply.status, k -> new AtomicInteger()).incrementAndGet();
                        String head = raw.substring(0, Math.min(100, raw.length())).replace("\r\n", " | ");
                        boolean fine = (reply.status >= 400 && reply.status < 500) || reply.status == 503
                                || reply.status == -1 && raw.length() > 8000; // oversized: may be cut off unanswered
                        if (!fine) {
                            problems.add(reply.status + " for " + head);
                        }
                        String lower = reply.text.toLowerCase(java.util.Locale.ROOT);
                        if (lower.contains("exception") || lower.contains("\tat ") || lower.contains("/tmp/")
                                || lower.contains(".java") || lower.contains("root:")) {
                            problems.add("leaky answer for " + head + ": " + reply.text.substring(0, Math.min(300, reply.text.length())));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
                Reply ok = good();
                assertThat(ok.status).as("good request after batch " + b / BATCH).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(problems).as("statuses " + new TreeMap<>(byStatus)).isEmpty();
        int answered = byStatus.entrySet().stream().filter(e -> e.getKey() >= 400).mapToInt(e -> e.getValue().get()).sum();
        assertThat(answered).as("statuses " + new TreeMap<>(byStatus)).isGreaterThanOrEqualTo(REQUESTS * 95 / 100);
        System.out.println("hostile requests by status: " + new TreeMap<>(byStatus));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void slowPartialRequestsAreCutOffAndDoNotBlockOthers() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket s = new Socket("127.0.0.1", service.port());
                s.getOutputStream().write(("GET /work/cpu?n=" + i).getBytes(StandardCharsets.US_ASCII)); // and nothing more
                s.getOutputStream().flush();
                slow.add(s);
            }
            assertThat(good().status).isEqualTo(200); // served while 50 requests hang half-sent
            long start = System.nanoTime();
            for (Socket s : slow) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                String text = "";
                try {
                    int n = in.read(buf);
                    text = n > 0 ? new String(buf, 0, n, StandardCharsets.ISO_8859_1) : "";
                } catch (IOException closed) {
                    // reset: cut off
                }
                assertThat(text.isEmpty() || text.startsWith("HTTP/1.1 4")).as(text).isTrue();
            }
            // the idle timeout (2 s here) closed them, not the client's 10 s
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            assertThat(good().status).isEqualTo(200);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }
}
