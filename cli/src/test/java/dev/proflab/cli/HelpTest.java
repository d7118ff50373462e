package dev.proflab.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command answers --help with its usage, and picocli has nothing to complain about. */
class HelpTest {

    @Test
    void everyCommandHasHelp() {
        var subcommands = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .getSubcommands();
        var commands = subcommands.keySet();
        assertThat(commands).contains("compare", "stat", "profile", "top", "convert");
        PrintStream oldErr = System.err;
        ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
        try {
            for (String command : commands) {
                if (command.equals("help")) {
                    continue;
                }
                CliRun r = CliRun.of(command, "--help");
                assertThat(r.exitCode()).as(command).isZero();
                assertThat(r.out()).as(command).startsWith("Usage: proflab " + command);
                // the first description line is what 'proflab --help' lists: one whole sentence
                String first = subcommands.get(command).getCommandSpec().usageMessage().description()[0];
                assertThat(first.strip()).as(command).endsWith(".");
            }
        } finally {
            System.setErr(oldErr);
        }
        assertThat(picocliWarnings.toString(StandardCharsets.UTF_8)).doesNotContain("WARN");
    }
}
