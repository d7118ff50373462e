package dev.proflab.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Several profiles of one kind merged into one (pprof's merge of several files): the values of every
 * (stack, thread) summed, so that every report reads the merge as one profile. Used for a range of
 * windows of a continuous-profiling folder.
 *
 * <ul>
 *   <li>Value types: the union, by type name, in the order they first appear; a part without one
 *       adds 0 to it. The default value is the first part's.
 *   <li>Samples with the same stack (same frames) and thread are one sample of the merge, at the
 *       earliest time; times count from the earliest part's start ({@link Part#start()}), so that a
 *       sample of a later part lies later.
 *   <li>Meta: the first part's event; the engine and interval when every part agrees (else
 *       {@code "mixed"} and 0); the earliest start; the duration is the sum of the parts' (the time
 *       recorded, gaps between windows left out), or null when one is not known.
 * </ul>
 *
 * <pre>{@code
 * Profile all = ProfileMerge.merge(List.of(new ProfileMerge.Part(a, startA), new ProfileMerge.Part(b, startB)),
 *         "cpu: 2 windows");
 * // all.total(i) == a.total(i) + b.total(i) for each value type both have
 * }</pre>
 */
public final class ProfileMerge {

    /**
     * One profile to merge and when it started (null: its own {@link Profile.Meta#start()}, else the
     * previous part's).
     */
    public record Part(Profile profile, Instant start) {

        public Part {
            Objects.requireNonNull(profile, "profile");
        }

        Instant startOr(Instant fallback) {
            if (start != null) {
                return start;
            }
            return profile.meta().start() != null ? profile.meta().start() : fallback;
        }
    }

    private ProfileMerge() {
    }

    /**
     * Merges the parts.
     *
     * @param source what the merge is, for messages (e.g. {@code "profiles/cpu: 3 windows"})
     * @throws IllegalArgumentException without parts
     */
    public static Profile merge(List<Part> parts, String source) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        // value types: the union by name
        List<ValueType> types = new ArrayList<>();
        Map<String, Integer> typeIndex = new HashMap<>();
        for (Part p : parts) {
            for (ValueType t : p.profile().valueTypes()) {
                if (!typeIndex.containsKey(t.type())) {
                    typeIndex.put(t.type(), types.size());
                    types.add(t);
                }
            }
        }
        Profile first = parts.get(0).profile();
        Instant start0 = null;
        for (Part p : parts) {
            Instant s = p.startOr(null);
            if (s != null && (start0 == null || s.isBefore(start0))) {
                start0 = s;
            }
        }
        Profile.Builder b = new Profile.Builder(meta(parts, start0, source), types)
                .defaultValueIndex(typeIndex.get(first.valueTypes().get(first.defaultValueIndex()).type()));
        Map<Long, Integer> sampleOf = new HashMap<>();
        long[] values = new long[types.size()];
        Instant previous = start0;
        for (Part part : parts) {
            Profile p = part.profile();
            Instant s = part.startOr(previous);
            previous = s;
            long offset = s == null || start0 == null ? 0 : Duration.between(start0, s).toNanos();
            int[] typeMap = new int[p.valueTypes().size()];
            for (int v = 0; v < typeMap.length; v++) {
                typeMap[v] = typeIndex.get(p.valueTypes().get(v).type());
            }
            int[] frameMap = new int[p.frameCount()];
            for (int f = 0; f < frameMap.length; f++) {
                frameMap[f] = b.frame(p.frame(f));
            }
            int[] stackMap = new int[p.stackCount()];
            java.util.Arrays.fill(stackMap, -1);
            int[] threadMap = new int[p.threadCount()];
            for (int t = 0; t < threadMap.length; t++) {
                threadMap[t] = b.thread(p.threadName(t));
            }
            int[] mapped = new int[64];
            for (int i = 0; i < p.sampleCount(); i++) {
                int st = p.stackOf(i);
                int ms = stackMap[st];
                if (ms < 0) {
                    int[] frames = p.stack(st);
                    if (mapped.length < frames.length) {
                        mapped = new int[Math.max(frames.length, 2 * mapped.length)];
                    }
                    for (int k = 0; k < frames.length; k++) {
                        mapped[k] = frameMap[frames[k]];
                    }
                    ms = b.stack(mapped, frames.length); // copied only when new
                    stackMap[st] = ms;
                }
                int th = threadMap[p.threadOf(i)];
                java.util.Arrays.fill(values, 0);
                for (int v = 0; v < typeMap.length; v++) {
                    values[typeMap[v]] = p.value(i, v);
                }
                long time = Math.max(0, offset + p.timeOf(i));
                long key = (long) ms << 32 | (th & 0xffffffffL);
                Integer at = sampleOf.get(key);
                if (at == null) {
                    sampleOf.put(key, b.sampleCount());
                    b.sample(ms, th, time, values);
                } else {
                    b.addTo(at, time, values);
                }
            }
        }
        return b.build();
    }

    private static Profile.Meta meta(List<Part> parts, Instant start, String source) {
        Profile.Meta m0 = parts.get(0).profile().meta();
        String engine = m0.engine();
        long interval = m0.interval();
        String jdk = m0.jdk();
        String command = m0.command();
        Duration duration = Duration.ZERO;
        for (Part p : parts) {
            Profile.Meta m = p.profile().meta();
            if (!m.engine().equals(engine)) {
                engine = "mixed";
            }
            if (m.interval() != interval) {
                interval = 0;
            }
            if (!m.jdk().equals(jdk)) {
                jdk = "";
            }
            if (!m.command().equals(command)) {
                command = "";
            }
            duration = duration == null || m.duration() == null ? null : duration.plus(m.duration());
        }
        return new Profile.Meta(engine, m0.event(), interval, start, duration, jdk, command, source);
    }
}
