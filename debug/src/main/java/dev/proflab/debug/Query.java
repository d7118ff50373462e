package dev.proflab.debug;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The query parameters of one request: each at most once, only those the endpoint knows, numbers checked. */
final class Query {

    static final int MAX_QUERY = 2048;

    private final Map<String, String> values;

    private Query(Map<String, String> values) {
        this.values = values;
    }

    /** Parses {@code raw} (null: none); fails on bad escapes, repeated or unknown parameters. */
    static Query parse(String raw, Set<String> allowed) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            if (raw.length() > MAX_QUERY) {
                throw new DebugError(414, "the query string is too long (at most " + MAX_QUERY + " characters)");
            }
            for (String part : raw.split("&", -1)) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String name = decode(eq < 0 ? part : part.substring(0, eq));
                String value = eq < 0 ? "" : decode(part.substring(eq + 1));
                if (!allowed.contains(name)) {
                    throw new DebugError(400, "unknown parameter '" + shown(name) + "'"
                            + (allowed.isEmpty() ? ": this path takes none" : ": use " + String.join(", ", allowed)));
                }
                if (m.putIfAbsent(name, value) != null) {
                    throw new DebugError(400, name + ": given more than once");
                }
            }
        }
        return new Query(m);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new DebugError(400, "malformed %-escape in the query string");
        }
    }

    String get(String name) {
        return values.get(name);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** A whole number in {@code min..max}; {@code dflt} when absent. */
    long number(String name, long dflt, long min, long max) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        String s = v.strip();
        if (!s.matches("[+-]?\\d{1,18}")) {
            throw new DebugError(400, name + ": '" + shown(v) + "' is not a whole number (use " + min + " to " + max + ")");
        }
        long n = Long.parseLong(s);
        if (n < min || n > max) {
            throw new DebugError(400, name + ": " + n + " is out of range (use " + min + " to " + max + ")");
        }
        return n;
    }

    /** 0/1, false/true; {@code dflt} when absent. */
    boolean flag(String name, boolean dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true", "yes", "" -> true;
            case "0", "false", "no" -> false;
            default -> throw new DebugError(400, name + ": '" + shown(v) + "' is not 0 or 1");
        };
    }

    /** A value for an error message: short, printable ASCII only. */
    static String shown(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 24; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f && c != '\'' && c != '"' && c != '\\' && c != '<' && c != '>' ? c : '?');
        }
        return s.length() > 24 ? b + "..." : b.toString();
    }
}
