package dev.proflab.viewer;

/** The viewer cannot start (port in use, address not local, ...): a one-line message for the user. */
public final class ViewerException extends RuntimeException {
    public ViewerException(String message, Throwable cause) {
        super(message, cause);
    }
}
