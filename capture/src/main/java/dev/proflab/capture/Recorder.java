package dev.proflab.capture;

import dev.proflab.text.Phrase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** What the three kinds of capture share: cancelling, the engine's options, checking and committing. */
abstract class Recorder {

    final Capture.Request request;
    final CaptureSettings settings;
    final Engine engine;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    final List<Phrase> warnings = new ArrayList<>();

    Recorder(Capture.Request request) {
        this.request = request;
        this.settings = request.settings();
        this.engine = request.engine().engine();
    }

    abstract Capture.Result run(Capture.Listener listener) throws IOException, InterruptedException;

    final void cancel() {
        cancelled.countDown();
    }

    final boolean isCancelled() {
        return cancelled.getCount() == 0;
    }

    /** Waits {@code d} or until cancelled; true when cancelled. */
    final boolean await(Duration d) throws InterruptedException {
        return cancelled.await(Math.max(0, d.toNanos()), TimeUnit.NANOSECONDS);
    }

    final Path library() {
        Path lib = request.engine().library() == null ? null : request.engine().library().library();
        if (lib == null) {
            throw new CaptureException("async-profiler's library is missing");
        }
        if (lib.toString().contains(",")) {
            throw new CaptureException(lib + ": async-profiler's library path must not contain a comma");
        }
        return lib;
    }

    /** async-profiler's agent arguments to start recording into {@code file}. */
    final String agentStart(Path file, Path log) {
        String opts = settings.asyncProfilerOptions();
        return "start," + (opts.isEmpty() ? "" : opts + ",") + "jfr,loglevel=warn,log=" + checkComma(log)
                + ",file=" + checkComma(file);
    }

    static String checkComma(Path p) {
        String s = p.toString();
        if (s.contains(",")) {
            throw new CaptureException(s + ": the output folder must not contain a comma (async-profiler and JFR options are comma-separated)");
        }
        return s;
    }

    /** The first error async-profiler logged, or null. */
    static String agentError(Path log) {
        try {
            if (Files.isRegularFile(log)) {
                for (String line : Files.readAllLines(log)) {
                    if (line.startsWith("[ERROR]")) {
                        return line.substring("[ERROR]".length()).strip();
                    }
                }
            }
        } catch (IOException e) {
            // no log
        }
        return null;
    }

    /** Options the way the engine was given them, for the metadata. */
    final String optionsText() {
        if (engine == Engine.ASYNC_PROFILER) {
            return settings.asyncProfilerOptions();
        }
        List<String> parts = new ArrayList<>();
        settings.jfrSettings(engine).forEach((k, v) -> parts.add(k + "=" + v.replace(" ", "")));
        return "settings=default" + (parts.isEmpty() ? "" : "," + String.join(",", parts));
    }

    /** Less room than this on the output's file system when a recording is found cut short: the disk filled up. */
    private static final long FULL_DISK = 1 << 20;

    /** Checks the recording, writes metadata, renames it into place. */
    final Capture.Result finish(Workspace ws, Path recording, Metadata.Target target, Metadata.Jdk jdk,
                                Instant start, Instant end) throws IOException {
        RecordingCheck.Summary summary;
        try {
            summary = RecordingCheck.read(recording);
        } catch (CaptureException e) {
            long free = ws.usableSpace();
            if (free >= 0 && free < FULL_DISK) {
                throw new CaptureException(ws.output() + ": no space left on device (in " + ws.output().getParent()
                        + ", " + free / 1024 + " KiB free): the recording was cut short", e);
            }
            throw e;
        }
        Map<String, Long> counts = summary.eventCounts();
        jdk = summary.jdk(jdk);
        if (target.pid() == null && summary.pid() != null) {
            target = new Metadata.Target(target.kind(), target.name(), summary.pid(), target.command());
        }
        String engineVersion = engine == Engine.ASYNC_PROFILER ? request.engine().version() : jdk.version();
        Map<String, List<String>> types = settings.eventTypes(engine);
        types.forEach((event, names) -> {
            long n = names.stream().mapToLong(t -> counts.getOrDefault(t, 0L)).sum();
            if (n == 0) {
                warnings.add(Phrase.of("no " + event + " events (" + String.join(", ", names) + ") in the recording",
                        hint(event)));
            }
        });
        Duration requested = request.duration();
        double seconds = Duration.between(start, end).toMillis() / 1000.0;
        Metadata m = new Metadata(Metadata.FORMAT, ws.output().getFileName().toString(), engine.id(),
                engineVersion, settings.events().stream().map(Event::id).toList(), types,
                Metadata.settingsOf(settings, engine, optionsText()), target, jdk,
                start.truncatedTo(ChronoUnit.MILLIS).toString(), end.truncatedTo(ChronoUnit.MILLIS).toString(),
                seconds, requested == null ? null : requested.toMillis() / 1000.0, isCancelled(), counts,
                Metadata.Host.current(), request.commandLine());
        // an operation count beside an earlier recording of the same name does not describe this one
        java.nio.file.Files.deleteIfExists(dev.proflab.profile.Operations.sidecarOf(ws.output()));
        ws.commit(recording, m);
        return new Capture.Result(ws.output(), Metadata.sidecarOf(ws.output()), m, List.copyOf(warnings));
    }

    private Phrase hint(String event) {
        if (engine == Engine.JFR_CPU_TIME && event.equals("cpu")) {
            return Phrase.text(": jdk.CPUTimeSample needs JDK 25+ on Linux and SIGPROF to itself (not in a JVM where"
                    + " async-profiler was loaded; see the target's output for a JFR error)");
        }
        return switch (event) {
            case "cpu", "itimer" -> Phrase.text(": did the target use CPU while it was recorded?");
            case "alloc", "live" -> Phrase.of(": did the target allocate? (a smaller ", Phrase.parameter("allocBytes"),
                    " samples more often)");
            case "lock" -> Phrase.of(": no contended waits above the threshold (", Phrase.parameter("lockThreshold"),
                    " " + CaptureSettings.format(settings.lockThreshold()) + ")");
            default -> Phrase.text("");
        };
    }
}
