/**
 * {@code proflab-agent.jar}: the debug module's {@code /debug} endpoints in a JVM that was not written for them.
 * {@link dev.proflab.agent.AgentMain} is the {@code Premain-Class} ({@code -javaagent:proflab-agent.jar=port=6060})
 * and the {@code Agent-Class} ({@code proflab agent --pid}, the Attach API); it starts a daemon thread and returns,
 * and {@link dev.proflab.agent.Agent} on that thread parses {@link dev.proflab.agent.AgentOptions}, binds the JDK's
 * {@code HttpServer} and mounts {@link dev.proflab.debug.DebugHttpHandler}. Jackson and jfr-converter are relocated
 * into {@code dev.proflab.agent.shaded}; async-profiler's Java API is not (its natives are bound by JNI name). See
 * {@code docs/agent.md}.
 */
package dev.proflab.agent;
