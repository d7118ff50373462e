package dev.proflab.viewer;

import com.microsoft.playwright.Locator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page in a real browser (the system Chromium driven by Playwright): it draws the flame graph,
 * zooms on click, searches, switches events. Skipped with a message when {@code /usr/bin/chromium} is
 * missing, except under {@code CI=true} ({@link BrowserTest}).
 */
@Tag("slow")
class ViewerBrowserTest extends BrowserTest {

    static ViewerServer cpu;
    static ViewerServer lock;

    @BeforeAll
    static void startServers() {
        cpu = new ViewerServer(ViewerApiTest.CPU, null)
                .sourceRoots(List.of(Path.of("../profile/src/test/java")))
                .start("127.0.0.1", 0);
        lock = new ViewerServer(ViewerApiTest.LOCK, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopServers() {
        stop(cpu, lock);
    }

    private List<String> topNames() {
        return page.locator("#top tbody tr").all().stream().map(r -> r.getAttribute("data-name")).toList();
    }

    private double rootY() {
        @SuppressWarnings("unchecked")
        Map<String, Object> box = (Map<String, Object>) page.evaluate("() => window.proflabView.frameBox('all')");
        return ((Number) box.get("y")).doubleValue();
    }

    @Test
    void focusHideAndThreadFilterTheFlameGraphAndTheTopTable() {
        openView(cpu);
        int before = drawnCount();
        assertThat(topNames()).anyMatch(n -> n.endsWith("Workload.methodA")).anyMatch(n -> n.endsWith("Workload.methodB"));

        filter("focus", "methodB");
        assertThat(drew("Workload.methodB")).isTrue();
        assertThat(drew("Workload.methodA")).isFalse();
        assertThat(drawnCount()).isLessThan(before);
        assertThat(topNames()).isNotEmpty().anyMatch(n -> n.endsWith("Workload.methodB"))
                .noneMatch(n -> n.endsWith("Workload.methodA"));
        assertThat(page.locator("#error").isHidden()).isTrue();

        filter("focus", "");
        filter("hide", "methodB");
        assertThat(drew("Workload.methodB")).isFalse();
        assertThat(drew("Workload.methodA")).isTrue();
        assertThat(topNames()).noneMatch(n -> n.endsWith("Workload.methodB"));

        filter("hide", "");
        filter("ignore", "methodA");
        assertThat(drew("Workload.methodA")).isFalse();
        assertThat(topNames()).noneMatch(n -> n.endsWith("Workload.methodA"));

        filter("ignore", "");
        assertThat(drawnCount()).isEqualTo(before);
    }

    @Test
    void aBadRegexShowsTheServersErrorAndKeepsThePicture() {
        openView(cpu);
        int before = drawnCount();
        filter("focus", "(");
        assertThat(page.locator("#error").isVisible()).isTrue();
        assertThat(page.locator("#error").textContent()).contains("focus").contains("(");
        assertThat(drawnCount()).isEqualTo(before);
        assertThat(drew("Workload.methodA")).isTrue();
        assertThat(page.locator("#top tbody tr").count()).isPositive();
        screenshot("viewer-bad-regex.png");

        filter("focus", "methodB");
        assertThat(page.locator("#error").isHidden()).isTrue();
        assertThat(drew("Workload.methodA")).isFalse();
    }

    @Test
    void theLayoutToggleFlipsTheDrawingAndIsRemembered() {
        openView(cpu);
        assertThat(page.locator("#flame").getAttribute("data-layout")).isEqualTo("icicle");
        assertThat(rootY()).isZero();
        double height = page.locator("#flame").boundingBox().height;

        page.click("#layout");
        assertThat(page.locator("#flame").getAttribute("data-layout")).isEqualTo("flame");
        assertThat(rootY()).isGreaterThan(height / 2);
        assertThat(page.url()).contains("layout=flame");
        assertThat(drew("Workload.methodA")).isTrue();
        atFrame("Workload.methodB", true);
        assertThat(zoom()).endsWith("Workload.methodB");
        page.click("#reset");

        page.reload();
        page.waitForFunction("() => window.proflabView && window.proflabView.ready");
        assertThat(page.locator("#flame").getAttribute("data-layout")).isEqualTo("flame");
        assertThat(rootY()).isGreaterThan(height / 2);
        filter("focus", "Workload");
        screenshot("viewer-flame-layout.png");

        page.click("#layout");
        assertThat(rootY()).isZero();
        assertThat(page.url()).contains("layout=icicle");
    }

    @Test
    void drawsTheFlameGraphAndTheTopTable() {
        openView(cpu);
        assertThat(drew("Workload.methodA")).isTrue();
        assertThat(drew("Workload.methodB")).isTrue();
        assertThat(zoom()).isEqualTo("all");
        assertThat(page.locator("#error").isHidden()).isTrue();
        assertThat(page.locator("#top tbody tr").first().textContent()).contains("Workload.methodA");
        assertThat(page.locator("#legend").textContent()).contains("Java", "JDK / inlined", "native", "kernel");
        // the swatches' colours, set through the DOM (the page's policy allows no style attributes)
        assertThat((String) page.evaluate("() => getComputedStyle(document.querySelector('#legend span'), '::before')"
                + ".backgroundColor")).startsWith("rgb(").isNotEqualTo("rgba(0, 0, 0, 0)");

        atFrame("Workload.methodA", false);
        assertThat(page.locator("#tooltip").isVisible()).isTrue();
        assertThat(page.locator("#tooltip").textContent()).contains("Workload.methodA", "total", "self");

        screenshot("viewer-cpu.png");
    }

    @Test
    void clickZoomsAndResetComesBack() {
        openView(cpu);
        int before = drawnCount();
        atFrame("Workload.methodB", true);
        assertThat(zoom()).endsWith("Workload.methodB");
        assertThat(page.locator("#flame").getAttribute("data-zoom")).endsWith("Workload.methodB");
        assertThat(drew("Workload.methodA")).isFalse();
        assertThat(drawnCount()).isLessThan(before);
        page.click("#reset");
        assertThat(zoom()).isEqualTo("all");
        assertThat(drawnCount()).isEqualTo(before);
    }

    @Test
    void searchHighlightsAndSaysHowMuchMatched() {
        openView(cpu);
        search("methodB");
        String matched = page.locator("#matched").textContent();
        assertThat(matched).matches("Matched: \\d+\\.\\d\\d%");
        double p = Double.parseDouble(matched.replaceAll("[^0-9.]", ""));
        assertThat(p).isBetween(28.0, 40.0);
        search("Workload\\.method");
        assertThat(((Number) page.evaluate("() => window.proflabView.matched")).doubleValue()).isGreaterThan(99.0);
        search("methodB");
        screenshot("viewer-search.png");
        search("");
        assertThat(page.locator("#matched").textContent()).isEmpty();
    }

    @Test
    void topTableSorts() {
        openView(cpu);
        page.click("#top th[data-key=name]");
        String first = page.locator("#top tbody tr").first().getAttribute("data-name");
        String last = page.locator("#top tbody tr").last().getAttribute("data-name");
        assertThat(first.compareTo(last)).isNegative();
        page.click("#top th[data-key=cum]");
        assertThat(page.locator("#top th[data-key=cum]").getAttribute("class")).contains("sorted-desc");
    }

    @Test
    void switchingEventsRedraws() {
        openView(lock);
        assertThat((String) page.evaluate("() => window.proflabView.event")).isEqualTo("wall");
        page.selectOption("#event", "lock");
        page.waitForFunction("() => window.proflabView.ready && window.proflabView.event === 'lock'");
        assertThat(drew("Workload.contend")).isTrue();
        assertThat(page.locator("#summary").textContent()).contains("event lock");
        assertThat(page.locator("#value option").allTextContents()).anyMatch(t -> t.startsWith("delay"));
        screenshot("viewer-lock.png");
    }

    @Test
    void clickingAFrameSelectsItForTheSourceAndCallersTabs() {
        openView(cpu);
        atFrame("Workload.methodA", true);
        assertThat((String) page.evaluate("() => window.proflabView.selected")).endsWith("Workload.methodA");
        page.click("#tabs [data-tab=source]");
        page.waitForFunction("() => window.proflabView.source && window.proflabView.source.name");
        assertThat(page.locator("#source-info").textContent()).contains("Workload.java");
        // the hottest line is the one marked in the fixture's source
        assertThat((String) page.evaluate("() => window.proflabView.source.hottestFlat.text")).contains("// HOT-A");
        screenshot("viewer-source.png");

        page.click("#tabs [data-tab=calls]");
        page.waitForFunction("() => window.proflabView.calls && window.proflabView.calls.name");
        @SuppressWarnings("unchecked")
        List<String> callers = (List<String>) page.evaluate("() => window.proflabView.calls.callers");
        assertThat(callers).anyMatch(c -> c.endsWith("Workload.cpu"));
        // following a caller selects it: its callees are methodA and methodB
        page.locator("#calls tr.caller").filter(new Locator.FilterOptions()
                .setHasText("Workload.cpu")).first().click();
        page.waitForFunction("() => window.proflabView.calls && (window.proflabView.calls.name || '').endsWith('Workload.cpu')");
        @SuppressWarnings("unchecked")
        List<String> callees = (List<String>) page.evaluate("() => window.proflabView.calls.callees");
        assertThat(callees).anyMatch(c -> c.endsWith("Workload.methodA")).anyMatch(c -> c.endsWith("Workload.methodB"));
        screenshot("viewer-callers.png");
    }

    @Test
    void topTableFiltersByName() {
        openView(cpu);
        int all = page.locator("#top tbody tr").count();
        filterTop("methodB");
        assertThat(topNames()).isNotEmpty().allMatch(n -> n.contains("methodB"));
        assertThat(page.locator("#top tbody tr").count()).isLessThan(all);
        filterTop("");
        assertThat(page.locator("#top tbody tr").count()).isEqualTo(all);
    }
}
