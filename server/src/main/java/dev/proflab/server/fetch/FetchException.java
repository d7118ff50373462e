package dev.proflab.server.fetch;

/** A fetch that failed: unreachable server, an error answer, or an answer that is not a profile. One line. */
public final class FetchException extends RuntimeException {
    public FetchException(String message) {
        super(message);
    }
}
