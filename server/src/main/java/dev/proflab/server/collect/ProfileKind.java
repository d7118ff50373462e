package dev.proflab.server.collect;

import java.util.Locale;

/**
 * What the collector fetches: one folder and one {@code /debug/pprof} endpoint each. CPU and wall are windows of
 * {@code --window}; heap, allocs, mutex and block are shorter samples of {@code --snapshot} (the JVM keeps no
 * running totals of them, so even the heap "snapshot" is sampled for a few seconds: live objects at its end).
 *
 * <p>The Pyroscope fields are what {@code io.pyroscope:agent} sends for the same async-profiler event
 * ({@code io.pyroscope.javaagent.EventType}: units {@code samples} or {@code objects}, aggregation {@code sum}) and
 * the sampling rate in Hz of the endpoint (10 ms for CPU, 50 ms for wall; 0: not sent).
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
