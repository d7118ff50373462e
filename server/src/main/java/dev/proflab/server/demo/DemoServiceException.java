package dev.proflab.server.demo;

/** The demo service could not start; the message is one line for the user. */
public final class DemoServiceException extends RuntimeException {
    public DemoServiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
