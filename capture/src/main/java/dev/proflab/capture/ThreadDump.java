package dev.proflab.capture;

import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanServerConnection;
import java.io.IOException;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The platform threads of a JVM at one moment, with their states, stacks and locks, and the threads that
 * {@link ThreadMXBean#findDeadlockedThreads()} finds deadlocked. Taken over JMX ({@link Sampler}); virtual
 * threads are not included (use {@code jcmd PID Thread.dump_to_file -format=json} for those).
 *
 * @param threads    in the order the JVM listed them
 * @param deadlocked ids of deadlocked threads (monitors and java.util.concurrent locks), empty when none
 */
public record ThreadDump(long pid, Instant taken, String jdk, String command, List<ThreadEntry> threads,
                         List<Long> deadlocked) {

    /**
     * One thread.
     *
     * @param state      a {@link Thread.State} name: RUNNABLE, BLOCKED, WAITING, TIMED_WAITING, ...
     * @param stack      frames, top first, as {@code java.util.concurrent.locks.LockSupport.park(LockSupport.java:371)}
     * @param lock       what it waits for ({@code java.lang.Object@1b6d3586}), or null
     * @param lockOwner  the id of the thread holding that lock, or -1
     * @param held       monitors and synchronizers it holds
     */
    public record ThreadEntry(long id, String name, String state, boolean daemon, List<String> stack, String lock,
                              long lockOwner, List<String> held) {
        public ThreadEntry {
            stack = List.copyOf(stack);
            held = List.copyOf(held);
        }
    }

    public ThreadDump {
        threads = List.copyOf(threads);
        deadlocked = List.copyOf(deadlocked);
    }

    /** Takes dumps of one JVM over one JMX connection; close it when done. */
    public static final class Sampler implements AutoCloseable {
        private final long pid;
        private final VirtualMachine vm;
        private final Jvms.Jmx jmx;
        private final ThreadMXBean threads;
        private final Jvms.Info info;

        private Sampler(long pid, VirtualMachine vm, Jvms.Jmx jmx, ThreadMXBean threads, Jvms.Info info) {
            this.pid = pid;
            this.vm = vm;
            this.jmx = jmx;
            this.threads = threads;
            this.info = info;
        }

        /** Attaches to {@code pid} and connects to its thread MBean. */
        public static Sampler attach(long pid) {
            VirtualMachine vm = Jvms.attach(pid);
            try {
                Jvms.Info info = Jvms.info(pid, vm);
                Jvms.Jmx jmx = Jvms.jmx(pid, vm);
                MBeanServerConnection c = jmx.connection();
                ThreadMXBean t = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.THREAD_MXBEAN_NAME,
                        ThreadMXBean.class);
                return new Sampler(pid, vm, jmx, t, info);
            } catch (IOException | RuntimeException e) {
                try {
                    vm.detach();
                } catch (IOException ignored) {
                    // gone
                }
                if (e instanceof CaptureException ce) {
                    throw ce;
                }
                throw new CaptureException("PID " + pid + ": cannot reach its threads: " + e.getMessage(), e);
            }
        }

        public Jvms.Info info() {
            return info;
        }

        public ThreadDump take() {
            try {
                ThreadInfo[] all = threads.dumpAllThreads(threads.isObjectMonitorUsageSupported(),
                        threads.isSynchronizerUsageSupported());
                long[] dead = threads.findDeadlockedThreads();
                List<ThreadEntry> entries = new ArrayList<>(all.length);
                for (ThreadInfo t : all) {
                    if (t != null) {
                        entries.add(entry(t));
                    }
                }
                List<Long> deadlocked = dead == null ? List.of() : Arrays.stream(dead).boxed().toList();
                return new ThreadDump(pid, Instant.now(), info.version(), info.command(), entries, deadlocked);
            } catch (RuntimeException e) {
                if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new CaptureException("PID " + pid + " exited", e);
                }
                throw new CaptureException("PID " + pid + ": thread dump failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            jmx.close();
            try {
                vm.detach();
            } catch (IOException e) {
                // gone
            }
        }
    }

    /**
     * The platform threads of this JVM, now (no attach, no JMX connection): for in-process endpoints such as
     * {@code /debug/pprof/goroutine}.
     */
    public static ThreadDump ofThisJvm() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ThreadInfo[] all = threads.dumpAllThreads(threads.isObjectMonitorUsageSupported(),
                threads.isSynchronizerUsageSupported());
        long[] dead = threads.findDeadlockedThreads();
        List<ThreadEntry> entries = new ArrayList<>(all.length);
        for (ThreadInfo t : all) {
            if (t != null) {
                entries.add(entry(t));
            }
        }
        List<Long> deadlocked = dead == null ? List.of() : Arrays.stream(dead).boxed().toList();
        var runtime = ManagementFactory.getRuntimeMXBean();
        return new ThreadDump(ProcessHandle.current().pid(), Instant.now(), System.getProperty("java.runtime.version",
                runtime.getVmVersion()), System.getProperty("sun.java.command", ""), entries, deadlocked);
    }

    static ThreadEntry entry(ThreadInfo t) {
        List<String> stack = new ArrayList<>();
        for (StackTraceElement f : t.getStackTrace()) {
            stack.add(frame(f));
        }
        List<String> held = new ArrayList<>();
        for (MonitorInfo m : t.getLockedMonitors()) {
            held.add(m.getClassName() + "@" + Integer.toHexString(m.getIdentityHashCode()));
        }
        for (LockInfo l : t.getLockedSynchronizers()) {
            held.add(l.getClassName() + "@" + Integer.toHexString(l.getIdentityHashCode()));
        }
        return new ThreadEntry(t.getThreadId(), t.getThreadName(), t.getThreadState().name(), t.isDaemon(), stack,
                t.getLockName(), t.getLockOwnerId(), held);
    }

    /** A frame as in a Java stack trace, without module or class loader prefixes. */
    static String frame(StackTraceElement f) {
        String where;
        if (f.isNativeMethod()) {
            where = "Native Method";
        } else if (f.getFileName() == null) {
            where = "Unknown Source";
        } else {
            where = f.getLineNumber() >= 0 ? f.getFileName() + ":" + f.getLineNumber() : f.getFileName();
        }
        return f.getClassName() + "." + f.getMethodName() + "(" + where + ")";
    }
}
