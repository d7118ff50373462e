package dev.proflab.viewer;

import dev.proflab.export.ExportFormat;
import dev.proflab.export.Pprof;
import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ValueType;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names that are attacks, in a real browser: a pprof file whose string table holds script, event
 * handlers, quotes, line separators and control characters, a JFR recording of a thread named like
 * that, a folder of collected profiles with such file names, and async-profiler's HTML flame graph
 * exported from the same profile. On each page: no dialog opens, no element is injected, and the
 * name is shown exactly, as text, where the page shows names (top table, tooltips, callers,
 * timeline lanes, the history's notes).
 */
@Tag("slow")
class HostileNamesBrowserTest extends BrowserTest {

    /** Each would run {@code alert} (or add an element) if it reached the page as markup or script. */
    static final List<String> NAMES = List.of(
            "</script><script>alert(1)</script>",
            "\"><img src=x onerror=alert(2)>",
            "'><svg onload=alert(3)>",
            "';alert(4);//",
            "<iframe srcdoc=\"<script>parent.alert(5)</script>\">",
            "line\u2028sep\u2029para",
            "]]><x>",
            "nul\u0000byte",
            "\u001b[2Jescape",
            "new\nline",
            "back\\slash\\'quote",
            "%u003Cb%u003Enot bold",
            "&lt;b&gt;entity");

    /** The viewer page's own scripts: those of its index.html. */
    static final int VIEWER_SCRIPTS = viewerScripts();

    static int viewerScripts() {
        try (var in = ViewerServer.class.getResourceAsStream("/dev/proflab/viewer/web/index.html")) {
            String html = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return html.split("<script ", -1).length - 1;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static final String THREAD = "\"><img src=x onerror=alert('thread')>\u2028</script>";

    @TempDir
    static Path dir;
    static Path pprof;
    static Path html;
    static ViewerServer names;
    static ViewerServer threads;
    static ViewerServer folder;
    static ViewerServer diff;

    final List<String> dialogs = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        pprof = dir.resolve("hostile.pb.gz");
        Files.write(pprof, Pprof.encode(profile()));
        html = dir.resolve("hostile.html");
        Files.write(html, ExportFormat.HTML.export(ProfileReader.read(pprof), null));
        names = new ViewerServer(pprof, null).start("127.0.0.1", 0);
        diff = new ViewerServer(pprof, pprof, null).start("127.0.0.1", 0);
        threads = new ViewerServer(recordHostileThread(dir.resolve("threads.jfr")), null).start("127.0.0.1", 0);
        Path history = dir.resolve("history");
        Files.createDirectories(history.resolve("cpu"));
        Files.copy(pprof, history.resolve("cpu/cpu_20261126-100000 " + NAMES.get(1) + ".pb.gz"));
        // no time in its name: read to be placed, and skipped with the reason
        Files.writeString(history.resolve("cpu/" + NAMES.get(2) + ".pb.gz"), "not a profile");
        folder = new ViewerServer(history, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopServers() {
        stop(names, threads, folder, diff);
    }

    @BeforeEach
    void watchForDialogs() {
        page.onDialog(d -> {
            dialogs.add(d.type() + ": " + d.message());
            d.dismiss();
        });
    }

    /** Each name in its own stack under {@code java.lang.Thread.run}; the value types carry names too. */
    static Profile profile() {
        Profile.Builder b = new Profile.Builder(
                new Profile.Meta("async-profiler", "cpu", 10_000_000, Instant.parse("2026-11-26T10:00:00Z"),
                        Duration.ofSeconds(2), "25", "java", "hostile.jfr"),
                List.of(new ValueType("samples", "count"), new ValueType("cpu", "nanoseconds")));
        int run = b.frame(new Frame("java.lang.Thread", "run", "()V", 1, Frame.Kind.JIT));
        for (int i = 0; i < NAMES.size(); i++) {
            int f = b.frame(new Frame("evil.Cls", NAMES.get(i), "()V", 7, Frame.Kind.JIT));
            int s = b.stack(new int[] {f, run});
            int t = b.thread(NAMES.get(i));
            b.sample(s, t, i, 5, 50_000_000L);
        }
        return b.build();
    }

    /** A JFR recording of this JVM in which a thread named {@link #THREAD} spins and parks. */
    static Path recordHostileThread(Path file) throws IOException, InterruptedException {
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.enable("jdk.ThreadStart");
            r.enable("jdk.ThreadEnd");
            r.enable("jdk.ThreadPark").withThreshold(Duration.ofMillis(1));
            r.start();
            Thread t = new Thread(() -> {
                long end = System.nanoTime() + 600_000_000L;
                long x = 0;
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 100_000; i++) {
                        x += i ^ x;
                    }
                    LockSupport.parkNanos(3_000_000);
                }
                if (x == 42) {
                    System.out.print("");
                }
            }, THREAD);
            t.start();
            t.join();
            r.stop();
            r.dump(file);
        }
        return file;
    }

    /** The names the server sends (the pprof reader's view of them), from the page's own API. */
    @SuppressWarnings("unchecked")
    List<String> apiNames() {
        List<Map<String, Object>> rows = (List<Map<String, Object>>) page.evaluate(
                "() => fetch('api/top?n=0').then(r => r.json())");
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            String n = (String) r.get("name");
            if (n.startsWith("evil.Cls.")) {
                out.add(n);
            }
        }
        return out;
    }

    /** A name as markup can carry it: NUL as U+FFFD, everything else exactly. */
    static String shown(String name) {
        return name.replace('\u0000', '\uFFFD');
    }

    static List<String> shown(List<String> names) {
        return names.stream().map(HostileNamesBrowserTest::shown).toList();
    }

    /** Nothing the names could have added: no dialog, no element of the kinds they hold, only the page's scripts. */
    void assertNothingInjected(int scripts) {
        page.waitForTimeout(300); // an injected element's error or load handler would have run by now
        assertThat(dialogs).as("dialogs").isEmpty();
        assertThat(page.locator("img, iframe, object, embed, x").count()).as("injected elements").isZero();
        assertThat(page.locator("svg[onload], [onerror], [onload]").count()).as("injected handlers").isZero();
        assertThat(page.locator("script").count()).as("script elements").isEqualTo(scripts);
    }

    @Test
    void viewerShowsNamesAsTextInTheTableTooltipsAndCallers() {
        openView(names);
        List<String> api = apiNames();
        // (the pprof reader takes the first '/' of a name for a package separator)
        assertThat(api).hasSize(NAMES.size()).contains("evil.Cls.<.script><script>alert(1)</script>",
                "evil.Cls." + NAMES.get(1), "evil.Cls." + NAMES.get(7), "evil.Cls." + NAMES.get(8));
        // the top table: every name as its row's text and in its data-name attribute, exactly (NUL, which
        // markup cannot carry, as U+FFFD)
        List<String> cells = page.locator("#top tbody tr td:last-child").allTextContents();
        List<String> attrs = page.locator("#top tbody tr").all().stream()
                .map(r -> r.getAttribute("data-name")).toList();
        assertThat(cells).containsAll(shown(api));
        assertThat(attrs).containsAll(shown(api));
        assertNothingInjected(VIEWER_SCRIPTS);

        for (String name : api) {
            atFrame(name, false);
            assertThat(page.locator("#tooltip").isVisible()).isTrue();
            assertThat(page.locator("#tooltip b").textContent()).isEqualTo(shown(name));
        }
        // select one: the callers/callees tab and the source tab name it as text
        String evil = "evil.Cls." + NAMES.get(1);
        atFrame(evil, true);
        page.click("#tabs [data-tab=calls]");
        page.waitForFunction("() => window.proflabView.calls");
        assertThat(page.locator("#calls-info b").textContent()).isEqualTo(evil);
        assertThat(page.locator("#calls tbody tr.self b").textContent()).isEqualTo(evil);
        page.click("#tabs [data-tab=source]");
        page.waitForFunction("() => window.proflabView.source");
        assertThat(page.locator("#source-info b").textContent()).isEqualTo(evil);
        assertThat(page.locator("#selected").textContent()).isEqualTo("selected: " + evil);
        page.click("#tabs [data-tab=sandwich]");
        page.waitForFunction("() => window.proflabView.sandwich");
        assertThat(page.locator("#sandwich-info b").textContent()).isEqualTo(evil);
        assertThat(page.evaluate("() => window.proflabView.sandwich.function")).isEqualTo(evil);
        // a click on a row selects by its data-name, which must be the name itself
        page.click("#tabs [data-tab=top]");
        page.locator("#top tbody tr[data-name]").filter(new com.microsoft.playwright.Locator.FilterOptions()
                .setHasText(NAMES.get(4))).first().click();
        assertThat(page.evaluate("() => window.proflabView.selected")).isEqualTo("evil.Cls." + NAMES.get(4));
        page.locator("#top tbody tr[data-name]").filter(new com.microsoft.playwright.Locator.FilterOptions()
                .setHasText("nul\uFFFDbyte")).first().click();
        assertThat(page.evaluate("() => window.proflabView.selected")).isEqualTo("evil.Cls.nul\u0000byte");
        screenshot("hostile-names.png");
        assertNothingInjected(VIEWER_SCRIPTS);
    }

    @Test
    void theDifferenceShowsNamesAsText() {
        openView(diff, "#mode=diff");
        List<String> api = apiNames();
        for (String name : api.subList(0, 5)) {
            atFrame(name, false);
            assertThat(page.locator("#tooltip b").textContent()).isEqualTo(shown(name));
        }
        assertThat(page.locator("#top tbody tr td:last-child").allTextContents()).containsAll(shown(api));
        assertNothingInjected(VIEWER_SCRIPTS);
    }

    @Test
    void timelineLanesShowAThreadsNameAsText() {
        page.setViewportSize(1300, 1000);
        page.navigate(threads.url());
        page.waitForFunction("() => window.proflabView && window.proflabView.ready");
        page.waitForFunction("() => window.proflabTimeline && window.proflabTimeline.ready");
        @SuppressWarnings("unchecked")
        List<String> lanes = (List<String>) page.evaluate("() => window.proflabTimeline.lanes");
        assertThat(lanes).contains(THREAD);
        @SuppressWarnings("unchecked")
        Map<String, Object> lane = (Map<String, Object>) page.evaluate(
                "n => window.proflabTimeline.laneBox(n)", THREAD);
        var c = page.locator("#tl-canvas").boundingBox();
        page.mouse().move(c.x + ((Number) lane.get("x")).doubleValue() + 300,
                c.y + ((Number) lane.get("y")).doubleValue() + 5);
        assertThat(page.locator("#tl-tip").isVisible()).isTrue();
        assertThat(page.locator("#tl-tip b").first().textContent()).isEqualTo(THREAD);
        // the flame graph's thread filter takes the name as a pattern, not as markup
        assertNothingInjected(VIEWER_SCRIPTS);
    }

    @Test
    void historyShowsFileNamesAsText() {
        openView(folder);
        page.waitForFunction("() => window.proflabHistory && window.proflabHistory.ready"
                + " && window.proflabHistory.kinds.length > 0 && window.proflabView.ready");
        String kept = "cpu/cpu_20261126-100000 " + NAMES.get(1) + ".pb.gz";
        String skipped = "cpu/" + NAMES.get(2) + ".pb.gz";
        assertThat(page.evaluate("() => window.proflabHistory.windows")).isEqualTo(List.of(kept));
        assertThat(page.locator("#hs-foot").textContent()).contains(skipped);
        @SuppressWarnings("unchecked")
        Map<String, Object> box = (Map<String, Object>) page.evaluate("n => window.proflabHistory.markBox(n)", kept);
        var c = page.locator("#hs-canvas").boundingBox();
        page.mouse().move(c.x + ((Number) box.get("x")).doubleValue() + ((Number) box.get("w")).doubleValue() / 2,
                c.y + ((Number) box.get("y")).doubleValue() + ((Number) box.get("h")).doubleValue() / 2);
        assertThat(page.locator("#hs-tip b").textContent()).isEqualTo(kept);
        assertThat(page.locator("#top tbody tr td:last-child").allTextContents())
                .contains("evil.Cls." + NAMES.get(1));
        assertNothingInjected(VIEWER_SCRIPTS);
    }

    @Test
    void asyncProfilersFlameGraphShowsNamesAsText() {
        page.navigate(html.toUri().toString());
        page.waitForFunction("() => typeof levels !== 'undefined' && levels.length > 1");
        assertNothingInjected(2);
        // the names the page's script ended up with: every one, exactly
        @SuppressWarnings("unchecked")
        List<String> titles = (List<String>) page.evaluate("() => levels.flat().map(f => f.title)");
        List<String> expected = new ArrayList<>();
        Profile read = ProfileReader.read(pprof);
        for (int i = 0; i < read.frameCount(); i++) {
            expected.add(read.frame(i).name());
        }
        assertThat(titles).containsAll(expected);
        assertThat(expected).contains("evil.Cls.<.script><script>alert(1)</script>", "evil.Cls." + NAMES.get(5),
                "evil.Cls." + NAMES.get(11));
        // hovered, a frame's name is the highlight's text and the status line's
        for (String name : expected) {
            if (!name.startsWith("evil.Cls.")) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> at = (Map<String, Object>) page.evaluate("""
                    n => { const f = levels.flat().find(f => f.title === n);
                           const r = canvas.getBoundingClientRect();
                           return { x: r.left + (f.left + f.width / 2) * px,
                                    y: r.top + canvasHeight - (f.level + 0.5) * 16 }; }""", name);
            page.mouse().move(((Number) at.get("x")).doubleValue(), ((Number) at.get("y")).doubleValue());
            assertThat(page.locator("#hl span").textContent()).isEqualTo(name);
            assertThat(page.locator("#status").textContent()).startsWith("Function: " + name + "\n(");
        }
        screenshot("hostile-flame.png");
        assertNothingInjected(2);
    }
}
