package dev.proflab.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The names a local server answers to, against DNS rebinding: a page on {@code evil.example} whose name
 * later resolves to 127.0.0.1 reaches a loopback server from the user's own browser, but its requests still
 * name {@code evil.example} as their host. A server that is open without a token because it listens on
 * loopback therefore answers only a host that is a loopback name or address ({@code localhost},
 * {@code 127.0.0.1}, {@code [::1]}, with or without a port) or one the user allowed explicitly.
 *
 * <p>A pure function of the text of a request's host (an authority {@code host[:port]}, as sent in HTTP's
 * {@code Host} header): no name is ever resolved, and nothing here knows an HTTP stack. The grammar is strict:
 * a DNS name (letters, digits, {@code -} and {@code _}, labels of 1 to 63, at most one trailing dot, which is
 * dropped), a dotted-quad IPv4 address without leading zeros, or a bracketed IPv6 address, then an optional
 * port of 1 to 65535. Anything else ({@code user@host}, {@code 127.1}, {@code 0x7f.0.0.1}, an empty port, a bare
 * IPv6 address, spaces inside) is malformed and refused. Names are compared without case.
 *
 * <p>Bound to an address that is not loopback (the user asked for the network), IP address literals are accepted
 * too: a browser sends one only when its page's own address is that literal, which no DNS answer can change.
 * Names other than the loopback one still have to be allowed.
 *
 * <p>{@link #crossSite} is the companion rule for requests a browser sends on behalf of another site's page.
 *
 * <pre>{@code
 * HostCheck hosts = HostCheck.of("127.0.0.1", List.of("devbox.lan"));
 * hosts.allows("localhost:7070");      // true
 * hosts.allows("devbox.lan:7070");     // true
 * hosts.allows("evil.example:7070");   // false
 * }</pre>
 */
public final class HostCheck {

    /** The longest host value looked at: a DNS name is at most 253 characters, then a port. */
    static final int MAX_LENGTH = 300;

    private static final HostCheck LOOPBACK = new HostCheck(Set.of(), false);

    /** Allowed hosts besides the loopback ones: lower-case names without the trailing dot, canonical literals. */
    private final Set<String> allowed;
    /** Whether any IP address literal is accepted (bound to a non-loopback address). */
    private final boolean anyAddress;

    private HostCheck(Set<String> allowed, boolean anyAddress) {
        this.allowed = Collections.unmodifiableSet(new LinkedHashSet<>(allowed));
        this.anyAddress = anyAddress;
    }

    /** Loopback names and addresses only. */
    public static HostCheck loopback() {
        return LOOPBACK;
    }

    /**
     * Loopback names and addresses, and {@code allowHosts} (names or address literals, without a port).
     *
     * @throws IllegalArgumentException naming the value when one of {@code allowHosts} is not a host name or an
     *     address literal
     */
    public static HostCheck loopback(Collection<String> allowHosts) {
        return of(null, allowHosts);
    }

    /**
     * What a server listening on {@code bind} answers: loopback names and addresses, {@code allowHosts}; when
     * {@code bind} is not a loopback address or name (null: loopback), also {@code bind} itself and every IP
     * address literal.
     *
     * @throws IllegalArgumentException naming the value when one of {@code allowHosts} is not a host name or an
     *     address literal
     */
    public static HostCheck of(String bind, Collection<String> allowHosts) {
        Set<String> names = new LinkedHashSet<>();
        for (String h : allowHosts == null ? List.<String>of() : allowHosts) {
            names.add(allowedName(h));
        }
        boolean any = false;
        if (bind != null && !bind.isBlank()) {
            Host b = parseHost(bind.strip().contains(":") && !bind.strip().startsWith("[")
                    ? "[" + bind.strip() + "]" : bind.strip());
            if (b != null && !b.loopback()) {
                any = true;
                if (b.kind == Kind.NAME) {
                    names.add(b.name);
                }
            }
        }
        return names.isEmpty() && !any ? LOOPBACK : new HostCheck(names, any);
    }

    /**
     * The canonical form of a host to allow ({@code --allow-host}): a name in lower case without a trailing dot,
     * or an address literal ({@code [fe80::1]} or {@code fe80::1} for IPv6).
     *
     * @throws IllegalArgumentException naming the value when it is not a host name or an address literal, or has a
     *     port (every port of an allowed host is accepted)
     */
    public static String allowedName(String host) {
        String h = host == null ? "" : host.strip();
        if (h.isEmpty()) {
            throw new IllegalArgumentException("'': empty, give a host name such as devbox.lan");
        }
        if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
            // a bare IPv6 address, or a name with a port
            Host v6 = parseHost("[" + h + "]");
            if (v6 != null && v6.port < 0) {
                return v6.name;
            }
        }
        Host p = parseHost(h);
        if (p == null) {
            throw new IllegalArgumentException("'" + shown(h) + "' is not a host name or an IP address");
        }
        if (p.port >= 0) {
            throw new IllegalArgumentException("'" + shown(h) + "': give the host without a port (every port is accepted)");
        }
        return p.name;
    }

    /** True when {@code host}, the request's {@code Host} value, names one of the hosts this server answers to. */
    public boolean allows(String host) {
        Host p = parseHost(host);
        if (p == null) {
            return false;
        }
        return p.loopback() || allowed.contains(p.name) || (anyAddress && p.kind != Kind.NAME);
    }

    /** True when a request with these {@code Host} values (every one sent; none, or several, is refused) is allowed. */
    public boolean allows(List<String> hosts) {
        return hosts != null && hosts.size() == 1 && allows(hosts.get(0));
    }

    /** The hosts allowed besides the loopback ones, in canonical form, in the order given. */
    public Set<String> allowed() {
        return allowed;
    }

    /** Whether IP address literals are accepted (bound to a non-loopback address). */
    public boolean anyAddress() {
        return anyAddress;
    }

    /**
     * Why a request with these {@code Host} values is refused: one sentence, without a hint of how to allow it
     * (the caller adds its own); null when it is allowed.
     */
    public String refusal(List<String> hosts) {
        if (allows(hosts)) {
            return null;
        }
        if (hosts == null || hosts.isEmpty()) {
            return "a request without a Host header is refused (DNS rebinding protection)";
        }
        if (hosts.size() > 1) {
            return "a request with " + hosts.size() + " Host headers is refused (DNS rebinding protection)";
        }
        String h = hosts.get(0);
        if (parseHost(h) == null) {
            return "Host '" + shown(h) + "' is not a host name with an optional port (DNS rebinding protection)";
        }
        String what = anyAddress && !allowed.isEmpty() ? "an IP address, a loopback name or an allowed host"
                : anyAddress ? "an IP address or a loopback name"
                : allowed.isEmpty() ? "a loopback name" : "a loopback name or an allowed host";
        return "Host '" + shown(h) + "' is not " + what + " (DNS rebinding protection)";
    }

    /**
     * Whether a browser sent this request for another site's page (a cross-site {@code <img>}, {@code <iframe>},
     * {@code fetch} or form): then it is refused even though its host is right, because a loopback server's
     * {@code GET}s start work (a CPU profile, a burst of load) that no other site should start. Decided by
     * {@code Sec-Fetch-Site} (sent by current browsers; scripts cannot set it): {@code same-origin} and
     * {@code none} (typed, bookmarked) pass; {@code same-site} and {@code cross-site} pass only as a top-level
     * navigation ({@code Sec-Fetch-Mode: navigate} with {@code Sec-Fetch-Dest: document}: a link the user
     * follows). Without it (an older browser), an {@code Origin} other than {@code http(s)://HOST} is refused.
     * Requests without either header (curl, go tool pprof, HTTP clients) pass.
     *
     * @param secFetchSite {@code Sec-Fetch-Site}, or null
     * @param secFetchMode {@code Sec-Fetch-Mode}, or null
     * @param secFetchDest {@code Sec-Fetch-Dest}, or null
     * @param origin       {@code Origin}, or null
     * @param host         {@code Host}, or null
     * @return why it is refused (one sentence), or null when it passes
     */
    public static String crossSite(String secFetchSite, String secFetchMode, String secFetchDest, String origin,
                                   String host) {
        if (secFetchSite != null) {
            String site = secFetchSite.strip().toLowerCase(Locale.ROOT);
            if (site.equals("same-origin") || site.equals("none")) {
                return null;
            }
            boolean navigation = secFetchMode != null && secFetchMode.strip().equalsIgnoreCase("navigate")
                    && (secFetchDest == null || secFetchDest.strip().equalsIgnoreCase("document"));
            if (navigation) {
                return null;
            }
            return "a request made by another site's page (Sec-Fetch-Site: " + shown(secFetchSite) + ") is refused;"
                    + " open the page itself";
        }
        if (origin == null) {
            return null;
        }
        String o = origin.strip();
        if (host != null && !host.isBlank()) {
            String h = host.strip();
            if (o.equalsIgnoreCase("http://" + h) || o.equalsIgnoreCase("https://" + h)) {
                return null;
            }
        }
        return "a request made by another site's page (Origin: " + shown(o) + ") is refused; open the page itself";
    }

    // ---- parsing -------------------------------------------------------------------------------------------

    enum Kind { NAME, IPV4, IPV6 }

    /**
     * A parsed host: {@code name} in canonical form (lower case, no trailing dot; an IPv4 dotted quad; an IPv6
     * address as {@link InetAddress#getHostAddress()} writes it, in brackets), its port or -1.
     */
    record Host(Kind kind, String name, int port, boolean loopback) {
    }

    /** Parses {@code host[:port]}; null when it is malformed (see the class's grammar). */
    static Host parseHost(String value) {
        if (value == null) {
            return null;
        }
        String v = trimSpaces(value);
        if (v.isEmpty() || v.length() > MAX_LENGTH) {
            return null;
        }
        String host;
        String port = null;
        if (v.charAt(0) == '[') {
            int close = v.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = v.substring(1, close);
            String rest = v.substring(close + 1);
            if (!rest.isEmpty()) {
                if (rest.charAt(0) != ':') {
                    return null;
                }
                port = rest.substring(1);
            }
            InetAddress a = ipv6(host);
            if (a == null) {
                return null;
            }
            int p = port(port);
            if (p == -2) {
                return null;
            }
            if (a instanceof Inet4Address) {
                // an IPv4-mapped address (::ffff:127.0.0.1): as the IPv4 address it is
                return new Host(Kind.IPV6, "[::ffff:" + a.getHostAddress() + "]", p, a.isLoopbackAddress());
            }
            return new Host(Kind.IPV6, "[" + a.getHostAddress() + "]", p, a.isLoopbackAddress());
        }
        int colon = v.indexOf(':');
        if (colon >= 0) {
            if (v.indexOf(':', colon + 1) >= 0) {
                return null; // a bare IPv6 address, or two ports
            }
            host = v.substring(0, colon);
            port = v.substring(colon + 1);
        } else {
            host = v;
        }
        int p = port(port);
        if (p == -2) {
            return null;
        }
        String h = asciiLower(host);
        if (h == null) {
            return null;
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (!name(h)) {
            return null;
        }
        String last = h.substring(h.lastIndexOf('.') + 1);
        if (numeric(last)) {
            // browsers read a name ending in a number as an IPv4 address: only the canonical dotted quad is one
            int[] q = ipv4(h);
            if (q == null || host.endsWith(".")) {
                return null;
            }
            return new Host(Kind.IPV4, h, p, q[0] == 127);
        }
        return new Host(Kind.NAME, h, p, h.equals("localhost"));
    }

    /** Without leading and trailing spaces and tabs (HTTP's optional white space), and nothing else. */
    private static String trimSpaces(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    /** Lower case of an ASCII string; null when it has anything else (String.toLowerCase maps some to ASCII). */
    private static String asciiLower(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] > 0x7e) {
                return null;
            }
            if (c[i] >= 'A' && c[i] <= 'Z') {
                c[i] = (char) (c[i] + 32);
            }
        }
        return new String(c);
    }

    /** The port: -1 when absent, -2 when malformed (empty, not 1 to 5 digits, 0, above 65535). */
    private static int port(String port) {
        if (port == null) {
            return -1;
        }
        if (port.isEmpty() || port.length() > 5) {
            return -2;
        }
        for (int i = 0; i < port.length(); i++) {
            char c = port.charAt(i);
            if (c < '0' || c > '9') {
                return -2;
            }
        }
        int n = Integer.parseInt(port);
        return n < 1 || n > 65535 ? -2 : n;
    }

    /** Letters, digits, {@code -} and {@code _}; labels of 1 to 63 separated by single dots; at most 253 in all. */
    private static boolean name(String h) {
        if (h.isEmpty() || h.length() > 253) {
            return false;
        }
        int label = 0;
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c == '.') {
                if (label == 0) {
                    return false;
                }
                label = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                if (++label > 63) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return label > 0;
    }

    /** A label that a URL parser takes for a number: decimal digits, or 0x and hex digits. */
    private static boolean numeric(String label) {
        if (label.startsWith("0x")) {
            for (int i = 2; i < label.length(); i++) {
                if (Character.digit(label.charAt(i), 16) < 0) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < label.length(); i++) {
            if (label.charAt(i) < '0' || label.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The four parts of a canonical dotted quad (0 to 255, no leading zeros), or null. */
    private static int[] ipv4(String h) {
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int[] q = new int[4];
        for (int i = 0; i < 4; i++) {
            String s = parts[i];
            if (s.isEmpty() || s.length() > 3 || (s.length() > 1 && s.charAt(0) == '0')) {
                return null;
            }
            for (int j = 0; j < s.length(); j++) {
                if (s.charAt(j) < '0' || s.charAt(j) > '9') {
                    return null;
                }
            }
            q[i] = Integer.parseInt(s);
            if (q[i] > 255) {
                return null;
            }
        }
        return q;
    }

    /** An IPv6 address literal (hex digits, colons, an IPv4 tail; no zone), or null; never a name lookup. */
    private static InetAddress ipv6(String s) {
        if (s.isEmpty() || s.length() > 45 || s.indexOf(':') < 0) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                return null;
            }
        }
        try {
            // in brackets, InetAddress parses an IPv6 literal or fails: it never resolves a name
            return InetAddress.getByName("[" + s + "]");
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** A value as it may appear in a message: printable ASCII, at most 64 characters. */
    static String shown(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 64; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (s.length() > 64) {
            b.append("...");
        }
        return b.toString();
    }
}
