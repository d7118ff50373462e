package dev.proflab.capture;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An always-on JDK Flight Recorder recording of this JVM, kept on disk within an age and a size, from which the
 * last minutes can be written out at any time: the flight recorder that was already running when the latency spike
 * happened, rather than a profile started after it.
 *
 * <pre>{@code
 * try (ContinuousRecording fr = ContinuousRecording.start(Duration.ofMinutes(15), 100 << 20, "default")) {
 *     ...
 *     ContinuousRecording.Dump d = fr.dumpLast(Duration.ofMinutes(5), Path.of("last-5-min.jfr"));
 * }
 * }</pre>
 *
 * <p>JFR keeps the recording in chunks in its repository and drops whole chunks older than the age or beyond the
 * size. A dump first writes everything still kept (JFR ends the current chunk so that it is complete), then keeps
 * only the events that end inside the asked span ({@link RecordingFile#write}); the constant pools and metadata
 * travel with them, so the result is an ordinary recording any reader opens.
 *
 * <p>Environment variables and the machine's other processes' command lines (which often hold secrets) are not
 * recorded: a dump may leave the process.
 */
public final class ContinuousRecording implements AutoCloseable {

    /** The recording's name, as {@code jcmd PID JFR.check} lists it. */
    public static final String NAME = "proflab-continuous";

    private final Recording recording;
    private final Duration maxAge;
    private final long maxBytes;
    private final String configuration;
    private final Instant started;

    private ContinuousRecording(Recording recording, Duration maxAge, long maxBytes, String configuration,
                                Instant started) {
        this.recording = recording;
        this.maxAge = maxAge;
        this.maxBytes = maxBytes;
        this.configuration = configuration;
        this.started = started;
    }

    /**
     * Starts recording.
     *
     * @param maxAge        events older than this are dropped (whole chunks at a time), at least one second
     * @param maxBytes      the repository keeps at most about this much, at least 1 MB
     * @param configuration a JFR configuration: {@code default} (about 1% overhead, meant to be always on) or
     *                      {@code profile}
     * @throws CaptureException when JFR has no such configuration or cannot start here
     */
    public static ContinuousRecording start(Duration maxAge, long maxBytes, String configuration) {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the flight recorder's age must be at least 1 s, not " + maxAge);
        }
        if (maxBytes < (1 << 20)) {
            throw new IllegalArgumentException("the flight recorder's size must be at least 1 MB, not " + maxBytes + " bytes");
        }
        Map<String, String> settings = new HashMap<>();
        try {
            settings.putAll(Configuration.getConfiguration(configuration).getSettings());
        } catch (IOException | ParseException e) {
            throw new CaptureException("JDK Flight Recorder has no configuration '" + configuration + "'", e);
        }
        settings.put("jdk.InitialEnvironmentVariable#enabled", "false");
        settings.put("jdk.SystemProcess#enabled", "false");
        Recording r = new Recording(settings);
        r.setName(NAME);
        r.setToDisk(true);
        r.setMaxAge(maxAge);
        r.setMaxSize(maxBytes);
        try {
            r.start();
        } catch (IllegalStateException | SecurityException e) {
            r.close();
            throw new CaptureException("JDK Flight Recorder cannot start: " + e.getMessage(), e);
        }
        return new ContinuousRecording(r, maxAge, maxBytes, configuration, Instant.now());
    }

    public Duration maxAge() {
        return maxAge;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public String configuration() {
        return configuration;
    }

    /** When it started. */
    public Instant started() {
        return started;
    }

    /** True until {@link #close()} (or until JFR stopped it, e.g. the disk was full). */
    public boolean running() {
        return recording.getState() == RecordingState.RUNNING;
    }

    /**
     * What a dump holds.
     *
     * @param file   the recording written
     * @param from   the start of the span asked for, or of the recording when it is younger than that
     * @param to     when the dump was taken
     * @param events the events kept
     * @param bytes  the file's size
     */
    public record Dump(Path file, Instant from, Instant to, long events, long bytes) {
    }

    /**
     * Writes the events of the last {@code span} to {@code file} (replaced when it exists). Only the caller's
     * file is written; a temporary copy of the repository's chunks next to it is deleted before this returns.
     *
     * @throws CaptureException when the recording is not running or the files cannot be written
     */
    public Dump dumpLast(Duration span, Path file) {
        Objects.requireNonNull(span, "span");
        if (span.isNegative() || span.isZero()) {
            throw new IllegalArgumentException("the span must be positive, not " + span);
        }
        if (!running()) {
            throw new CaptureException("the flight recorder is not running (" + recording.getState() + ")");
        }
        Instant to = Instant.now();
        Instant from = to.minus(span);
        if (from.isBefore(started)) {
            from = started;
        }
        Path parent = file.toAbsolutePath().getParent();
        Path whole = null;
        try {
            whole = Files.createTempFile(parent, ".proflab-fr-", ".jfr");
            recording.dump(whole);
            Instant cut = from;
            long[] kept = {0};
            try (RecordingFile in = new RecordingFile(whole)) {
                in.write(file, e -> {
                    boolean keep = !e.getEndTime().isBefore(cut);
                    if (keep) {
                        kept[0]++;
                    }
                    return keep;
                });
            }
            return new Dump(file, from, to, kept[0], Files.size(file));
        } catch (IOException | IllegalStateException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the message below is what matters
            }
            throw new CaptureException("the flight recorder could not be written: " + e.getMessage(), e);
        } finally {
            if (whole != null) {
                try {
                    Files.deleteIfExists(whole);
                } catch (IOException ignored) {
                    // a temporary file in the caller's folder: the caller deletes the folder
                }
            }
        }
    }

    /** Stops recording and deletes what JFR kept. Safe to call more than once. */
    @Override
    public void close() {
        recording.close();
    }
}
