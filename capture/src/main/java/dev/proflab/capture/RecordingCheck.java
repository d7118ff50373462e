package dev.proflab.capture;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a recording through once: is it a complete JFR file, how many events of each type it holds, and
 * which JDK and PID recorded it (from {@code jdk.JVMInformation} and {@code jdk.InitialSystemProperty},
 * which both engines write).
 */
public final class RecordingCheck {

    private static final Set<String> PROPERTIES = Set.of("java.runtime.version", "java.version", "java.vendor",
            "java.home", "java.vm.version");

    /**
     * @param eventCounts events by type name
     * @param pid         the recorded JVM's PID, or null when the recording does not say
     * @param properties  java.runtime.version, java.version, java.vendor, java.home of the recorded JVM (those present)
     */
    public record Summary(Map<String, Long> eventCounts, Long pid, Map<String, String> properties) {

        /** The recorded JVM's JDK, or {@code fallback} when the recording does not name it. */
        public Metadata.Jdk jdk(Metadata.Jdk fallback) {
            String v = properties.getOrDefault("java.runtime.version", properties.get("java.version"));
            if (v == null) {
                return fallback;
            }
            return new Metadata.Jdk(v, properties.get("java.vendor"), properties.get("java.home"));
        }
    }

    private RecordingCheck() {
    }

    /** Counts the events of each type in {@code file}; see {@link #read(Path)}. */
    public static Map<String, Long> countEvents(Path file) {
        return read(file).eventCounts();
    }

    /**
     * Reads {@code file} through.
     *
     * @throws CaptureException when the file is missing, empty, not JFR or cut short
     */
    public static Summary read(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                throw new CaptureException(file.getFileName() + ": the profiler wrote nothing");
            }
            byte[] magic = new byte[4];
            try (InputStream in = Files.newInputStream(file)) {
                if (in.readNBytes(magic, 0, 4) < 4 || magic[0] != 'F' || magic[1] != 'L' || magic[2] != 'R' || magic[3] != 0) {
                    throw new CaptureException(file.getFileName() + ": not a JFR recording");
                }
            }
            Map<String, Long> counts = new TreeMap<>();
            Map<String, String> props = new HashMap<>();
            Long pid = null;
            try (RecordingFile r = new RecordingFile(file)) {
                while (r.hasMoreEvents()) {
                    RecordedEvent e = r.readEvent();
                    String type = e.getEventType().getName();
                    counts.merge(type, 1L, Long::sum);
                    if (type.equals("jdk.InitialSystemProperty") && e.hasField("key") && e.hasField("value")) {
                        String key = e.getString("key");
                        if (PROPERTIES.contains(key)) {
                            props.put(key, e.getString("value"));
                        }
                    } else if (type.equals("jdk.JVMInformation") && pid == null && e.hasField("pid")) {
                        long p = e.getLong("pid");
                        pid = p > 0 ? p : null;
                    }
                }
            }
            return new Summary(counts, pid, props);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CaptureException ce) {
                throw ce;
            }
            throw new CaptureException(file.getFileName() + ": not a complete JFR recording (" + e.getMessage() + ")", e);
        }
    }
}
