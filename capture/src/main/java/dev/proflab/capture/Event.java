package dev.proflab.capture;

import dev.proflab.profile.ProfileKind;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a capture measures. Several may be recorded at once when the engine allows (see
 * {@link CaptureSettings#check(Engine)}); {@link Metadata#eventTypes()} says which JFR event types hold each. Each
 * kind of profile ({@link ProfileKind}) is recorded with one of them ({@link #of(ProfileKind)}); {@link #kind()} is
 * the kind a recording of an event is.
 */
public enum Event {
    /** CPU time: where threads run on a CPU (async-profiler: perf_events; JFR: execution samples). */
    CPU("cpu", "where threads run on a CPU"),
    /** Wall-clock time: where threads are, running, waiting or sleeping (async-profiler only). */
    WALL("wall", "where threads are, running or waiting"),
    /** Allocations: where bytes are allocated, sampled. */
    ALLOC("alloc", "where bytes are allocated"),
    /** Lock contention: where threads wait to enter a monitor or to take a java.util.concurrent lock. */
    LOCK("lock", "where threads wait for locks"),
    /** Live objects: sampled allocations still alive when the recording ends (the heap in use). */
    LIVE("live", "allocations still alive at the end: the heap in use"),
    /** CPU time sampled with setitimer(2), for machines without perf_events (async-profiler only). */
    ITIMER("itimer", "CPU time sampled by setitimer (no perf_events needed)");

    private final String id;
    private final String description;

    Event(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The name users type: cpu, wall, alloc, lock, live, itimer. */
    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /**
     * The kind of profile a recording of this event is: cpu for cpu and itimer, heap for live, allocs for alloc,
     * mutex for lock (the first kind recorded with it; block is the same recording).
     */
    public ProfileKind kind() {
        String id = this == ITIMER ? CPU.id : this.id;
        for (ProfileKind k : ProfileKind.values()) {
            if (k.captureEvent().equals(id)) {
                return k;
            }
        }
        throw new IllegalStateException("no kind of profile is recorded with " + id);
    }

    /** The event a kind of profile is recorded with ({@link ProfileKind#captureEvent()}). */
    public static Event of(ProfileKind kind) {
        return of(kind.captureEvent());
    }

    /** CPU and ITIMER: the two ways of sampling threads that run on a CPU. */
    public boolean isCpu() {
        return this == CPU || this == ITIMER;
    }

    public static Event of(String id) {
        String k = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        for (Event e : values()) {
            if (e.id.equals(k)) {
                return e;
            }
        }
        throw new CaptureException("unknown event '" + id + "': use " + ids());
    }

    /** Parses a list such as {@code cpu,alloc} (also given as several strings); never empty. */
    public static Set<Event> parseAll(Iterable<String> texts) {
        EnumSet<Event> set = EnumSet.noneOf(Event.class);
        for (String text : texts) {
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    set.add(of(part));
                }
            }
        }
        if (set.isEmpty()) {
            throw new CaptureException("no event given: use " + ids());
        }
        return set;
    }

    public static String ids() {
        return Arrays.stream(values()).map(Event::id).collect(Collectors.joining(", "));
    }

    /** Events joined with '+', in declaration order: {@code cpu+alloc}. Used in default file names. */
    public static String join(Set<Event> events) {
        return events.stream().map(Event::id).collect(Collectors.joining("+"));
    }
}
