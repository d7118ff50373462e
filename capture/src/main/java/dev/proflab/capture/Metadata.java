package dev.proflab.capture;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.proflab.io.AtomicFiles;
import dev.proflab.io.BoundedInput;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What was recorded, how and from what: the sidecar {@code FILE.json} written beside every recording
 * {@code FILE} (e.g. {@code tmp/fib-before-cpu.jfr.json} beside {@code tmp/fib-before-cpu.jfr}).
 * Read it with {@link #read(Path)} given either file.
 *
 * <pre>{@code
 * {
 *   "format" : "proflab-capture/1",
 *   "file" : "fib-before-cpu.jfr",                 // the recording, in the same folder
 *   "engine" : "async-profiler",                   // async-profiler | jfr | jfr-cpu-time
 *   "engineVersion" : "4.5",                       // async-profiler's; for JFR the target JDK's
 *   "events" : [ "cpu" ],                          // cpu wall alloc lock live itimer, as asked
 *   "eventTypes" : { "cpu" : [ "jdk.ExecutionSample" ] },   // JFR event types holding each event
 *   "settings" : {
 *     "intervalNanos" : 10000000,                  // cpu/itimer sampling period (when asked)
 *     "wallIntervalNanos" : 50000000,              // wall (when asked)
 *     "allocBytes" : 524288,                       // alloc/live, async-profiler only
 *     "allocThrottle" : "300/s",                   // alloc, JFR only
 *     "lockThresholdNanos" : 10000,                // lock
 *     "jdkEvents" : false,                         // async-profiler also recorded JFR's default events
 *     "options" : "event=cpu,interval=10000000"    // exactly what the engine was given
 *   },
 *   "target" : {
 *     "kind" : "lab",                              // lab | bench | pid | command
 *     "name" : "fib-before",                       // workload, benchmark, main class or program
 *     "pid" : 12345,                               // the recorded JVM's PID (when known)
 *     "command" : [ "java", "-cp", "...", "dev.proflab.labs.Run", "fib-before", "--seconds", "10" ]
 *   },
 *   "jdk" : { "version" : "25.0.3+9-LTS", "vendor" : "Eclipse Adoptium", "home" : "/usr/lib/jvm/..." },
 *   "start" : "2026-11-26T06:30:00.123Z",          // ISO-8601 UTC, as seen by proflab
 *   "end" : "2026-11-26T06:30:10.456Z",
 *   "seconds" : 10.333,                            // end - start
 *   "requestedSeconds" : 10.0,                     // -d, absent when none was given
 *   "interrupted" : false,                         // true: stopped early by Ctrl-C (the file is complete)
 *   "eventCounts" : { "jdk.ExecutionSample" : 1002, "...": 1 },   // events in the file, by type
 *   "host" : { "os" : "Linux 6.18.0", "arch" : "amd64", "cpus" : 2 },
 *   "commandLine" : "proflab profile fib-before --event cpu -d 10s"
 * }
 * }</pre>
 *
 * <p>Fields may be added in later versions of the same format; readers ignore the ones they do not know.
 * Absent settings are omitted, never null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"format", "file", "engine", "engineVersion", "events", "eventTypes", "settings", "target", "jdk",
        "start", "end", "seconds", "requestedSeconds", "interrupted", "eventCounts", "host", "commandLine"})
public record Metadata(
        String format,
        String file,
        String engine,
        String engineVersion,
        List<String> events,
        Map<String, List<String>> eventTypes,
        Settings settings,
        Target target,
        Jdk jdk,
        String start,
        String end,
        double seconds,
        Double requestedSeconds,
        boolean interrupted,
        Map<String, Long> eventCounts,
        Host host,
        String commandLine) {

    public static final String FORMAT = "proflab-capture/1";

    /** How the engine sampled; see the class comment for each field. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"intervalNanos", "wallIntervalNanos", "allocBytes", "allocThrottle", "lockThresholdNanos",
            "jdkEvents", "options"})
    public record Settings(Long intervalNanos, Long wallIntervalNanos, Long allocBytes, String allocThrottle,
                           Long lockThresholdNanos, boolean jdkEvents, String options) {
    }

    /** What was recorded: {@code kind} is lab, bench, pid or command. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"kind", "name", "pid", "command"})
    public record Target(String kind, String name, Long pid, List<String> command) {
    }

    /** The JDK that ran the recorded program. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Jdk(String version, String vendor, String home) {

        /** The JDK running this code. */
        public static Jdk current() {
            return new Jdk(System.getProperty("java.runtime.version", Runtime.version().toString()),
                    System.getProperty("java.vendor"), System.getProperty("java.home"));
        }
    }

    /** The machine. */
    public record Host(String os, String arch, int cpus) {

        public static Host current() {
            return new Host(System.getProperty("os.name") + " " + System.getProperty("os.version"),
                    System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The settings part for these events and engine. */
    public static Settings settingsOf(CaptureSettings s, Engine engine, String options) {
        boolean cpu = s.has(Event.CPU) || s.has(Event.ITIMER);
        boolean alloc = s.has(Event.ALLOC) || s.has(Event.LIVE);
        return new Settings(
                cpu ? s.intervalOf(false).toNanos() : null,
                s.has(Event.WALL) ? s.intervalOf(true).toNanos() : null,
                alloc && !engine.isJfr() ? s.allocBytes() : null,
                s.has(Event.ALLOC) && engine.isJfr() ? CaptureSettings.JFR_ALLOCATION_THROTTLE : null,
                s.has(Event.LOCK) ? s.lockThreshold().toNanos() : null,
                s.jdkEvents() || engine.isJfr(),
                options);
    }

    /** The largest sidecar read (proflab writes about 1 kB). */
    static final long MAX_SIDECAR_BYTES = 1L << 20;

    /** The sidecar of a recording: {@code FILE.json} beside {@code FILE}. */
    public static Path sidecarOf(Path recording) {
        return recording.resolveSibling(recording.getFileName() + ".json");
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@link #sidecarOf(Path) the sidecar} of {@code recording} atomically. */
    public void writeBeside(Path recording) throws IOException {
        AtomicFiles.writeString(sidecarOf(recording), toJson());
    }

    /**
     * Reads the metadata of a recording, given the recording ({@code x.jfr}) or its sidecar
     * ({@code x.jfr.json}). Returns null when the recording has no sidecar (not made by proflab).
     *
     * @throws IOException when the sidecar exists but cannot be read or is not this format
     */
    public static Metadata read(Path file) throws IOException {
        Path sidecar = file.getFileName().toString().endsWith(".json") ? file : sidecarOf(file);
        String text;
        try {
            text = new String(BoundedInput.readAll(sidecar, MAX_SIDECAR_BYTES), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (BoundedInput.TooLargeException e) {
            throw new IOException(sidecar + ": " + e.getMessage() + ": not a proflab capture sidecar", e);
        }
        Metadata m = JSON.readValue(text, Metadata.class);
        if (m.format() == null || !m.format().startsWith("proflab-capture/")) {
            throw new IOException(sidecar + ": not a proflab capture sidecar (no \"format\": \"" + FORMAT + "\")");
        }
        return m;
    }
}
