package dev.proflab.profile;

/**
 * What {@link ProfileReader#read(java.nio.file.Path, ReadOptions)} reads from a recording.
 *
 * @param event the event as the user names it ({@code cpu}, {@code wall}, {@code alloc}, {@code lock},
 *     {@code live}, ...; see {@link ProfileReader#EVENTS}), or null for the recording's main event
 *     (the first of {@link ProfileReader#events(java.nio.file.Path)})
 * @param sampleIndex which value reports show by default ({@code bytes}, {@code objects},
 *     {@code samples}, {@code time}, or a value type such as {@code alloc_space}), or null for the
 *     event's default (time for cpu/wall, bytes for alloc/live, delay for lock)
 * @param fromNanos keep samples at or after this many nanoseconds since the start of the recording
 * @param toNanos keep samples before this many nanoseconds since the start of the recording
 * @param aggregate merge samples with the same stack and thread into one (their time becomes the
 *     first one's): reports need no more, and memory stays proportional to the distinct stacks
 *     instead of the samples; a timeline needs {@code false}
 * @param classFrames add the allocated class (alloc, live) or the monitor's class (lock) as the
 *     leaf frame of each stack, as async-profiler's flame graphs do: "which type" instead of "which
 *     site"
 */
public record ReadOptions(String event, String sampleIndex, long fromNanos, long toNanos,
                          boolean aggregate, boolean classFrames) {

    public ReadOptions {
        if (fromNanos < 0) {
            throw new IllegalArgumentException("fromNanos < 0");
        }
        if (toNanos < fromNanos) {
            throw new IllegalArgumentException("toNanos < fromNanos");
        }
    }

    /** The main event, every sample, default sample index, no class frames. */
    public static ReadOptions defaults() {
        return new ReadOptions(null, null, 0, Long.MAX_VALUE, false, false);
    }

    public ReadOptions withEvent(String e) {
        return new ReadOptions(e, sampleIndex, fromNanos, toNanos, aggregate, classFrames);
    }

    public ReadOptions withSampleIndex(String s) {
        return new ReadOptions(event, s, fromNanos, toNanos, aggregate, classFrames);
    }

    /** Keeps samples in {@code [fromNanos, toNanos)} relative to the start of the recording. */
    public ReadOptions withTimeRange(long from, long to) {
        return new ReadOptions(event, sampleIndex, from, to, aggregate, classFrames);
    }

    public ReadOptions withAggregate(boolean a) {
        return new ReadOptions(event, sampleIndex, fromNanos, toNanos, a, classFrames);
    }

    public ReadOptions withClassFrames(boolean c) {
        return new ReadOptions(event, sampleIndex, fromNanos, toNanos, aggregate, c);
    }

    boolean inRange(long nanos) {
        return nanos >= fromNanos && nanos < toNanos;
    }

    boolean hasTimeRange() {
        return fromNanos > 0 || toNanos != Long.MAX_VALUE;
    }
}
