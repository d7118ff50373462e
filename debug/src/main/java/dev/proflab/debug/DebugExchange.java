package dev.proflab.debug;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * One HTTP request to the debug endpoints and its response, as {@link DebugEndpoints} sees them: what an adapter
 * for an HTTP stack implements (see {@link DebugHttpHandler}, and {@code DebugJavalin} in proflab-debug-javalin,
 * each about 30 lines).
 */
public interface DebugExchange {

    /** GET, HEAD, POST, ... */
    String method();

    /** The path as sent, not decoded: {@code /debug/pprof/profile}. */
    String rawPath();

    /** The query string as sent, not decoded, without {@code ?}; null when there is none. */
    String rawQuery();

    /** A request header's value (the first one), or null. */
    String header(String name);

    /**
     * Every value of a request header, in order (empty when absent). The {@code Host} rule refuses a request with
     * more than one; adapters whose stack can send several override this (the default gives the first only).
     */
    default List<String> headers(String name) {
        String v = header(name);
        return v == null ? List.of() : List.of(v);
    }

    /**
     * True when the connection came to a loopback address of this host (the listener's side of the socket:
     * 127.0.0.1, ::1): then the endpoints are open without a token, to requests whose {@code Host} is a loopback
     * name or an allowed one (DNS rebinding) and that no other site's page sent.
     */
    boolean loopback();

    /** True once the client has gone away (when the HTTP stack can tell; false otherwise). */
    default boolean clientGone() {
        return false;
    }

    /** Sets a response header; before {@link #send}. */
    void header(String name, String value);

    /**
     * Sends the status line and headers and returns the body's stream, which the caller closes.
     *
     * @param length the body's length in bytes, or -1 when not known in advance
     */
    OutputStream send(int status, long length) throws IOException;
}
