package dev.proflab.viewer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that hold connections without finishing a request (slowloris): one that sends nothing holds no thread; one
 * that sends part of a request holds one of the server's {@link ViewerServer#THREADS} until the read deadline
 * ({@link ViewerServer#MAX_REQUEST_SECONDS}), then is closed, and the requests queued meanwhile are answered. Time
 * bounds are generous, for a loaded machine.
 */
@Tag("slow")
class SlowClientTest {

    static ViewerServer server;

    @BeforeAll
    static void start() {
        server = new ViewerServer(ViewerApiTest.CPU, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    /** Milliseconds until GET /api/meta answers 200. */
    static long meta() throws Exception {
        long t0 = System.nanoTime();
        ViewerHostTest.Reply r = ViewerHostTest.get(server.port(), "127.0.0.1:" + server.port(), "/api/meta");
        assertThat(r.status()).isEqualTo(200);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static Socket open(String send) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        if (!send.isEmpty()) {
            s.getOutputStream().write(send.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
        }
        return s;
    }

    @Test
    void theReadDeadlineIsSet() {
        assertThat(System.getProperty("sun.net.httpserver.maxReqTime"))
                .isEqualTo(String.valueOf(ViewerServer.MAX_REQUEST_SECONDS));
        assertThat(System.getProperty("sun.net.httpserver.maxRspTime"))
                .isEqualTo(String.valueOf(ViewerServer.MAX_RESPONSE_SECONDS));
    }

    @Test
    void idleConnectionsHoldNoThread() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                idle.add(open(""));
            }
            assertThat(meta()).isLessThan(3_000);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void partRequestsAreClosedAtTheDeadline() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            // one thread short of all: the others still answer at once
            for (int i = 0; i < ViewerServer.THREADS - 1; i++) {
                slow.add(open("GET /api/meta HTTP/1.1\r\nHo"));
            }
            Thread.sleep(300);
            assertThat(meta()).isLessThan(3_000);
            // every thread held, and more: the server closes them at the deadline, then answers again
            for (int i = 0; i < 3; i++) {
                slow.add(open("GET /api/meta HTTP/1.1\r\nHo"));
            }
            long t0 = System.nanoTime();
            for (Socket s : slow) {
                assertThat(closedByServer(s)).isTrue();
            }
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan((ViewerServer.MAX_REQUEST_SECONDS + 10) * 1000L);
            assertThat(meta()).isLessThan(3_000);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void aBodyAnnouncedAndNeverSentIsAnsweredAtOnceAndClosedAtTheDeadline() throws Exception {
        try (Socket s = open("GET /api/flame HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000000\r\n\r\n")) {
            s.setSoTimeout(5_000);
            byte[] status = s.getInputStream().readNBytes(12);
            assertThat(new String(status, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 413");
            assertThat(closedByServer(s)).isTrue();
        }
        assertThat(meta()).isLessThan(3_000);
    }

    /** Whether the server closes {@code s} (reads what it sent first) within the deadline and a margin. */
    static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout((ViewerServer.MAX_REQUEST_SECONDS + 10) * 1000);
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // what it answered before closing
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;   // reset
        }
    }
}
