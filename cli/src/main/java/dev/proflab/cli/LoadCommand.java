package dev.proflab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.proflab.server.load.LoadGenerator;
import dev.proflab.server.load.LoadOptions;
import dev.proflab.server.load.LoadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code proflab load URL}: HTTP load with latency percentiles, the seed's {@code while true; do curl ...; done}. */
@Command(name = "load", addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        description = {"Put a URL under HTTP load for a while: C workers, closed loop or a fixed rate.",
                "Prints throughput, latency percentiles (HdrHistogram; at a fixed rate measured from each request's",
                "scheduled start, so a stalled server is not hidden), answers by status class and errors.",
                "Progress on stderr once a second; Ctrl-C ends early and still prints the summary."},
        footer = {"", "Examples:",
                "  proflab load 'http://127.0.0.1:6060/work/cpu?n=30&workers=2' --duration 30s",
                "  proflab load 'http://127.0.0.1:6060/work/contention?workers=16&iter=5000&holdNs=50000' -c 2 -d 1m",
                "  proflab load 'http://127.0.0.1:6060/work/cpu?n=25' --rate 100 --duration 10s --format json",
                "  proflab load 'http://127.0.0.1:6060/work/cpu?n=30&workers=2' --rate 100 --warmup 5s -d 15s --timeline",
                "  proflab load URL -d 20s --profile PID -o srv.jfr   # then: proflab top --per-op srv.jfr",
                "",
                "--profile PID records the server (async-profiler, else JFR) while the load is",
                "measured, and writes FILE.ops.json: the requests answered while it recorded."})
final class LoadCommand implements Callable<Integer> {

    enum Format { text, json }

    @Parameters(index = "0", paramLabel = "URL", description = "The URL to GET (http or https)")
    String url;

    @Option(names = {"-c", "--concurrency"}, paramLabel = "C", defaultValue = "4",
            description = "Workers, each with one request in flight (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = {"-d", "--duration"}, paramLabel = "D",
            description = "How long to run, e.g. 10s, 1m (default: 10s, or until --requests when only that is given)")
    String duration;

    @Option(names = {"-r", "--rate"}, paramLabel = "R",
            description = "Requests per second over all workers (fixed rate); default: closed loop, as fast as answers come")
    Double rate;

    @Option(names = {"-n", "--requests"}, paramLabel = "N",
            description = "Stop after N requests (default: no limit)")
    Long requests;

    @Option(names = "--warmup", paramLabel = "D", defaultValue = "0s",
            description = "Load this long first without measuring it: the client's and the server's JIT, connections"
                    + " (default: ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--timeout", paramLabel = "D", defaultValue = "10s",
            description = "For each whole answer, connecting and the body included: a server that trickles"
                    + " its answer costs a worker this long, not the run (default: ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--timeline",
            description = "Also print a line a second: answers, p50, p99, max of that second (--format json always has it)")
    boolean timeline;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--profile", paramLabel = "PID",
            description = "Record this JVM (the server under load) with its CPU profile from the end of the warm-up"
                    + " for --duration, and count the requests answered while it recorded (FILE.ops.json)")
    Long profilePid;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "--profile: the recording (default: tmp/load-PID-cpu.jfr in the project)")
    java.nio.file.Path output;

    @Spec
    CommandSpec spec;

    /** The running generator (tests stop it as Ctrl-C would). */
    volatile LoadGenerator generator;

    private Duration warmupDuration() {
        String w = warmup.strip();
        // none by default; Durations refuses 0 (its range starts at 1 ms)
        return w.matches("0+(\\.0+)?(ms|s|m|h)?") ? Duration.ZERO : Durations.parse(w, "--warmup");
    }

    @Override
    public Integer call() throws InterruptedException {
        URI uri;
        LoadOptions options;
        try {
            uri = LoadOptions.parseUri(url);
            Duration d = duration != null ? Durations.parse(duration, "--duration")
                    : requests != null ? null : Duration.ofSeconds(10);
            options = new LoadOptions(uri, concurrency, d, rate == null ? 0 : rate,
                    requests == null ? 0 : requests, Durations.parse(timeout, "--timeout"), warmupDuration());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (output != null && profilePid == null) {
            throw new UsageException("-o: only with --profile PID (the recording of the server under load)");
        }
        LoadGenerator gen = new LoadGenerator(options);
        generator = gen;
        Profiling profiling = profilePid == null ? null : new Profiling(profilePid, options, gen);
        CountDownLatch printed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            gen.stop();
            if (profiling != null) {
                profiling.capture.cancel();
            }
            try {
                printed.await(5, TimeUnit.SECONDS); // let the summary out before the JVM exits
            } catch (InterruptedException ignored) {
                // exit now
            }
        }, "proflab-load-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = spec.commandLine().getOut();
        boolean tty = Terminal.isInteractive();
        PrintWriter err = spec.commandLine().getErr();
        LoadResult result;
        try {
            if (profiling != null) {
                profiling.start();
            }
            result = gen.run(p -> {
                if (tty) {
                    err.print("\r" + p + "   ");
                } else {
                    err.println(p);
                }
                err.flush();
            });
            if (tty) {
                err.println();
            }
            dev.proflab.profile.Operations counted = profiling == null ? null : profiling.finish(gen);
            if (format == Format.json) {
                java.util.Map<String, Object> map = new java.util.LinkedHashMap<>(result.toMap());
                if (counted != null) {
                    java.util.Map<String, Object> p = new java.util.LinkedHashMap<>();
                    p.put("file", profiling.result.file().toString());
                    p.put("requests", counted.count());
                    p.put("covers", counted.covers());
                    map.put("profile", p);
                }
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(map));
            } else {
                out.print(result.toText());
                if (timeline) {
                    out.print(result.timelineText());
                }
                if (counted != null) {
                    out.printf("profile: %s (%.1f s of PID %d): %,d requests answered while it recorded -> %s%n",
                            CompareCommand.display(profiling.result.file()), profiling.result.metadata().seconds(),
                            profilePid, counted.count(),
                            CompareCommand.display(dev.proflab.profile.Operations.sidecarOf(profiling.result.file())));
                    out.printf("next: proflab top --per-op %s%n", CompareCommand.display(profiling.result.file()));
                }
            }
            out.flush();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        } finally {
            printed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
        return 0;
    }

    /**
     * {@code --profile}: a capture of the server beside the load, from the end of the warm-up for the measured
     * duration. The requests answered are read when the profiler has started in the server and again just before
     * it is told to stop: their difference is the work the recording covers (the few answered while the stop
     * command travels are not counted).
     */
    private final class Profiling {
        final long pid;
        final dev.proflab.capture.Capture capture;
        final java.time.Duration wait;
        volatile long first = -1;
        volatile long last = -1;
        volatile dev.proflab.capture.Capture.Result result;
        volatile RuntimeException failure;
        Thread thread;

        Profiling(long pid, LoadOptions options, LoadGenerator gen) {
            this.pid = pid;
            if (options.duration() == null) {
                throw new UsageException("--profile: needs --duration (the recording lasts as long as the measured load)");
            }
            dev.proflab.capture.Jvms.check(pid);
            java.nio.file.Path out = (output != null ? output : Env.tmp().resolve("load-" + pid + "-cpu.jfr"))
                    .toAbsolutePath().normalize();
            if (!out.getFileName().toString().endsWith(".jfr")) {
                throw new UsageException("-o: " + CompareCommand.display(out) + ": the recording must end in .jfr");
            }
            try {
                dev.proflab.capture.CaptureSettings settings = new dev.proflab.capture.CaptureSettings(
                        java.util.Set.of(dev.proflab.capture.Event.CPU), null,
                        dev.proflab.capture.CaptureSettings.parseBytes("512k", "--alloc"),
                        dev.proflab.capture.CaptureSettings.parseTime("10us", "--lock"), false, false);
                dev.proflab.capture.Engines.Choice choice = dev.proflab.capture.Engines.choose(null, settings, 0);
                this.capture = dev.proflab.capture.Capture.of(new dev.proflab.capture.Capture.Request(
                        new dev.proflab.capture.Capture.Attach(pid), choice, settings, options.duration(), out,
                        "proflab load --profile " + pid));
            } catch (dev.proflab.capture.CaptureException e) {
                throw new UsageException("--profile: " + e.phrase().in(ProfileCommand.FLAGS::get));
            }
            this.wait = options.warmup();
        }

        void start() {
            LoadGenerator gen = generator;
            thread = new Thread(() -> {
                try {
                    Thread.sleep(wait.toMillis());
                    result = capture.run(new dev.proflab.capture.Capture.Listener() {
                        @Override
                        public void started(long p) {
                            first = gen.answered();
                        }

                        @Override
                        public void stopping() {
                            last = gen.answered();
                        }
                    });
                } catch (InterruptedException e) {
                    capture.cancel();
                } catch (dev.proflab.capture.CaptureException e) {
                    failure = new UsageException("--profile: " + e.phrase().in(ProfileCommand.FLAGS::get));
                } catch (java.io.IOException e) {
                    failure = new java.io.UncheckedIOException(e);
                } catch (RuntimeException e) {
                    failure = e;
                }
            }, "proflab-load-profile");
            thread.setDaemon(true);
            thread.start();
        }

        /** Waits for the recording, writes its count; null when it was stopped before it began. */
        dev.proflab.profile.Operations finish(LoadGenerator gen) throws InterruptedException {
            thread.join();
            if (failure != null) {
                throw failure;
            }
            if (result == null || first < 0) {
                return null;
            }
            long end = last >= 0 ? last : gen.answered();
            long n = end - first;
            if (n < 1) {
                throw new UsageException("--profile: no request was answered while " + CompareCommand.display(
                        result.file()) + " recorded: no cost per request to count");
            }
            dev.proflab.profile.Operations ops = new dev.proflab.profile.Operations(n, "request", "load",
                    String.format(java.util.Locale.ROOT, "requests answered (any status) while the profiler recorded"
                            + " PID %d, %.1f s from the end of the warm-up", pid, result.metadata().seconds()));
            try {
                ops.write(result.file());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return ops;
        }
    }
}
