package dev.proflab.report;

/**
 * A report that cannot be made as asked: a regular expression that is invalid or matches nothing,
 * an unknown sample index. The message is one line, ready to print.
 */
public final class ReportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ReportException(String message) {
        super(message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip());
    }
}
