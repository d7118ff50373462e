package dev.proflab.server.collect;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The labels of a push, checked as Pyroscope checks them, so that a label the server would refuse (and with it every
 * push) is bad input before anything runs, and the defaults a fleet needs.
 *
 * <p>What the server does with the {@code name} of {@code /ingest?name=app{k=v,...}}, as read in grafana/pyroscope:
 * <ul>
 *   <li>{@code api/model/labelset/labelset.go} and {@code validate.go} parse it: the app name holds
 *       {@code [A-Za-z0-9_./-]}, label names {@code [A-Za-z0-9_.]}; a value ends at {@code ,} or {@code }} and is
 *       trimmed.</li>
 *   <li>grafana/jfr-parser {@code pprof/pyroscope/pyroscope.go} ({@code Labels}) drops names starting with
 *       {@code __} (all but {@code __session_id__}) and adds {@code pyroscope_spy}, {@code __delta__},
 *       {@code jfr_event}, {@code __name__} and {@code service_name} (the app name; {@code app_name} when a label
 *       {@code service_name} was given).</li>
 *   <li>{@code pkg/validation/validate.go} ({@code ValidateLabels}, {@code SanitizeLegacyLabelName}) refuses a series
 *       with more than {@code validation.max-label-names-per-series} (30, {@code pkg/validation/limits.go}) names, a
 *       name longer than 1024 or a value longer than 2048 bytes, a name that starts with a digit, and two names that
 *       are the same once each {@code .} becomes {@code _} but have different values.</li>
 * </ul>
 */
public final class PyroscopeLabels {

    /** {@code validation.max-label-names-per-series}, Pyroscope's default. */
    public static final int MAX_LABEL_NAMES = 30;
    /** What the server adds to every series of a JFR push (jfr-parser {@code pyroscope.Labels}). */
    public static final List<String> SERVER_LABELS = List.of("__name__", "service_name", "pyroscope_spy", "__delta__",
            "jfr_event");
    static final int MAX_NAME_LENGTH = 1024;
    static final int MAX_VALUE_LENGTH = 2048;

    /** The JVM's runtime, with the names the Java agent gives them ({@code PyroscopeExporter.otelRequiredLabels}). */
    public static final String RUNTIME_NAME = "process.runtime.name";
    public static final String RUNTIME_VERSION = "process.runtime.version";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.]+");
    private static final Set<String> SET_BY_SERVER = Set.of("service_name", "pyroscope_spy", "jfr_event");

    private PyroscopeLabels() {
    }

    /**
     * The labels a fleet needs to tell one JVM from another, for the service at {@code target}: {@code host} (its
     * host name; this machine's name for a loopback address) and {@code instance} ({@code host:port}). The runtime
     * ({@link #RUNTIME_NAME}, {@link #RUNTIME_VERSION}) is read from the first recording
     * ({@link #runtimeOf}); {@code service_name} is the app name.
     */
    public static Map<String, String> defaults(URI target) {
        String host = target.getHost();
        try {
            if (host != null && InetAddress.getByName(host).isLoopbackAddress()) {
                host = InetAddress.getLocalHost().getHostName();
            }
        } catch (UnknownHostException | SecurityException e) {
            // keep the name as given
        }
        Map<String, String> m = new LinkedHashMap<>();
        if (host != null) {
            host = clean(host);
            m.put("host", host);
            int port = target.getPort() >= 0 ? target.getPort() : "https".equals(target.getScheme()) ? 443 : 80;
            m.put("instance", host + ":" + port);
        }
        return m;
    }

    /**
     * {@code labels} (given on the command line) over {@code defaults}: a given label replaces the default of the
     * same name, also when they differ by {@code .} and {@code _}.
     */
    public static Map<String, String> merge(Map<String, String> defaults, Map<String, String> labels) {
        Map<String, String> m = new LinkedHashMap<>();
        Set<String> given = new java.util.HashSet<>();
        labels.keySet().forEach(k -> given.add(sanitized(k)));
        defaults.forEach((k, v) -> {
            if (!given.contains(sanitized(k))) {
                m.put(k, v);
            }
        });
        m.putAll(labels);
        return m;
    }

    /**
     * Checks {@code labels} as the server will, counting {@code more} names still to come (the runtime's) and the
     * server's own ({@link #SERVER_LABELS}).
     *
     * @throws IllegalArgumentException one line naming the label and the rule
     */
    public static void check(Map<String, String> labels, int more) {
        Map<String, String> bySanitized = new HashMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            String what = "--label " + k + "=" + v + ": ";
            if (k.startsWith("__")) {
                throw new IllegalArgumentException(what + "names starting with __ are Pyroscope's own: it drops them");
            }
            if (!NAME.matcher(k).matches()) {
                throw new IllegalArgumentException(what + "'" + k + "' is not a label name (letters, digits, _ and .)");
            }
            if (Character.isDigit(k.charAt(0))) {
                throw new IllegalArgumentException(what + "'" + k + "' starts with a digit: Pyroscope's distributor"
                        + " refuses the push");
            }
            if (k.length() > MAX_NAME_LENGTH) {
                throw new IllegalArgumentException(what + "the name is longer than " + MAX_NAME_LENGTH + " characters");
            }
            if (SET_BY_SERVER.contains(sanitized(k))) {
                throw new IllegalArgumentException(what + "Pyroscope sets '" + sanitized(k) + "' itself"
                        + (k.equals("service_name") ? " from the app name: use --app" : ""));
            }
            if (v.isBlank() || v.chars().anyMatch(c -> c == ',' || c == '{' || c == '}' || c == '=' || c < 0x20)
                    || !v.equals(v.strip())) {
                throw new IllegalArgumentException(what + "the value must be non-empty, without , { } = or"
                        + " surrounding spaces");
            }
            if (v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_VALUE_LENGTH) {
                throw new IllegalArgumentException(what + "the value is longer than " + MAX_VALUE_LENGTH + " bytes");
            }
            String s = sanitized(k);
            String before = bySanitized.put(s, k);
            if (before != null && !labels.get(before).equals(v)) {
                throw new IllegalArgumentException(what + "'" + before + "' and '" + k + "' are the same label '" + s
                        + "' once . becomes _ (as Pyroscope stores names), with different values");
            }
        }
        int names = (int) labels.keySet().stream().map(PyroscopeLabels::sanitized).distinct().count() + more
                + SERVER_LABELS.size();
        if (names > MAX_LABEL_NAMES) {
            throw new IllegalArgumentException("--label: " + names + " label names per series, more than the "
                    + MAX_LABEL_NAMES + " Pyroscope takes (" + SERVER_LABELS.size() + " are its own: "
                    + String.join(", ", SERVER_LABELS) + (more > 0 ? "; " + more + " the runtime's" : "")
                    + "); drop some, or the defaults with --no-default-labels");
        }
    }

    /** A name as the server stores it: each {@code .} an {@code _}. */
    static String sanitized(String name) {
        return name.replace('.', '_');
    }

    /** A value that the name parser takes whole: , { } = and control characters become _ ; trimmed. */
    static String clean(String value) {
        String v = value.strip().replaceAll("[,{}=\\p{Cntrl}]", "_");
        return v.length() > MAX_VALUE_LENGTH ? v.substring(0, MAX_VALUE_LENGTH) : v;
    }

    /**
     * {@link #RUNTIME_NAME} and {@link #RUNTIME_VERSION} of the JVM that wrote {@code jfr}, from its
     * {@code jdk.InitialSystemProperty} events: {@code java.runtime.name} and {@code java.runtime.version}, which the
     * Java agent reads in the JVM it runs in, when the recording holds them (JDK Flight Recorder writes every
     * property); else {@code java.vm.name} and {@code java.vm.version}, the ones async-profiler writes (the version
     * is the same string on JDK 9 and later; the name is the VM's, e.g. {@code OpenJDK 64-Bit Server VM} rather
     * than {@code OpenJDK Runtime Environment}). Empty when the recording says neither.
     */
    public static Map<String, String> runtimeOf(Path jfr) {
        Map<String, String> props = new HashMap<>();
        Set<String> wanted = Set.of("java.runtime.name", "java.runtime.version", "java.vm.name", "java.vm.version");
        try (jdk.jfr.consumer.RecordingFile f = new jdk.jfr.consumer.RecordingFile(jfr)) {
            while (f.hasMoreEvents() && props.size() < wanted.size()) {
                jdk.jfr.consumer.RecordedEvent e = f.readEvent();
                if (e.getEventType().getName().equals("jdk.InitialSystemProperty")) {
                    String key = e.getString("key");
                    String value = e.getString("value");
                    if (wanted.contains(key) && value != null && !value.isBlank()) {
                        props.put(key, clean(value));
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return Map.of(); // not a recording the JDK reads: no runtime labels
        }
        Map<String, String> m = new LinkedHashMap<>();
        String name = props.getOrDefault("java.runtime.name", props.get("java.vm.name"));
        String version = props.getOrDefault("java.runtime.version", props.get("java.vm.version"));
        if (name != null) {
            m.put(RUNTIME_NAME, name);
        }
        if (version != null) {
            m.put(RUNTIME_VERSION, version);
        }
        return m;
    }
}
