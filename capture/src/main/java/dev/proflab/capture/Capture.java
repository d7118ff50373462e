package dev.proflab.capture;

import dev.proflab.text.Phrase;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

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
     * @param params  JMH's {@code -p} values, {@code name=v1[,v2]}
     * @param lock    held around the run, so that it never runs beside another benchmark run of the machine
     *                ({@link RunLock#NONE}: JMH alone decides)
     */
    public record Bench(Path java, Path benchmarksJar, String pattern, List<String> params, int warmupIterations,
                        Duration warmupTime, int iterations, Duration iterationTime, List<String> jvmArgs,
                        RunLock lock)
            implements Target {
        public Bench {
            params = List.copyOf(params);
            jvmArgs = List.copyOf(jvmArgs);
            lock = lock == null ? RunLock.NONE : lock;
        }

        /** Without a lock of the caller's: JMH checks its own. */
        public Bench(Path java, Path benchmarksJar, String pattern, List<String> params, int warmupIterations,
                     Duration warmupTime, int iterations, Duration iterationTime, List<String> jvmArgs) {
            this(java, benchmarksJar, pattern, params, warmupIterations, warmupTime, iterations, iterationTime, jvmArgs,
                    RunLock.NONE);
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
     * A machine-wide lock the caller holds around a benchmark run, such as JMH's own {@code jmh.lock}: two runs at
     * once would measure each other, so a second one waits for the first instead.
     */
    @FunctionalInterface
    public interface RunLock {
        /** Holds nothing: the benchmark harness decides alone whether it may run. */
        RunLock NONE = (waiting, cancelled) -> Held.NOTHING;

        /**
         * Takes the lock, waiting as long as another run holds it.
         *
         * @param waiting   hears why it waits (now and then, in words)
         * @param cancelled stops the wait when it turns true
         * @return the lock, to close when the run ends; null when the wait was cancelled
         */
        Held acquire(Consumer<String> waiting, BooleanSupplier cancelled) throws InterruptedException;

        /** A lock taken. */
        interface Held extends AutoCloseable {
            /** Nothing held. */
            Held NOTHING = new Held() {
                @Override
                public List<String> javaOptions() {
                    return List.of();
                }

                @Override
                public void close() {
                }
            };

            /**
             * Options for the benchmark's {@code java} command that tell it the caller holds the lock (JMH:
             * {@code -Djmh.ignoreLock=true}); empty when nothing is held.
             */
            List<String> javaOptions();

            @Override
            void close();
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

    /**
     * A finished capture. {@code warnings}: things worth a line (no samples of an event, target exited early), naming
     * settings as {@link CaptureException} does.
     */
    public record Result(Path file, Path sidecar, Metadata metadata, List<Phrase> warnings) {
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
