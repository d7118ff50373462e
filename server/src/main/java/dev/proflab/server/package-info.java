/**
 * HTTP for profiling: the demo service of the labs ({@code proflab serve}: {@code /work/*} load
 * endpoints), the {@code /debug/pprof} endpoints any JVM service can embed (a handler for the JDK's
 * {@code HttpServer} and a Javalin adapter), and the clients that drive and pull from them
 * ({@code proflab load}, {@code proflab fetch}).
 */
package dev.proflab.server;
