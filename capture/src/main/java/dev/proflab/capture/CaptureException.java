package dev.proflab.capture;

/**
 * A capture that cannot start or did not produce a recording: a bad option, a PID that is gone or not a
 * JVM, an engine that cannot load here, a target that failed. The message is one line meant for the
 * user as it is ({@code "PID 4242: no such process"}); nothing has been written when it is thrown.
 */
public final class CaptureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CaptureException(String message) {
        super(oneLine(message));
    }

    public CaptureException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", "; ").strip();
    }
}
