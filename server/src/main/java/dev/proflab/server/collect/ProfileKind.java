package dev.proflab.server.collect;

import dev.proflab.profile.EventInfo;
import dev.proflab.server.fetch.ProfileFetcher;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the collector fetches: one folder and one {@code /debug/pprof} endpoint each. CPU and wall are windows of
 * {@code --window}; heap, allocs, mutex and block are shorter samples of {@code --snapshot} (the JVM keeps no
 * running totals of them, so even the heap "snapshot" is sampled for a few seconds: live objects at its end).
 *
 * <p>The Pyroscope fields are what {@code io.pyroscope:agent} sends for the same async-profiler event
 * ({@code io.pyroscope.javaagent.EventType}: units {@code samples} or {@code objects}, aggregation {@code sum}) and
 * the sampling rate in Hz of the endpoint (10 ms for CPU, 50 ms for wall; 0: not sent).
 *
 * <p>{@link #mismatch} tells an answer of another kind or format from the one asked for, by the events of its samples
 * (the names {@link dev.proflab.profile.ProfileReader#events} gives them; the same for Go's endpoints).
 */
public enum ProfileKind {
    CPU("cpu", "profile", true, "samples", "sum", 100),
    HEAP("heap", "heap", false, "objects", "average", 0),
    ALLOCS("allocs", "allocs", false, "objects", "sum", 0),
    MUTEX("mutex", "mutex", false, "samples", "sum", 0),
    BLOCK("block", "block", false, "samples", "sum", 0),
    WALL("wall", "wall", true, "samples", "sum", 20);

    private final String dir;
    private final String endpoint;
    private final boolean window;
    private final String units;
    private final String aggregation;
    private final int sampleRate;

    ProfileKind(String dir, String endpoint, boolean window, String units, String aggregation, int sampleRate) {
        this.dir = dir;
        this.endpoint = endpoint;
        this.window = window;
        this.units = units;
        this.aggregation = aggregation;
        this.sampleRate = sampleRate;
    }

    /** The folder under {@code --out} and the file name prefix: cpu, heap, allocs, mutex, block, wall. */
    public String id() {
        return dir;
    }

    /** The path under {@code /debug/pprof/}. */
    public String endpoint() {
        return endpoint;
    }

    /** True for CPU and wall: captured for the whole {@code --window}; else for {@code --snapshot}. */
    public boolean isWindow() {
        return window;
    }

    public String pyroscopeUnits() {
        return units;
    }

    public String pyroscopeAggregation() {
        return aggregation;
    }

    /** Hz, or 0 when the kind is not sampled on a clock. */
    public int sampleRate() {
        return sampleRate;
    }

    /**
     * Events that say what a profile is. A JFR recording of any kind may also hold lock (thread park) and native
     * samples, which JDK Flight Recorder takes on the side: they tell nothing; a pprof profile's sample types are
     * chosen, so lock tells there.
     */
    private static final Set<String> TELLING_JFR = Set.of("cpu", "cpu-time", "wall", "alloc", "live");
    private static final Set<String> TELLING_PPROF = Set.of("cpu", "cpu-time", "wall", "alloc", "live", "heap", "lock");

    /**
     * The events an answer of this kind holds: pprof names its sample types (Go's heap and allocs profiles carry
     * both inuse and alloc types: {@code heap}); a JFR heap recording of async-profiler also holds the allocation
     * samples it tracked.
     */
    Set<String> expectedEvents(boolean jfr) {
        return switch (this) {
            case CPU -> Set.of("cpu", "cpu-time");
            case WALL -> Set.of("wall");
            case HEAP -> jfr ? Set.of("live", "alloc") : Set.of("live", "heap");
            case ALLOCS -> jfr ? Set.of("alloc") : Set.of("alloc", "heap");
            case MUTEX, BLOCK -> Set.of("lock", "monitor", "park");
        };
    }

    /**
     * Why {@code f} is not what this kind's endpoint answers in the format asked for ({@code jfr}, else gzipped
     * pprof), or null when it is, or when it cannot be told (no samples, or only samples of events any recording may
     * hold): the format must be the one asked for; the samples must include one of the kind's events, unless they are
     * of no kind at all.
     */
    public String mismatch(boolean jfr, ProfileFetcher.Fetched f) {
        if (f.isJfr() != jfr) {
            return "not " + (jfr ? "JFR" : "pprof") + " as asked: the answer is " + (f.isJfr() ? "a " : "") + f.type();
        }
        List<EventInfo> events = f.events();
        Set<String> expected = expectedEvents(jfr);
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
            return "not a " + dir + " profile: the answer is a " + e.name() + " profile (" + e.count() + " samples)";
        }
        return "not a " + dir + " profile: the answer holds samples of " + other.stream().map(EventInfo::toString)
                .collect(Collectors.joining(", "));
    }

    public static ProfileKind parse(String s) {
        String k = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        for (ProfileKind p : values()) {
            if (p.dir.equals(k)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile kind '" + s + "': use cpu, heap, allocs, mutex, block or wall");
    }
}
