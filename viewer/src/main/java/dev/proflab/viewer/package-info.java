/**
 * {@code proflab view}: the local web UI of a recording, a pair of recordings (their difference) or a folder of
 * profiles collected over time. {@link dev.proflab.viewer.ViewerServer} serves a JSON API computed with the
 * profile library's readers and reports, and the page itself (plain JavaScript, served from the jar, no network
 * needed), on the JDK's own HTTP server; it listens on loopback and answers only the host names
 * {@link dev.proflab.net.HostCheck} allows.
 * Errors in a request are one-line JSON errors ({@link dev.proflab.viewer.ViewerException} at start-up).
 */
package dev.proflab.viewer;
