package dev.proflab.labs.challenge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ChallengeTest {

    @ParameterizedTest
    @CsvSource({"before, 1", "mine, 1", "solution, 1", "mine, 3", "solution, 3", "solution, 4"})
    void everyVariantWritesTheOriginalsReport(String variant, int workers) throws InterruptedException {
        assertThat(Challenge.check(variant, workers, 2_000)).isEmpty();
    }

    @Test
    void theDigestIsThatOfTheOriginalsReportOfTheDefaultLog() throws InterruptedException {
        try (Challenge.Job job = Challenge.create("before", Challenge.DEFAULT_WORKERS)) {
            assertThat(Challenge.sha256(job.report(Challenge.log(Challenge.DEFAULT_LINES, Challenge.SEED))))
                    .isEqualTo(Challenge.DEFAULT_REPORT_SHA256);
        }
    }

    @Test
    void theReportCountsEveryLineOnce() throws InterruptedException {
        List<String> log = Challenge.log(2_000, 7);
        String report;
        try (Challenge.Job job = Challenge.create("before", 2)) {
            report = job.report(log);
        }
        String head = report.lines().findFirst().orElseThrow();
        assertThat(head).startsWith("sales report: 2000 lines, ");
        String[] words = head.split("[ ,:]+");
        long paid = Long.parseLong(words[4]);
        long unknown = Long.parseLong(words[7]);
        long notPaid = Long.parseLong(words[10]);
        assertThat(paid + unknown + notPaid).isEqualTo(2_000);
        assertThat(unknown).isBetween(10L, 80L); // 1 line in 50 names a product not in the catalog
        assertThat(report.lines().filter(l -> l.startsWith("eu-west ")).count()).isEqualTo(24);
        assertThat(report.lines().reduce((a, b) -> b).orElseThrow()).startsWith("total").contains(" " + paid + " ");
    }

    @Test
    void theLogIsTheSameForTheSameSeedAndEveryFieldIsThere() {
        List<String> log = Challenge.log(500, 3);
        assertThat(Challenge.log(500, 3)).isEqualTo(log);
        assertThat(Challenge.log(500, 4)).isNotEqualTo(log);
        assertThat(log).allMatch(l -> l.matches("ts=2026-11-26T\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z order=\\d+ customer=C\\d{4} "
                + "sku=SKU-\\d+ qty=[1-5] price=\\d+\\.\\d\\d region=[a-z-]+ status=(PAID|REFUNDED|CANCELLED)"));
        assertThat(Challenge.catalog()).hasSize(Challenge.CATALOG_SIZE).doesNotHaveDuplicates();
    }

    @Test
    void aDifferentReportIsSaidInOneLine() {
        assertThat(Challenge.difference("mine", "a\nb\n", "a\nb\n")).isEmpty();
        assertThat(Challenge.difference("mine", "a\nb\n", "a\nc\n"))
                .isEqualTo("mine's report differs from the original's at line 2: expected 'b', got 'c'");
        assertThat(Challenge.difference("mine", "a\nb\n", "a\n"))
                .isEqualTo("mine's report differs from the original's at line 2: expected 'b', got '(no line)'");
    }

    @Test
    void unknownVariantsAndNoWorkersAreRefused() {
        assertThatThrownBy(() -> Challenge.create("fast", 4)).hasMessageContaining("before, mine, solution");
        assertThatThrownBy(() -> Challenge.create("before", 0)).hasMessageContaining("workers must be >= 1");
    }
}
