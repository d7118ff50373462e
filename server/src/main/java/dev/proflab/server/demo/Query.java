package dev.proflab.server.demo;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The query string of one request, parsed strictly: every parameter at most once, only the ones the endpoint
 * knows, numbers in plain decimal within their bounds. Anything else is a {@link BadRequest} naming the parameter.
 */
final class Query {

    /** Longest query string read; Jetty refuses longer request lines before this anyway. */
    static final int MAX_QUERY_CHARS = 4096;

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,19}");
    private static final int MAX_ECHO = 40;

    private final Map<String, String> values;

    private Query(Map<String, String> values) {
        this.values = values;
    }

    /** Parses {@code raw} (null or empty: no parameters), allowing only {@code known} names. */
    static Query parse(String raw, Set<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return new Query(values);
        }
        if (raw.length() > MAX_QUERY_CHARS) {
            throw new BadRequest(400, null, "query string too long (" + raw.length() + " characters, at most "
                    + MAX_QUERY_CHARS + ")");
        }
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), null);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name);
            if (!known.contains(name)) {
                throw new BadRequest(400, echo(name), echo(name) + ": unknown parameter; this endpoint takes "
                        + String.join(", ", known.stream().sorted().toList()));
            }
            if (values.putIfAbsent(name, value) != null) {
                throw BadRequest.parameter(name, "given more than once");
            }
        }
        return new Query(values);
    }

    private static String decode(String s, String parameter) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(400, parameter, (parameter == null ? "" : parameter + ": ")
                    + "bad percent-encoding in the query string");
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** An integer in [min, max]; {@code fallback} when absent. */
    long longParam(String name, long fallback, long min, long max, String why) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (!INTEGER.matcher(v).matches()) {
            throw BadRequest.parameter(name, "'" + echo(v) + "' is not an integer");
        }
        long x;
        try {
            x = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw BadRequest.parameter(name, "'" + echo(v) + "' is out of range (" + min + " to " + max + ")");
        }
        if (x < min || x > max) {
            throw BadRequest.parameter(name, x + " is out of range (" + min + " to " + max + ")"
                    + (why == null || x < min ? "" : ": " + why));
        }
        return x;
    }

    int intParam(String name, int fallback, int min, int max, String why) {
        return (int) longParam(name, fallback, min, max, why);
    }

    boolean booleanParam(String name, boolean fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "" -> true;
            case "false", "0", "no" -> false;
            default -> throw BadRequest.parameter(name, "'" + echo(v) + "' is not true or false");
        };
    }

    String choice(String name, String fallback, List<String> allowed) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (!allowed.contains(v)) {
            throw BadRequest.parameter(name, "'" + echo(v) + "' is not one of " + String.join(", ", allowed));
        }
        return v;
    }

    /** A value as it may be shown back: short, printable. */
    static String echo(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < MAX_ECHO; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (s.length() > MAX_ECHO) {
            b.append("...");
        }
        return b.toString();
    }
}
