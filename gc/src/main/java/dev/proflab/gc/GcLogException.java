package dev.proflab.gc;

/** A GC log that cannot be read: missing, not a unified JVM GC log, or broken. One line, naming the file. */
public final class GcLogException extends RuntimeException {
    public GcLogException(String message) {
        super(message);
    }

    public GcLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
