package dev.proflab.debug;

import java.util.Map;

/** A request that is answered with an error status and a one-line message (never a stack trace or a path). */
final class DebugError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final transient Map<String, String> headers;

    DebugError(int status, String message) {
        this(status, message, Map.of());
    }

    DebugError(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = headers;
    }
}
