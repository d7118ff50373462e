package dev.proflab.analysis;

/** A recording the analysis cannot read, or a limit it reached: the message is written for the user. */
public final class AnalysisException extends RuntimeException {

    public AnalysisException(String message) {
        super(message);
    }

    public AnalysisException(String message, Throwable cause) {
        super(message, cause);
    }
}
