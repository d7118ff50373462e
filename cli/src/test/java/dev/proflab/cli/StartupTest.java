package dev.proflab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What keeps a short command short: only the subcommand named is built, and the start-up cache's training runs. */
class StartupTest {

    private static List<String> names(String... args) {
        return Main.needed(args).stream().map(Map.Entry::getKey).toList();
    }

    @Test
    void onlyTheNamedSubcommandIsBuilt() {
        assertThat(names("top", "cpu.jfr")).containsExactly("top");
        assertThat(names("--debug", "convert", "cpu.jfr", "-o", "x.svg")).containsExactly("convert");
        assertThat(names("top", "--help")).containsExactly("top");
        assertThat(names("--version")).isEmpty();
        assertThat(names("-V", "--debug")).isEmpty();
    }

    @Test
    void everySubcommandWhenTheAnswerListsThem() {
        List<String> all = Main.COMMANDS.stream().map(Map.Entry::getKey).toList();
        assertThat(names()).isEqualTo(all);
        assertThat(names("--help")).isEqualTo(all);
        assertThat(names("--version", "--help")).isEqualTo(all);
        assertThat(names("help", "top")).isEqualTo(all);
        assertThat(names("completion")).isEqualTo(all);         // the script completes every command
        assertThat(names("tpo", "cpu.jfr")).isEqualTo(all);     // "did you mean" needs the names
        assertThat(names("--debug")).isEqualTo(all);
    }

    @Test
    void theCompletionScriptKnowsEveryCommandAndItsOptions() {
        StringWriter out = new StringWriter();
        assertThat(Main.run(new String[] {"completion"}, new PrintWriter(out, true), new PrintWriter(new StringWriter())))
                .isZero();
        String script = out.toString();
        assertThat(script).doesNotContain("\r").contains("complete -F _complete_proflab");
        for (Map.Entry<String, Class<?>> c : Main.COMMANDS) {
            if (!c.getKey().equals("help") && !c.getKey().equals("completion")) {
                assertThat(script).as(c.getKey()).contains("function _picocli_proflab_" + c.getKey() + "()");
            }
        }
        assertThat(script).contains("--max-regression").contains("--max-growth").contains("--sample-index");
    }

    @Test
    void versionAloneAnswersAsPicocliWould() {
        for (String flag : List.of("--version", "-V")) {
            StringWriter fast = new StringWriter();
            StringWriter picocli = new StringWriter();
            assertThat(Main.run(new String[] {flag}, new PrintWriter(fast, true), new PrintWriter(new StringWriter())))
                    .isZero();
            assertThat(Main.commandLine(new PrintWriter(picocli, true), new PrintWriter(new StringWriter()))
                    .execute(flag)).isZero();
            assertThat(fast.toString()).isEqualTo(picocli.toString()).startsWith("proflab ").contains("\nJDK ");
        }
    }

    @Test
    void theTableNamesEachCommandAsItsAnnotationDoes() {
        for (Map.Entry<String, Class<?>> c : Main.COMMANDS) {
            CommandLine.Command a = c.getValue().getAnnotation(CommandLine.Command.class);
            assertThat(a.name()).as(c.getValue().getSimpleName()).isEqualTo(c.getKey());
        }
    }

    @Test
    void aSubcommandBuiltAloneParsesAsInTheWholeCommand() {
        String[] args = {"--debug", "top", "--help"};
        StringWriter alone = new StringWriter();
        StringWriter whole = new StringWriter();
        assertThat(Main.commandLine(new PrintWriter(alone, true), new PrintWriter(new StringWriter()), args)
                .execute(args)).isZero();
        assertThat(Main.commandLine(new PrintWriter(whole, true), new PrintWriter(new StringWriter()))
                .execute(args)).isZero();
        assertThat(alone.toString()).isEqualTo(whole.toString()).startsWith("Usage: proflab top");
    }

    @Test
    void theTrainingRunsEveryCommandItNames(@TempDir Path dir) {
        assertThat(Training.run(dir)).isZero();
        assertThat(dir.resolve("out.svg")).isNotEmptyFile();
        assertThat(dir.resolve("out.pb.gz")).isNotEmptyFile();
    }
}
