package dev.proflab.viewer;

import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.KeyboardModifier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timeline in a real browser (the system Chromium driven by Playwright), on the recording of the
 * labs' {@code trace} workload: lanes drawn, GC bands, zoom, and a range selected on the timeline makes the
 * flame graph show that range only. Skipped with a message when {@code /usr/bin/chromium} is missing,
 * except under {@code CI=true} ({@link BrowserTest}). Screenshot: {@code target/screenshots/timeline.png}.
 */
@Tag("slow")
class TimelineBrowserTest extends BrowserTest {

    static ViewerServer trace;
    static ViewerServer cpu;

    @BeforeAll
    static void startServers() {
        trace = new ViewerServer(TimelineApiTest.TRACE, null).start("127.0.0.1", 0);
        cpu = new ViewerServer(ViewerApiTest.CPU, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopServers() {
        stop(trace, cpu);
    }

    @Override
    int[] viewport() {
        return new int[] {1300, 1000};
    }

    void openTimeline(ViewerServer s) {
        page.navigate(s.url());
        page.waitForFunction("() => window.proflabView && window.proflabView.ready");
        page.waitForFunction("() => window.proflabTimeline && window.proflabTimeline.ready");
    }

    double flameTotal() {
        return ((Number) page.evaluate("() => window.proflabView.total")).doubleValue();
    }

    @SuppressWarnings("unchecked")
    List<String> lanes() {
        return (List<String>) page.evaluate("() => window.proflabTimeline.lanes");
    }

    @Test
    void drawsLanesAndBandsAndARangeNarrowsTheFlameGraph() {
        openTimeline(trace);
        assertThat(page.locator("#timeline-section").isVisible()).isTrue();
        assertThat(lanes()).contains("fib-long-1", "fib-long-2", "queue-taker", "consumer", "lock-holder");
        assertThat(lanes()).anyMatch(n -> n.startsWith("short-"));
        // GC pauses as bands, with a tooltip naming them
        Number gcBands = (Number) page.evaluate("() => window.proflabTimeline.bands.filter(b => b.kind === 'gc').length");
        assertThat(gcBands.intValue()).isEqualTo(4);
        assertThat(page.locator("#tl-info").textContent()).contains("4 GC pauses");
        @SuppressWarnings("unchecked")
        Map<String, Object> band = (Map<String, Object>) page.evaluate("() => window.proflabTimeline.bandBox('gc')");
        BoundingBox c = page.locator("#tl-canvas").boundingBox();
        page.mouse().move(c.x + ((Number) band.get("x")).doubleValue() + ((Number) band.get("w")).doubleValue() / 2,
                c.y + ((Number) band.get("y")).doubleValue() + 3);
        assertThat(page.locator("#tl-tip").isVisible()).isTrue();
        assertThat(page.locator("#tl-tip").textContent()).contains("GC pause").contains("G1");
        // a lane's tooltip tells its story
        @SuppressWarnings("unchecked")
        Map<String, Object> taker = (Map<String, Object>) page.evaluate("() => window.proflabTimeline.laneBox('queue-taker')");
        page.mouse().move(c.x + ((Number) taker.get("x")).doubleValue() + 300, c.y + ((Number) taker.get("y")).doubleValue() + 5);
        assertThat(page.locator("#tl-tip").textContent()).contains("queue-taker", "parked");
        screenshot("timeline.png");

        // shift-drag over the first quarter of the plot: the flame graph shows that range only
        double whole = flameTotal();
        double x0 = c.x + 170 + 5;
        double x1 = c.x + 170 + (c.width - 170) / 4;
        int loads = ((Number) page.evaluate("() => window.proflabView.loads")).intValue();
        page.mouse().move(x0, c.y + 60);
        page.keyboard().down("Shift");
        page.mouse().down();
        page.mouse().move((x0 + x1) / 2, c.y + 60);
        page.mouse().move(x1, c.y + 60);
        page.mouse().up();
        page.keyboard().up("Shift");
        page.waitForFunction("n => window.proflabView.ready && window.proflabView.loads > n", loads);
        @SuppressWarnings("unchecked")
        Map<String, Object> range = (Map<String, Object>) page.evaluate("() => window.proflab.range()");
        assertThat(range).isNotNull();
        long duration = ((Number) page.evaluate("() => window.proflabTimeline.view.to")).longValue();
        assertThat(((Number) range.get("to")).longValue()).isLessThan(duration / 2);
        double part = flameTotal();
        assertThat(part).isPositive().isLessThan(whole * 0.6);
        assertThat(page.locator("#range-bar").isVisible()).isTrue();
        screenshot("timeline-range.png");

        // clear range: the whole recording again
        loads = ((Number) page.evaluate("() => window.proflabView.loads")).intValue();
        page.click("#tl-clear");
        page.waitForFunction("n => window.proflabView.ready && window.proflabView.loads > n", loads);
        assertThat(page.evaluate("() => window.proflab.range()")).isNull();
        assertThat(flameTotal()).isEqualTo(whole);
    }

    @Test
    void zoomAndPanChangeTheView() {
        openTimeline(trace);
        long to = ((Number) page.evaluate("() => window.proflabTimeline.view.to")).longValue();
        int loads = ((Number) page.evaluate("() => window.proflabTimeline.loads")).intValue();
        page.click("#tl-zoom-in");
        page.waitForFunction("n => window.proflabTimeline.ready && window.proflabTimeline.loads > n", loads);
        double span = ((Number) page.evaluate("() => window.proflabTimeline.view.to - window.proflabTimeline.view.from")).doubleValue();
        assertThat(span).isCloseTo(to / 2.0, org.assertj.core.data.Percentage.withPercentage(1));
        // drag right: the view moves to earlier times
        double from = ((Number) page.evaluate("() => window.proflabTimeline.view.from")).doubleValue();
        BoundingBox c = page.locator("#tl-canvas").boundingBox();
        page.mouse().move(c.x + 600, c.y + 80);
        page.mouse().down();
        page.mouse().move(c.x + 700, c.y + 80);
        page.mouse().up();
        double after = ((Number) page.evaluate("() => window.proflabTimeline.view.from")).doubleValue();
        assertThat(after).isLessThan(from);
        // wheel zooms in around the mouse
        page.mouse().move(c.x + 400, c.y + 80);
        loads = ((Number) page.evaluate("() => window.proflabTimeline.loads")).intValue();
        page.mouse().wheel(0, -100);
        page.waitForFunction("n => window.proflabTimeline.ready && window.proflabTimeline.loads > n", loads);
        double span2 = ((Number) page.evaluate("() => window.proflabTimeline.view.to - window.proflabTimeline.view.from")).doubleValue();
        assertThat(span2).isLessThan(span);
        // idle threads can be shown (the same data, drawn again)
        page.waitForFunction("() => window.proflabTimeline.ready");
        int shown = lanes().size();
        int hidden = ((Number) page.evaluate("() => window.proflabTimeline.idleHidden")).intValue();
        page.uncheck("#tl-hide-idle");
        page.waitForFunction("() => window.proflabTimeline.ready && window.proflabTimeline.idleHidden === 0");
        assertThat(lanes()).hasSize(shown + hidden);
        assertThat(((Number) page.evaluate("() => window.proflabTimeline.idleHidden")).intValue()).isZero();
    }

    @Test
    void aPprofProfileShowsNoTimeline() {
        ViewerServer pprof = new ViewerServer(Path.of("../profile/src/test/resources/profiles/ap-cpu.pb.gz"), null)
                .start("127.0.0.1", 0);
        try {
            openTimeline(pprof);
            assertThat(page.evaluate("() => window.proflabTimeline.available")).isEqualTo(false);
            assertThat(page.locator("#timeline-section").isHidden()).isTrue();
            assertThat(page.locator("#flame").isVisible()).isTrue();
        } finally {
            pprof.stop();
        }
    }

    @Test
    void aRecordingWithoutJdkEventsSaysSo() {
        openTimeline(cpu);
        // async-profiler cpu: lanes from samples, no bands, and a note why
        assertThat(page.locator("#timeline-section").isVisible()).isTrue();
        assertThat(lanes()).isNotEmpty();
        assertThat(page.locator("#tl-note").textContent()).contains("GC pauses and safepoints need a JDK Flight Recorder recording");
        Number bands = (Number) page.evaluate("() => window.proflabTimeline.bands.length");
        assertThat(bands.intValue()).isZero();
    }
}
