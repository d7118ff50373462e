package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.report.Inverted;
import dev.proflab.report.Sandwich;
import dev.proflab.report.Selection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.proflab.viewer.ViewerApiTest.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/sandwich} and {@code /api/flame?inverted=1} over real HTTP, on the fib lab's recording (a recursive
 * {@code Fib.recursive}), in the three modes: one file, a file with a base, a folder.
 */
class SandwichApiTest {

    static final Path FIB = Path.of("src/test/resources/profiles/fib-before-cpu.jfr");
    static final Path FIB_AFTER = Path.of("src/test/resources/profiles/fib-after-cpu.jfr");
    static final String RECURSIVE = "dev.proflab.labs.fib.Fib.recursive";
    static final String RUN = "dev.proflab.labs.Run.run";

    @TempDir
    static Path dir;
    static ViewerServer file;
    static ViewerServer diff;
    static ViewerServer folder;

    @BeforeAll
    static void start() throws Exception {
        file = new ViewerServer(FIB, null).start("127.0.0.1", 0);
        diff = new ViewerServer(FIB_AFTER, FIB, null).start("127.0.0.1", 0);
        HistoryApiTest.window(dir, FIB, "cpu", 0, "jfr");
        HistoryApiTest.window(dir, FIB_AFTER, "cpu", 1, "jfr");
        folder = new ViewerServer(dir, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        file.stop();
        diff.stop();
        folder.stop();
    }

    static String fn(String name) {
        return "fn=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    static JsonNode topRow(ViewerServer s, String query, String name) throws Exception {
        for (JsonNode r : get(s, "api/top?n=0&" + query).json()) {
            if (r.get("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError(name + " not in top");
    }

    static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        out.add(n.get("name").asText());
        if (n.has("children")) {
            n.get("children").forEach(c -> out.addAll(names(c)));
        }
        return out;
    }

    @Test
    void thePageLoadsTheSandwichScriptAndStyle() throws Exception {
        assertThat(get(file, "").body()).contains("<script src=\"sandwich.js\"></script>", "href=\"sandwich.css\"",
                "id=\"sandwich-callers\"", "id=\"sandwich-callees\"", "id=\"inverted\"");
        ViewerApiTest.Reply js = get(file, "sandwich.js");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.contentType()).startsWith("text/javascript");
        assertThat(js.body()).contains("'api/sandwich?'", "'api/diff/sandwich?'");
        assertThat(get(file, "sandwich.css").contentType()).startsWith("text/css");
    }

    @Test
    void theSandwichOfARecursiveFunctionCountsEachSampleOnce() throws Exception {
        ViewerApiTest.Reply r = get(file, "api/sandwich?" + fn(RECURSIVE));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode s = r.json();
        assertThat(s.get("function").asText()).isEqualTo(RECURSIVE);
        assertThat(s.get("unit").asText()).isEqualTo("nanoseconds");
        long cum = topRow(file, "", RECURSIVE).get("cum").asLong();
        assertThat(cum).isPositive();
        // the function's cum, in both trees, though most stacks have it hundreds of times
        assertThat(s.get("total").asLong()).isEqualTo(cum);
        assertThat(s.get("callers").get("total").asLong()).isEqualTo(cum);
        assertThat(s.get("callees").get("total").asLong()).isEqualTo(cum);
        assertThat(s.get("callers").get("name").asText()).isEqualTo(RECURSIVE);
        assertThat(s.get("callers").get("kind").asText()).isNotEqualTo("root");
        // callers: cut at the outermost call, so no recursion above it; up to Run.main
        assertThat(names(s.get("callers")).subList(1, names(s.get("callers")).size())).doesNotContain(RECURSIVE)
                .contains("dev.proflab.labs.Run.main");
        // callees: the recursion itself
        assertThat(names(s.get("callees").get("children").get(0))).contains(RECURSIVE);
        // the report's numbers, rendered
        Profile p = ProfileReader.read(FIB);
        Sandwich.Result want = Sandwich.compute(p, Selection.all(), RECURSIVE, ViewerServer.MIN_FRACTION).orElseThrow();
        assertThat(s.get("nodes").asInt()).isEqualTo(want.nodes());
        assertThat(s.get("callees").get("self").asLong()).isEqualTo(want.callees().self());
        assertThat(s.get("callees").get("children").get(0).get("total").asLong())
                .isEqualTo(want.callees().children().get(0).total());
    }

    @Test
    void theFiltersApply() throws Exception {
        String q = "focus=" + URLEncoder.encode("Fib\\.recursive", StandardCharsets.UTF_8) + "&sampleIndex=samples";
        JsonNode s = get(file, "api/sandwich?" + fn(RUN) + "&" + q).json();
        assertThat(s.get("unit").asText()).isEqualTo("count");
        assertThat(s.get("total").asLong()).isEqualTo(topRow(file, q, RUN).get("cum").asLong())
                .isLessThan(topRow(file, "sampleIndex=samples", RUN).get("cum").asLong());
        // minFraction=0 keeps every node; 1 keeps only the nodes with all of the function's value
        JsonNode all = get(file, "api/sandwich?" + fn(RECURSIVE) + "&minFraction=0").json();
        JsonNode some = get(file, "api/sandwich?" + fn(RECURSIVE) + "&minFraction=0.05").json();
        JsonNode full = get(file, "api/sandwich?" + fn(RECURSIVE) + "&minFraction=1").json();
        assertThat(all.get("nodes").asInt()).isGreaterThan(some.get("nodes").asInt());
        assertThat(full.get("nodes").asInt()).isLessThan(some.get("nodes").asInt());
        long total = full.get("total").asLong();
        for (String side : List.of("callers", "callees")) {
            for (JsonNode n = full.get(side); n != null; n = n.has("children") ? n.get("children").get(0) : null) {
                assertThat(n.get("total").asLong()).isEqualTo(total);
                assertThat(n.has("children") ? n.get("children").size() : 1).isEqualTo(1);
            }
        }
    }

    @Test
    void anUnknownFunctionIs404AndBadParametersAre400() throws Exception {
        ViewerApiTest.Reply r = get(file, "api/sandwich?" + fn("no.Such.method"));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").asText()).isEqualTo("fn: no sample has no.Such.method on its stack");
        // a prefix of a name is not that name
        assertThat(get(file, "api/sandwich?" + fn("dev.proflab.labs.fib.Fib.")).status()).isEqualTo(404);
        // filtered away
        ViewerApiTest.Reply f = get(file, "api/sandwich?" + fn(RECURSIVE) + "&ignore=Fib");
        assertThat(f.status()).isEqualTo(404);
        assertThat(f.json().get("error").asText()).contains("under the filters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"api/sandwich", "api/sandwich?fn=", "api/sandwich?fn=a&minFraction=2",
            "api/sandwich?fn=a&focus=(", "api/sandwich?fn=a&from=-1", "api/sandwich?fn=a&sampleIndex=bogus",
            "api/flame?inverted=2", "api/flame?inverted=yes", "api/diff/flame?inverted=x"})
    void badRequestsAreOneLine400s(String path) throws Exception {
        ViewerServer s = path.startsWith("api/diff") ? diff : file;
        ViewerApiTest.Reply r = get(s, path);
        assertThat(r.status()).as(path).isEqualTo(400);
        assertThat(r.json().get("error").asText()).doesNotContain("\n", "Exception");
    }

    @Test
    void invertedFlameStartsWithTheRunningFrames() throws Exception {
        JsonNode up = get(file, "api/flame?inverted=1&minFraction=0").json();
        JsonNode down = get(file, "api/flame?inverted=0&minFraction=0").json();
        assertThat(up.get("total").asLong()).isEqualTo(down.get("total").asLong());
        // the root's children are where the time was spent: flat, not cum
        JsonNode first = up.get("root").get("children");
        long recursive = 0;
        for (JsonNode c : first) {
            assertThat(c.get("name").asText()).isNotEqualTo("dev.proflab.labs.Run.main");
            if (c.get("name").asText().equals(RECURSIVE)) {
                recursive = c.get("total").asLong();
            }
        }
        assertThat(recursive).isEqualTo(topRow(file, "", RECURSIVE).get("flat").asLong());
        // as the flame graph of the profile turned over
        Profile inv = Inverted.of(ProfileReader.read(FIB));
        JsonNode want = ViewerApiTest.MAPPER.readTree(ViewerApiTest.MAPPER.writeValueAsString(FlameJson.render(
                dev.proflab.report.Flame.compute(inv, Selection.all().withSampleIndex(String.valueOf(inv.defaultValueIndex())), 0))));
        assertThat(up.get("root")).isEqualTo(want.get("root"));
        assertThat(up.get("nodes").asInt()).isEqualTo(want.get("nodes").asInt());
        // filters apply to the stacks as they are
        JsonNode focused = get(file, "api/flame?inverted=1&focus=String.format").json();
        assertThat(focused.get("root").get("total").asLong()).isEqualTo(topRow(file, "", "java.lang.String.format")
                .get("cum").asLong());
    }

    @Test
    void aComparisonInvertsBothSidesAndTheSandwichIsOfTheCurrentProfile() throws Exception {
        JsonNode d = get(diff, "api/diff/flame?inverted=1&minFraction=0").json();
        JsonNode top = get(diff, "api/diff/flame?minFraction=0").json();
        assertThat(d.get("total").asLong()).isEqualTo(top.get("total").asLong());
        assertThat(d.get("base_total").asLong()).isEqualTo(top.get("base_total").asLong());
        // the base (recursive fib) spent its time in Fib.recursive: a root child of the inverted comparison
        JsonNode rec = null;
        for (JsonNode c : d.get("root").get("children")) {
            if (c.get("name").asText().equals(RECURSIVE)) {
                rec = c;
            }
        }
        assertThat(rec).isNotNull();
        assertThat(rec.get("base").asLong()).isEqualTo(topRow(file, "", RECURSIVE).get("flat").asLong());
        // the sandwich of a file with a base: the current file's
        JsonNode s = get(diff, "api/sandwich?" + fn(RUN)).json();
        assertThat(s.get("total").asLong()).isEqualTo(topRow(diff, "", RUN).get("cum").asLong());
    }

    @Test
    void theSandwichOfAComparisonComparesBothSidesTrees() throws Exception {
        ViewerApiTest.Reply r = get(diff, "api/diff/sandwich?" + fn(RUN) + "&minFraction=0");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode s = r.json();
        long baseCum = topRow(file, "", RUN).get("cum").asLong();
        long cum = topRow(diff, "", RUN).get("cum").asLong();
        assertThat(s.get("function").asText()).isEqualTo(RUN);
        assertThat(s.get("base_total").asLong()).isEqualTo(baseCum);
        assertThat(s.get("total").asLong()).isEqualTo(cum);
        for (String side : List.of("callers", "callees")) {
            JsonNode root = s.get(side);
            assertThat(root.get("name").asText()).isEqualTo(RUN);
            assertThat(root.get("base").asLong()).isEqualTo(baseCum);
            assertThat(root.get("total").asLong()).isEqualTo(cum);
            assertThat(root.has("delta")).isTrue();
        }
        // below Run.run: the recursive fib of the base is gone, the memo of the current came
        List<String> below = names(s.get("callees"));
        JsonNode rec = null;
        JsonNode memo = null;
        for (JsonNode n : s.get("callees").findParents("name")) {
            if (n.get("name").asText().equals(RECURSIVE) && rec == null) {
                rec = n;
            }
            if (n.get("name").asText().equals("dev.proflab.labs.fib.Fib.memo") && memo == null) {
                memo = n;
            }
        }
        assertThat(below).contains(RECURSIVE, "dev.proflab.labs.fib.Fib.memo");
        assertThat(rec.get("base").asLong()).isPositive();
        assertThat(rec.get("total").asLong()).isZero();
        assertThat(memo.get("base").asLong()).isZero();
        assertThat(memo.get("total").asLong()).isPositive();
        // a function of the base only: its sandwich, with nothing on the current side
        JsonNode gone = get(diff, "api/diff/sandwich?" + fn(RECURSIVE)).json();
        assertThat(gone.get("total").asLong()).isZero();
        assertThat(gone.get("base_total").asLong()).isEqualTo(topRow(file, "", RECURSIVE).get("cum").asLong());
        // a filter that matches in one profile only, as the compared flame graph takes it
        JsonNode memoOnly = get(diff, "api/diff/sandwich?" + fn(RUN) + "&focus=Fib%5C.memo").json();
        assertThat(memoOnly.get("base_total").asLong()).isZero();
        assertThat(memoOnly.get("total").asLong()).isPositive();
        // neither has it, or there is no base
        ViewerApiTest.Reply none = get(diff, "api/diff/sandwich?" + fn("no.Such.method"));
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.json().get("error").asText()).isEqualTo("fn: no sample of either profile has no.Such.method on its stack");
        assertThat(get(file, "api/diff/sandwich?" + fn(RUN)).status()).isEqualTo(404);
        assertThat(get(diff, "api/diff/sandwich").status()).isEqualTo(400);
        // a folder's two ranges
        JsonNode f = get(folder, "api/diff/sandwich?" + fn(RUN) + "&kind=cpu&range=" + HistoryApiTest.at(1)
                + "&base=" + HistoryApiTest.at(0)).json();
        assertThat(f.get("base_total").asLong()).isEqualTo(baseCum);
        assertThat(f.get("total").asLong()).isEqualTo(cum);
    }

    @Test
    void aFolderAnswersForTheWindowsPicked() throws Exception {
        String w0 = "kind=cpu&range=" + HistoryApiTest.at(0);
        JsonNode s = get(folder, "api/sandwich?" + fn(RECURSIVE) + "&" + w0).json();
        assertThat(s.get("total").asLong()).isEqualTo(topRow(file, "", RECURSIVE).get("cum").asLong());
        JsonNode inv = get(folder, "api/flame?inverted=1&minFraction=0&" + w0).json();
        assertThat(inv.get("root")).isEqualTo(get(file, "api/flame?inverted=1&minFraction=0").json().get("root"));
        // the after window has no recursive fib
        assertThat(get(folder, "api/sandwich?" + fn(RECURSIVE) + "&kind=cpu&range=" + HistoryApiTest.at(1)).status())
                .isEqualTo(404);
        // comparing two windows: inverted too
        JsonNode d = get(folder, "api/diff/flame?inverted=1&" + "kind=cpu&range=" + HistoryApiTest.at(1)
                + "&base=" + HistoryApiTest.at(0)).json();
        assertThat(d.get("root").get("children").findValuesAsText("name")).contains(RECURSIVE);
    }
}
