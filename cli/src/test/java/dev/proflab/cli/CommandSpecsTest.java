package dev.proflab.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The commands' models written as code ({@code CommandSpecs.java}) are those picocli builds from their annotations:
 * the file is what {@link CommandSpecsSource} writes from the annotations now, and both models agree on every
 * attribute of every option and on the help they print. {@code make specs} (or {@code -Dproflab.writeSpecs=true})
 * writes the file again after a change of the annotations.
 */
class CommandSpecsTest {

    private static final Path SOURCE = Path.of("src/main/java/dev/proflab/cli/CommandSpecs.java");

    @Test
    void theWrittenModelsAreWhatTheAnnotationsSay() throws IOException {
        String generated = CommandSpecsSource.generate();
        if (Boolean.getBoolean("proflab.writeSpecs")) {
            Files.writeString(SOURCE, generated, StandardCharsets.UTF_8);
        }
        assertEquals(generated, Files.readString(SOURCE, StandardCharsets.UTF_8),
                SOURCE + " is not what the annotations say: run 'make specs' and commit the file");
    }

    @Test
    void bothModelsAgreeOnEveryCommandOptionAndHelp() {
        CommandLine fromAnnotations = new CommandLine(new Main());
        for (Map.Entry<String, Class<?>> c : Main.COMMANDS) {
            fromAnnotations.addSubcommand(c.getKey(), c.getValue());
        }
        fromAnnotations.registerConverter(Path.class, s -> Path.of(s));
        CommandLine fromCode = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        compare(fromAnnotations, fromCode);
        assertEquals(fromAnnotations.getSubcommands().keySet(), fromCode.getSubcommands().keySet());
        for (String name : fromAnnotations.getSubcommands().keySet()) {
            compare(fromAnnotations.getSubcommands().get(name), fromCode.getSubcommands().get(name));
        }
    }

    @Test
    void everyCommandOfOursIsWritten() {
        for (Map.Entry<String, Class<?>> c : Main.COMMANDS) {
            if (c.getValue().getPackageName().equals(Main.class.getPackageName())) {
                assertNotNull(CommandSpecs.of(c.getKey()), c.getKey());
            }
        }
    }

    private static void compare(CommandLine expected, CommandLine actual) {
        String name = expected.getCommandSpec().qualifiedName();
        assertEquals(usage(expected), usage(actual), name + ": the help");
        List<String> e = describe(expected.getCommandSpec());
        List<String> a = describe(actual.getCommandSpec());
        for (int i = 0; i < Math.min(e.size(), a.size()); i++) {
            assertEquals(e.get(i), a.get(i), name);
        }
        assertEquals(e.size(), a.size(), name + ": the number of options and parameters");
    }

    private static String usage(CommandLine cl) {
        StringWriter w = new StringWriter();
        cl.usage(new PrintWriter(w), CommandLine.Help.Ansi.OFF);
        return w.toString();
    }

    private static List<String> describe(CommandSpec spec) {
        List<String> d = new ArrayList<>();
        d.add("name " + spec.name() + ", help command " + spec.helpCommand() + ", standard help "
                + spec.mixinStandardHelpOptions() + ", mixins " + spec.mixins().keySet() + ", version provider "
                + (spec.versionProvider() == null ? null : spec.versionProvider().getClass())
                + ", exit codes " + spec.exitCodeOnSuccess() + "/" + spec.exitCodeOnInvalidInput());
        for (ArgSpec a : spec.args()) {
            StringBuilder s = new StringBuilder();
            if (a instanceof OptionSpec o) {
                s.append("option ").append(Arrays.toString(o.names())).append(" negatable ").append(o.negatable())
                        .append(" fallback ").append(o.fallbackValue()).append(" usageHelp ").append(o.usageHelp())
                        .append(" versionHelp ").append(o.versionHelp()).append(" order ").append(o.order());
            } else {
                PositionalParamSpec p = (PositionalParamSpec) a;
                s.append("positional ").append(p.index()).append(" unspecified ").append(p.index().isUnspecified());
            }
            s.append(" label ").append(a.paramLabel()).append(" arity ").append(a.arity()).append('/')
                    .append(a.arity().isUnspecified()).append(" type ").append(a.type().getName())
                    .append(" aux ").append(Arrays.toString(a.auxiliaryTypes()))
                    .append(" description ").append(Arrays.toString(a.description()))
                    .append(" default ").append(a.defaultValue()).append(" initial ").append(a.initialValue())
                    .append('/').append(a.hasInitialValue()).append(" required ").append(a.required())
                    .append(" hidden ").append(a.hidden()).append(" split ").append(a.splitRegex())
                    .append(" scope ").append(a.scopeType()).append(" inherited ").append(a.inherited())
                    .append(" show default ").append(a.showDefaultValue()).append(" key ").append(a.descriptionKey())
                    .append(" interactive ").append(a.interactive())
                    .append(" multi ").append(a.isMultiValue())
                    .append(" enum ").append(a.typeInfo().isEnum()).append(a.typeInfo().getEnumConstantNames())
                    .append(" collection ").append(a.typeInfo().isCollection())
                    .append(" candidates ").append(candidates(a));
            d.add(s.toString());
        }
        return d;
    }

    private static List<String> candidates(ArgSpec a) {
        List<String> c = new ArrayList<>();
        if (a.completionCandidates() != null) {
            a.completionCandidates().forEach(c::add);
        }
        return c;
    }
}
