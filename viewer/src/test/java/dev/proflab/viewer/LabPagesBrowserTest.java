package dev.proflab.viewer;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages of the guide's lessons, on recordings of the labs themselves: the CPU profile of the
 * recursive fib with its source (Step 1) and the allocation profile of the alloc lab's before (Step 2).
 * Their screenshots are the guide's pictures.
 */
@Tag("slow")
class LabPagesBrowserTest extends BrowserTest {

    static ViewerServer fib;
    static ViewerServer alloc;

    @BeforeAll
    static void startServers() {
        fib = new ViewerServer(DiffBrowserTest.BEFORE, null)
                .sourceRoots(List.of(Path.of("../labs/src/main/java")))
                .start("127.0.0.1", 0);
        alloc = new ViewerServer(Path.of("src/test/resources/profiles/alloc-before-alloc.jfr"), null)
                .sourceRoots(List.of(Path.of("../labs/src/main/java")))
                .start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopServers() {
        stop(fib, alloc);
    }

    /** The text of the source line with the most flat (or cum) value. */
    private String hottest(String which) {
        return (String) page.evaluate("k => window.proflabView.source[k].text", which);
    }

    @Test
    void recursiveFibSpendsItsTimeOnItsFirstLine() {
        openView(fib);
        assertThat(page.locator("#top tbody tr").first().getAttribute("data-name")).isEqualTo(DiffBrowserTest.RECURSIVE);
        page.locator("#top tbody tr").first().click();
        page.click("#tabs [data-tab=source]");
        page.waitForFunction("() => window.proflabView.source && window.proflabView.source.name");
        assertThat(page.locator("#source-info").textContent()).contains("Fib.java");
        // the hot lines are shaded (through the DOM: the page's policy allows no style attributes)
        assertThat((String) page.evaluate("() => document.querySelector('#source tr[data-heat]').style.background"))
                .startsWith("rgba(255, 80, 0,");
        assertThat(hottest("hottestFlat")).contains("if (n < 2)");
        assertThat(hottest("hottestCum")).contains("return recursive(n - 1) + recursive(n - 2);");
        screenshot("view-fib-source.png", "#panels");
    }

    @Test
    void theAllocationProfileWeighsBytesBySite() {
        openView(alloc);
        assertThat((String) page.evaluate("() => window.proflabView.event")).isEqualTo("alloc");
        assertThat(page.locator("#value option").allTextContents()).anyMatch(t -> t.startsWith("alloc_space (bytes)"))
                .anyMatch(t -> t.startsWith("alloc_objects"));
        assertThat(page.inputValue("#value")).isEqualTo("alloc_space");
        assertThat(page.locator("#top tbody tr").first().getAttribute("data-name")).isEqualTo("dev.proflab.labs.alloc.Alloc.allocate");
        assertThat(page.locator("#top tbody tr").first().textContent()).containsPattern("[0-9.]+[MG]iB");
        page.locator("#top tbody tr").first().click();
        page.click("#tabs [data-tab=source]");
        page.waitForFunction("() => window.proflabView.source && window.proflabView.source.name");
        // the buffer is the most bytes; the digest made for every item holds the most below it
        assertThat(hottest("hottestFlat")).contains("new byte[bytesPerItem]");
        screenshot("view-alloc-before.png");
    }
}
