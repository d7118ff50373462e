package dev.proflab.capture;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One capture: a target (a program started for it, a running JVM, a JMH benchmark), an engine, the events,
 * a duration and the output file. {@link #run(Listener)} records and returns once the recording is in
 * place, as one {@code .jfr} file plus its {@link Metadata sidecar}; {@link #cancel()} (from another
 * thread, e.g. a Ctrl-C hook) stops early and keeps what was recorded if the file is complete.
 *
 * <p>Nothing is written under the output's name until the end: engines write into a hidden
 * {@code .NAME.<random>.part} folder beside it, and the checked recording is renamed into place. On
 * failure a {@link CaptureException} says why in one line and the folder is removed.
 */
public final class Capture {

    /** What is recorded. */
    public sealed interface Target permits Launch, Attach, Bench {
        /** lab, bench, pid or command. */
        String kind();

        /** The workload, benchmark, PID or program: used in messages and default file names. */
        String name();
    }

    /**
     * A program started for the capture.
     *
     * @param kind         lab or command
     * @param name         the workload or program name
     * @param command      the command line; the JVM options of the engine are inserted at {@code jvmOptionsAt}
     * @param jvmOptionsAt where the engine's JVM options go (1: right after {@code java}), or -1 to pass them
     *                     in {@code JAVA_TOOL_OPTIONS} to every JVM the command starts (the largest recording wins)
     * @param stopsItself  the program ends by itself when the duration is over (a lab given {@code --seconds});
     *                     otherwise it is stopped (SIGTERM) at the duration, or awaited when there is none
     * @param captureOutput pass the program's output lines to {@link Listener#output(String)} (and use the last
     *                     ones in error messages) instead of letting it print to this terminal
     */
    public record Launch(String kind, String name, List<String> command, int jvmOptionsAt, boolean stopsItself,
                         boolean captureOutput) implements Target {
        public Launch {
            command = List.copyOf(command);
            if (command.isEmpty()) {
                throw new CaptureException("no command given");
            }
        }
    }

    /** A JVM that runs already, reached through the Attach API. */
    public record Attach(long pid) implements Target {
        @Override
        public String kind() {
            return "pid";
        }

        @Override
        public String name() {
            return "pid-" + pid;
        }
    }

    /**
     * A JMH benchmark of the benchmarks jar, run in one fork with the profiler on during measurement only.
     *
     * @param pattern the JMH include pattern (e.g. {@code Fib}); with {@code params} it must select exactly one
     *                benchmark and one set of parameter values, since one recording is one JVM
     * @param params  {@code -p} values, {@code name=v1[,v2]}
     */
    public record Bench(Path java, Path benchmarksJar, String pattern, List<String> params, int warmupIterations,
                        Duration warmupTime, int iterations, Duration iterationTime, List<String> jvmArgs)
            implements Target {
        public Bench {
            params = List.copyOf(params);
            jvmArgs = List.copyOf(jvmArgs);
        }

        @Override
        public String kind() {
            return "bench";
        }

        @Override
        public String name() {
            return pattern;
        }
    }

    /**
     * @param duration    how long to record; null for a launched program: until it exits
     * @param commandLine the proflab command line, kept in the metadata
     */
    public record Request(Target target, Engines.Choice engine, CaptureSettings settings, Duration duration,
                          Path output, String commandLine) {
        public Request {
            Objects.requireNonNull(target);
            Objects.requireNonNull(engine);
            Objects.requireNonNull(settings);
            Objects.requireNonNull(output);
            if (duration == null && !(target instanceof Launch)) {
                throw new CaptureException("a duration is needed for " + target.kind());
            }
        }
    }

    /** A finished capture. {@code warnings}: things worth a line (no samples of an event, target exited early). */
    public record Result(Path file, Path sidecar, Metadata metadata, List<String> warnings) {
    }

    /** Hears about a running capture; every method may be called from a capture thread. */
    public interface Listener {
        /** The recording has started (the clock of the duration runs from here); pid: the recorded JVM, or 0. */
        default void started(long pid) {
        }

        /** A line of the target's output (launched programs with captureOutput, and JMH). */
        default void output(String line) {
        }

        /** JMH: {@code done} of {@code total} warm-up and measurement iterations are over. */
        default void iteration(int done, int total) {
        }

        /** The recording is being stopped and checked. */
        default void stopping() {
        }
    }

    private final Request request;
    private final Recorder recorder;

    private Capture(Request request) {
        this.request = request;
        this.recorder = switch (request.target()) {
            case Launch l -> new LaunchRecorder(request, l);
            case Attach a -> new AttachRecorder(request, a);
            case Bench b -> new BenchRecorder(request, b);
        };
    }

    public static Capture of(Request request) {
        return new Capture(request);
    }

    public Request request() {
        return request;
    }

    /**
     * Records, checks and writes the output and its sidecar.
     *
     * @throws CaptureException when nothing usable was recorded; then nothing has been written
     */
    public Result run(Listener listener) throws IOException, InterruptedException {
        return recorder.run(listener == null ? new Listener() { } : listener);
    }

    /** Stops early (safe from any thread, more than once): {@link #run} keeps what was recorded. */
    public void cancel() {
        recorder.cancel();
    }
}
