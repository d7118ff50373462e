package dev.proflab.cli;

/** Bad input or usage found while running a command: one line, exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
