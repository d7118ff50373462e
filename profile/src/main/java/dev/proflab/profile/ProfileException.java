package dev.proflab.profile;

import dev.proflab.text.Phrase;

import java.nio.file.Path;

/**
 * A profile that cannot be read or does not hold what was asked: a missing, empty, truncated or
 * corrupted file, a file that is neither JFR nor pprof, an unknown event, an event without samples.
 *
 * <p>The message is always one line and, when a file is at fault, starts with that file as it was
 * given ({@code "cpu.jfr: truncated JFR recording ..."}), so a command line tool can print it as it is. A message
 * about a parameter of the reading ({@link ReadOptions}: {@code fromNanos}, {@code toNanos}) names it as this
 * package does, marked in {@link #phrase()} for the caller to name its own way.
 */
public final class ProfileException extends RuntimeException implements Phrase.Source {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final transient Phrase phrase;

    public ProfileException(String message) {
        this(null, message, null);
    }

    public ProfileException(Path file, String message) {
        this(file, message, null);
    }

    public ProfileException(Path file, String message, Throwable cause) {
        super(oneLine(file == null ? message : file + ": " + message), cause);
        this.file = file;
        this.phrase = null;
    }

    /** A message that names parameters ({@link Phrase#parameter}); {@link #getMessage()} names them neutrally. */
    public ProfileException(Path file, Phrase phrase) {
        super(oneLine(file == null ? phrase.toString() : file + ": " + phrase), null);
        this.file = file;
        this.phrase = file == null ? phrase : Phrase.of(file + ": ", phrase);
    }

    /** The message with its parameters marked (all of it plain text when it names none). */
    @Override
    public Phrase phrase() {
        return phrase != null ? phrase : Phrase.text(getMessage());
    }

    /** The file at fault, or null when the problem is not in one file. */
    public Path file() {
        return file;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
