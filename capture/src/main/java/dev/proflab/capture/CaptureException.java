package dev.proflab.capture;

import dev.proflab.text.Phrase;

/**
 * A capture that cannot start or did not produce a recording: a bad setting, a PID that is gone or not a
 * JVM, an engine that cannot load here, a target that failed. The message is one line meant for the
 * user as it is ({@code "PID 4242: no such process"}); nothing has been written when it is thrown.
 *
 * <p>A message about a setting names it as this package does ({@code interval}, {@code allocBytes},
 * {@code lockThreshold}, {@code timeline}, {@code engine}, {@code event}): {@link #phrase()} marks those names, so
 * that the CLI can say {@code --interval} and another caller its own word.
 */
public final class CaptureException extends RuntimeException implements Phrase.Source {

    private static final long serialVersionUID = 1L;

    private final transient Phrase phrase;

    public CaptureException(String message) {
        this(Phrase.text(oneLine(message)), null);
    }

    public CaptureException(String message, Throwable cause) {
        this(Phrase.text(oneLine(message)), cause);
    }

    /** A message that names settings ({@link Phrase#parameter}); {@link #getMessage()} names them neutrally. */
    public CaptureException(Phrase phrase) {
        this(phrase, null);
    }

    private CaptureException(Phrase phrase, Throwable cause) {
        super(oneLine(phrase.toString()), cause);
        this.phrase = phrase;
    }

    @Override
    public Phrase phrase() {
        return phrase != null ? phrase : Phrase.text(getMessage());
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", "; ").strip();
    }
}
