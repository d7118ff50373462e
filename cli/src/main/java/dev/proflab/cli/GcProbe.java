package dev.proflab.cli;

import dev.proflab.gc.GcRunner;

import java.nio.file.Path;
import java.util.List;

/**
 * The mem-hot lab's probe ({@code dev.proflab.labs.alloc.MemProbe} in the labs jar) as {@code proflab gc} forks it:
 * {@code rounds} calls of {@code Alloc.allocate} (workload "before") or {@code Alloc.allocatePooled} ("after"),
 * each making {@code count} items of {@code bytes} bytes, all of them kept with {@code hold} (the leak).
 *
 * @param classpath the labs jar (or classes folder) that holds {@link #MAIN}
 */
record GcProbe(Path classpath, int bytes, int count, boolean hold, int rounds) implements GcRunner.Probe {

    /** The probe's main class in the labs jar. */
    static final String MAIN = "dev.proflab.labs.alloc.MemProbe";
    /** Its workloads: impl=before and impl=after. */
    static final List<String> WORKLOADS = List.of("before", "after");

    /** Fails unless every one is a workload of the probe. */
    static List<String> checkWorkloads(List<String> workloads) {
        if (workloads.isEmpty()) {
            throw new UsageException("--workload: no workload");
        }
        for (String w : workloads) {
            if (!WORKLOADS.contains(w)) {
                throw new UsageException("--workload: unknown workload '" + w + "' (use before, after)");
            }
        }
        return List.copyOf(workloads);
    }

    @Override
    public List<String> command(String workload, Path out) {
        return List.of("-cp", classpath.toString(), MAIN, "impl=" + workload, "bytes=" + bytes, "count=" + count,
                "hold=" + hold, "rounds=" + rounds, "--out", out.toString());
    }

    @Override
    public String outOfMemory(long items) {
        return GcRunner.Probe.super.outOfMemory(items)
                + (count > 0 ? " (in call " + (items / count + 1) + " of " + rounds + ")" : "");
    }
}
