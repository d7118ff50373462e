package dev.proflab.cli;

/** A check the user asked for ran and failed: exit code 1, not 2. */
public final class CheckFailedException extends RuntimeException {
    public CheckFailedException(String message) {
        super(message);
    }
}
