package dev.proflab.profile;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The kinds of profile, named once for everything that names them: the {@code /debug/pprof} endpoint that answers
 * each ({@code dev.proflab.debug}, Go's names), the folder a continuous-profiling history keeps it in
 * ({@code proflab collect} writes {@code DIR/<id>/<id>_<yyyyMMdd-HHmmss>.pb.gz}, {@code dev.proflab.history} reads
 * it back), the events of {@link ProfileReader} to read from it, and the event a capture records it with (the id of
 * {@code dev.proflab.capture.Event}). Declared in the order pages list them.
 *
 * <table>
 *   <caption>The kinds</caption>
 *   <tr><th>id (folder)</th><th>endpoint</th><th>window</th><th>reader events</th><th>capture event</th></tr>
 *   <tr><td>cpu</td><td>profile</td><td>yes</td><td>cpu, cpu-time</td><td>cpu</td></tr>
 *   <tr><td>heap</td><td>heap</td><td>no</td><td>live, heap</td><td>live</td></tr>
 *   <tr><td>allocs</td><td>allocs</td><td>no</td><td>alloc</td><td>alloc</td></tr>
 *   <tr><td>mutex</td><td>mutex</td><td>no</td><td>lock, monitor</td><td>lock</td></tr>
 *   <tr><td>block</td><td>block</td><td>no</td><td>lock, park</td><td>lock</td></tr>
 *   <tr><td>wall</td><td>wall</td><td>yes</td><td>wall</td><td>wall</td></tr>
 * </table>
 *
 * <p>A window kind (cpu, wall) is sampled for the whole span asked for; a snapshot kind is sampled for a shorter
 * span (the JVM keeps no running totals of allocations or contention, so even the heap "snapshot" is sampled for a
 * few seconds: the objects still alive at its end). The {@link #aliases() aliases} of a kind are its endpoint's name
 * and its reader events: {@code profile}, {@code cpu-time}, {@code live}, {@code alloc}, {@code lock} (mutex, the
 * first kind that reads it), {@code monitor}, {@code park}.
 */
public enum ProfileKind {
    CPU("cpu", "profile", true, "cpu", "cpu profile", "cpu", "cpu-time"),
    HEAP("heap", "heap", false, "live", "heap profile", "live", "heap"),
    ALLOCS("allocs", "allocs", false, "alloc", "allocation profile", "alloc"),
    MUTEX("mutex", "mutex", false, "lock", "lock profile", "lock", "monitor"),
    BLOCK("block", "block", false, "lock", "lock profile", "lock", "park"),
    WALL("wall", "wall", true, "wall", "wall profile", "wall");

    /** Where the endpoints of every kind are: {@code /debug/pprof/<endpoint>}. */
    public static final String PPROF_PATH = "/debug/pprof/";

    private final String id;
    private final String endpoint;
    private final boolean window;
    private final String captureEvent;
    private final String title;
    private final List<String> events;
    private final Set<String> aliases;

    ProfileKind(String id, String endpoint, boolean window, String captureEvent, String title, String... events) {
        this.id = id;
        this.endpoint = endpoint;
        this.window = window;
        this.captureEvent = captureEvent;
        this.title = title;
        this.events = List.of(events);
        Set<String> a = new LinkedHashSet<>();
        a.add(endpoint);
        a.addAll(this.events);
        a.remove(id);
        this.aliases = java.util.Collections.unmodifiableSet(a);
    }

    /** The name of the kind, of its folder and the prefix of its files: cpu, heap, allocs, mutex, block, wall. */
    public String id() {
        return id;
    }

    /** The endpoint's name under {@link #PPROF_PATH}: {@code profile} for cpu, else the id (Go's names). */
    public String endpoint() {
        return endpoint;
    }

    /** The endpoint's path: {@code /debug/pprof/profile}. */
    public String path() {
        return PPROF_PATH + endpoint;
    }

    /** True for cpu and wall: sampled for a whole window of time; false for the snapshots, sampled shorter. */
    public boolean isWindow() {
        return window;
    }

    /** The events of {@link ProfileReader} to read from a profile of this kind, preferred first. */
    public List<String> events() {
        return events;
    }

    /** The event to read from a profile of this kind when it holds several: the first of {@link #events()}. */
    public String readEvent() {
        return events.get(0);
    }

    /** The id of the event a capture records this kind with ({@code dev.proflab.capture.Event#id()}). */
    public String captureEvent() {
        return captureEvent;
    }

    /** How a person calls a profile of this kind: "cpu profile", "allocation profile", "lock profile". */
    public String title() {
        return title;
    }

    /** The other names of the kind in file names and parameters: its endpoint's name and its reader events. */
    public Set<String> aliases() {
        return aliases;
    }

    /**
     * The kind a word names (case and surrounding blanks ignored): an id, else an {@link #aliases() alias} (one two
     * kinds share, {@code lock}, names the first); null for anything else.
     */
    public static ProfileKind of(String word) {
        if (word == null) {
            return null;
        }
        String w = word.strip().toLowerCase(Locale.ROOT);
        for (ProfileKind k : values()) {
            if (k.id.equals(w)) {
                return k;
            }
        }
        for (ProfileKind k : values()) {
            if (k.aliases.contains(w)) {
                return k;
            }
        }
        return null;
    }

    /** The first kind whose reader events hold {@code event} (as {@link ProfileReader} names events), or null. */
    public static ProfileKind ofEvent(String event) {
        for (ProfileKind k : values()) {
            if (k.events.contains(event)) {
                return k;
            }
        }
        return null;
    }

    /** Every id, in the order of the kinds: {@code cpu, heap, allocs, mutex, block, wall}, for messages. */
    public static String ids() {
        return Arrays.stream(values()).map(ProfileKind::id).collect(Collectors.joining(", "));
    }
}
