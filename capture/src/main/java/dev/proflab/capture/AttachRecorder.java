package dev.proflab.capture;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.VirtualMachine;
import dev.proflab.text.Phrase;
import jdk.management.jfr.ConfigurationInfo;
import jdk.management.jfr.FlightRecorderMXBean;

import javax.management.JMX;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records a running JVM: async-profiler loaded through the Attach API ({@code start}, then {@code stop} after the
 * duration), or a JFR recording made through the JVM's {@code FlightRecorderMXBean} over a local JMX connection.
 *
 * <p>Both are also told to stop by themselves a minute after the duration (async-profiler {@code timeout},
 * JFR {@code duration}), so a proflab that is killed does not leave a profiler running in the target forever.
 */
final class AttachRecorder extends Recorder {

    private static final Duration SAFETY = Duration.ofSeconds(60);

    private final long pid;

    AttachRecorder(Capture.Request request, Capture.Attach attach) {
        super(request);
        this.pid = attach.pid();
    }

    @Override
    Capture.Result run(Capture.Listener listener) throws IOException, InterruptedException {
        VirtualMachine vm = Jvms.attach(pid);
        try (Workspace ws = new Workspace(request.output())) {
            Jvms.Info info = Jvms.info(pid, vm);
            if (engine == Engine.JFR_CPU_TIME && info.feature() > 0 && info.feature() < 25) {
                throw new CaptureException(Phrase.of("engine jfr-cpu-time needs JDK 25 or newer (JEP 509); PID " + pid
                        + " runs JDK " + info.version() + ": use ", Phrase.parameter("engine"), " jfr or async"));
            }
            Path file = ws.file("recording.jfr");
            Instant start;
            Instant end;
            if (engine == Engine.ASYNC_PROFILER) {
                Path log = ws.file("profiler.log");
                Path lib = library();
                long timeout = request.duration().plus(SAFETY).toSeconds();
                load(vm, lib, agentStart(file, log) + ",timeout=" + timeout, log);
                start = Instant.now();
                listener.started(pid);
                boolean alive = record();
                end = Instant.now();
                listener.stopping();
                if (alive) {
                    load(vm, lib, "stop,log=" + checkComma(log), log);
                }
            } else {
                try (Jvms.Jmx jmx = Jvms.jmx(pid, vm)) {
                    FlightRecorderMXBean fr = JMX.newMXBeanProxy(jmx.connection(), name(), FlightRecorderMXBean.class);
                    long id;
                    try {
                        id = fr.newRecording();
                        Map<String, String> all = new HashMap<>(defaults(fr));
                        all.putAll(settings.jfrSettings(engine));
                        fr.setRecordingSettings(id, all);
                        fr.setRecordingOptions(id, Map.of("name", "proflab", "destination", file.toString(),
                                "dumpOnExit", "true", "duration", request.duration().plus(SAFETY).toSeconds() + " s"));
                        fr.startRecording(id);
                    } catch (RuntimeException e) {
                        throw new CaptureException("PID " + pid + ": cannot start JDK Flight Recorder: " + message(e), e);
                    }
                    start = Instant.now();
                    listener.started(pid);
                    boolean alive = record();
                    end = Instant.now();
                    listener.stopping();
                    if (alive) {
                        try {
                            fr.stopRecording(id); // writes to the destination
                            fr.closeRecording(id);
                        } catch (RuntimeException e) {
                            if (!Files.isRegularFile(file)) {
                                throw new CaptureException("PID " + pid + ": cannot stop the recording: " + message(e), e);
                            }
                        }
                    }
                }
            }
            awaitFile(file);
            if (!Files.isRegularFile(file)) {
                throw new CaptureException("PID " + pid + " exited after "
                        + LaunchRecorder.fmt(Duration.between(start, end).toMillis() / 1000.0)
                        + " s without writing its recording; nothing written");
            }
            Metadata.Target target = new Metadata.Target("pid", Jvms.mainOf(info.command()).isEmpty()
                    ? "pid-" + pid : Jvms.mainOf(info.command()), pid, List.of(info.command()));
            return finish(ws, file, target, info.jdk(), start, end);
        } finally {
            try {
                vm.detach();
            } catch (IOException e) {
                // the target is gone
            }
        }
    }

    /** Waits for the duration, cancel, or the end of the target; true if the target still runs. */
    private boolean record() throws InterruptedException {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        long until = System.nanoTime() + request.duration().toNanos();
        while (true) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            if (await(Duration.ofNanos(Math.min(left, 200_000_000L)))) {
                return h.map(ProcessHandle::isAlive).orElse(false);
            }
            if (h.isEmpty() || !h.get().isAlive()) {
                warnings.add(Phrase.text("PID " + pid + " exited while it was recorded"));
                return false;
            }
        }
    }

    /** After the target exited, it may still be writing its recording on the way out. */
    private void awaitFile(Path file) throws InterruptedException {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        for (int i = 0; i < 100 && h.isPresent() && h.get().isAlive() && !Files.isRegularFile(file); i++) {
            Thread.sleep(100);
        }
        if (h.isPresent() && !Files.isRegularFile(file)) {
            try {
                h.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // still running
            }
        }
    }

    private void load(VirtualMachine vm, Path lib, String options, Path log) {
        try {
            vm.loadAgentPath(lib.toString(), options);
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            String err = agentError(log);
            throw new CaptureException("PID " + pid + ": async-profiler failed"
                    + (err != null ? ": " + err : ": " + e.getMessage()), e);
        }
        String err = agentError(log);
        if (err != null) {
            throw new CaptureException("PID " + pid + ": async-profiler failed: " + err);
        }
    }

    private static Map<String, String> defaults(FlightRecorderMXBean fr) {
        for (ConfigurationInfo c : fr.getConfigurations()) {
            if (c.getName().equals("default")) {
                return c.getSettings();
            }
        }
        return Map.of();
    }

    private static ObjectName name() {
        try {
            return new ObjectName(FlightRecorderMXBean.MXBEAN_NAME);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
