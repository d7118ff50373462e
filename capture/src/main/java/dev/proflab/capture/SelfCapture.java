package dev.proflab.capture;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Records <em>this</em> JVM for a while, into one JFR file: what in-process endpoints such as
 * {@code /debug/pprof/profile} need (the other recorders start a JVM, attach to a PID or run JMH).
 *
 * <pre>{@code
 * try (SelfCapture.Slot slot = SelfCapture.acquire("cpu profile", Duration.ofSeconds(30))) {   // or Busy
 *     SelfCapture.Result r = SelfCapture.profile(slot, CaptureSettings.of(Set.of(Event.CPU)), null,
 *             Duration.ofSeconds(30), dir.resolve("cpu.jfr"), () -> clientGone);
 *     Profile p = ProfileReader.read(r.file(), "cpu");
 * }
 * }</pre>
 *
 * <p>Engines: async-profiler through its Java API ({@code one.profiler.AsyncProfiler}, the library that
 * {@link AsyncProfilerLibrary} extracted), else JDK Flight Recorder ({@code jdk.jfr.Recording}) for the events
 * it can record. async-profiler exists once per process, so captures here are one at a time: {@link #acquire}
 * hands out a single {@link Slot} per JVM and refuses a second with {@link Busy} (saying how long the running one
 * has left); a profiler that someone else started in this JVM (an agent, {@code asprof}) is also {@link Busy}.
 *
 * <p>Both engines are started with a safety stop a minute after the duration, so a thread that dies mid-way does
 * not leave a profiler running. The caller owns the output file and deletes it.
 */
public final class SelfCapture {

    private static final Duration SAFETY = Duration.ofSeconds(60);
    private static final long POLL_NANOS = 50_000_000L;

    /**
     * Another capture runs in this JVM; {@link #secondsLeft()} is how long it has left (at least 1). The message is
     * one line for the user, as with {@link CaptureException}.
     */
    public static final class Busy extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient long secondsLeft;

        public Busy(String message, long secondsLeft) {
            super(message, null, false, false);
            this.secondsLeft = Math.max(1, secondsLeft);
        }

        public long secondsLeft() {
            return secondsLeft;
        }
    }

    /** The right to capture in this JVM, until closed. */
    public static final class Slot implements AutoCloseable {
        private final String what;
        private final long untilNanos;

        private Slot(String what, long untilNanos) {
            this.what = what;
            this.untilNanos = untilNanos;
        }

        /** What the holder said it records. */
        public String what() {
            return what;
        }

        @Override
        public void close() {
            RUNNING.compareAndSet(this, null);
        }
    }

    /**
     * A finished recording.
     *
     * @param file         the JFR file (the path given)
     * @param engine       who recorded it
     * @param notice       why async-profiler was not used, or null
     * @param stoppedEarly the stop condition ended it before the duration
     */
    public record Result(Path file, Engine engine, String notice, boolean stoppedEarly) {
    }

    private static final AtomicReference<Slot> RUNNING = new AtomicReference<>();

    private SelfCapture() {
    }

    /**
     * Takes the one capture slot of this JVM.
     *
     * @param what     what will be recorded, for the message others get ("cpu profile")
     * @param expected how long it will take, for {@link Busy#secondsLeft()} of the others
     * @throws Busy when another capture holds it
     */
    public static Slot acquire(String what, Duration expected) {
        Slot mine = new Slot(what, System.nanoTime() + expected.toNanos());
        Slot other = RUNNING.compareAndExchange(null, mine);
        if (other != null) {
            long left = other.untilNanos - System.nanoTime();
            throw new Busy("another capture is running (" + other.what + ", about " + Math.max(1, ceilSeconds(left))
                    + " s left): one at a time", ceilSeconds(left));
        }
        return mine;
    }

    /** True when a slot is held (a capture runs). */
    public static boolean busy() {
        return RUNNING.get() != null;
    }

    /**
     * Records {@code settings} in this JVM for {@code duration} (or until {@code stop} says so) into {@code file}.
     *
     * @param requested the engine asked for, or null: async-profiler when it loads here, else JFR
     * @throws Busy             when async-profiler is already running in this JVM, started by someone else
     * @throws CaptureException when no engine can record these events here, or the engine failed
     */
    public static Result profile(Slot slot, CaptureSettings settings, Engine requested, Duration duration, Path file,
                                 BooleanSupplier stop) throws InterruptedException {
        check(slot);
        Engines.Choice choice = Engines.choose(requested, settings, Runtime.version().feature());
        if (choice.engine() == Engine.ASYNC_PROFILER) {
            return asyncProfiler(choice, settings, duration, file, stop);
        }
        boolean early = jfr("default", settings.jfrSettings(choice.engine()), duration, file, stop);
        return new Result(file, choice.engine(), choice.notice(), early);
    }

    /**
     * A JDK Flight Recorder recording of this JVM with a configuration of the JDK ({@code default},
     * {@code profile}) and {@code overlay} laid over it.
     */
    public static Result flightRecording(Slot slot, String configuration, Map<String, String> overlay,
                                         Duration duration, Path file, BooleanSupplier stop)
            throws InterruptedException {
        check(slot);
        boolean early = jfr(configuration, overlay, duration, file, stop);
        return new Result(file, Engine.JFR, null, early);
    }

    private static void check(Slot slot) {
        if (slot == null || RUNNING.get() != slot) {
            throw new IllegalStateException("acquire the capture slot first");
        }
    }

    private static Result asyncProfiler(Engines.Choice choice, CaptureSettings settings, Duration duration, Path file,
                                        BooleanSupplier stop) throws InterruptedException {
        one.profiler.AsyncProfiler ap = one.profiler.AsyncProfiler.getInstance(choice.library().library().toString());
        String status;
        try {
            status = ap.execute("status");
        } catch (IOException | RuntimeException e) {
            throw new CaptureException("async-profiler: " + e.getMessage(), e);
        }
        if (status != null && !status.toLowerCase(Locale.ROOT).contains("not active")) {
            throw new Busy("async-profiler is already running in this JVM (started by an agent or another tool)",
                    30);
        }
        String opts = settings.asyncProfilerOptions();
        String cmd = "start," + (opts.isEmpty() ? "" : opts + ",") + "jfr,timeout="
                + duration.plus(SAFETY).toSeconds() + ",file=" + Recorder.checkComma(file);
        try {
            ap.execute(cmd);
        } catch (IllegalStateException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (m.toLowerCase(Locale.ROOT).contains("already")) {
                throw new Busy("async-profiler is already running in this JVM: " + m, 30);
            }
            throw new CaptureException("async-profiler cannot start: " + m, e);
        } catch (IOException | RuntimeException e) {
            throw new CaptureException("async-profiler cannot start: " + e.getMessage(), e);
        }
        boolean early;
        try {
            early = waitFor(duration, stop);
        } finally {
            try {
                ap.execute("stop");
            } catch (IOException | RuntimeException e) {
                // stopped already (timeout) or never ran: the file check below says whether anything was written
            }
        }
        requireFile(file);
        return new Result(file, Engine.ASYNC_PROFILER, choice.notice(), early);
    }

    private static boolean jfr(String configuration, Map<String, String> overlay, Duration duration, Path file,
                               BooleanSupplier stop) throws InterruptedException {
        Map<String, String> all = new HashMap<>();
        try {
            all.putAll(Configuration.getConfiguration(configuration).getSettings());
        } catch (IOException | ParseException e) {
            throw new CaptureException("JDK Flight Recorder has no configuration '" + configuration + "'", e);
        }
        all.putAll(overlay);
        // a recording may leave the process (an HTTP response): environment variables and the command lines of
        // the machine's other processes often hold secrets
        all.put("jdk.InitialEnvironmentVariable#enabled", "false");
        all.put("jdk.SystemProcess#enabled", "false");
        boolean early;
        try (Recording r = new Recording(all)) {
            r.setName("proflab-self");
            r.setToDisk(true);
            r.setDuration(duration.plus(SAFETY));
            try {
                r.start();
            } catch (IllegalStateException | SecurityException e) {
                throw new CaptureException("JDK Flight Recorder cannot start: " + e.getMessage(), e);
            }
            try {
                early = waitFor(duration, stop);
            } finally {
                r.stop();
            }
            try {
                r.dump(file);
            } catch (IOException e) {
                throw new CaptureException("JDK Flight Recorder could not write its recording: " + e.getMessage(), e);
            }
        }
        requireFile(file);
        return early;
    }

    /** Waits for the duration; true when {@code stop} ended it first. */
    private static boolean waitFor(Duration duration, BooleanSupplier stop) throws InterruptedException {
        long until = System.nanoTime() + duration.toNanos();
        while (true) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (stop != null && stop.getAsBoolean()) {
                return true;
            }
            long nanos = Math.min(left, POLL_NANOS);
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    }

    private static void requireFile(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                throw new CaptureException("the profiler wrote nothing");
            }
        } catch (IOException e) {
            throw new CaptureException("the recording cannot be read: " + e.getMessage(), e);
        }
    }

    private static long ceilSeconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
