package dev.proflab.export;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SVG is well-formed XML whose boxes have the widths, places and colours of the call tree. */
class SvgFlameGraphTest {

    record Box(String title, double x, double y, double width, String fill, String text) {
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Box> boxes(Document d) {
        List<Box> out = new ArrayList<>();
        NodeList gs = d.getElementsByTagName("g");
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            NodeList rects = g.getElementsByTagName("rect");
            NodeList titles = g.getElementsByTagName("title");
            if (rects.getLength() != 1 || titles.getLength() != 1) {
                continue;
            }
            Element r = (Element) rects.item(0);
            NodeList texts = g.getElementsByTagName("text");
            out.add(new Box(titles.item(0).getTextContent(), Double.parseDouble(r.getAttribute("x")),
                    Double.parseDouble(r.getAttribute("y")), Double.parseDouble(r.getAttribute("width")),
                    r.getAttribute("fill"), texts.getLength() == 0 ? "" : texts.item(0).getTextContent()));
        }
        return out;
    }

    /** A differential flame graph says each frame's change in the comparison's own terms: shares, per op, per second. */
    @Test
    void aComparisonsTooltipsSayItsNormalisation() throws Exception {
        Path dir = dev.proflab.profile.fixture.Fixtures.checkedIn("diff");
        dev.proflab.profile.ReadOptions o = dev.proflab.profile.ReadOptions.defaults().withAggregate(true);
        Profile a = dev.proflab.profile.ProfileReader.read(dir.resolve("a01.jfr"), o);
        Profile b = dev.proflab.profile.ProfileReader.read(dir.resolve("b01.jfr"), o);
        dev.proflab.report.Selection all = dev.proflab.report.Selection.all();
        String ops = SvgFlameGraph.render(dev.proflab.report.Diff.compute(List.of(a), List.of(b), all,
                dev.proflab.report.Diff.Normalize.OPS, 0.001, dev.proflab.profile.Operations.read(dir.resolve("a01.jfr")),
                dev.proflab.profile.Operations.read(dir.resolve("b01.jfr"))), "t", SvgFlameGraph.Options.defaults());
        Box checksum = boxes(parse(ops)).stream().filter(x -> x.title().startsWith("Workload.checksum ("))
                .findFirst().orElseThrow();
        // on this path: 300 ms in a01 over its 600 ops, 580 ms in b01 over its 400
        assertThat(checksum.title()).contains("580 ms, 13.1%; self 560 ms; per op 500us \u2192 1.45ms");
        String shares = SvgFlameGraph.render(dev.proflab.report.Diff.compute(a, b, all,
                dev.proflab.report.Diff.Normalize.TOTAL, 0.001), "t", SvgFlameGraph.Options.defaults());
        assertThat(boxes(parse(shares))).anySatisfy(x -> assertThat(x.title()).startsWith("Workload.checksum (")
                .containsPattern("; share [0-9.]+% \u2192 [0-9.]+%"));
        String perSecond = SvgFlameGraph.render(dev.proflab.report.Diff.compute(a, b, all,
                dev.proflab.report.Diff.Normalize.DURATION, 0.001), "t", SvgFlameGraph.Options.defaults());
        assertThat(boxes(parse(perSecond))).anySatisfy(x -> assertThat(x.title()).startsWith("Workload.checksum (")
                .containsPattern("; per second [0-9.]+ ms \u2192 [0-9.]+ ms"));
    }

    @Test
    void boxesOfAHandMadeProfile() throws Exception {
        Profile p = PprofTest.handMade();
        String svg = SvgFlameGraph.render(p, 0, new SvgFlameGraph.Options(1200, 0, "a <title> & more"));
        Document d = parse(svg);
        Element root = d.getDocumentElement();
        assertThat(root.getAttribute("width")).isEqualTo("1200");
        assertThat(svg).contains("a &lt;title&gt; &amp; more");
        List<Box> boxes = boxes(d);
        // all, Thread.run, Worker.call, recursive, memset, recursive, recursive
        assertThat(boxes).hasSize(7);
        Box all = boxes.get(0);
        assertThat(all.title()).startsWith("all (5,");
        assertThat(all.width()).isCloseTo(1180, org.assertj.core.data.Offset.offset(0.01));
        Box run = boxes.stream().filter(b -> b.title().startsWith("java.lang.Thread.run ")).findFirst().orElseThrow();
        assertThat(run.width()).isCloseTo(1180 * 4 / 5.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(run.y()).isEqualTo(all.y() - SvgFlameGraph.FRAME_HEIGHT);
        assertThat(run.title()).isEqualTo("java.lang.Thread.run (4, 80.0%)");
        Box memset = boxes.stream().filter(b -> b.title().startsWith("__memset")).findFirst().orElseThrow();
        assertThat(memset.title()).isEqualTo("__memset_avx2_unaligned_erms (1, 20.0%; self 1)");
        // colours by kind: native red, JDK aqua, application Java green
        assertThat(rgb(memset.fill())[0]).isGreaterThan(200);
        assertThat(rgb(run.fill())[2]).isGreaterThan(180);
        Box worker = boxes.stream().filter(b -> b.title().startsWith("dev.proflab.labs.fib.Fib$Worker.call"))
                .findFirst().orElseThrow();
        int[] green = rgb(worker.fill());
        assertThat(green[1]).isGreaterThan(green[0] + 80).isGreaterThan(green[2] + 80);
        // the colour of a name is stable
        assertThat(SvgFlameGraph.render(p, 0)).isEqualTo(SvgFlameGraph.render(p, 0));
    }

    @Test
    void narrowBoxesArePrunedAndCounted() throws Exception {
        Profile.Builder b = new Profile.Builder(new Profile.Meta("pprof", "cpu", 0, null, null, "", "", ""),
                List.of(new ValueType("samples", "count")));
        int main = b.frame(new Frame("app.Main", "main", "", 1, Frame.Kind.JIT));
        int hot = b.frame(new Frame("app.Main", "hot", "", 2, Frame.Kind.JIT));
        int cold = b.frame(new Frame("app.Main", "cold", "", 3, Frame.Kind.JIT));
        int colder = b.frame(new Frame("app.Main", "colder", "", 4, Frame.Kind.JIT));
        b.sample(b.stack(new int[] {hot, main}), b.thread("t"), 0, 10_000);
        b.sample(b.stack(new int[] {colder, cold, main}), b.thread("t"), 0, 1);
        String svg = SvgFlameGraph.render(b.build(), 0, new SvgFlameGraph.Options(1200, 1, null));
        List<Box> boxes = boxes(parse(svg));
        assertThat(boxes).extracting(Box::title).noneMatch(t -> t.startsWith("app.Main.cold"));
        assertThat(svg).contains("2 frames narrower than 1 px not shown");
    }

    @Test
    void labelsFitTheirBoxes() {
        assertThat(SvgFlameGraph.label("dev.proflab.labs.fib.Fib.recursive", 1000))
                .isEqualTo("dev.proflab.labs.fib.Fib.recursive");
        assertThat(SvgFlameGraph.label("dev.proflab.labs.fib.Fib.recursive", 100)).isEqualTo("Fib.recursive");
        assertThat(SvgFlameGraph.label("dev.proflab.labs.fib.Fib.recursive", 70)).isEqualTo("Fib.rec..");
        assertThat(SvgFlameGraph.label("dev.proflab.labs.fib.Fib.recursive", 30)).isEmpty();
        assertThat(SvgFlameGraph.label("libjvm.so.Thread::call_run", 120)).isEqualTo("Thread::call_run");
        assertThat(SvgFlameGraph.shortName("java.util.HashMap$Node.<init>")).isEqualTo("HashMap$Node.<init>");
    }

    @Test
    void emptyProfileStillDraws() throws Exception {
        Profile.Builder b = new Profile.Builder(new Profile.Meta("jfr", "lock", 0, null, null, "", "", ""),
                List.of(new ValueType("delay", "nanoseconds")));
        String svg = SvgFlameGraph.render(b.build(), 0);
        parse(svg);
        assertThat(svg).contains("nothing to draw");
    }

    @Test
    void badOptions() {
        assertThatThrownBy(() -> new SvgFlameGraph.Options(10, 1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SvgFlameGraph.Options(1200, Double.NaN, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The picture of a real recording; -Dexport.keep=DIR keeps fib-cpu.svg to look at. */
    @Test
    void realRecording(@TempDir Path dir) throws Exception {
        Profile p = Recordings.cpuProfile();
        String svg = SvgFlameGraph.render(p, 1);
        Path file = dir.resolve("fib-cpu.svg");
        Files.writeString(file, svg);
        Keep.copy(file);
        List<Box> boxes = boxes(parse(svg));
        assertThat(boxes.get(0).title()).startsWith("all (");
        assertThat(boxes).extracting(Box::text).contains("dev.proflab.export.Fib.recursive");
        assertThat(svg).contains("cpu: " + String.format(java.util.Locale.ROOT, "%,d", p.total(p.valueIndex("samples")))
                + " samples, cpu ");
        // Every box lies inside the image.
        assertThat(boxes).allSatisfy(bx -> {
            assertThat(bx.x()).isBetween(9.99, 1190.01);
            assertThat(bx.x() + bx.width()).isLessThanOrEqualTo(1190.01);
            assertThat(bx.y()).isPositive();
        });
    }

    static int[] rgb(String hex) {
        int v = Integer.parseInt(hex.substring(1), 16);
        return new int[] {v >> 16 & 0xff, v >> 8 & 0xff, v & 0xff};
    }
}
