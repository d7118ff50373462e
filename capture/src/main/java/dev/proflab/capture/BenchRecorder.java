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
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Records a JMH benchmark through JMH's own profilers ({@code -prof async} with JFR output, or {@code -prof jfr}
 * with a generated {@code .jfc}): they record the measurement iterations only, not the warm-up. JMH writes one
 * recording per fork and per set of parameters, and recordings of different JVMs cannot be joined into one
 * file, so the run is one fork of exactly one benchmark with one value of each parameter (checked first with
 * {@code -lp}).
 */
final class BenchRecorder extends Recorder {

    private static final Pattern BENCHMARK = Pattern.compile("^([\\w.$]+)\\s*$");
    private static final Pattern PARAM = Pattern.compile("^\\s+param \"([^\"]+)\" = \\{(.*)}\\s*$");
    private static final Pattern ITERATION = Pattern.compile("^(# Warmup Iteration|Iteration)\\s+\\d+:.*");

    private final Capture.Bench bench;
    private final Deque<String> lastLines = new ArrayDeque<>();

    BenchRecorder(Capture.Request request, Capture.Bench bench) {
        super(request);
        this.bench = bench;
    }

    /** What {@code -lp} says: benchmark name -> parameter -> values. */
    Map<String, Map<String, List<String>>> list() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(bench.java().toString(), "-jar", bench.benchmarksJar().toString(), "-lp"));
        for (String p : bench.params()) {
            cmd.add("-p");
            cmd.add(p);
        }
        cmd.add(bench.pattern());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            lines = r.lines().toList();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new CaptureException("JMH cannot list benchmarks: " + (lines.isEmpty() ? "exit code " + p.exitValue()
                    : lines.get(lines.size() - 1)));
        }
        return parseList(lines);
    }

    static Map<String, Map<String, List<String>>> parseList(List<String> lines) {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        String current = null;
        for (String line : lines) {
            Matcher pm = PARAM.matcher(line);
            if (pm.matches() && current != null) {
                List<String> values = new ArrayList<>();
                for (String v : pm.group(2).split(",")) {
                    if (!v.isBlank()) {
                        values.add(v.strip());
                    }
                }
                out.get(current).put(pm.group(1), values);
                continue;
            }
            Matcher bm = BENCHMARK.matcher(line);
            if (bm.matches() && !line.startsWith("Benchmarks")) {
                current = bm.group(1);
                out.put(current, new LinkedHashMap<>());
            }
        }
        return out;
    }

    /** Fails unless the pattern and parameters select one benchmark with one value of each parameter. */
    void checkOne(Map<String, Map<String, List<String>>> listed) {
        if (listed.isEmpty()) {
            throw new CaptureException("no benchmark matches '" + bench.pattern() + "' in " + bench.benchmarksJar().getFileName());
        }
        if (listed.size() > 1) {
            throw new CaptureException("'" + bench.pattern() + "' matches " + listed.size() + " benchmarks ("
                    + String.join(", ", listed.keySet()) + "): one recording is one benchmark, narrow the pattern");
        }
        var e = listed.entrySet().iterator().next();
        List<Object> many = new ArrayList<>();
        e.getValue().forEach((param, values) -> {
            if (values.size() > 1) {
                many.add(many.isEmpty() ? "" : " and ");
                many.add(Phrase.parameter("params"));
                many.add(" " + param + "=" + values.get(0) + " (of " + String.join(", ", values) + ")");
            }
        });
        if (!many.isEmpty()) {
            throw new CaptureException(Phrase.of(shortName(e.getKey())
                    + " runs with several parameter values, one recording is one: add ", new Phrase(many)));
        }
    }

    @Override
    Capture.Result run(Capture.Listener listener) throws IOException, InterruptedException {
        if (engine == Engine.ASYNC_PROFILER && (settings.has(Event.LIVE) || settings.jdkEvents())) {
            throw new CaptureException(Phrase.of(Phrase.parameter("bench"), " with async-profiler records cpu, wall, itimer,"
                    + " alloc and lock (JMH's -prof async has no live or jfrsync); record live objects in a program of"
                    + " its own"));
        }
        var listed = list();
        checkOne(listed);
        String benchmark = listed.keySet().iterator().next();
        Map<String, List<String>> params = listed.get(benchmark);
        Capture.RunLock.Held lock = bench.lock().acquire(listener::output, this::isCancelled);
        if (lock == null) {
            throw new CaptureException("stopped while waiting for another JMH run to end");
        }
        try (lock; Workspace ws = new Workspace(request.output())) {
            Path dir = ws.file("jmh");
            Files.createDirectories(dir);
            List<String> cmd = new ArrayList<>(List.of(bench.java().toString(), "-jar", bench.benchmarksJar().toString(),
                    "^" + benchmark.replace(".", "\\.").replace("$", "\\$") + "$",
                    "-f", "1", "-wi", Integer.toString(bench.warmupIterations()), "-w", bench.warmupTime().toMillis() + "ms",
                    "-i", Integer.toString(bench.iterations()), "-r", bench.iterationTime().toMillis() + "ms"));
            for (String p : bench.params()) {
                cmd.add("-p");
                cmd.add(p);
            }
            if (!bench.jvmArgs().isEmpty()) {
                cmd.add("-jvmArgsAppend");
                cmd.add(String.join(" ", bench.jvmArgs()));
            }
            Path counted = ws.file("operations.json");
            boolean counting = hasCounter(bench.benchmarksJar());
            if (counting) {
                // first: JMH stops an iteration's profilers last to first, so the recording has ended when it writes
                cmd.add("-prof");
                cmd.add(COUNTER + ":" + counted);
            }
            cmd.add("-prof");
            cmd.add(profiler(ws, dir));
            cmd.addAll(1, lock.javaOptions()); // the caller holds the machine's benchmark lock for the run
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            Instant start = Instant.now();
            listener.started(0);
            int total = bench.warmupIterations() + bench.iterations();
            Thread reader = new Thread(() -> read(p, listener, total), "proflab-jmh-output");
            reader.setDaemon(true);
            reader.start();
            boolean stopped = false;
            try {
                while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
                    if (isCancelled()) {
                        stopped = true;
                        break;
                    }
                }
            } finally {
                if (p.isAlive()) {
                    try (Stream<ProcessHandle> s = p.descendants()) {
                        s.forEach(ProcessHandle::destroy);
                    }
                    p.destroy();
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            }
            reader.join(5_000);
            Instant end = Instant.now();
            listener.stopping();
            if (stopped) {
                throw new CaptureException("interrupted: JMH writes its recording only at the end of the measurement; nothing written");
            }
            if (p.exitValue() != 0) {
                throw new CaptureException("JMH exited with code " + p.exitValue() + ": " + lastError());
            }
            List<Path> found;
            try (Stream<Path> s = Files.walk(dir)) {
                found = s.filter(f -> f.getFileName().toString().endsWith(".jfr")).toList();
            }
            if (found.isEmpty()) {
                throw new CaptureException("JMH finished without a recording: " + lastError());
            }
            if (found.size() > 1) {
                throw new CaptureException("JMH wrote " + found.size() + " recordings, expected one; nothing written");
            }
            List<String> shown = new ArrayList<>(cmd);
            Metadata.Target target = new Metadata.Target("bench", shortName(benchmark) + describe(params), null, shown);
            Capture.Result result = finish(ws, found.get(0), target, Metadata.Jdk.current(), start, end);
            if (!counting) {
                warnings.add(Phrase.of(bench.benchmarksJar().getFileName() + " has no " + COUNTER
                        + ": no operation count written; give it by hand (top --per-op --ops N)"));
                return new Capture.Result(result.file(), result.sidecar(), result.metadata(), List.copyOf(warnings));
            }
            operations(counted).write(result.file());
            return result;
        }
    }

    /** The JMH profiler of the benchmarks module that counts the measurement iterations' operations. */
    static final String COUNTER = "dev.proflab.bench.OperationCounter";

    /** Whether the benchmarks jar has {@link #COUNTER} (the project's does; another project's may not). */
    static boolean hasCounter(Path jar) {
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(jar.toFile())) {
            return z.getEntry(COUNTER.replace('.', '/') + ".class") != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The count {@link #COUNTER} wrote: every operation of the measurement iterations, the ones the profiler
     * recorded (JMH's score divides by the measured ones, which leave out the few run while the threads line up).
     */
    static dev.proflab.profile.Operations operations(Path counted) throws IOException {
        com.fasterxml.jackson.databind.JsonNode n;
        try {
            n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readAllBytes(counted));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CaptureException("JMH finished without the operation count of " + COUNTER + "; nothing written");
        }
        long all = n.path("all_ops").asLong();
        long measured = n.path("measured_ops").asLong();
        int iterations = n.path("iterations").asInt();
        int threads = n.path("threads").asInt();
        if (all < 1) {
            throw new CaptureException("JMH ran no operation in the measurement iterations; nothing to count");
        }
        String covers = String.format(java.util.Locale.ROOT, "JMH measurement iterations: %d x %d ms, %d thread%s,"
                        + " every operation run while the profiler recorded (warm-up neither recorded nor counted);"
                        + " JMH's score divides by the %d of them it measured",
                iterations, n.path("iteration_ms").asLong(), threads, threads == 1 ? "" : "s", measured);
        return new dev.proflab.profile.Operations(all, "op", "jmh", covers);
    }

    private String profiler(Workspace ws, Path dir) throws IOException {
        if (engine == Engine.ASYNC_PROFILER) {
            StringBuilder sb = new StringBuilder("async:libPath=").append(library()).append(";output=jfr;dir=").append(dir);
            boolean cpu = settings.has(Event.CPU) || settings.has(Event.ITIMER);
            if (cpu && settings.has(Event.WALL)) {
                throw new CaptureException(Phrase.of(Phrase.parameter("bench"),
                        " with async-profiler records one of cpu, itimer and wall at a time"));
            }
            if (cpu || settings.has(Event.WALL)) {
                Event e = settings.has(Event.WALL) ? Event.WALL : settings.has(Event.CPU) ? Event.CPU : Event.ITIMER;
                sb.append(";event=").append(e.id()).append(";interval=").append(settings.intervalOf(e == Event.WALL).toNanos());
            } else {
                sb.append(";event=").append(settings.has(Event.ALLOC) ? "alloc" : "lock");
            }
            if (settings.has(Event.ALLOC)) {
                sb.append(";alloc=").append(settings.allocBytes());
            }
            if (settings.has(Event.LOCK)) {
                sb.append(";lock=").append(settings.lockThreshold().toNanos());
            }
            return sb.toString();
        }
        Path jfc = ws.file("proflab.jfc");
        JfrConfiguration.write(jfc, settings.jfrSettings(engine));
        return "jfr:dir=" + dir + ";configName=" + jfc;
    }

    private void read(Process p, Capture.Listener listener, int total) {
        int done = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 40) {
                        lastLines.removeFirst();
                    }
                }
                listener.output(line);
                if (ITERATION.matcher(line).matches()) {
                    listener.iteration(++done, total);
                }
            }
        } catch (IOException e) {
            // ended
        }
    }

    private String lastError() {
        synchronized (lastLines) {
            for (String l : lastLines) {
                String s = l.strip();
                if (s.startsWith("Exception") || s.startsWith("ERROR") || s.contains("Error:") || s.startsWith("<failure>")) {
                    return s;
                }
            }
            return lastLines.isEmpty() ? "no output" : lastLines.peekLast().strip();
        }
    }

    private static String describe(Map<String, List<String>> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> sb.append(' ').append(k).append('=').append(String.join(",", v)));
        return sb.toString();
    }

    static String shortName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : benchmark;
    }
}
