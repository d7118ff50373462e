package dev.proflab.viewer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

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
 *       "self", "total", "kind", "category", "color", "children": [...]}}};
 *   <li>{@code GET /api/top?event=&sampleIndex=&focus=&ignore=&hide=&thread=&n=&cum=}: the rows of
 *       {@code proflab top --format json}.
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

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String WEB = "/dev/proflab/viewer/web/";

    private final Path file;
    private final List<EventInfo> events;
    private final String defaultEvent;
    private final Map<String, Profile> profiles = new ConcurrentHashMap<>();
    /** The profile to compare against ({@code --base}), or null; its events, and its profiles per event. */
    private final Path base;
    private final List<EventInfo> baseEvents;
    private final Map<String, Profile> baseProfiles = new ConcurrentHashMap<>();
    private final DiffApi diffApi = new DiffApi(this);
    private final TimelineApi timelineApi;
    /** A folder of profiles over time ({@code proflab view DIR}), or null for one file. */
    private final HistoryApi history;
    private final FunctionApi functions = new FunctionApi(this::profile,
            dev.proflab.report.Lines.defaultSourceRoots(Path.of("").toAbsolutePath()));
    private final List<String> allowHosts = new ArrayList<>();
    private Javalin app;
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
        this.file = Objects.requireNonNull(file, "file");
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
            return;
        }
        this.history = null;
        this.timelineApi = new TimelineApi(file);
        this.events = ProfileReader.events(file);
        if (events.isEmpty()) {
            throw new ProfileException(file, "no samples in this recording: it has none of the events proflab reads ("
                    + String.join(", ", ProfileReader.EVENTS) + ")");
        }
        String e = event == null || event.isBlank() ? events.get(0).name() : event.strip();
        Profile p = load(e, true);
        this.defaultEvent = p.meta().event();
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
        if (app != null) {
            throw new IllegalStateException("already started");
        }
        HostCheck hosts = HostCheck.of(host, allowHosts);
        Map<String, byte[]> assets = Map.of(
                "index.html", resource("index.html"),
                "app.js", resource("app.js"),
                "match.js", resource("match.js"),
                "app.css", resource("app.css"),
                "timeline.js", resource("timeline.js"),
                "timeline.css", resource("timeline.css"),
                "history.js", resource("history.js"),
                "history.css", resource("history.css"));
        Javalin a = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.before(ctx -> guard(ctx, hosts));
            config.appData(Params.MATCH_BUDGET, () -> matchBudget);
            config.routes.get("/", ctx -> asset(ctx, assets, "index.html", "text/html; charset=utf-8"));
            config.routes.get("/app.js", ctx -> asset(ctx, assets, "app.js", "text/javascript; charset=utf-8"));
            // the worker that matches the page's search: same origin, no blob: URL (a CSP may forbid those)
            config.routes.get("/match.js", ctx -> asset(ctx, assets, "match.js", "text/javascript; charset=utf-8"));
            config.routes.get("/app.css", ctx -> asset(ctx, assets, "app.css", "text/css; charset=utf-8"));
            config.routes.get("/timeline.js", ctx -> asset(ctx, assets, "timeline.js", "text/javascript; charset=utf-8"));
            config.routes.get("/timeline.css", ctx -> asset(ctx, assets, "timeline.css", "text/css; charset=utf-8"));
            config.routes.get("/history.js", ctx -> asset(ctx, assets, "history.js", "text/javascript; charset=utf-8"));
            config.routes.get("/history.css", ctx -> asset(ctx, assets, "history.css", "text/css; charset=utf-8"));
            config.routes.get("/favicon.ico", ctx -> ctx.status(204));
            config.routes.get("/api/meta", this::meta);
            config.routes.get("/api/flame", this::flame);
            config.routes.get("/api/top", this::top);
            config.routes.get("/api/timeline", this::timeline);
            config.routes.get("/api/history", this::history);
            config.routes.get("/api/diff/flame", diffApi::flame);
            config.routes.get("/api/diff/top", diffApi::top);
            config.routes.get("/api/source", functions::source);
            config.routes.get("/api/peek", functions::peek);
            config.routes.exception(Forbidden.class, (e, ctx) -> error(ctx, 403, e.getMessage()));
            config.routes.exception(BadRequest.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
            config.routes.exception(ProfileException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
            config.routes.exception(ReportException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
            config.routes.exception(ExportException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> error(ctx, 500, "internal error: " + e));
        });
        try {
            a.start(host, port);
        } catch (RuntimeException e) {
            try {
                a.stop();
            } catch (RuntimeException ignored) {
                // it never started
            }
            String where = host + ":" + port;
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException b) {
                    String m = b.getMessage() == null ? "" : b.getMessage();
                    throw new ViewerException(m.toLowerCase(java.util.Locale.ROOT).contains("in use")
                            ? "port " + port + " on " + host + " is in use: pick another with --port"
                            : "cannot listen on " + where + ": " + m, e);
                }
            }
            throw new ViewerException("cannot listen on " + where + ": " + e.getMessage(), e);
        }
        app = a;
        String h = host.contains(":") ? "[" + host + "]" : host;
        url = "http://" + h + ":" + a.port() + "/";
        if (history != null) {
            return this;
        }
        // the timeline is read on the side: the page asks for it right after the flame graph
        Thread.ofVirtual().name("proflab-view-timeline").start(() -> {
            try {
                timelineApi.timeline();
            } catch (RuntimeException e) {
                // the page's request reads it again and reports the error there
            }
        });
        Thread.ofVirtual().name("proflab-view-diff").start(diffApi::warm);   // the unfiltered diff, kept
        return this;
    }

    /** The port it listens on (after {@link #start}). */
    public int port() {
        return app.port();
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
        if (app != null) {
            app.stop();
            app = null;
        }
    }

    // ---- every request ------------------------------------------------------------------------

    /** Refused: 403 with a JSON error. */
    private static final class Forbidden extends RuntimeException {
        Forbidden(String message) {
            super(message, null, false, false);
        }
    }

    /** The headers of every answer; a {@link Forbidden} for a foreign host or another site's request. */
    private static void guard(Context ctx, HostCheck hosts) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        String why = hosts.refusal(java.util.Collections.list(ctx.req().getHeaders("Host")));
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

    // ---- API ----------------------------------------------------------------------------------

    private void meta(Context ctx) {
        if (history != null) {
            historyMeta(ctx);
            return;
        }
        Profile p = profile(ctx);
        Profile.Meta m = p.meta();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("file", file.getFileName().toString());
        o.put("path", file.toString());
        putHeader(o, p);
        ArrayNode ev = o.putArray("events");
        for (EventInfo e : events) {
            ObjectNode eo = ev.addObject();
            eo.put("name", e.name());
            eo.put("count", e.count());
            eo.put("detail", e.detail());
        }
        o.set("base", baseMeta(m.event()));
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
    private static void putHeader(ObjectNode o, Profile p) {
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
        o.put("samples", p.sampleCount());
    }

    /** {@code /api/meta} of a folder: the selection's merged profile, and the base's when there is one. */
    private void historyMeta(Context ctx) {
        ObjectNode o = MAPPER.createObjectNode();
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
        putHeader(o, p);
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
            putHeader(bo, b.profile());
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

    private void history(Context ctx) {
        if (history == null) {
            error(ctx, 404, "not a folder: start proflab view DIR to see the profiles collected there over time");
            return;
        }
        history.history(ctx);
    }

    private void timeline(Context ctx) {
        if (history == null) {
            timelineApi.timeline(ctx);
            return;
        }
        ObjectNode o = MAPPER.createObjectNode();
        o.put("available", false);
        o.put("note", "a folder of windows: the thread timeline is shown for one recording (proflab view FILE)");
        json(ctx, o);
    }

    private void flame(Context ctx) {
        Profile p = profile(ctx);
        int vi = SampleIndex.resolve(p, ctx.queryParam("sampleIndex"));
        double minFraction = Params.minFraction(ctx, MIN_FRACTION);
        Selection sel = Params.selection(ctx);
        json(ctx, FlameJson.of(p, sel.withSampleIndex(String.valueOf(vi)), minFraction));
    }

    private void top(Context ctx) {
        Profile p = profile(ctx);
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
    private com.fasterxml.jackson.databind.JsonNode baseMeta(String event) {
        if (base == null) {
            return MAPPER.nullNode();
        }
        boolean has = baseEvents.stream().anyMatch(i -> i.name().equals(event));
        Profile p = loadBase(has ? event : baseEvents.get(0).name(), false);
        Profile.Meta m = p.meta();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("file", base.getFileName().toString());
        o.put("path", base.toString());
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
            o.put("samples", p.sampleCount());
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

    /** The folder's windows, or null when it serves one file. */
    HistoryApi history() {
        return history;
    }

    /** The file's profile of {@code event} (null: the one shown first); an unknown event is a {@link BadRequest}. */
    Profile current(String event) {
        return load(event == null ? defaultEvent : event, false);
    }

    /** The base's profile of {@code event}; a {@link BadRequest} naming the base's events when it has none. */
    Profile base(String event) {
        return loadBase(event == null ? defaultEvent : event, true);
    }

    private Profile loadBase(String event, boolean request) {
        boolean known = baseEvents.stream().anyMatch(i -> i.name().equals(event));
        String why = "--base " + base + " has no " + event + " samples: it records "
                + String.join(", ", baseEvents.stream().map(EventInfo::name).toList());
        if (!known && !ProfileReader.EVENTS.contains(event)) {
            throw new BadRequest("event: " + why);
        }
        try {
            // as load() reads the file: every sample with its own time, for from/to
            return baseProfiles.computeIfAbsent(event,
                    ev -> ProfileReader.read(base, ReadOptions.defaults().withEvent(ev).withAggregate(false)));
        } catch (ProfileException e) {
            if (request && !known) {
                throw new BadRequest("event: " + why);
            }
            throw e;
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Profile profile(Context ctx) {
        if (history != null) {
            return history.current(ctx);
        }
        String e = Params.get(ctx, "event");
        return load(e == null ? defaultEvent : e, false);
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
        // events such as monitor/park are parts of lock: read whatever the reader accepts.
        // Every sample keeps its own time (no aggregation) for from/to: at 1,000,000 samples that reads
        // faster than aggregating and holds ~25 MB more (docs/benchmarks.md). The flame graph's index of
        // the stacks is built here too, so that no request pays for it.
        return profiles.computeIfAbsent(event, ev -> {
            Profile p = ProfileReader.read(file, ReadOptions.defaults().withEvent(ev).withAggregate(false));
            CallIndex.of(p, Selection.all());
            if (atStart) {
                // the page's first requests (flame, top n=0), so that the first paint waits for neither
                FlameJson.of(p, Selection.all().withSampleIndex(String.valueOf(p.defaultValueIndex())), MIN_FRACTION);
                FlameJson.cached(p, "top " + p.defaultValueIndex() + " false",
                        () -> JsonReport.top(Top.compute(p, Selection.all(), 0, false)));
            }
            return p;
        });
    }

    private static void json(Context ctx, Object o) {
        try {
            ctx.contentType("application/json").result(MAPPER.writeValueAsString(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void error(Context ctx, int status, String message) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("error", message == null ? "error" : message.strip());
        ctx.status(status);
        json(ctx, o);
    }

    private static void asset(Context ctx, Map<String, byte[]> assets, String name, String type) {
        ctx.contentType(type).header("Cache-Control", "no-cache").result(assets.get(name));
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
