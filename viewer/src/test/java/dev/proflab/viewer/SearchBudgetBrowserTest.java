package dev.proflab.viewer;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's own regular expressions (the search, the top table's filter) in a real browser: a pattern
 * that backtracks catastrophically in JavaScript's engine ({@code (.+)+Z}: over a second on 22
 * characters, doubling with each one; the fixture's names have 44) never freezes the tab, typed or
 * carried by a link. It is matched in a worker (match.js, same origin) that is terminated after 1 s, and
 * the page says the search is too slow; the page answers all along, and the next search works.
 * Time bounds are generous, for a loaded machine.
 */
class SearchBudgetBrowserTest extends BrowserTest {

    static final String CATASTROPHIC = "(.+)+Z";
    static final String TOO_SLOW = "search too slow (over 1 s): simplify the regular expression";

    static ViewerServer cpu;

    @BeforeAll
    static void startServer() {
        cpu = new ViewerServer(ViewerApiTest.CPU, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopServer() {
        stop(cpu);
    }

    /** Waits, up to 15 s, for the search's note (too slow, or failed). */
    private String searchNote() {
        page.waitForFunction("() => window.proflabView.searchNote", null,
                new Page.WaitForFunctionOptions().setTimeout(15_000));
        return (String) page.evaluate("() => window.proflabView.searchNote");
    }

    /** How long (ms) the page takes to run a trivial script: a frozen page never does. */
    private long responds() {
        long t0 = System.nanoTime();
        assertThat(((Number) page.evaluate("() => 1 + 1")).intValue()).isEqualTo(2);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void aCatastrophicSearchInALinkDoesNotFreezeThePage() {
        openView(cpu, "#search=" + URLEncoder.encode(CATASTROPHIC, StandardCharsets.UTF_8));
        assertThat(page.inputValue("#search")).isEqualTo(CATASTROPHIC);
        // matching now, in the worker: the page answers and reacts meanwhile
        assertThat(responds()).isLessThan(5_000);
        page.click("#layout");
        assertThat((String) page.evaluate("() => window.proflabView.layout")).isEqualTo("flame");
        assertThat(searchNote()).isEqualTo(TOO_SLOW);
        assertThat(page.locator("#matched").textContent()).isEqualTo(TOO_SLOW);
        assertThat(page.evaluate("() => window.proflabView.matched")).isNull();
        // the worker was terminated, not left to run
        page.waitForCondition(() -> page.workers().isEmpty());
        // an ordinary search works again
        search("methodB");
        assertThat(page.locator("#matched").textContent()).matches("Matched: \\d+\\.\\d\\d%");
        assertThat(page.evaluate("() => window.proflabView.searchNote")).isNull();
        screenshot("viewer-search-too-slow.png");
    }

    @Test
    void aCatastrophicSearchTypedIsStoppedAndTheHashKeepsIt() {
        openView(cpu);
        page.fill("#search", CATASTROPHIC);
        assertThat(responds()).isLessThan(5_000);
        assertThat(searchNote()).isEqualTo(TOO_SLOW);
        assertThat((String) page.evaluate("() => location.hash")).contains("search=");
        // a new search while one is still matching replaces it at once
        page.fill("#search", "a" + CATASTROPHIC);
        search("Workload\\.method");
        assertThat(((Number) page.evaluate("() => window.proflabView.matched")).doubleValue()).isGreaterThan(99.0);
        search("");
        assertThat((String) page.evaluate("() => location.hash")).doesNotContain("search=");
    }

    @Test
    void otherSlowShapesAreStoppedToo() {
        openView(cpu);
        // a long count (no backtracking: a loop), and lazy groups under a count
        for (String re : java.util.List.of("(?:a?){999999}Z", "(.*?){20}Z")) {
            page.fill("#search", re);
            assertThat(responds()).isLessThan(5_000);
            assertThat(searchNote()).as(re).isEqualTo(TOO_SLOW);
            page.waitForCondition(() -> page.workers().isEmpty());
            search("");
        }
    }

    @Test
    void aCatastrophicTableFilterShowsEveryRowAndSaysWhy() {
        openView(cpu);
        int all = page.locator("#top tbody tr").count();
        page.fill("#top-filter", CATASTROPHIC);
        assertThat(responds()).isLessThan(5_000);
        page.waitForFunction("() => window.proflabView.filterNote", null,
                new Page.WaitForFunctionOptions().setTimeout(15_000));
        assertThat(page.locator("#top-filter-note").textContent())
                .isEqualTo("filter too slow (over 1 s): simplify the regular expression: every row is shown");
        assertThat(page.locator("#top tbody tr").count()).isEqualTo(all);
        filterTop("methodB");
        assertThat(page.locator("#top tbody tr").count()).isLessThan(all);
        assertThat(page.locator("#top-filter-note").textContent()).isEmpty();
    }

    @Test
    void theWorkerLoadsUnderAContentSecurityPolicyOfSelfOnly() {
        // as the page may be served: scripts, workers included, from its own origin only
        page.route(cpu.url(), route -> {
            APIResponse r = route.fetch();
            Map<String, String> headers = new HashMap<>(r.headers());
            headers.put("content-security-policy", "script-src 'self'; worker-src 'self'");
            route.fulfill(new Route.FulfillOptions().setResponse(r).setHeaders(headers));
        });
        openView(cpu);
        search("methodB");
        assertThat(page.locator("#matched").textContent()).matches("Matched: \\d+\\.\\d\\d%");
        page.fill("#search", CATASTROPHIC);
        assertThat(searchNote()).isEqualTo(TOO_SLOW);
    }
}
