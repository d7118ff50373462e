package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.MouseButton;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Sandwich tab and the inverted flame graph in a real browser, on the fib lab's recording (a recursive
 * {@code Fib.recursive}): what the page draws is what {@code /api/sandwich} and {@code /api/flame?inverted=1} say.
 */
@Tag("slow")
class SandwichBrowserTest extends BrowserTest {

    static final String RECURSIVE = SandwichApiTest.RECURSIVE;
    static final String RUN = SandwichApiTest.RUN;
    static ViewerServer fib;
    static ViewerServer diff;

    @BeforeAll
    static void startServers() {
        fib = new ViewerServer(SandwichApiTest.FIB, null).start("127.0.0.1", 0);
        diff = new ViewerServer(SandwichApiTest.FIB_AFTER, SandwichApiTest.FIB, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopServers() {
        stop(fib, diff);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> sandwich() {
        return (Map<String, Object>) page.evaluate("() => window.proflabView.sandwich");
    }

    private void waitForSandwich(String function) {
        page.waitForFunction("f => window.proflabView.sandwich && window.proflabView.sandwich.function === f",
                function);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> side(String which) {
        return (Map<String, Object>) sandwich().get(which);
    }

    /** The middle of the widest frame named like {@code name} in the main graph or a sandwich graph, in the page. */
    private double[] at(String canvas, String side, String name) {
        @SuppressWarnings("unchecked")
        Map<String, Object> box = (Map<String, Object>) (side == null
                ? page.evaluate("n => window.proflabView.frameBox(n)", name)
                : page.evaluate("a => window.proflabView.sandwichBox(a[0], a[1])", List.of(side, name)));
        assertThat(box).as(name + " drawn in " + canvas).isNotNull();
        BoundingBox c = page.locator(canvas).boundingBox();
        return new double[] {c.x + ((Number) box.get("x")).doubleValue() + ((Number) box.get("w")).doubleValue() / 2,
                c.y + ((Number) box.get("y")).doubleValue() + ROW / 2.0, ((Number) box.get("y")).doubleValue()};
    }

    static final int ROW = 18;

    /** The API's children of a sandwich side, as the page exposes them: name and total. */
    private static List<Map<String, Object>> children(JsonNode side) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (side.has("children")) {
            side.get("children").forEach(c -> out.add(Map.of("name", c.get("name").asText(),
                    "total", c.get("total").asLong())));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> pageChildren(Map<String, Object> side) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> c : (List<Map<String, Object>>) side.get("children")) {
            out.add(Map.of("name", c.get("name"), "total", ((Number) c.get("total")).longValue()));
        }
        return out;
    }

    @Test
    void aRightClickOnAFrameOpensItsSandwichWithTheApisNumbers() throws Exception {
        openView(fib);
        double[] p = at("#flame", null, "Fib.recursive");
        page.mouse().click(p[0], p[1], new com.microsoft.playwright.Mouse.ClickOptions().setButton(MouseButton.RIGHT));
        waitForSandwich(RECURSIVE);
        assertThat(page.locator("#tab-sandwich").isVisible()).isTrue();
        assertThat(page.locator("#tab-top").isHidden()).isTrue();

        JsonNode api = ViewerApiTest.get(fib, "api/sandwich?" + SandwichApiTest.fn(RECURSIVE)).json();
        Map<String, Object> s = sandwich();
        assertThat(((Number) s.get("total")).longValue()).isEqualTo(api.get("total").asLong());
        assertThat(((Number) side("callers").get("total")).longValue()).isEqualTo(api.get("callers").get("total").asLong());
        assertThat(pageChildren(side("callers"))).isEqualTo(children(api.get("callers")));
        assertThat(pageChildren(side("callees"))).isEqualTo(children(api.get("callees")));
        @SuppressWarnings("unchecked")
        List<String> callers = (List<String>) side("callers").get("drawn");
        assertThat(callers).contains("dev.proflab.labs.Run.main");
        assertThat(callers.subList(1, callers.size())).doesNotContain(RECURSIVE);
        assertThat(page.locator("#sandwich-info").textContent()).contains(RECURSIVE, "callers above, callees below");

        // the function's bar: at the bottom of the callers (upside down), at the top of the callees
        double callersHeight = ((Number) page.evaluate(
                "() => parseFloat(document.getElementById('sandwich-callers').style.height)")).doubleValue();
        assertThat(at("#sandwich-callers", "callers", "Fib.recursive")[2]).isEqualTo(callersHeight - 2 - ROW);
        assertThat(at("#sandwich-callees", "callees", "Fib.recursive")[2]).isZero();
        screenshot("viewer-sandwich.png");

        // a click zooms the callees on the recursive call below the function; the callers stay
        double[] inner = at("#sandwich-callees", "callees", "Fib.recursive");
        double[] child = {inner[0], inner[1] + ROW};
        page.mouse().click(child[0], child[1]);
        page.waitForFunction("() => window.proflabView.sandwich.callees.zoomDepth === 1");
        assertThat(side("callees").get("zoom")).isEqualTo(RECURSIVE);
        assertThat(((Number) side("callers").get("zoomDepth")).intValue()).isZero();
        page.click("#sandwich-reset");
        assertThat(((Number) side("callees").get("zoomDepth")).intValue()).isZero();

        // and back to the table
        page.click("#sandwich-back");
        assertThat(page.locator("#tab-top").isVisible()).isTrue();
        assertThat(page.locator("#tab-sandwich").isHidden()).isTrue();
    }

    @Test
    void aRowOfTopOpensItsSandwichToo() throws Exception {
        openView(fib);
        page.locator("#top tbody tr[data-name='" + RUN + "']").click(
                new com.microsoft.playwright.Locator.ClickOptions().setButton(MouseButton.RIGHT));
        waitForSandwich(RUN);
        JsonNode api = ViewerApiTest.get(fib, "api/sandwich?" + SandwichApiTest.fn(RUN)).json();
        assertThat(((Number) sandwich().get("total")).longValue()).isEqualTo(api.get("total").asLong());
        assertThat(pageChildren(side("callees"))).isEqualTo(children(api.get("callees")));
        // a filter applies to the sandwich as to the rest of the page
        filter("focus", "String\\.format");
        page.waitForFunction("() => window.proflabView.sandwich && window.proflabView.sandwich.total < "
                + api.get("total").asLong());
        JsonNode focused = ViewerApiTest.get(fib, "api/sandwich?" + SandwichApiTest.fn(RUN) + "&focus=String%5C.format")
                .json();
        assertThat(((Number) sandwich().get("total")).longValue()).isEqualTo(focused.get("total").asLong());
    }

    @Test
    void aLinkOpensTheSandwichItNames() {
        openView(fib, "#sandwich=" + RECURSIVE);
        waitForSandwich(RECURSIVE);
        assertThat(page.locator("#tab-sandwich").isVisible()).isTrue();
        // another function's sandwich (a right-click in the sandwich) is the link now
        double[] p = at("#sandwich-callers", "callers", "Run.run");
        page.mouse().click(p[0], p[1], new com.microsoft.playwright.Mouse.ClickOptions().setButton(MouseButton.RIGHT));
        waitForSandwich(RUN);
        assertThat(page.url()).contains("sandwich=" + RUN);
        page.click("#sandwich-back");
        assertThat(page.url()).doesNotContain("sandwich=");
        assertThat(page.locator("#tab-sandwich").isHidden()).isTrue();
        // a changed hash is followed
        page.evaluate("n => { location.hash = 'sandwich=' + encodeURIComponent(n); }", RECURSIVE);
        waitForSandwich(RECURSIVE);
        assertThat(page.locator("#tab-sandwich").isVisible()).isTrue();
    }

    @Test
    void theInvertedToggleDrawsTheTreeBottomUpAndIsRemembered() {
        openView(fib);
        double topDown = at("#flame", null, "Fib.recursive")[2];
        assertThat(topDown).isGreaterThan(ROW);   // under Run.main and the rest
        reloading(() -> page.click("#inverted"));
        assertThat(page.url()).contains("inverted=1");
        // bottom-up: where the time went is right under the root
        assertThat(at("#flame", null, "Fib.recursive")[2]).isEqualTo(ROW);
        assertThat(page.locator("#summary").textContent()).contains("bottom-up");
        assertThat(page.locator("#flame").getAttribute("data-inverted")).isEqualTo("true");
        screenshot("viewer-inverted.png");

        page.reload();
        page.waitForFunction("() => window.proflabView && window.proflabView.ready");
        assertThat(page.locator("#inverted").isChecked()).isTrue();
        assertThat(at("#flame", null, "Fib.recursive")[2]).isEqualTo(ROW);

        reloading(() -> page.click("#inverted"));
        assertThat(page.url()).doesNotContain("inverted=1");
        assertThat(at("#flame", null, "Fib.recursive")[2]).isEqualTo(topDown);
    }

    @Test
    void inAComparisonTheSandwichComparesAndTheDifferenceInverts() throws Exception {
        openView(diff, "#mode=diff");
        reloading(() -> page.click("#inverted"));
        // the base's recursive fib: right under the root of the inverted comparison
        assertThat(at("#flame", null, "Fib.recursive")[2]).isEqualTo(ROW);
        page.locator("#top tbody tr[data-name='" + RUN + "']").click(
                new com.microsoft.playwright.Locator.ClickOptions().setButton(MouseButton.RIGHT));
        waitForSandwich(RUN);
        JsonNode api = ViewerApiTest.get(diff, "api/diff/sandwich?" + SandwichApiTest.fn(RUN)).json();
        Map<String, Object> s = sandwich();
        assertThat(s.get("compared")).isEqualTo(true);
        assertThat(((Number) s.get("total")).longValue()).isEqualTo(api.get("total").asLong());
        assertThat(((Number) s.get("base")).longValue()).isEqualTo(api.get("base_total").asLong());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> callees = (List<Map<String, Object>>) side("callees").get("children");
        List<String> apiNames = new ArrayList<>();
        api.get("callees").get("children").forEach(c -> apiNames.add(c.get("name").asText()));
        assertThat(callees).extracting(c -> (String) c.get("name")).isEqualTo(apiNames);
        for (int i = 0; i < callees.size(); i++) {
            JsonNode c = api.get("callees").get("children").get(i);
            assertThat(((Number) callees.get(i).get("base")).longValue()).isEqualTo(c.get("base").asLong());
            assertThat(((Number) callees.get(i).get("delta")).doubleValue()).isEqualTo(c.get("delta").asDouble());
        }
        assertThat(page.locator("#sandwich-info").textContent()).contains("base ", "current ", "no claim can be made from one run");
        // the recursive fib went (blue), the memo came (red): drawn in the comparison's colours
        @SuppressWarnings("unchecked")
        List<String> drawn = (List<String>) side("callees").get("drawn");
        assertThat(drawn).contains(RECURSIVE, "dev.proflab.labs.fib.Fib.memo");
        screenshot("viewer-sandwich-diff.png");

        // the current profile alone: the plain sandwich
        reloading(() -> page.selectOption("#mode", "current"));
        page.waitForFunction("() => window.proflabView.sandwich && !window.proflabView.sandwich.compared");
        JsonNode plain = ViewerApiTest.get(diff, "api/sandwich?" + SandwichApiTest.fn(RUN)).json();
        assertThat(((Number) sandwich().get("total")).longValue()).isEqualTo(plain.get("total").asLong());
    }
}
