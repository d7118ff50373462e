package dev.proflab.labs.alloc;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lesson 7 (GC experiments): the mem-hot workload as a probe that {@code proflab gc} forks under each
 * collector and heap setting, the Java counterpart of running the seed's {@code cmd/mem_hot} with
 * {@code GODEBUG=gctrace=1} and different {@code GOGC} / {@code GOMEMLIMIT}. You do not start it yourself:
 * {@code proflab gc} starts one JVM per collector, heap setting and run, with {@code -Xlog:gc*} and the
 * collector's options, and arguments such as
 * {@code impl=before bytes=1024 count=10000 hold=false rounds=500 --out probe.json}.
 *
 * <p>It makes a fixed amount of work, {@code rounds} calls of {@link Alloc#allocate} ({@code impl=before}) or
 * {@link Alloc#allocatePooled} ({@code impl=after}), and writes ONE JSON line to the {@code --out} file (stdout
 * when absent) with what only the process itself can see:
 * <ul>
 *   <li>{@code wall_ns}: the loop's wall time;</li>
 *   <li>{@code allocated_bytes}: bytes this thread allocated in the loop (HotSpot's per-thread TLAB counter,
 *       exact even where the GC log cannot see short-lived objects);</li>
 *   <li>{@code items}: items made by completed calls;</li>
 *   <li>{@code vm_hwm_kb}: peak resident set size ({@code VmHWM} of {@code /proc/self/status}), null without
 *       {@code /proc};</li>
 *   <li>{@code gc_cpu_ns}: CPU time of the JVM's GC threads, from {@code /proc/self/task/}{@code *}{@code /schedstat}
 *       (exact, in ns) or else {@code /stat} (user + system, in 10 ms ticks), recognised by their names (see
 *       {@link #isGcThread}); summed at the end, so it includes the JVM's start; null without {@code /proc};</li>
 *   <li>{@code gc_threads}: how many threads were counted, and {@code oom_items}: when the heap ran out
 *       ({@code OutOfMemoryError}), the items completed before, else null.</li>
 * </ul>
 * The GC log ({@code -Xlog:gc*}) gives the rest: collections, pauses, heap before/after.
 *
 * <p>How to run it: {@code ./proflab gc --quick} (G1, Parallel and ZGC; step 7 of the guide), or
 * {@code ./proflab gc --collectors g1,zgc --heap 256m --runs 3}. {@code ./proflab gc --help} lists the rest.
 */
public final class MemProbe {

    private MemProbe() {
    }

    public static void main(String[] args) {
        int code = run(args, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the probe; returns the exit code: 0 (also after an OutOfMemoryError, which is a result), 2 bad input. */
    static int run(String[] args, PrintStream err) {
        String impl = "before";
        int bytes = 1024;
        int count = 10_000;
        boolean hold = false;
        int rounds = 100;
        Path out = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--out")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--out needs a file");
                    }
                    out = Path.of(args[++i]);
                    continue;
                }
                int eq = a.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("expected key=value or --out FILE, got '" + a + "'");
                }
                String k = a.substring(0, eq);
                String v = a.substring(eq + 1);
                switch (k) {
                    case "impl" -> {
                        if (!v.equals("before") && !v.equals("after")) {
                            throw new IllegalArgumentException("impl must be before or after, was '" + v + "'");
                        }
                        impl = v;
                    }
                    case "bytes" -> bytes = intValue(k, v, 0);
                    case "count" -> count = intValue(k, v, 0);
                    case "rounds" -> rounds = intValue(k, v, 1);
                    case "hold" -> {
                        if (!v.equals("true") && !v.equals("false")) {
                            throw new IllegalArgumentException("hold must be true or false, was '" + v + "'");
                        }
                        hold = Boolean.parseBoolean(v);
                    }
                    default -> throw new IllegalArgumentException("unknown parameter '" + k
                            + "', expected impl, bytes, count, hold, rounds");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("MemProbe: " + e.getMessage());
            return 2;
        }
        String line = probe(impl, bytes, count, hold, rounds);
        if (System.getenv("PROFLAB_PROBE_THREADS") != null) {
            err.print(threadReport());
        }
        try {
            if (out == null) {
                System.out.println(line);
            } else {
                Files.writeString(out, line + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            err.println("MemProbe: cannot write " + out + ": " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /** Runs the loop and returns the JSON line. */
    static String probe(String impl, int bytes, int count, boolean hold, int rounds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean hs = threads instanceof com.sun.management.ThreadMXBean t ? t : null;
        long allocStart = hs == null ? -1 : hs.getCurrentThreadAllocatedBytes();
        boolean after = impl.equals("after");
        long checksum = 0;
        long items = 0;
        Long oomItems = null;
        long start = System.nanoTime();
        try {
            for (int r = 0; r < rounds; r++) {
                checksum += after ? Alloc.allocatePooled(bytes, count, hold) : Alloc.allocate(bytes, count, hold);
                items += count;
            }
        } catch (OutOfMemoryError e) {
            Alloc.release(); // let go of the leak first: the rest of this method needs memory
            oomItems = items;
        }
        long wall = System.nanoTime() - start;
        long allocated = hs == null ? -1 : hs.getCurrentThreadAllocatedBytes() - allocStart;
        Alloc.release();
        long[] gc = gcCpu();
        StringBuilder b = new StringBuilder(256).append('{');
        b.append("\"impl\":\"").append(impl).append('"');
        b.append(",\"bytes\":").append(bytes);
        b.append(",\"count\":").append(count);
        b.append(",\"hold\":").append(hold);
        b.append(",\"rounds\":").append(rounds);
        b.append(",\"items\":").append(items);
        b.append(",\"wall_ns\":").append(wall);
        b.append(",\"allocated_bytes\":").append(allocated < 0 ? "null" : Long.toString(allocated));
        Long hwm = vmHwmKb();
        b.append(",\"vm_hwm_kb\":").append(hwm == null ? "null" : hwm.toString());
        b.append(",\"gc_cpu_ns\":").append(gc == null ? "null" : Long.toString(gc[0]));
        b.append(",\"gc_threads\":").append(gc == null ? "null" : Long.toString(gc[1]));
        b.append(",\"oom_items\":").append(oomItems == null ? "null" : oomItems.toString());
        b.append(",\"checksum\":").append(checksum);
        return b.append('}').toString();
    }

    private static int intValue(String k, String v, int min) {
        int n;
        try {
            n = Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(k + "='" + v + "' is not an integer");
        }
        if (n < min) {
            throw new IllegalArgumentException(k + " must be >= " + min + ", was " + n);
        }
        return n;
    }

    /** Peak RSS in KiB from {@code /proc/self/status}, or null. */
    static Long vmHwmKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.ISO_8859_1)) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.substring(6).replace("kB", "").strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /**
     * Whether a thread (by its {@code comm}, at most 15 characters) is one of HotSpot's GC threads.
     *
     * <p>The names were found on JDK 25.0.3 (Temurin; Linux truncates a thread's {@code comm} to 15
     * characters) with {@code PROFLAB_PROBE_THREADS=1}, which prints every thread and its CPU time to stderr:
     * <ul>
     *   <li>G1: {@code GC Thread#0..N}, {@code G1 Main Marker}, {@code G1 Conc#0}, {@code G1 Refine#0},
     *       {@code G1 Service};</li>
     *   <li>Parallel: {@code GC Thread#0..N};</li>
     *   <li>Serial: none of its own: it collects in the {@code VM Thread}, which is counted for every collector
     *       (it also runs the other safepoint operations, a small share);</li>
     *   <li>ZGC: {@code ZDirector}, {@code ZDriverMajor}, {@code ZDriverMinor}, {@code ZWorkerYoung#0},
     *       {@code ZWorkerOld#0}, {@code ZUncommitter#0}, {@code ZStat} (every name starting with {@code Z});</li>
     *   <li>Shenandoah: {@code Shenandoah Cont} (Control Thread) and {@code Shenandoah GC T} (GC Threads#N).</li>
     * </ul>
     * Not counted: {@code VM Periodic Task}, {@code RuntimeWorker#0}, the compiler threads.
     */
    static boolean isGcThread(String comm) {
        return comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread")
                || comm.startsWith("Shenandoah") || comm.startsWith("Z") && !comm.startsWith("Zip");
    }

    /** {total GC thread CPU ns, threads counted}, or null without /proc. */
    static long[] gcCpu() {
        Map<String, Long> byName = threadCpu();
        if (byName == null) {
            return null;
        }
        long ns = 0;
        long n = 0;
        for (Map.Entry<String, Long> e : byName.entrySet()) {
            String comm = e.getKey().substring(0, e.getKey().lastIndexOf('/'));
            if (isGcThread(comm)) {
                ns += e.getValue();
                n++;
            }
        }
        return new long[] {ns, n};
    }

    /** "comm/tid" -> CPU ns (utime + stime) of every thread of this process, or null without /proc. */
    static Map<String, Long> threadCpu() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return null;
        }
        Map<String, Long> m = new TreeMap<>();
        double nsPerTick = 1e9 / clockTicks();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(tasks)) {
            for (Path t : s) {
                try {
                    String stat = Files.readString(t.resolve("stat"), StandardCharsets.ISO_8859_1);
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String comm = stat.substring(open + 1, close);
                    String[] f = stat.substring(close + 2).strip().split(" ");
                    // after "(comm) ": f[0] is state (field 3); utime is field 14, stime field 15
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    long ns = Math.round(ticks * nsPerTick);
                    Long exact = schedRuntimeNs(t);
                    // schedstat where the kernel keeps it (some sandboxes report 0 or lack the file)
                    boolean useExact = exact != null && exact > 0 && exact > ns - 20_000_000L;
                    m.put(comm + "/" + t.getFileName(), useExact ? exact : ns);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return null;
        }
        return m;
    }

    /**
     * The thread's CPU time in ns from {@code schedstat} (the scheduler's own account, exact), or null where the
     * kernel does not keep it; {@code stat}'s utime + stime count only in 10 ms ticks.
     */
    private static Long schedRuntimeNs(Path task) {
        try {
            String s = Files.readString(task.resolve("schedstat"), StandardCharsets.ISO_8859_1).strip();
            int sp = s.indexOf(' ');
            return Long.parseLong(sp < 0 ? s : s.substring(0, sp));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** USER_HZ: 100 on every Linux that matters (the kernel reports stat times in these ticks). */
    private static long clockTicks() {
        String hz = System.getenv("PROFLAB_CLK_TCK");
        if (hz != null) {
            try {
                return Long.parseLong(hz);
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        return 100;
    }

    /** For the lesson: prints this JVM's threads with their CPU time (used to find the GC's thread names). */
    static String threadReport() {
        Map<String, Long> m = threadCpu();
        if (m == null) {
            return "no /proc";
        }
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(String.format(Locale.ROOT, "%-28s %8.1f ms %s%n", k, v / 1e6,
                isGcThread(k.substring(0, k.lastIndexOf('/'))) ? "gc" : "")));
        return b.toString();
    }
}
