package dev.proflab.export;

import dev.proflab.profile.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** async-profiler's page, fed from the model: self-contained, titled, with the frames and units. */
class HtmlFlameGraphTest {

    @Test
    void handMadeProfile() {
        Profile p = PprofTest.handMade();
        String html = HtmlFlameGraph.render(p, 0, "cpu <of> fib");
        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(html).contains("<h1>cpu &lt;of&gt; fib</h1>");
        // names are prefix-compressed in the page's constant pool: look for their ends
        assertThat(html).contains("recursive'", "Worker.call'", "java.lang.Thread.run'", "[no stack]'",
                "__memset_avx2_unaligned_erms'");
        // self-contained: nothing loaded from elsewhere (links and SVG namespaces are not loads)
        assertThat(html).doesNotContain("<script src", "<link ", "@import", "cdn");
        // counts keep async-profiler's "samples"
        assertThat(html).contains("' samples'");
    }

    @Test
    void timeIsShownAsTimeNotSamples() {
        String html = HtmlFlameGraph.render(PprofTest.handMade(), 1);
        assertThat(html).doesNotContain("' samples'").contains("' ms'", "' s'");
        assertThat(html).contains("<h1>cpu: 5 samples, cpu 50.0 ms — cpu.jfr (async-profiler)</h1>");
    }

    @Test
    void realRecording(@TempDir Path dir) throws Exception {
        Profile alloc = Recordings.allocProfile();
        String html = HtmlFlameGraph.render(alloc, 1);
        assertThat(html).contains("Fib.boxes", "' MiB'");
        Path file = dir.resolve("fib-alloc.html");
        Files.writeString(file, html);
        Keep.copy(file);
    }
}
