package dev.proflab.stats.chart;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.export.Hostile;
import dev.proflab.stats.Comparison;
import dev.proflab.stats.StatFormat;
import dev.proflab.stats.StatInput;
import dev.proflab.stats.StatOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JMH result files are the user's input: benchmark names, parameter names and values and the
 * file names that head the columns can hold markup, quotes and control characters. The chart stays
 * one well-formed SVG that shows them as text; the tables print no control character.
 */
class HostileBenchmarkNamesTest {

    /** A JMH {@code -rf json} file with one benchmark per hostile name, a hostile parameter on each. */
    static Path jmhFile(Path dir, String name, double scale) throws Exception {
        ObjectMapper m = new ObjectMapper();
        ArrayNode all = m.createArrayNode();
        for (String n : Hostile.NAMES) {
            ObjectNode b = all.addObject();
            b.put("jmhVersion", "1.37");
            b.put("benchmark", "evil.Bench." + n);
            b.put("mode", "avgt");
            b.put("threads", 1);
            b.put("forks", 3);
            b.putObject("params").put("p", n);
            ObjectNode pm = b.putObject("primaryMetric");
            pm.put("score", 10 * scale);
            pm.put("scoreUnit", "ns/op");
            ArrayNode raw = pm.putArray("rawData");
            for (int f = 0; f < 3; f++) {
                raw.addArray().add(10 * scale + f).add(11 * scale + f);
            }
        }
        Path file = dir.resolve(name);
        // JSON's escapes carry what UTF-8 cannot (a lone surrogate)
        Files.writeString(file, m.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(all));
        return file;
    }

    static Comparison comparison(Path dir) throws Exception {
        return Comparison.compute(List.of(
                StatInput.of("old<img src=x onerror=alert(1)>\u001b[2J.json", jmhFile(dir, "old.json", 1)),
                StatInput.of("new\"'.json", jmhFile(dir, "new.json", 2))), StatOptions.defaults());
    }

    @Test
    void chartShowsTheNamesAsText(@TempDir Path dir) throws Exception {
        Comparison c = comparison(dir);
        String svg = ComparisonChart.svg(c, ComparisonChart.Options.defaults().withTitle("</title><script>x</script>"));
        Document d = ComparisonChartTest.parse(svg);
        assertThat(d.getElementsByTagName("script").getLength()).isZero();
        assertThat(d.getElementsByTagName("img").getLength()).isZero();
        List<String> texts = new ArrayList<>();
        NodeList all = d.getElementsByTagName("text");
        for (int i = 0; i < all.getLength(); i++) {
            texts.add(((Element) all.item(i)).getTextContent());
        }
        String joined = String.join("\n", texts);
        assertThat(joined).contains("</title><script>x</script>", "old<img src=x");
        assertThat(joined).contains(Hostile.asXmlCan("Bench.\"><img src=x onerror=alert(1)>"));
    }

    @Test
    void tablesPrintNoControlCharacter(@TempDir Path dir) throws Exception {
        Comparison c = comparison(dir);
        for (StatFormat f : List.of(StatFormat.TEXT, StatFormat.MARKDOWN)) {
            String out = f.render(c);
            assertThat(Hostile.firstTerminalControl(out)).as(f + ":\n" + out).isEqualTo(-1);
            assertThat(out).contains("\\x1b[2J");
        }
        String md = StatFormat.MARKDOWN.render(c);
        assertThat(md).doesNotContain("<img", "<script").contains("&lt;img src=x");
        // JSON keeps every name exactly
        String json = StatFormat.JSON.render(c);
        assertThat(new ObjectMapper().readTree(json).toString()).contains("evil.Bench.nul\\u0000byte");
    }
}
