package dev.proflab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A regular expression that backtracks catastrophically on the JDK's engine, given to any option or
 * argument that takes one, stops the command within its matching budget (1 s): exit 2, one line naming
 * the option. Unprotected, {@code ((.+)+)\2Z} runs for hours on the fixture's 44-character function
 * names, {@code ((.*)*)*\2Z} for minutes on a thread named {@code lock-waiter-3}. Time bounds are
 * generous, for a loaded machine.
 */
@Tag("slow")
class RegexBudgetCommandsTest {

    private static final Path PROFILES = Path.of("../profile/src/test/resources/profiles").toAbsolutePath().normalize();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--focus|top --focus ((.+)+)\\2Z ap-cpu.jfr",
            "--ignore|top --ignore ((.+)+)\\2Z jfr-cpu.jfr",
            "--hide|tree --hide ((.+)+)\\2Z ap-cpu.jfr",
            "--focus|traces --focus ((.+)+)\\2Z ap-cpu.pb.gz",
            "--thread|top --thread ((.*)*)*\\2Z jfr-timeline.jfr",
            "--thread|timeline --thread ((.*)*)*\\2Z jfr-timeline.jfr",
            "list|list ((.+)+)\\2Z ap-cpu.jfr",
            "peek|peek ((.+)+)\\2Z ap-cpu.jfr"})
    void aCatastrophicRegexExits2WithOneLineNamingTheOption(String option, String command) {
        String[] args = command.split(" ");
        args[args.length - 1] = PROFILES.resolve(args[args.length - 1]).toString();
        long t0 = System.nanoTime();
        CliRun r = CliRun.of(args);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("proflab: " + option
                + ": the regular expression takes too long to match (over 1 s): simplify it");
        assertThat(r.out()).isEmpty();
        assertThat(took).isLessThan(Duration.ofSeconds(15));
    }
}
