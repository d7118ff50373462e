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
        start(args);
    }

    /** {@code VirtualMachine.loadAgent(jar, options)} ({@code proflab agent --pid}): the same, in a running JVM. */
    public static void agentmain(String args, Instrumentation inst) {
        start(args);
    }

    /** On the daemon thread: {@link Agent#run}, which binds and serves (and says so on stderr). */
    private static final class Starter implements Runnable {
        private final String args;

        Starter(String args) {
            this.args = args;
        }

        @Override
        public void run() {
            try {
                Class<?> agent = Class.forName("dev.proflab.agent.Agent", true, AgentMain.class.getClassLoader());
                agent.getMethod("run", String.class).invoke(null, args);
            } catch (InvocationTargetException e) {
                System.err.println("proflab-agent: did not start (" + e.getCause() + "); the application runs on");
            } catch (Throwable t) {
                System.err.println("proflab-agent: did not start (" + t + "); the application runs on");
            }
        }
    }

    private static void start(String args) {
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
            // the thread, and nothing else, before premain returns: loading Agent (and what its verification
            // pulls in) or a first lambda (java.lang.invoke's bootstrap) here would delay the application's main
            Thread t = new Thread(new Starter(args), "proflab-agent-start");
            t.setDaemon(true);
            t.start();
        } catch (Throwable t) {
            System.err.println("proflab-agent: did not start (" + t + "); the application runs on");
        }
    }
}
