package dev.proflab.debug;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.HotSpotDiagnosticMXBean;
import dev.proflab.capture.AsyncProfilerLibrary;
import dev.proflab.capture.CaptureException;
import dev.proflab.capture.CaptureSettings;
import dev.proflab.capture.ContinuousRecording;
import dev.proflab.capture.Event;
import dev.proflab.capture.SelfCapture;
import dev.proflab.export.ExportException;
import dev.proflab.export.ExportFormat;
import dev.proflab.net.HostCheck;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileException;
import dev.proflab.profile.ProfileKind;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;
import dev.proflab.text.Escape;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Go's {@code net/http/pprof} for the JVM: {@code /debug/pprof/*} (profile, heap, allocs, block, mutex, goroutine,
 * trace, wall), {@code /debug/jfr} and {@code /debug/gc}, captured in this JVM (async-profiler, else JDK Flight
 * Recorder) and answered as gzipped {@code profile.proto} so that {@code go tool pprof URL} works. Framework-neutral:
 * an adapter hands each request over as a {@link DebugExchange}; one for the JDK's {@code HttpServer} comes with it
 * ({@link DebugHttpHandler}), one for Javalin 7 with proflab-debug-javalin.
 *
 * <p>In a JDK {@code HttpServer}:
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 6060), 0);
 * server.setExecutor(Executors.newVirtualThreadPerTaskExecutor()); // a capture holds its thread for ?seconds=
 * DebugEndpoints debug = new DebugEndpoints(DebugOptions.defaults());
 * DebugHttpHandler.mount(server, debug);                          // serves /debug/...
 * System.out.println(debug.describe(server.getAddress().getAddress()));
 * server.start();
 * }</pre>
 * In Javalin 7, with {@code DebugJavalin} of proflab-debug-javalin:
 * <pre>{@code
 * DebugEndpoints debug = new DebugEndpoints(DebugOptions.builder().tokenFile(Path.of("token")).build());
 * Javalin app = Javalin.create(config -> {
 *     DebugJavalin.register(config, debug);
 *     config.routes.get("/hello", ctx -> ctx.result("hi"));
 * }).start("0.0.0.0", 8080);
 * }</pre>
 *
 * <p>Safety: connections that arrive at a loopback address are served without a token when their {@code Host} is a
 * loopback name or address ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}, any port) or one of
 * {@link DebugOptions#allowHosts()}, and no other site's page sent them ({@link HostCheck#crossSite}); else 403
 * (a page of {@code evil.example} that rebinds its name to 127.0.0.1 sends {@code Host: evil.example}), unless
 * they carry the token. Any other connection needs {@code Authorization: Bearer <token>} (else 401), whatever its
 * {@code Host}, and without a configured token the endpoints are off there (404; {@link #describe(InetAddress)}
 * says so for the start-up log). One capture at a time per JVM: a second gets
 * 409 with {@code Retry-After}. {@code ?seconds=} is 1 to {@link DebugOptions#maxSeconds()}. Bad input gets a 4xx
 * with a one-line JSON error; no response carries a stack trace or a file path. Heap dumps only when enabled,
 * written to their folder, never sent.
 *
 * <p>With {@link DebugOptions#flightRecorder()} set, a continuous JFR recording starts with the endpoints and
 * {@code /debug/jfr?last=5m} sends its last minutes; {@link #close()} stops it.
 */
public final class DebugEndpoints implements AutoCloseable {

    /** Every path served starts with this. */
    public static final String PREFIX = "/debug/";

    private static final System.Logger LOG = System.getLogger(DebugEndpoints.class.getName());
    /**
     * Jackson's mapper, made on first use: building it loads some 370 classes (about half a second of CPU), which
     * a JVM that starts the endpoints with its own start-up (proflab-agent) should not pay before a JSON answer.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
    private static final int MAX_PATH = 512;
    private static final String PPROF = ProfileKind.PPROF_PATH;

    private final DebugOptions options;
    private final byte[] tokenHash;
    /** What is answered on loopback without the token. */
    private final HostCheck hosts;
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    /** The always-on recording, or null (not configured, or it could not start: {@link #flightRecorderProblem}). */
    private final ContinuousRecording flightRecorder;
    private final String flightRecorderProblem;
    /** One dump of the flight recorder at a time: each copies its whole repository once. */
    private final Semaphore dumping = new Semaphore(1);

    /** What one path does. */
    private record Endpoint(String name, Set<String> params, String description, Handler handler, boolean listed) {
    }

    @FunctionalInterface
    private interface Handler {
        void serve(DebugExchange ex, Query q) throws IOException, InterruptedException;
    }

    /**
     * Sets the endpoints up; with {@link DebugOptions#flightRecorder()}, starts the continuous recording (when JFR
     * cannot start here, the endpoints still work and {@code /debug/jfr?last=} answers 503 with the reason).
     */
    public DebugEndpoints(DebugOptions options) {
        this.options = options;
        ContinuousRecording fr = null;
        String problem = null;
        DebugOptions.FlightRecorder f = options.flightRecorder();
        if (f != null) {
            try {
                fr = ContinuousRecording.start(f.maxAge(), f.maxBytes(), f.configuration());
            } catch (CaptureException e) {
                problem = scrub(e.getMessage());
                LOG.log(System.Logger.Level.WARNING, "the flight recorder did not start: " + problem);
            }
        }
        this.flightRecorder = fr;
        this.flightRecorderProblem = problem;
        this.tokenHash = options.token() == null ? null : sha256(options.token().getBytes(StandardCharsets.UTF_8));
        this.hosts = options.hostCheck();
        Set<String> timed = Set.of("seconds", "format");
        add(ProfileKind.ALLOCS, timed, "Allocations sampled over ?seconds= (default " + options.shortSeconds()
                + "): where bytes are allocated (async-profiler alloc; JFR ObjectAllocationSample)", null);
        add(ProfileKind.BLOCK, timed, "Where threads wait to enter monitors or park on java.util.concurrent locks, over"
                + " ?seconds= (the same lock profile as mutex on the JVM)", null);
        add("goroutine", Set.of("debug", "format"), "Stack traces of all current threads: pprof with one sample per"
                + " thread; debug=1 grouped by identical stack; debug=2 a full dump as jstack -l", this::goroutine, true);
        add(ProfileKind.HEAP, Set.of("seconds", "format", "gc", "debug"), "Live heap: allocations sampled over ?seconds="
                + " (default " + options.shortSeconds() + ") that are still reachable at the end (gc=1: after a full"
                + " GC); debug=1: the class histogram (all objects, no GC; gc=1: live objects after a full GC)",
                this::heap);
        add(ProfileKind.MUTEX, timed, "Lock contention over ?seconds=: monitors and java.util.concurrent locks, waits of "
                + CaptureSettings.format(options.lockThreshold()) + " or more", null);
        add(ProfileKind.CPU, Set.of("seconds", "format", "event"), "CPU profile over ?seconds= (default "
                + options.defaultSeconds() + "); event=itimer (default) or cpu (perf_events)", this::cpu);
        add("trace", Set.of("seconds"), "A JDK Flight Recorder recording over ?seconds= (default 1) with thread"
                + " states, parks, monitor waits, GC and safepoints: open it in JDK Mission Control or proflab timeline",
                this::trace, true);
        add(ProfileKind.WALL, timed, "Wall-clock profile over ?seconds= (default " + options.defaultSeconds()
                + "): where threads are, running or waiting (async-profiler only)", null);
        add("heapdump", Set.of("gc"), "Writes an .hprof heap dump into the configured folder (off unless enabled;"
                + " gc=1: live objects only, after a full GC)", this::heapDump, options.heapDumpsEnabled());
        add("threads", Set.of("debug", "format"), "The same as goroutine", this::goroutine, false);
        endpoints.put("/debug/jfr", new Endpoint("jfr", Set.of("seconds", "last"), "A new JDK Flight Recorder recording"
                + " (profile settings) over ?seconds=; ?last=5m: the last minutes of the always-on recording"
                + (flightRecorder != null ? " (on: " + describe(flightRecorder) + ")"
                : f != null ? " (it did not start)" : " (off in this service)"), this::jfr, false));
        endpoints.put("/debug/gc", new Endpoint("gc", Set.of(), "GC and memory: collectors, heap, pools (JSON)",
                (ex, q) -> send(ex, 200, "application/json", null, JvmState.gcJson()), false));
        Endpoint index = new Endpoint("index", Set.of(), "", (ex, q) -> index(ex), false);
        endpoints.put("/debug/pprof", index);
        endpoints.put(PPROF, index);
    }

    private void add(String name, Set<String> params, String description, Handler h, boolean listed) {
        endpoints.put(PPROF + name, new Endpoint(name, params, description, h, listed));
    }

    /** The endpoint of a kind of profile, listed; without a handler of its own, a capture of the kind's event. */
    private void add(ProfileKind kind, Set<String> params, String description, Handler h) {
        add(kind.endpoint(), params, description, h != null ? h : (ex, q) -> profile(ex, q, kind), true);
    }

    public DebugOptions options() {
        return options;
    }

    /** True while the always-on recording runs. */
    public boolean flightRecorderRunning() {
        return flightRecorder != null && flightRecorder.running();
    }

    /** Stops the always-on recording, if any, and deletes what JFR kept of it. Safe to call more than once. */
    @Override
    public void close() {
        if (flightRecorder != null) {
            flightRecorder.close();
        }
    }

    /** How the flight recorder is described in the index and the start-up line. */
    private static String describe(ContinuousRecording fr) {
        long sec = fr.maxAge().toSeconds();
        String age = sec % 3600 == 0 ? sec / 3600 + " h" : sec % 60 == 0 ? sec / 60 + " min" : sec + " s";
        return "keeps the last " + age + ", at most " + (fr.maxBytes() >> 20)
                + " MB, JFR '" + fr.configuration() + "' settings";
    }

    /**
     * One line for the start-up log: where the endpoints are open, where they need the token, where they are off
     * and why, for a server bound to {@code bind} (0.0.0.0 / :: for every address).
     */
    public String describe(InetAddress bind) {
        String caps = "captures one at a time, at most " + options.maxSeconds() + " s; heap dumps "
                + (options.heapDumpsEnabled() ? "on" : "off")
                + (flightRecorder != null ? "; flight recorder on (/debug/jfr?last=5m; "
                + describe(flightRecorder) + ")"
                : options.flightRecorder() != null ? "; flight recorder FAILED to start: " + flightRecorderProblem : "");
        String host = bind.getHostAddress();
        String names = "Host localhost, 127.0.0.1" + (hosts.allowed().isEmpty() ? " or [::1]"
                : ", [::1] or " + String.join(", ", hosts.allowed()));
        if (bind.isLoopbackAddress()) {
            return "debug endpoints: /debug/pprof/ open on loopback " + host + " (no token needed; " + names
                    + " only); " + caps;
        }
        boolean any = bind.isAnyLocalAddress();
        if (tokenHash == null) {
            return "debug endpoints: OFF (404) on " + (any ? "non-loopback addresses" : host)
                    + ": not a loopback address and no debug token configured"
                    + (any ? "; open to connections to 127.0.0.1 (" + names + " only)"
                    : "; bind to 127.0.0.1 or configure a token file")
                    + "; " + caps;
        }
        return "debug endpoints: /debug/pprof/ on " + (any ? "every address" : host)
                + " require 'Authorization: Bearer <token>'" + (any ? " except on loopback" : "") + "; " + caps;
    }

    /** {@link #describe(InetAddress)} for a host name or address as given on a command line. */
    public String describe(String bindHost) {
        try {
            return describe(InetAddress.getByName(bindHost));
        } catch (UnknownHostException e) {
            return "debug endpoints: unknown bind address '" + Query.shown(bindHost) + "'";
        }
    }

    /**
     * Answers one request. Never throws for bad input (that is a 4xx response); an {@link IOException} means the
     * client went away while the response was being written.
     */
    public void handle(DebugExchange ex) throws IOException {
        try {
            dispatch(ex);
        } catch (DebugError e) {
            error(ex, e.status, e.getMessage(), e.headers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(ex, 503, "interrupted: the service is stopping", Map.of());
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "debug endpoint " + safePath(ex) + " failed", e);
            error(ex, 500, "internal error (see the service log)", Map.of());
        }
    }

    private static String safePath(DebugExchange ex) {
        String p = ex.rawPath();
        return p == null ? "?" : Query.shown(p.length() > 64 ? p.substring(0, 64) : p);
    }

    private void dispatch(DebugExchange ex) throws IOException, InterruptedException {
        String path = ex.rawPath() == null ? "" : ex.rawPath();
        authorize(ex);
        if (path.length() > MAX_PATH) {
            throw new DebugError(414, "the path is too long");
        }
        if (!"GET".equals(ex.method())) {
            throw new DebugError(405, "only GET is served here", Map.of("Allow", "GET"));
        }
        Endpoint e = endpoints.get(path);
        if (e == null && path.endsWith("/") && !path.equals(PPROF)) {
            e = endpoints.get(path.substring(0, path.length() - 1));
        }
        if (e == null || (e.name.equals("heapdump") && !options.heapDumpsEnabled())) {
            throw new DebugError(404, e == null ? "unknown path: see /debug/pprof/ for the list"
                    : "heap dumps are off: enable them with a heap dump folder");
        }
        Query q = Query.parse(ex.rawQuery(), e.params);
        e.handler.serve(ex, q);
    }

    private void authorize(DebugExchange ex) {
        if (ex.loopback()) {
            String why = hosts.refusal(ex.headers("Host"));
            if (why != null) {
                why += ": add the name to the allowed hosts (proflab serve --allow-host NAME)";
            } else {
                why = HostCheck.crossSite(ex.header("Sec-Fetch-Site"), ex.header("Sec-Fetch-Mode"),
                        ex.header("Sec-Fetch-Dest"), ex.header("Origin"), ex.header("Host"));
            }
            if (why == null) {
                return;
            }
            if (tokenHash == null || ex.header("Authorization") == null) {
                throw new DebugError(403, why + (tokenHash == null ? "" : "; or send 'Authorization: Bearer <token>'"));
            }
            // with the token, as on any other address
        } else if (tokenHash == null) {
            throw new DebugError(404, "not found");
        }
        String auth = ex.header("Authorization");
        byte[] given = new byte[0];
        if (auth != null && auth.length() > 7 && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = auth.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        }
        // hash both sides: equal lengths, and MessageDigest.isEqual does not stop at the first difference
        if (!MessageDigest.isEqual(sha256(given), tokenHash) || given.length == 0) {
            throw new DebugError(401, auth == null ? "authorization required: send 'Authorization: Bearer <token>'"
                    : "invalid token", Map.of("WWW-Authenticate", "Bearer realm=\"debug\""));
        }
    }

    // ---- endpoints ---------------------------------------------------------------------------------------------

    /**
     * The CPU profile. Default event: {@code itimer} (setitimer(ITIMER_PROF), one timer for the whole process, as
     * Go's profiler had for years): every 10 ms of the process's CPU time is one sample, whichever thread spent
     * it, including threads that live a few ms. async-profiler's {@code cpu} (perf_events) counts CPU time per
     * thread from the thread's start, so a thread records nothing until it has run a whole interval: a service
     * that starts threads per request loses most of its CPU time (measured: 3-9% of it; docs/debug-endpoints.md).
     * {@code event=cpu} stays available (kernel frames as root). Without async-profiler, JFR's execution samples.
     */
    private void cpu(DebugExchange ex, Query q) throws IOException, InterruptedException {
        String event = q.get("event");
        Event e = asyncProfilerUsable() ? Event.ITIMER : Event.CPU;
        if (event != null) {
            e = switch (event.strip().toLowerCase(Locale.ROOT)) {
                case "cpu" -> Event.CPU;
                case "itimer" -> Event.ITIMER;
                default -> throw new DebugError(400, "event: unknown '" + Query.shown(event) + "': use itimer or cpu");
            };
        }
        profile(ex, q, ProfileKind.CPU, e, false);
    }

    private static boolean asyncProfilerUsable() {
        try {
            return dev.proflab.capture.AsyncProfilerLibrary.probe().usable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The profile of a kind, recorded with its event. */
    private void profile(DebugExchange ex, Query q, ProfileKind kind) throws IOException, InterruptedException {
        profile(ex, q, kind, Event.of(kind), false);
    }

    private void heap(DebugExchange ex, Query q) throws IOException, InterruptedException {
        long debug = q.number("debug", 0, 0, 1);
        boolean gc = q.flag("gc", false);
        if (debug == 1) {
            if (q.has("seconds") || q.has("format")) {
                throw new DebugError(400, "debug=1 is the class histogram now: it takes no seconds or format");
            }
            sendText(ex, JvmState.classHistogram(gc));
            return;
        }
        AsyncProfilerLibrary.Status lib = AsyncProfilerLibrary.probe();
        if (!lib.usable()) {
            // JFR's old-object samples are no heap profile: say so rather than answer an empty one
            throw new DebugError(503, "heap profile: needs async-profiler, which cannot load here ("
                    + scrub(lib.problem()) + "); heap?debug=1 gives the class histogram");
        }
        profile(ex, q, ProfileKind.HEAP, Event.of(ProfileKind.HEAP), gc);
    }

    private void goroutine(DebugExchange ex, Query q) throws IOException {
        long debug = q.number("debug", 0, 0, 2);
        if (debug > 0) {
            if (q.has("format")) {
                throw new DebugError(400, "format: not with debug=" + debug + " (that is text)");
            }
            sendText(ex, debug == 1 ? JvmState.threadGroups() : JvmState.threadDump());
            return;
        }
        ExportFormat f = format(q);
        if (f == ExportFormat.JFR) {
            throw new DebugError(400, "format: a thread dump is not a recording: use pprof, collapsed or html");
        }
        sendProfile(ex, JvmState.threads(), f, "goroutine", "threads");
    }

    private void trace(DebugExchange ex, Query q) throws IOException, InterruptedException {
        int seconds = seconds(q, 1);
        recording(ex, "trace", seconds, "default", CaptureSettings.TIMELINE_SETTINGS, "trace.jfr");
    }

    private void jfr(DebugExchange ex, Query q) throws IOException, InterruptedException {
        String last = q.get("last");
        if (last != null) {
            if (q.get("seconds") != null) {
                throw new DebugError(400, "last, seconds: one or the other (last: what was recorded; seconds: a new"
                        + " recording)");
            }
            lastMinutes(ex, parseSpan(last));
            return;
        }
        int seconds = seconds(q, options.defaultSeconds());
        recording(ex, "jfr recording", seconds, "profile", Map.of(), "recording.jfr");
    }

    private static final Pattern SPAN = Pattern.compile("(\\d{1,7})([smh]?)");

    /** {@code ?last=}: 300, 300s, 5m or 1h; 1 s to 7 days. */
    static Duration parseSpan(String value) {
        Matcher m = SPAN.matcher(value.strip());
        if (!m.matches()) {
            throw new DebugError(400, "last: '" + Query.shown(value) + "' is not a duration: use e.g. 90s, 5m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero() || d.compareTo(Duration.ofDays(7)) > 0) {
            throw new DebugError(400, "last: must be 1 s to 7 days, was '" + Query.shown(value) + "'");
        }
        return d;
    }

    /** The last {@code span} of the always-on recording (all of it when it is younger), sent as it is. */
    private void lastMinutes(DebugExchange ex, Duration span) throws IOException {
        if (flightRecorder == null) {
            if (flightRecorderProblem != null) {
                throw new DebugError(503, "last: the flight recorder did not start: " + flightRecorderProblem);
            }
            throw new DebugError(404, "last: no flight recorder runs in this service (it is off unless configured:"
                    + " proflab serve --flight-recorder, DebugOptions.flightRecorder); ?seconds= records a new one");
        }
        if (!dumping.tryAcquire()) {
            throw new DebugError(409, "the flight recorder is being dumped for another request: retry shortly",
                    Map.of("Retry-After", "5"));
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory(options.tempFolder(), "proflab-debug-");
            ContinuousRecording.Dump d;
            try {
                d = flightRecorder.dumpLast(span, dir.resolve("flight.jfr"));
            } catch (CaptureException e) {
                throw new DebugError(503, "last: " + scrub(e.getMessage()));
            }
            ex.header("X-Profile-Engine", "jfr");
            ex.header("X-Recording-From", d.from().toString());
            ex.header("X-Recording-To", d.to().toString());
            sendFile(ex, d.file(), "flight-" + d.to().toString().replace(":", "").replaceAll("\\..*", "") + ".jfr");
        } finally {
            dumping.release();
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    private void heapDump(DebugExchange ex, Query q) throws IOException {
        boolean live = q.flag("gc", false);
        Path folder = options.heapDumpFolder();
        String name = "heap-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"))
                + "-" + ProcessHandle.current().pid() + ".hprof";
        ObjectNode o = Json.MAPPER.createObjectNode();
        SelfCapture.Slot slot = acquire("heap dump", 30);
        try {
            Files.createDirectories(folder);
            long need = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (folder.toFile().getUsableSpace() < need + (64L << 20)) {
                throw new DebugError(507, "not enough free space in the heap dump folder for a heap of "
                        + (need >> 20) + " MiB");
            }
            HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            long t0 = System.nanoTime();
            hs.dumpHeap(folder.resolve(name).toString(), live);
            o.put("file", name);
            o.put("bytes", Files.size(folder.resolve(name)));
            o.put("live", live);
            o.put("millis", (System.nanoTime() - t0) / 1_000_000);
            o.put("note", "written to the configured heap dump folder on the server; not sent over HTTP");
            LOG.log(System.Logger.Level.INFO, "heap dump written: " + folder.resolve(name));
        } catch (IOException | RuntimeException e) {
            if (e instanceof DebugError d) {
                throw d;
            }
            LOG.log(System.Logger.Level.WARNING, "heap dump failed", e);
            throw new DebugError(503, "the heap dump could not be written (see the service log)");
        } finally {
            slot.close();
        }
        send(ex, 200, "application/json", null, Json.MAPPER.writeValueAsBytes(o));
    }

    private void index(DebugExchange ex) throws IOException {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                + "<title>/debug/pprof/</title><style>body{font-family:sans-serif}td{padding:2px 12px 2px 0;"
                + "vertical-align:top}.p{font-size:smaller;color:#555}</style></head><body>\n"
                + "<p>/debug/pprof/ on a JVM (" + html(System.getProperty("java.runtime.version", "")) + ")</p>\n"
                + "<p>Profiles are gzipped profile.proto (go tool pprof URL); add format=jfr, collapsed or html."
                + " Captures run one at a time, seconds=1.." + options.maxSeconds() + ".</p>\n"
                + "Types of profiles available:\n<table>\n<thead><td>Profile</td><td>What</td></thead>\n");
        for (Map.Entry<String, Endpoint> en : endpoints.entrySet()) {
            Endpoint e = en.getValue();
            if (!e.listed) {
                continue;
            }
            String link = switch (e.name) {
                case "goroutine" -> e.name + "?debug=1";
                case "heap" -> e.name + "?debug=1";
                case "heapdump" -> e.name;
                default -> e.name + "?seconds=" + Math.min(5, options.maxSeconds()) + "&amp;format=html";
            };
            sb.append("<tr><td><a href=\"").append(link).append("\">").append(e.name).append("</a></td><td>")
                    .append(html(e.description)).append("</td></tr>\n");
        }
        sb.append("<tr><td><a href=\"../jfr?").append(flightRecorder != null ? "last=5m" : "seconds=5")
                .append("\">/debug/jfr</a></td><td>")
                .append(html(endpoints.get("/debug/jfr").description)).append("</td></tr>\n");
        sb.append("<tr><td><a href=\"../gc\">/debug/gc</a></td><td>")
                .append(html(endpoints.get("/debug/gc").description)).append("</td></tr>\n");
        sb.append("</table>\n<p class=\"p\">Engine: async-profiler when it loads in this JVM, else JDK Flight"
                + " Recorder (wall needs async-profiler).</p>\n</body></html>\n");
        send(ex, 200, "text/html; charset=utf-8", null, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    // ---- capturing ---------------------------------------------------------------------------------------------

    private int seconds(Query q, int dflt) {
        return (int) q.number("seconds", dflt, 1, options.maxSeconds());
    }

    private static ExportFormat format(Query q) {
        String f = q.get("format");
        if (f == null) {
            return ExportFormat.PPROF;
        }
        try {
            return ExportFormat.parse(f);
        } catch (ExportException | IllegalArgumentException e) {
            throw new DebugError(400, "format: unknown '" + Query.shown(f) + "': use pprof, jfr, collapsed, html or svg");
        }
    }

    private static SelfCapture.Slot acquire(String what, int seconds) {
        try {
            return SelfCapture.acquire(what, Duration.ofSeconds(seconds));
        } catch (SelfCapture.Busy b) {
            throw busy(b);
        }
    }

    private static DebugError busy(SelfCapture.Busy b) {
        return new DebugError(409, b.getMessage(), Map.of("Retry-After", Long.toString(b.secondsLeft())));
    }

    /**
     * Records a profile of {@code kind} with {@code event} for ?seconds= (by default {@link DebugOptions#defaultSeconds()}
     * for a window kind, {@link DebugOptions#shortSeconds()} for a snapshot), then answers in ?format=.
     */
    private void profile(DebugExchange ex, Query q, ProfileKind kind, Event event, boolean gcAtEnd)
            throws IOException, InterruptedException {
        String what = kind.title();
        String name = kind.endpoint();
        String readEvent = kind.readEvent();
        int seconds = seconds(q, kind.isWindow() ? options.defaultSeconds() : options.shortSeconds());
        ExportFormat format = format(q);
        CaptureSettings settings = new CaptureSettings(EnumSet.of(event), null, CaptureSettings.DEFAULT_ALLOC_BYTES,
                options.lockThreshold(), false);
        Path dir = null;
        try {
            SelfCapture.Result r;
            try (SelfCapture.Slot slot = acquire(what, seconds)) {
                dir = Files.createTempDirectory(options.tempFolder(), "proflab-debug-");
                BooleanSupplier stop = stopper(ex, seconds, gcAtEnd);
                r = SelfCapture.profile(slot, settings, null, Duration.ofSeconds(seconds), dir.resolve(name + ".jfr"),
                        stop);
            } catch (SelfCapture.Busy b) {
                throw busy(b);
            } catch (CaptureException e) {
                throw new DebugError(503, what + ": " + scrub(e.getMessage()));
            }
            if (r.stoppedEarly() && ex.clientGone()) {
                return; // nobody to answer
            }
            ex.header("X-Profile-Engine", r.engine().id());
            if (format == ExportFormat.JFR) {
                sendFile(ex, r.file(), name + ".jfr");
                return;
            }
            Profile p;
            try {
                p = ProfileReader.read(r.file(), ReadOptions.defaults().withEvent(readEvent).withAggregate(true));
            } catch (ProfileException e) {
                p = null; // no samples of the event: answer an empty profile of its kind
            }
            if (p == null) {
                p = empty(readEvent, seconds, r.engine().id());
            }
            sendProfile(ex, JvmState.withoutSource(p), format, name, what);
        } finally {
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    /** A JFR recording of this JVM, sent as it is. */
    private void recording(DebugExchange ex, String what, int seconds, String configuration,
                           Map<String, String> overlay, String fileName) throws IOException, InterruptedException {
        Path dir = null;
        try {
            SelfCapture.Result r;
            try (SelfCapture.Slot slot = acquire(what, seconds)) {
                dir = Files.createTempDirectory(options.tempFolder(), "proflab-debug-");
                r = SelfCapture.flightRecording(slot, configuration, overlay, Duration.ofSeconds(seconds),
                        dir.resolve(fileName), stopper(ex, seconds, false));
            } catch (CaptureException e) {
                throw new DebugError(503, what + ": " + scrub(e.getMessage()));
            }
            if (r.stoppedEarly() && ex.clientGone()) {
                return;
            }
            ex.header("X-Profile-Engine", r.engine().id());
            sendFile(ex, r.file(), fileName);
        } finally {
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    /** Stops when the client has gone; with {@code gcAtEnd}, runs a full GC just before the end. */
    private static BooleanSupplier stopper(DebugExchange ex, int seconds, boolean gcAtEnd) {
        long gcAt = System.nanoTime() + seconds * 1_000_000_000L - 300_000_000L;
        boolean[] done = {!gcAtEnd};
        return () -> {
            if (!done[0] && System.nanoTime() >= gcAt) {
                done[0] = true;
                System.gc();
            }
            return ex.clientGone();
        };
    }

    private static Profile empty(String event, int seconds, String engine) {
        List<dev.proflab.profile.ValueType> types = switch (event) {
            case "alloc" -> List.of(vt("alloc_objects", "count"), vt("alloc_space", "bytes"));
            case "live" -> List.of(vt("inuse_objects", "count"), vt("inuse_space", "bytes"));
            case "lock" -> List.of(vt("contentions", "count"), vt("delay", "nanoseconds"));
            case "wall" -> List.of(vt("samples", "count"), vt("wall", "nanoseconds"));
            default -> List.of(vt("samples", "count"), vt("cpu", "nanoseconds"));
        };
        return new Profile.Builder(new Profile.Meta(engine, event, 0, java.time.Instant.now().minusSeconds(seconds),
                Duration.ofSeconds(seconds), System.getProperty("java.runtime.version", ""), "", ""), types).build();
    }

    private static dev.proflab.profile.ValueType vt(String t, String u) {
        return new dev.proflab.profile.ValueType(t, u);
    }

    /** Messages of the engines may name files: keep the words, drop the paths. */
    static String scrub(String message) {
        if (message == null) {
            return "failed";
        }
        String s = message.replaceAll("(?<![\\w.])(?:[A-Za-z]:)?[/\\\\][^\\s;:'\"()]+", "<path>");
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    // ---- responses ---------------------------------------------------------------------------------------------

    private void sendProfile(DebugExchange ex, Profile p, ExportFormat format, String name, String title)
            throws IOException {
        byte[] body;
        try {
            body = format.export(p, null, title + " (" + p.sampleCount() + " samples)");
        } catch (ExportException e) {
            throw new DebugError(400, "format: " + scrub(e.getMessage()));
        }
        switch (format) {
            case PPROF -> send(ex, 200, "application/octet-stream", name + ".pb.gz", body);
            case COLLAPSED -> send(ex, 200, "text/plain; charset=utf-8", null, body);
            case HTML -> send(ex, 200, "text/html; charset=utf-8", null, body);
            case SVG -> send(ex, 200, "image/svg+xml", null, body);
            case JFR -> throw new DebugError(400, "format: jfr is not available here");
        }
    }

    private static void sendText(DebugExchange ex, String text) throws IOException {
        send(ex, 200, "text/plain; charset=utf-8", null, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The pages (the index, {@code format=html} and {@code svg}) are self-contained: their inline styles and script
     * run, nothing else loads or is sent anywhere, and no other site may frame them.
     */
    static final String PAGE_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
            + " img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static void common(DebugExchange ex, String type, String attachment) {
        ex.header("Content-Type", type);
        ex.header("Cache-Control", "no-store");
        ex.header("X-Content-Type-Options", "nosniff");
        ex.header("Referrer-Policy", "no-referrer");
        if (type.startsWith("text/html") || type.startsWith("image/svg")) {
            ex.header("Content-Security-Policy", PAGE_POLICY);
            ex.header("X-Frame-Options", "DENY");
        }
        if (attachment != null) {
            ex.header("Content-Disposition", "attachment; filename=\"" + attachment + "\"");
        }
    }

    private static void send(DebugExchange ex, int status, String type, String attachment, byte[] body)
            throws IOException {
        common(ex, type, attachment);
        try (OutputStream out = ex.send(status, body.length)) {
            out.write(body);
        }
    }

    private static void sendFile(DebugExchange ex, Path file, String attachment) throws IOException {
        common(ex, "application/octet-stream", attachment);
        try (InputStream in = Files.newInputStream(file); OutputStream out = ex.send(200, Files.size(file))) {
            in.transferTo(out);
        }
    }

    private static void error(DebugExchange ex, int status, String message, Map<String, String> headers)
            throws IOException {
        headers.forEach(ex::header);
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("error", message == null ? "error" : message);
        o.put("status", status);
        byte[] body = (Json.MAPPER.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
        send(ex, status, "application/json", null, body);
    }

    private static String html(String s) {
        return Escape.xml(s);
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot delete " + p + ": " + e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
