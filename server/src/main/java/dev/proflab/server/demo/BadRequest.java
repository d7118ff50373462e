package dev.proflab.server.demo;

/**
 * A request the demo service refuses: the status (400 for a bad parameter, 409 when a cap on what the
 * service holds is reached), a one-line message and the parameter it is about (null: none).
 */
final class BadRequest extends RuntimeException {

    final int status;
    final String parameter;

    BadRequest(int status, String parameter, String message) {
        super(message, null, false, false);
        this.status = status;
        this.parameter = parameter;
    }

    static BadRequest parameter(String parameter, String message) {
        return new BadRequest(400, parameter, parameter + ": " + message);
    }
}
