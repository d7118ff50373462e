package dev.proflab.report;

import dev.proflab.text.Phrase;

/**
 * A report that cannot be made as asked: a regular expression that is invalid or matches nothing,
 * an unknown sample index. The message is one line, ready to print. A message about a parameter of
 * the selection ({@code sampleIndex}, {@code fromNanos}, {@code toNanos}, {@code normalize}) names it as
 * this package does, marked in {@link #phrase()} for the caller to name its own way (the CLI its flags).
 * A regular expression is named as its caller named it when it compiled it ({@link Regex#option()}).
 */
public final class ReportException extends RuntimeException implements Phrase.Source {

    private static final long serialVersionUID = 1L;

    private final transient Phrase phrase;

    public ReportException(String message) {
        super(oneLine(message));
        this.phrase = null;
    }

    /** A message that names parameters ({@link Phrase#parameter}); {@link #getMessage()} names them neutrally. */
    public ReportException(Phrase phrase) {
        super(oneLine(phrase.toString()));
        this.phrase = phrase;
    }

    @Override
    public Phrase phrase() {
        return phrase != null ? phrase : Phrase.text(getMessage());
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
