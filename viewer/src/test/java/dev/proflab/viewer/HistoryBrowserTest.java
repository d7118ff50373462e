package dev.proflab.viewer;

import com.microsoft.playwright.options.BoundingBox;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proflab view DIR} in a real browser: a folder as {@code proflab collect} writes it, ten cpu
 * windows a minute apart (the recursive fib until 10:04, the memo from 10:05: a fix deployed), allocs
 * and mutex windows. The latest is shown on open; a click shows one window, a drag a range merged,
 * Compare and a second drag their difference. Screenshot: {@code target/screenshots/history.png}.
 */
@Tag("slow")
class HistoryBrowserTest extends BrowserTest {

    static final String RECURSIVE = DiffBrowserTest.RECURSIVE;
    static final String MEMO = DiffBrowserTest.MEMO;

    @TempDir
    static Path dir;
    static ViewerServer server;

    @BeforeAll
    static void startServer() throws IOException {
        for (int m = 0; m < 10; m++) {
            HistoryApiTest.window(dir, m < 5 ? HistoryApiTest.BEFORE : HistoryApiTest.AFTER, "cpu", m, "jfr");
        }
        for (int m = 0; m < 10; m += 3) {
            HistoryApiTest.window(dir, HistoryApiTest.ALLOC, "allocs", m, "jfr");
        }
        HistoryApiTest.window(dir, ViewerApiTest.LOCK, "mutex", 0, "jfr");
        HistoryApiTest.window(dir, ViewerApiTest.LOCK, "mutex", 5, "jfr");
        server = new ViewerServer(dir, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopServer() {
        stop(server);
    }

    @Override
    int[] viewport() {
        return new int[] {1300, 900};
    }

    static String cpu(int minute) {
        return String.format("cpu/cpu_20261126-10%02d00.jfr", minute);
    }

    @SuppressWarnings("unchecked")
    List<String> hook(String name) {
        return (List<String>) page.evaluate("n => window.proflabHistory[n]", name);
    }

    double total() {
        return ((Number) page.evaluate("() => window.proflabView.total")).doubleValue();
    }

    /** The middle of a window's mark, in page coordinates. */
    double[] mark(String name) {
        @SuppressWarnings("unchecked")
        Map<String, Object> box = (Map<String, Object>) page.evaluate("n => window.proflabHistory.markBox(n)", name);
        assertThat(box).as("mark of " + name).isNotNull();
        BoundingBox c = page.locator("#hs-canvas").boundingBox();
        return new double[] {c.x + ((Number) box.get("x")).doubleValue() + ((Number) box.get("w")).doubleValue() / 2,
                c.y + ((Number) box.get("y")).doubleValue() + ((Number) box.get("h")).doubleValue() / 2};
    }

    /** Drags on the time axis from one window's mark to another's (a little past both). */
    void drag(String from, String to) {
        double[] a = mark(from);
        double[] b = mark(to);
        reloading(() -> {
            page.mouse().move(a[0] - 2, a[1]);
            page.mouse().down();
            page.mouse().move(b[0] + 2, b[1], new com.microsoft.playwright.Mouse.MoveOptions().setSteps(6));
            page.mouse().up();
        });
    }

    void click(String name) {
        double[] p = mark(name);
        reloading(() -> page.mouse().click(p[0], p[1]));
    }

    @Test
    void opensOnTheLatestWindowAndAClickOrADragSelectsOthers() {
        openHistory();
        assertThat(page.locator("#history-section").isVisible()).isTrue();
        assertThat(page.locator("#timeline-section").isVisible()).isFalse();
        assertThat(hook("kinds")).containsExactly("cpu", "allocs", "mutex");
        assertThat(hook("windows")).hasSize(10).contains(cpu(0), cpu(9));
        // one mark per window, left to right in time
        double previous = -1;
        for (int m = 0; m < 10; m++) {
            double x = mark(cpu(m))[0];
            assertThat(x).isGreaterThan(previous);
            previous = x;
        }
        assertThat(hook("selected")).containsExactly(cpu(9));
        assertThat(drew("Fib.memo")).isTrue();
        assertThat(page.locator("#file").textContent()).contains("cpu 2026-11-26 10:09:00 UTC");
        double one = total();

        click(cpu(2));
        assertThat(hook("selected")).containsExactly(cpu(2));
        assertThat(drew("Fib.recursive")).isTrue();
        assertThat(drew("Fib.memo")).isFalse();
        assertThat(page.url()).contains("range=");

        // one click back to the latest
        reloading(() -> page.click("#hs-latest"));
        assertThat(hook("selected")).containsExactly(cpu(9));
        assertThat(total()).isEqualTo(one);

        // a drag over the first five: merged, five times the samples of one recursive window
        click(cpu(0));
        double first = total();
        drag(cpu(0), cpu(4));
        assertThat(hook("selected")).containsExactly(cpu(0), cpu(1), cpu(2), cpu(3), cpu(4));
        assertThat(total()).isEqualTo(5 * first);
        assertThat(page.locator("#file").textContent()).contains("5 windows merged");
    }

    @Test
    void compareTwoRangesShowsTheirDifference() {
        openHistory();
        drag(cpu(5), cpu(9));
        assertThat(hook("selected")).hasSize(5);
        page.click("#hs-compare");
        assertThat((Boolean) page.evaluate("() => window.proflabHistory.comparing")).isTrue();
        drag(cpu(0), cpu(4));
        assertThat(hook("base")).containsExactly(cpu(0), cpu(1), cpu(2), cpu(3), cpu(4));
        assertThat(hook("selected")).containsExactly(cpu(5), cpu(6), cpu(7), cpu(8), cpu(9));
        assertThat((String) page.evaluate("() => window.proflabView.mode")).isEqualTo("diff");
        assertThat(page.locator("#diff-controls").isVisible()).isTrue();
        assertThat(page.locator("#summary").textContent()).contains("base", "current");
        @SuppressWarnings("unchecked")
        Map<String, Object> recursive = (Map<String, Object>) page.evaluate("n => window.proflabView.frame(n)", RECURSIVE);
        assertThat(((Number) recursive.get("delta")).doubleValue()).isLessThan(-0.9);
        @SuppressWarnings("unchecked")
        Map<String, Object> memo = (Map<String, Object>) page.evaluate("n => window.proflabView.frame(n)", MEMO);
        assertThat(((Number) memo.get("delta")).doubleValue()).isGreaterThan(0.5);
        assertThat(page.url()).contains("base=", "range=");
        screenshot("history.png");

        // the URL opens the same comparison
        String url = page.url();
        page.navigate("about:blank");
        page.navigate(url);
        page.waitForFunction("() => window.proflabView && window.proflabView.ready && window.proflabView.loads > 0");
        assertThat(hook("base")).hasSize(5);
        assertThat((String) page.evaluate("() => window.proflabView.mode")).isEqualTo("diff");

        // stop comparing: the selection alone
        reloading(() -> page.click("#hs-stop"));
        assertThat(hook("base")).isEmpty();
        assertThat(page.locator("#diff-controls").isVisible()).isFalse();
        assertThat(drew("Fib.memo")).isTrue();
    }

    /** Opens the shared folder and waits until its windows are listed and the latest is drawn. */
    private void openHistory() {
        openView(server);
        page.waitForFunction("() => window.proflabHistory && window.proflabHistory.ready"
                + " || !document.getElementById('error').hidden");
        assertThat(page.locator("#error").isVisible())
                .as("the page's error: %s", page.locator("#error").textContent()).isFalse();
        page.waitForFunction("() => window.proflabHistory.kinds.length > 0 && window.proflabView.ready");
    }

    @Test
    void anotherKindIsAnotherLane() {
        openHistory();
        reloading(() -> page.selectOption("#hs-kind", "allocs"));
        assertThat((String) page.evaluate("() => window.proflabView.event")).isEqualTo("alloc");
        assertThat(hook("selected")).containsExactly("allocs/allocs_20261126-100900.jfr");
        assertThat(page.inputValue("#value")).isEqualTo("alloc_space");
        // a click on the mutex lane switches to that kind
        click("mutex/mutex_20261126-100000.jfr");
        assertThat((String) page.evaluate("() => window.proflabHistory.kind")).isEqualTo("mutex");
        assertThat(hook("selected")).containsExactly("mutex/mutex_20261126-100000.jfr");
        assertThat((String) page.evaluate("() => window.proflabView.event")).isEqualTo("lock");
    }

    @Test
    void aRangeWithoutWindowsSaysWhyAndLatestRecovers() {
        // e.g. a link to windows the collector's retention has deleted since
        openView(server, "#kind=cpu&range=1000..2000");
        assertThat(page.locator("#error").isVisible()).isTrue();
        assertThat(page.locator("#error").textContent()).contains("no cpu window", "retention");
        reloading(() -> page.click("#hs-latest"));
        assertThat(page.locator("#error").isVisible()).isFalse();
        assertThat(hook("selected")).containsExactly(cpu(9));
    }

    @Test
    void followShowsEachNewWindowUntilAPickOfOnesOwn(@TempDir Path live) throws IOException {
        for (int m = 0; m < 3; m++) {
            HistoryApiTest.window(live, HistoryApiTest.BEFORE, "cpu", m, "jfr");
        }
        ViewerServer s = new ViewerServer(live, null).start("127.0.0.1", 0);
        try {
            openView(s);
            page.waitForFunction("() => window.proflabHistory.kinds.length > 0 && window.proflabView.ready");
            assertThat(hook("selected")).containsExactly(cpu(2));
            page.click("#hs-follow");
            assertThat(page.locator("#hs-follow").getAttribute("aria-pressed")).isEqualTo("true");
            assertThat(page.url()).contains("follow=1");

            // a new window is shown when the folder is next listed
            HistoryApiTest.window(live, HistoryApiTest.AFTER, "cpu", 5, "jfr");
            page.waitForFunction("n => window.proflabHistory.selected.includes(n)", cpu(5),
                    new com.microsoft.playwright.Page.WaitForFunctionOptions().setTimeout(15_000));
            assertThat(hook("selected")).containsExactly(cpu(5));
            assertThat(drew("Fib.memo")).isTrue();

            // a click on an older window stops following: the next new one is listed, not shown
            click(cpu(0));
            assertThat(page.locator("#hs-follow").getAttribute("aria-pressed")).isEqualTo("false");
            HistoryApiTest.window(live, HistoryApiTest.AFTER, "cpu", 7, "jfr");
            page.waitForFunction("n => window.proflabHistory.windows.includes(n)", cpu(7),
                    new com.microsoft.playwright.Page.WaitForFunctionOptions().setTimeout(15_000));
            assertThat(hook("selected")).containsExactly(cpu(0));
            assertThat(page.url()).doesNotContain("follow=1");

            // a link with follow=1 opens on the newest window whatever its range says, and keeps following
            page.navigate("about:blank");
            openView(s, "#kind=cpu&range=1..2&follow=1");
            page.waitForFunction("() => window.proflabHistory.kinds.length > 0 && window.proflabView.ready");
            assertThat(hook("selected")).containsExactly(cpu(7));
            assertThat(page.locator("#hs-follow").getAttribute("aria-pressed")).isEqualTo("true");
        } finally {
            s.stop();
        }
    }

    @Test
    void aBombAmongTheWindowsIsShownAsUnreadable(@TempDir Path folder) throws IOException {
        HistoryApiTest.window(folder, HistoryApiTest.BEFORE, "cpu", 0, "jfr");
        HistoryBombTest.bomb(folder.resolve("cpu/cpu_20261126-100100.pb.gz"));
        ViewerServer s = new ViewerServer(folder, null).start("127.0.0.1", 0);
        try {
            // the newest window is the bomb: the page opens on it and says why it shows nothing
            openView(s);
            page.waitForFunction("() => window.proflabHistory.kinds.length > 0 && window.proflabHistory.ready");
            page.waitForFunction("() => !document.getElementById('error').hidden");
            assertThat(page.locator("#error").textContent()).contains("cpu_20261126-100100.pb.gz",
                    "inflates to more than", "decompression bomb");
            String bomb = "cpu/cpu_20261126-100100.pb.gz";
            double[] at = mark(bomb);
            page.mouse().move(at[0], at[1]);
            assertThat(page.locator("#hs-tip").isVisible()).isTrue();
            assertThat(page.locator("#hs-tip .unreadable").textContent()).startsWith("unreadable: gzip data that inflates");
            // the window before it reads as ever
            click(cpu(0));
            assertThat(page.locator("#error").isVisible()).isFalse();
            assertThat(total()).isPositive();
        } finally {
            s.stop();
        }
    }

    @Test
    void anEmptyFolderSaysHowToFillItAndShowsTheFirstWindowWhenItComes(@TempDir Path empty) throws IOException {
        ViewerServer s = new ViewerServer(empty, null).start("127.0.0.1", 0);
        try {
            openView(s);
            assertThat(page.locator("#hs-note").isVisible()).isTrue();
            assertThat(page.locator("#hs-note").textContent()).contains("proflab collect", "--out");
            assertThat(page.locator("#flame-section").isVisible()).isFalse();
            HistoryApiTest.window(empty, HistoryApiTest.AFTER, "cpu", 7, "jfr");
            page.waitForFunction("() => window.proflabView.total > 0", null,
                    new com.microsoft.playwright.Page.WaitForFunctionOptions().setTimeout(15_000));
            assertThat(hook("selected")).containsExactly(cpu(7));
            assertThat(page.locator("#hs-note").isVisible()).isFalse();
            assertThat(page.locator("#flame-section").isVisible()).isTrue();
        } finally {
            s.stop();
        }
    }
}
