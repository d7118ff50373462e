/**
 * The timeline lesson (Go's {@code go tool trace}): threads that each leave their own shape on the timeline
 * ({@link dev.proflab.labs.trace.Trace}).
 */
package dev.proflab.labs.trace;
