package dev.proflab.debug;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.capture.ThreadDump;
import dev.proflab.capture.ThreadSummary;
import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;

import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** What the JVM tells about itself without a profiler: threads, GC and memory, class histograms. */
final class JvmState {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JvmState() {
    }

    /** The threads now as a profile: one sample (value 1, label thread=name) per thread and stack. */
    static Profile threads() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ThreadInfo[] all = mx.dumpAllThreads(false, false);
        Profile.Meta meta = new Profile.Meta("jvm", "goroutine", 0, Instant.now(), Duration.ZERO,
                System.getProperty("java.runtime.version", ""), "", "");
        Profile.Builder b = new Profile.Builder(meta, List.of(new ValueType("goroutine", "count")));
        for (ThreadInfo t : all) {
            if (t == null) {
                continue;
            }
            StackTraceElement[] st = t.getStackTrace();
            int[] ids;
            if (st.length == 0) {
                ids = new int[] {b.frame(new Frame("", "[no Java frames: " + t.getThreadState() + "]", "", 0,
                        Frame.Kind.NATIVE))};
            } else {
                ids = new int[st.length];
                for (int i = 0; i < st.length; i++) { // top (leaf) first, as the builder wants
                    StackTraceElement f = st[i];
                    ids[i] = b.frame(new Frame(f.getClassName(), f.getMethodName(), "",
                            Math.max(0, f.getLineNumber()), f.isNativeMethod() ? Frame.Kind.NATIVE
                            : Frame.Kind.INTERPRETED));
                }
            }
            b.sample(b.stack(ids), b.thread(t.getThreadName()), 0, 1);
        }
        return b.build();
    }

    /** Go's {@code goroutine?debug=1}: threads grouped by identical state and stack, counts, largest first. */
    static String threadGroups() {
        ThreadSummary s = ThreadSummary.of(ThreadDump.ofThisJvm());
        StringBuilder sb = new StringBuilder();
        sb.append("thread profile: total ").append(s.threads());
        s.states().forEach((state, n) -> sb.append(", ").append(state).append(' ').append(n));
        sb.append('\n');
        for (ThreadSummary.Group g : s.groups()) {
            sb.append(g.count()).append(" @ ").append(g.state()).append(' ').append(g.names()).append('\n');
            for (String f : g.stack()) {
                sb.append("#\t").append(f).append('\n');
            }
            sb.append('\n');
        }
        for (ThreadSummary.Deadlock d : s.deadlocks()) {
            sb.append("DEADLOCK:\n");
            for (ThreadSummary.Link l : d.cycle()) {
                sb.append("#\t").append(l.thread()).append(" (").append(l.state()).append(") waits for ")
                        .append(l.lock()).append(" held by ").append(l.heldBy()).append(" at ").append(l.at())
                        .append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Go's {@code goroutine?debug=2}: every thread's full stack with its locks, as {@code jstack -l} prints it. */
    static String threadDump() {
        return diagnosticCommand("threadPrint", "-l");
    }

    /**
     * The class histogram ({@code jcmd PID GC.class_histogram}). Without {@code gc}: every object on the heap,
     * reachable or not ({@code -all}: no GC is forced); with it: live objects only, after a full GC.
     */
    static String classHistogram(boolean gc) {
        return gc ? diagnosticCommand("gcClassHistogram") : diagnosticCommand("gcClassHistogram", "-all");
    }

    private static String diagnosticCommand(String op, String... args) {
        try {
            Object r = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), op, new Object[] {args},
                    new String[] {String[].class.getName()});
            return String.valueOf(r);
        } catch (JMException | RuntimeException e) {
            throw new DebugError(503, "the JVM's diagnostic command " + op + " is not available here");
        }
    }

    /** {@code /debug/gc}: collectors, heap and pools, as JSON. */
    static byte[] gcJson() {
        ObjectNode o = JSON.createObjectNode();
        var rt = ManagementFactory.getRuntimeMXBean();
        o.put("jdk", System.getProperty("java.runtime.version", rt.getVmVersion()));
        o.put("vm", rt.getVmName());
        o.put("uptimeMs", rt.getUptime());
        o.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        ArrayNode gcs = o.putArray("collectors");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ObjectNode g = gcs.addObject();
            g.put("name", gc.getName());
            g.put("count", gc.getCollectionCount());
            g.put("timeMs", gc.getCollectionTime());
            ArrayNode pools = g.putArray("pools");
            for (String p : gc.getMemoryPoolNames()) {
                pools.add(p);
            }
        }
        var mem = ManagementFactory.getMemoryMXBean();
        usage(o.putObject("heap"), mem.getHeapMemoryUsage());
        usage(o.putObject("nonHeap"), mem.getNonHeapMemoryUsage());
        ArrayNode pools = o.putArray("pools");
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            ObjectNode n = pools.addObject();
            n.put("name", p.getName());
            n.put("type", p.getType().name().toLowerCase(Locale.ROOT));
            usage(n.putObject("usage"), p.getUsage());
            if (p.getPeakUsage() != null) {
                usage(n.putObject("peak"), p.getPeakUsage());
            }
            if (p.getCollectionUsage() != null) {
                usage(n.putObject("afterLastGc"), p.getCollectionUsage());
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void usage(ObjectNode n, MemoryUsage u) {
        if (u == null) {
            return;
        }
        n.put("init", u.getInit());
        n.put("used", u.getUsed());
        n.put("committed", u.getCommitted());
        n.put("max", u.getMax());
    }

    /**
     * The same profile without the parts of its metadata that may leave the process as they should not: the source
     * (a temporary file's path) and the JVM's command line (paths, and {@code -D} options that may hold secrets).
     */
    static Profile withoutSource(Profile p) {
        Profile.Meta m = p.meta();
        Profile.Meta meta = new Profile.Meta(m.engine(), m.event(), m.interval(), m.start(), m.duration(), m.jdk(),
                "", "");
        Profile.Builder b = new Profile.Builder(meta, p.valueTypes()).defaultValueIndex(p.defaultValueIndex());
        for (int f = 0; f < p.frameCount(); f++) {
            b.frame(p.frame(f));
        }
        for (int t = 0; t < p.threadCount(); t++) {
            b.thread(p.threadName(t));
        }
        int[] stackIds = new int[p.stackCount()];
        for (int s = 0; s < p.stackCount(); s++) {
            stackIds[s] = b.stack(p.stack(s));
        }
        int nv = p.valueTypes().size();
        long[] values = new long[nv];
        for (int i = 0; i < p.sampleCount(); i++) {
            for (int v = 0; v < nv; v++) {
                values[v] = p.value(i, v);
            }
            b.sample(stackIds[p.stackOf(i)], p.threadOf(i), p.timeOf(i), values.clone());
        }
        return b.build();
    }
}
