package dev.proflab.profile;

import java.nio.file.Path;

/**
 * A profile that cannot be read or does not hold what was asked: a missing, empty, truncated or
 * corrupted file, a file that is neither JFR nor pprof, an unknown event, an event without samples.
 *
 * <p>The message is always one line and, when a file is at fault, starts with that file as it was
 * given ({@code "cpu.jfr: truncated JFR recording ..."}), so a command line tool can print it as it is.
 */
public final class ProfileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public ProfileException(String message) {
        this(null, message, null);
    }

    public ProfileException(Path file, String message) {
        this(file, message, null);
    }

    public ProfileException(Path file, String message, Throwable cause) {
        super(oneLine(file == null ? message : file + ": " + message), cause);
        this.file = file;
    }

    /** The file at fault, or null when the problem is not in one file. */
    public Path file() {
        return file;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
