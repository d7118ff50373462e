package dev.proflab.export;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flame graphs of a profile whose names are attacks ({@link Hostile}): the HTML page's script
 * holds nothing that ends it or breaks it, and unpacks every name exactly; the SVG parses as XML
 * and carries every name as text. The real browser's view of the same is in the viewer's and the
 * CLI's browser tests.
 */
class HostileNamesTest {

    @Test
    void htmlScriptCannotBeEndedOrBrokenByAName() {
        Profile p = Hostile.profile();
        String html = new String(ExportFormat.HTML.export(p, "cpu"), StandardCharsets.UTF_8);
        assertScriptIsSealed(html);
        assertThat(cpoolNames(html)).containsAll(Hostile.frameNames());
    }

    @Test
    void htmlTitleIsText() {
        Profile p = Hostile.profile();
        String html = HtmlFlameGraph.render(p, 1, "<img src=x onerror=alert(1)></h1><script>alert(2)</script>\u0000");
        assertScriptIsSealed(html);
        assertThat(html).contains("<h1>&lt;img src=x onerror=alert(1)&gt;&lt;/h1&gt;&lt;script&gt;alert(2)"
                + "&lt;/script&gt;\uFFFD</h1>");
        // the default title names the source file, which is hostile too
        String byDefault = HtmlFlameGraph.render(p, 1);
        assertScriptIsSealed(byDefault);
        assertThat(byDefault).doesNotContain("<img");
    }

    @Test
    void htmlOfAHostilePprofFile(@TempDir Path dir) throws Exception {
        // the names as a pprof string table carries them (UTF-8: a lone surrogate arrives as '?')
        Path file = dir.resolve("hostile.pb.gz");
        Files.write(file, Pprof.encode(Hostile.profile()));
        Profile read = ProfileReader.read(file);
        String html = new String(ExportFormat.HTML.export(read, null), StandardCharsets.UTF_8);
        assertScriptIsSealed(html);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < read.frameCount(); i++) {
            names.add(read.frame(i).name());
        }
        assertThat(names).contains("evil.Cls.\"><img src=x onerror=alert(1)>", "evil.Cls.nul\u0000byte",
                "evil.Cls.\u001b[2J\u001b]0;pwned\u0007clear");
        assertThat(cpoolNames(html)).containsAll(names);
    }

    @Test
    void encodedNamesHoldOnlyHarmlessCharacters() {
        for (String n : Hostile.frameNames()) {
            String e = HtmlFlameGraph.encodeName(n);
            assertThat(e).matches("[A-Za-z0-9._$:;,()\\[\\]{}\\-+*=#@?^|~ %]*");
            assertThat(decode(e)).isEqualTo(n);
        }
        assertThat(HtmlFlameGraph.encodeName("java.lang.Thread.run")).isEqualTo("java.lang.Thread.run");
        assertThat(HtmlFlameGraph.encodeName("a%u0041")).isEqualTo("a%u0025u0041");
    }

    @Test
    void svgParsesAndCarriesEveryNameAsText() throws Exception {
        Profile p = Hostile.profile();
        String svg = new String(ExportFormat.SVG.export(p, "cpu"), StandardCharsets.UTF_8);
        Document d = parse(svg);
        assertNoActiveContent(d);
        List<String> titles = texts(d, "title");
        for (String n : Hostile.frameNames()) {
            String shown = Hostile.asXmlCan(n);
            assertThat(titles).as(n).anySatisfy(t -> assertThat(t).startsWith(shown + " ("));
        }
        // the title line names the hostile source file, as text
        assertThat(titles.get(0)).contains("\"><img src=x onerror=alert(1)>");
    }

    @Test
    void svgWithAHostileTitleAndNarrowLabels() throws Exception {
        Profile p = Hostile.profile();
        for (int width : new int[] {200, 333, 1200, 4000}) {
            String svg = SvgFlameGraph.render(p, 0, new SvgFlameGraph.Options(width, 0,
                    "t \uD83D\uDE00\uD83D\uDE00\uD83D\uDE00 ]]> <script>\u0001".repeat(20)));
            assertNoActiveContent(parse(svg));
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    /**
     * async-profiler's two script elements (the theme's, then the page's) and no other; nothing in
     * the page's script that ends it early or changes how the page parses it.
     */
    static void assertScriptIsSealed(String html) {
        String lower = html.toLowerCase(Locale.ROOT);
        List<Integer> opens = indexes(lower, "<script");
        List<Integer> closes = indexes(lower, "</script");
        assertThat(opens).as("<script").hasSize(2);
        assertThat(closes).as("</script").hasSize(2);
        int open = opens.get(1);
        int close = closes.get(1);
        assertThat(closes.get(0)).isLessThan(open);
        assertThat(lower.substring(close)).isEqualTo("</script></body></html>\n");
        String script = html.substring(open + "<script>".length(), close);
        assertThat(script).doesNotContain("<!--", "-->", "\u2028", "\u2029");
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            assertThat(c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f)
                    .as("character %04x at %d of the script", (int) c, i).isFalse();
        }
        // outside the script: no element the names could have added
        String outside = lower.substring(0, open);
        assertThat(outside).doesNotContain("<img");
    }

    private static List<Integer> indexes(String s, String what) {
        List<Integer> out = new ArrayList<>();
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            out.add(i);
        }
        return out;
    }

    private static final Pattern CPOOL = Pattern.compile("(?s)\nconst cpool = \\[\n(.*?)\n];\nunpack\\(cpool\\);\n");

    /** The names as the page's script ends up with them: literals read, unpacked, decoded. */
    static Set<String> cpoolNames(String html) {
        Matcher m = CPOOL.matcher(html);
        assertThat(m.find()).as("the constant pool").isTrue();
        String body = m.group(1);
        List<String> literals = new ArrayList<>();
        int i = 0;
        while (i < body.length()) {
            assertThat(body.charAt(i)).isEqualTo('\'');
            StringBuilder sb = new StringBuilder();
            i++;
            while (body.charAt(i) != '\'') {
                char c = body.charAt(i);
                assertThat(c).as("a line break inside a string literal").isNotEqualTo('\n');
                if (c == '\\') {
                    i++;
                    c = body.charAt(i);
                }
                sb.append(c);
                i++;
            }
            literals.add(sb.toString());
            i++;
            if (i < body.length()) {
                assertThat(body.substring(i, i + 2)).isEqualTo(",\n");
                i += 2;
            }
        }
        // async-profiler's unpack: the first character is 32 + the length of the prefix shared with the previous name
        for (int k = 1; k < literals.size(); k++) {
            String s = literals.get(k);
            literals.set(k, literals.get(k - 1).substring(0, s.charAt(0) - 32) + s.substring(1));
        }
        assertThat(html).contains(HtmlFlameGraph.UNPACKED + HtmlFlameGraph.DECODE);
        Set<String> out = new HashSet<>();
        for (String s : literals) {
            out.add(decode(s));
        }
        return out;
    }

    /** The page's decoding, as {@link HtmlFlameGraph#DECODE} does it in the browser. */
    static String decode(String s) {
        Matcher m = Pattern.compile("%u([0-9A-F]{4})").matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** No element or attribute that runs script or loads anything: only what the writer puts there. */
    static void assertNoActiveContent(Document d) {
        NodeList all = d.getElementsByTagName("*");
        Set<String> allowed = Set.of("svg", "title", "defs", "linearGradient", "stop", "rect", "text", "g", "tspan",
                "line", "circle", "polyline");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            assertThat(allowed).as("element <%s>", e.getLocalName()).contains(e.getLocalName());
            NamedNodeMap attrs = e.getAttributes();
            for (int a = 0; a < attrs.getLength(); a++) {
                String name = attrs.item(a).getNodeName().toLowerCase(Locale.ROOT);
                assertThat(name).doesNotStartWith("on").isNotEqualTo("href").isNotEqualTo("xlink:href");
            }
        }
    }

    static List<String> texts(Document d, String tag) {
        NodeList nodes = d.getElementsByTagName(tag);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }
}
