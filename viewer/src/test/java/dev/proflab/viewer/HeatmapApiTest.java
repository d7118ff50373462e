package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proflab.export.Pprof;
import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static dev.proflab.viewer.ViewerApiTest.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/heatmap} over real HTTP: on the recording of the labs' trace workload (3 s; its load changes from one
 * second to the next) the cells add up to the samples every other endpoint counts for the same range and filters; a
 * pprof file says it has no times; a day of collected windows (1,440 of them, the collector's layout) answers with a
 * bounded matrix whose cells add up to the windows' samples.
 */
@Tag("slow")
class HeatmapApiTest {

    static final long S = 1_000_000_000L;
    static final Instant DAY = Instant.parse("2026-11-26T00:00:00Z");
    static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @TempDir
    static Path dir;
    static ViewerServer trace;
    static ViewerServer pprof;
    static ViewerServer day;
    /** The samples of all the day's windows. */
    static long daySamples;

    @BeforeAll
    static void start() throws Exception {
        trace = new ViewerServer(TimelineApiTest.TRACE, null).start("127.0.0.1", 0);
        pprof = new ViewerServer(Path.of("../profile/src/test/resources/profiles/ap-cpu.pb.gz"), null).start("127.0.0.1", 0);
        Path folder = dir.resolve("profiles");
        Files.createDirectories(folder.resolve("cpu"));
        // as proflab collect --interval 60s --window 30s leaves a day: a window a minute, busier in the day's middle
        for (int m = 0; m < 1440; m++) {
            Instant t = DAY.plusSeconds(60L * m);
            int n = 20 + (m >= 600 && m < 660 ? 200 : m % 7);
            daySamples += n;
            Files.write(folder.resolve("cpu/cpu_" + NAME.format(t) + ".pb.gz"), Pprof.encode(window(t, n)));
        }
        day = new ViewerServer(folder, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        BrowserTest.stop(trace, pprof, day);
    }

    /** One 30 s window of {@code n} CPU samples in two stacks and two threads. */
    static Profile window(Instant start, int n) {
        Profile.Builder b = new Profile.Builder(new Profile.Meta("pprof", "cpu", 10_000_000, start, Duration.ofSeconds(30),
                "", "", "w"), List.of(new ValueType("samples", "count"), new ValueType("cpu", "nanoseconds")));
        int run = b.frame(new Frame("app.Main", "run", "()V", 1, Frame.Kind.JIT));
        int work = b.frame(new Frame("app.Work", "compute", "()V", 7, Frame.Kind.JIT));
        int io = b.frame(new Frame("app.Io", "read", "()V", 9, Frame.Kind.JIT));
        b.sample(b.stack(new int[] {work, run}), b.thread("worker"), 0, n - 5, (n - 5) * 10_000_000L);
        b.sample(b.stack(new int[] {io, run}), b.thread("io"), 0, 5, 50_000_000L);
        return b.build();
    }

    static long sum(JsonNode h, long from, long to) {
        long n = 0;
        for (int c = 0; c < h.get("columns").asInt(); c++) {
            for (int r = 0; r < h.get("rows").asInt(); r++) {
                long t = h.get("from_ns").asLong() + c * h.get("column_ns").asLong() + r * h.get("row_ns").asLong();
                if (t >= from && t < to) {
                    n += h.get("counts").get(c).get(r).asLong();
                }
            }
        }
        return n;
    }

    static long flameSamples(String query) throws Exception {
        return get(trace, "api/flame?sampleIndex=samples&" + query).json().get("total").asLong();
    }

    @Test
    void aRecordingsCellsAddUpToTheSamplesOfEachRange() throws Exception {
        ViewerApiTest.Reply r = get(trace, "api/heatmap");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode h = r.json();
        assertThat(h.get("available").asBoolean()).isTrue();
        assertThat(h.get("time").asText()).isEqualTo("recording");
        assertThat(h.get("column_ns").asLong()).isEqualTo(S);
        assertThat(h.get("row_ns").asLong()).isEqualTo(20_000_000L);
        assertThat(h.get("rows").asInt()).isEqualTo(50);
        assertThat(h.get("counts")).hasSize(h.get("columns").asInt());
        assertThat(h.get("cell").asText()).contains("20 ms").contains("1 s column");
        assertThat(h.get("total").asLong()).isEqualTo(flameSamples("")).isEqualTo(139);
        for (long[] range : new long[][] {{0, S}, {S, 2 * S}, {2 * S, 3 * S}, {S + 240_000_000L, 2 * S + 500_000_000L}}) {
            assertThat(sum(h, range[0], range[1])).as("%d..%d", range[0], range[1])
                    .isEqualTo(flameSamples("from=" + range[0] + "&to=" + range[1]));
        }
        assertThat(sum(h, 0, S)).isGreaterThan(2 * sum(h, S, 2 * S));   // the load changes
    }

    @Test
    void filtersAndEventsSelectAsTheOtherEndpoints() throws Exception {
        JsonNode h = get(trace, "api/heatmap?thread=fib-long-1").json();
        assertThat(h.get("total").asLong()).isEqualTo(flameSamples("thread=fib-long-1")).isPositive().isLessThan(139);
        JsonNode ignored = get(trace, "api/heatmap?ignore=" + URLEncoder.encode("Fib\\.", StandardCharsets.UTF_8)).json();
        assertThat(ignored.get("total").asLong()).isEqualTo(flameSamples("ignore=Fib%5C."));
        JsonNode alloc = get(trace, "api/heatmap?event=alloc").json();
        assertThat(alloc.get("event").asText()).isEqualTo("alloc");
        assertThat(alloc.get("total").asLong()).isPositive();
    }

    @Test
    void aRecordingHeldMergedIsCountedFromTheFileAlike() throws Exception {
        // the same recording, its samples merged per stack and thread as a large one's are (no row kept per sample)
        ViewerServer merged = new ViewerServer(TimelineApiTest.TRACE, null, null, 0).start("127.0.0.1", 0);
        // async-profiler's wall-clock samples (two threads contending for a lock), merged and not
        ViewerServer wall = new ViewerServer(ViewerApiTest.LOCK, null, "wall").start("127.0.0.1", 0);
        ViewerServer wallMerged = new ViewerServer(ViewerApiTest.LOCK, null, "wall", 0).start("127.0.0.1", 0);
        try {
            for (String q : new String[] {"", "thread=fib-long-1"}) {
                same(get(trace, "api/heatmap?" + q).json(), get(merged, "api/heatmap?" + q).json(), q);
            }
            ViewerApiTest.Reply none = get(merged, "api/heatmap?thread=nothing-by-this-name");
            assertThat(none.status()).isEqualTo(400);
            assertThat(none.json().get("error").asText()).contains("matches no thread");
            for (String q : new String[] {"event=wall", "event=wall&thread=java"}) {
                same(get(wall, "api/heatmap?" + q).json(), get(wallMerged, "api/heatmap?" + q).json(), q);
            }
            JsonNode focus = get(merged, "api/heatmap?focus=Fib").json();
            assertThat(focus.get("available").asBoolean()).isFalse();
            assertThat(focus.get("note").asText()).contains("not focus or ignore");
            JsonNode alloc = get(merged, "api/heatmap?event=alloc").json();
            assertThat(alloc.get("available").asBoolean()).isFalse();
            assertThat(alloc.get("note").asText()).contains("proflab convert FILE --event alloc -o x.heatmap.html");
        } finally {
            BrowserTest.stop(merged, wall, wallMerged);
        }
    }

    static void same(JsonNode kept, JsonNode streamed, String q) {
        assertThat(kept.get("available")).as(q + ": " + kept + " / " + streamed).isNotNull();
        assertThat(kept.get("available").asBoolean()).as(q).isTrue();
        assertThat(streamed.get("note").asText()).as(q).contains("counted from the file");
        assertThat(streamed.get("counts")).as(q).isEqualTo(kept.get("counts"));
        assertThat(streamed.get("total")).as(q).isEqualTo(kept.get("total"));
    }

    @Test
    void badParametersAreOneLine400s() throws Exception {
        for (String q : new String[] {"columns=0", "columns=99999", "columns=x", "thread=(", "event=nope"}) {
            ViewerApiTest.Reply r = get(trace, "api/heatmap?" + q);
            assertThat(r.status()).as(q).isEqualTo(400);
            assertThat(r.json().get("error").asText()).as(q).doesNotContain("\n");
        }
        JsonNode h = get(pprof, "api/heatmap").json();
        assertThat(h.get("available").asBoolean()).isFalse();
        assertThat(h.get("note").asText()).contains("no sample times");
    }

    @Test
    void aDayOfWindowsAnswersABoundedMatrixQuickly() throws Exception {
        long t0 = System.nanoTime();
        ViewerApiTest.Reply first = get(day, "api/heatmap?kind=cpu");
        long firstMs = (System.nanoTime() - t0) / 1_000_000;
        t0 = System.nanoTime();
        ViewerApiTest.Reply again = get(day, "api/heatmap?kind=cpu");
        long againMs = (System.nanoTime() - t0) / 1_000_000;
        t0 = System.nanoTime();
        ViewerApiTest.Reply thread = get(day, "api/heatmap?kind=cpu&thread=worker");
        long threadMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("heatmap of 1440 windows (24 h): first %d ms, again %d ms, thread=worker %d ms, %d bytes%n",
                firstMs, againMs, threadMs, first.body().length());
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        JsonNode h = first.json();
        assertThat(h.get("time").asText()).isEqualTo("epoch");
        assertThat(h.get("spread").asBoolean()).isTrue();
        assertThat(h.get("windows").asInt()).isEqualTo(1440);
        assertThat(h.get("column_ns").asLong()).isEqualTo(300 * S);   // 288 columns of 5 min for 600 asked
        assertThat(h.get("columns").asInt()).isEqualTo(288);
        assertThat(h.get("row_ns").asLong()).isEqualTo(6 * S);
        assertThat(h.get("total").asLong()).isEqualTo(daySamples);
        assertThat(h.get("outside").asLong()).isZero();
        assertThat(again.body()).isEqualTo(first.body());
        // the busy hour (10:00 to 11:00): its windows' samples, in its columns
        long ten = DAY.plusSeconds(36_000).toEpochMilli() * 1_000_000L;
        long busy = 0;
        for (int m = 600; m < 660; m++) {
            busy += 20 + 200;
        }
        assertThat(sum(h, ten, ten + 3600 * S)).isEqualTo(busy);
        // five of each window's samples are the io thread's
        assertThat(thread.json().get("total").asLong()).isEqualTo(daySamples - 5 * 1440);
        // one hour of windows: columns of 10 s
        String hour = DAY.plusSeconds(36_000).toEpochMilli() + ".." + DAY.plusSeconds(39_599).toEpochMilli();
        JsonNode h1 = get(day, "api/heatmap?kind=cpu&range=" + hour).json();
        assertThat(h1.get("windows").asInt()).isEqualTo(60);
        assertThat(h1.get("column_ns").asLong()).isEqualTo(10 * S);
        assertThat(h1.get("total").asLong()).isEqualTo(busy);
        assertThat(get(day, "api/heatmap?kind=nope").status()).isEqualTo(400);
    }
}
