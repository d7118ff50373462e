package dev.proflab.viewer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.proflab.export.ExportException;
import dev.proflab.export.FrameColors;
import dev.proflab.export.SampleIndex;
import dev.proflab.net.HostCheck;
import dev.proflab.profile.EventInfo;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileException;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;
import dev.proflab.profile.ValueType;
import dev.proflab.report.JsonReport;
import dev.proflab.report.Regex;
import dev.proflab.report.ReportException;
import dev.proflab.report.CallIndex;
import dev.proflab.report.Selection;
import dev.proflab.report.Top;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local web UI of one profile: a JSON API computed from the profile model with the reports of
 * {@code core}, and a static page (flame graph, top table) served from the jar.
 *
 * <pre>{@code
 * ViewerServer v = new ViewerServer(Path.of("cpu.jfr"), null);   // reads it now: errors before listening
 * v.start("127.0.0.1", 0);                                         // 0: any free port
 * System.out.println(v.url());
 * v.stop();
 * }</pre>
 *
 * <p>API (every parameter optional; a bad one is a 400 with {@code {"error": "..."}}):
 * <ul>
 *   <li>{@code GET /api/meta?event=E}: file, engine, JDK, the events in the file, duration, value
 *       types with their totals, the colour legend;
 *   <li>{@code GET /api/flame?event=&sampleIndex=&focus=&ignore=&hide=&thread=&minFraction=}: the merged
 *       call tree, {@code {"event", "value_type", "unit", "total", "nodes", "depth", "root": {"name",
 *       "self", "total", "kind", "category", "color", "children": [...]}}}; with {@code inverted=1} the tree
 *       bottom-up ({@link dev.proflab.report.Inverted}): the frames that were running at the root's children,
 *       below each its callers;
 *   <li>{@code GET /api/top?event=&sampleIndex=&focus=&ignore=&hide=&thread=&n=&cum=}: the rows of
 *       {@code proflab top --format json};
 *   <li>{@code /api/source}, {@code /api/peek}, {@code /api/sandwich}: one function ({@link FunctionApi}).
 *   <li>{@code GET /api/heatmap?event=&focus=&ignore=&hide=&thread=&columns=}: the sample-density heatmap, columns of
 *       time and rows of sub-column buckets ({@link HeatmapApi});
 *   <li>{@code GET /api/findings}: the findings of {@code proflab analyze --format json}, each with the frames and
 *       threads of its evidence ({@link FindingsApi}; JDK Mission Control's rules in the background).
 * </ul>
 *
 * <p>The regular expressions of a request are matched within a budget ({@link #matchBudget(Duration)},
 * 1 s in all): one that backtracks for longer is stopped, and the request answers 400 naming it.
 *
 * <p>Given a folder instead of a file ({@code proflab view profiles/}), it serves the profiles collected
 * there over time ({@link HistoryApi}): {@code GET /api/history} lists them on a time axis, and every
 * endpoint above answers for the windows of {@code kind=} and {@code range=} (one, or several merged),
 * {@code /api/diff/*} for {@code base=} against {@code range=}.
 *
 * <p>It has no token: what listens on loopback is open to every program of the machine, and to nothing else. So,
 * against DNS rebinding (a page of {@code evil.example} whose name then resolves to 127.0.0.1 sends
 * {@code Host: evil.example}), every request, pages and files included, must name a host it answers to
 * ({@link HostCheck#of}: {@code localhost}, {@code 127.0.0.1} or {@code [::1]} with any port, the
 * {@linkplain #allowHosts allowed hosts}, and when started on another address, that address and any IP literal);
 * and no other site's page may send it ({@link HostCheck#crossSite}: an {@code <img>} or {@code fetch} of
 * {@code evil.example} that names 127.0.0.1). Else 403 with {@code {"error": "..."}}. Every answer says
 * {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer}, {@code X-Frame-Options: DENY}
 * and the {@link #CONTENT_SECURITY_POLICY} (the page's scripts and styles come from its own files only).
 *
 * <p>It is served by the JDK's {@code com.sun.net.httpserver.HttpServer}, no web framework (it listens within tens
 * of milliseconds), and holds up under clients that misbehave: {@link #THREADS} threads read requests and write
 * answers, {@link #COMPUTING} of them compute at a time (the reports are CPU-bound) while the others wait their
 * turn; a request must arrive whole within {@link #MAX_REQUEST_SECONDS} s (one that sends part of a request holds
 * a thread no longer; one that sends nothing holds none) and its answer be written within
 * {@link #MAX_RESPONSE_SECONDS} s ({@code sun.net.httpserver.maxReqTime} and {@code maxRspTime}, set for the JVM
 * before its first server unless given with {@code -D}). A request with a body is refused (413), a URI of more than
 * {@link #MAX_URI} characters too (414); a request line the JDK server cannot parse (a malformed %-escape, a raw
 * {@code |} in the query) gets its own 400 page. As the page always had it: {@code HEAD} of a path it serves is a
 * 200 without a body, computed from nothing; any other method, and any other path, a 404 {@code text/plain}
 * {@code Endpoint METHOD PATH not found}; a query parameter given twice is its first value.
 */
public final class ViewerServer {

    /** Default share of the total under which flame graph nodes are left out. */
    static final double MIN_FRACTION = 0.0005;

    /**
     * The page's policy: its own scripts, styles, requests and workers only; no inline script or style attribute,
     * no plugin, no other site framing it.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";

    private static final String WEB = "/dev/proflab/viewer/web/";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final String CSS = "text/css; charset=utf-8";
    /** The page's files, read from the jar at their first request. */
    private static final Map<String, byte[]> ASSETS = new ConcurrentHashMap<>();
    /** The longest request URI answered (path and query; Jetty's default under Javalin): longer is a 414. */
    static final int MAX_URI = 8192;
    /**
     * Threads that read requests and write answers: a client that sends part of a request holds one until
     * {@link #MAX_REQUEST_SECONDS}; one that sends nothing holds none.
     */
    static final int THREADS = 16;
    /** Connections waiting for one of the {@link #THREADS}; past these, a new one is closed. */
    static final int QUEUE = 64;
    /** API requests computed at once (the reports are CPU-bound); the others wait, their request read. */
    static final int COMPUTING = Math.clamp(Runtime.getRuntime().availableProcessors(), 4, 8);
    static final int MAX_REQUEST_SECONDS = 10;
    static final int MAX_RESPONSE_SECONDS = 60;
    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();

    /**
     * What a sample takes in a profile that keeps each in its own row: a stack id, a thread id, a time and two values
     * (e.g. samples and nanoseconds).
     */
    static final int BYTES_PER_SAMPLE = 32;

    private final Path file;
    /** Several recordings shown merged ({@code proflab view a.jfr b.jfr}), {@code file} the first; null for one. */
    private final List<Path> parts;
    /** The most bytes the samples of one event may take and be kept one row each ({@link #merge}). */
    private final long perSampleBytes;
    private final List<EventInfo> events;
    private final String defaultEvent;
    private final Map<String, Profile> profiles = new ConcurrentHashMap<>();
    /** The profile to compare against ({@code --base}), or null; its events, and its profiles per event. */
    private final Path base;
    private final List<EventInfo> baseEvents;
    private final Map<String, Profile> baseProfiles = new ConcurrentHashMap<>();
    /** The time ranges selected on the page, read again from the file (or the base) for that range. */
    private final RangeReads ranges;
    private final DiffApi diffApi = new DiffApi(this);
    private final TimelineApi timelineApi;
    /** A folder of profiles over time ({@code proflab view DIR}), or null for one file. */
    private final HistoryApi history;
    private final FunctionApi functions = new FunctionApi(this::selected,
            dev.proflab.report.Lines.defaultSourceRoots(Path.of("").toAbsolutePath()));
    /** The findings panel of one file (null for a folder: {@link FindingsApi#findings(Exchange, HistoryApi.Picked)}). */
    private final FindingsApi findings;
    /** The heatmap of one file (a folder's: {@link HeatmapApi#folder}). */
    private final HeatmapApi heatmap;
    private final List<String> allowHosts = new ArrayList<>();
    private HttpServer server;
    private ThreadPoolExecutor threads;
    private final Semaphore computing = new Semaphore(COMPUTING, true);
    private String url;
    private volatile Duration matchBudget = Regex.DEFAULT_BUDGET;

    /**
     * Reads the file's events and the one to show first (null: the main one). Given a folder, serves
     * the profiles collected there over time ({@link HistoryApi}); {@code event} is then the kind shown
     * first (cpu, heap, allocs, mutex, block, wall; null: cpu when there is any).
     *
     * @throws ProfileException when the file is missing, not a profile, or lacks the event; when the
     *     folder cannot be listed or {@code event} is no kind
     */
    public ViewerServer(Path file, String event) {
        this(file, null, event);
    }

    /**
     * As {@link #ViewerServer(Path, String)}, with a profile to compare against (null: none): the
     * page then shows base, current and their difference ({@link DiffApi}).
     *
     * @throws ProfileException when either file is missing, not a profile, or the base has none of
     *     the file's events; when {@code file} is a folder and {@code base} is not null (a folder's
     *     page compares two ranges of its windows instead)
     */
    public ViewerServer(Path file, Path base, String event) {
        this(file, base, event, Runtime.getRuntime().maxMemory() / 8);
    }

    /**
     * As {@link #ViewerServer(Path, Path, String)}, keeping each sample of an event in its own row when the
     * recording's samples of it take at most {@code perSampleBytes} ({@link #BYTES_PER_SAMPLE} each; by default an
     * eighth of the heap), else merging them per stack and thread.
     */
    ViewerServer(Path file, Path base, String event, long perSampleBytes) {
        this(List.of(Objects.requireNonNull(file, "file")), base, event, perSampleBytes);
    }

    /**
     * Several recordings on one page, merged per event as the CLI's reports merge them: each sample labelled with its
     * file ({@code tagfocus=file=...}). The thread timeline and time ranges, which read one recording, are not
     * offered for them. One recording: as {@link #ViewerServer(Path, Path, String)}.
     *
     * @throws ProfileException as for one file, or when one of several is a folder
     */
    public ViewerServer(List<Path> files, Path base, String event) {
        this(files, base, event, Runtime.getRuntime().maxMemory() / 8);
    }

    ViewerServer(List<Path> files, Path base, String event, long perSampleBytes) {
        Path file = files.get(0);
        this.file = Objects.requireNonNull(file, "file");
        this.parts = files.size() > 1 ? List.copyOf(files) : null;
        if (parts != null) {
            for (Path f : parts) {
                if (Files.isDirectory(f)) {
                    throw new ProfileException(f, "a folder of windows is shown alone (proflab view DIR), not with"
                            + " other recordings");
                }
            }
        }
        this.perSampleBytes = perSampleBytes;
        this.ranges = new RangeReads(base == null ? 1 : 2);
        Thread.ofVirtual().name("proflab-view-json").start(Json::warm);   // while the file is read
        if (Files.isDirectory(file)) {
            // a folder of windows: read when the page asks for them
            if (base != null) {
                throw new ProfileException("--base " + base + ": with a folder the page compares two ranges of its"
                        + " windows (select one, then Compare); --base takes a file");
            }
            this.history = new HistoryApi(file, event);
            this.timelineApi = null;
            this.events = List.of();
            this.defaultEvent = null;
            this.base = null;
            this.baseEvents = List.of();
            this.findings = null;
            this.heatmap = null;
            return;
        }
        this.history = null;
        this.heatmap = new HeatmapApi(file);
        this.events = parts == null ? ProfileReader.events(file) : events(parts);
        this.timelineApi = parts != null ? null
                : new TimelineApi(file, events.stream().mapToLong(EventInfo::count).sum());
        if (events.isEmpty()) {
            throw new ProfileException(file, "no samples in this recording: it has none of the events proflab reads ("
                    + String.join(", ", ProfileReader.EVENTS) + ")");
        }
        String e = event == null || event.isBlank() ? events.get(0).name() : event.strip();
        Profile p = load(e, true);
        this.defaultEvent = p.meta().event();
        this.findings = new FindingsApi(file, this::forRules, !p.meta().engine().equals("pprof"),
                () -> timelineApi.longest(dev.proflab.profile.Timeline.Band.Kind.GC));
        this.base = base;
        if (base == null) {
            this.baseEvents = List.of();
            return;
        }
        this.baseEvents = ProfileReader.events(base);
        if (baseEvents.isEmpty()) {
            throw new ProfileException(base, "no samples in this recording: it has none of the events proflab reads ("
                    + String.join(", ", ProfileReader.EVENTS) + ")");
        }
        List<String> mine = events.stream().map(EventInfo::name).toList();
        List<String> theirs = baseEvents.stream().map(EventInfo::name).toList();
        if (theirs.stream().noneMatch(mine::contains)) {
            throw new ProfileException("--base " + base + " records " + String.join(", ", theirs) + "; " + file
                    + " records " + String.join(", ", mine) + ": nothing to compare");
        }
        // a broken base fails now, before listening
        loadBase(theirs.contains(defaultEvent) ? defaultEvent
                : theirs.stream().filter(mine::contains).findFirst().orElseThrow(), false);
    }

    /**
     * Host names or addresses (without a port) that requests may name besides {@code localhost}, {@code 127.0.0.1}
     * and {@code [::1]}, e.g. this machine's name when started on another address ({@code --allow-host}); before
     * {@link #start}. Adds to those given before.
     *
     * @throws ViewerException naming the value when one is not a host name or an address literal
     */
    public synchronized ViewerServer allowHosts(List<String> hosts) {
        for (String h : hosts) {
            try {
                allowHosts.add(HostCheck.allowedName(h));
            } catch (IllegalArgumentException e) {
                throw new ViewerException("--allow-host " + e.getMessage(), e);
            }
        }
        return this;
    }

    /** Listens on {@code host:port} (port 0: any free one) and serves until {@link #stop()}. */
    public synchronized ViewerServer start(String host, int port) {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        HostCheck hosts = HostCheck.of(host, allowHosts);
        String where = host + ":" + port;
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new ViewerException("cannot listen on " + where + ": unknown host " + host, null);
        }
        limits();
        // a report that would fill the heap stops with a 503 before the server's own threads run out of memory
        dev.proflab.io.HeapBudget.watch();
        HttpServer s;
        try {
            s = HttpServer.create(address, 0);
        } catch (BindException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            throw new ViewerException(m.toLowerCase(java.util.Locale.ROOT).contains("in use")
                    ? "port " + port + " on " + host + " is in use: pick another with --port"
                    : "cannot listen on " + where + ": " + m, e);
        } catch (IOException | RuntimeException e) {
            throw new ViewerException("cannot listen on " + where + ": " + e.getMessage(), e);
        }
        // threads that read requests and write answers, a bounded number (what does not fit in the queue is closed
        // rather than held); COMPUTING of them at a time run a report (CPU-bound), the others wait their turn
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "proflab-view-" + THREAD_NUMBERS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        s.setExecutor(pool);
        s.createContext("/", x -> handle(x, hosts));
        s.start();
        server = s;
        threads = pool;
        String h = host.contains(":") ? "[" + host + "]" : host;
        url = "http://" + h + ":" + s.getAddress().getPort() + "/";
        if (history != null) {
            return this;
        }
        // the page's first answers are computed on the side, the timeline read too (the page asks for it right
        // after the flame graph)
        Thread.ofVirtual().name("proflab-view-warm").start(() -> {
            warmDefaultView();
            findings.startJmc();   // JMC's rules take seconds on a large file: after the page's first answers
        });
        Thread.ofVirtual().name("proflab-view-timeline").start(() -> {
            try {
                if (timelineApi != null) {
                    timelineApi.ready();
                }
            } catch (RuntimeException e) {
                // the page's request reads it again and reports the error there
            }
        });
        Thread.ofVirtual().name("proflab-view-diff").start(diffApi::warm);   // the unfiltered diff, kept
        return this;
    }

    /** The port it listens on (after {@link #start}). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT/} (after {@link #start}). */
    public String url() {
        return url;
    }

    /**
     * Where the Source view looks for a method's file, first to last (default: the current folder's
     * {@code src/main/java} and its modules', as {@code proflab list} does).
     */
    public ViewerServer sourceRoots(List<Path> roots) {
        functions.sourceRoots(roots);
        return this;
    }

    /**
     * How long one request may spend matching its regular expressions ({@code focus}, {@code ignore},
     * {@code hide}, {@code thread}) against the names of the profile, in all (default
     * {@link Regex#DEFAULT_BUDGET}, 1 s): past it the request stops and answers 400 naming the parameter.
     */
    public ViewerServer matchBudget(Duration limit) {
        Regex.Budget.of(limit);   // checks it
        this.matchBudget = limit;
        return this;
    }

    /**
     * How far JDK Mission Control's rules may go for the findings panel (as {@code proflab analyze --jmc-max-size}
     * and {@code --jmc-timeout}); null: they do not run. Before {@link #start}.
     */
    public ViewerServer jmcLimits(dev.proflab.analysis.JmcRules.Limits limits) {
        if (findings != null) {
            findings.limits(limits);
        }
        return this;
    }

    /** The event shown first (null for a folder). */
    public String defaultEvent() {
        return defaultEvent;
    }

    /** Whether it serves a folder of profiles collected over time rather than one file. */
    public boolean isFolder() {
        return history != null;
    }

    /** For a folder: how many windows it holds now (0 for a file). */
    public int windowCount() {
        return history == null ? 0 : history.listing().windows().size();
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            threads.shutdownNow();
            server = null;
            threads = null;
        }
    }

    // ---- every request ------------------------------------------------------------------------

    /** Refused: 403 with a JSON error. */
    private static final class Forbidden extends RuntimeException {
        Forbidden(String message) {
            super(message, null, false, false);
        }
    }

    /** Answers one request: {@link #answer}, then sends what it set. */
    private void handle(HttpExchange x, HostCheck hosts) {
        try (x) {
            URI uri = x.getRequestURI();
            Headers in = x.getRequestHeaders();
            Exchange ctx = new Exchange(uri.getRawQuery(), in::get, () -> matchBudget);
            boolean head = x.getRequestMethod().equals("HEAD");
            answer(ctx, x.getRequestMethod(), uri, hasBody(in), hosts);
            send(x, ctx, head);
        } catch (IOException | RuntimeException e) {
            // the client left before the answer was sent (or the server refused what it sent): nobody to tell
        }
    }

    /**
     * What a request gets: the security headers and the host checks first (403), then the GET route of the path (a
     * trailing slash ignored; HEAD: 200 and no body, the route not run), or 404 naming the method and the path; an
     * error of the API is a JSON error (400, 403, 500).
     */
    private void answer(Exchange ctx, String method, URI uri, boolean body, HostCheck hosts) {
        String path = uri.getRawPath();
        try {
            guard(ctx, hosts, uri);
            int length = path.length() + (uri.getRawQuery() == null ? 0 : uri.getRawQuery().length() + 1);
            if (length > MAX_URI) {
                error(ctx, 414, "the request's URI is " + length + " characters long: at most " + MAX_URI);
                return;
            }
            boolean head = method.equals("HEAD");
            String p = path;
            Runnable route = head || method.equals("GET") ? route(p, ctx) : null;
            if (route == null && path.length() > 2 && path.endsWith("/")) {
                p = path.substring(0, path.length() - 1);
                route = route(p, ctx);
            }
            if (route == null) {
                ctx.status(404).result("Endpoint " + method + " " + path + " not found");
            } else if (body) {
                error(ctx, 413, "a request with a body is refused: the viewer answers GET requests, without one");
                ctx.header("Connection", "close");
            } else if (head) {
                // as the page's server always answered HEAD: 200, nothing computed
            } else if (p.startsWith("/api/")) {
                computing.acquire();
                try {
                    route.run();
                } finally {
                    computing.release();
                }
            } else {
                route.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(ctx, 503, "the viewer is stopping");
        } catch (Forbidden e) {
            error(ctx, 403, e.getMessage());
        } catch (BadRequest | ProfileException | ReportException | ExportException e) {
            error(ctx, 400, e.getMessage());
        } catch (OutOfMemoryError e) {
            // what the request held is garbage now: the server answers the next one
            error(ctx, 503, "not enough memory to answer this request (the viewer's heap is "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MB): give it more with PROFLAB_JAVA_OPTS=-Xmx...");
        } catch (Exception | StackOverflowError e) {
            error(ctx, 500, "internal error: " + e);
        }
    }

    /** What answers a GET of {@code path}, or null when nothing does. */
    private Runnable route(String path, Exchange ctx) {
        return switch (path) {
            case "/" -> () -> asset(ctx, "index.html", "text/html;charset=utf-8");
            case "/app.js" -> () -> asset(ctx, "app.js", JS);
            // the worker that matches the page's search: same origin, no blob: URL (a CSP may forbid those)
            case "/match.js" -> () -> asset(ctx, "match.js", JS);
            case "/app.css" -> () -> asset(ctx, "app.css", CSS);
            case "/timeline.js" -> () -> asset(ctx, "timeline.js", JS);
            case "/timeline.css" -> () -> asset(ctx, "timeline.css", CSS);
            case "/history.js" -> () -> asset(ctx, "history.js", JS);
            case "/history.css" -> () -> asset(ctx, "history.css", CSS);
            case "/sandwich.js" -> () -> asset(ctx, "sandwich.js", JS);
            case "/sandwich.css" -> () -> asset(ctx, "sandwich.css", CSS);
            case "/favicon.ico" -> () -> ctx.status(204);
            case "/api/meta" -> () -> meta(ctx);
            case "/api/flame" -> () -> flame(ctx);
            case "/api/top" -> () -> top(ctx);
            case "/api/timeline" -> () -> timeline(ctx);
            case "/api/history" -> () -> history(ctx);
            case "/api/diff/flame" -> () -> diffApi.flame(ctx);
            case "/api/diff/top" -> () -> diffApi.top(ctx);
            case "/api/diff/sandwich" -> () -> diffApi.sandwich(ctx);
            case "/api/source" -> () -> functions.source(ctx);
            case "/api/peek" -> () -> functions.peek(ctx);
            case "/api/sandwich" -> () -> functions.sandwich(ctx);
            case "/api/findings" -> () -> findings(ctx);
            case "/api/heatmap" -> () -> heatmap(ctx);
            case "/heatmap.js" -> () -> asset(ctx, "heatmap.js", JS);
            case "/heatmap.css" -> () -> asset(ctx, "heatmap.css", CSS);
            case "/findings.js" -> () -> asset(ctx, "findings.js", JS);
            case "/findings.css" -> () -> asset(ctx, "findings.css", CSS);
            default -> null;
        };
    }

    /** The headers of every answer; a {@link Forbidden} for a foreign host or another site's request. */
    private static void guard(Exchange ctx, HostCheck hosts, URI uri) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        String why = hosts.refusal(ctx.headers("Host"));
        if (why == null && uri.getRawAuthority() != null) {
            // a request line of the absolute form (a proxy's) names its host too
            why = hosts.refusal(List.of(uri.getRawAuthority()));
        }
        if (why != null) {
            throw new Forbidden(why + ": open the page at localhost or 127.0.0.1, or start proflab view with"
                    + " --allow-host NAME");
        }
        why = HostCheck.crossSite(ctx.header("Sec-Fetch-Site"), ctx.header("Sec-Fetch-Mode"),
                ctx.header("Sec-Fetch-Dest"), ctx.header("Origin"), ctx.header("Host"));
        if (why != null) {
            throw new Forbidden(why);
        }
    }

    /** Whether the request says it has a body (every route is a GET: none has one). */
    private static boolean hasBody(Headers in) {
        String length = in.getFirst("Content-Length");   // the server refused a malformed one already
        return in.containsKey("Transfer-Encoding") || length != null && Long.parseLong(length.strip()) > 0;
    }

    /** Sends the status, headers and body {@code ctx} holds; to a HEAD, the body's length without the body. */
    private static void send(HttpExchange x, Exchange ctx, boolean head) throws IOException {
        Headers out = x.getResponseHeaders();
        out.set("Content-Type", ctx.contentType());
        ctx.responseHeaders().forEach(out::set);
        byte[] body = ctx.body();
        int status = ctx.status();
        if (head || status == 204 || body.length == 0) {
            if (head && status != 204) {
                out.set("Content-Length", String.valueOf(body.length));
            }
            x.sendResponseHeaders(status, -1);   // -1: no body (0 would be chunked)
            return;
        }
        x.sendResponseHeaders(status, body.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(body);
        }
    }

    /**
     * The JDK server's limits, for every server of this JVM (set before the first is made, unless given with -D):
     * 10 s to read a request's line and headers (a client that sends part of one holds a thread no longer; one that
     * sends nothing holds none, and is closed as idle), 60 s to compute and write an answer (a client that does not
     * read it holds no thread longer).
     */
    private static void limits() {
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", String.valueOf(MAX_REQUEST_SECONDS));
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", String.valueOf(MAX_RESPONSE_SECONDS));
        }
    }

    // ---- API ----------------------------------------------------------------------------------

    private void meta(Exchange ctx) {
        if (history != null) {
            historyMeta(ctx);
            return;
        }
        Profile p = profile(ctx);
        Profile.Meta m = p.meta();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("file", parts == null ? file.getFileName().toString() : p.meta().source());
        o.put("path", parts == null ? file.toString()
                : String.join(java.io.File.pathSeparator, parts.stream().map(Path::toString).toList()));
        putHeader(o, p, p.recordCount());
        ArrayNode ev = o.putArray("events");
        for (EventInfo e : events) {
            ObjectNode eo = ev.addObject();
            eo.put("name", e.name());
            eo.put("count", e.count());
            eo.put("detail", e.detail());
        }
        o.set("base", baseMeta(m.event()));
        o.set("operations", history != null || parts != null ? Json.MAPPER.nullNode() : operations(file));
        valueTypes(o, p);
        categories(o);
        json(ctx, o);
    }

    private static void valueTypes(ObjectNode o, Profile p) {
        ArrayNode vt = o.putArray("value_types");
        for (int i = 0; i < p.valueTypes().size(); i++) {
            ValueType t = p.valueTypes().get(i);
            ObjectNode to = vt.addObject();
            to.put("type", t.type());
            to.put("unit", t.unit());
            to.put("total", p.total(i));
            to.put("default", i == p.defaultValueIndex());
        }
    }

    private static void categories(ObjectNode o) {
        ArrayNode cats = o.putArray("categories");
        for (FrameColors.Category c : FrameColors.Category.values()) {
            ObjectNode co = cats.addObject();
            co.put("name", c.name().toLowerCase(java.util.Locale.ROOT));
            co.put("label", c.label());
            co.put("color", c.base());
        }
    }

    /** What {@code /api/meta} says of a profile in either mode: engine, JDK, event, interval, time, samples. */
    private static void putHeader(ObjectNode o, Profile p, long samples) {
        Profile.Meta m = p.meta();
        o.put("engine", m.engine());
        o.put("jdk", m.jdk());
        o.put("command", m.command());
        o.put("event", m.event());
        o.put("interval", m.interval());
        o.put("start", m.start() == null ? null : m.start().toString());
        if (m.duration() == null) {
            o.putNull("duration_seconds");
        } else {
            o.put("duration_seconds", m.duration().toNanos() / 1e9);
        }
        o.put("samples", samples);
    }

    /** {@code /api/meta} of a folder: the selection's merged profile, and the base's when there is one. */
    private void historyMeta(Exchange ctx) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("history", true);
        o.put("folder", history.dir().toString());
        if (history.listing().windows().isEmpty()) {
            o.put("empty", true);
            o.put("note", history.emptyNote());
            json(ctx, o);
            return;
        }
        o.put("empty", false);
        HistoryApi.Picked cur;
        try {
            cur = history.pick(ctx, "range", true);
        } catch (BadRequest e) {
            if (Params.get(ctx, "range") != null || HistoryApi.hasBase(ctx)) {
                throw e;
            }
            // the page's first question, before it shows the windows: the newest cannot be read (a broken or
            // hostile file), and the page still opens on the folder, where it is one unreadable window
            o.put("error", e.getMessage());
            json(ctx, o);
            return;
        }
        Profile p = cur.profile();
        Profile.Meta m = p.meta();
        o.setAll(history.describe(cur));
        o.put("file", HistoryApi.label(cur));
        o.put("path", history.dir().toString());
        putHeader(o, p, p.sampleCount());
        ArrayNode ev = o.putArray("events");
        ObjectNode eo = ev.addObject();
        eo.put("name", m.event());
        eo.put("count", p.sampleCount());
        eo.put("detail", cur.kind());
        if (HistoryApi.hasBase(ctx)) {
            HistoryApi.Picked b = history.pick(ctx, "base", false);
            Profile.Meta bm = b.profile().meta();
            ObjectNode bo = history.describe(b);
            bo.put("file", HistoryApi.label(b));
            bo.put("path", history.dir().toString());
            putHeader(bo, b.profile(), b.profile().sampleCount());
            ArrayNode bev = bo.putArray("events");
            ObjectNode beo = bev.addObject();
            beo.put("name", bm.event());
            beo.put("count", b.profile().sampleCount());
            beo.put("detail", b.kind());
            o.set("base", bo);
        } else {
            o.putNull("base");
        }
        valueTypes(o, p);
        categories(o);
        json(ctx, o);
    }

    private void history(Exchange ctx) {
        if (history == null) {
            error(ctx, 404, "not a folder: start proflab view DIR to see the profiles collected there over time");
            return;
        }
        history.history(ctx);
    }

    private void timeline(Exchange ctx) {
        if (history == null && timelineApi != null) {
            timelineApi.timeline(ctx);
            return;
        }
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("available", false);
        o.put("note", (history != null ? "a folder of windows" : parts.size() + " recordings merged")
                + ": the thread timeline is shown for one recording (proflab view FILE)");
        json(ctx, o);
    }

    private void heatmap(Exchange ctx) {
        if (history != null) {
            HeatmapApi.folder(ctx, history);
            return;
        }
        if (parts != null) {
            // each recording's times count from its own start: merged, a time has no one meaning
            HeatmapApi.unavailable(ctx, profile(ctx).meta().event(), parts.size() + " recordings merged: the heatmap"
                    + " is drawn of one recording's times (proflab view FILE)");
            return;
        }
        heatmap.file(ctx, profile(ctx));
    }

    private void findings(Exchange ctx) {
        if (history != null) {
            FindingsApi.findings(ctx, history.pick(ctx, "range", true));
            return;
        }
        findings.findings(ctx);
    }

    /**
     * The profile of {@code event} for the findings' rules: the one the page shows when it was read, else the file's
     * samples of it merged per stack and thread (memory follows the stacks), not kept.
     */
    private Profile forRules(String event) {
        Profile p = profiles.get(event);
        return p != null ? p : ProfileReader.read(file, ReadOptions.defaults().withEvent(event).withAggregate(true));
    }

    private void flame(Exchange ctx) {
        Profile p = selected(ctx);
        if (Params.inverted(ctx)) {
            p = FlameJson.inverted(p);
        }
        int vi = SampleIndex.resolve(p, ctx.queryParam("sampleIndex"));
        double minFraction = Params.minFraction(ctx, MIN_FRACTION);
        Selection sel = Params.selection(ctx);
        json(ctx, FlameJson.of(p, sel.withSampleIndex(String.valueOf(vi)), minFraction));
    }

    private void top(Exchange ctx) {
        Profile p = selected(ctx);
        int n = Params.rows(ctx);
        String cum = Params.get(ctx, "cum");
        if (cum != null && !cum.equals("true") && !cum.equals("false")) {
            throw new BadRequest("cum: '" + cum + "' is not true or false");
        }
        Selection sel = Params.selection(ctx);
        int rows = n;
        boolean byCum = "true".equals(cum);
        String json;
        if (sel.activeFilters().isEmpty() && rows == 0) {
            // unfiltered, every row: computed once per profile (the page asks for it first, and when
            // filters are cleared); a bad sampleIndex falls through to Top's own error
            int vi;
            try {
                vi = SampleIndex.resolve(p, sel.sampleIndex());
            } catch (RuntimeException e) {
                vi = -1;
            }
            json = vi < 0 ? JsonReport.top(Top.compute(p, sel, rows, byCum))
                    : FlameJson.cached(p, "top " + vi + " " + byCum, () -> JsonReport.top(Top.compute(p, sel, rows, byCum)));
        } else {
            json = JsonReport.top(Top.compute(p, sel, rows, byCum));
        }
        ctx.contentType("application/json").result(json);
    }

    /** {@code null} without a base; else the base's file, engine, JDK, duration, events, and the event's interval and samples. */
    /**
     * The operation count beside a recording ({@code {"count", "unit", "source"}}, what {@code normalize=ops} divides
     * by), or null: none, or one that cannot be read (the diff's request then says why).
     */
    private static com.fasterxml.jackson.databind.JsonNode operations(Path recording) {
        dev.proflab.profile.Operations ops;
        try {
            ops = dev.proflab.profile.Operations.read(recording);
        } catch (ProfileException e) {
            ops = null;
        }
        if (ops == null) {
            return Json.MAPPER.nullNode();
        }
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("count", ops.count());
        o.put("unit", ops.unit());
        o.put("source", ops.source());
        return o;
    }

    private com.fasterxml.jackson.databind.JsonNode baseMeta(String event) {
        if (base == null) {
            return Json.MAPPER.nullNode();
        }
        boolean has = baseEvents.stream().anyMatch(i -> i.name().equals(event));
        Profile p = loadBase(has ? event : baseEvents.get(0).name(), false);
        Profile.Meta m = p.meta();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("file", base.getFileName().toString());
        o.put("path", base.toString());
        o.set("operations", operations(base));
        o.put("engine", m.engine());
        o.put("jdk", m.jdk());
        if (has) {
            o.put("event", m.event());
            o.put("interval", m.interval());
        } else {
            o.putNull("event");
            o.putNull("interval");
        }
        if (m.duration() == null) {
            o.putNull("duration_seconds");
        } else {
            o.put("duration_seconds", m.duration().toNanos() / 1e9);
        }
        if (has) {
            o.put("samples", p.recordCount());
        } else {
            o.putNull("samples");
        }
        ArrayNode ev = o.putArray("events");
        for (EventInfo e : baseEvents) {
            ObjectNode eo = ev.addObject();
            eo.put("name", e.name());
            eo.put("count", e.count());
            eo.put("detail", e.detail());
        }
        return o;
    }

    // ---- for DiffApi --------------------------------------------------------------------------

    /** The {@code --base} file, or null. */
    Path base() {
        return base;
    }

    /** The file shown (null for a folder). */
    Path file() {
        return file;
    }

    /** The folder's windows, or null when it serves one file. */
    HistoryApi history() {
        return history;
    }

    /** The file's profile of {@code event} (null: the one shown first); an unknown event is a {@link BadRequest}. */
    Profile current(String event) {
        return current(event, FlameJson.Range.ALL);
    }

    /** As {@link #current(String)}, of the samples in {@code range} ({@link RangeReads}). */
    Profile current(String event, FlameJson.Range range) {
        String e = event == null ? defaultEvent : event;
        oneRecording(range);
        return ranges.get(file, e, load(e, false), range);
    }

    /** The base's profile of {@code event}; a {@link BadRequest} naming the base's events when it has none. */
    Profile base(String event) {
        return base(event, FlameJson.Range.ALL);
    }

    /** As {@link #base(String)}, of the samples in {@code range} ({@link RangeReads}). */
    Profile base(String event, FlameJson.Range range) {
        String e = event == null ? defaultEvent : event;
        return ranges.get(base, e, loadBase(e, true), range);
    }

    private Profile loadBase(String event, boolean request) {
        boolean known = baseEvents.stream().anyMatch(i -> i.name().equals(event));
        String why = "--base " + base + " has no " + event + " samples: it records "
                + String.join(", ", baseEvents.stream().map(EventInfo::name).toList());
        if (!known && !ProfileReader.EVENTS.contains(event)) {
            throw new BadRequest("event: " + why);
        }
        try {
            // as load() reads the file: merged per stack and thread
            return baseProfiles.computeIfAbsent(event,
                    ev -> ProfileReader.read(base, ReadOptions.defaults().withEvent(ev).withAggregate(merge(baseEvents, ev))));
        } catch (ProfileException e) {
            if (request && !known) {
                throw new BadRequest("event: " + why);
            }
            throw e;
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The profile of the request's event, all of it (a folder: of its windows {@code range=}). */
    private Profile profile(Exchange ctx) {
        if (history != null) {
            return history.current(ctx);
        }
        String e = Params.get(ctx, "event");
        return load(e == null ? defaultEvent : e, false);
    }

    /**
     * The profile of the request's event with the samples of its time range ({@code from}/{@code to}), which the
     * reports select from: the file's, or the file read again for that range ({@link RangeReads}).
     */
    private Profile selected(Exchange ctx) {
        Profile p = profile(ctx);
        if (history != null) {
            return p;
        }
        String e = Params.get(ctx, "event");
        oneRecording(Params.range(ctx));
        return ranges.get(file, e == null ? defaultEvent : e, p, Params.range(ctx));
    }

    private Profile load(String event, boolean atStart) {
        boolean known = events.stream().anyMatch(i -> i.name().equals(event));
        if (!known && !ProfileReader.EVENTS.contains(event)) {
            String msg = "unknown event '" + event + "': this recording has "
                    + String.join(", ", events.stream().map(EventInfo::name).toList());
            if (atStart) {
                throw new ProfileException(file, msg);
            }
            throw new BadRequest("event: " + msg);
        }
        // events such as monitor/park are parts of lock: read whatever the reader accepts (merge()).
        // The flame graph's index of the stacks is built here too, so that no request pays for it; for the event
        // read at the start, when the server starts, on the side (warmDefaultView).
        return profiles.computeIfAbsent(event, ev -> {
            Profile p = parts != null ? merged(ev)
                    : ProfileReader.read(file, ReadOptions.defaults().withEvent(ev).withAggregate(merge(events, ev)));
            if (!atStart) {
                CallIndex.of(p, Selection.all());
            }
            return p;
        });
    }

    /** The recordings' profiles of {@code event} merged, each sample labelled with its file; those without it left out. */
    private Profile merged(String event) {
        List<String> names = dev.proflab.profile.ProfileMerge.uniqueNames(parts);
        List<dev.proflab.profile.ProfileMerge.Part> read = new ArrayList<>();
        ProfileException first = null;
        for (int i = 0; i < parts.size(); i++) {
            try {
                Profile p = ProfileReader.read(parts.get(i), ReadOptions.defaults().withEvent(event).withAggregate(true));
                read.add(new dev.proflab.profile.ProfileMerge.Part(p, null, names.get(i)));
            } catch (ProfileException e) {
                first = first == null ? e : first;   // a recording without the event adds nothing to it
            }
        }
        if (read.isEmpty()) {
            throw first;
        }
        return dev.proflab.profile.ProfileMerge.merge(read, parts.size() + " recordings: " + String.join(", ", names));
    }

    /** The events of several recordings: each name once, its samples summed, in the order they first appear. */
    private static List<EventInfo> events(List<Path> files) {
        Map<String, EventInfo> byName = new java.util.LinkedHashMap<>();
        for (Path f : files) {
            for (EventInfo e : ProfileReader.events(f)) {
                byName.merge(e.name(), e, (a, b) -> new EventInfo(a.name(), a.count() + b.count(), a.sources(),
                        a.detail()));
            }
        }
        return List.copyOf(byName.values());
    }

    /** Several recordings merged have no one time axis: a time range is a {@link BadRequest}. */
    private void oneRecording(FlameJson.Range range) {
        if (parts != null && !range.all()) {
            throw new BadRequest("from/to: a time range is read from one recording; these are " + parts.size()
                    + " merged (proflab view FILE)");
        }
    }

    /**
     * Whether the samples of {@code event} are merged per stack and thread as they are read (as every report of the
     * CLI reads them), rather than kept one row each. Merged, memory grows with the distinct stacks, not with the
     * recording; but a time range selected on the page is then read again from the file ({@link RangeReads}), which
     * takes as long as reading the file: at 1,000,000 samples (40 MB) a range's flame graph took 1.0 to 2.7 s
     * against 0.1 to 0.7 s from samples kept one row each, whose 32 bytes a sample (32 MB there) a large heap holds
     * easily. So samples are kept one row each while they take at most {@link #perSampleBytes}; an event the file
     * does not list (monitor, park: parts of lock) counts all of the file's samples.
     */
    private boolean merge(List<EventInfo> of, String event) {
        long n = 0;
        for (EventInfo e : of) {
            n += e.count();
        }
        for (EventInfo e : of) {
            if (e.name().equals(event)) {
                n = e.count();
            }
        }
        return n > perSampleBytes / BYTES_PER_SAMPLE;
    }

    /**
     * The page's first requests of the event shown first, computed and kept: the flame graph's index of the stacks,
     * the unfiltered flame graph and the top table (n=0). On a thread of its own when the server starts, so that it
     * listens, and {@code /api/meta} answers, without waiting for them (at 1,000,000 samples they take longer than
     * reading the file); a request that asks for one meanwhile waits for the same computation
     * ({@link dev.proflab.report.ProfileCache}). Errors are left for the requests to report.
     */
    private void warmDefaultView() {
        try {
            Profile p = current(null);
            CallIndex.of(p, Selection.all());
            FlameJson.of(p, Selection.all().withSampleIndex(String.valueOf(p.defaultValueIndex())), MIN_FRACTION);
            FlameJson.cached(p, "top " + p.defaultValueIndex() + " false",
                    () -> JsonReport.top(Top.compute(p, Selection.all(), 0, false)));
        } catch (RuntimeException | OutOfMemoryError e) {
            // the page's request computes it again and reports the error there
        }
    }

    private static void json(Exchange ctx, Object o) {
        try {
            ctx.contentType("application/json").result(Json.MAPPER.writeValueAsString(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void error(Exchange ctx, int status, String message) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("error", message == null ? "error" : message.strip());
        ctx.status(status);
        json(ctx, o);
    }

    private static void asset(Exchange ctx, String name, String type) {
        ctx.contentType(type).header("Cache-Control", "no-cache").result(ASSETS.computeIfAbsent(name, ViewerServer::resource));
    }

    private static byte[] resource(String name) {
        try (InputStream in = ViewerServer.class.getResourceAsStream(WEB + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + WEB + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
