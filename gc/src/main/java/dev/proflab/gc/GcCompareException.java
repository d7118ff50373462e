package dev.proflab.gc;

/** Bad input to a GC comparison (a size, a collector, an option): one line naming what is wrong. */
public final class GcCompareException extends RuntimeException {
    public GcCompareException(String message) {
        super(message);
    }
}
