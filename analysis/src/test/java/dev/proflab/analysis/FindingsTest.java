package dev.proflab.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FindingsTest {

    private static final List<Finding> SOME = List.of(
            new Finding("b.ok", "jmc", 10, Finding.Severity.OK, "fine", "", List.of(), ""),
            new Finding("a.info", "proflab", 40, Finding.Severity.INFO, "a | pipe", "why", List.of("e1"), "proflab top x"),
            new Finding("c.warn", "jmc", 90, Finding.Severity.WARNING, "bad\u001b[31m", "", List.of(), ""),
            new Finding("d.na", "jmc", -1, Finding.Severity.NA, "n/a", "", List.of(), ""));

    @Test
    void warningsFirstAndOnlyWhatMattersUnlessAll() {
        assertThat(Findings.shown(SOME, false)).extracting(Finding::rule).containsExactly("c.warn", "a.info");
        assertThat(Findings.shown(SOME, true)).extracting(Finding::rule).containsExactly("c.warn", "a.info", "b.ok", "d.na");
    }

    @Test
    void textEscapesControlCharactersAndMarkdownEscapesPipes() {
        String text = Findings.text("x.jfr", Findings.shown(SOME, false), 72);
        assertThat(text).startsWith("File: x.jfr\n2 findings (72 rules evaluated)\n").doesNotContain("\u001b");
        String md = Findings.markdown("x.jfr", Findings.shown(SOME, false), 72);
        assertThat(md).contains("a \\| pipe").contains("| warning | 90 | `c.warn` |");
    }

    @Test
    void jsonHasEveryFieldAndNullForNoScore() throws Exception {
        JsonNode j = new ObjectMapper().readTree(Findings.json("x.jfr", Findings.shown(SOME, true), 72));
        assertThat(j.get("rulesEvaluated").asInt()).isEqualTo(72);
        JsonNode first = j.get("findings").get(0);
        assertThat(first.get("rule").asText()).isEqualTo("c.warn");
        assertThat(first.get("severity").asText()).isEqualTo("warning");
        assertThat(first.get("score").asDouble()).isEqualTo(90.0);
        assertThat(j.get("findings").get(3).get("score").isNull()).isTrue();
        assertThat(j.get("findings").get(1).get("evidence").get(0).asText()).isEqualTo("e1");
    }
}
