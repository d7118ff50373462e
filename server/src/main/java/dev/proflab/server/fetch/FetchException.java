package dev.proflab.server.fetch;

/** A fetch that failed: unreachable server, an error answer, or an answer that is not a profile. One line. */
public final class FetchException extends RuntimeException {

    /** Why it failed, for callers that react differently (the collector waits for a server that is down). */
    public enum Reason {
        /** No connection, or the connection was lost before a whole answer arrived: the server may be down. */
        UNREACHABLE,
        /** Connected, but no (whole) answer within the timeout: the body counts, not only the headers. */
        TIMEOUT,
        /** The answer is larger than the cap on a download: it was not read to its end. */
        TOO_LARGE,
        /** The server answered with an error status. */
        STATUS,
        /** The answer arrived but is not a readable profile. */
        NOT_A_PROFILE,
        /** The answer is a profile, but not of the kind or format that was asked for. */
        UNEXPECTED,
        /** Writing the file failed, or anything else. */
        OTHER
    }

    private final Reason reason;
    private final int status;

    public FetchException(String message) {
        this(message, Reason.OTHER, 0);
    }

    public FetchException(String message, Reason reason, int status) {
        super(message);
        this.reason = reason;
        this.status = status;
    }

    public Reason reason() {
        return reason;
    }

    /** The HTTP status for {@link Reason#STATUS}, else 0. */
    public int status() {
        return status;
    }
}
