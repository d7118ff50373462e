package dev.proflab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proflab.profile.ProfileException;
import dev.proflab.profile.Timeline;
import dev.proflab.profile.TimelineReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timeline of a real recording of the labs' {@code trace} workload ({@code jfr-timeline.jfr}, JDK 25
 * Flight Recorder with {@code proflab profile --timeline}, 3 s): two long-lived fib threads, bursts of six
 * short-lived threads, an allocating thread that makes G1 pause, a lock held while sleeping, a thread in
 * {@code Object.wait}, one parked in {@code BlockingQueue.poll}. The assertions follow that structure.
 * And async-profiler's {@code ap-lock.jfr} (wall-clock + lock, no JDK events).
 */
class TimelineReportTest {

    private static final Path PROFILES = Path.of("src/test/resources/profiles");
    private static Timeline jfr;
    private static Timeline ap;

    @BeforeAll
    static void read() {
        jfr = TimelineReader.read(PROFILES.resolve("jfr-timeline.jfr"));
        ap = TimelineReader.read(PROFILES.resolve("ap-lock.jfr"));
    }

    private static Timeline.Lane lane(Timeline t, String name) {
        return t.lanes().stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no lane " + name + " in " + t.lanes().stream().map(Timeline.Lane::name).toList()));
    }

    private static long inState(Timeline.Lane l, Timeline.State s) {
        return l.intervals().stream().filter(i -> i.state() == s).mapToLong(Timeline.Interval::duration).sum();
    }

    @Test
    void readsTheEventsOfTheRecording() {
        assertThat(jfr.engine()).isEqualTo("jfr");
        assertThat(jfr.hasJdkEvents()).isTrue();
        assertThat(jfr.note()).isNull();
        assertThat(jfr.cpuIntervalNanos()).isEqualTo(10_000_000L);
        assertThat(jfr.durationNanos()).isBetween(3_000_000_000L, 6_000_000_000L);
        // what jfr summary counts for this file
        assertThat(jfr.eventCounts()).containsEntry("jdk.ExecutionSample", 139L).containsEntry("jdk.ThreadStart", 51L)
                .containsEntry("jdk.ThreadEnd", 48L).containsEntry("jdk.GCPhasePause", 4L)
                .containsEntry("jdk.SafepointBegin", 12L).containsEntry("jdk.ThreadPark", 22L)
                .containsEntry("jdk.JavaMonitorEnter", 61L).containsEntry("jdk.JavaMonitorWait", 55L)
                .containsEntry("jdk.ThreadSleep", 133L);
        assertThat(jfr.lanes()).extracting(Timeline.Lane::name)
                .contains("fib-long-1", "fib-long-2", "allocator", "lock-holder", "lock-waiter-1", "consumer",
                        "producer", "queue-taker", "burst", "main");
        // lanes in the order threads started
        List<Long> starts = jfr.lanes().stream().map(Timeline.Lane::start).toList();
        assertThat(starts).isSorted();
    }

    @Test
    void longLivedThreadsRunFromStartToEnd() {
        for (String name : List.of("fib-long-1", "fib-long-2")) {
            Timeline.Lane l = lane(jfr, name);
            assertThat(l.startSeen()).as(name + " started in the recording").isTrue();
            assertThat(l.lifetime()).as(name + " lifetime").isGreaterThan(jfr.durationNanos() * 8 / 10);
            assertThat(l.intervals()).as(name + " never waits").isEmpty();
            // running samples spread over its whole life: in at least 8 of 10 slices
            long slice = l.lifetime() / 10;
            long slicesWithSamples = Arrays.stream(l.cpuSamples()).map(t -> (t - l.start()) / slice).distinct()
                    .filter(s -> s >= 0 && s < 10).count();
            assertThat(slicesWithSamples).as(name + " slices with samples").isGreaterThanOrEqualTo(8);
        }
        // the two fib threads have the most running samples of all threads
        List<String> busiest = jfr.lanes().stream()
                .sorted((a, b) -> Integer.compare(b.cpuSamples().length, a.cpuSamples().length))
                .limit(2).map(Timeline.Lane::name).toList();
        assertThat(busiest).containsExactlyInAnyOrder("fib-long-1", "fib-long-2");
    }

    @Test
    void shortLivedThreadsExistOnlyBriefly() {
        List<Timeline.Lane> shorts = jfr.lanes().stream().filter(l -> l.name().startsWith("short-")).toList();
        assertThat(shorts).hasSizeGreaterThanOrEqualTo(30);
        for (Timeline.Lane l : shorts) {
            assertThat(l.startSeen() && l.endSeen()).as(l.name() + " start and end seen").isTrue();
            assertThat(l.lifetime()).as(l.name() + " lifetime").isLessThan(jfr.durationNanos() / 20);
        }
        TimelineReport.Result r = TimelineReport.compute(jfr, 0, jfr.durationNanos(), 100);
        assertThat(r.shortLived()).isGreaterThanOrEqualTo(shorts.size());
    }

    @Test
    void gcPausesAndSafepointsAreBands() {
        List<Timeline.Band> gc = jfr.bands().stream().filter(b -> b.kind() == Timeline.Band.Kind.GC).toList();
        assertThat(gc).hasSize(4);
        assertThat(gc).allSatisfy(b -> {
            assertThat(b.name()).startsWith("GC Pause").contains("G1New");
            assertThat(b.duration()).isPositive().isLessThan(1_000_000_000L);
        });
        List<Timeline.Band> sp = jfr.bands().stream().filter(b -> b.kind() == Timeline.Band.Kind.SAFEPOINT).toList();
        assertThat(sp).hasSizeGreaterThanOrEqualTo(10);
        // each GC pause happens inside the safepoint of the VM operation that asked for it
        assertThat(sp).extracting(Timeline.Band::name).contains("G1CollectForAllocation");
        for (Timeline.Band p : gc) {
            assertThat(sp).anySatisfy(s -> {
                assertThat(s.name()).isEqualTo("G1CollectForAllocation");
                assertThat(s.start()).isLessThanOrEqualTo(p.start());
                assertThat(s.end()).isGreaterThanOrEqualTo(p.end());
            });
        }
        TimelineReport.Result r = TimelineReport.compute(jfr, 0, jfr.durationNanos(), 50);
        assertThat(r.gc().count()).isEqualTo(4);
        assertThat(r.gc().total()).isEqualTo(gc.stream().mapToLong(Timeline.Band::duration).sum());
        assertThat(r.gc().max()).isEqualTo(gc.stream().mapToLong(Timeline.Band::duration).max().orElseThrow());
    }

    @Test
    void waitingThreadsHaveTheirStates() {
        Timeline.Lane taker = lane(jfr, "queue-taker");
        assertThat(inState(taker, Timeline.State.PARKED)).isGreaterThan(taker.lifetime() * 8 / 10);
        Timeline.Lane consumer = lane(jfr, "consumer");
        assertThat(inState(consumer, Timeline.State.WAITING)).isGreaterThan(consumer.lifetime() * 8 / 10);
        Timeline.Lane holder = lane(jfr, "lock-holder");
        assertThat(inState(holder, Timeline.State.SLEEPING)).isGreaterThan(holder.lifetime() / 3);
        for (String w : List.of("lock-waiter-1", "lock-waiter-2", "lock-waiter-3")) {
            Timeline.Lane l = lane(jfr, w);
            assertThat(inState(l, Timeline.State.BLOCKED)).as(w + " blocked").isGreaterThan(l.lifetime() / 2);
        }
        assertThat(inState(lane(jfr, "producer"), Timeline.State.SLEEPING)).isPositive();
        assertThat(inState(lane(jfr, "allocator"), Timeline.State.SLEEPING)).isPositive();
    }

    @Test
    void bucketsAddUpToTheSummary() {
        int n = 37;
        TimelineReport.Result r = TimelineReport.compute(jfr, 0, jfr.durationNanos(), n, null, 1000,
                TimelineReport.Sort.START);
        assertThat(r.lanes()).hasSize(jfr.lanes().size());
        assertThat(r.more()).isZero();
        for (TimelineReport.Lane l : r.lanes()) {
            for (var e : l.state().entrySet()) {
                assertThat(e.getValue()).hasSize(n);
                for (long v : e.getValue()) {
                    assertThat(v).as(l.name() + " " + e.getKey() + " per bucket").isBetween(0L, r.bucketNanos());
                }
            }
            long parked = l.state().containsKey(Timeline.State.PARKED)
                    ? Arrays.stream(l.state().get(Timeline.State.PARKED)).sum() : 0;
            assertThat(parked).isEqualTo(l.summary().parked());
            assertThat(Arrays.stream(l.samples()).sum()).isEqualTo(l.summary().samples());
            assertThat(l.summary().runningShare()).isBetween(0.0, 1.0);
        }
        TimelineReport.Lane taker = r.lanes().stream().filter(l -> l.name().equals("queue-taker")).findFirst().orElseThrow();
        assertThat(taker.intervals()).isNotEmpty().allSatisfy(i -> {
            assertThat(i.state()).isEqualTo(Timeline.State.PARKED);
            assertThat(i.duration()).isGreaterThanOrEqualTo(r.bucketNanos());
        });
    }

    @Test
    void busySortPutsTheLongThreadsFirstAndTheCapCountsTheRest() {
        TimelineReport.Result r = TimelineReport.compute(jfr, 0, jfr.durationNanos(), 20, null, 5,
                TimelineReport.Sort.BUSY);
        assertThat(r.lanes()).hasSize(5);
        assertThat(r.lanes().subList(0, 2)).extracting(TimelineReport.Lane::name)
                .containsExactlyInAnyOrder("fib-long-1", "fib-long-2");
        assertThat(r.more()).isEqualTo(r.threads() - 5);
        assertThat(r.moreNames()).hasSize(Math.min(20, r.more()));
        assertThat(TimelineReport.text(r)).contains("fib-long-1").contains(r.more() + " more threads");
    }

    @Test
    void aWindowShowsOnlyWhatOverlapsIt() {
        long from = 1_000_000_000L;
        long to = 1_500_000_000L;
        TimelineReport.Result r = TimelineReport.compute(jfr, from, to, 10, Regex.compile("--thread", "^short-"), 1000,
                TimelineReport.Sort.START);
        assertThat(r.lanes()).isNotEmpty().allSatisfy(l -> {
            assertThat(l.name()).startsWith("short-");
            assertThat(l.end()).isGreaterThanOrEqualTo(from);
            assertThat(l.start()).isLessThan(to);
            assertThat(l.summary().lifetime()).isLessThanOrEqualTo(to - from);
        });
        long inWindow = jfr.lanes().stream().filter(l -> l.name().startsWith("short-"))
                .filter(l -> l.end() >= from && l.start() < to).count();
        assertThat(r.lanes()).hasSize((int) inWindow);
        assertThat(r.bands()).allSatisfy(b -> {
            assertThat(b.end()).isGreaterThanOrEqualTo(from);
            assertThat(b.start()).isLessThan(to);
        });
        assertThat(r.bucketNanos()).isEqualTo(50_000_000L);
    }

    @Test
    void asyncProfilerRecordingsHaveLanesButNoBands() {
        assertThat(ap.engine()).isEqualTo("async-profiler");
        assertThat(ap.hasJdkEvents()).isFalse();
        assertThat(ap.bands()).isEmpty();
        assertThat(ap.note()).contains("GC pauses and safepoints need a JDK Flight Recorder recording");
        assertThat(ap.wallIntervalNanos()).isEqualTo(5_000_000L);
        Timeline.Lane c = lane(ap, "contender-1");
        assertThat(c.wallSamples()).isNotEmpty();
        assertThat(inState(c, Timeline.State.BLOCKED)).isPositive();
        TimelineReport.Result r = TimelineReport.compute(ap, 0, ap.durationNanos(), 10);
        assertThat(r.note()).isEqualTo(ap.note());
        assertThat(r.gc().count()).isZero();
        TimelineReport.Lane rl = r.lanes().stream().filter(l -> l.name().equals("contender-1")).findFirst().orElseThrow();
        assertThat(rl.summary().running()).isPositive();
        assertThat(rl.summary().blocked()).isPositive();
    }

    @Test
    void chunksMergeByThread(@TempDir Path dir) throws IOException {
        // a recording of two chunks (here the same chunk twice): one lane per thread, events of both
        Path two = dir.resolve("two.jfr");
        byte[] one = Files.readAllBytes(PROFILES.resolve("jfr-timeline.jfr"));
        byte[] both = Arrays.copyOf(one, one.length * 2);
        System.arraycopy(one, 0, both, one.length, one.length);
        Files.write(two, both);
        Timeline t = TimelineReader.read(two);
        assertThat(t.lanes()).hasSameSizeAs(jfr.lanes());
        assertThat(t.eventCounts().get("jdk.ExecutionSample")).isEqualTo(2 * jfr.eventCounts().get("jdk.ExecutionSample"));
        assertThat(lane(t, "fib-long-1").cpuSamples()).hasSize(2 * lane(jfr, "fib-long-1").cpuSamples().length);
        assertThat(lane(t, "fib-long-1").name()).isEqualTo("fib-long-1");
        // safepoints are one per id, whichever chunk holds their events
        assertThat(t.bands().stream().filter(b -> b.kind() == Timeline.Band.Kind.SAFEPOINT).count())
                .isEqualTo(jfr.bands().stream().filter(b -> b.kind() == Timeline.Band.Kind.SAFEPOINT).count());
    }

    @Test
    void badInputIsOneLine(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> TimelineReader.read(PROFILES.resolve("ap-cpu.pb.gz")))
                .isInstanceOf(ProfileException.class).hasMessageContaining("needs a JFR recording");
        assertThatThrownBy(() -> TimelineReader.read(dir.resolve("missing.jfr")))
                .isInstanceOf(ProfileException.class).hasMessageEndingWith("no such file");
        Path cut = dir.resolve("cut.jfr");
        byte[] all = Files.readAllBytes(PROFILES.resolve("jfr-timeline.jfr"));
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> TimelineReader.read(cut)).isInstanceOf(ProfileException.class)
                .hasMessageContaining("truncated JFR recording").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> TimelineReport.compute(jfr, 10, 10, 5)).isInstanceOf(ReportException.class)
                .hasMessageStartingWith("to:");
        assertThatThrownBy(() -> TimelineReport.compute(jfr, 0, 10, 0)).isInstanceOf(ReportException.class)
                .hasMessageStartingWith("buckets:");
        assertThatThrownBy(() -> TimelineReport.Sort.of("fast")).isInstanceOf(ReportException.class);
    }

    /**
     * Read in one pass for a window (summing each thread's samples as they come, as the CLI does), a timeline reports
     * what the one read whole reports: every window, bucket count, thread filter and order, in JSON, which has every
     * number of the report (the wide intervals too, several per lane here, capped to a few to test the cap).
     */
    @Test
    void oneWindowReadInOnePassIsTheWholeTimelinesReport(@TempDir Path dir) throws IOException {
        Path two = dir.resolve("two.jfr");
        byte[] one = Files.readAllBytes(PROFILES.resolve("jfr-timeline.jfr"));
        byte[] both = Arrays.copyOf(one, one.length * 2);
        System.arraycopy(one, 0, both, one.length, one.length);
        Files.write(two, both);
        for (Path f : List.of(PROFILES.resolve("jfr-timeline.jfr"), PROFILES.resolve("ap-lock.jfr"),
                PROFILES.resolve("ap-cpu.jfr"), two)) {
            Timeline whole = TimelineReader.read(f);
            @SuppressWarnings("resource") // closed at the end of the loop
            TimelineReader.Recording rec = TimelineReader.open(f);
            assertThat(rec.durationNanos()).isEqualTo(whole.durationNanos());
            assertThat(rec.cpuIntervalNanos()).isEqualTo(whole.cpuIntervalNanos());
            assertThat(rec.wallIntervalNanos()).isEqualTo(whole.wallIntervalNanos());
            assertThat(String.valueOf(rec.notePhrase())).isEqualTo(String.valueOf(whole.notePhrase()));
            long d = Math.max(1, whole.durationNanos());
            long[][] windows = {{0, d}, {0, Math.max(1, d / 3)}, {d / 3, 2 * d / 3 + 1}, {d / 2, d + 1_000_000_000L}};
            for (long[] w : windows) {
                for (int buckets : new int[] {1, 7, 300}) {
                    for (TimelineReport.Sort sort : TimelineReport.Sort.values()) {
                        Regex thread = sort == TimelineReport.Sort.NAME ? Regex.compile("--thread", "-") : null;
                        String expected = JsonReport.timeline(TimelineReport.compute(whole, w[0], w[1], buckets, thread,
                                7, sort), "f");
                        String actual = JsonReport.timeline(TimelineReport.compute(rec, w[0], w[1], buckets, thread,
                                7, sort), "f");
                        assertThat(actual).as("%s %d..%d /%d %s", f.getFileName(), w[0], w[1], buckets, sort)
                                .isEqualTo(expected);
                    }
                }
            }
            // the lanes of a timeline read through a sink hold no samples
            Timeline lean = rec.read(new TimelineReader.Sink() {
                @Override
                public void cpu(long lane, long time) {
                }

                @Override
                public void wall(long lane, long time, int count, Timeline.State state) {
                }

                @Override
                public void interval(long lane, Timeline.Interval interval) {
                }
            });
            assertThat(lean.lanes()).extracting(Timeline.Lane::name).isEqualTo(whole.lanes().stream()
                    .map(Timeline.Lane::name).toList());
            assertThat(lean.lanes()).allSatisfy(l -> {
                assertThat(l.cpuSamples()).isEmpty();
                assertThat(l.wallSamples()).isEmpty();
                assertThat(l.intervals()).isEmpty();
            });
            rec.close();
        }
    }

    @Test
    void theWideIntervalsKeptAreTheFirstToStartInWhateverOrderTheyCome() {
        // more wide intervals than a lane keeps, many starting together: the first to start (ties: as they came)
        java.util.Random r = new java.util.Random(7);
        List<Timeline.Interval> sorted = new java.util.ArrayList<>();
        for (int i = 0; i < 3 * TimelineReport.MAX_INTERVALS; i++) {
            long start = 1_000L * r.nextInt(2000);
            Timeline.State st = Timeline.State.values()[1 + r.nextInt(4)];
            sorted.add(new Timeline.Interval(start, start + 5_000 + r.nextInt(5_000), st));
        }
        sorted.sort(java.util.Comparator.comparingLong(Timeline.Interval::start));
        List<Timeline.Interval> shuffled = new java.util.ArrayList<>(sorted);
        java.util.Collections.shuffle(shuffled, r);
        TimelineReport.Result bySorted = TimelineReport.compute(synthetic(sorted), 0, 3_000_000, 1000);
        TimelineReport.Lane lane = bySorted.lanes().get(0);
        assertThat(lane.intervals()).hasSize(TimelineReport.MAX_INTERVALS);
        assertThat(lane.intervals()).isEqualTo(sorted.subList(0, TimelineReport.MAX_INTERVALS));
        // shuffled, ties keep the order they came in: the same starts, in order
        TimelineReport.Lane fromShuffled = TimelineReport.compute(synthetic(shuffled), 0, 3_000_000, 1000).lanes().get(0);
        assertThat(fromShuffled.intervals()).extracting(Timeline.Interval::start)
                .isEqualTo(lane.intervals().stream().map(Timeline.Interval::start).toList());
        assertThat(fromShuffled.summary()).isEqualTo(lane.summary());
    }

    private static Timeline synthetic(List<Timeline.Interval> intervals) {
        Timeline.Lane l = new Timeline.Lane(1, "t", 1, 0, 3_000_000, false, false, new long[0], new long[0], new int[0],
                new Timeline.State[0], List.copyOf(intervals));
        return new Timeline(Path.of("x.jfr"), "jfr", 3_000_000, 0, 0, List.of(l), List.of(), true, java.util.Map.of());
    }
}
