package dev.proflab.cli;

import dev.proflab.capture.CaptureException;
import dev.proflab.capture.CaptureSettings;
import dev.proflab.profile.ProfileKind;
import dev.proflab.server.collect.CollectOptions;
import dev.proflab.server.collect.Collector;
import dev.proflab.server.collect.OtlpUploader;
import dev.proflab.server.collect.PushSettings;
import dev.proflab.server.collect.PyroscopeLabels;
import dev.proflab.server.collect.PyroscopeUploader;
import dev.proflab.server.load.LoadOptions;
import dev.proflab.text.Escape;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code proflab collect}: continuous profiling of a running service (Step 8), the seed's
 * {@code scripts/collect-pprof.sh} made robust ({@link Collector}), and optionally a push to Grafana Pyroscope.
 *
 * <p>Stopping: Ctrl-C (SIGINT) or SIGTERM runs a shutdown hook that stops the loop, lets a capture under way finish
 * within {@code --stop-grace} or drops it (its temporary file is deleted), prints the summary and exits with the JVM's
 * code for the signal: 130 for SIGINT, 143 for SIGTERM. A run that ends by itself ({@code --cycles}) exits 0.
 */
@Command(name = "collect", addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        description = {"Collect profiles from a running service every interval (continuous profiling).",
                "Every --interval: a CPU window of --window and a heap snapshot (and, on request,",
                "allocation, lock and wall profiles) from its /debug/pprof, saved as",
                "OUT/<kind>/<kind>_<yyyyMMdd-HHmmss>.pb.gz (the window's start, UTC).",
                "Each file is written under a hidden temporary name and renamed only when it",
                "reads as a profile; the folder keeps --keep files per kind and at most",
                "--max-bytes. A target that goes down is waited for (said once) and collection",
                "resumes when it is back. Each answer must arrive whole within its window (or",
                "snapshot) plus 30 s, be at most --max-profile-bytes, and be the kind and",
                "format asked for: one that is not is skipped, said in the cycle's line, and",
                "the next capture goes on. One line per cycle on stderr. With --pyroscope each",
                "window is also pushed (as JFR) to Grafana Pyroscope's /ingest, with --otlp as",
                "OpenTelemetry profiles; --out is then optional. A push never holds up a",
                "capture: windows wait in a bounded queue (kept under --out across restarts),",
                "sent in order and retried through outages (docs/pyroscope.md)."},
        footer = {"", "Examples:",
                "  proflab collect --target http://127.0.0.1:6060 --interval 60s --window 30s \\",
                "      --out profiles --keep 100",
                "  proflab collect --interval 10s --window 5s --snapshot 2s --allocs --mutex \\",
                "      --max-bytes 500MB",
                "  proflab collect --pyroscope http://pyroscope:4040 --app demo --label env=lab \\",
                "      --interval 15s --window 10s",
                "", "Read them: proflab top $(ls profiles/cpu/*.pb.gz | tail -1), proflab view ...",
                "", "Exit codes: 0 done (--cycles), 130/143 stopped by SIGINT/SIGTERM,",
                "1 cannot write, 2 bad arguments."})
final class CollectCommand implements Callable<Integer> {

    enum Format { pprof, jfr }

    enum LogFormat { text, json }

    @Option(names = "--target", paramLabel = "URL", defaultValue = "http://127.0.0.1:6060",
            description = "The service, e.g. http://127.0.0.1:6060 (/debug/pprof/... is added) (default: ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--interval", paramLabel = "D", defaultValue = "60s",
            description = "From the start of one cycle to the next (default: ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--window", paramLabel = "D", defaultValue = "30s",
            description = "Length of each CPU (and wall) window, whole seconds (default: ${DEFAULT-VALUE})")
    String window;

    @Option(names = "--snapshot", paramLabel = "D", defaultValue = "5s",
            description = "Sampling time of heap, allocs, mutex and block, whole seconds (default: ${DEFAULT-VALUE})")
    String snapshot;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Collection folder (default: profiles; none with --pyroscope unless given)")
    Path out;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "100",
            description = "Newest files kept per kind, 0 for all (default: ${DEFAULT-VALUE})")
    int keep;

    @Option(names = "--max-bytes", paramLabel = "SIZE",
            description = "At most this much in the folder, oldest deleted first, e.g. 500MB, 1GB (powers of 1024)")
    String maxBytes;

    @Option(names = "--max-profile-bytes", paramLabel = "SIZE", defaultValue = "64MB",
            description = "Skip an answer larger than this, counted as sent (compressed), e.g. 16MB, 1GB (powers of"
                    + " 1024) (default: ${DEFAULT-VALUE}; a 30 s CPU window is ~0.1 MB as pprof, ~2 MB as JFR)")
    String maxProfileBytes;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "pprof",
            description = "pprof (.pb.gz, as the seed) or jfr (.jfr) (default: ${DEFAULT-VALUE}; jfr with --pyroscope)")
    Format format;

    @Option(names = "--no-heap", description = "Skip the heap snapshot")
    boolean noHeap;

    @Option(names = "--allocs", description = "Also an allocation profile of --snapshot each cycle")
    boolean allocs;

    @Option(names = "--mutex", description = "Also a lock contention profile of --snapshot each cycle")
    boolean mutex;

    @Option(names = "--block", description = "Also a block profile of --snapshot each cycle (the same lock events)")
    boolean block;

    @Option(names = "--wall", description = "Also a wall-clock window of --window each cycle")
    boolean wall;

    @Option(names = "--token-file", paramLabel = "F",
            description = "Send 'Authorization: Bearer <the file's content>' to the target")
    Path tokenFile;

    @Option(names = "--cycles", paramLabel = "N", defaultValue = "0",
            description = "Stop after N cycles (default: run until Ctrl-C)")
    long cycles;

    @Option(names = "--stop-grace", paramLabel = "D", defaultValue = "5s",
            description = "On Ctrl-C, how long a capture under way may take to finish before it is dropped"
                    + " (default: ${DEFAULT-VALUE})")
    String stopGrace;

    @Option(names = "--pyroscope", paramLabel = "URL",
            description = "Also push each window to this Grafana Pyroscope server (POST /ingest, format=jfr)")
    String pyroscope;

    @Option(names = "--otlp", paramLabel = "URL",
            description = "Also push each window as OpenTelemetry profiles (POST URL/v1development/profiles,"
                    + " protobuf, gzip); --app is service.name, --label k=v resource attributes")
    String otlp;

    @Option(names = "--app", paramLabel = "NAME", description = "Application name in Pyroscope (with --pyroscope)")
    String app;

    @Option(names = "--label", paramLabel = "K=V", description = "Static Pyroscope label, repeatable: --label env=lab")
    List<String> labels = new ArrayList<>();

    @Option(names = "--no-default-labels",
            description = "Push only --app and the --label given: not host, instance and the runtime"
                    + " (process.runtime.name, process.runtime.version) that are added otherwise")
    boolean noDefaultLabels;

    @Option(names = "--pyroscope-token-file", paramLabel = "F",
            description = "Send 'Authorization: Bearer <token>' to Pyroscope (behind an authenticating proxy)")
    Path pyroscopeTokenFile;

    @Option(names = "--pyroscope-basic-auth-file", paramLabel = "F",
            description = "Basic auth to Pyroscope: the file holds user:password (as the URL's"
                    + " http://user:password@host, which the Java agent also reads)")
    Path pyroscopeBasicAuthFile;

    @Option(names = "--tenant", paramLabel = "ID", description = "X-Scope-OrgID for a multi-tenant Pyroscope")
    String tenant;

    @Option(names = "--queue-max", paramLabel = "N", defaultValue = "100",
            description = "Windows waiting for Pyroscope at most; the oldest is dropped beyond (default:"
                    + " ${DEFAULT-VALUE})")
    int queueMax;

    @Option(names = "--queue-max-bytes", paramLabel = "SIZE", defaultValue = "256MB",
            description = "Bytes (gzipped) waiting for Pyroscope at most (default: ${DEFAULT-VALUE})")
    String queueMaxBytes;

    @Option(names = "--push-max-age", paramLabel = "D", defaultValue = "1h",
            description = "Give a window up when its start is older than this: Pyroscope refuses profiles older"
                    + " than 1 h by default (default: ${DEFAULT-VALUE})")
    String pushMaxAge;

    @Option(names = "--log-format", paramLabel = "FMT", defaultValue = "text",
            description = "text (lines on stderr) or json: one JSON object per line on stdout, each cycle with its"
                    + " captures and the Pyroscope counts, and the summary (default: ${DEFAULT-VALUE})")
    LogFormat logFormat;

    @Spec
    CommandSpec spec;

    /** The running collector (tests stop it as Ctrl-C would). */
    volatile Collector collector;

    @Override
    public Integer call() throws InterruptedException {
        CollectOptions options = options();
        PrintWriter err = spec.commandLine().getErr();
        Collector c = new Collector(options, line -> {
            synchronized (err) {
                err.println(Escape.terminal(line)); // lines quote the service's answers
                err.flush();
            }
        });
        PrintWriter stdout = spec.commandLine().getOut();
        ObjectMapper json = new ObjectMapper();
        if (logFormat == LogFormat.json) {
            c.withRecords(rec -> {
                synchronized (stdout) {
                    stdout.println(toJson(json, rec));
                    stdout.flush();
                }
            });
        }
        collector = c;
        Duration grace = options.stopGrace();
        CountDownLatch reported = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            c.stop(grace);
            try {
                reported.await(2, TimeUnit.SECONDS); // let the summary line out before the JVM halts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "proflab-collect-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Collector.Summary s;
            try {
                s = c.run();
            } catch (IOException e) {
                throw new CheckFailedException("collect: cannot write into " + options.out() + ": " + e.getMessage());
            }
            String summary = String.format(Locale.ROOT, "proflab collect: stopped after %d cycle%s: %d file%s, %d skipped"
                            + ", %d outage%s (%d s down)", s.cycles(), s.cycles() == 1 ? "" : "s", s.files(),
                    s.files() == 1 ? "" : "s", s.skipped(), s.outages(), s.outages() == 1 ? "" : "s",
                    s.downtime().toSeconds());
            if (s.pushed() != null) {
                summary += String.format(Locale.ROOT, "; Pyroscope: %d delivered, %d retried, %d dropped, %d left",
                        s.pushed().delivered(), s.pushed().retried(), s.pushed().dropped(), s.pushed().queued());
            }
            if (s.otlp() != null) {
                summary += String.format(Locale.ROOT, "; OTLP: %d delivered, %d retried, %d dropped, %d left",
                        s.otlp().delivered(), s.otlp().retried(), s.otlp().dropped(), s.otlp().queued());
            }
            if (logFormat == LogFormat.json) {
                Map<String, Object> rec = new LinkedHashMap<>();
                rec.put("event", "stopped");
                rec.put("cycles", s.cycles());
                rec.put("files", s.files());
                rec.put("skipped", s.skipped());
                rec.put("outages", s.outages());
                rec.put("down_seconds", s.downtime().toSeconds());
                if (s.pushed() != null) {
                    rec.put("pyroscope", Collector.counts(s.pushed()));
                }
                if (s.otlp() != null) {
                    rec.put("otlp", Collector.counts(s.otlp()));
                }
                rec.put("message", summary);
                synchronized (stdout) {
                    stdout.println(toJson(json, rec));
                    stdout.flush();
                }
            } else {
                synchronized (err) {
                    err.println(summary);
                    err.flush();
                }
            }
            return 0;
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running
            }
        }
    }

    private static String toJson(ObjectMapper json, Map<String, Object> rec) {
        try {
            return json.writeValueAsString(rec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // maps of strings, numbers and lists: cannot happen
        }
    }

    CollectOptions options() {
        URI base = targetUri(target);
        Duration iv = Durations.parse(interval, "--interval");
        Duration w = wholeSeconds(Durations.parse(window, "--window"), "--window");
        Duration sn = wholeSeconds(Durations.parse(snapshot, "--snapshot"), "--snapshot");
        Duration grace = Durations.parse(stopGrace, "--stop-grace");
        if (keep < 0) {
            throw new UsageException("--keep: must be 0 (all) or more, was " + keep);
        }
        if (cycles < 0) {
            throw new UsageException("--cycles: must be 0 (no end) or more, was " + cycles);
        }
        long quota = maxBytes == null ? 0 : parseSize(maxBytes, "--max-bytes");
        long cap = parseSize(maxProfileBytes, "--max-profile-bytes");
        List<ProfileKind> kinds = new ArrayList<>(List.of(ProfileKind.CPU));
        if (!noHeap) {
            kinds.add(ProfileKind.HEAP);
        }
        if (allocs) {
            kinds.add(ProfileKind.ALLOCS);
        }
        if (mutex) {
            kinds.add(ProfileKind.MUTEX);
        }
        if (block) {
            kinds.add(ProfileKind.BLOCK);
        }
        if (wall) {
            kinds.add(ProfileKind.WALL);
        }
        Duration work = CollectOptions.cycleWork(kinds, w, sn);
        if (iv.compareTo(work) < 0) {
            throw new UsageException("--interval " + iv.toSeconds() + "s: shorter than one cycle's captures ("
                    + work.toSeconds() + " s, one after another: " + kinds.stream().map(ProfileKind::id).toList()
                    + "): raise --interval, or shorten --window/--snapshot");
        }
        String token = tokenFile == null ? null : FetchCommand.readToken(tokenFile);
        PyroscopeUploader uploader = null;
        boolean jfr = format == Format.jfr;
        Path folder = out;
        OtlpUploader otlpUploader = null;
        if (otlp != null) {
            if (app == null) {
                throw new UsageException("--app: needed with --otlp (the service.name of the profiles)");
            }
            if (format == Format.pprof && spec.commandLine().getParseResult().hasMatchedOption("--format")) {
                throw new UsageException("--format pprof: OTLP profiles are made from JFR; leave --format out");
            }
            jfr = true;
            try {
                Map<String, String> resource = new LinkedHashMap<>();
                resource.put("service.name", app);
                if (!noDefaultLabels) {
                    Map<String, String> d = PyroscopeLabels.defaults(base);
                    if (d.containsKey("host")) {
                        resource.put("host.name", d.get("host"));
                    }
                    if (d.containsKey("instance")) {
                        resource.put("service.instance.id", d.get("instance"));
                    }
                }
                resource.putAll(labels(labels));
                otlpUploader = new OtlpUploader(PyroscopeUploader.Server.parse(otlp),
                        resource, null, tenant, w.plusSeconds(30));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage().replace("--pyroscope", "--otlp"));
            }
        }
        if (otlp != null && pyroscope == null && (pyroscopeTokenFile != null || pyroscopeBasicAuthFile != null)) {
            throw new UsageException("--pyroscope-token-file and --pyroscope-basic-auth-file go with --pyroscope URL;"
                    + " --otlp takes user:password in its URL");
        }
        if (pyroscope != null) {
            if (app == null) {
                throw new UsageException("--app: needed with --pyroscope (the application name in Pyroscope)");
            }
            if (format == Format.pprof && spec.commandLine().getParseResult().hasMatchedOption("--format")) {
                throw new UsageException("--format pprof: Pyroscope takes the windows as JFR; leave --format out");
            }
            jfr = true;
            PyroscopeUploader.Server server;
            try {
                server = PyroscopeUploader.Server.parse(pyroscope); // its messages never show the password
                if (pyroscopeBasicAuthFile != null) {
                    server = server.withBasic(readBasicAuth(pyroscopeBasicAuthFile));
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            String ptoken = pyroscopeTokenFile == null ? null : FetchCommand.readToken(pyroscopeTokenFile);
            try {
                Map<String, String> given = labels(labels);
                uploader = new PyroscopeUploader(server, app, noDefaultLabels ? given
                        : PyroscopeLabels.merge(PyroscopeLabels.defaults(base), given), ptoken, tenant,
                        w.plusSeconds(30));
                if (!noDefaultLabels) {
                    uploader.withRuntimeLabels();
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        } else if (otlp == null) {
            for (String only : List.of("--queue-max", "--queue-max-bytes", "--push-max-age")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(only)) {
                    throw new UsageException(only + ": goes with --pyroscope URL");
                }
            }
            if (app != null || !labels.isEmpty() || tenant != null || pyroscopeTokenFile != null
                    || pyroscopeBasicAuthFile != null || noDefaultLabels) {
                throw new UsageException("--app, --label, --tenant, --pyroscope-token-file,"
                        + " --pyroscope-basic-auth-file and --no-default-labels go with --pyroscope URL");
            }
            if (folder == null) {
                folder = Path.of("profiles");
            }
        }
        if (folder != null && Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new UsageException("--out " + folder + ": is a file, not a folder");
        }
        if (queueMax < 1) {
            throw new UsageException("--queue-max: must be 1 or more, was " + queueMax);
        }
        long queueBytes = parseSize(queueMaxBytes, "--queue-max-bytes");
        Duration maxAge = Durations.parse(pushMaxAge, "--push-max-age");
        if (maxAge.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new UsageException("--push-max-age: must be 1s or more, was " + pushMaxAge);
        }
        try {
            return new CollectOptions(base, iv, w, sn, kinds, folder, jfr, keep, quota, token, uploader,
                    Duration.ofSeconds(2), Duration.ofSeconds(60), cycles, grace, cap, CollectOptions.DEFAULT_MARGIN,
                    PushSettings.DEFAULTS.withQueue(queueMax, queueBytes, maxAge), otlpUploader);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The first line of {@code file}, {@code user:password}; no message shows what the file holds. */
    static PyroscopeUploader.Basic readBasicAuth(Path file) {
        String option = "--pyroscope-basic-auth-file " + file;
        String text;
        try {
            text = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).lines().findFirst().orElse("")
                    .strip();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UsageException(option + ": no such file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UsageException(option + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        if (text.isEmpty()) {
            throw new UsageException(option + ": the file is empty");
        }
        try {
            return PyroscopeUploader.Basic.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    /** {@code http://host:6060}, also given as {@code .../debug/pprof/}. */
    static URI targetUri(String text) {
        URI u;
        try {
            u = LoadOptions.parseUri(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--target: " + e.getMessage());
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new UsageException("--target " + text + ": give the service's base URL, without ?query");
        }
        String s = u.toString().replaceAll("/+$", "");
        if (s.endsWith("/debug/pprof")) {
            s = s.substring(0, s.length() - "/debug/pprof".length());
        }
        return URI.create(s);
    }

    private static Duration wholeSeconds(Duration d, String option) {
        if (d.toMillis() % 1000 != 0) {
            throw new UsageException(option + ": " + d.toMillis() + " ms: the endpoints take whole seconds (e.g. 1s, 30s)");
        }
        return d;
    }

    /** 500MB, 1GB, 1.5g, 10k, 4096: bytes, in powers of 1024 (as -Xmx), 1 KB to 1 TB. */
    static long parseSize(String text, String option) {
        long bytes;
        try {
            bytes = CaptureSettings.parseBytes(text, option);
        } catch (CaptureException e) {
            throw new UsageException(e.getMessage().replace("is too large", "is out of range (1KB to 1TB)"));
        }
        if (bytes < 1024) {
            throw new UsageException(option + ": '" + text + "' is out of range (1KB to 1TB)");
        }
        return bytes;
    }

    static Map<String, String> labels(List<String> given) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : given) {
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--label " + l + ": use NAME=VALUE, e.g. env=lab");
            }
            if (m.put(l.substring(0, eq).strip(), l.substring(eq + 1)) != null) {
                throw new UsageException("--label " + l + ": '" + l.substring(0, eq) + "' is given twice");
            }
        }
        return m;
    }
}
