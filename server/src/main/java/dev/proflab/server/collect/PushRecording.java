package dev.proflab.server.collect;

import dev.proflab.profile.ProfileKind;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Makes each push say what it is, as Pyroscope reads a JFR push (grafana/jfr-parser {@code pprof/parser.go}, the
 * converter of grafana/pyroscope {@code pkg/og/convert/jfr/profile.go}):
 * <ul>
 *   <li>every sample event of the recording makes a series: {@code jdk.ExecutionSample} {@code process_cpu},
 *       {@code profiler.WallClockSample} {@code wall}, the allocation events and {@code profiler.LiveObject}
 *       {@code memory}, {@code jdk.JavaMonitorEnter} {@code mutex}, {@code jdk.ThreadPark} {@code block}. A window
 *       of one kind also holds samples of others that the target records on the side (a wall or lock window holds
 *       {@code jdk.ThreadPark}, a heap snapshot the allocations it tracked): they would land in those series, in
 *       windows that were not sampling for them. Only the kind's own sample events are pushed;</li>
 *   <li>the series' {@code jfr_event} label is the value of the last {@code jdk.ActiveSetting} named {@code event}
 *       in the file, and while it reads {@code wall}, every RUNNABLE wall sample is also counted as CPU: a wall push
 *       adds to the {@code process_cpu} series. So a wall push is sent as two chunks: its samples without the
 *       {@code event} setting, then a chunk with only that setting ({@code jfr_event="wall"}, and no CPU);</li>
 *   <li>async-profiler writes no {@code event} setting when it samples only allocations, live objects or locks, so
 *       those pushes had an empty {@code jfr_event}. They are sent with the setting of the CPU window of the same
 *       collector appended: the Java agent records everything in one recording, so its memory and lock series carry
 *       its CPU event ({@code itimer}, {@code cpu}) too.</li>
 * </ul>
 * Files are filtered with the JDK's own writer ({@link RecordingFile#write}); a file it cannot read is pushed as
 * captured.
 */
final class PushRecording {

    /** The sample events Pyroscope makes series of (jfr-parser {@code pprof/parser.go}). */
    static final Set<String> SAMPLES = Set.of("jdk.ExecutionSample", "profiler.WallClockSample",
            "jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB", "jdk.ObjectAllocationSample",
            "jdk.JavaMonitorEnter", "jdk.ThreadPark", "profiler.LiveObject", "profiler.Malloc");

    private PushRecording() {
    }

    /** The sample events a window of {@code kind} is pushed with. */
    static Set<String> samplesOf(ProfileKind kind) {
        return switch (kind) {
            case CPU -> Set.of("jdk.ExecutionSample");
            case WALL -> Set.of("profiler.WallClockSample");
            case HEAP -> Set.of("profiler.LiveObject");
            case ALLOCS -> Set.of("jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB",
                    "jdk.ObjectAllocationSample");
            case MUTEX -> Set.of("jdk.JavaMonitorEnter");
            case BLOCK -> Set.of("jdk.ThreadPark");
        };
    }

    static boolean isEventSetting(RecordedEvent e) {
        return e.getEventType().getName().equals("jdk.ActiveSetting") && "event".equals(e.getString("name"));
    }

    /**
     * A recording of one chunk holding only {@code jfr}'s {@code event} setting (with the metadata and constants
     * it needs), or null when {@code jfr} has none with a value, or cannot be read.
     */
    static byte[] eventSetting(Path jfr, Path scratch) {
        Path out = scratch.resolve(".event-" + Thread.currentThread().threadId() + ".jfr.tmp");
        try {
            boolean[] found = {false};
            try (RecordingFile f = new RecordingFile(jfr)) {
                f.write(out, e -> {
                    boolean keep = isEventSetting(e) && e.getString("value") != null && !e.getString("value").isBlank();
                    found[0] |= keep;
                    return keep;
                });
            }
            return found[0] ? Files.readAllBytes(out) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // a scratch file
            }
        }
    }

    /**
     * What to push for a window of {@code kind} recorded in {@code jfr}: its own samples only; for a wall window
     * without its {@code event} setting, which follows in a chunk of its own; for a window without an
     * {@code event} setting, {@code cpuSetting} (from {@link #eventSetting} of a CPU window) appended, if any.
     * The file as captured when the JDK cannot read it.
     */
    static byte[] prepare(ProfileKind kind, Path jfr, byte[] cpuSetting, Path scratch) throws IOException {
        Set<String> own = samplesOf(kind);
        Path out = scratch.resolve(".push-" + Thread.currentThread().threadId() + ".jfr.tmp");
        boolean[] hasSetting = {false};
        Predicate<RecordedEvent> keep = e -> {
            String type = e.getEventType().getName();
            if (SAMPLES.contains(type)) {
                return own.contains(type);
            }
            if (isEventSetting(e) && e.getString("value") != null && !e.getString("value").isBlank()) {
                hasSetting[0] = true;
                return kind != ProfileKind.WALL; // a wall push's setting goes last
            }
            return true;
        };
        try {
            try (RecordingFile f = new RecordingFile(jfr)) {
                f.write(out, keep);
            }
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(Files.readAllBytes(out));
            byte[] setting = kind == ProfileKind.WALL ? eventSetting(jfr, scratch) : hasSetting[0] ? null : cpuSetting;
            if (setting != null) {
                b.writeBytes(setting); // a recording is a sequence of chunks: read one after another
            }
            return b.toByteArray();
        } catch (IOException | RuntimeException e) {
            return Files.readAllBytes(jfr); // not a recording the JDK reads: as captured
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
