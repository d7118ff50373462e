package dev.proflab.capture;

import dev.proflab.text.Phrase;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Starts a program with the engine's JVM options and records it until it ends or the duration is over. */
final class LaunchRecorder extends Recorder {

    /** How long a program that stops itself may run past the duration before it is stopped. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    /** How long a program may take to exit after SIGTERM before it is killed. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Capture.Launch launch;
    private final Deque<String> lastLines = new ArrayDeque<>();

    LaunchRecorder(Capture.Request request, Capture.Launch launch) {
        super(request);
        this.launch = launch;
    }

    /** The engine's JVM options to record into {@code file}. */
    List<String> jvmOptions(Path file, Path log) {
        List<String> o = new ArrayList<>();
        if (engine == Engine.ASYNC_PROFILER) {
            o.add("-agentpath:" + library() + "=" + agentStart(file, log));
        } else {
            o.add("-XX:+UnlockDiagnosticVMOptions");
            o.add("-XX:+DebugNonSafepoints");
            o.add("-Xlog:jfr+startup=warning");
            StringBuilder sb = new StringBuilder("-XX:StartFlightRecording=name=proflab,dumponexit=true,filename=")
                    .append(checkComma(file)).append(",settings=default");
            for (Map.Entry<String, String> e : settings.jfrSettings(engine).entrySet()) {
                sb.append(',').append(e.getKey()).append('=').append(e.getValue().replace(" ", ""));
            }
            o.add(sb.toString());
        }
        return o;
    }

    @Override
    Capture.Result run(Capture.Listener listener) throws IOException, InterruptedException {
        try (Workspace ws = new Workspace(request.output())) {
            boolean viaEnv = launch.jvmOptionsAt() < 0;
            Path file = ws.file(viaEnv ? "recording-%p.jfr" : "recording.jfr");
            Path log = ws.file("profiler.log");
            List<String> options = jvmOptions(file, log);
            List<String> command = new ArrayList<>(launch.command());
            ProcessBuilder pb = new ProcessBuilder();
            if (viaEnv) {
                String old = pb.environment().get("JAVA_TOOL_OPTIONS");
                if (options.stream().anyMatch(s -> s.contains(" "))) {
                    throw new CaptureException("JAVA_TOOL_OPTIONS cannot carry paths with spaces: " + options);
                }
                String add = String.join(" ", options);
                pb.environment().put("JAVA_TOOL_OPTIONS", old == null || old.isBlank() ? add : old + " " + add);
            } else {
                if (launch.jvmOptionsAt() > command.size()) {
                    throw new IllegalArgumentException("jvmOptionsAt " + launch.jvmOptionsAt());
                }
                command.addAll(launch.jvmOptionsAt(), options);
            }
            pb.command(command);
            if (launch.captureOutput()) {
                pb.redirectErrorStream(true);
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            } else {
                pb.inheritIO();
            }
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new CaptureException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
            }
            Instant start = Instant.now();
            listener.started(p.pid());
            Thread reader = launch.captureOutput() ? startReader(p, listener) : null;
            boolean stoppedByUs = false;
            try {
                stoppedByUs = waitFor(p);
            } finally {
                if (p.isAlive()) { // interrupted, or an exception: never leave the target running
                    stop(p);
                }
            }
            if (reader != null) {
                reader.join(5_000);
            }
            Instant end = Instant.now();
            listener.stopping();
            int code = p.exitValue();
            double secs = Duration.between(start, end).toMillis() / 1000.0;
            boolean signalled = code == 130 || code == 143;
            if (code != 0 && !stoppedByUs && !signalled) {
                throw new CaptureException(failure(code, secs));
            }
            if (signalled && !stoppedByUs) {
                cancel(); // stopped by Ctrl-C at the terminal: keep what was recorded, marked as interrupted
            }
            Path recording = viaEnv ? largest(ws.dir()) : file;
            String agentError = engine == Engine.ASYNC_PROFILER ? agentError(log) : null;
            if (recording == null || !Files.isRegularFile(recording)) {
                if (agentError != null) {
                    throw new CaptureException("async-profiler did not record: " + agentError);
                }
                throw new CaptureException(launch.name() + " ended after " + fmt(secs) + " s without a recording"
                        + (viaEnv ? " (did it start a JVM?)" : lastLine().isEmpty() ? "" : ": " + lastLine()));
            }
            if (agentError != null) {
                warnings.add(Phrase.text("async-profiler: " + agentError));
            }
            if (request.duration() != null && !isCancelled() && !stoppedByUs && !launch.stopsItself()
                    && secs < request.duration().toMillis() / 1000.0 * 0.9) {
                warnings.add(Phrase.text(launch.name() + " exited after " + fmt(secs) + " s, before the "
                        + fmt(request.duration().toMillis() / 1000.0) + " s asked for"));
            }
            Metadata.Target target = new Metadata.Target(launch.kind(), launch.name(), viaEnv ? pidOf(recording) : p.pid(),
                    launch.command());
            return finish(ws, recording, target, Metadata.Jdk.current(), start, end);
        }
    }

    /** Waits until the program ends; stops it at the duration or on cancel. True when proflab stopped it. */
    private boolean waitFor(Process p) throws InterruptedException {
        long startNanos = System.nanoTime();
        Duration d = request.duration();
        long limit = d == null ? Long.MAX_VALUE : d.toNanos() + (launch.stopsItself() ? GRACE.toNanos() : 0);
        while (true) {
            long left = limit - (System.nanoTime() - startNanos);
            if (left <= 0) {
                stop(p);
                return true;
            }
            if (await(Duration.ofNanos(Math.min(left, 100_000_000L)))) { // cancelled
                if (p.waitFor(0, TimeUnit.MILLISECONDS)) {
                    return false;
                }
                stop(p);
                return true;
            }
            if (!p.isAlive()) {
                return false;
            }
        }
    }

    /** SIGTERM (the JVM writes its recording on the way out), then SIGKILL after a while. */
    private static void stop(Process p) throws InterruptedException {
        try (Stream<ProcessHandle> children = p.descendants()) {
            children.forEach(ProcessHandle::destroy);
        }
        p.destroy();
        if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            try (Stream<ProcessHandle> children = p.descendants()) {
                children.forEach(ProcessHandle::destroyForcibly);
            }
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private Thread startReader(Process p, Capture.Listener listener) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (isNoise(line)) {
                        continue;
                    }
                    synchronized (lastLines) {
                        lastLines.addLast(line);
                        if (lastLines.size() > 20) {
                            lastLines.removeFirst();
                        }
                    }
                    listener.output(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "proflab-target-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Lines engines print that say nothing to the user. */
    static boolean isNoise(String line) {
        return line.equals("Profiling started") || line.startsWith("Profiling stopped")
                || line.contains("[jfr,startup]") || line.startsWith("Picked up JAVA_TOOL_OPTIONS");
    }

    private String lastLine() {
        synchronized (lastLines) {
            for (var it = lastLines.descendingIterator(); it.hasNext(); ) {
                String l = it.next().strip();
                if (!l.isEmpty()) {
                    return l;
                }
            }
        }
        return "";
    }

    private String failure(int code, double secs) {
        if (!launch.captureOutput()) {
            return launch.name() + " exited with code " + code + " after " + fmt(secs) + " s (its output is above); nothing written";
        }
        String last = lastLine().replaceFirst("^proflab-labs: ", "");
        return launch.name() + " exited with code " + code + " after " + fmt(secs) + " s" + (last.isEmpty() ? "" : ": " + last);
    }

    /** With JAVA_TOOL_OPTIONS every JVM writes recording-PID.jfr: the largest is the one that worked most. */
    private Path largest(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().matches("recording-\\d+\\.jfr"))
                    .sorted(Comparator.comparingLong(LaunchRecorder::size).reversed()).toList();
        }
        if (files.size() > 1) {
            warnings.add(Phrase.text("the command started " + files.size() + " JVMs; kept the largest recording, of PID "
                    + pidOf(files.get(0))));
        }
        return files.isEmpty() ? null : files.get(0);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static Long pidOf(Path recording) {
        String n = recording.getFileName().toString();
        try {
            return Long.parseLong(n.substring("recording-".length(), n.length() - ".jfr".length()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String fmt(double seconds) {
        return String.format(Locale.ROOT, "%.1f", seconds);
    }
}
