package dev.proflab.stats;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One JMH result file ({@code -rf json}) to compare, with the name its column gets.
 *
 * @param name column name (usually the path as the user typed it)
 * @param file the JMH JSON file
 */
public record StatInput(String name, Path file) {

    public StatInput {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
    }

    public static StatInput of(String name, Path file) {
        return new StatInput(name, file);
    }

    /** An input named after its path, as given. */
    public static StatInput of(Path file) {
        return new StatInput(file.toString(), file);
    }
}
