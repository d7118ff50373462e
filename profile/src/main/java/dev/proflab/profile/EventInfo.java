package dev.proflab.profile;

import java.util.List;

/**
 * One event a recording holds, as {@link ProfileReader#events(java.nio.file.Path)} lists them.
 *
 * @param name the event as the user names it: {@code cpu}, {@code wall}, {@code alloc}, ...
 * @param count how many events (samples) of it the file holds
 * @param sources the recording's own event types behind it, e.g. {@code jdk.ExecutionSample}
 * @param detail how it was recorded, for people: {@code "perf_events, interval 1ms"}, or empty
 */
public record EventInfo(String name, long count, List<String> sources, String detail) {

    public EventInfo {
        sources = List.copyOf(sources);
        detail = detail == null ? "" : detail;
    }

    @Override
    public String toString() {
        return name + " (" + count + ")";
    }
}
