package dev.proflab.capture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A thread dump summarised as Go's goroutine dump is ({@code debug=1}): threads counted by state, and grouped by
 * identical state and stack, largest group first, so that 100 leaked workers are one line "100 x WAITING
 * leaky-worker-*" rather than 100 stacks; deadlocks spelled out as who waits for what held by whom.
 *
 * @param states    thread count by state, in {@link Thread.State} order
 * @param groups    largest first
 * @param deadlocks each one a cycle of threads
 */
public record ThreadSummary(long pid, String jdk, String command, String taken, int threads,
                            Map<String, Integer> states, List<Group> groups, List<Deadlock> deadlocks) {

    /**
     * Threads with the same state and stack.
     *
     * @param names the names with numbers replaced by {@code *} ({@code leaky-worker-*}); several patterns are
     *              joined with ", "
     * @param stack top first
     */
    public record Group(int count, String state, String names, List<String> threads, List<String> stack) {
    }

    /** One deadlock: each thread waits for a lock held by the next, the last by the first. */
    public record Deadlock(List<Link> cycle) {
    }

    /** {@code thread} (in {@code state}) waits for {@code lock}, held by {@code heldBy}; {@code at}: its top frame. */
    public record Link(String thread, String state, String lock, String heldBy, String at) {
    }

    /**
     * What changed between two dumps: the groups that grew or shrank, largest change first.
     *
     * @param states change in count by state
     */
    public record Growth(double seconds, int before, int after, Map<String, Integer> states, List<Change> changes) {
    }

    /** One group's count before and after (0 when it was not there). */
    public record Change(int before, int after, int delta, String state, String names, List<String> stack) {
    }

    public static ThreadSummary of(ThreadDump dump) {
        Map<String, Integer> states = states(dump);
        Map<List<String>, List<ThreadDump.ThreadEntry>> byKey = new LinkedHashMap<>();
        for (ThreadDump.ThreadEntry t : dump.threads()) {
            byKey.computeIfAbsent(key(t), k -> new ArrayList<>()).add(t);
        }
        List<Group> groups = new ArrayList<>();
        byKey.forEach((key, ts) -> {
            List<String> names = ts.stream().map(ThreadDump.ThreadEntry::name).toList();
            groups.add(new Group(ts.size(), ts.get(0).state(), pattern(names), names, ts.get(0).stack()));
        });
        groups.sort(Comparator.comparingInt(Group::count).reversed().thenComparing(Group::state)
                .thenComparing(Group::names));
        return new ThreadSummary(dump.pid(), dump.jdk(), dump.command(), dump.taken().toString(), dump.threads().size(),
                states, groups, deadlocks(dump));
    }

    /** Groups that changed between {@code a} and {@code b}, of the same JVM. */
    public static Growth growth(ThreadDump a, ThreadDump b) {
        Map<List<String>, List<ThreadDump.ThreadEntry>> before = index(a);
        Map<List<String>, List<ThreadDump.ThreadEntry>> after = index(b);
        Set<List<String>> keys = new HashSet<>(before.keySet());
        keys.addAll(after.keySet());
        List<Change> changes = new ArrayList<>();
        for (List<String> k : keys) {
            List<ThreadDump.ThreadEntry> x = before.getOrDefault(k, List.of());
            List<ThreadDump.ThreadEntry> y = after.getOrDefault(k, List.of());
            if (x.size() != y.size()) {
                List<ThreadDump.ThreadEntry> some = y.isEmpty() ? x : y;
                changes.add(new Change(x.size(), y.size(), y.size() - x.size(), some.get(0).state(),
                        pattern(some.stream().map(ThreadDump.ThreadEntry::name).toList()), some.get(0).stack()));
            }
        }
        changes.sort(Comparator.comparingInt((Change c) -> -Math.abs(c.delta())).thenComparing(c -> -c.delta())
                .thenComparing(Change::names));
        Map<String, Integer> sa = states(a);
        Map<String, Integer> sb = states(b);
        Map<String, Integer> ds = new LinkedHashMap<>();
        for (Thread.State s : Thread.State.values()) {
            int d = sb.getOrDefault(s.name(), 0) - sa.getOrDefault(s.name(), 0);
            if (d != 0) {
                ds.put(s.name(), d);
            }
        }
        double seconds = Duration.between(a.taken(), b.taken()).toMillis() / 1000.0;
        return new Growth(seconds, a.threads().size(), b.threads().size(), ds, changes);
    }

    private static Map<List<String>, List<ThreadDump.ThreadEntry>> index(ThreadDump d) {
        Map<List<String>, List<ThreadDump.ThreadEntry>> m = new HashMap<>();
        for (ThreadDump.ThreadEntry t : d.threads()) {
            m.computeIfAbsent(key(t), k -> new ArrayList<>()).add(t);
        }
        return m;
    }

    private static List<String> key(ThreadDump.ThreadEntry t) {
        List<String> k = new ArrayList<>(t.stack().size() + 1);
        k.add(t.state());
        k.addAll(t.stack());
        return k;
    }

    private static Map<String, Integer> states(ThreadDump dump) {
        Map<String, Integer> counts = new TreeMap<>();
        for (ThreadDump.ThreadEntry t : dump.threads()) {
            counts.merge(t.state(), 1, Integer::sum);
        }
        Map<String, Integer> ordered = new LinkedHashMap<>();
        for (Thread.State s : Thread.State.values()) {
            Integer n = counts.remove(s.name());
            if (n != null) {
                ordered.put(s.name(), n);
            }
        }
        ordered.putAll(counts);
        return ordered;
    }

    /** Names with digit runs as {@code *}, most common pattern first; at most three patterns, then "...". */
    static String pattern(List<String> names) {
        Map<String, Integer> patterns = new LinkedHashMap<>();
        for (String n : names) {
            patterns.merge(names.size() == 1 ? n : n.replaceAll("\\d+", "*"), 1, Integer::sum);
        }
        List<String> sorted = patterns.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).map(Map.Entry::getKey).toList();
        if (sorted.size() == names.size() && names.size() > 1) { // nothing in common: keep the real names
            sorted = names.stream().distinct().toList();
        }
        return sorted.size() <= 3 ? String.join(", ", sorted) : String.join(", ", sorted.subList(0, 3)) + ", ...";
    }

    static List<Deadlock> deadlocks(ThreadDump dump) {
        Map<Long, ThreadDump.ThreadEntry> byId = new HashMap<>();
        dump.threads().forEach(t -> byId.put(t.id(), t));
        Set<Long> dead = new HashSet<>(dump.deadlocked());
        Set<Long> seen = new HashSet<>();
        List<Deadlock> out = new ArrayList<>();
        for (long id : dump.deadlocked()) {
            if (seen.contains(id)) {
                continue;
            }
            // walk the wait-for chain until it comes back on itself: that loop is the deadlock
            List<Long> path = new ArrayList<>();
            long cur = id;
            while (dead.contains(cur) && !path.contains(cur) && !seen.contains(cur) && byId.containsKey(cur)) {
                path.add(cur);
                cur = byId.get(cur).lockOwner();
            }
            int loop = path.indexOf(cur);
            seen.addAll(path);
            if (loop < 0) {
                continue;
            }
            List<Link> cycle = new ArrayList<>();
            for (long t : path.subList(loop, path.size())) {
                ThreadDump.ThreadEntry e = byId.get(t);
                ThreadDump.ThreadEntry owner = byId.get(e.lockOwner());
                cycle.add(new Link(e.name(), e.state(), e.lock(), owner == null ? "?" : owner.name(),
                        e.stack().isEmpty() ? "" : e.stack().get(0)));
            }
            out.add(new Deadlock(cycle));
        }
        return out;
    }
}
