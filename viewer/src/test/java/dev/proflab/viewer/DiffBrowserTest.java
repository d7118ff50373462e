package dev.proflab.viewer;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proflab view AFTER --base BEFORE} in a real browser, on the fib lab's recordings: the
 * recursive fib (before) against the memo (after). What vanished is blue, what appeared is red,
 * and either profile can be shown alone.
 */
@Tag("slow")
class DiffBrowserTest extends BrowserTest {

    static final Path BEFORE = Path.of("src/test/resources/profiles/fib-before-cpu.jfr");
    static final Path AFTER = Path.of("src/test/resources/profiles/fib-after-cpu.jfr");
    static final String RECURSIVE = "dev.proflab.labs.fib.Fib.recursive";
    static final String MEMO = "dev.proflab.labs.fib.Fib.memo";

    static ViewerServer fib;
    static ViewerServer mismatched;

    @BeforeAll
    static void startServers() {
        fib = new ViewerServer(AFTER, BEFORE, null).start("127.0.0.1", 0);
        // the fixture sampled every 2 ms against the same workload sampled every 10 ms
        mismatched = new ViewerServer(Path.of("src/test/resources/profiles/ap-cpu-2ms.jfr"), ViewerApiTest.CPU, null)
                .start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopServers() {
        stop(fib, mismatched);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> frame(String name) {
        return (Map<String, Object>) page.evaluate("n => window.proflabView.frame(n)", name);
    }

    private String mode() {
        return (String) page.evaluate("() => window.proflabView.mode");
    }

    @Test
    void theDifferenceShowsWhatVanishedInBlueAndWhatAppearedInRed() {
        openView(fib);
        assertThat(mode()).isEqualTo("diff");
        assertThat(page.locator("#diff-controls").isVisible()).isTrue();
        assertThat(page.locator("#summary").textContent()).contains("base", "current", "shares of each total", "no claim");

        Map<String, Object> recursive = frame(RECURSIVE);
        assertThat(recursive).as("the before's method is still drawn").isNotNull();
        assertThat(((Number) recursive.get("delta")).doubleValue()).isLessThan(-0.9);
        // one recording a side cannot tell a change from the differences between runs: the frames stay grey
        // and the warnings say why (3 recordings a side make a claim: proflab diff a1,a2,a3 b1,b2,b3)
        assertThat(recursive.get("significant")).isEqualTo(false);
        assertThat((String) recursive.get("color")).isEqualTo("#e4e4e4");
        assertThat(page.locator("#warnings").textContent()).contains("One recording on each side");
        Map<String, Object> memo = frame(MEMO);
        assertThat(((Number) memo.get("delta")).doubleValue()).isGreaterThan(0.5);

        // the table of changes, biggest change first
        assertThat(page.locator("#top th[data-key=delta_flat]").textContent()).isEqualTo("Δflat");
        String first = page.locator("#top tbody tr").first().getAttribute("data-name");
        assertThat(first).isIn(RECURSIVE, MEMO);
        assertThat(page.locator("#top tbody tr").first().locator("td.shrank, td.grew").count()).isZero();

        atFrame("Fib.recursive", false);
        assertThat(page.locator("#tooltip").textContent()).contains("base", "current", "change", "pp");
        screenshot("diff-fib.png");
    }

    @Test
    void eitherProfileCanBeShownAloneAndTheModeIsKeptInTheUrl() {
        openView(fib);
        reloading(() -> page.selectOption("#mode", "current"));
        assertThat(drew("Fib.memo")).isTrue();
        assertThat(drew("Fib.recursive")).isFalse();
        assertThat(page.locator("#top th[data-key=flat]").count()).isOne();
        reloading(() -> page.selectOption("#mode", "base"));
        assertThat(drew("Fib.recursive")).isTrue();
        assertThat(drew("Fib.memo")).isFalse();
        assertThat(page.locator("#top tbody tr").first().getAttribute("data-name")).isEqualTo(RECURSIVE);
        assertThat(page.url()).contains("mode=base");

        // a link to the page in one mode opens it in that mode; a changed hash is followed
        reloading(() -> page.navigate(fib.url() + "#mode=current"));
        assertThat(mode()).isEqualTo("current");
        assertThat((String) page.inputValue("#mode")).isEqualTo("current");
    }

    @Test
    void normalisingByDurationComparesValuesPerSecond() {
        openView(fib);
        reloading(() -> page.selectOption("#normalize", "duration"));
        assertThat(page.locator("#summary").textContent()).contains("per second of recording");
        atFrame("Fib.memo", false);
        assertThat(page.locator("#tooltip").textContent()).contains("/s");
        assertThat(page.url()).contains("normalize=duration");
    }

    @Test
    void incomparableProfilesSayWhyOnThePage() {
        openView(mismatched);
        assertThat(page.locator("#warnings").isVisible()).isTrue();
        @SuppressWarnings("unchecked")
        List<String> warnings = (List<String>) page.evaluate("() => window.proflabView.warnings");
        assertThat(String.join(" ", warnings)).contains("interval");
        screenshot("diff-warning.png");
        // the warnings belong to the difference, not to one profile
        reloading(() -> page.selectOption("#mode", "current"));
        assertThat(page.locator("#warnings").isHidden()).isTrue();
    }
}
