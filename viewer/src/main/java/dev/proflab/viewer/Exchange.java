package dev.proflab.viewer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One request to the viewer and its answer, as the API classes see them: the query's parameters and the request's
 * headers in, a status, a content type, headers and a body out. {@link ViewerServer} makes one per request and
 * sends what it holds at the end; nothing here knows the HTTP server.
 *
 * <p>The query string is read at the first {@link #queryParam} (the page and its files never read it): pairs
 * separated by {@code &}, name and value %-decoded as UTF-8 with {@code +} for a space; a name given more than once
 * is its first value; a name without {@code =} has the value {@code ""}. A parameter whose first value has a
 * malformed %-escape is a {@link BadRequest} when it is asked for (a 400 naming it); pairs that are never asked for
 * do not matter.
 */
final class Exchange {

    /** What a response without a content type of its own says (as the viewer's answers always have). */
    static final String TEXT = "text/plain";

    private static final byte[] EMPTY = new byte[0];

    private final String rawQuery;
    private final Function<String, List<String>> requestHeaders;
    private final Supplier<Duration> matchBudget;
    /** name: first value, or the reason it cannot be decoded; read at the first {@link #queryParam}. */
    private Map<String, Value> query;

    private int status = 200;
    private String contentType;
    private byte[] body = EMPTY;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private record Value(String text, String problem) {
    }

    /**
     * @param rawQuery       the query string as sent (without {@code ?}; null: none)
     * @param requestHeaders a request header's values by name, in any case (null or empty: none)
     * @param matchBudget    the server's budget for a request's regular expressions, read when asked
     */
    Exchange(String rawQuery, Function<String, List<String>> requestHeaders, Supplier<Duration> matchBudget) {
        this.rawQuery = rawQuery;
        this.requestHeaders = requestHeaders;
        this.matchBudget = matchBudget;
    }

    // ---- the request --------------------------------------------------------------------------

    /** The first value of query parameter {@code name}, or null; a {@link BadRequest} when it is not %-decodable. */
    String queryParam(String name) {
        if (query == null) {
            query = parse(rawQuery);
        }
        Value v = query.get(name);
        if (v == null) {
            return null;
        }
        if (v.problem() != null) {
            throw new BadRequest(name + ": " + v.problem());
        }
        return v.text();
    }

    /** The first value of request header {@code name}, or null. */
    String header(String name) {
        List<String> v = headers(name);
        return v.isEmpty() ? null : v.get(0);
    }

    /** Every value of request header {@code name} (one per line it came on). */
    List<String> headers(String name) {
        List<String> v = requestHeaders.apply(name);
        return v == null ? List.of() : v;
    }

    /** How long this request may spend matching its regular expressions ({@link ViewerServer#matchBudget}). */
    Duration matchBudget() {
        return matchBudget.get();
    }

    // ---- the answer ---------------------------------------------------------------------------

    Exchange status(int status) {
        this.status = status;
        return this;
    }

    int status() {
        return status;
    }

    Exchange contentType(String type) {
        this.contentType = type;
        return this;
    }

    /** The content type set, or {@link #TEXT}. */
    String contentType() {
        return contentType == null ? TEXT : contentType;
    }

    /** Sets response header {@code name} (replacing a value set before). */
    Exchange header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The response headers set, in the order first set. */
    Map<String, String> responseHeaders() {
        return headers;
    }

    /** The body: the text in UTF-8. */
    Exchange result(String text) {
        return result(text.getBytes(StandardCharsets.UTF_8));
    }

    Exchange result(byte[] bytes) {
        this.body = bytes;
        return this;
    }

    byte[] body() {
        return body;
    }

    // ---- the query string ---------------------------------------------------------------------

    /** The parameters of {@code raw} (null: none), each name's first value or why it cannot be decoded. */
    private static Map<String, Value> parse(String raw) {
        Map<String, Value> m = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        int i = 0;
        while (i <= raw.length()) {
            int amp = raw.indexOf('&', i);
            int end = amp < 0 ? raw.length() : amp;
            if (end > i) {
                int eq = raw.indexOf('=', i);
                if (eq < 0 || eq > end) {
                    eq = end;
                }
                String name = decode(raw, i, eq);
                if (name != null && !name.isEmpty() && !m.containsKey(name)) {
                    String value = eq == end ? "" : decode(raw, eq + 1, end);
                    m.put(name, value != null ? new Value(value, null)
                            : new Value(null, "'" + Params.shorten(raw.substring(eq + 1, end))
                            + "' has a malformed %-escape (% must be followed by two hexadecimal digits)"));
                }
            }
            if (amp < 0) {
                break;
            }
            i = amp + 1;
        }
        return m;
    }

    /**
     * {@code raw[from, to)} %-decoded as UTF-8 ({@code +}: a space; bytes that are no UTF-8: U+FFFD), or null when a
     * {@code %} is not followed by two hexadecimal digits. Characters the request line carried as raw bytes (read as
     * ISO-8859-1) count as those bytes.
     */
    static String decode(String raw, int from, int to) {
        boolean plain = true;
        for (int i = from; i < to && plain; i++) {
            char c = raw.charAt(i);
            plain = c != '%' && c != '+' && c < 0x80;
        }
        if (plain) {
            return raw.substring(from, to);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < to ? hex(raw.charAt(i + 1)) : -1;
                int lo = hi < 0 ? -1 : hex(raw.charAt(i + 2));
                if (lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else if (c < 0x100) {
                out.write(c);
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
