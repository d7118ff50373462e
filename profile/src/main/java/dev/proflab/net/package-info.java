/**
 * The network edges of the profile library, needing nothing but the JDK: the host names a local server answers to
 * ({@link dev.proflab.net.HostCheck}), against DNS rebinding: a pure function of a request's {@code Host} text,
 * shared by the three HTTP servers (the debug endpoints, the viewer, the demo service); and the sending of OTLP
 * profiles to an OpenTelemetry receiver ({@link dev.proflab.net.OtlpPush}: one POST, a timeout, no retry of its
 * own). They live with the profile library because everything that serves or sends profiles depends on it already.
 */
package dev.proflab.net;
