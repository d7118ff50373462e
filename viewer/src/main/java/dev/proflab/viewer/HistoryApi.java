package dev.proflab.viewer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.history.ProfileFolder;
import dev.proflab.history.Window;
import dev.proflab.profile.EventInfo;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileException;
import dev.proflab.profile.ProfileKind;
import dev.proflab.profile.ProfileMerge;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code proflab view DIR}: a folder of profiles collected over time ({@code proflab collect}) on a
 * time axis. One window, or a range of them merged ({@link ProfileMerge}), is what every view of the
 * page shows; a second range, the base, makes the page the difference of the two ({@link DiffApi}).
 *
 * <ul>
 *   <li>{@code GET /api/history?kind=}: the folder listed again (names, sizes, modification times):
 *       {@code {"folder", "path", "kinds": [{"kind", "count", "first", "last"}], "kind", "windows":
 *       [{"name", "kind", "start", "start_ms", "duration_ms", "end_ms", "size", "time_source", "problem"}],
 *       "skipped": [{"name", "reason"}], "empty", "note"}}; {@code windows} are every kind's, oldest first
 *       ({@code kind=} keeps one kind's); {@code kind} is the one shown first (cpu when there is any);
 *   <li>every other endpoint ({@code /api/meta}, {@code /api/flame}, {@code /api/top}, {@code /api/source},
 *       {@code /api/peek}, {@code /api/diff/*}) takes {@code kind=} and {@code range=FROM..TO} (the windows
 *       shown: epoch milliseconds or ISO-8601 instants, UTC; {@code FROM..FROM}: the window starting then;
 *       {@code latest}, the default: the newest window) and, for {@code /api/diff/*}, {@code base=FROM..TO}.
 * </ul>
 *
 * <p>A range selects the windows it overlaps (a window of unknown length: whose start it holds); one
 * instant selects the window starting in that millisecond. Profiles are read when asked for, kept by
 * path, size and modification time (at most {@value #MAX_PROFILES} files, {@value #MAX_BYTES_MB} MB of
 * them), and merges of the last {@value #MAX_MERGES} selections are kept. A window that cannot be read
 * is left out of a merge with a warning; a selection with none that can be read is a 400.
 */
final class HistoryApi {

    static final int MAX_PROFILES = 64;
    static final int MAX_BYTES_MB = 256;
    static final int MAX_MERGES = 8;

    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** A parsed window, for one size and modification time of its file. */
    private record Key(Path file, long size, Instant modified) {
        static Key of(Window w) {
            return new Key(w.file(), w.size(), w.modified());
        }
    }

    /** A read window: its profile, or why it could not be read. */
    private record Read(Profile profile, String problem) {
    }

    /** A selection as the page names it, and what it holds. */
    record Picked(String kind, String range, List<Window> windows, Profile profile, List<String> warnings) {
    }

    private final ProfileFolder folder;
    private final ProfileKind firstKind;
    private final Map<Key, Read> profiles = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Picked> merges = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;

    /**
     * @param dir the folder
     * @param kind the kind shown first (null: cpu when there is any, else the first kind present)
     * @throws ProfileException when the folder cannot be listed, or {@code kind} is no kind
     */
    HistoryApi(Path dir, String kind) {
        this.folder = new ProfileFolder(Objects.requireNonNull(dir, "dir"));
        if (kind != null && !kind.isBlank() && ProfileKind.of(kind) == null) {
            throw new ProfileException(dir, "--event with a folder names the kind shown first: '" + kind
                    + "' is none of " + ProfileKind.ids());
        }
        this.firstKind = kind == null || kind.isBlank() ? null : ProfileKind.of(kind);
        folder.scan();   // a folder that cannot be listed fails now, before listening
    }

    Path dir() {
        return folder.dir();
    }

    /** The folder listed now. */
    ProfileFolder.Listing listing() {
        return folder.scan();
    }

    /** How to fill an empty folder. */
    String emptyNote() {
        return "no profiles in " + folder.dir() + " yet: fill it with proflab collect --target URL --out " + folder.dir()
                + " (one window per kind every --interval); the page shows them as they arrive";
    }

    // ---- /api/history --------------------------------------------------------------------------

    void history(Exchange ctx) {
        ProfileFolder.Listing l = listing();
        String only = Params.get(ctx, "kind");
        if (only != null && ProfileKind.of(only) == null) {
            throw new BadRequest("kind: '" + Params.shorten(only) + "' is none of " + ProfileKind.ids());
        }
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("folder", folder.dir().getFileName() == null ? folder.dir().toString() : folder.dir().getFileName().toString());
        o.put("path", folder.dir().toString());
        o.put("now", Instant.now().toString());
        ArrayNode kinds = o.putArray("kinds");
        for (ProfileKind k : l.kinds()) {
            List<Window> ws = l.of(k);
            ObjectNode ko = kinds.addObject();
            ko.put("kind", k.id());
            ko.put("count", ws.size());
            ko.put("first", ws.get(0).start().toString());
            ko.put("last", ws.get(ws.size() - 1).start().toString());
        }
        ProfileKind def = defaultKind(l);
        if (def == null) {
            o.putNull("kind");
        } else {
            o.put("kind", def.id());
        }
        ArrayNode ws = o.putArray("windows");
        ProfileKind k = only == null ? null : ProfileKind.of(only);
        for (Window w : l.windows()) {
            if (k == null || w.kind() == k) {
                ws.add(window(w, problem(w)));
            }
        }
        ArrayNode sk = o.putArray("skipped");
        for (ProfileFolder.Skipped s : l.skipped()) {
            ObjectNode so = sk.addObject();
            so.put("name", s.name());
            so.put("reason", s.reason());
        }
        o.put("empty", l.windows().isEmpty());
        if (l.windows().isEmpty()) {
            o.put("note", emptyNote());
        } else {
            o.putNull("note");
        }
        ctx.contentType("application/json").result(o.toString());
    }

    /** Why a window cannot be read: its header's problem, or what reading it found; null if it can be (or was not read). */
    private String problem(Window w) {
        if (w.problem() != null) {
            return w.problem();
        }
        synchronized (profiles) {
            Read r = profiles.get(Key.of(w));
            return r == null ? null : r.problem();
        }
    }

    private static ObjectNode window(Window w, String problem) {
        ObjectNode wo = Json.MAPPER.createObjectNode();
        wo.put("name", w.name());
        wo.put("kind", w.kind().id());
        wo.put("start", w.start().toString());
        wo.put("start_ms", w.start().toEpochMilli());
        if (w.duration() == null) {
            wo.putNull("duration_ms");
        } else {
            wo.put("duration_ms", w.duration().toMillis());
        }
        wo.put("end_ms", w.end().toEpochMilli());
        wo.put("size", w.size());
        wo.put("time_source", w.timeSource().name().toLowerCase(Locale.ROOT));
        if (problem == null) {
            wo.putNull("problem");
        } else {
            wo.put("problem", problem);
        }
        return wo;
    }

    private ProfileKind defaultKind(ProfileFolder.Listing l) {
        List<ProfileKind> present = l.kinds();
        if (firstKind != null && present.contains(firstKind)) {
            return firstKind;
        }
        return present.isEmpty() ? null : present.get(0);
    }

    // ---- selections ---------------------------------------------------------------------------

    /** The windows of {@code range=} (the newest when missing), merged. */
    Profile current(Exchange ctx) {
        return pick(ctx, "range", true).profile();
    }

    /** The windows of {@code base=}; a {@link BadRequest} when there is none. */
    Profile base(Exchange ctx) {
        return pick(ctx, "base", false).profile();
    }

    /** Whether the request names a base range. */
    static boolean hasBase(Exchange ctx) {
        return Params.get(ctx, "base") != null;
    }

    /** The selection of parameter {@code param} ({@code range} or {@code base}). */
    Picked pick(Exchange ctx, String param, boolean latestByDefault) {
        ProfileFolder.Listing l = listing();
        if (l.windows().isEmpty()) {
            throw new BadRequest(emptyNote());
        }
        String k = Params.get(ctx, "kind");
        ProfileKind kind;
        if (k == null) {
            kind = defaultKind(l);
        } else {
            kind = ProfileKind.of(k);
            if (kind == null) {
                throw new BadRequest("kind: '" + Params.shorten(k) + "' is none of " + ProfileKind.ids());
            }
        }
        List<Window> all = l.of(kind);
        if (all.isEmpty()) {
            throw new BadRequest("kind: no " + kind.id() + " windows in " + folder.dir() + " (it has "
                    + String.join(", ", l.kinds().stream().map(ProfileKind::id).toList()) + ")");
        }
        String r = Params.get(ctx, param);
        if (r == null && !latestByDefault) {
            throw new BadRequest(param + ": no base range: pick the windows to compare against");
        }
        String range = r == null ? "latest" : r.strip();
        List<Window> chosen = select(all, range, param, kind);
        return merged(kind, range, chosen);
    }

    /** The windows of {@code all} (one kind, oldest first) that {@code range} selects. */
    static List<Window> select(List<Window> all, String range, String param, ProfileKind kind) {
        if (range.equalsIgnoreCase("latest")) {
            return List.of(all.get(all.size() - 1));
        }
        int dots = range.indexOf("..");
        String a = dots < 0 ? range : range.substring(0, dots);
        String b = dots < 0 ? range : range.substring(dots + 2);
        Instant from = instant(a, param, range, false);
        Instant to = instant(b, param, range, true);
        if (to.isBefore(from)) {
            throw new BadRequest(param + ": '" + Params.shorten(range) + "' ends before it starts");
        }
        boolean instant = Duration.between(from, to).toMillis() < 1;
        List<Window> out = new ArrayList<>();
        for (Window w : all) {
            boolean in = instant || w.duration() == null || w.duration().isZero()
                    ? !w.start().isBefore(from) && !w.start().isAfter(to)
                    : !w.start().isAfter(to) && w.end().isAfter(from);
            if (in) {
                out.add(w);
            }
        }
        if (out.isEmpty()) {
            throw new BadRequest(param + ": no " + kind.id() + " window " + (instant ? "starts at " + HMS.format(from)
                    : "from " + HMS.format(from) + " to " + HMS.format(to)) + " UTC (the folder's " + all.size() + " "
                    + kind.id() + " windows are from " + HMS.format(all.get(0).start()) + " to "
                    + HMS.format(all.get(all.size() - 1).start()) + "; old ones may have been deleted by retention)");
        }
        return out;
    }

    /** Epoch milliseconds or an ISO-8601 instant; the end of a range takes in the whole millisecond. */
    private static Instant instant(String s, String param, String range, boolean end) {
        String v = s.strip();
        Instant t;
        try {
            if (!v.isEmpty() && v.chars().allMatch(Character::isDigit) && v.length() <= 15) {
                t = Instant.ofEpochMilli(Long.parseLong(v));
            } else {
                t = Instant.parse(v);
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new BadRequest(param + ": '" + Params.shorten(range)
                    + "' is not FROM..TO in epoch milliseconds or ISO-8601 (2026-11-26T10:45:00Z), nor latest");
        }
        return end ? t.plusNanos(999_999) : t;
    }

    private Picked merged(ProfileKind kind, String range, List<Window> windows) {
        StringBuilder key = new StringBuilder(kind.id());
        for (Window w : windows) {
            key.append('|').append(w.file()).append(':').append(w.size()).append(':').append(w.modified());
        }
        String k = key.toString();
        // one merge at a time: the page asks for the flame graph and the table of a selection at once
        synchronized (merges) {
            Picked p = merges.get(k);
            if (p != null) {
                return p.range().equals(range) ? p : new Picked(kind.id(), range, p.windows(), p.profile(), p.warnings());
            }
            p = merge(kind, range, windows);
            merges.put(k, p);
            while (merges.size() > MAX_MERGES) {
                var it = merges.entrySet().iterator();
                it.next();
                it.remove();
            }
            return p;
        }
    }

    private Picked merge(ProfileKind kind, String range, List<Window> windows) {
        List<ProfileMerge.Part> parts = new ArrayList<>();
        List<Window> used = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Window w : windows) {
            Read r = read(w);
            if (r.profile() == null) {
                warnings.add(w.name() + " left out: " + r.problem());
            } else {
                parts.add(new ProfileMerge.Part(r.profile(), w.start()));
                used.add(w);
            }
        }
        if (parts.isEmpty()) {
            throw new BadRequest(windows.size() == 1 ? warnings.get(0).replace(" left out: ", ": ")
                    : "none of the " + windows.size() + " " + kind.id() + " windows can be read: " + String.join("; ", warnings));
        }
        Profile profile;
        if (parts.size() == 1) {
            profile = parts.get(0).profile();
        } else {
            profile = ProfileMerge.merge(parts, folder.dir() + " " + kind.id() + ": " + parts.size() + " windows");
        }
        dev.proflab.report.CallIndex.of(profile, dev.proflab.report.Selection.all());
        return new Picked(kind.id(), range, List.copyOf(used), profile, List.copyOf(warnings));
    }

    /** One window's profile, read once per size and modification time of its file. */
    private Read read(Window w) {
        Key key = Key.of(w);
        synchronized (profiles) {
            Read r = profiles.get(key);
            if (r != null) {
                return r;
            }
        }
        Read r;
        try {
            List<EventInfo> events = ProfileReader.events(w.file());
            if (events.isEmpty()) {
                r = new Read(null, "no samples");
            } else {
                String event = events.get(0).name();
                for (String e : w.kind().events()) {
                    if (events.stream().anyMatch(i -> i.name().equals(e))) {
                        event = e;
                        break;
                    }
                }
                // one window is a few seconds to minutes: its samples by stack and thread are enough
                r = new Read(ProfileReader.read(w.file(), ReadOptions.defaults().withEvent(event).withAggregate(true)), null);
            }
        } catch (ProfileException e) {
            String m = e.getMessage();
            String prefix = w.file() + ": ";
            r = new Read(null, m.startsWith(prefix) ? m.substring(prefix.length()) : m);
        } catch (RuntimeException | StackOverflowError e) {
            // a hostile file is one unreadable window, never a failed page
            r = new Read(null, "unreadable (" + e.getClass().getSimpleName() + ")");
        }
        synchronized (profiles) {
            profiles.put(key, r);
            cachedBytes += w.size();
            var it = profiles.entrySet().iterator();
            while (profiles.size() > 1 && (profiles.size() > MAX_PROFILES || cachedBytes > MAX_BYTES_MB * (1L << 20))) {
                Map.Entry<Key, Read> e = it.next();
                cachedBytes -= e.getKey().size();
                it.remove();
            }
        }
        return r;
    }

    // ---- /api/heatmap -------------------------------------------------------------------------

    /** Selected windows of one kind, not merged. */
    record Span(ProfileKind kind, List<Window> windows) {
    }

    /** The windows of the request's {@code range=} of its kind, not merged (no range: every window of the kind). */
    Span span(Exchange ctx) {
        ProfileFolder.Listing l = listing();
        if (l.windows().isEmpty()) {
            throw new BadRequest(emptyNote());
        }
        String k = Params.get(ctx, "kind");
        ProfileKind kind = k == null ? defaultKind(l) : ProfileKind.of(k);
        if (kind == null) {
            throw new BadRequest("kind: '" + Params.shorten(k) + "' is none of " + ProfileKind.ids());
        }
        List<Window> all = l.of(kind);
        if (all.isEmpty()) {
            throw new BadRequest("kind: no " + kind.id() + " windows in " + folder.dir());
        }
        String r = Params.get(ctx, "range");
        return new Span(kind, r == null ? all : select(all, r.strip(), "range", kind));
    }

    /** Samples counted per window and selection, kept (a number each: a day of windows is a few thousand). */
    private final Map<String, Long> samples = new LinkedHashMap<>(256, 0.75f, true);
    static final int MAX_COUNTS = 100_000;

    /**
     * The samples of window {@code w} that {@code s} selects ({@link dev.proflab.report.DensityMap#selectedSamples}),
     * or -1 when it cannot be read; kept per file version and selection.
     */
    long samples(Window w, dev.proflab.report.Selection s) {
        String key = Key.of(w) + " " + s.key();
        synchronized (samples) {
            Long n = samples.get(key);
            if (n != null) {
                return n;
            }
        }
        Read r = read(w);
        long n = r.profile() == null ? -1 : dev.proflab.report.DensityMap.selectedSamples(r.profile(), s);
        synchronized (samples) {
            samples.put(key, n);
            var it = samples.entrySet().iterator();
            while (samples.size() > MAX_COUNTS) {
                it.next();
                it.remove();
            }
        }
        return n;
    }

    // ---- /api/meta ----------------------------------------------------------------------------

    /** The fields of {@code /api/meta} that tell the selection: which windows, their span, warnings. */
    ObjectNode describe(Picked p) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("kind", p.kind());
        o.put("range", p.range());
        o.put("label", label(p));
        ArrayNode ws = o.putArray("windows");
        p.windows().forEach(w -> ws.add(w.name()));
        Window first = p.windows().get(0);
        Window last = p.windows().get(p.windows().size() - 1);
        o.put("from", first.start().toString());
        o.put("to", last.end().toString());
        ArrayNode w = o.putArray("warnings");
        p.warnings().forEach(w::add);
        return o;
    }

    /** {@code cpu 2026-11-26 10:45:00 UTC (30s)}, {@code cpu: 3 windows, 2026-11-26 10:45:00 to 10:47:00 UTC}. */
    static String label(Picked p) {
        Window first = p.windows().get(0);
        if (p.windows().size() == 1) {
            return p.kind() + " " + HMS.format(first.start()) + " UTC"
                    + (first.duration() == null ? "" : " (" + seconds(first.duration()) + ")");
        }
        Window last = p.windows().get(p.windows().size() - 1);
        String a = HMS.format(first.start());
        String b = HMS.format(last.start());
        if (a.substring(0, 10).equals(b.substring(0, 10))) {
            b = b.substring(11);
        }
        return p.kind() + ": " + p.windows().size() + " windows merged, " + a + " to " + b + " UTC";
    }

    private static String seconds(Duration d) {
        double s = d.toMillis() / 1000.0;
        return s == Math.rint(s) ? (long) s + "s" : String.format(Locale.ROOT, "%.1fs", s);
    }
}
