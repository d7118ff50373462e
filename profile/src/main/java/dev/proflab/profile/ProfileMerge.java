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
 *   <li>Samples with the same stack (same frames), thread and labels are one sample of the merge, at the
 *       earliest time; times count from the earliest part's start ({@link Part#start()}), so that a
 *       sample of a later part lies later.
 *   <li>Labels: each sample keeps its own; a part with a {@link Part#file() file} name adds the label
 *       {@code file} with it to each of its samples (in place of one it had), so that samples of two recordings
 *       stay apart and a report can split or filter them by file. Stack, frame and thread ids are each part's
 *       own, mapped to the merge's by content: two JVMs' ids never meet.
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
     * One profile to merge, when it started (null: its own {@link Profile.Meta#start()}, else the
     * previous part's), and the name its samples get as label {@link #FILE} (null: none).
     */
    public record Part(Profile profile, Instant start, String file) {

        public Part {
            Objects.requireNonNull(profile, "profile");
        }

        /** A part without a file label (windows of one recording). */
        public Part(Profile profile, Instant start) {
            this(profile, start, null);
        }

        Instant startOr(Instant fallback) {
            if (start != null) {
                return start;
            }
            return profile.meta().start() != null ? profile.meta().start() : fallback;
        }
    }

    /** The label key of the recording a sample of a merge came from. */
    public static final String FILE = "file";

    private ProfileMerge() {
    }

    /**
     * Names for files that tell them apart: each file's name, with as many of its parent folders as it takes for two
     * files of the same name ({@code a/cpu.jfr}, {@code b/cpu.jfr}); the whole path when even that does not.
     */
    public static List<String> uniqueNames(List<java.nio.file.Path> files) {
        List<String> out = new ArrayList<>();
        for (java.nio.file.Path f : files) {
            java.nio.file.Path abs = f.toAbsolutePath().normalize();
            int depth = 1;
            String name = tail(abs, depth);
            while (depth < abs.getNameCount() && clashes(files, f, name, depth)) {
                name = tail(abs, ++depth);
            }
            out.add(name);
        }
        return out;
    }

    private static boolean clashes(List<java.nio.file.Path> files, java.nio.file.Path self, String name, int depth) {
        java.nio.file.Path me = self.toAbsolutePath().normalize();
        for (java.nio.file.Path o : files) {
            java.nio.file.Path other = o.toAbsolutePath().normalize();
            if (!other.equals(me) && tail(other, depth).equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static String tail(java.nio.file.Path p, int depth) {
        int n = p.getNameCount();
        if (n == 0) {
            return p.toString();
        }
        return p.subpath(Math.max(0, n - depth), n).toString().replace('\\', '/');
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
        // per label set of the merge: (stack, thread) -> its sample
        List<Map<Long, Integer>> sampleOf = new ArrayList<>();
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
            int[] setMap = new int[p.labelSetCount()];
            java.util.Arrays.fill(setMap, -1);
            int fileKey = part.file() == null ? -1 : b.labelString(FILE);
            int fileValue = part.file() == null ? -1 : b.labelString(part.file());
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
                int ls = p.labelSetOf(i);
                int ml = setMap[ls];
                if (ml < 0) {
                    ml = setMap[ls] = labels(b, p, ls, fileKey, fileValue);
                }
                while (sampleOf.size() <= ml) {
                    sampleOf.add(null);
                }
                Map<Long, Integer> rows = sampleOf.get(ml);
                if (rows == null) {
                    rows = new HashMap<>();
                    sampleOf.set(ml, rows);
                }
                long key = (long) ms << 32 | (th & 0xffffffffL);
                Integer at = rows.get(key);
                if (at == null) {
                    rows.put(key, b.sampleCount());
                    b.sample(ms, th, ml, time, p.recordsOf(i), values);
                } else {
                    b.addTo(at, time, p.recordsOf(i), values);
                }
            }
        }
        return b.build();
    }

    /** Label set {@code set} of {@code p} in {@code b}, its {@code file} label replaced by the part's (when it has one). */
    private static int labels(Profile.Builder b, Profile p, int set, int fileKey, int fileValue) {
        int n = p.labelCount(set);
        int[] ids = new int[2 * n + 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            String key = p.labelKey(set, i);
            if (fileKey >= 0 && key.equals(FILE)) {
                continue;
            }
            ids[k++] = b.labelString(key);
            ids[k++] = b.labelString(p.labelValue(set, i));
        }
        if (fileKey >= 0) {
            ids[k++] = fileKey;
            ids[k++] = fileValue;
        }
        return b.labelSet(ids, k);
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
