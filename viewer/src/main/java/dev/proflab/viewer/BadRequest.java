package dev.proflab.viewer;

/** A request parameter the API cannot use: answered with 400 and a JSON error. */
final class BadRequest extends RuntimeException {
    BadRequest(String message) {
        super(message);
    }
}
