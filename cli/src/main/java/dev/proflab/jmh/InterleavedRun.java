package dev.proflab.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.proflab.io.AtomicFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs JMH benchmarks of several variants in interleaved rounds, so that slow drift of the machine
 * (other load, thermal state, frequency) reaches every variant alike instead of only the one that
 * happened to run last.
 *
 * <p>Each round is one invocation of the benchmarks jar with one fork per variant. JMH runs the values
 * of a {@code -p} parameter in the order given, so the order alternates between rounds
 * (A B C, C B A, A B C, ...): over two rounds every variant has the same average position in time.
 * The JSON results of all rounds are merged into one JMH JSON file, where each round is one fork.
 */
public final class InterleavedRun {

    /** What to run. */
    public record Plan(
            Path java,
            Path benchmarksJar,
            String benchmark,
            String param,
            List<String> values,
            List<String> otherParams,
            int rounds,
            int warmupIterations,
            Duration warmupTime,
            int iterations,
            Duration iterationTime,
            List<String> profilers,
            List<String> jvmArgs) {

        /** {@code jvmArgs} go to the forked JVMs that run the benchmarks, not to JMH's host JVM. */
        public Plan {
            Objects.requireNonNull(java);
            Objects.requireNonNull(benchmarksJar);
            values = List.copyOf(values);
            otherParams = List.copyOf(otherParams);
            profilers = List.copyOf(profilers);
            jvmArgs = List.copyOf(jvmArgs);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("no values of " + param + " to compare");
            }
            if (rounds < 1 || iterations < 1 || warmupIterations < 0) {
                throw new IllegalArgumentException("rounds and iterations must be at least 1");
            }
        }

        /** Iterations (warm-up and measurement) that the whole run prints: the unit of progress. */
        public int totalIterations() {
            return rounds * values.size() * (warmupIterations + iterations);
        }

        /** The order of the variants in round {@code r} (0-based). */
        public List<String> order(int r) {
            List<String> o = new ArrayList<>(values);
            if (r % 2 == 1) {
                Collections.reverse(o);
            }
            return o;
        }

        /** The command line of round {@code r}, writing its JSON result to {@code resultFile}. */
        public List<String> command(int r, Path resultFile) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java.toString());
            cmd.add(JmhLock.IGNORE_LOCK); // run() holds JMH's lock for the whole run
            cmd.add("-jar");
            cmd.add(benchmarksJar.toString());
            cmd.add(benchmark);
            cmd.add("-p");
            cmd.add(param + "=" + String.join(",", order(r)));
            for (String p : otherParams) {
                cmd.add("-p");
                cmd.add(p);
            }
            cmd.addAll(List.of("-f", "1",
                    "-wi", Integer.toString(warmupIterations),
                    "-i", Integer.toString(iterations)));
            if (warmupIterations > 0) {
                cmd.addAll(List.of("-w", millis(warmupTime)));
            }
            cmd.addAll(List.of("-r", millis(iterationTime)));
            for (String prof : profilers) {
                cmd.add("-prof");
                cmd.add(prof);
            }
            if (!jvmArgs.isEmpty()) {
                cmd.add("-jvmArgsAppend");
                cmd.add(String.join(" ", jvmArgs));
            }
            cmd.addAll(List.of("-rf", "json", "-rff", resultFile.toString()));
            return cmd;
        }

        private static String millis(Duration d) {
            return d.toMillis() + "ms";
        }
    }

    /** Receives progress; called on the thread that runs {@link #run}. */
    public interface Listener {
        /** A round starts. */
        default void roundStarted(int round, int rounds, List<String> order) {
        }

        /** One more iteration (warm-up or measurement) of {@code variant} finished. */
        default void iterationDone(int done, int total, String variant, String line) {
        }

        /** Every line JMH printed, for a log. */
        default void line(String line) {
        }

        /** Another JMH run holds JMH's lock: this run waits for it ({@link JmhLock}); said once a minute. */
        default void waiting(String message) {
        }
    }

    private static final Pattern ITERATION = Pattern.compile("^(?:# Warmup )?Iteration\\s+\\d+:.*");
    private static final Pattern PARAMETERS = Pattern.compile("^# Parameters: \\((.*)\\)");

    private final Plan plan;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile Process current;

    public InterleavedRun(Plan plan) {
        this.plan = plan;
    }

    /**
     * Runs every round and writes the merged JMH JSON to {@code merged}. Round files go to
     * {@code workDir} and are deleted once merged. Throws {@link JmhException} when JMH fails
     * and {@link CancelledException} after {@link #cancel()}.
     */
    public void run(Path workDir, Path merged, Listener listener) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        ObjectMapper json = new ObjectMapper();
        ArrayNode all = json.createArrayNode();
        List<Path> roundFiles = new ArrayList<>();
        int done = 0;
        int total = plan.totalIterations();
        try (JmhLock lock = JmhLock.acquire(listener::waiting, cancelled::get)) {
            for (int r = 0; r < plan.rounds(); r++) {
                checkCancelled();
                List<String> order = plan.order(r);
                listener.roundStarted(r + 1, plan.rounds(), order);
                Path roundFile = workDir.resolve(String.format("round-%02d.json", r + 1));
                Files.deleteIfExists(roundFile);
                roundFiles.add(roundFile);
                List<String> command = new ArrayList<>(plan.command(r, roundFile));
                if (!lock.held()) {
                    command.remove(JmhLock.IGNORE_LOCK); // proflab holds nothing: JMH checks its lock itself
                }
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
                Process p = pb.start();
                current = p;
                List<String> tail = new ArrayList<>();
                FailureWatch failure = new FailureWatch();
                String variant = order.get(0);
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        listener.line(line);
                        remember(tail, line);
                        failure.accept(variant, line);
                        Matcher m = PARAMETERS.matcher(line);
                        if (m.find()) {
                            variant = variantOf(m.group(1), variant);
                        } else if (ITERATION.matcher(line).matches()) {
                            done++;
                            listener.iterationDone(Math.min(done, total), total, variant, line);
                        }
                    }
                }
                int rc = p.waitFor();
                current = null;
                checkCancelled();
                if (failure.first() != null) {
                    // JMH goes on after a benchmark throws; a table without that variant would hide why
                    throw new JmhException("JMH round " + (r + 1) + ": " + failure.first());
                }
                if (rc != 0 || !Files.isRegularFile(roundFile) || Files.size(roundFile) == 0) {
                    throw new JmhException("JMH round " + (r + 1) + " failed (exit code " + rc + "): "
                            + lastError(tail));
                }
                JsonNode results = json.readTree(roundFile.toFile());
                if (!results.isArray() || results.isEmpty()) {
                    throw new JmhException("JMH round " + (r + 1) + " produced no results in " + roundFile);
                }
                results.forEach(all::add);
            }
            AtomicFiles.write(merged, out -> json.writerWithDefaultPrettyPrinter().writeValue(out, all));
        } finally {
            for (Path f : roundFiles) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Stops the run: kills the JMH process and everything it started. Safe from any thread. */
    public void cancel() {
        cancelled.set(true);
        Process p = current;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private void checkCancelled() {
        if (cancelled.get()) {
            throw new CancelledException();
        }
    }

    private String variantOf(String params, String fallback) {
        for (String kv : params.split(",\\s*")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).strip().equals(plan.param())) {
                return kv.substring(eq + 1).strip();
            }
        }
        return fallback;
    }

    /**
     * The first error a benchmark threw, as JMH prints it: {@code <failure>} after an iteration's name, a blank
     * line, then the exception's first line (e.g. a {@code @Setup} that refuses a variant).
     */
    static final class FailureWatch {
        private boolean armed;
        private String first;

        void accept(String variant, String line) {
            if (first != null) {
                return;
            }
            if (line.contains("<failure>")) {
                armed = true;
            } else if (armed && !line.isBlank()) {
                first = "the benchmark of " + variant + " failed: " + line.strip();
            }
        }

        /** Null while no benchmark has failed. */
        String first() {
            return first;
        }
    }

    private static void remember(List<String> tail, String line) {
        if (tail.size() == 40) {
            tail.remove(0);
        }
        tail.add(line);
    }

    private static String lastError(List<String> tail) {
        for (int i = tail.size() - 1; i >= 0; i--) {
            String l = tail.get(i).strip();
            if (l.startsWith("<failure>") || l.startsWith("ERROR") || l.contains("Exception")
                    || l.startsWith("No matching benchmarks") || l.startsWith("Error")) {
                return l;
            }
        }
        for (int i = tail.size() - 1; i >= 0; i--) {
            if (!tail.get(i).isBlank()) {
                return tail.get(i).strip();
            }
        }
        return "no output";
    }

    /** Writes JMH's output to a log file as it arrives. */
    public static Listener logTo(Writer log, Listener next) {
        return new Listener() {
            @Override
            public void roundStarted(int round, int rounds, List<String> order) {
                next.roundStarted(round, rounds, order);
            }

            @Override
            public void iterationDone(int done, int total, String variant, String line) {
                next.iterationDone(done, total, variant, line);
            }

            @Override
            public void waiting(String message) {
                next.waiting(message);
            }

            @Override
            public void line(String line) {
                try {
                    log.write(line);
                    log.write('\n');
                } catch (IOException e) {
                    // the log is a convenience; the run goes on without it
                }
                next.line(line);
            }
        };
    }

    /** JMH failed: the message is its last error line. */
    public static final class JmhException extends IOException {
        public JmhException(String message) {
            super(message);
        }
    }

    /** The run was cancelled. */
    public static final class CancelledException extends RuntimeException {
        public CancelledException() {
            super("cancelled");
        }
    }
}
