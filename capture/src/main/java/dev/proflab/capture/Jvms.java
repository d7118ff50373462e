package dev.proflab.capture;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Running JVMs by PID: is it one, attach to it (JDK Attach API; no {@code jcmd} or {@code asprof} needed), read
 * its system properties, and reach its platform MBeans over a local JMX connection.
 *
 * <p>A PID is checked before attaching because attaching to a process that is not a HotSpot JVM sends it
 * SIGQUIT, which would end most programs.
 */
public final class Jvms {

    /** The JDK and command of an attached JVM. */
    public record Info(long pid, String version, String vendor, String home, String command, int feature) {
        Metadata.Jdk jdk() {
            return new Metadata.Jdk(version, vendor, home);
        }
    }

    /** A JMX connection to a JVM's platform MBeans; close it when done. */
    public record Jmx(MBeanServerConnection connection, JMXConnector connector) implements AutoCloseable {
        @Override
        public void close() {
            try {
                connector.close();
            } catch (IOException e) {
                // gone already
            }
        }
    }

    private Jvms() {
    }

    /**
     * Fails with one line unless {@code pid} is a live JVM other than this one.
     *
     * @throws CaptureException no such process, not a JVM, or this very process
     */
    public static void check(long pid) {
        if (pid <= 0) {
            throw new CaptureException("PID " + pid + ": not a process id");
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new CaptureException("PID " + pid + " is proflab itself");
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            throw new CaptureException("PID " + pid + ": no such process");
        }
        String id = Long.toString(pid);
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            if (d.id().equals(id)) {
                return;
            }
        }
        String what = h.get().info().command().map(c -> " (" + Path.of(c).getFileName() + ")").orElse("");
        Path maps = Path.of("/proc", id, "maps");
        if (Files.exists(Path.of("/proc/self/maps"))) {
            try {
                String text = Files.readString(maps);
                if (text.contains("/libjvm.so")) {
                    return; // a JVM without hsperfdata (-XX:-UsePerfData) or in another container
                }
                throw new CaptureException("PID " + pid + what + " is not a JVM");
            } catch (AccessDeniedException e) {
                throw new CaptureException("PID " + pid + what + ": not a JVM of this user (cannot read " + maps + ")");
            } catch (NoSuchFileException e) {
                throw new CaptureException("PID " + pid + ": no such process");
            } catch (IOException e) {
                throw new CaptureException("PID " + pid + what + ": cannot tell whether it is a JVM (" + e.getMessage() + ")");
            }
        }
        throw new CaptureException("PID " + pid + what + " is not a JVM that this user can attach to");
    }

    /** Checks, then attaches. */
    public static VirtualMachine attach(long pid) {
        check(pid);
        try {
            return VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new CaptureException("cannot attach to PID " + pid + ": " + e.getMessage(), e);
        }
    }

    public static Info info(long pid, VirtualMachine vm) {
        try {
            Properties p = vm.getSystemProperties();
            String version = p.getProperty("java.runtime.version", p.getProperty("java.version", "?"));
            String spec = p.getProperty("java.specification.version", "0");
            int feature;
            try {
                feature = Integer.parseInt(spec.startsWith("1.") ? spec.substring(2) : spec);
            } catch (NumberFormatException e) {
                feature = 0;
            }
            String cmd = p.getProperty("sun.java.command", "");
            return new Info(pid, version, p.getProperty("java.vendor"), p.getProperty("java.home"), cmd, feature);
        } catch (IOException e) {
            throw new CaptureException("PID " + pid + ": cannot read its system properties: " + e.getMessage(), e);
        }
    }

    /** Starts the JVM's local management agent if needed (as jconsole does) and connects to it. */
    public static Jmx jmx(long pid, VirtualMachine vm) {
        try {
            String address = vm.startLocalManagementAgent();
            JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address));
            return new Jmx(c.getMBeanServerConnection(), c);
        } catch (IOException | RuntimeException e) {
            throw new CaptureException("PID " + pid + ": cannot connect over JMX: " + e.getMessage(), e);
        }
    }

    /** The first word of a {@code sun.java.command}: the main class or the jar, without its folder. */
    public static String mainOf(String command) {
        if (command == null || command.isBlank()) {
            return "";
        }
        String first = command.strip().split("\\s+")[0];
        int slash = first.lastIndexOf('/');
        return slash >= 0 ? first.substring(slash + 1) : first;
    }
}
