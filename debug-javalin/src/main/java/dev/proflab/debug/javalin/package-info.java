/**
 * The {@code /debug/pprof} endpoints of {@code proflab-debug} in a Javalin 7 application:
 * {@link dev.proflab.debug.javalin.DebugJavalin#register} adds their routes. A module of its own so that the
 * endpoints themselves need no web framework.
 */
package dev.proflab.debug.javalin;
