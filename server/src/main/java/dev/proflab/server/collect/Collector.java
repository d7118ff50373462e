package dev.proflab.server.collect;

import dev.proflab.profile.ProfileKind;
import dev.proflab.server.fetch.FetchException;
import dev.proflab.server.fetch.ProfileFetcher;
import dev.proflab.server.fetch.TimedExchange;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The collection loop of {@code proflab collect}: the seed's {@code scripts/collect-pprof.sh} (a {@code while true}
 * of {@code curl}s into {@code profiles/cpu/cpu_$(date +%Y%m%d-%H%M%S).pb.gz}), made robust.
 *
 * <ul>
 *   <li>Cycles start every {@code interval} on a fixed schedule (a late cycle starts at once; none is skipped).
 *       The captures of a cycle run one after another: the service serves one capture at a time.</li>
 *   <li>Files: {@code <out>/<kind>/<kind>_<yyyyMMdd-HHmmss>.<ext>}, the window's start in UTC ({@code -1},
 *       {@code -2} before the extension when a second is taken), written as {@code <out>/<kind>/.<name>.tmp} and
 *       renamed once the answer has been read back as a profile ({@link ProfileFetcher}): a reader never sees half
 *       a file, an error page or a truncated download is never saved, and the temporary files a killed collector
 *       left are deleted when the next one starts.</li>
 *   <li>A target that cannot be reached (refused, reset, closed mid-window) is said once:
 *       {@code target down (...): retrying every 2 s .. 60 s}, probed with a doubling wait, and
 *       {@code target back after N s} starts a new cycle at once. Any other bad answer (an error status, HTML,
 *       not a profile) is logged in the cycle's line and skipped.</li>
 *   <li>A hostile or broken target costs one window, never the collector: each answer must arrive whole within its
 *       window (or snapshot) plus {@link CollectOptions#margin()} (30 s), headers and body, and be at most
 *       {@link CollectOptions#maxProfileBytes()} (64 MB) as sent; it must be a profile of the kind and format asked
 *       for ({@link AnswerCheck#mismatch}); whatever reading it back throws, an {@link OutOfMemoryError} of a
 *       decompression bomb included, skips the window with a line that says why, and the next capture goes on.</li>
 *   <li>After each cycle, {@link Retention} keeps {@code keep} files per kind and {@code maxBytes} in all.</li>
 *   <li>{@link #stop(Duration)} (the CLI calls it from a shutdown hook on SIGINT/SIGTERM) lets a capture under way
 *       finish within the grace time, else drops it (its temporary file is deleted), and returns when the loop has
 *       ended.</li>
 *   <li>One line per cycle on the log, e.g.
 *       {@code 2026-11-26T10:45:00Z cycle 12: cpu 30 s 41 kB -> cpu/cpu_20261126-104500.pb.gz, heap 5 s 18 kB ->
 *       heap/heap_20261126-104530.pb.gz; kept 200 files (3.1 MB)}.</li>
 * </ul>
 */
public final class Collector {

    /** What a run did (tests; the CLI's last line). */
    public record Summary(long cycles, long files, long skipped, long outages, Duration downtime,
                          PushQueue.Counts pushed, PushQueue.Counts otlp) {
    }

    private final CollectOptions o;
    private final Consumer<String> log;
    private final ProfileFetcher fetcher;
    private final HttpClient probeClient;
    private final Retention retention;
    private final CountDownLatch done = new CountDownLatch(1);

    private volatile boolean stopping;
    private volatile boolean fetching;
    private volatile Thread runner;
    private final Object stopLock = new Object();
    private volatile long stopAt;
    private boolean flushing;
    private PushQueue queue;
    private PushQueue otlpQueue;
    /** The {@code event} setting of the last CPU window, appended to pushes that have none ({@link PushRecording}). */
    private volatile byte[] cpuSetting;

    private long files;
    private long skipped;
    private long outages;
    private long downNanos;

    /** {@code log}: receives whole lines (the CLI prints them to stderr). */
    public Collector(CollectOptions options, Consumer<String> log) {
        this.o = options;
        this.log = log;
        Duration longest = options.window().compareTo(options.snapshot()) > 0 ? options.window() : options.snapshot();
        this.fetcher = new ProfileFetcher(longest.plus(options.margin()), options.maxProfileBytes());
        this.probeClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3)).build();
        this.retention = options.out() == null ? null : new Retention(options.out(), options.keep(), options.maxBytes());
    }

    /** Runs cycles until {@link #stop} or {@code maxCycles}; returns what it did. */
    public Summary run() throws IOException {
        runner = Thread.currentThread();
        Path scratch = null;
        long cycle = 0;
        try {
            if (o.out() != null) {
                for (ProfileKind k : o.kinds()) {
                    Files.createDirectories(o.out().resolve(k.id()));
                }
                int stale = Retention.removeStaleTemps(o.out());
                if (stale > 0) {
                    say("removed " + stale + " temporary file" + (stale == 1 ? "" : "s") + " left by a stopped collector");
                }
            } else {
                scratch = Files.createTempDirectory("proflab-collect-");
            }
            if (o.pyroscope() != null) {
                queue = new PushQueue(o.pyroscope(), o.out() == null ? null : o.out().resolve(SPOOL), o.push(), this::say);
                queue.start();
            }
            if (o.otlp() != null) {
                otlpQueue = new PushQueue(o.otlp(), o.out() == null ? null : o.out().resolve(OTLP_SPOOL), o.push(),
                        this::say);
                otlpQueue.start();
            }
            say("collecting " + describeKinds() + " from " + o.target() + " every " + secs(o.interval())
                    + (o.out() == null ? "" : " into " + o.out() + " (" + (o.jfr() ? "jfr" : "pprof")
                    + (o.keep() > 0 ? ", keep " + o.keep() + " per kind" : "")
                    + (o.maxBytes() > 0 ? ", at most " + size(o.maxBytes()) : "") + ")")
                    + (o.pyroscope() == null ? "" : "; pushing to Pyroscope as " + o.pyroscope().name() + " at "
                    + o.pyroscope().describe())
                    + (o.otlp() == null ? "" : "; pushing OpenTelemetry profiles to " + o.otlp().endpoint()));
            long intervalNanos = o.interval().toNanos();
            long anchor = System.nanoTime();
            while (!stopping && (o.maxCycles() == 0 || cycle < o.maxCycles())) {
                long due = anchor + cycle * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0 && !sleep(wait)) {
                    break;
                }
                if (System.nanoTime() - due > intervalNanos / 10) {
                    anchor = System.nanoTime() - cycle * intervalNanos; // late: keep the interval from now on
                }
                if (stopping) {
                    break;
                }
                Down down = cycle(cycle + 1, scratch);
                if (down == null) {
                    cycle++;
                    continue;
                }
                if (!waitForTarget(down.reason)) {
                    break;
                }
                anchor = System.nanoTime() - cycle * intervalNanos; // the next cycle now
            }
            PushQueue.Counts pushed = flush();
            PushQueue.Counts otlp = otlpQueue == null ? null : otlpQueue.counts();
            return new Summary(cycle, files, skipped, outages, Duration.ofNanos(downNanos), pushed, otlp);
        } finally {
            if ((queue != null || otlpQueue != null) && !flushing) {
                flush(); // an error ended the loop: what waits still gets its grace
            }
            if (scratch != null) {
                deleteTree(scratch);
            }
            Thread.interrupted(); // a stop() that came late must not leak into the caller
            done.countDown();
        }
    }

    /**
     * Sends what waits for Pyroscope within the stop's grace ({@link CollectOptions#stopGrace()} from {@link #stop},
     * or from now when the cycles ran out); null without Pyroscope.
     */
    private PushQueue.Counts flush() {
        if (queue == null && otlpQueue == null) {
            return null;
        }
        long left;
        synchronized (stopLock) {
            flushing = true;
            Thread.interrupted(); // a stop() before this point interrupted a capture or a wait, not the flush
            left = stopping && stopAt != 0 ? stopAt + o.stopGrace().toNanos() - System.nanoTime()
                    : o.stopGrace().toNanos();
        }
        long end = System.nanoTime() + Math.max(0, left);
        prep.shutdown(); // the windows captured are queued first
        try {
            prep.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        PushQueue.Counts c = queue == null ? null : queue.flush(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        if (otlpQueue != null) {
            otlpQueue.flush(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        }
        return c;
    }

    /** What the push did so far (null without Pyroscope). */
    public PushQueue.Counts pushed() {
        return queue == null ? null : queue.counts();
    }

    /** The spool folder of the windows not yet pushed, under {@code --out}. */
    public static final String SPOOL = ".pyroscope";
    /** The spool folder of the windows not yet pushed as OpenTelemetry profiles. */
    public static final String OTLP_SPOOL = ".otlp";

    /**
     * Stops the loop: a capture under way may finish within {@code grace}, else it is dropped (nothing is left of
     * it); windows waiting for Pyroscope are sent within the same grace. Returns once the loop has ended, or after
     * {@code grace} plus 5 s.
     */
    public void stop(Duration grace) {
        synchronized (stopLock) {
            stopAt = System.nanoTime();
            stopping = true;
        }
        Thread t = runner;
        if (t == null) {
            return;
        }
        try {
            if (!fetching || !done.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                synchronized (stopLock) {
                    if (!flushing) {
                        t.interrupt();
                    }
                }
            }
            done.await(grace.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True while a capture is being fetched (tests stop the target in the middle of one). */
    boolean capturing() {
        return fetching;
    }

    /** True once {@link #run} has returned. */
    public boolean finished() {
        return done.getCount() == 0;
    }

    private record Down(String reason) {
    }

    /** One cycle; null when it ran (its line logged), a {@link Down} when the target could not be reached. */
    private Down cycle(long n, Path scratch) throws IOException {
        Instant cycleStart = Instant.now();
        List<String> parts = new ArrayList<>();
        List<Map<String, Object>> captures = new ArrayList<>();
        Set<Path> written = new HashSet<>();
        List<ProfileKind> kinds = List.copyOf(o.kinds());
        for (int k = 0; k < kinds.size(); k++) {
            ProfileKind kind = kinds.get(k);
            if (stopping) {
                break;
            }
            Duration secs = kind.isWindow() ? o.window() : o.snapshot();
            URI uri = URI.create(o.target() + kind.path() + "?seconds=" + secs.toSeconds()
                    + (o.jfr() ? "&format=jfr" : ""));
            Instant start = Instant.now();
            Path dir = (o.out() != null ? o.out() : scratch).resolve(kind.id());
            Files.createDirectories(dir);
            String name = uniqueName(dir, kind, start);
            Path file = dir.resolve(name);
            ProfileFetcher.Fetched f;
            fetching = true;
            try {
                f = fetcher.fetch(uri, file, dir.resolve("." + name + ".tmp"), o.token(), o.deadline(kind),
                        answer -> AnswerCheck.mismatch(kind, o.jfr(), answer));
            } catch (FetchException e) {
                String why = withoutUri(e.getMessage(), uri) + hint(e.reason(), kind);
                if (e.reason() == FetchException.Reason.UNREACHABLE && !stopping && !reachable()) {
                    return new Down(downReason(why));
                }
                parts.add(kind.id() + " skipped (" + why + ")");
                captures.add(record("kind", kind.id(), "skipped", why));
                skipped++;
                continue;
            } catch (InterruptedException e) {
                parts.add(kind.id() + " dropped (stopping)");
                captures.add(record("kind", kind.id(), "skipped", "stopping"));
                break;
            } catch (RuntimeException | Error e) {
                // a bug, or the JVM out of memory on a hostile answer: this window is lost, not the collector
                String why = e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage().strip().replaceAll("\\s+", " "));
                parts.add(kind.id() + " skipped (" + why + ")");
                captures.add(record("kind", kind.id(), "skipped", why));
                skipped++;
                continue;
            } finally {
                fetching = false;
            }
            Instant until = Instant.now();
            files++;
            written.add(file.toAbsolutePath());
            parts.add(kind.id() + " " + secs.toSeconds() + " s " + size(f.bytes())
                    + (o.out() == null ? "" : " -> " + kind.id() + "/" + name));
            captures.add(record("kind", kind.id(), "seconds", secs.toSeconds(), "bytes", f.bytes(),
                    "file", o.out() == null ? null : kind.id() + "/" + name));
            if (queue != null || otlpQueue != null) {
                // filtered, converted and queued on another thread, never waited for: the next capture starts on
                // time whatever the window's size or Pyroscope does
                ProfileKind k0 = kind;
                Path d0 = dir;
                Instant s0 = start;
                prep.execute(() -> prepareAndQueue(k0, file, d0, s0, until));
            }
        }
        StringBuilder line = new StringBuilder(stamp(cycleStart)).append(" cycle ").append(n).append(": ")
                .append(parts.isEmpty() ? "nothing (stopping)" : String.join(", ", parts));
        Map<String, Object> rec = record("event", "cycle", "time", stamp(cycleStart), "cycle", n,
                "captures", captures);
        if (queue != null) {
            PushQueue.Counts c = queue.counts();
            rec.put("pyroscope", counts(c));
            line.append("; Pyroscope: ").append(c.delivered()).append(" delivered, ").append(c.retried())
                    .append(" retried, ").append(c.dropped()).append(" dropped, ").append(c.queued()).append(" waiting");
        }
        if (otlpQueue != null) {
            PushQueue.Counts c = otlpQueue.counts();
            line.append("; OTLP: ").append(c.delivered()).append(" delivered, ").append(c.retried())
                    .append(" retried, ").append(c.dropped()).append(" dropped, ").append(c.queued()).append(" waiting");
            rec.put("otlp", counts(c));
        }
        if (retention != null) {
            Retention.Result r = retention.apply(written.stream().map(Path::toAbsolutePath).collect(Collectors.toSet()));
            line.append("; kept ").append(r.files()).append(r.files() == 1 ? " file (" : " files (").append(size(r.bytes()))
                    .append(')');
            if (r.deleted() > 0) {
                line.append(", deleted ").append(r.deleted());
            }
            if (!r.withinQuota()) {
                line.append(", over --max-bytes ").append(size(o.maxBytes())).append(": one cycle is bigger");
            }
            rec.put("kept", record("files", r.files(), "bytes", r.bytes(), "deleted", r.deleted(),
                    "within_quota", r.withinQuota()));
        }
        rec.put("message", line.toString());
        if (records != null) {
            records.accept(rec);
        } else {
            log.accept(line.toString());
        }
        return null;
    }

    /**
     * The pushes' side of a window: filters it ({@link PushRecording}) for Pyroscope, converts it for OTLP, queues
     * both, and deletes the file when nothing is kept. On the {@link #prep} thread.
     */
    private void prepareAndQueue(ProfileKind kind, Path file, Path dir, Instant start, Instant until) {
        try {
            if (queue != null) {
                try {
                    o.pyroscope().learnRuntime(file);
                    if (kind == ProfileKind.CPU) {
                        byte[] setting = PushRecording.eventSetting(file, dir);
                        if (setting != null) {
                            cpuSetting = setting;
                        }
                    }
                    queue.offer(kind, PushRecording.prepare(kind, file, cpuSetting, dir), start, until);
                } catch (IOException | RuntimeException | Error e) { // out of memory on a huge window: not fatal
                    say(stamp(Instant.now()) + " the " + kind.id() + " window of " + stamp(start)
                            + " is not pushed to Pyroscope: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                }
            }
            if (otlpQueue != null) {
                try {
                    otlpQueue.offer(kind, o.otlp().convert(kind, file), start, until);
                } catch (IOException | RuntimeException | Error e) {
                    say(stamp(Instant.now()) + " the " + kind.id() + " window of " + stamp(start)
                            + " is not pushed as OTLP: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                }
            }
        } finally {
            if (o.out() == null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // the scratch folder goes at the end
                }
            }
        }
    }

    /**
     * One thread for {@link #prepareAndQueue}, windows in order; at most 4 wait for it, beyond that the collector
     * does the work itself (memory stays bounded; a window far bigger than the interval costs time, not memory).
     */
    private final java.util.concurrent.ThreadPoolExecutor prep = new java.util.concurrent.ThreadPoolExecutor(1, 1,
            0, TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(4), r -> {
        Thread t = new Thread(r, "proflab-push-prepare");
        t.setDaemon(true);
        return t;
    }, new java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy());

    /** Says the target is down (once), waits with a doubling backoff until it answers; false when stopped. */
    private boolean waitForTarget(String reason) {
        outages++;
        say(stamp(Instant.now()) + " target down (" + reason + "): retrying every " + secs(o.backoffMin()) + " .. "
                + secs(o.backoffMax()));
        long since = System.nanoTime();
        long backoff = o.backoffMin().toNanos();
        while (!stopping) {
            if (!sleep(backoff)) {
                break;
            }
            if (reachable()) {
                long down = System.nanoTime() - since;
                downNanos += down;
                say(stamp(Instant.now()) + " target back after " + Math.round(down / 1e9) + " s");
                return true;
            }
            backoff = Math.min(backoff * 2, o.backoffMax().toNanos());
        }
        downNanos += System.nanoTime() - since;
        return false;
    }

    /**
     * True when the target answers HTTP at all (the index of /debug/pprof/, whatever its status) within 5 s; its body
     * is not read.
     */
    private boolean reachable() {
        Duration limit = Duration.ofSeconds(5);
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(o.target() + ProfileKind.PPROF_PATH))
                .timeout(limit).header("User-Agent", "proflab-collect").GET();
        if (o.token() != null) {
            rb.header("Authorization", "Bearer " + o.token());
        }
        try (TimedExchange x = TimedExchange.send(probeClient, rb.build(), limit)) {
            return x.status() > 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            stopping = true;
            return false;
        }
    }

    /** What to do about a limit that was hit, in the collector's words (it has no --timeout). */
    private String hint(FetchException.Reason reason, ProfileKind kind) {
        return switch (reason) {
            case TIMEOUT -> ": the " + (kind.isWindow() ? "window" : "snapshot") + " plus " + secs(o.margin());
            case TOO_LARGE -> ": --max-profile-bytes";
            default -> "";
        };
    }

    /** Sleeps; false when stopped meanwhile. */
    private boolean sleep(long nanos) {
        if (stopping) {
            return false;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return !stopping;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** {@code kind_yyyyMMdd-HHmmss.ext}, or with {@code -1}, {@code -2} when that second is taken. */
    String uniqueName(Path dir, ProfileKind kind, Instant start) {
        String base = kind.id() + "_" + LocalDateTime.ofInstant(start, ZoneOffset.UTC).format(Retention.STAMP);
        String ext = o.extension();
        for (int i = 0; ; i++) {
            String name = base + (i == 0 ? "" : "-" + i) + ext;
            if (!Files.exists(dir.resolve(name)) && !Files.exists(dir.resolve("." + name + ".tmp"))) {
                return name;
            }
        }
    }

    private String describeKinds() {
        return o.kinds().stream().map(k -> k.id() + " (" + secs(k.isWindow() ? o.window() : o.snapshot()) + ")")
                .collect(Collectors.joining(", "));
    }

    private void say(String line) {
        if (records != null) {
            records.accept(record("event", "log", "time", stamp(Instant.now()), "message", line));
        } else {
            log.accept(line);
        }
    }

    private volatile Consumer<Map<String, Object>> records;

    /**
     * Sends every line as a record instead ({@code --log-format json}): {@code event} {@code cycle} (with
     * {@code cycle}, {@code captures}, {@code pyroscope}: {@link #counts}, {@code kept}) or {@code log}, and
     * {@code time}, {@code message} (the text line). Call before {@link #run}.
     */
    public Collector withRecords(Consumer<Map<String, Object>> r) {
        this.records = r;
        return this;
    }

    /** {@code delivered}, {@code retried}, {@code dropped}, {@code waiting}: the fields of the JSON records. */
    public static Map<String, Object> counts(PushQueue.Counts c) {
        return record("delivered", c.delivered(), "retried", c.retried(), "dropped", c.dropped(), "waiting",
                c.queued());
    }

    /** An ordered map of key, value pairs. */
    static Map<String, Object> record(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String withoutUri(String message, URI uri) {
        String m = message == null ? "failed" : message;
        String prefix = uri + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    private static String downReason(String why) {
        if (why.startsWith("cannot connect")) {
            return "connection refused";
        }
        if (why.startsWith("no connection within")) {
            return why;
        }
        return "connection lost: " + why;
    }

    static String stamp(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String secs(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** 512 B, 41 kB, 3.1 MB, 1.2 GB (powers of 1024, as the JVM's -Xmx). */
    public static String size(long b) {
        return b < 1024 ? b + " B" : ProfileFetcher.size(b);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temporary folder: the OS cleans it in the end
                }
            });
        } catch (IOException ignored) {
            // idem
        }
    }
}
