package dev.proflab.export;

/**
 * An export that cannot be made from this profile with these options: an unknown sample index, a
 * profile without samples for a picture. The message is one line, fit to print as it is.
 */
public final class ExportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ExportException(String message) {
        super(message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip());
    }
}
