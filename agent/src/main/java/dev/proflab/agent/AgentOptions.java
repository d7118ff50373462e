package dev.proflab.agent;

import dev.proflab.debug.DebugOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The agent's options, in the one syntax of {@code -javaagent:proflab-agent.jar=OPTIONS} and of
 * {@code proflab agent --pid}: {@code key=value} pairs separated by commas, e.g.
 * {@code port=6060,bind=0.0.0.0,token-file=/run/secrets/debug-token,flight-recorder=15m}.
 *
 * <ul>
 *   <li>{@code port} (default 6060; 0 picks a free port, said in the start-up line)</li>
 *   <li>{@code bind} the address to listen on (default 127.0.0.1; 0.0.0.0 for every address: then the token)</li>
 *   <li>{@code token-file} a file whose first line is the bearer token (at least 16 characters)</li>
 *   <li>{@code flight-recorder} keep an always-on JFR recording this long ({@code 15m}, {@code 1h}) for
 *       {@code /debug/jfr?last=5m}; {@code flight-recorder-size} caps it ({@code 100m}, the default)</li>
 *   <li>{@code debug-heap-dumps} the folder where {@code /debug/pprof/heapdump} writes (off unless given)</li>
 *   <li>{@code max-seconds} the cap of {@code ?seconds=} (default 120)</li>
 *   <li>{@code allow-hosts} more Host names answered on loopback without the token, separated by {@code ;}</li>
 * </ul>
 * A value cannot contain a comma. A mistake is an {@link IllegalArgumentException} whose message names the option.
 *
 * @param bind  the address to listen on, as given
 * @param port  the port, 0 for any free one
 * @param debug what the endpoints do
 */
public record AgentOptions(String bind, int port, DebugOptions debug) {

    public static final int DEFAULT_PORT = 6060;
    public static final String DEFAULT_BIND = "127.0.0.1";
    static final Set<String> KEYS = Set.of("port", "bind", "token-file", "flight-recorder", "flight-recorder-size",
            "debug-heap-dumps", "max-seconds", "allow-hosts");

    /** Parses {@code port=6060,bind=...}; null or empty: the defaults. */
    public static AgentOptions parse(String args) {
        Map<String, String> kv = split(args);
        int port = DEFAULT_PORT;
        if (kv.containsKey("port")) {
            port = integer(kv.get("port"), "port");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port=" + port + ": not a port (0 to 65535)");
            }
        }
        String bind = kv.getOrDefault("bind", DEFAULT_BIND);
        if (bind.isEmpty()) {
            throw new IllegalArgumentException("bind= is empty");
        }
        DebugOptions.Builder b = DebugOptions.builder();
        String tf = kv.get("token-file");
        if (tf != null) {
            b.tokenFile(Path.of(tf)); // the message names the file
        }
        String fr = kv.get("flight-recorder");
        if (fr != null && !fr.equals("off")) {
            long size = DebugOptions.FlightRecorder.DEFAULT_MAX_BYTES;
            if (kv.containsKey("flight-recorder-size")) {
                size = bytes(kv.get("flight-recorder-size"), "flight-recorder-size");
            }
            Duration age = fr.isEmpty() || fr.equals("on") ? DebugOptions.FlightRecorder.DEFAULT_MAX_AGE
                    : duration(fr, "flight-recorder");
            try {
                b.flightRecorder(new DebugOptions.FlightRecorder(age, size, "default"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("flight-recorder=" + fr + ": " + e.getMessage(), e);
            }
        } else if (kv.containsKey("flight-recorder-size")) {
            throw new IllegalArgumentException("flight-recorder-size= needs flight-recorder=");
        }
        String heap = kv.get("debug-heap-dumps");
        if (heap != null) {
            if (heap.isEmpty()) {
                throw new IllegalArgumentException("debug-heap-dumps= needs a folder");
            }
            b.heapDumps(Path.of(heap));
        }
        if (kv.containsKey("max-seconds")) {
            b.maxSeconds(integer(kv.get("max-seconds"), "max-seconds"));
        }
        if (kv.containsKey("allow-hosts")) {
            List<String> hosts = new ArrayList<>();
            for (String h : kv.get("allow-hosts").split(";")) {
                if (!h.isBlank()) {
                    hosts.add(h.strip());
                }
            }
            try {
                b.allowHosts(hosts);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("allow-hosts: " + e.getMessage(), e);
            }
        }
        try {
            return new AgentOptions(bind, port, b.build());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Map<String, String> split(String args) {
        Map<String, String> kv = new LinkedHashMap<>();
        if (args == null || args.isBlank()) {
            return kv;
        }
        for (String part : args.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : p.substring(eq + 1).strip();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown option '" + shown(key) + "' (known: "
                        + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
            if (kv.put(key, value) != null) {
                throw new IllegalArgumentException("option '" + key + "' given twice");
            }
        }
        return kv;
    }

    private static int integer(String v, String key) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + shown(v) + ": not a whole number");
        }
    }

    /** {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}; a bare number is seconds. */
    static Duration duration(String v, String key) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("min")) {
            s = s.substring(0, s.length() - 3);
            unit = 60;
        } else if (!s.isEmpty() && "smhd".indexOf(s.charAt(s.length() - 1)) >= 0) {
            unit = switch (s.charAt(s.length() - 1)) {
                case 'm' -> 60;
                case 'h' -> 3600;
                case 'd' -> 86400;
                default -> 1;
            };
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s.strip());
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(Math.multiplyExact(n, unit));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(key + "=" + shown(v) + ": not a duration (90s, 15m, 2h, 1d)");
        }
    }

    /** {@code 100m}, {@code 1g}, {@code 512k}; a bare number is bytes. */
    static long bytes(String v, String key) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = 0;
        if (!s.isEmpty() && "kmg".indexOf(s.charAt(s.length() - 1)) >= 0) {
            shift = 10 * ("kmg".indexOf(s.charAt(s.length() - 1)) + 1);
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s.strip());
            if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + shown(v) + ": not a size (100m, 1g)");
        }
    }

    /** A value as shown in a message: at most 60 printable characters. */
    private static String shown(String v) {
        String s = v.replaceAll("\\p{Cntrl}", "?");
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
