package dev.proflab.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Renders comparisons of the checked-in JMH files and compares them with golden files in
 * {@code src/test/resources/stats/golden}, named {@code <case>.<format>} (pprof's habit). To accept
 * new output after an intended change: {@code ./mvnw -pl stats -am test -Dtest=GoldenTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true}, then review the diff.
 */
class GoldenTest {

    private static final Path SOURCE = Path.of("src/test/resources/stats/golden");

    private static void golden(String name, String actual) throws IOException {
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(SOURCE);
            Files.writeString(SOURCE.resolve(name), actual, StandardCharsets.UTF_8);
        }
        Path expected = TestFiles.dir().resolve("golden").resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            expected = SOURCE.resolve(name);
        }
        assertThat(Files.exists(expected)).as("golden file %s (run with -Dgolden.update=true to create it)", name)
                .isTrue();
        assertThat(actual).as(name).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
    }

    private static String ext(StatFormat f) {
        return switch (f) {
            case TEXT -> "txt";
            case MARKDOWN -> "md";
            case CSV -> "csv";
            case JSON -> "json";
        };
    }

    private static Comparison compare(StatOptions opts, String... files) {
        return Comparison.compute(Arrays.stream(files).map(TestFiles::input).toList(), opts);
    }

    private static String warnings(Comparison c) {
        return c.warnings().stream().map(w -> w + "\n").collect(Collectors.joining());
    }

    @ParameterizedTest
    @EnumSource(StatFormat.class)
    void oldVersusNew(StatFormat format) throws IOException {
        Comparison c = compare(StatOptions.defaults(), "fib-old.json", "fib-new.json");
        golden("fib-old-new." + ext(format), format.render(c));
        golden("fib-old-new.warnings", warnings(c));
    }

    @ParameterizedTest
    @EnumSource(StatFormat.class)
    void columnsFromAParam(StatFormat format) throws IOException {
        Comparison c = compare(StatOptions.defaults().withColParam("impl"), "fib-impl.json");
        golden("fib-impl.col-impl." + ext(format), format.render(c));
        golden("fib-impl.col-impl.warnings", warnings(c));
    }

    @ParameterizedTest
    @EnumSource(value = StatFormat.class, names = {"TEXT", "JSON"})
    void oneFileAndMissingRows(StatFormat format) throws IOException {
        // Three files that share no benchmark: blank cells, no comparisons, a fork-effect warning.
        Comparison c = compare(StatOptions.defaults(), "thrpt-rounds.json", "sample-mode.json", "fork-effect.json");
        golden("mixed." + ext(format), format.render(c));
        golden("mixed.warnings", warnings(c));
        Comparison single = compare(StatOptions.defaults(), "fib-old.json");
        golden("fib-old-only." + ext(format), format.render(single));
    }

    @ParameterizedTest
    @EnumSource(value = StatFormat.class)
    void rendersAreDeterministic(StatFormat format) {
        List<String> names = List.of("fib-old.json", "fib-new.json");
        String a = format.render(compare(StatOptions.defaults(), names.toArray(String[]::new)));
        String b = format.render(compare(StatOptions.defaults(), names.toArray(String[]::new)));
        assertThat(a).isEqualTo(b);
    }
}
