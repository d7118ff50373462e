package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.options.BoundingBox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.proflab.viewer.ViewerApiTest.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heatmap in a real browser, on the recording of the labs' trace workload (its load changes from one second to
 * the next): a drag from one cell to another shows the flame graph of that time, whose total is the API's for the
 * same range; the selection becomes the base of a diff against the next one; on a folder of collected windows a drag
 * selects the windows of that time. Screenshot: {@code target/screenshots/heatmap.png}.
 */
@Tag("slow")
class HeatmapBrowserTest extends BrowserTest {

    static final long S = 1_000_000_000L;
    static final long ROW = 20_000_000L;

    @TempDir
    static Path dir;
    static ViewerServer trace;
    static ViewerServer folder;

    @BeforeAll
    static void startServers() throws Exception {
        trace = new ViewerServer(TimelineApiTest.TRACE, null).start("127.0.0.1", 0);
        Path f = dir.resolve("profiles");
        Files.createDirectories(f.resolve("cpu"));
        for (int m = 0; m < 120; m++) {
            java.time.Instant t = HeatmapApiTest.DAY.plusSeconds(60L * m);
            Files.write(f.resolve("cpu/cpu_" + HeatmapApiTest.NAME.format(t) + ".pb.gz"),
                    dev.proflab.export.Pprof.encode(HeatmapApiTest.window(t, m < 60 ? 30 : 300)));
        }
        folder = new ViewerServer(f, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopServers() {
        stop(trace, folder);
    }

    @Override
    int[] viewport() {
        return new int[] {1300, 1100};
    }

    /** Opens the page and its heatmap (one line until opened: its data is asked for then). */
    void openHeatmap(ViewerServer s) {
        page.navigate(s.url());
        page.waitForFunction("() => window.proflabView && window.proflabView.ready");
        assertThat(page.evaluate("() => window.proflabHeatmap.loads")).isEqualTo(0);
        page.click("#hm-toggle");
        page.waitForFunction("() => window.proflabHeatmap && window.proflabHeatmap.ready && window.proflabHeatmap.data");
    }

    double[] cellCentre(int c, int r) {
        @SuppressWarnings("unchecked")
        Map<String, Object> b = (Map<String, Object>) page.evaluate("a => window.proflabHeatmap.cellBox(a[0], a[1])",
                java.util.List.of(c, r));
        BoundingBox canvas = page.locator("#hm-canvas").boundingBox();
        return new double[] {canvas.x + ((Number) b.get("x")).doubleValue() + ((Number) b.get("w")).doubleValue() / 2,
                canvas.y + ((Number) b.get("y")).doubleValue() + ((Number) b.get("h")).doubleValue() / 2};
    }

    /** Drags from cell (c0, r0) to (c1, r1) and waits for the page to load what it selects. */
    void drag(int c0, int r0, int c1, int r1) {
        double[] a = cellCentre(c0, r0);
        double[] b = cellCentre(c1, r1);
        reloading(() -> {
            page.mouse().move(a[0], a[1]);
            page.mouse().down();
            page.mouse().move((a[0] + b[0]) / 2, (a[1] + b[1]) / 2);
            page.mouse().move(b[0], b[1]);
            page.mouse().up();
        });
    }

    double total() {
        return ((Number) page.evaluate("() => window.proflabView.total")).doubleValue();
    }

    @Test
    void aDraggedRectangleIsTheFlameGraphOfItsTime() throws Exception {
        openHeatmap(trace);
        assertThat(page.locator("#hm-info").textContent()).contains("139 samples").contains("a column is 1 s, a row 20 ms");
        // the first second, top to bottom of its column
        drag(0, 0, 0, 49);
        JsonNode api = get(trace, "api/flame?from=0&to=" + S).json();
        assertThat(total()).isEqualTo(api.get("total").asDouble()).isPositive();
        assertThat(page.locator("#range-text").textContent()).contains("0.000s to 1.000s");
        // backwards, from a later cell to an earlier one: in time order, 1.2 s to 2.12 s (FlameScope's selection)
        drag(2, 5, 1, 10);
        @SuppressWarnings("unchecked")
        Map<String, Object> sel = (Map<String, Object>) page.evaluate("() => window.proflab.range()");
        assertThat(((Number) sel.get("from")).longValue()).isEqualTo(S + 10 * ROW);
        assertThat(((Number) sel.get("to")).longValue()).isEqualTo(2 * S + 6 * ROW);
        api = get(trace, "api/flame?from=" + (S + 10 * ROW) + "&to=" + (2 * S + 6 * ROW)).json();
        assertThat(total()).isEqualTo(api.get("total").asDouble()).isPositive();
        // the tooltip of a cell says its time and samples
        double[] c = cellCentre(0, 3);
        page.mouse().move(c[0], c[1]);
        assertThat(page.locator("#hm-tip").textContent()).startsWith("0.060 s to 0.080 s: ");
        screenshot("heatmap.png");
    }

    @Test
    void aSelectionIsTheBaseOfADiffAgainstTheNext() throws Exception {
        openHeatmap(trace);
        drag(1, 0, 1, 49);   // the second second
        reloading(() -> page.click("#hm-base"));
        drag(0, 0, 0, 49);   // against the first
        assertThat(page.evaluate("() => window.proflabView.mode")).isEqualTo("diff");
        JsonNode api = get(trace, "api/diff/flame?from=0&to=" + S + "&baseFrom=" + S + "&baseTo=" + 2 * S).json();
        assertThat(total()).isEqualTo(api.get("total").asDouble());
        String summary = page.locator("#summary").textContent();
        assertThat(summary).contains("(" + api.get("base_samples").asLong() + " samples)")
                .contains("(" + api.get("samples").asLong() + " samples)");
        assertThat(api.get("base_samples").asLong()).isNotEqualTo(api.get("samples").asLong());
        assertThat(page.locator("#range-text").textContent()).contains("compared with 1.000s to 2.000s (base)");
        reloading(() -> page.click("#hm-stop"));
        assertThat(page.evaluate("() => window.proflabView.mode")).isEqualTo("current");
    }

    @Test
    void onAFolderADragSelectsTheWindowsOfThatTime() throws Exception {
        page.navigate(folder.url());
        page.waitForFunction("() => window.proflabHistory && window.proflabHistory.ready && window.proflabView.ready");
        page.click("#hm-toggle");
        page.waitForFunction("() => window.proflabHeatmap && window.proflabHeatmap.ready && window.proflabHeatmap.data");
        JsonNode h = get(folder, "api/heatmap?kind=cpu").json();
        assertThat(page.evaluate("() => window.proflabHeatmap.data.windows")).isEqualTo(120);
        assertThat(h.get("column_ns").asLong()).isEqualTo(15 * S);   // two hours in at most 600 columns asked... or fewer
        int cols = ((Number) page.evaluate("() => window.proflabHeatmap.data.columns")).intValue();
        // the first column to the last: all the windows, merged
        drag(0, 0, cols - 1, 49);
        String range = (String) page.evaluate("() => window.proflabHistory.range");
        JsonNode api = get(folder, "api/flame?kind=cpu&range=" + range).json();
        assertThat(total()).isEqualTo(api.get("total").asDouble());
        assertThat(api.get("total").asLong()).isEqualTo(60 * 30 * 10_000_000L + 60 * 300 * 10_000_000L);
    }
}
