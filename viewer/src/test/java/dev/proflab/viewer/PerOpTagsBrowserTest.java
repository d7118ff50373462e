package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.proflab.profile.Operations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page's two inputs of what the API already takes: "per operation" in the normalise choice of a comparison
 * whose two recordings have an operation count beside them ({@code normalize=ops}), and the tags filter
 * ({@code tagfocus=}) on several recordings merged, whose samples carry the label {@code file}.
 */
@Tag("slow")
class PerOpTagsBrowserTest extends BrowserTest {

    @TempDir
    static Path dir;
    static ViewerServer counted;
    static ViewerServer uncounted;
    static ViewerServer merged;

    @BeforeAll
    static void startServers() throws Exception {
        Path before = Files.copy(DiffBrowserTest.BEFORE, dir.resolve("fib-before-cpu.jfr"));
        Path after = Files.copy(DiffBrowserTest.AFTER, dir.resolve("fib-after-cpu.jfr"));
        // counts made up for the test: 50 operations of the recursive fib, 10 million of the memo
        new Operations(50, "op", "user", "test").write(before);
        new Operations(10_000_000, "op", "user", "test").write(after);
        counted = new ViewerServer(after, before, null).start("127.0.0.1", 0);
        uncounted = new ViewerServer(DiffBrowserTest.AFTER, DiffBrowserTest.BEFORE, null).start("127.0.0.1", 0);
        merged = new ViewerServer(List.of(MergedViewApiTest.AP, MergedViewApiTest.JFR), null, null)
                .start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopServers() {
        stop(counted, uncounted, merged);
    }

    private boolean opsOffered() {
        return !(Boolean) page.evaluate("() => document.querySelector('#normalize option[value=ops]').hidden");
    }

    @Test
    void aComparisonOfCountedRecordingsIsShownPerOperation() throws Exception {
        openView(counted);
        assertThat(opsOffered()).isTrue();
        reloading(() -> page.selectOption("#normalize", "ops"));
        assertThat(page.locator("#summary").textContent())
                .contains("per operation (base 50 ops, current 10000000 ops)");
        JsonNode top = ViewerApiTest.get(counted, "api/diff/top?normalize=ops").json();
        assertThat(top.get("normalize").asText()).isEqualTo("ops");
        // the table shows the API's rows, their values per op
        assertThat(page.locator("#top tbody tr").count()).isEqualTo(top.get("rows").size());
        assertThat(page.locator("#top tbody tr").first().textContent()).contains("/op");
        assertThat(page.url()).contains("normalize=ops");
        // without counts the choice is not offered, and a link that asks for it compares by total
        openView(uncounted, "#normalize=ops");
        assertThat(opsOffered()).isFalse();
        assertThat(page.inputValue("#normalize")).isEqualTo("total");
    }

    @Test
    void theTagsFilterKeepsOneRecordingOfAMerge() throws Exception {
        openView(merged);
        double all = ((Number) page.evaluate("() => window.proflabView.total")).doubleValue();
        reloading(() -> page.fill("#tagfocus", "file=^ap"));
        double ap = ((Number) page.evaluate("() => window.proflabView.total")).doubleValue();
        JsonNode api = ViewerApiTest.get(merged, "api/flame?tagfocus=file%3D%5Eap").json();
        assertThat(ap).isEqualTo(api.get("total").asDouble()).isPositive().isLessThan(all);
        // a term that names no label is the API's one-line error on the page
        reloading(() -> page.fill("#tagfocus", "user=x"));
        assertThat(page.locator("#error").textContent()).contains("'user=x' names no label key")
                .contains("file, thread");
    }
}
