package dev.proflab.gc;

import dev.proflab.text.Phrase;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One configuration of the GC comparison: a name and the JVM options that make it (a collector, heap sizes,
 * tuning flags). The workload's own options (the GC log, the class path) are added by the runner.
 *
 * @param name        a short name for tables and legends ({@code g1-64m}, {@code g1-gctimeratio4})
 * @param jvmOptions  the options, in order, as given to {@code java}
 */
public record GcConfig(String name, List<String> jvmOptions) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,39}");

    public GcConfig {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new GcCompareException("config name '" + name + "': use 1 to 40 letters, digits, '.', '_', '+' or '-'");
        }
        jvmOptions = List.copyOf(jvmOptions);
        for (String o : jvmOptions) {
            if (!o.startsWith("-")) {
                throw new GcCompareException("config " + name + ": '" + o + "' is not a JVM option (options start with -)");
            }
        }
        HeapSize.checkOptions(name, jvmOptions);
    }

    /** The collectors known by id, with the JVM flag that selects each. */
    public enum Collector {
        G1("g1", "-XX:+UseG1GC", "G1"),
        PARALLEL("parallel", "-XX:+UseParallelGC", "Parallel"),
        SERIAL("serial", "-XX:+UseSerialGC", "Serial"),
        ZGC("zgc", "-XX:+UseZGC", "ZGC"),
        SHENANDOAH("shenandoah", "-XX:+UseShenandoahGC", "Shenandoah");

        private final String id;
        private final String flag;
        private final String label;

        Collector(String id, String flag, String label) {
            this.id = id;
            this.flag = flag;
            this.label = label;
        }

        public String id() {
            return id;
        }

        public String flag() {
            return flag;
        }

        public String label() {
            return label;
        }

        /** g1, parallel, serial, zgc (or z), shenandoah; case-insensitive. */
        public static Collector byId(String id) {
            String k = id.strip().toLowerCase(Locale.ROOT);
            if (k.equals("z")) {
                k = "zgc";
            }
            for (Collector c : values()) {
                if (c.id.equals(k)) {
                    return c;
                }
            }
            throw new GcCompareException(Phrase.of(Phrase.parameter("collector"), ": unknown collector '" + id
                    + "' (use g1, parallel, serial, zgc, shenandoah; other JVM options with ", Phrase.parameter("config"),
                    " NAME=OPTIONS)"));
        }

        /** The collector's label as the GC log names it in its {@code Using ...} line. */
        public static String fromLog(String using) {
            if (using == null) {
                return null;
            }
            if (using.contains("Z Garbage") || using.startsWith("ZGC")) {
                return ZGC.label;
            }
            for (Collector c : values()) {
                if (using.startsWith(c.label)) {
                    return c.label;
                }
            }
            return using.equals("unknown") ? null : using;
        }
    }

    /** A collector with a maximum heap (and the same initial heap when {@code fixed}): {@code g1-64m}. */
    public static GcConfig of(Collector c, long heapBytes, boolean fixed) {
        List<String> o = new ArrayList<>(List.of(c.flag(), "-Xmx" + HeapSize.format(heapBytes)));
        if (fixed) {
            o.add("-Xms" + HeapSize.format(heapBytes));
        }
        return new GcConfig(c.id() + "-" + HeapSize.format(heapBytes), o);
    }

    /** A configuration written {@code NAME=OPTIONS} (the CLI's {@code --config}), options split at spaces. */
    public static GcConfig parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new GcCompareException(Phrase.of(Phrase.parameter("config"), ": '" + spec
                    + "' is not NAME=JVM-OPTIONS (e.g. g1-pause10=\"-XX:+UseG1GC -Xmx128m -XX:MaxGCPauseMillis=10\")"));
        }
        String name = spec.substring(0, eq).strip();
        String rest = spec.substring(eq + 1).strip();
        List<String> options = rest.isEmpty() ? List.of() : Arrays.asList(rest.split("\\s+"));
        return new GcConfig(name, options);
    }

    /**
     * The counterparts of Go's {@code GOGC} and {@code GOMEMLIMIT} (see {@code proflab gc --help}), each with a
     * maximum heap of {@code heapBytes} × 4 (and G1's an initial heap of {@code heapBytes} / 4) so that the heap
     * has room to be sized:
     * <ul>
     *   <li>{@code g1-gctimeratio4}: G1 may spend up to 1/(1+4) = 20% of the time in GC: it keeps the heap small,
     *       like a low GOGC;</li>
     *   <li>{@code g1-gctimeratio99}: at most 1% in GC: it grows the heap instead, like a high GOGC;</li>
     *   <li>{@code zgc-softmax}: ZGC with {@code -XX:SoftMaxHeapSize} = {@code heapBytes}: collects to stay under it
     *       and goes over it up to {@code -Xmx} rather than fail, like GOMEMLIMIT (with -Xmx the hard limit
     *       Go does not have).</li>
     * </ul>
     */
    public static List<GcConfig> presets(long heapBytes) {
        String max = HeapSize.format(heapBytes * 4);
        // a small initial heap: else it starts at 1/64 of the RAM (clamped to -Xmx) and there is nothing left to size
        String min = HeapSize.format(Math.max(HeapSize.MIN_BYTES * 4, heapBytes / 4 / (1 << 20) * (1 << 20)));
        return List.of(
                new GcConfig("g1-gctimeratio4", List.of("-XX:+UseG1GC", "-Xms" + min, "-Xmx" + max, "-XX:GCTimeRatio=4")),
                new GcConfig("g1-gctimeratio99", List.of("-XX:+UseG1GC", "-Xms" + min, "-Xmx" + max, "-XX:GCTimeRatio=99")),
                new GcConfig("zgc-softmax", List.of("-XX:+UseZGC", "-Xmx" + max,
                        "-XX:SoftMaxHeapSize=" + HeapSize.format(heapBytes))));
    }

    /** The collector its options select, when one of them does (the JVM's default collector otherwise). */
    public Optional<Collector> collector() {
        Collector found = null;
        for (String o : jvmOptions) {
            for (Collector c : Collector.values()) {
                if (o.equals(c.flag())) {
                    found = c;
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** The options as one string, for tables. */
    public String optionsText() {
        return String.join(" ", jvmOptions);
    }
}
