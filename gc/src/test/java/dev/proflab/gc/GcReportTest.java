package dev.proflab.gc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link GcReport} from synthetic rows: JSON fields and nulls, Markdown shape, text alignment and notes. */
class GcReportTest {

    static final List<GcRow> ROWS = List.of(
            new GcRow("g1-64m", "G1", "before", "-XX:+UseG1GC -Xmx64m", 3, 1.234, 57.0, 88.5, 4.25, 4.0, 0.31,
                    1450.2, 60.0, 64.0, 130.5, null),
            new GcRow("zgc-64m", "ZGC", "after", "-XX:+UseZGC -Xmx64m", 3, 0.5, 0.0, 0.0, null, null, 0.02, 0.1,
                    null, null, 95.0, null),
            new GcRow("oom", "Serial", "before", "-XX:+UseSerialGC -Xmx32m", 1, 0.2, 12.0, 30.0, 5.0, 5.0, 0.1,
                    800.0, 31.0, 32.0, 70.0, "OutOfMemoryError after 20000 items"),
            GcRow.skipped(GcConfig.parse("foo=-XX:+UseFooGC"), "before",
                    "Unrecognized VM option 'UseFooGC' | quoted \"x\""));

    @Test
    void jsonIsAnArrayOfRowsWithEveryFieldAndNullForUnknown() throws Exception {
        JsonNode j = new ObjectMapper().readTree(GcReport.json(ROWS));
        assertThat(j.isArray()).isTrue();
        assertThat(j).hasSize(4);
        for (JsonNode row : j) {
            assertThat(row.fieldNames()).toIterable().contains("config", "collector", "workload", "runs", "wall_s",
                    "gc_count", "pause_total_ms", "pause_max_ms", "pause_p99_ms", "alloc_rate_mb_s",
                    "heap_peak_used_mb", "rss_peak_mb", "error", "gc_cpu_s", "heap_peak_committed_mb", "jvm_options");
        }
        JsonNode g1 = j.get(0);
        assertThat(g1.get("config").asText()).isEqualTo("g1-64m");
        assertThat(g1.get("wall_s").asDouble()).isEqualTo(1.234);
        assertThat(g1.get("gc_count").asInt()).isEqualTo(57);
        assertThat(g1.get("error").isNull()).isTrue();
        JsonNode zgc = j.get(1);
        assertThat(zgc.get("pause_max_ms").isNull()).isTrue();
        assertThat(zgc.get("heap_peak_used_mb").isNull()).isTrue();
        assertThat(zgc.get("gc_count").isNull()).isFalse();
        assertThat(zgc.get("gc_count").asInt()).isZero();
        assertThat(j.get(2).get("error").asText()).startsWith("OutOfMemoryError after");
        JsonNode foo = j.get(3);
        assertThat(foo.get("runs").asInt()).isZero();
        assertThat(foo.get("wall_s").isNull()).isTrue();
        assertThat(foo.get("collector").isNull()).isTrue();
        assertThat(foo.get("error").asText()).isEqualTo("Unrecognized VM option 'UseFooGC' | quoted \"x\"");
        assertThat(new ObjectMapper().readTree(GcReport.json(List.of())).size()).isZero();
    }

    @Test
    void markdownIsOneTableWithARowPerRow() {
        String md = GcReport.markdown(ROWS);
        List<String> lines = md.lines().toList();
        assertThat(lines).hasSize(2 + ROWS.size());
        assertThat(lines.get(0)).startsWith("| config | collector | workload | runs | wall s | GCs |");
        assertThat(lines.get(1)).matches("\\|(-{3}:?\\||-{3}:\\|)+");
        long pipes = unescapedPipes(lines.get(0));
        for (String l : lines) {
            assertThat(unescapedPipes(l)).as(l).isEqualTo(pipes);
        }
        assertThat(lines.get(2)).contains("| g1-64m | G1 | before | 3 | 1.234 | 57 | 88.5 | 4.25 | 4.00 |",
                "`-XX:+UseG1GC -Xmx64m`");
        assertThat(lines.get(3)).contains("| - | - |");
        assertThat(lines.get(5)).contains("Unrecognized VM option 'UseFooGC' \\| quoted");
    }

    private static long unescapedPipes(String l) {
        return l.replace("\\|", "").chars().filter(c -> c == '|').count();
    }

    @Test
    void textAlignsColumnsAndListsErrorsBelow() {
        String t = GcReport.text(ROWS);
        List<String> lines = t.lines().toList();
        assertThat(lines.get(0)).startsWith("config").contains("pause p99 ms", "RSS MB");
        int end = lines.get(0).length();
        assertThat(lines.get(1)).hasSize(end).startsWith("g1-64m");
        assertThat(lines.get(3)).startsWith("oom *");
        assertThat(lines.get(4)).startsWith("foo *");
        assertThat(t).contains("* oom before: OutOfMemoryError after 20000 items",
                "* foo before: Unrecognized VM option 'UseFooGC'", "Medians over the runs");
        assertThat(GcReport.text(ROWS)).isEqualTo(t);
    }
}
