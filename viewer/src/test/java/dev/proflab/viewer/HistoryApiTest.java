package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proflab.export.Pprof;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileException;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.proflab.viewer.ViewerApiTest.get;
import static dev.proflab.viewer.ViewerApiTest.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code proflab view DIR} over real HTTP: a folder laid out as {@code proflab collect} writes it, with
 * copies of the fib lab's recordings as its windows (recursive fib, then the memo, then recursive again).
 */
@Tag("slow")
class HistoryApiTest {

    static final Path RES = Path.of("src/test/resources/profiles");
    static final Path BEFORE = RES.resolve("fib-before-cpu.jfr");
    static final Path AFTER = RES.resolve("fib-after-cpu.jfr");
    static final Path ALLOC = RES.resolve("alloc-before-alloc.jfr");
    static final long T0 = Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();

    @TempDir
    static Path dir;
    static ViewerServer server;

    /** Copies a recording as the window of {@code kind} starting {@code minute} minutes after 10:00. */
    static Path window(Path folder, Path recording, String kind, int minute, String ext) throws IOException {
        String name = String.format("%s/%s_20261126-10%02d00.%s", kind, kind, minute, ext);
        Path to = folder.resolve(name);
        Files.createDirectories(to.getParent());
        return Files.copy(recording, to);
    }

    /** The collector's layout: cpu at 10:00 (before), 10:01 (after), 10:02 (before); allocs at 10:00; junk. */
    static void fill(Path folder) throws IOException {
        window(folder, BEFORE, "cpu", 0, "jfr");
        window(folder, AFTER, "cpu", 1, "jfr");
        window(folder, BEFORE, "cpu", 2, "jfr");
        window(folder, ALLOC, "allocs", 0, "jfr");
        Files.copy(AFTER, folder.resolve("cpu/.cpu_20261126-100300.jfr.tmp"));   // being written: hidden
        Files.writeString(folder.resolve("cpu/notes.txt"), "not a profile");
    }

    @BeforeAll
    static void start() throws IOException {
        fill(dir);
        server = new ViewerServer(dir, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static String at(int minute) {
        long t = T0 + minute * 60_000L;
        return t + ".." + t;
    }

    static long total(Path recording) {
        Profile p = ProfileReader.read(recording, ReadOptions.defaults().withEvent("cpu").withAggregate(true));
        return p.total(p.defaultValueIndex());
    }

    static List<String> names(JsonNode windows) {
        List<String> out = new ArrayList<>();
        windows.forEach(w -> out.add(w.get("name").asText()));
        return out;
    }

    @Test
    void historyListsTheWindowsOfEveryKindOnATimeAxis() throws Exception {
        ViewerApiTest.Reply r = get(server, "api/history");
        assertThat(r.status()).isEqualTo(200);
        JsonNode h = r.json();
        assertThat(h.get("empty").asBoolean()).isFalse();
        assertThat(h.get("kind").asText()).isEqualTo("cpu");
        assertThat(h.get("kinds").findValuesAsText("kind")).containsExactly("cpu", "allocs");
        assertThat(h.get("kinds").get(0).get("count").asInt()).isEqualTo(3);
        List<String> cpu = new ArrayList<>();
        h.get("windows").forEach(w -> {
            if (w.get("kind").asText().equals("cpu")) {
                cpu.add(w.get("name").asText());
            }
        });
        // the temp file and the notes are not windows
        assertThat(cpu).containsExactly("cpu/cpu_20261126-100000.jfr", "cpu/cpu_20261126-100100.jfr",
                "cpu/cpu_20261126-100200.jfr");
        assertThat(h.get("windows").get(0).get("name").asText()).isEqualTo("allocs/allocs_20261126-100000.jfr");
        JsonNode first = get(server, "api/history?kind=cpu").json().get("windows").get(0);
        assertThat(first.get("start").asText()).isEqualTo("2026-11-26T10:00:00Z");
        assertThat(first.get("start_ms").asLong()).isEqualTo(T0);
        assertThat(first.get("time_source").asText()).isEqualTo("name");
        // the length comes from the recording (its chunk header)
        assertThat(first.get("duration_ms").asLong())
                .isEqualTo(ProfileReader.read(BEFORE).meta().duration().toMillis()).isPositive();
        assertThat(first.get("end_ms").asLong()).isEqualTo(T0 + first.get("duration_ms").asLong());
        assertThat(names(get(server, "api/history?kind=allocs").json().get("windows")))
                .containsExactly("allocs/allocs_20261126-100000.jfr");
    }

    @Test
    void oneWindowIsThatRecording() throws Exception {
        JsonNode f = get(server, "api/flame?kind=cpu&range=" + at(1)).json();
        assertThat(f.get("total").asLong()).isEqualTo(total(AFTER));
        assertThat(named(f.get("root"), "Fib.memo")).isNotEmpty();
        assertThat(named(f.get("root"), "Fib.recursive")).isEmpty();
        JsonNode m = get(server, "api/meta?kind=cpu&range=" + at(1)).json();
        assertThat(m.get("history").asBoolean()).isTrue();
        assertThat(m.get("windows").get(0).asText()).isEqualTo("cpu/cpu_20261126-100100.jfr");
        assertThat(m.get("file").asText()).startsWith("cpu 2026-11-26 10:01:00 UTC");
        assertThat(m.get("event").asText()).isEqualTo("cpu");
        assertThat(m.get("base").isNull()).isTrue();
        // the latest, when no range is given
        JsonNode latest = get(server, "api/meta").json();
        assertThat(latest.get("windows").get(0).asText()).isEqualTo("cpu/cpu_20261126-100200.jfr");
        assertThat(get(server, "api/flame?range=latest").json().get("total").asLong()).isEqualTo(total(BEFORE));
        // ISO-8601 works as well as epoch milliseconds
        assertThat(get(server, "api/flame?range=2026-11-26T10:01:00Z..2026-11-26T10:01:00Z").json().get("total").asLong())
                .isEqualTo(total(AFTER));
        // and the other kind
        JsonNode alloc = get(server, "api/meta?kind=allocs").json();
        assertThat(alloc.get("event").asText()).isEqualTo("alloc");
        assertThat(alloc.get("value_types").findValuesAsText("type")).contains("alloc_space");
    }

    @Test
    void aRangeIsItsWindowsMergedTheirTotalsSummed() throws Exception {
        long sum = 0;
        for (int minute = 0; minute < 3; minute++) {
            sum += get(server, "api/flame?range=" + at(minute)).json().get("total").asLong();
        }
        assertThat(sum).isEqualTo(2 * total(BEFORE) + total(AFTER));
        String all = (T0 - 1000) + ".." + (T0 + 150_000);
        JsonNode f = get(server, "api/flame?kind=cpu&range=" + all).json();
        assertThat(f.get("total").asLong()).isEqualTo(sum);
        assertThat(named(f.get("root"), "Fib.memo")).isNotEmpty();
        assertThat(named(f.get("root"), "Fib.recursive")).isNotEmpty();
        JsonNode m = get(server, "api/meta?range=" + all).json();
        assertThat(m.get("windows")).hasSize(3);
        assertThat(m.get("file").asText()).contains("3 windows merged", "10:00:00", "10:02:00");
        assertThat(m.get("samples").asLong()).isPositive();
        // the top table agrees with the flame graph
        JsonNode top = get(server, "api/top?range=" + all).json();
        long flat = 0;
        for (JsonNode row : top) {
            flat += row.get("flat").asLong();
        }
        assertThat(flat).isEqualTo(sum);
        // a drag from the middle of the first window to the middle of the second: both
        JsonNode two = get(server, "api/meta?range=" + (T0 + 2000) + ".." + (T0 + 62_000)).json();
        assertThat(two.get("windows")).hasSize(2);
        // source and callers work on a merge too
        JsonNode peek = get(server, "api/peek?fn=dev.proflab.labs.fib.Fib.recursive&range=" + all).json();
        assertThat(peek.get(0).get("callers").size() + peek.get(0).get("callees").size()).isPositive();
    }

    @Test
    void twoRangesAreTheirDifference() throws Exception {
        assertThat(get(server, "api/diff/flame?range=" + at(1)).status()).isEqualTo(404);
        JsonNode d = get(server, "api/diff/flame?kind=cpu&base=" + at(0) + "&range=" + at(1)).json();
        assertThat(d.get("base_total").asLong()).isEqualTo(total(BEFORE));
        assertThat(d.get("total").asLong()).isEqualTo(total(AFTER));
        JsonNode recursive = named(d.get("root"), "Fib.recursive").get(0);
        assertThat(recursive.get("delta").asDouble()).isLessThan(-0.9);
        // windows of one JVM are one run: no claim (ChangeTest), and the answer says why
        assertThat(recursive.get("significant").asBoolean()).isFalse();
        assertThat(d.get("limitation").asText()).isNotEmpty();
        assertThat(named(d.get("root"), "Fib.memo").get(0).get("delta").asDouble()).isGreaterThan(0.5);
        // the same current against another base: another answer (nothing kept from the first)
        JsonNode same = get(server, "api/diff/top?base=" + at(2) + "&range=" + at(0)).json();
        for (JsonNode row : same.get("rows")) {
            assertThat(row.get("delta_flat").asDouble()).isZero();
        }
        JsonNode again = get(server, "api/diff/top?base=" + at(1) + "&range=" + at(0)).json();
        assertThat(again.get("rows").get(0).get("delta_flat").asDouble()).isNotZero();
        JsonNode m = get(server, "api/meta?base=" + at(0) + "&range=" + at(1)).json();
        assertThat(m.get("base").get("windows").get(0).asText()).isEqualTo("cpu/cpu_20261126-100000.jfr");
        assertThat(m.get("base").get("samples").asLong()).isPositive();
    }

    @Test
    void windowsArriveAndGoWhileItRuns(@TempDir Path live) throws Exception {
        fill(live);
        ViewerServer s = new ViewerServer(live, null).start("127.0.0.1", 0);
        try {
            assertThat(get(s, "api/history?kind=cpu").json().get("windows")).hasSize(3);
            // the collector renames its temp file: a new window, and the latest
            Files.move(live.resolve("cpu/.cpu_20261126-100300.jfr.tmp"), live.resolve("cpu/cpu_20261126-100300.jfr"));
            assertThat(names(get(s, "api/history?kind=cpu").json().get("windows"))).contains("cpu/cpu_20261126-100300.jfr");
            assertThat(get(s, "api/meta").json().get("windows").get(0).asText()).isEqualTo("cpu/cpu_20261126-100300.jfr");
            assertThat(get(s, "api/flame").json().get("total").asLong()).isEqualTo(total(AFTER));
            // retention deletes the oldest
            assertThat(get(s, "api/flame?range=" + at(0)).status()).isEqualTo(200);
            Files.delete(live.resolve("cpu/cpu_20261126-100000.jfr"));
            assertThat(names(get(s, "api/history?kind=cpu").json().get("windows")))
                    .doesNotContain("cpu/cpu_20261126-100000.jfr").hasSize(3);
            ViewerApiTest.Reply gone = get(s, "api/flame?range=" + at(0));
            assertThat(gone.status()).isEqualTo(400);
            assertThat(gone.json().get("error").asText()).contains("no cpu window starts at 2026-11-26 10:00:00", "retention");
            // a window written again (another size): read again, not taken from the cache
            assertThat(get(s, "api/flame?range=" + at(1)).json().get("total").asLong()).isEqualTo(total(AFTER));
            Files.copy(BEFORE, live.resolve("cpu/cpu_20261126-100100.jfr"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(get(s, "api/flame?range=" + at(1)).json().get("total").asLong()).isEqualTo(total(BEFORE));
            Files.copy(AFTER, live.resolve("cpu/cpu_20261126-100100.jfr"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            // a merge of a range is read again without the deleted window
            String all = (T0 - 1000) + ".." + (T0 + 250_000);
            assertThat(get(s, "api/flame?range=" + all).json().get("total").asLong())
                    .isEqualTo(total(AFTER) + total(BEFORE) + total(AFTER));
        } finally {
            s.stop();
        }
    }

    @Test
    void anEmptyFolderIsServedAndSaysHowToFillIt(@TempDir Path empty) throws Exception {
        ViewerServer s = new ViewerServer(empty, null).start("127.0.0.1", 0);
        try {
            assertThat(s.isFolder()).isTrue();
            assertThat(s.windowCount()).isZero();
            JsonNode h = get(s, "api/history").json();
            assertThat(h.get("empty").asBoolean()).isTrue();
            assertThat(h.get("note").asText()).contains("proflab collect", "--out " + empty);
            JsonNode m = get(s, "api/meta").json();
            assertThat(m.get("history").asBoolean()).isTrue();
            assertThat(m.get("empty").asBoolean()).isTrue();
            ViewerApiTest.Reply f = get(s, "api/flame");
            assertThat(f.status()).isEqualTo(400);
            assertThat(f.json().get("error").asText()).contains("proflab collect");
            assertThat(get(s, "api/timeline").json().get("available").asBoolean()).isFalse();
            // a pprof window written by core's export appears without restarting
            Profile p = ProfileReader.read(BEFORE, ReadOptions.defaults().withEvent("cpu").withAggregate(true));
            Files.createDirectories(empty.resolve("cpu"));
            Files.write(empty.resolve("cpu/cpu_20261126-110000.pb.gz"), Pprof.encode(p));
            assertThat(s.windowCount()).isOne();
            JsonNode pf = get(s, "api/flame").json();
            assertThat(pf.get("total").asLong()).isEqualTo(p.total(p.defaultValueIndex()));
        } finally {
            s.stop();
        }
    }

    @Test
    void aFlatFolderOfProfilesWithoutTimesInTheirNames(@TempDir Path flat) throws Exception {
        Files.copy(BEFORE, flat.resolve("fib-before-cpu.jfr"));
        Files.copy(ALLOC, flat.resolve("alloc-before-alloc.jfr"));
        ViewerServer s = new ViewerServer(flat, null).start("127.0.0.1", 0);
        try {
            JsonNode h = get(s, "api/history").json();
            assertThat(h.get("kinds").findValuesAsText("kind")).containsExactlyInAnyOrder("cpu", "allocs");
            for (JsonNode w : h.get("windows")) {
                assertThat(w.get("time_source").asText()).isEqualTo("profile");
            }
            Profile p = ProfileReader.read(BEFORE);
            JsonNode cpu = get(s, "api/history?kind=cpu").json().get("windows").get(0);
            assertThat(Instant.parse(cpu.get("start").asText())).isEqualTo(p.meta().start());
            assertThat(get(s, "api/flame?kind=cpu").json().get("total").asLong()).isEqualTo(total(BEFORE));
        } finally {
            s.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"api/flame?kind=nope", "api/flame?kind=heap", "api/flame?range=yesterday",
            "api/flame?range=" + 1_800_000_000_000L + ".." + 1_700_000_000_000L, "api/flame?range=0..1000",
            "api/diff/flame?base=x", "api/history?kind=nope", "api/meta?base=0..1"})
    void badSelectionsAre400WithAJsonError(String path) throws Exception {
        ViewerApiTest.Reply r = get(server, path);
        assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isNotBlank();
    }

    @Test
    void aFolderTakesNoBaseFileAndItsEventIsAKind() {
        assertThatThrownBy(() -> new ViewerServer(dir, BEFORE, null)).isInstanceOf(ProfileException.class)
                .hasMessageContaining("--base").hasMessageContaining("folder");
        assertThatThrownBy(() -> new ViewerServer(dir, "nope")).isInstanceOf(ProfileException.class)
                .hasMessageContaining("cpu, heap, allocs");
        ViewerServer s = new ViewerServer(dir, "alloc").start("127.0.0.1", 0);
        try {
            assertThat(get(s, "api/meta").json().get("kind").asText()).isEqualTo("allocs");
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            s.stop();
        }
    }

    @Test
    void theFilePageIsUnchangedAndHasNoHistory() throws Exception {
        ViewerServer s = new ViewerServer(BEFORE, null).start("127.0.0.1", 0);
        try {
            assertThat(s.isFolder()).isFalse();
            assertThat(get(s, "api/history").status()).isEqualTo(404);
            assertThat(get(s, "api/meta").json().has("history")).isFalse();
            assertThat(get(s, "history.js").status()).isEqualTo(200);
        } finally {
            s.stop();
        }
    }
}
