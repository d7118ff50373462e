package dev.proflab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proflab.export.Pprof;
import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;
import jdk.jfr.Recording;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands on files whose names are attacks: a pprof whose functions, threads and sample types
 * hold terminal escape sequences and markup, a JFR recording of a thread named with an escape
 * sequence, JMH results with such benchmark names. Nothing a terminal acts on is printed (the
 * escapes are written out as {@code \x1b}), JSON keeps the names exactly, and the HTML and SVG
 * files carry them as text.
 */
class HostileNamesCliTest {

    static final String CLEAR = "\u001b[2J\u001b[H";
    static final String TITLE = "\u001b]0;pwned\u0007";
    static final List<String> NAMES = List.of(CLEAR + "clear", TITLE + "title", "csi\u009b31mred",
            "rtl\u202eoverride", "new\nline\rcr\ttab", "nul\u0000byte", "</script><img src=x onerror=alert(1)>",
            "line\u2028sep");

    @TempDir
    static Path dir;
    static Path pprof;
    static Path types;
    static Path jfr;

    @BeforeAll
    static void files() throws Exception {
        pprof = dir.resolve("hostile.pb.gz");
        Files.write(pprof, Pprof.encode(profile(List.of(new ValueType("samples", "count"),
                new ValueType("cpu", "nanoseconds")))));
        types = dir.resolve("types.pb.gz");
        Files.write(types, Pprof.encode(profile(List.of(new ValueType("samples" + TITLE, "count"),
                new ValueType("cpu" + CLEAR, "nanoseconds")))));
        jfr = dir.resolve("threads.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.enable("jdk.ThreadStart");
            r.enable("jdk.ThreadEnd");
            r.enable("jdk.ThreadPark").withThreshold(Duration.ofMillis(1));
            r.start();
            Thread t = new Thread(() -> {
                long end = System.nanoTime() + 400_000_000L;
                while (System.nanoTime() < end) {
                    java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
                }
            }, "worker" + CLEAR + TITLE);
            t.start();
            t.join();
            r.stop();
            r.dump(jfr);
        }
    }

    static Profile profile(List<ValueType> valueTypes) {
        Profile.Builder b = new Profile.Builder(
                new Profile.Meta("async-profiler", "cpu", 10_000_000, Instant.parse("2026-11-26T10:00:00Z"),
                        Duration.ofSeconds(2), "25" + CLEAR, "java", "hostile.jfr"),
                valueTypes);
        int run = b.frame(new Frame("java.lang.Thread", "run", "()V", 1, Frame.Kind.JIT));
        for (int i = 0; i < NAMES.size(); i++) {
            int f = b.frame(new Frame("evil.Cls", NAMES.get(i), "()V", 7, Frame.Kind.JIT));
            int s = b.stack(new int[] {f, run});
            int t = b.thread(NAMES.get(i));
            b.sample(s, t, i, 5, 50_000_000L);
        }
        return b.build();
    }

    /** The first character of {@code text} a terminal acts on (C0 but newline, DEL, C1, bidi, separators), or -1. */
    static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029'
                    || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069') {
                return i;
            }
        }
        return -1;
    }

    static void assertPrintable(CliRun r, String what) {
        assertThat(firstControl(r.out())).as(what + " stdout:\n" + r.out()).isEqualTo(-1);
        assertThat(firstControl(r.err())).as(what + " stderr:\n" + r.err()).isEqualTo(-1);
    }

    @Test
    void reportsPrintNoControlCharacter() {
        for (String[] args : List.of(
                new String[] {"top", "-n", "0", pprof.toString()},
                new String[] {"peek", "evil", pprof.toString()},
                new String[] {"tree", pprof.toString()},
                new String[] {"traces", pprof.toString()},
                new String[] {"list", "evil", pprof.toString()})) {
            CliRun r = CliRun.of(args);
            assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isZero();
            assertPrintable(r, args[0]);
            assertThat(r.out()).as(args[0]).contains("evil.Cls.\\x1b[2J\\x1b[Hclear",
                    "evil.Cls.\\x1b]0;pwned\\x07title",
                    "csi\\x9b31mred", "rtl\\u202eoverride", "new\\nline\\rcr\\ttab", "nul\\x00byte",
                    "</script><img src=x onerror=alert(1)>", "line\\u2028sep");
        }
    }

    @Test
    void jsonKeepsTheNamesExactly() throws Exception {
        CliRun r = CliRun.of("top", "-n", "0", "--format", "json", pprof.toString());
        assertThat(r.exitCode()).isZero();
        JsonNode top = new ObjectMapper().readTree(r.out());
        List<String> names = new ArrayList<>();
        top.findValues("name").forEach(n -> names.add(n.asText()));
        for (String n : NAMES) {
            assertThat(names).contains("evil.Cls." + n);
        }
        // Jackson escapes the C0 controls; what is left raw (C1, bidi, separators) is JSON's to carry
        assertThat(r.out()).doesNotContain("\u001b", "\u0000", "\u0007");
    }

    @Test
    void timelinePrintsAThreadsNameWrittenOut() {
        CliRun r = CliRun.of("timeline", jfr.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertPrintable(r, "timeline");
        assertThat(r.out()).contains("worker\\x1b[2J\\x1b[H\\x1b]0;pwned\\x07");
    }

    @Test
    void errorsQuotingTheFileAreWrittenOutToo() {
        // an unknown sample index: the message lists the file's (hostile) sample types
        CliRun r = CliRun.of("top", "--sample-index", "nope", types.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertPrintable(r, "error");
        assertThat(r.err()).startsWith("proflab: ").contains("\\x1b");
        // and the header names the file's event and type written out
        CliRun ok = CliRun.of("top", types.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertPrintable(ok, "top of hostile types");
        assertThat(ok.out()).contains("Type: cpu\\x1b[2J\\x1b[H");
    }

    @Test
    void convertWritesHtmlAndSvgThatCarryTheNamesAsText() throws Exception {
        Path html = dir.resolve("out.html");
        Path svg = dir.resolve("out.svg");
        for (Path out : List.of(html, svg)) {
            CliRun r = CliRun.of("convert", pprof.toString(), "-o", out.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertPrintable(r, "convert");
        }
        String page = Files.readString(html).toLowerCase(Locale.ROOT);
        // async-profiler's two scripts and no more; no element from a name
        assertThat(page.split("<script", -1)).hasSize(3);
        assertThat(page.split("</script", -1)).hasSize(3);
        assertThat(page).doesNotContain("<img").endsWith("</script></body></html>\n");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        var doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(svg)));
        assertThat(doc.getElementsByTagName("img").getLength()).isZero();
        assertThat(doc.getDocumentElement().getTextContent())
                .contains("evil.Cls.</script><img src=x onerror=alert(1)>", "evil.Cls.\uFFFD[2J\uFFFD[Hclear");
        assertThat(new String(Files.readAllBytes(svg), StandardCharsets.UTF_8)).doesNotContain("\u001b");
    }

    @Test
    void statPrintsNoControlCharacter() throws Exception {
        String json = "[{\"benchmark\":\"evil.Bench." + "\\u001b[2J\\u001b]0;x\\u0007" + "\",\"mode\":\"avgt\","
                + "\"threads\":1,\"forks\":1,\"params\":{\"p\":\"\\u009b31m\"},\"primaryMetric\":{\"score\":10,"
                + "\"scoreUnit\":\"ns/op\",\"rawData\":[[10,11,12,10,11]]}}]";
        Path a = dir.resolve("a\u001b[2J.json");
        Path b = dir.resolve("b.json");
        Files.writeString(a, json);
        Files.writeString(b, json.replace("10,11,12,10,11", "20,21,22,20,21"));
        for (String format : List.of("text", "markdown")) {
            CliRun r = CliRun.of("stat", "--format", format, a.toString(), b.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertPrintable(r, "stat " + format);
            assertThat(r.out()).contains("\\x1b[2J");
        }
    }
}
