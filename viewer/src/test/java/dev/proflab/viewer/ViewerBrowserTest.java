package dev.proflab.viewer;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.BoundingBox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The page in a real browser (the system Chromium driven by Playwright): it draws the flame graph,
 * zooms on click, searches, switches events. Skipped with a message when {@code /usr/bin/chromium} is
 * missing, except under {@code CI=true}, where that is a failure. Screenshots go to
 * {@code target/screenshots/}.
 */
class ViewerBrowserTest {

    static final Path CHROMIUM = Paths.get(System.getProperty("proflab.chromium", "/usr/bin/chromium"));
    static final Path SHOTS = Paths.get(System.getProperty("proflab.screenshots", "target/screenshots"));

    static Playwright playwright;
    static Browser browser;
    static ViewerServer cpu;
    static ViewerServer lock;
    Page page;

    @BeforeAll
    static void launch() {
        if (!Files.isExecutable(CHROMIUM)) {
            String msg = "browser tests need " + CHROMIUM + " (apt-get install -y chromium)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(msg + ", and CI=true");
            }
            System.err.println("SKIPPED: " + msg);
            abort(msg);
        }
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setArgs(List.of("--no-sandbox", "--disable-gpu")));
        cpu = new ViewerServer(ViewerApiTest.CPU, null).start("127.0.0.1", 0);
        lock = new ViewerServer(ViewerApiTest.LOCK, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void close() {
        for (ViewerServer s : new ViewerServer[] {cpu, lock}) {
            if (s != null) {
                s.stop();
            }
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void open() {
        page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1200, 800));
        page.setDefaultTimeout(10_000);
        page.onPageError(e -> System.err.println("page error: " + e));
        page.onConsoleMessage(m -> System.err.println("console: " + m.text()));
    }

    @AfterEach
    void closePage() {
        page.close();
    }

    private void openView(ViewerServer s) {
        page.navigate(s.url());
        page.waitForFunction("() => window.proflabView && window.proflabView.ready");
    }

    private String zoom() {
        return (String) page.evaluate("() => window.proflabView.zoom");
    }

    private boolean drew(String name) {
        return (Boolean) page.evaluate("n => window.proflabView.drawn.some(d => d.endsWith(n))", name);
    }

    private int drawnCount() {
        return ((Number) page.evaluate("() => window.proflabView.drawn.length")).intValue();
    }

    /** Clicks (or hovers) the middle of the widest drawn frame named like {@code name}. */
    private void atFrame(String name, boolean click) {
        @SuppressWarnings("unchecked")
        Map<String, Object> box = (Map<String, Object>) page.evaluate("n => window.proflabView.frameBox(n)", name);
        assertThat(box).as("frame " + name + " is drawn").isNotNull();
        BoundingBox canvas = page.locator("#flame").boundingBox();
        double x = canvas.x + ((Number) box.get("x")).doubleValue() + ((Number) box.get("w")).doubleValue() / 2;
        double y = canvas.y + ((Number) box.get("y")).doubleValue() + ((Number) box.get("h")).doubleValue() / 2;
        if (click) {
            page.mouse().click(x, y);
        } else {
            page.mouse().move(x, y);
        }
    }

    private long loads() {
        return ((Number) page.evaluate("() => window.proflabView.loads")).longValue();
    }

    /** Types {@code value} into the filter input {@code id} and waits for the page to reload its data. */
    private void filter(String id, String value) {
        long before = loads();
        page.fill("#" + id, value);
        page.waitForFunction("n => window.proflabView.ready && window.proflabView.loads > n", (int) before);
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
    void aBadRegexShowsTheServersErrorAndKeepsThePicture() throws Exception {
        openView(cpu);
        int before = drawnCount();
        filter("focus", "(");
        assertThat(page.locator("#error").isVisible()).isTrue();
        assertThat(page.locator("#error").textContent()).contains("focus").contains("(");
        assertThat(drawnCount()).isEqualTo(before);
        assertThat(drew("Workload.methodA")).isTrue();
        assertThat(page.locator("#top tbody tr").count()).isPositive();
        Files.createDirectories(SHOTS);
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("viewer-bad-regex.png")).setFullPage(true));

        filter("focus", "methodB");
        assertThat(page.locator("#error").isHidden()).isTrue();
        assertThat(drew("Workload.methodA")).isFalse();
    }

    @Test
    void theLayoutToggleFlipsTheDrawingAndIsRemembered() throws Exception {
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
        Files.createDirectories(SHOTS);
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("viewer-flame-layout.png")).setFullPage(true));

        page.click("#layout");
        assertThat(rootY()).isZero();
        assertThat(page.url()).contains("layout=icicle");
    }

    @Test
    void drawsTheFlameGraphAndTheTopTable() throws Exception {
        openView(cpu);
        assertThat(drew("Workload.methodA")).isTrue();
        assertThat(drew("Workload.methodB")).isTrue();
        assertThat(zoom()).isEqualTo("all");
        assertThat(page.locator("#error").isHidden()).isTrue();
        assertThat(page.locator("#top tbody tr").first().textContent()).contains("Workload.methodA");
        assertThat(page.locator("#legend").textContent()).contains("Java", "JDK / inlined", "native", "kernel");

        atFrame("Workload.methodA", false);
        assertThat(page.locator("#tooltip").isVisible()).isTrue();
        assertThat(page.locator("#tooltip").textContent()).contains("Workload.methodA", "total", "self");

        Files.createDirectories(SHOTS);
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("viewer-cpu.png")).setFullPage(true));
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
    void searchHighlightsAndSaysHowMuchMatched() throws Exception {
        openView(cpu);
        page.fill("#search", "methodB");
        String matched = page.locator("#matched").textContent();
        assertThat(matched).matches("Matched: \\d+\\.\\d\\d%");
        double p = Double.parseDouble(matched.replaceAll("[^0-9.]", ""));
        assertThat(p).isBetween(28.0, 40.0);
        page.fill("#search", "Workload\\.method");
        assertThat(((Number) page.evaluate("() => window.proflabView.matched")).doubleValue()).isGreaterThan(99.0);
        page.fill("#search", "methodB");
        Files.createDirectories(SHOTS);
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("viewer-search.png")).setFullPage(true));
        page.fill("#search", "");
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
    void switchingEventsRedraws() throws Exception {
        openView(lock);
        assertThat((String) page.evaluate("() => window.proflabView.event")).isEqualTo("wall");
        page.selectOption("#event", "lock");
        page.waitForFunction("() => window.proflabView.ready && window.proflabView.event === 'lock'");
        assertThat(drew("Workload.contend")).isTrue();
        assertThat(page.locator("#summary").textContent()).contains("event lock");
        assertThat(page.locator("#value option").allTextContents()).anyMatch(t -> t.startsWith("delay"));
        Files.createDirectories(SHOTS);
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("viewer-lock.png")).setFullPage(true));
    }
}
