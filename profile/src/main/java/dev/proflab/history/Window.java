package dev.proflab.history;

import dev.proflab.profile.ProfileKind;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One profile of a continuous-profiling folder ({@code proflab collect}): a window of time of one kind.
 *
 * @param name the file's path relative to the folder, with {@code /} ({@code cpu/cpu_20261126-104500.pb.gz}):
 *     its id on the time axis
 * @param kind what the profile is: cpu, heap, allocs, mutex, block or wall
 * @param start when the window started (heap: when the snapshot was taken), UTC
 * @param duration how long it lasted, or null when the profile does not say
 * @param file the file
 * @param size its size in bytes
 * @param modified its last-modified time
 * @param timeSource where {@code start} comes from
 * @param sequence the {@code -N} of a name whose second was taken already (0 without)
 * @param problem why the profile's header cannot be read (truncated, corrupted, a decompression bomb), or
 *     null: a window whose name tells its kind and start is listed all the same, as unreadable
 */
public record Window(String name, ProfileKind kind, Instant start, Duration duration, Path file, long size,
                     Instant modified, TimeSource timeSource, int sequence, String problem) {

    /** Where a window's start time was read. */
    public enum TimeSource {
        /** The file's name ({@code cpu_20261126-104500.pb.gz}): what {@code proflab collect} writes. */
        NAME,
        /** The profile itself: the JFR chunk's start, pprof's {@code time_nanos}. */
        PROFILE,
        /** The file's last-modified time: the name and the profile do not say. */
        MODIFIED
    }

    public Window {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(file, "file");
    }

    /** {@code start + duration}, or {@code start} when the duration is not known. */
    public Instant end() {
        return duration == null ? start : start.plus(duration);
    }

    /**
     * Whether the window lies in {@code [from, to]}: it starts at or before {@code to} and ends after
     * {@code from} (a window of unknown length: it starts in the range). A range of one instant, a
     * window's start, selects that window alone, not the one that ended there.
     */
    public boolean within(Instant from, Instant to) {
        if (start.isAfter(to)) {
            return false;
        }
        if (duration == null || duration.isZero()) {
            return !start.isBefore(from);
        }
        return end().isAfter(from) || !start.isBefore(from);
    }
}
