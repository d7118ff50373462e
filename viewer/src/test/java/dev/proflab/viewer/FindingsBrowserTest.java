package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proflab.export.Pprof;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.proflab.viewer.ViewerApiTest.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The findings panel in a real browser: on the fib lab's recording it shows what a teacher points to (recursive fib
 * holds the CPU), JMC's findings join when its rules are done, and a click searches the finding's frames in the
 * flame graph; on a lock recording a click on the idle threads switches to their event and filters on them; names
 * that are attacks are shown as text. Screenshot: {@code target/screenshots/findings.png}.
 */
@Tag("slow")
class FindingsBrowserTest extends BrowserTest {

    @TempDir
    static Path dir;
    static ViewerServer fib;
    static ViewerServer lock;
    static ViewerServer hostile;

    @BeforeAll
    static void startServers() throws Exception {
        fib = new ViewerServer(FindingsApiTest.FIB, null).start("127.0.0.1", 0);
        lock = new ViewerServer(ViewerApiTest.LOCK, null).start("127.0.0.1", 0);
        Path evil = dir.resolve("hostile.pb.gz");
        Files.write(evil, Pprof.encode(FindingsApiTest.hostileProfile()));
        hostile = new ViewerServer(evil, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopServers() {
        stop(fib, lock, hostile);
    }

    /** Opens the page and its findings panel (one line, the first finding, until opened). */
    void openFindings(ViewerServer s) {
        openView(s);
        page.waitForFunction("() => window.proflabFindings && window.proflabFindings.ready");
        page.click("#fd-toggle");
    }

    /** Clicks the finding of {@code rule} and waits for the page to load what it focuses on. */
    void click(String rule) {
        int i = ((Number) page.evaluate("r => window.proflabFindings.findings.findIndex(f => f.rule === r)", rule)).intValue();
        assertThat(i).as("finding " + rule + " is listed").isGreaterThanOrEqualTo(0);
        reloading(() -> page.locator("#fd-list button.fd-summary").nth(i).click());
        page.waitForFunction("() => !window.proflabView.searching");
    }

    @Test
    void theLabsFindingIsShownAndFocusesTheFlameGraph() {
        openView(fib);
        page.waitForFunction("() => window.proflabFindings && window.proflabFindings.ready");
        // closed, the panel shows the first finding on one line
        assertThat(page.locator("#fd-first").textContent())
                .startsWith("warning 99: dev.proflab.labs.fib.Fib.recursive (own code) runs on the CPU");
        assertThat(page.locator("#fd-list").isVisible()).isFalse();
        page.click("#fd-toggle");
        String text = page.locator("#findings-section").textContent();
        assertThat(text).contains("proflab.dominant-frame").contains("dev.proflab.labs.fib.Fib.recursive (own code) runs on the CPU");
        // JMC's rules run on the side: the panel fills in when they are done
        page.waitForFunction("() => window.proflabFindings.jmc === 'done'", null,
                new com.microsoft.playwright.Page.WaitForFunctionOptions().setTimeout(120_000));
        assertThat(page.locator("#fd-jmc").textContent()).isEmpty();
        assertThat(page.locator("#fd-info").textContent()).contains("rules evaluated");
        click("proflab.dominant-frame");
        assertThat(page.inputValue("#search")).isEqualTo("^(dev\\.proflab\\.labs\\.fib\\.Fib\\.recursive)$");
        // the frames matched hold what the finding says: recursive fib's cumulative share
        double matched = ((Number) page.evaluate("() => window.proflabView.matched")).doubleValue();
        assertThat(matched).isCloseTo(99.4, within(0.5));
        assertThat(page.locator("#fd-list li.fd-selected .fd-more").textContent()).contains("flat 99.19%");
        screenshot("findings.png");
    }

    @Test
    void idleThreadsSwitchToTheirEventAndFilterOnThem() throws Exception {
        openFindings(lock);
        click("proflab.idle-threads");
        assertThat(page.evaluate("() => window.proflabView.event")).isEqualTo("wall");
        String thread = page.inputValue("#thread");
        assertThat(thread).startsWith("^(").contains("G1 Conc#0");
        double total = ((Number) page.evaluate("() => window.proflabView.total")).doubleValue();
        JsonNode api = get(lock, "api/flame?event=wall&thread=" + URLEncoder.encode(thread, StandardCharsets.UTF_8)).json();
        assertThat(total).isEqualTo(api.get("total").asDouble()).isPositive();
    }

    @Test
    void theGcFindingSelectsItsPauseOnTheTimeline() throws Exception {
        ViewerServer trace = new ViewerServer(TimelineApiTest.TRACE, null).jmcLimits(null).start("127.0.0.1", 0);
        try {
            openFindings(trace);
            // 3.9% of the time in GC pauses is OK: listed with every result
            page.check("#fd-all");
            page.waitForFunction("() => window.proflabFindings.ready && window.proflabFindings.findings.some(f => f.rule === 'proflab.gc-pauses')");
            click("proflab.gc-pauses");
            JsonNode range = rule(get(trace, "api/findings?all=true").json(), "proflab.gc-pauses").get("focus").get("range");
            long from = range.get("from").asLong();
            long to = range.get("to").asLong();
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> shown = (java.util.Map<String, Object>) page.evaluate("() => window.proflab.range()");
            assertThat(((Number) shown.get("from")).longValue()).isEqualTo(from);
            assertThat(((Number) shown.get("to")).longValue()).isEqualTo(to);
            assertThat(page.locator("#range-bar").isVisible()).isTrue();
            double total = ((Number) page.evaluate("() => window.proflabView.total")).doubleValue();
            assertThat(total).isEqualTo(get(trace, "api/flame?from=" + from + "&to=" + to).json().get("total").asDouble());
        } finally {
            trace.stop();
        }
    }

    static JsonNode rule(JsonNode answer, String rule) {
        return FindingsApiTest.rule(answer, rule);
    }

    @Test
    void hostileNamesAreShownAsText() {
        List<String> dialogs = new CopyOnWriteArrayList<>();
        page.onDialog(d -> {
            dialogs.add(d.message());
            d.dismiss();
        });
        openFindings(hostile);
        String text = page.locator("#fd-list").textContent();
        assertThat(text).contains(FindingsApiTest.EVIL + " (own code)");
        assertThat(page.locator("#findings-section img, #findings-section svg, #findings-section script").count()).isZero();
        click("proflab.dominant-frame");
        assertThat(((Number) page.evaluate("() => window.proflabView.matched")).doubleValue()).isCloseTo(83.3, within(0.1));
        click("proflab.idle-threads");
        // each thread's name, exactly (its line separator as \u2028): the filter keeps their 50 ms of CPU each
        assertThat(page.inputValue("#thread")).startsWith("^(\"><svg onload=alert\\(2\\)> #0\\u2028|");
        assertThat(((Number) page.evaluate("() => window.proflabView.total")).doubleValue()).isEqualTo(5 * 50_000_000.0);
        assertThat(page.evaluate("() => window.proflabView.error")).isNull();
        assertThat(dialogs).isEmpty();
    }
}
