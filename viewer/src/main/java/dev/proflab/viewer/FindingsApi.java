package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.analysis.FileAnalysis;
import dev.proflab.analysis.Finding;
import dev.proflab.analysis.Findings;
import dev.proflab.analysis.JmcRules;
import dev.proflab.profile.Profile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code GET /api/findings?all=}: what {@code proflab analyze FILE --format json [--all]} says of the file shown ({@link
 * FileAnalysis}, rendered by {@link Findings#json}), with what the page needs to show each finding's evidence:
 *
 * <pre>{@code
 * {"file", "rulesEvaluated", "findings": [{"rule", "source", "score", "severity", "summary", "explanation",
 *    "evidence": [...], "next", "focus": {"event", "frames": [...], "threads": [...], "range": {"from", "to"}}}],
 *  "scope": "...", "jmc": {"state": "running" | "done" | "off", "note"}}
 * }</pre>
 *
 * <p>proflab's own rules answer at once (a fraction of a second; computed at the first request and kept). JDK
 * Mission Control's take seconds on a large recording (its parser holds every event): they run on a thread of their
 * own, started after the page's first views are computed ({@link #startJmc}) or by the first request, within the
 * limits {@code proflab analyze} gives them; until they are done {@code jmc.state} is {@code running} and the page
 * asks again. A folder of windows: proflab's rules only, on the windows selected (merged).
 *
 * <p>{@code focus} is what of the evidence the page can show: the frames (names of the profile's frames that the
 * finding names) and threads (names of its threads) it rests on, and the event they are of; never a name that is not
 * in the profile; and the time range (nanoseconds since the start) of the recording's longest GC pause for the GC
 * finding, when its timeline is kept in memory ({@link TimelineApi#longest}).
 */
final class FindingsApi {

    /** Finding states of JMC's rules. */
    enum JmcState { OFF, WAITING, RUNNING, DONE }

    private final Path file;
    private final Function<String, Profile> profileOf;
    /** The recording's longest GC pause, for the GC finding's focus (null: none known). */
    private final java.util.function.Supplier<dev.proflab.profile.Timeline.Band> longestPause;
    private final boolean jfr;
    private volatile JmcRules.Limits limits = defaultLimits();

    private Own own;
    private volatile JmcState jmcState;
    private volatile FileAnalysis.Result jmc;

    /** proflab's findings and the focus of each. */
    private record Own(FileAnalysis.Result result, Map<Finding, ObjectNode> focusOf) {
    }

    /**
     * @param file the recording shown
     * @param profileOf the profile of one of its events (the server's, read once)
     * @param jfr whether it is a JFR recording (JMC's rules read nothing else)
     * @param longestPause the recording's longest GC pause on its timeline, or null (the GC finding's time range)
     */
    FindingsApi(Path file, Function<String, Profile> profileOf, boolean jfr,
                java.util.function.Supplier<dev.proflab.profile.Timeline.Band> longestPause) {
        this.file = file;
        this.profileOf = profileOf;
        this.longestPause = longestPause;
        this.jfr = jfr;
        this.jmcState = jfr ? JmcState.WAITING : JmcState.OFF;
    }

    /**
     * JMC's parser holds every event in memory, and in the viewer it shares the heap with the page's profiles: it is
     * given files up to a 16th of the heap (and {@code analyze}'s 256 MB at most), within {@code analyze}'s time.
     */
    static JmcRules.Limits defaultLimits() {
        return new JmcRules.Limits(Math.min(JmcRules.Limits.DEFAULT.maxBytes(), Runtime.getRuntime().maxMemory() / 16),
                JmcRules.Limits.DEFAULT.deadline());
    }

    /** How far JMC's rules may go; null: they do not run. Before they start. */
    void limits(JmcRules.Limits l) {
        this.limits = l;
        if (l == null) {
            jmcState = JmcState.OFF;
        }
    }

    /** Starts JMC's rules on a thread of their own, once; nothing when they are off or started. */
    void startJmc() {
        synchronized (this) {
            if (jmcState != JmcState.WAITING) {
                return;
            }
            jmcState = JmcState.RUNNING;
        }
        JmcRules.Limits l = limits;
        Thread t = new Thread(() -> {
            FileAnalysis.Result r;
            try {
                r = FileAnalysis.jmcRules(file, l);
            } catch (RuntimeException | OutOfMemoryError e) {
                r = new FileAnalysis.Result(List.of(new Finding("proflab.jmc-rules", "proflab", -1, Finding.Severity.NA,
                        "JDK Mission Control's rules failed: " + e.getMessage(), "", List.of(), "")), 0);
            }
            jmc = r;
            jmcState = JmcState.DONE;
        }, "proflab-view-jmc");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);   // the page's requests first
        t.start();
    }

    JmcState jmcState() {
        return jmcState;
    }

    /** The answer for the whole recording. */
    void findings(Exchange ctx) {
        startJmc();
        Own o = own();
        FileAnalysis.Result all = o.result();
        JmcState state = jmcState;
        if (state == JmcState.DONE) {
            all = all.plus(jmc);
        }
        ObjectNode root = render(file.getFileName().toString(), all, o.focusOf(), all(ctx));
        root.put("scope", "the whole recording: proflab's rules on each of its events"
                + (jfr ? ", JDK Mission Control's on the file" : ""));
        ObjectNode j = root.putObject("jmc");
        j.put("state", state.name().toLowerCase(java.util.Locale.ROOT).replace("waiting", "running"));
        j.put("note", switch (state) {
            case OFF -> jfr ? "JDK Mission Control's rules are off" : "JDK Mission Control's rules read JFR recordings only";
            case WAITING, RUNNING -> "JMC rules running…";
            case DONE -> jmc.findings().stream().anyMatch(f -> f.rule().equals("proflab.jmc-rules"))
                    ? "the viewer gives JDK Mission Control's parser files up to " + (limits.maxBytes() >> 20)
                    + " MB (a 16th of its heap); proflab analyze FILE runs its rules on larger ones (--jmc-max-size)"
                    : "";
        });
        write(ctx, root);
    }

    /** The answer for windows of a folder, merged: proflab's rules on them. */
    static void findings(Exchange ctx, HistoryApi.Picked picked) {
        Profile p = picked.profile();
        String name = HistoryApi.label(picked);
        FileAnalysis.Result r = FileAnalysis.profileRules(p, name);
        Map<Finding, ObjectNode> focusOf = new IdentityHashMap<>();
        // the page shows the kind selected: no event to switch to
        r.findings().forEach(f -> focusOf.put(f, focus(f, p, null)));
        ObjectNode root = render(name, r, focusOf, all(ctx));
        root.put("scope", "proflab's rules on the windows selected (" + picked.windows().size() + ", merged); JDK "
                + "Mission Control's rules run on one JFR recording (proflab view FILE, proflab analyze FILE)");
        ObjectNode j = root.putObject("jmc");
        j.put("state", "off");
        j.put("note", "JDK Mission Control's rules run on one JFR recording, not on a folder's windows");
        write(ctx, root);
    }

    /** {@code all=true}: every rule's result, also OK and not applicable ({@code analyze --all}). */
    private static boolean all(Exchange ctx) {
        String v = Params.get(ctx, "all");
        if (v != null && !v.equals("true") && !v.equals("false")) {
            throw new BadRequest("all: '" + Params.shorten(v) + "' is not true or false");
        }
        return "true".equals(v);
    }

    private synchronized Own own() {
        if (own == null) {
            Map<Finding, String> eventOf = new IdentityHashMap<>();
            Map<String, Profile> read = new java.util.LinkedHashMap<>();   // each event's profile, in the file's order
            FileAnalysis.Result r = FileAnalysis.profileRules(file, e -> read.computeIfAbsent(e, profileOf),
                    eventOf::put);
            Map<Finding, ObjectNode> focusOf = new IdentityHashMap<>();
            for (Finding f : r.findings()) {
                String e = eventOf.get(f);
                ObjectNode fo = focus(f, e == null ? null : read.get(e), e);
                if (e == null) {
                    // a rule of the recording's own events (a lock's waits): the first event whose profile has the
                    // frames or threads it names, the lock event first (those rules are of waits)
                    List<Map.Entry<String, Profile>> order = new ArrayList<>(read.entrySet());
                    order.sort(java.util.Comparator.comparing(x -> !x.getKey().equals("lock")));
                    for (Map.Entry<String, Profile> p : order) {
                        ObjectNode o = focus(f, p.getValue(), p.getKey());
                        if (!o.get("frames").isEmpty() || !o.get("threads").isEmpty()) {
                            fo = o;
                            break;
                        }
                    }
                }
                if (f.rule().equals("proflab.gc-pauses")) {
                    // its evidence names the longest pause: that pause on the timeline, as a time range
                    dev.proflab.profile.Timeline.Band b = longestPause.get();
                    if (b != null) {
                        ObjectNode range = fo.putObject("range");
                        range.put("from", b.start());
                        range.put("to", b.end());
                    }
                }
                focusOf.put(f, fo);
            }
            own = new Own(r, focusOf);
        }
        return own;
    }

    /** {@link Findings#json} of the findings shown, each with its {@code focus} (none: JMC's). */
    private static ObjectNode render(String name, FileAnalysis.Result r, Map<Finding, ObjectNode> focusOf, boolean all) {
        List<Finding> shown = Findings.shown(r.findings(), all);
        ObjectNode root;
        try {
            root = (ObjectNode) Json.MAPPER.readTree(Findings.json(name, shown, r.evaluated()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ArrayNode arr = (ArrayNode) root.get("findings");
        for (int i = 0; i < shown.size(); i++) {
            ObjectNode focus = focusOf.get(shown.get(i));
            ((ObjectNode) arr.get(i)).set("focus", focus == null ? focus(shown.get(i), null, null) : focus);
        }
        return root;
    }

    /** {@code {"event", "frames", "threads"}} of a finding on {@code p} (null: nothing to look up). */
    static ObjectNode focus(Finding f, Profile p, String event) {
        ObjectNode focus = Json.MAPPER.createObjectNode();
        if (event == null) {
            focus.putNull("event");
        } else {
            focus.put("event", event);
        }
        ArrayNode frames = focus.putArray("frames");
        ArrayNode threads = focus.putArray("threads");
        focus.putNull("range");
        if (p != null) {
            evidence(f, p, frames, threads);
        }
        return focus;
    }

    /** The frames and threads of {@code p} that the finding names in its evidence (and summary). */
    static void evidence(Finding f, Profile p, ArrayNode frames, ArrayNode threads) {
        Set<String> frameCandidates = new LinkedHashSet<>();
        Set<String> threadCandidates = new LinkedHashSet<>();
        List<String> texts = new ArrayList<>(f.evidence());
        for (String e : texts) {
            int flat = e.indexOf(": flat ");
            if (flat > 0) {
                frameCandidates.add(e.substring(0, flat));
            }
            String nearest = "nearest own code below the leaves: ";
            if (e.startsWith(nearest) && e.lastIndexOf(" (") > nearest.length()) {
                frameCandidates.add(e.substring(nearest.length(), e.lastIndexOf(" (")));
            }
            String from = "waits from ";   // a lock's waits by the site they come from
            if (e.startsWith(from) && e.lastIndexOf(": ") > from.length()) {
                frameCandidates.add(e.substring(from.length(), e.lastIndexOf(": ")));
            }
            if (e.startsWith("thread ")) {
                threadCandidates.add(e.substring("thread ".length()));
            }
        }
        // the dominant frame's summary starts with the frame it names ("NAME (own code) runs ...")
        String s = f.summary();
        for (int at = s.indexOf(" ("); at > 0; at = s.indexOf(" (", at + 1)) {
            frameCandidates.add(s.substring(0, at));
        }
        if (!frameCandidates.isEmpty()) {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < p.frameCount(); i++) {
                names.add(p.frame(i).name());
            }
            frameCandidates.stream().filter(names::contains).forEach(frames::add);
        }
        if (!threadCandidates.isEmpty()) {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < p.threadCount(); i++) {
                names.add(p.threadName(i));
            }
            threadCandidates.stream().filter(names::contains).forEach(threads::add);
        }
    }

    private static void write(Exchange ctx, JsonNode o) {
        try {
            ctx.contentType("application/json").result(Json.MAPPER.writeValueAsString(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
