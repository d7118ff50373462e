package dev.proflab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proflab.export.Hostile;
import dev.proflab.profile.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The text reports of a profile whose names hold terminal escape sequences and other control
 * characters ({@link Hostile}): nothing a terminal acts on is printed, the names are shown with
 * those characters written out ({@code \x1b}); the JSON reports keep every name exactly.
 */
class HostileNamesReportTest {

    @Test
    void textReportsPrintNoControlCharacter(@TempDir Path dir) throws Exception {
        Profile p = Hostile.profile();
        // a source file whose lines hold escape sequences too (the frames are at line 7 of evil/Cls.java)
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("evil"));
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            lines.add(i == 7 ? "\t\tspin(); // \u001b[2J\u001b]0;pwned\u0007" : "\t// line " + i);
        }
        Files.write(src.resolve("evil/Cls.java"), lines);
        Map<String, String> out = Map.of(
                "top", TextReport.top(Top.compute(p, Selection.all(), 0, false)),
                "peek", TextReport.peek(Peek.compute(p, Selection.all(), "evil", 0, false)),
                "tree", TextReport.tree(Tree.compute(p, Selection.all(), Tree.Options.defaults())),
                "traces", TextReport.traces(Traces.compute(p, Selection.all(), 0)),
                "list", TextReport.list(Lines.compute(p, Selection.all(), "evil", List.of(src))));
        out.forEach((report, text) -> {
            // list shows source lines with their tabs (indentation); names have theirs written out
            String checked = report.equals("list") ? text.replaceAll("(?m)^(.{28}):\t+", "$1:") : text;
            assertThat(Hostile.firstTerminalControl(checked)).as(report + ":\n" + text).isEqualTo(-1);
            assertThat(text).as(report).contains("\\x1b[2J\\x1b]0;pwned\\x07clear", "nul\\x00byte",
                    "new\\nline\\rcr\\ttab", "lone\\ud800surrogate", "csi\\x9b31mred", "rtl\\u202eoverride",
                    "smile\uD83D\uDE00pair");
        });
        assertThat(out.get("top")).contains("File: \"><img src=x onerror=alert(1)>\\x1b[2J.jfr",
                "JDK 25\\x1b[2J");
        // source lines keep their tabs
        assertThat(out.get("list")).contains(":\t\tspin(); // \\x1b[2J\\x1b]0;pwned\\x07");
    }

    @Test
    void jsonReportsKeepTheNamesExactly() throws Exception {
        Profile p = Hostile.profile();
        JsonNode top = new ObjectMapper().readTree(JsonReport.top(Top.compute(p, Selection.all(), 0, false)));
        List<String> names = new ArrayList<>();
        top.findValues("name").forEach(n -> names.add(n.asText()));
        assertThat(names).containsAll(Hostile.frameNames().stream().filter(n -> !n.contains("\uD800")).toList());
        // Jackson writes a lone surrogate as it is (an invalid UTF-16 string); it reads back the same
        assertThat(names).contains("evil.Cls.lone\uD800surrogate");
    }
}
