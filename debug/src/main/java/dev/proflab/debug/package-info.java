/**
 * Go's {@code net/http/pprof} for any JVM service: {@link dev.proflab.debug.DebugEndpoints} (the
 * framework-neutral core, configured by {@link dev.proflab.debug.DebugOptions}) and its adapter for the JDK's
 * {@code HttpServer}, {@link dev.proflab.debug.DebugHttpHandler}. Any other HTTP stack implements
 * {@link dev.proflab.debug.DebugExchange}; the one for Javalin 7 is {@code dev.proflab.debug.javalin.DebugJavalin}
 * (artifact {@code proflab-debug-javalin}). The paths of the profiles and what each records are those of
 * {@link dev.proflab.profile.ProfileKind}, the names the collector fetches and files them by. See
 * {@code docs/debug-endpoints.md}.
 *
 * <p>The artifact {@code proflab-debug} needs the JDK, async-profiler, {@code proflab-profile} (the profile model,
 * the pprof writer) and {@code proflab-capture} (capturing this JVM): no web framework, no logging library.
 */
package dev.proflab.debug;
