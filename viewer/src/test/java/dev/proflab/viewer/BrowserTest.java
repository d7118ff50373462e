package dev.proflab.viewer;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.BoundingBox;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * What the browser tests share: the system Chromium driven by Playwright (one per test class), a
 * fresh page per test, and ways to wait for and click into the page. Without {@code /usr/bin/chromium}
 * the tests are skipped with a message, except under {@code CI=true}, where that is a failure.
 * Screenshots go to {@code target/screenshots/} ({@code proflab.screenshots}).
 */
@Tag("slow")
abstract class BrowserTest {

    static final Path CHROMIUM = Paths.get(System.getProperty("proflab.chromium", "/usr/bin/chromium"));
    static final Path SHOTS = Paths.get(System.getProperty("proflab.screenshots", "target/screenshots"));

    static Playwright playwright;
    static Browser browser;
    Page page;
    /** What the page's Content-Security-Policy refused (Chromium says so on the console): none is allowed. */
    final List<String> policyViolations = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void launchBrowser() {
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
    }

    @AfterAll
    static void closeBrowser() {
        if (playwright != null) {
            playwright.close();
            playwright = null;
        }
    }

    static void stop(ViewerServer... servers) {
        for (ViewerServer s : servers) {
            if (s != null) {
                s.stop();
            }
        }
    }

    /** The window's size, width and height in CSS pixels. */
    int[] viewport() {
        return new int[] {1200, 800};
    }

    @BeforeEach
    void openPage() {
        int[] size = viewport();
        page = browser.newPage(new Browser.NewPageOptions().setViewportSize(size[0], size[1]));
        page.setDefaultTimeout(15_000);
        page.onPageError(e -> System.err.println("page error: " + e));
        page.onConsoleMessage(m -> {
            System.err.println("console: " + m.text());
            if (m.text().contains("Content Security Policy")) {
                policyViolations.add(m.text());
            }
        });
    }

    @AfterEach
    void closePage() {
        page.close();
        assertThat(policyViolations).as("refused by the page's Content-Security-Policy").isEmpty();
    }

    /** Opens the page at {@code url} (a server's URL plus, e.g., a {@code #mode=diff}) and waits for its first load. */
    void openView(ViewerServer s, String suffix) {
        page.navigate(s.url() + suffix);
        page.waitForFunction("() => window.proflabView && window.proflabView.ready");
    }

    void openView(ViewerServer s) {
        openView(s, "");
    }

    String zoom() {
        return (String) page.evaluate("() => window.proflabView.zoom");
    }

    boolean drew(String name) {
        return (Boolean) page.evaluate("n => window.proflabView.drawn.some(d => d.endsWith(n))", name);
    }

    int drawnCount() {
        return ((Number) page.evaluate("() => window.proflabView.drawn.length")).intValue();
    }

    long loads() {
        return ((Number) page.evaluate("() => window.proflabView.loads")).longValue();
    }

    /** Runs {@code action} and waits until the page has loaded its data again. */
    void reloading(Runnable action) {
        long before = loads();
        action.run();
        page.waitForFunction("n => window.proflabView.ready && window.proflabView.loads > n", (int) before);
    }

    /** Types {@code value} into the filter input {@code id} and waits for the page to reload its data. */
    void filter(String id, String value) {
        reloading(() -> page.fill("#" + id, value));
    }

    /** Types {@code text} into the search box and waits for its answer (it is matched in a worker). */
    void search(String text) {
        page.fill("#search", text);
        page.waitForFunction("() => !window.proflabView.searching");
    }

    /** Types {@code text} into the top table's filter and waits for its answer (matched in a worker). */
    void filterTop(String text) {
        page.fill("#top-filter", text);
        page.waitForFunction("() => !window.proflabView.filtering");
    }

    /** Clicks (or hovers) the middle of the widest drawn frame named like {@code name}. */
    void atFrame(String name, boolean click) {
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

    /** Saves what the window shows ({@link #viewport()}) as {@code target/screenshots/NAME}. */
    void screenshot(String name) {
        shotsFolder();
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name)));
    }

    /** Saves the element {@code selector} alone as {@code target/screenshots/NAME}. */
    void screenshot(String name, String selector) {
        shotsFolder();
        page.locator(selector).screenshot(new Locator.ScreenshotOptions().setPath(SHOTS.resolve(name)));
    }

    private static void shotsFolder() {
        try {
            Files.createDirectories(SHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
