package dev.proflab.server.collect;

import dev.proflab.profile.EventInfo;
import dev.proflab.profile.ProfileKind;
import dev.proflab.server.fetch.ProfileFetcher;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Tells an answer of another kind or format from the one the collector asked an endpoint for, by the events of its
 * samples (the names {@link dev.proflab.profile.ProfileReader#events} gives them; the same for Go's endpoints).
 */
public final class AnswerCheck {

    /**
     * Events that say what a profile is. A JFR recording of any kind may also hold lock (thread park) and native
     * samples, which JDK Flight Recorder takes on the side: they tell nothing; a pprof profile's sample types are
     * chosen, so lock tells there.
     */
    private static final Set<String> TELLING_JFR = Set.of("cpu", "cpu-time", "wall", "alloc", "live");
    private static final Set<String> TELLING_PPROF = Set.of("cpu", "cpu-time", "wall", "alloc", "live", "heap", "lock");

    private AnswerCheck() {
    }

    /**
     * The events an answer of a kind holds: pprof names its sample types (Go's heap and allocs profiles carry
     * both inuse and alloc types: {@code heap}); a JFR heap recording of async-profiler also holds the allocation
     * samples it tracked; mutex and block are one lock profile on the JVM.
     */
    static Set<String> expectedEvents(ProfileKind kind, boolean jfr) {
        return switch (kind) {
            case CPU -> Set.of("cpu", "cpu-time");
            case WALL -> Set.of("wall");
            case HEAP -> jfr ? Set.of("live", "alloc") : Set.of("live", "heap");
            case ALLOCS -> jfr ? Set.of("alloc") : Set.of("alloc", "heap");
            case MUTEX, BLOCK -> Set.of("lock", "monitor", "park");
        };
    }

    /**
     * Why {@code f} is not what the endpoint of {@code kind} answers in the format asked for ({@code jfr}, else gzipped
     * pprof), or null when it is, or when it cannot be told (no samples, or only samples of events any recording may
     * hold): the format must be the one asked for; the samples must include one of the kind's events, unless they are
     * of no kind at all.
     */
    public static String mismatch(ProfileKind kind, boolean jfr, ProfileFetcher.Fetched f) {
        if (f.isJfr() != jfr) {
            return "not " + (jfr ? "JFR" : "pprof") + " as asked: the answer is " + (f.isJfr() ? "a " : "") + f.type();
        }
        List<EventInfo> events = f.events();
        Set<String> expected = expectedEvents(kind, jfr);
        if (events.stream().anyMatch(e -> expected.contains(e.name()))) {
            return null;
        }
        Set<String> telling = jfr ? TELLING_JFR : TELLING_PPROF;
        List<EventInfo> other = events.stream().filter(e -> telling.contains(e.name())).toList();
        if (other.isEmpty()) {
            return null;
        }
        if (!jfr) {
            EventInfo e = other.get(0);
            return "not a " + kind.id() + " profile: the answer is a " + e.name() + " profile (" + e.count() + " samples)";
        }
        return "not a " + kind.id() + " profile: the answer holds samples of " + other.stream().map(EventInfo::toString)
                .collect(Collectors.joining(", "));
    }
}
