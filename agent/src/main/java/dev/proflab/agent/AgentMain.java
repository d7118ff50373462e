package dev.proflab.agent;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;

/**
 * The entry point of {@code proflab-agent.jar} ({@code Premain-Class} and {@code Agent-Class}), compiled as Java 8
 * bytecode so that any JVM can load it: on a JVM older than 21 it prints one line and returns, where a class of a
 * newer version would abort the JVM ("processing of -javaagent failed"). Everything else is in {@link Agent}.
 *
 * <p>Never throws: whatever goes wrong is one line on standard error, and the application runs on.
 */
public final class AgentMain {

    private AgentMain() {
    }

    /** {@code java -javaagent:proflab-agent.jar=port=6060 ...}: returns at once, the server starts on a daemon thread. */
    public static void premain(String args, Instrumentation inst) {
        start(args, false);
    }

    /** {@code VirtualMachine.loadAgent(jar, options)} ({@code proflab agent --pid}): the same, in a running JVM. */
    public static void agentmain(String args, Instrumentation inst) {
        start(args, true);
    }

    private static void start(String args, boolean attached) {
        try {
            String spec = System.getProperty("java.specification.version", "0");
            int feature;
            try {
                feature = Integer.parseInt(spec.startsWith("1.") ? spec.substring(2) : spec);
            } catch (NumberFormatException e) {
                feature = 0;
            }
            if (feature < 21) {
                System.err.println("proflab-agent: needs Java 21 or newer, this JVM is Java " + spec
                        + ": no /debug endpoints; the application runs on");
                return;
            }
            Class<?> agent = Class.forName("dev.proflab.agent.Agent", true, AgentMain.class.getClassLoader());
            agent.getMethod("start", String.class, boolean.class).invoke(null, args, attached);
        } catch (InvocationTargetException e) {
            System.err.println("proflab-agent: did not start (" + e.getCause() + "); the application runs on");
        } catch (Throwable t) {
            System.err.println("proflab-agent: did not start (" + t + "); the application runs on");
        }
    }
}
