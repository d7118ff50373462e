/**
 * Go's {@code net/http/pprof} for any JVM service: {@link dev.proflab.server.debug.DebugEndpoints} (the
 * framework-neutral core, configured by {@link dev.proflab.server.debug.DebugOptions}), and two adapters,
 * {@link dev.proflab.server.debug.DebugHttpHandler} for the JDK's {@code HttpServer} and
 * {@link dev.proflab.server.debug.DebugJavalin} for Javalin 7. Any other HTTP stack implements
 * {@link dev.proflab.server.debug.DebugExchange}. See {@code docs/debug-endpoints.md}.
 */
package dev.proflab.server.debug;
