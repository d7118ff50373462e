package dev.proflab.capture;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Who records: async-profiler (the default), JDK Flight Recorder, or JFR's CPU-time sampler (JDK 25+). */
public enum Engine {
    /** async-profiler, loaded as a JVMTI agent from the library inside its Maven jar. */
    ASYNC_PROFILER("async-profiler", "async"),
    /** JDK Flight Recorder with its default settings plus the sampling asked for. */
    JFR("jfr", "jfr"),
    /** JDK Flight Recorder with CPU time sampled by {@code jdk.CPUTimeSample} (JEP 509, JDK 25+). */
    JFR_CPU_TIME("jfr-cpu-time", "jfr-cpu-time");

    private final String id;
    private final String alias;

    Engine(String id, String alias) {
        this.id = id;
        this.alias = alias;
    }

    /** The name written in metadata and shown to users. */
    public String id() {
        return id;
    }

    public boolean isJfr() {
        return this != ASYNC_PROFILER;
    }

    /** Parses async, async-profiler, jfr, jfr-cpu-time (also jfr-cpu); null or "auto" is null: choose. */
    public static Engine parse(String text) {
        if (text == null || text.isBlank() || text.equalsIgnoreCase("auto")) {
            return null;
        }
        String k = text.strip().toLowerCase(Locale.ROOT);
        for (Engine e : values()) {
            if (e.id.equals(k) || e.alias.equals(k)) {
                return e;
            }
        }
        if (k.equals("jfr-cpu") || k.equals("cpu-time")) {
            return JFR_CPU_TIME;
        }
        throw new CaptureException("unknown engine '" + text + "': use auto, "
                + Arrays.stream(values()).map(e -> e.alias).collect(Collectors.joining(", ")));
    }
}
