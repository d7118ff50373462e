package dev.proflab.analysis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** JDK Mission Control's rules, headless, on real recordings; and the limits proflab puts around them. */
class JmcRulesTest {

    @Test
    void everyRuleOfTheRegistryRunsOnAJdkRecording() {
        List<Finding> all = JmcRules.run(Fixture.path("jfr-lock.jfr"), JmcRules.Limits.DEFAULT);
        assertThat(all).hasSize(JmcRules.ruleCount());
        assertThat(JmcRules.ruleCount()).isGreaterThanOrEqualTo(60);
        assertThat(all).allMatch(f -> f.source().equals("jmc"));
        // the fixture's threads contend on Workload$Gate for about a second: JMC's Java Blocking rule says so
        Finding blocking = all.stream().filter(f -> f.rule().equals("JavaBlocking")).findFirst().orElseThrow();
        assertThat(blocking.severity()).isIn(Finding.Severity.INFO, Finding.Severity.WARNING);
        assertThat(blocking.explanation()).contains("Workload$Gate").doesNotContain("<").doesNotContain("&");
        assertThat(blocking.next()).startsWith("proflab timeline jfr-lock.jfr");
    }

    @Test
    void asyncProfilerRecordingsAreReadToo() {
        List<Finding> all = JmcRules.run(Fixture.path("ap-cpu.jfr"), JmcRules.Limits.DEFAULT);
        assertThat(all).hasSize(JmcRules.ruleCount());
    }

    @Test
    void aFileAboveTheSizeLimitIsNotGivenToTheParser() {
        List<Finding> all = JmcRules.run(Fixture.path("jfr-lock.jfr"), new JmcRules.Limits(1024, Duration.ofSeconds(60)));
        assertThat(all).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("proflab.jmc-rules");
            assertThat(f.summary()).contains("did not run").contains("--jmc-max-size");
        });
    }

    @Test
    void aFileThatIsNotJfrIsSaidNotThrown(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.jfr");
        Files.write(junk, "FLR\0 but nothing else of a recording".getBytes());
        List<Finding> all = JmcRules.run(junk, JmcRules.Limits.DEFAULT);
        assertThat(all).singleElement().satisfies(f -> assertThat(f.rule()).isEqualTo("proflab.jmc-rules"));
    }

    @Test
    void htmlOfJmcMessagesBecomesOneLineOfText() {
        assertThat(JmcRules.plain("<p>Blocked on <b>Gate</b> &amp; more:</p><ul><li>one</li><li>two</li></ul>"))
                .isEqualTo("Blocked on Gate & more: - one - two");
        assertThat(JmcRules.plain("The most allocated type is likely ''byte[]''.")).isEqualTo("The most allocated type is likely 'byte[]'.");
    }
}
