package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.analysis.FileAnalysis;
import dev.proflab.analysis.Findings;
import dev.proflab.analysis.JmcRules;
import dev.proflab.export.Pprof;
import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.proflab.viewer.ViewerApiTest.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/findings} over real HTTP: the findings of {@code proflab analyze --format json} on real recordings (a
 * lab's, the fixture workload's lock contention), each with the frames and threads of its evidence; JMC's rules in
 * the background; a folder's windows; names that are attacks, returned exactly as data.
 */
@Tag("slow")
class FindingsApiTest {

    static final Path FIB = Path.of("src/test/resources/profiles/fib-before-cpu.jfr");
    static final Path LOCK = Path.of("../profile/src/test/resources/profiles/jfr-lock.jfr");
    static final String EVIL = "evil.Cls.</script><img src=x onerror=alert(1)>";
    static final String EVIL_THREAD = "\"><svg onload=alert(2)> #";

    @TempDir
    static Path dir;
    static ViewerServer fib;
    static ViewerServer lock;
    static ViewerServer hostile;
    static ViewerServer folder;

    @BeforeAll
    static void start() throws Exception {
        fib = new ViewerServer(FIB, null).start("127.0.0.1", 0);
        lock = new ViewerServer(LOCK, null).start("127.0.0.1", 0);
        Path evil = dir.resolve("hostile.pb.gz");
        Files.write(evil, Pprof.encode(hostileProfile()));
        hostile = new ViewerServer(evil, null).start("127.0.0.1", 0);
        Path history = dir.resolve("history");
        HistoryApiTest.window(history, FIB, "cpu", 0, "jfr");
        HistoryApiTest.window(history, FIB, "cpu", 1, "jfr");
        folder = new ViewerServer(history, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        for (ViewerServer s : new ViewerServer[] {fib, lock, hostile, folder}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    /** The answer once JMC's rules are done (they run on the side: asked again until then, within a minute). */
    static JsonNode done(ViewerServer s) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            ViewerApiTest.Reply r = get(s, "api/findings");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode j = r.json();
            if (!j.get("jmc").get("state").asText().equals("running") || System.nanoTime() > deadline) {
                return j;
            }
            Thread.sleep(200);
        }
    }

    static JsonNode rule(JsonNode answer, String rule) {
        for (JsonNode f : answer.get("findings")) {
            if (f.get("rule").asText().equals(rule)) {
                return f;
            }
        }
        throw new AssertionError("no finding " + rule + " in " + answer);
    }

    @Test
    void aLabsRecordingHasTheFindingsOfAnalyzeAndTheDominantFramesFocus() throws Exception {
        JsonNode j = done(fib);
        assertThat(j.get("jmc").get("state").asText()).isEqualTo("done");
        // what proflab analyze --format json prints for the same file, field for field, with a focus added
        FileAnalysis.Result r = FileAnalysis.profileRules(FIB).plus(FileAnalysis.jmcRules(FIB, JmcRules.Limits.DEFAULT));
        JsonNode cli = ViewerApiTest.MAPPER.readTree(Findings.json(FIB.getFileName().toString(),
                Findings.shown(r.findings(), false), r.evaluated()));
        ObjectNode mine = j.deepCopy();
        mine.remove(List.of("scope", "jmc"));
        for (JsonNode f : mine.get("findings")) {
            ((ObjectNode) f).remove("focus");
        }
        // JMC's CPU rules read the machine's load during the recording: the same for both
        assertThat(mine.get("findings").size()).isEqualTo(cli.get("findings").size());
        assertThat(mine.get("rulesEvaluated")).isEqualTo(cli.get("rulesEvaluated"));
        assertThat(mine).isEqualTo(cli);
        // the finding a teacher points to: recursive fib holds the CPU
        JsonNode d = rule(j, "proflab.dominant-frame");
        assertThat(d.get("severity").asText()).isEqualTo("warning");
        assertThat(d.get("summary").asText()).startsWith("dev.proflab.labs.fib.Fib.recursive (own code) runs on the CPU");
        assertThat(d.get("focus").get("event").asText()).isEqualTo("cpu");
        assertThat(names(d.get("focus").get("frames"))).containsExactly("dev.proflab.labs.fib.Fib.recursive");
        assertThat(d.get("focus").get("threads")).isEmpty();
        assertThat(j.get("scope").asText()).contains("whole recording");
    }

    @Test
    void lockContentionShowsJmcsBlockingAndTheLockEvent() throws Exception {
        JsonNode j = done(lock);
        JsonNode d = rule(j, "proflab.dominant-frame");
        assertThat(d.get("focus").get("event").asText()).isEqualTo("lock");
        assertThat(names(d.get("focus").get("frames"))).containsExactly("dev.proflab.profile.fixture.Workload.contend");
        JsonNode blocking = rule(j, "JavaBlocking");
        assertThat(blocking.get("source").asText()).isEqualTo("jmc");
        assertThat(blocking.get("explanation").asText()).contains("Workload$Gate");
        assertThat(blocking.get("focus").get("frames")).isEmpty();
    }

    @Test
    void theOneLockOfTheMutexLabPointsToItsSiteInTheLockProfile() throws Exception {
        // the contention lab's before (a recording of the analysis module's tests): one lock every thread needs
        ViewerServer s = new ViewerServer(Path.of("../analysis/src/test/resources/labs/mutex-before.jfr"), null)
                .jmcLimits(null).start("127.0.0.1", 0);
        try {
            JsonNode one = rule(get(s, "api/findings").json(), "proflab.one-lock");
            assertThat(one.get("severity").asText()).isEqualTo("warning");
            assertThat(one.get("focus").get("event").asText()).isEqualTo("lock");
            assertThat(names(one.get("focus").get("frames")))
                    .containsExactly("dev.proflab.labs.contention.Contention$OneLockTable.record");
        } finally {
            s.stop();
        }
    }

    @Test
    void theGcFindingSelectsTheLongestPauseOfTheTimeline() throws Exception {
        // the labs' trace workload: 4 GC pauses, the longest 99.1 ms; 3.9% of the time, OK (shown with all=true)
        ViewerServer s = new ViewerServer(TimelineApiTest.TRACE, null).jmcLimits(null).start("127.0.0.1", 0);
        try {
            assertThat(get(s, "api/findings").json().get("findings")).noneMatch(f -> f.get("rule").asText().equals("proflab.gc-pauses"));
            assertThat(get(s, "api/findings?all=yes").status()).isEqualTo(400);
            JsonNode gc = rule(get(s, "api/findings?all=true").json(), "proflab.gc-pauses");
            assertThat(gc.get("severity").asText()).isEqualTo("ok");
            JsonNode longest = null;
            for (JsonNode b : get(s, "api/timeline").json().get("bands")) {
                if (b.get("kind").asText().equals("gc") && (longest == null
                        || b.get("duration").asLong() > longest.get("duration").asLong())) {
                    longest = b;
                }
            }
            assertThat(longest).isNotNull();
            assertThat(gc.get("evidence").get(0).asText()).isEqualTo(String.format(java.util.Locale.ROOT,
                    "longest pause %.2f ms", longest.get("duration").asLong() / 1e6));
            assertThat(gc.get("focus").get("range").get("from").asLong()).isEqualTo(longest.get("start").asLong());
            assertThat(gc.get("focus").get("range").get("to").asLong())
                    .isEqualTo(longest.get("start").asLong() + longest.get("duration").asLong());
            assertThat(rule(get(s, "api/findings").json(), "proflab.dominant-frame").get("focus").get("range").isNull())
                    .isTrue();
        } finally {
            s.stop();
        }
    }

    @Test
    void withoutJmcOnlyProflabsRulesAnswer() throws Exception {
        ViewerServer s = new ViewerServer(LOCK, null).jmcLimits(null).start("127.0.0.1", 0);
        try {
            JsonNode j = get(s, "api/findings").json();
            assertThat(j.get("jmc").get("state").asText()).isEqualTo("off");
            assertThat(j.get("findings")).allMatch(f -> f.get("source").asText().equals("proflab"));
            assertThat(j.get("rulesEvaluated").asInt()).isEqualTo(FileAnalysis.profileRules(LOCK).evaluated());
        } finally {
            s.stop();
        }
    }

    @Test
    void hostileNamesAreDataAndTheirFocusIsExact() throws Exception {
        ViewerApiTest.Reply r = get(hostile, "api/findings");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode j = r.json();
        assertThat(j.get("jmc").get("state").asText()).isEqualTo("off");   // a pprof file: JMC reads JFR only
        JsonNode d = rule(j, "proflab.dominant-frame");
        assertThat(d.get("summary").asText()).startsWith(EVIL + " (own code)");
        assertThat(names(d.get("focus").get("frames"))).containsExactly(EVIL);
        JsonNode idle = rule(j, "proflab.idle-threads");
        List<String> threads = names(idle.get("focus").get("threads"));
        assertThat(threads).hasSize(5).allMatch(t -> t.startsWith(EVIL_THREAD));
        // exactly as named, line separator and all: the page sets them as text
        assertThat(threads.get(0)).endsWith("0\u2028");
    }

    @Test
    void aFoldersSelectedWindowsHaveProflabsRulesOnly() throws Exception {
        JsonNode j = get(folder, "api/findings?kind=cpu&range=" + HistoryApiTest.T0 + ".." + (HistoryApiTest.T0 + 120_000)).json();
        assertThat(j.get("jmc").get("state").asText()).isEqualTo("off");
        assertThat(j.get("scope").asText()).contains("windows selected (2, merged)");
        JsonNode d = rule(j, "proflab.dominant-frame");
        assertThat(d.get("focus").get("event").isNull()).isTrue();
        assertThat(names(d.get("focus").get("frames"))).containsExactly("dev.proflab.labs.fib.Fib.recursive");
        assertThat(get(folder, "api/findings?range=yesterday").status()).isEqualTo(400);
    }

    static List<String> names(JsonNode arr) {
        List<String> out = new ArrayList<>();
        ((ArrayNode) arr).forEach(n -> out.add(n.asText()));
        return out;
    }

    /** A frame named like an attack holds most of the CPU; twelve threads named like one only park. */
    static Profile hostileProfile() {
        Profile.Builder b = new Profile.Builder(
                new Profile.Meta("async-profiler", "cpu", 10_000_000, Instant.parse("2026-11-26T10:00:00Z"),
                        Duration.ofSeconds(2), "25", "java", "hostile.jfr"),
                List.of(new ValueType("samples", "count"), new ValueType("cpu", "nanoseconds")));
        int run = b.frame(new Frame("java.lang.Thread", "run", "()V", 1, Frame.Kind.JIT));
        int evil = b.frame(new Frame("evil.Cls", "</script><img src=x onerror=alert(1)>", "()V", 7, Frame.Kind.JIT));
        int park = b.frame(new Frame("jdk.internal.misc.Unsafe", "park", "()V", 1, Frame.Kind.JIT));
        int worker = b.thread("worker");
        b.sample(b.stack(new int[] {evil, run}), worker, 0, 300, 3_000_000_000L);
        for (int i = 0; i < 12; i++) {
            int t = b.thread(EVIL_THREAD + i + "\u2028");
            b.sample(b.stack(new int[] {park, run}), t, 1, 5, 50_000_000L);
        }
        return b.build();
    }
}
