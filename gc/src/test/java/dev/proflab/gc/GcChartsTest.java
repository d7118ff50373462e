package dev.proflab.gc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link GcCharts} from runs built of real JDK 25 GC logs: well-formed SVG, a series per configuration, stable bytes. */
class GcChartsTest {

    static GcRun fromLog(String config, String log) throws Exception {
        JsonNode probe = new ObjectMapper().readTree("{\"wall_ns\":2000000000,\"allocated_bytes\":1048576000,"
                + "\"vm_hwm_kb\":102400,\"gc_cpu_ns\":300000000,\"oom_items\":null}");
        GcLogSummary s = GcLogSummary.of(GcLogParser.read(GcLogParserTest.log(log)));
        return GcRunner.measured(config, "before", 1, GcConfig.Collector.fromLog(s.log().collector()), null, probe, s);
    }

    static List<GcRun> runs() throws Exception {
        return List.of(fromLog("g1", "g1-jdk25.log"), fromLog("parallel", "parallel-jdk25.log"),
                fromLog("zgc", "zgc-jdk25.log"), fromLog("shenandoah", "shenandoah-jdk25.log"));
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> seriesGroups(Document d) {
        NodeList gs = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < gs.getLength(); i++) {
            out.add((Element) gs.item(i));
        }
        return out;
    }

    @Test
    void measuredRunsCarryTheLogsNumbers() throws Exception {
        GcRun g1 = fromLog("g1", "g1-jdk25.log");
        assertThat(g1.collector()).isEqualTo("G1");
        assertThat(g1.gcCount()).isEqualTo(91);
        assertThat(g1.pauseMaxMs()).isEqualTo(3.903);
        assertThat(g1.pausesMs()).hasSize(91).isSorted();
        assertThat(g1.allocRateMbS()).isEqualTo(500.0);
        assertThat(g1.rssPeakMb()).isEqualTo(100.0);
        assertThat(g1.gcCpuS()).isEqualTo(0.3);
        assertThat(g1.heap()).hasSize(2 * 91);
        GcRun zgc = fromLog("zgc", "zgc-jdk25.log");
        assertThat(zgc.collector()).isEqualTo("ZGC");
        assertThat(zgc.heapPeakCommittedMb()).isEqualTo(128.0); // from ZGC's Capacity rows
    }

    @Test
    void heapChartIsWellFormedWithASeriesPerConfig() throws Exception {
        String svg = GcCharts.heap("Heap used over time", "sub", runs());
        Document d = parse(svg);
        assertThat(d.getDocumentElement().getLocalName()).isEqualTo("svg");
        List<Element> groups = seriesGroups(d);
        assertThat(groups).extracting(g -> g.getAttribute("data-config"))
                .containsExactly("g1", "parallel", "zgc", "shenandoah");
        for (Element g : groups) {
            NodeList lines = g.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline");
            assertThat(lines.getLength()).isEqualTo(1);
            String[] points = ((Element) lines.item(0)).getAttribute("points").split(" ");
            assertThat(points.length).isGreaterThan(4);
        }
        assertThat(svg).contains("JVM uptime (s)", "heap used (MiB)", "Heap used over time", "legend", "91 GCs, peak");
        assertThat(GcCharts.heap("Heap used over time", "sub", runs())).isEqualTo(svg);
    }

    @Test
    void pauseChartHasALogAxisAndACurvePerConfig() throws Exception {
        List<GcRun> runs = new ArrayList<>(runs());
        runs.add(new GcRun("after", "after", 1, "G1", null, 1.0, 0, 0.0, null, null, null, 0.0, null, null, 50.0,
                List.of(), List.of()));
        String svg = GcCharts.pauses("GC pauses <before>", "sub & title", runs);
        Document d = parse(svg);
        List<Element> groups = seriesGroups(d);
        assertThat(groups).hasSize(5);
        assertThat(groups.get(0).getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline").getLength()).isEqualTo(1);
        assertThat(groups.get(4).getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline").getLength()).isZero();
        assertThat(svg).contains("pause (ms, log scale)", "percentile of the run&#39;s pauses (%)", "no pauses",
                "GC pauses &lt;before&gt;", "91 pauses, p99 3.9, max 3.9 ms", "sub &amp; title");
        assertThat(GcCharts.pauses("GC pauses <before>", "sub & title", runs)).isEqualTo(svg);
    }

    @Test
    void emptyChartsAreStillWellFormed() throws Exception {
        assertThat(parse(GcCharts.heap("nothing", "", List.of())).getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(parse(GcCharts.pauses("nothing", "", List.of())).getDocumentElement().getLocalName()).isEqualTo("svg");
    }

    @Test
    void titlesThatAreNotTextStayText() throws Exception {
        String title = "t\u0000</text><script>alert(1)</script>\u001b";
        for (String svg : List.of(GcCharts.heap(title, "s\uD800'\"", runs()), GcCharts.pauses(title, "s", runs()))) {
            Document d = parse(svg);
            assertThat(d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "script").getLength()).isZero();
            assertThat(d.getDocumentElement().getTextContent())
                    .contains("t\uFFFD</text><script>alert(1)</script>\uFFFD");
        }
    }

    @Test
    void niceTicks() {
        assertThat(GcCharts.niceTicks(7.3)).containsExactly(0, 2, 4, 6, 8);
        assertThat(GcCharts.niceTicks(100)).containsExactly(0, 20, 40, 60, 80, 100);
        assertThat(GcCharts.tick(0.25)).isEqualTo("0.25");
        assertThat(GcCharts.tick(12.0)).isEqualTo("12");
    }
}
