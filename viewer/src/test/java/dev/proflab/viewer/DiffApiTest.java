package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proflab.profile.ProfileException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static dev.proflab.viewer.ViewerApiTest.get;
import static dev.proflab.viewer.ViewerApiTest.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The differential view over real HTTP, on real recordings of the fixture workload: ap-cpu.jfr
 * (methodA 2/3, methodB 1/3, 1 ms), ap-cpu-swapped.jfr (methodA 1/3, methodB 2/3, 1 ms) and
 * ap-cpu-2ms.jfr (as ap-cpu.jfr, 2 ms).
 */
class DiffApiTest {

    static final Path CPU = ViewerApiTest.CPU;
    static final Path LOCK = ViewerApiTest.LOCK;
    static final Path SWAPPED = Path.of("src/test/resources/profiles/ap-cpu-swapped.jfr");
    static final Path CPU_2MS = Path.of("src/test/resources/profiles/ap-cpu-2ms.jfr");
    static final Path JFR_CPU = Path.of("../profile/src/test/resources/profiles/jfr-cpu.jfr");

    /** current: methodA 1/3, methodB 2/3; base: methodA 2/3, methodB 1/3. */
    static ViewerServer swapped;

    @BeforeAll
    static void start() {
        swapped = new ViewerServer(SWAPPED, CPU, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        swapped.stop();
    }

    static void with(Path file, Path base, Consumer<ViewerServer> test) {
        ViewerServer s = new ViewerServer(file, base, null).start("127.0.0.1", 0);
        try {
            test.accept(s);
        } finally {
            s.stop();
        }
    }

    static JsonNode json(ViewerServer s, String path) {
        try {
            ViewerApiTest.Reply r = get(s, path);
            assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(200);
            assertThat(r.contentType()).startsWith("application/json");
            return r.json();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<JsonNode> all(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        out.add(n);
        if (n.has("children")) {
            n.get("children").forEach(c -> out.addAll(all(c)));
        }
        return out;
    }

    static JsonNode row(JsonNode top, String suffix) {
        for (JsonNode r : top.get("rows")) {
            if (r.get("name").asText().endsWith(suffix)) {
                return r;
            }
        }
        throw new AssertionError("no row " + suffix + " in " + top);
    }

    @Test
    void aProfileAgainstItselfHasNoChange() {
        with(CPU, CPU, s -> {
            for (String normalize : List.of("total", "duration")) {
                JsonNode f = json(s, "api/diff/flame?minFraction=0&normalize=" + normalize);
                assertThat(f.get("normalize").asText()).isEqualTo(normalize);
                assertThat(f.get("warnings")).isEmpty();
                assertThat(f.get("base_total").asLong()).isEqualTo(f.get("total").asLong()).isPositive();
                assertThat(f.get("base_samples").asLong()).isEqualTo(f.get("samples").asLong()).isPositive();
                assertThat(all(f.get("root"))).hasSizeGreaterThan(3).allSatisfy(n -> {
                    assertThat(n.get("delta").asDouble()).isZero();
                    assertThat(n.get("significant").asBoolean()).isFalse();
                    assertThat(n.get("base").asLong()).isEqualTo(n.get("total").asLong());
                    assertThat(n.get("base_count").asLong()).isEqualTo(n.get("count").asLong());
                });
                JsonNode t = json(s, "api/diff/top?normalize=" + normalize);
                assertThat(t.get("rows")).hasSizeGreaterThan(3).allSatisfy(r -> {
                    assertThat(r.get("delta_flat").asDouble()).isZero();
                    assertThat(r.get("delta_cum").asDouble()).isZero();
                    assertThat(r.get("significant").asBoolean()).isFalse();
                });
            }
        });
    }

    @Test
    void flameShowsTheChangeOnTheFramesThatChanged() throws Exception {
        JsonNode f = json(swapped, "api/diff/flame");
        assertThat(f.get("event").asText()).isEqualTo("cpu");
        assertThat(f.get("value_type").asText()).isEqualTo("cpu");
        assertThat(f.get("unit").asText()).isEqualTo("nanoseconds");
        assertThat(f.get("normalize").asText()).isEqualTo("total");
        assertThat(f.get("norm_unit").asText()).isEqualTo("share");
        assertThat(f.get("warnings")).isEmpty();
        assertThat(f.get("base_samples").asLong()).isGreaterThan(1000);
        assertThat(f.get("samples").asLong()).isGreaterThan(1000);
        JsonNode root = f.get("root");
        assertThat(root.get("name").asText()).isEqualTo("all");
        assertThat(root.get("kind").asText()).isEqualTo("root");
        assertThat(root.get("base").asLong()).isEqualTo(f.get("base_total").asLong());
        assertThat(root.get("total").asLong()).isEqualTo(f.get("total").asLong());
        assertThat(root.get("norm_base").asDouble()).isEqualTo(1.0);
        assertThat(f.get("nodes").asInt()).isEqualTo(all(root).size());
        assertThat(f.get("depth").asInt()).isPositive();

        List<JsonNode> a = named(root, "Workload.methodA");
        List<JsonNode> b = named(root, "Workload.methodB");
        // methodA is called from Workload.cpu in the base and from Swapped.swappedCpu now: two nodes
        assertThat(a).hasSize(2);
        JsonNode aBefore = a.stream().filter(n -> n.get("base").asLong() > 0).findFirst().orElseThrow();
        JsonNode aNow = a.stream().filter(n -> n.get("total").asLong() > 0).findFirst().orElseThrow();
        assertThat(aBefore.get("total").asLong()).isZero();
        assertThat(aBefore.get("norm_base").asDouble()).isBetween(0.6, 0.72);
        assertThat(aBefore.get("delta").asDouble()).isNegative();
        // one recording a side: the changes are drawn, none is called significant, and the page is told why
        assertThat(aBefore.get("significant").asBoolean()).isFalse();
        assertThat(f.get("limitation").asText()).startsWith("One recording on each side cannot tell a change");
        assertThat(aNow.get("base").asLong()).isZero();
        assertThat(aNow.get("norm_total").asDouble()).isBetween(0.28, 0.4);
        assertThat(aNow.get("delta").asDouble()).isPositive();
        assertThat(aNow.get("category").asText()).isEqualTo("java");
        assertThat(aNow.get("kind").asText()).isIn("jit", "interpreted", "inlined");
        assertThat(aNow.get("color").asText()).matches("#[0-9a-f]{6}");
        assertThat(b).hasSize(2);
        // hiding the callers merges the paths: methodA down by about 1/3, methodB up by as much
        JsonNode h = json(swapped, "api/diff/flame?hide="
                + URLEncoder.encode("^(?!.*Workload\\.method[AB]$)", StandardCharsets.UTF_8));
        JsonNode ha = named(h.get("root"), "Workload.methodA").get(0);
        JsonNode hb = named(h.get("root"), "Workload.methodB").get(0);
        assertThat(ha.get("delta").asDouble()).isBetween(-0.4, -0.26);
        assertThat(ha.get("significant").asBoolean()).isFalse();
        assertThat(hb.get("delta").asDouble()).isBetween(0.26, 0.4);
        assertThat(hb.get("significant").asBoolean()).isFalse();
        assertThat(ha.get("base_count").asLong()).isGreaterThan(ha.get("count").asLong());
    }

    @Test
    void topListsTheLargestChangeFirst() {
        JsonNode t = json(swapped, "api/diff/top");
        assertThat(t.get("normalize").asText()).isEqualTo("total");
        assertThat(t.get("current").get("unit").asText()).isEqualTo("nanoseconds");
        assertThat(t.get("limitation").asText()).startsWith("One recording on each side");
        assertThat(t.get("warnings")).isEmpty();
        JsonNode rows = t.get("rows");
        assertThat(List.of(rows.get(0).get("name").asText(), rows.get(1).get("name").asText()))
                .anyMatch(n -> n.endsWith("Workload.methodA")).anyMatch(n -> n.endsWith("Workload.methodB"));
        JsonNode a = row(t, "Workload.methodA");
        assertThat(a.get("norm_base_flat").asDouble()).isBetween(0.6, 0.72);
        assertThat(a.get("norm_flat").asDouble()).isBetween(0.28, 0.4);
        assertThat(a.get("delta_flat").asDouble())
                .isCloseTo(a.get("norm_flat").asDouble() - a.get("norm_base_flat").asDouble(), within(1e-12))
                .isNegative();
        assertThat(a.get("significant").asBoolean()).isFalse();
        assertThat(a.get("q_value").isNull()).as("no p-value from one run").isTrue();
        JsonNode b = row(t, "Workload.methodB");
        assertThat(b.get("delta_flat").asDouble()).isPositive();
        assertThat(b.get("delta_cum").asDouble()).isPositive();
        // a function only in the base, one only in the current profile
        JsonNode gone = row(t, "Workload.cpu");
        assertThat(gone.get("base_cum").asLong()).isPositive();
        assertThat(gone.get("cum").asLong()).isZero();
        assertThat(gone.get("delta_cum").asDouble()).isLessThan(-0.9);
        JsonNode added = row(t, "Swapped.swappedCpu");
        assertThat(added.get("base_cum").asLong()).isZero();
        assertThat(added.get("norm_cum").asDouble()).isGreaterThan(0.9);
        // sorted by |delta_flat|
        double prev = Double.MAX_VALUE;
        for (JsonNode r : rows) {
            double d = Math.abs(r.get("delta_flat").asDouble());
            assertThat(d).isLessThanOrEqualTo(prev);
            prev = d;
        }
        assertThat(json(swapped, "api/diff/top?n=2").get("rows")).hasSize(2);
        // the other way round, the signs turn
        with(CPU, SWAPPED, s -> assertThat(row(json(s, "api/diff/top"), "Workload.methodA")
                .get("delta_flat").asDouble()).isPositive());
    }

    @Test
    void filtersApplyToBothSides() {
        JsonNode focus = json(swapped, "api/diff/top?focus=methodB");
        assertThat(focus.get("rows").findValuesAsText("name")).noneMatch(n -> n.endsWith("methodA"));
        JsonNode b = row(focus, "Workload.methodB");
        // shares of each whole profile (pprof's total, before the filters): methodB's third became two thirds
        assertThat(b.get("norm_base_cum").asDouble()).isBetween(0.28, 0.4);
        assertThat(b.get("norm_cum").asDouble()).isBetween(0.6, 0.72);
        JsonNode ignore = json(swapped, "api/diff/flame?ignore=methodB");
        assertThat(named(ignore.get("root"), "methodB")).isEmpty();
        JsonNode early = json(swapped, "api/diff/flame?from=0&to=500000000");
        JsonNode whole = json(swapped, "api/diff/flame");
        assertThat(early.get("samples").asLong()).isPositive().isLessThan(whole.get("samples").asLong() * 2 / 3);
        assertThat(early.get("base_samples").asLong()).isPositive().isLessThan(whole.get("base_samples").asLong() * 2 / 3);
        JsonNode empty = json(swapped, "api/diff/flame?from=5&to=5");
        assertThat(empty.get("total").asLong()).isZero();
        assertThat(empty.get("base_total").asLong()).isZero();
        assertThat(empty.get("root").get("delta").asDouble()).isZero();
        JsonNode late = json(swapped, "api/diff/top?from=1480000000");
        assertThat(late.get("limitation").asText()).contains("samples, fewer than the 100");
        JsonNode samples = json(swapped, "api/diff/flame?sampleIndex=samples");
        assertThat(samples.get("value_type").asText()).isEqualTo("samples");
        assertThat(samples.get("total").asLong()).isEqualTo(samples.get("samples").asLong());
    }

    @Test
    void durationNormalisesPerSecond() {
        JsonNode f = json(swapped, "api/diff/flame?normalize=duration");
        assertThat(f.get("normalize").asText()).isEqualTo("duration");
        assertThat(f.get("norm_unit").asText()).isEqualTo("nanoseconds/s");
        // one busy thread for 1.5 s: about a second of CPU per second on both sides
        assertThat(f.get("root").get("norm_base").asDouble()).isBetween(0.7e9, 1.3e9);
        assertThat(f.get("root").get("norm_total").asDouble()).isBetween(0.7e9, 1.3e9);
    }

    @Test
    void warningsSayWhenTheRecordingsDiffer() {
        with(CPU_2MS, CPU, s -> {
            JsonNode f = json(s, "api/diff/flame");
            assertThat(f.get("warnings")).hasSize(1);
            assertThat(f.get("warnings").get(0).asText())
                    .contains("Different sampling intervals", "ap-cpu.jfr 1ms", "ap-cpu-2ms.jfr 2ms", "not comparable");
            // the same workload: per second of CPU, much the same
            JsonNode a = row(json(s, "api/diff/top?normalize=duration"), "Workload.methodA");
            assertThat(a.get("norm_flat").asDouble() / a.get("norm_base_flat").asDouble()).isBetween(0.8, 1.25);
        });
        with(JFR_CPU, CPU, s -> assertThat(json(s, "api/diff/top").get("warnings").toString())
                .contains("Different engines", "ap-cpu.jfr was recorded by async-profiler", "jfr-cpu.jfr by jfr"));
        with(LOCK, LOCK, s -> assertThat(json(s, "api/diff/flame?event=lock").get("limitation").asText())
                .contains("samples, fewer than the 100"));
    }

    @Test
    void aBaseWithoutTheEventIs400NamingItsEvents() throws Exception {
        with(JFR_CPU, CPU, s -> {
            try {
                ViewerApiTest.Reply r = get(s, "api/diff/flame?event=cpu-time");
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.json().get("error").asText())
                        .isEqualTo("event: --base " + CPU + " has no cpu-time samples: it records cpu");
                assertThat(get(s, "api/diff/top?event=cpu-time").status()).isEqualTo(400);
                JsonNode m = get(s, "api/meta?event=cpu-time").json();
                assertThat(m.get("base").get("event").isNull()).isTrue();
                assertThat(m.get("base").get("events").findValuesAsText("name")).containsExactly("cpu");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    static final Path OPS_BASE = Path.of("../profile/src/test/resources/profiles/diff/a01.jfr");
    static final Path OPS_NEW = Path.of("../profile/src/test/resources/profiles/diff/b01.jfr");

    /** Both recordings have FILE.ops.json (600 and 400 operations): the values are per operation. */
    @Test
    void perOperationWhenBothSidesHaveACount() {
        with(OPS_NEW, OPS_BASE, s -> {
            JsonNode t = json(s, "api/diff/top?normalize=ops&n=0");
            assertThat(t.get("normalize").asText()).isEqualTo("ops");
            assertThat(t.get("norm_unit").asText()).isEqualTo("nanoseconds/op");
            assertThat(t.get("base_operations").get("count").asLong()).isEqualTo(600);
            assertThat(t.get("operations").get("count").asLong()).isEqualTo(400);
            JsonNode r = row(t, "Workload.checksum");
            assertThat(r.get("norm_base_flat").asDouble()).isCloseTo(r.get("base_flat").asLong() / 600.0, within(1e-6));
            assertThat(r.get("norm_flat").asDouble()).isCloseTo(r.get("flat").asLong() / 400.0, within(1e-6));
            assertThat(r.get("delta_flat").asDouble()).isCloseTo(r.get("flat").asLong() / 400.0
                    - r.get("base_flat").asLong() / 600.0, within(1e-6));
            JsonNode f = json(s, "api/diff/flame?normalize=ops&minFraction=0");
            assertThat(f.get("norm_unit").asText()).isEqualTo("nanoseconds/op");
            assertThat(f.get("root").get("norm_total").asDouble())
                    .isCloseTo(f.get("total").asLong() / 400.0, within(1e-6));
            // a function's sandwich compared per operation too, and bottom-up with the same counts
            JsonNode sw = json(s, "api/diff/sandwich?fn=" + java.net.URLEncoder.encode("Workload.checksum",
                    java.nio.charset.StandardCharsets.UTF_8) + "&normalize=ops&minFraction=0");
            assertThat(sw.get("norm_unit").asText()).isEqualTo("nanoseconds/op");
            assertThat(sw.get("callees").get("norm_total").asDouble())
                    .isCloseTo(sw.get("callees").get("total").asLong() / 400.0, within(1e-6));
            JsonNode up = json(s, "api/diff/top?normalize=ops&n=0&inverted=1");
            assertThat(up.get("operations").get("count").asLong()).isEqualTo(400);
        });
    }

    @Test
    void perOperationWithoutACountIs400SayingWhichSide() throws Exception {
        for (String path : List.of("api/diff/top?normalize=ops", "api/diff/flame?normalize=ops")) {
            ViewerApiTest.Reply r = get(swapped, path);
            assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("normalize: ops needs the operation count of both"
                    + " sides, and ap-cpu.jfr has none (no ap-cpu.jfr.ops.json beside it)");
        }
        with(JFR_CPU, OPS_BASE, s -> {
            try {
                ViewerApiTest.Reply r = get(s, "api/diff/top?normalize=ops");
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.json().get("error").asText()).contains("jfr-cpu.jfr has none");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void metaDescribesTheBase() throws Exception {
        JsonNode m = get(swapped, "api/meta").json();
        assertThat(m.get("file").asText()).isEqualTo("ap-cpu-swapped.jfr");
        JsonNode b = m.get("base");
        assertThat(b.get("file").asText()).isEqualTo("ap-cpu.jfr");
        assertThat(b.get("path").asText()).isEqualTo(CPU.toString());
        assertThat(b.get("engine").asText()).isEqualTo("async-profiler");
        assertThat(b.get("jdk").asText()).isNotBlank();
        assertThat(b.get("event").asText()).isEqualTo("cpu");
        assertThat(b.get("interval").asLong()).isEqualTo(1_000_000);
        assertThat(b.get("duration_seconds").asDouble()).isBetween(1.0, 2.0);
        assertThat(b.get("samples").asLong()).isPositive();
        assertThat(b.get("events").get(0).get("name").asText()).isEqualTo("cpu");
        assertThat(b.get("events").get(0).get("count").asLong()).isPositive();
        assertThat(b.get("events").get(0).has("detail")).isTrue();
        ViewerServer plain = new ViewerServer(CPU, null).start("127.0.0.1", 0);
        try {
            JsonNode pm = get(plain, "api/meta").json();
            assertThat(pm.has("base")).isTrue();
            assertThat(pm.get("base").isNull()).isTrue();
        } finally {
            plain.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "api/diff/flame?focus=(", "api/diff/top?ignore=[", "api/diff/flame?hide=(", "api/diff/top?thread=*",
            "api/diff/flame?focus=no-such-function", "api/diff/top?thread=no-such-thread",
            "api/diff/flame?event=nope", "api/diff/top?event=alloc", "api/diff/flame?sampleIndex=bytes",
            "api/diff/flame?normalize=share", "api/diff/top?normalize=1", "api/diff/flame?minFraction=2",
            "api/diff/flame?minFraction=x", "api/diff/flame?from=-1", "api/diff/top?from=x", "api/diff/top?to=1s",
            "api/diff/flame?from=9&to=3", "api/diff/top?n=-1", "api/diff/top?n=x"})
    void badParametersAre400WithOneLine(String path) throws Exception {
        ViewerApiTest.Reply r = get(swapped, path);
        assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().get("error").asText()).isNotBlank().doesNotContain("\n");
        assertThat(get(swapped, "api/diff/top").status()).isEqualTo(200);
    }

    @Test
    void withoutABaseTheDiffIs404() throws Exception {
        ViewerServer plain = new ViewerServer(CPU, null).start("127.0.0.1", 0);
        try {
            for (String path : List.of("api/diff/flame", "api/diff/top?n=5&focus=methodA")) {
                ViewerApiTest.Reply r = get(plain, path);
                assertThat(r.status()).isEqualTo(404);
                assertThat(r.contentType()).startsWith("application/json");
                assertThat(r.json().get("error").asText())
                        .isEqualTo("no --base profile: start with proflab view FILE --base BASE");
            }
        } finally {
            plain.stop();
        }
    }

    @Test
    void aBadBaseFailsBeforeListening() {
        assertThatThrownBy(() -> new ViewerServer(CPU, Path.of("no/such.jfr"), null))
                .isInstanceOf(ProfileException.class).hasMessage("no/such.jfr: no such file");
        assertThatThrownBy(() -> new ViewerServer(CPU, Path.of("pom.xml"), null))
                .isInstanceOf(ProfileException.class).hasMessageContaining("pom.xml: not a JFR recording");
        assertThatThrownBy(() -> new ViewerServer(CPU, LOCK, null))
                .isInstanceOf(ProfileException.class)
                .hasMessage("--base " + LOCK + " records wall, lock; " + CPU + " records cpu: nothing to compare");
    }
}
