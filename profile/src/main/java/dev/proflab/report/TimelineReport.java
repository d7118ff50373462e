package dev.proflab.report;

import dev.proflab.profile.Timeline;
import dev.proflab.profile.TimelineReader;
import dev.proflab.text.Escape;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The timeline of a time window: per thread, how much of each bucket of the window it spent running,
 * parked, blocked, waiting, sleeping; the intervals wide enough to draw; the GC pauses and safepoints
 * in the window; a summary per thread (lifetime, running share, time parked, blocked, waiting) to read
 * "long-lived vs many short-lived threads, and where the time goes". A pure function of the
 * {@link Timeline}.
 *
 * <p>Running time is estimated from samples: each execution sample stands for one sampling interval
 * of running Java code (JFR samples at most a few threads per interval, so busy JVMs with more
 * runnable threads than CPUs show less than they ran), each async-profiler wall-clock sample for one
 * interval of its state (its RUNNABLE ones only when there are no execution samples).
 */
public final class TimelineReport {

    /** Lanes shown at most by default; the rest are counted in {@link Result#more()}. */
    public static final int DEFAULT_MAX_LANES = 200;
    /** Intervals kept per lane at most. */
    static final int MAX_INTERVALS = 2000;

    /** How lanes are ordered. */
    public enum Sort {
        /** By start time: the order threads appeared (the default). */
        START,
        /** By running time in the window, most first. */
        BUSY,
        /** By lifetime in the window, longest first. */
        LIFETIME,
        /** By name. */
        NAME;

        public static Sort of(String s) {
            if (s == null || s.isBlank()) {
                return START;
            }
            for (Sort v : values()) {
                if (v.name().equalsIgnoreCase(s.strip())) {
                    return v;
                }
            }
            throw new ReportException("sort: '" + s + "' is not start, busy, lifetime or name");
        }
    }

    /**
     * One thread in the window.
     *
     * @param start       thread start (ns since the recording start; not clipped to the window)
     * @param end         thread end
     * @param state       per state (only those the lane has), per bucket: nanoseconds in that state
     * @param samples     per bucket: samples of running code (execution, or RUNNABLE wall-clock samples)
     * @param intervals   park, monitor, wait and sleep intervals at least one bucket wide, clipped to the window
     * @param summary     the totals in the window
     * @param idle        no sample and no interval in the window, and not a thread that started and ended in
     *                    the recording: the lane only exists
     */
    public record Lane(long id, String name, long javaThreadId, long start, long end, boolean startSeen,
                       boolean endSeen, Map<Timeline.State, long[]> state, int[] samples,
                       List<Timeline.Interval> intervals, Summary summary, boolean idle) {
    }

    /**
     * A thread's time in the window.
     *
     * @param lifetime     how long it was alive in the window
     * @param samples      running samples in the window
     * @param running      estimated time running Java code (samples x interval, at most the lifetime)
     * @param runningShare running / lifetime (0 when it has no lifetime in the window)
     * @param parked       time in {@code LockSupport.park} (recorded intervals, above the threshold)
     * @param blocked      time waiting to enter a monitor
     * @param waiting      time in {@code Object.wait}
     * @param sleeping     time in {@code Thread.sleep}
     * @param idle         time seen idle by wall-clock samples
     */
    public record Summary(long lifetime, long samples, long running, double runningShare, long parked, long blocked,
                          long waiting, long sleeping, long idle) {
    }

    /** Counts of a kind of band in the window. */
    public record BandTotals(int count, long total, long max) {
    }

    /**
     * The report.
     *
     * @param bucketNanos   width of one bucket
     * @param lanes         the lanes shown, in order
     * @param more          lanes left out by the cap (0: none)
     * @param moreNames     the first names of those left out
     * @param threads       lanes alive in the window (before the thread filter and the cap)
     * @param shortLived    of those, threads that both started and ended in the recording
     * @param bands         GC pauses and safepoints that overlap the window, in time order
     * @param gc            GC pause totals in the window
     * @param safepoints    safepoint totals in the window
     */
    public record Result(long from, long to, int buckets, long bucketNanos, long durationNanos, String engine,
                         long cpuIntervalNanos, long wallIntervalNanos, List<Lane> lanes, int more,
                         List<String> moreNames, int threads, int shortLived, List<Timeline.Band> bands,
                         BandTotals gc, BandTotals safepoints, boolean hasJdkEvents, String note) {
    }

    private TimelineReport() {
    }

    /** The whole recording, every thread, {@link #DEFAULT_MAX_LANES} lanes, by start time. */
    public static Result compute(Timeline t, long fromNanos, long toNanos, int buckets) {
        return compute(t, fromNanos, toNanos, buckets, null, DEFAULT_MAX_LANES, Sort.START);
    }

    /**
     * @param fromNanos start of the window (ns since the recording start), inclusive
     * @param toNanos   end of the window, exclusive; greater than {@code fromNanos}
     * @param buckets   how many buckets the window is cut into (1 to 10000)
     * @param thread    only threads whose name matches (find), or null for all
     * @param maxLanes  lanes shown at most (at least 1)
     */
    public static Result compute(Timeline t, long fromNanos, long toNanos, int buckets, Regex thread, int maxLanes,
                                 Sort sort) {
        check(fromNanos, toNanos, buckets, maxLanes);
        long width = width(fromNanos, toNanos, buckets);
        Map<Long, LaneSum> sums = new HashMap<>();
        for (Timeline.Lane l : t.lanes()) {
            LaneSum sum = new LaneSum(fromNanos, toNanos, buckets, width, t.cpuIntervalNanos(), t.wallIntervalNanos());
            for (long s : l.cpuSamples()) {
                sum.cpu(s);
            }
            long[] w = l.wallSamples();
            for (int i = 0; i < w.length; i++) {
                sum.wall(w[i], l.wallCounts()[i], l.wallStates()[i]);
            }
            for (Timeline.Interval iv : l.intervals()) {
                sum.interval(iv);
            }
            sums.put(l.id(), sum);
        }
        return result(t, sums, fromNanos, toNanos, buckets, width, thread, maxLanes, sort);
    }

    /**
     * The same of a recording read in one pass for this window, keeping per thread its sums and not its samples:
     * what a report of a long recording needs, whose samples would not fit in memory. Equal to
     * {@code compute(TimelineReader.read(file), ...)}.
     */
    public static Result compute(TimelineReader.Recording recording, long fromNanos, long toNanos, int buckets,
                                 Regex thread, int maxLanes, Sort sort) {
        check(fromNanos, toNanos, buckets, maxLanes);
        long width = width(fromNanos, toNanos, buckets);
        Map<Long, LaneSum> sums = new HashMap<>();
        long ci = recording.cpuIntervalNanos();
        long wi = recording.wallIntervalNanos();
        java.util.function.LongFunction<LaneSum> sumOf = id -> sums.computeIfAbsent(id,
                k -> new LaneSum(fromNanos, toNanos, buckets, width, ci, wi));
        Timeline t = recording.read(new TimelineReader.Sink() {
            @Override
            public void cpu(long lane, long time) {
                sumOf.apply(lane).cpu(time);
            }

            @Override
            public void wall(long lane, long time, int count, Timeline.State state) {
                sumOf.apply(lane).wall(time, count, state);
            }

            @Override
            public void interval(long lane, Timeline.Interval interval) {
                sumOf.apply(lane).interval(interval);
            }
        });
        return result(t, sums, fromNanos, toNanos, buckets, width, thread, maxLanes, sort);
    }

    private static void check(long fromNanos, long toNanos, int buckets, int maxLanes) {
        if (fromNanos < 0) {
            throw new ReportException("from: must be >= 0, was " + fromNanos);
        }
        if (toNanos <= fromNanos) {
            throw new ReportException("to: must be after from (" + fromNanos + "), was " + toNanos);
        }
        if (buckets < 1 || buckets > 10_000) {
            throw new ReportException("buckets: must be 1 to 10000, was " + buckets);
        }
        if (maxLanes < 1) {
            throw new ReportException("lanes: must be at least 1, was " + maxLanes);
        }
    }

    private static long width(long fromNanos, long toNanos, int buckets) {
        return Math.max(1, (toNanos - fromNanos + buckets - 1) / buckets);
    }

    /** The report of the lanes of {@code t} with their sums ({@code sums} by lane id; none: nothing in the window). */
    private static Result result(Timeline t, Map<Long, LaneSum> sums, long fromNanos, long toNanos, int buckets,
                                 long width, Regex thread, int maxLanes, Sort sort) {
        int threads = 0;
        int shortLived = 0;
        List<Lane> all = new ArrayList<>();
        java.util.Map<String, Boolean> named = new java.util.HashMap<>();   // pools repeat names
        for (Timeline.Lane l : t.lanes()) {
            if (l.end() < fromNanos || l.start() >= toNanos) {
                continue;
            }
            threads++;
            if (l.startSeen() && l.endSeen()) {
                shortLived++;
            }
            if (thread != null && !named.computeIfAbsent(l.name(), thread::find)) {
                continue;
            }
            LaneSum sum = sums.get(l.id());
            if (sum == null) {
                sum = new LaneSum(fromNanos, toNanos, buckets, width, t.cpuIntervalNanos(), t.wallIntervalNanos());
            }
            all.add(sum.lane(l));
        }
        Comparator<Lane> order = switch (sort == null ? Sort.START : sort) {
            case START -> Comparator.comparingLong(Lane::start);
            case BUSY -> Comparator.comparingLong((Lane l) -> -l.summary().running())
                    .thenComparingLong(l -> -(l.summary().parked() + l.summary().blocked() + l.summary().waiting()));
            case LIFETIME -> Comparator.comparingLong((Lane l) -> -l.summary().lifetime());
            case NAME -> Comparator.comparing(Lane::name);
        };
        all.sort(order.thenComparingLong(Lane::id));
        List<Lane> shown = all.size() > maxLanes ? List.copyOf(all.subList(0, maxLanes)) : List.copyOf(all);
        List<String> moreNames = new ArrayList<>();
        for (int i = shown.size(); i < all.size() && moreNames.size() < 20; i++) {
            moreNames.add(all.get(i).name());
        }
        List<Timeline.Band> bands = new ArrayList<>();
        int gcCount = 0;
        int spCount = 0;
        long gcTotal = 0;
        long spTotal = 0;
        long gcMax = 0;
        long spMax = 0;
        for (Timeline.Band b : t.bands()) {
            if (b.end() < fromNanos || b.start() >= toNanos) {
                continue;
            }
            bands.add(b);
            if (b.kind() == Timeline.Band.Kind.GC) {
                gcCount++;
                gcTotal += b.duration();
                gcMax = Math.max(gcMax, b.duration());
            } else {
                spCount++;
                spTotal += b.duration();
                spMax = Math.max(spMax, b.duration());
            }
        }
        return new Result(fromNanos, toNanos, buckets, width, t.durationNanos(), t.engine(), t.cpuIntervalNanos(),
                t.wallIntervalNanos(), shown, all.size() - shown.size(), List.copyOf(moreNames), threads, shortLived,
                List.copyOf(bands), new BandTotals(gcCount, gcTotal, gcMax), new BandTotals(spCount, spTotal, spMax),
                t.hasJdkEvents(), t.note());
    }

    /**
     * One thread's time in the window, summed sample by sample and interval by interval in any order: per state and
     * bucket the time, per bucket the running samples, and the intervals wide enough to draw (the
     * {@value #MAX_INTERVALS} that start first).
     */
    private static final class LaneSum {
        private final long from;
        private final long to;
        private final int buckets;
        private final long width;
        private final long ci;
        private final long wi;
        private final Map<Timeline.State, long[]> state = new EnumMap<>(Timeline.State.class);
        private final int[] samples;
        private long nSamples;
        private long cpuSamples;
        private long wallIdle;
        private long wallRunning;
        private final EnumMap<Timeline.State, Long> inState = new EnumMap<>(Timeline.State.class);
        /** The wide intervals kept, the last to start first out: at most {@value #MAX_INTERVALS}. */
        private final java.util.PriorityQueue<Wide> wide = new java.util.PriorityQueue<>(Wide.ORDER.reversed());
        private long arrived;

        /** A wide interval clipped to the window, with its unclipped start and the order it came in. */
        private record Wide(long start, long seq, Timeline.Interval clipped) {
            /** By start, then as they came (as a stable sort of them by start). */
            static final Comparator<Wide> ORDER = Comparator.comparingLong(Wide::start).thenComparingLong(Wide::seq);
        }

        LaneSum(long from, long to, int buckets, long width, long ci, long wi) {
            this.from = from;
            this.to = to;
            this.buckets = buckets;
            this.width = width;
            this.ci = ci;
            this.wi = wi > 0 ? wi : 1;
            this.samples = new int[buckets];
        }

        void cpu(long s) {
            if (s >= from && s < to) {
                int b = (int) ((s - from) / width);
                samples[b]++;
                nSamples++;
                cpuSamples++;
                if (ci > 0) {
                    add(state.computeIfAbsent(Timeline.State.RUNNING, k -> new long[buckets]), from, to, width, s,
                            s + ci);
                }
            }
        }

        void wall(long time, int n, Timeline.State st) {
            // a batch of n samples ends at its time
            long e = time + wi;
            long s = e - n * wi;
            if (e <= from || s >= to) {
                return;
            }
            if (st == Timeline.State.RUNNING && ci > 0) {
                return; // with cpu samples too (async-profiler cpu+wall), running time is theirs: not twice
            }
            long added = add(state.computeIfAbsent(st, k -> new long[buckets]), from, to, width, s, e);
            if (st == Timeline.State.RUNNING) {
                wallRunning += added;
                if (time >= from && time < to) {
                    samples[(int) ((time - from) / width)] += n;
                    nSamples += n;
                }
            } else {
                wallIdle += added;
            }
        }

        void interval(Timeline.Interval iv) {
            if (iv.end() <= from || iv.start() >= to) {
                return;
            }
            long added = add(state.computeIfAbsent(iv.state(), k -> new long[buckets]), from, to, width,
                    iv.start(), iv.end());
            inState.merge(iv.state(), added, Long::sum);
            if (iv.duration() >= width) {
                Wide w = new Wide(iv.start(), arrived++, null);
                if (wide.size() == MAX_INTERVALS) {
                    if (Wide.ORDER.compare(w, wide.peek()) > 0) {
                        return;
                    }
                    wide.poll();
                }
                wide.add(new Wide(w.start(), w.seq(), new Timeline.Interval(Math.max(iv.start(), from),
                        Math.min(iv.end(), to), iv.state())));
            }
        }

        /** The wide intervals kept, by start. */
        private List<Timeline.Interval> keptWide() {
            List<Wide> w = new ArrayList<>(wide);
            w.sort(Wide.ORDER);
            List<Timeline.Interval> out = new ArrayList<>(w.size());
            for (Wide x : w) {
                out.add(x.clipped());
            }
            return List.copyOf(out);
        }

        Lane lane(Timeline.Lane l) {
            List<Timeline.Interval> kept = keptWide();
            long lifetime = Math.max(0, Math.min(l.end(), to) - Math.max(l.start(), from));
            long running = Math.min(lifetime, (ci > 0 ? cpuSamples * ci : 0) + wallRunning);
            Summary sum = new Summary(lifetime, nSamples, running, lifetime > 0 ? (double) running / lifetime : 0,
                    inState.getOrDefault(Timeline.State.PARKED, 0L), inState.getOrDefault(Timeline.State.BLOCKED, 0L),
                    inState.getOrDefault(Timeline.State.WAITING, 0L), inState.getOrDefault(Timeline.State.SLEEPING, 0L),
                    wallIdle);
            // a thread that only exists (JVM system threads, mostly); one that started and ended in the recording
            // is short-lived, not idle
            boolean idle = nSamples == 0 && inState.isEmpty() && wallIdle == 0 && !(l.startSeen() && l.endSeen());
            return new Lane(l.id(), l.name(), l.javaThreadId(), l.start(), l.end(), l.startSeen(), l.endSeen(), state,
                    samples, kept, sum, idle);
        }
    }

    /** Adds the overlap of [s, e) with each bucket of the window [from, to); returns what was added. */
    static long add(long[] buckets, long from, long to, long width, long s, long e) {
        long a = Math.max(s, from);
        long b = Math.min(e, to);
        long total = 0;
        while (a < b) {
            int i = (int) ((a - from) / width);
            if (i >= buckets.length) {
                break;
            }
            long bucketEnd = Math.min(from + (i + 1) * width, b);
            buckets[i] += bucketEnd - a;
            total += bucketEnd - a;
            a = bucketEnd;
        }
        return total;
    }

    /**
     * One line per lane for a terminal or a test: name (its control characters written out), lifetime, running
     * share, waits.
     */
    public static String text(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d threads (%d started and ended in the recording), %d GC pauses (%s), "
                        + "%d safepoints (%s)%n", r.threads(), r.shortLived(), r.gc().count(), ms(r.gc().total()),
                r.safepoints().count(), ms(r.safepoints().total())));
        for (Lane l : r.lanes()) {
            Summary s = l.summary();
            sb.append(String.format(Locale.ROOT, "%-24s %9s..%-9s alive %9s running %5.1f%% parked %9s blocked %9s "
                            + "waiting %9s sleeping %9s%n", Escape.terminal(l.name()), ms(l.start()), ms(l.end()),
                    ms(s.lifetime()), 100 * s.runningShare(), ms(s.parked()), ms(s.blocked()), ms(s.waiting()),
                    ms(s.sleeping())));
        }
        if (r.more() > 0) {
            sb.append(r.more()).append(" more threads\n");
        }
        return sb.toString();
    }

    private static String ms(long ns) {
        return String.format(Locale.ROOT, "%.1fms", ns / 1e6);
    }
}
