/**
 * HTTP for the labs: the demo service ({@code proflab serve}: {@code /work/*} load endpoints, with the
 * {@code /debug/pprof} endpoints of {@code proflab-debug} mounted through {@code proflab-debug-javalin}), and the
 * clients that drive and pull from a service ({@code proflab load}, {@code proflab fetch}, {@code proflab collect}).
 */
package dev.proflab.server;
