package dev.proflab.gc;

import dev.proflab.text.Phrase;

/**
 * Bad input to a GC comparison (a size, a collector, an option): one line naming what is wrong. A message about a
 * parameter names it as this package does ({@code collector}, {@code config}); {@link #phrase()} marks it, so that
 * the CLI can name its own flag instead.
 */
public final class GcCompareException extends RuntimeException implements Phrase.Source {

    private static final long serialVersionUID = 1L;

    private final transient Phrase phrase;

    public GcCompareException(String message) {
        super(message);
        this.phrase = null;
    }

    /** A message that names parameters ({@link Phrase#parameter}); {@link #getMessage()} names them neutrally. */
    public GcCompareException(Phrase phrase) {
        super(phrase.toString());
        this.phrase = phrase;
    }

    @Override
    public Phrase phrase() {
        return phrase != null ? phrase : Phrase.text(getMessage());
    }
}
