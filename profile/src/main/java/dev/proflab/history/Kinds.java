package dev.proflab.history;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The kinds of profile a continuous-profiling folder holds (the folders {@code proflab collect} writes,
 * named after Go's {@code /debug/pprof} endpoints), and the events of {@link dev.proflab.profile.ProfileReader}
 * behind each.
 */
public final class Kinds {

    /** Every kind, in the order a page lists them. */
    public static final List<String> ALL = List.of("cpu", "heap", "allocs", "mutex", "block", "wall");

    /** The events of the reader to read from a file of each kind, the first the file has. */
    private static final Map<String, List<String>> EVENTS = Map.of(
            "cpu", List.of("cpu", "cpu-time"),
            "heap", List.of("live", "heap"),
            "allocs", List.of("alloc"),
            "mutex", List.of("lock", "monitor"),
            "block", List.of("lock", "park"),
            "wall", List.of("wall"));

    /** Other names of a kind in file names: Go's {@code profile} endpoint, the events' own names. */
    private static final Map<String, String> ALIASES = Map.of(
            "profile", "cpu",
            "cpu-time", "cpu",
            "alloc", "allocs",
            "live", "heap",
            "lock", "mutex",
            "monitor", "mutex",
            "park", "block");

    private Kinds() {
    }

    /** The kind a word names (a kind, or an alias such as {@code alloc} or {@code lock}), or null. */
    public static String of(String word) {
        if (word == null) {
            return null;
        }
        String w = word.strip().toLowerCase(Locale.ROOT);
        return ALL.contains(w) ? w : ALIASES.get(w);
    }

    /** The kind of a profile whose main event is {@code event} (as the reader names events), or null. */
    public static String ofEvent(String event) {
        return of(event);
    }

    /** The events to read from a file of this kind, preferred first (empty for an unknown kind). */
    public static List<String> events(String kind) {
        return EVENTS.getOrDefault(kind, List.of());
    }
}
