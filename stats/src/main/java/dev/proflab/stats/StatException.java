package dev.proflab.stats;

import java.nio.file.Path;

/**
 * Bad input for a comparison: a file that is missing, empty, not JSON, not JMH output, truncated or
 * without raw samples, or an option that does not fit the data (an unknown {@code colParam}).
 *
 * <p>The message is always one line and, when a file is at fault, starts with that file as it was
 * given ({@code "old.json: truncated JSON ..."}), so a command line tool can print it as it is.
 */
public final class StatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public StatException(String message) {
        this(null, message, null);
    }

    StatException(Path file, String message, Throwable cause) {
        super(oneLine(file == null ? message : file + ": " + message), cause);
        this.file = file;
    }

    /** The file at fault, or null when the problem is not in one file. */
    public Path file() {
        return file;
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
