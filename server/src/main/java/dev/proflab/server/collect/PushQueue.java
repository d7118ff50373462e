package dev.proflab.server.collect;

import dev.proflab.profile.ProfileKind;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Delivers finished windows to Pyroscope without ever holding up a capture: {@link #offer} queues a window and
 * returns; one sender thread pushes them in order, oldest first.
 *
 * <ul>
 *   <li>A try answered 429 or 5xx, or without an answer (refused, reset, timed out), is tried again after a doubling
 *       wait with jitter ({@link PushSettings#firstBackoff()} .. {@link PushSettings#maxBackoff()}), or after the
 *       server's {@code Retry-After} when it sent one (at most {@link PushSettings#MAX_RETRY_AFTER}). The windows
 *       behind it wait: order is kept. An outage is said once, and its end once.</li>
 *   <li>Any other refusal (400, 422: the request is wrong) drops that window with its reason; 401 and 403 (the
 *       credentials) are said once with the server's reason, until a push is accepted again.</li>
 *   <li>A window whose start is older than {@link PushSettings#maxAge()} is given up (Pyroscope would refuse it).</li>
 *   <li>At most {@link PushSettings#queueMax()} windows and {@link PushSettings#queueMaxBytes()} wait; beyond that
 *       the oldest waiting one is dropped (never the one being sent), with one line that says how many.</li>
 *   <li>With a spool folder (the collector's {@code <out>/.pyroscope}) each window is also written there (as
 *       {@code .NAME.tmp}, then renamed) and deleted once delivered or dropped: a collector that is stopped or killed
 *       leaves the windows not yet delivered, and the next one sends them first.</li>
 *   <li>{@link #flush} sends what it can within a grace time, then stops the sender.</li>
 * </ul>
 */
public final class PushQueue {

    /** The clock and the waits of the sender; tests replace them to run outages without waiting. */
    public interface Timing {
        long nanoTime();

        Instant now();

        /** Waits on {@code monitor} (held by the caller) for up to {@code nanos}; may return early. */
        void await(Object monitor, long nanos) throws InterruptedException;

        Timing SYSTEM = new Timing() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Instant now() {
                return Instant.now();
            }

            @Override
            public void await(Object monitor, long nanos) throws InterruptedException {
                TimeUnit.NANOSECONDS.timedWait(monitor, nanos);
            }
        };
    }

    /** Where windows go: Pyroscope's {@code /ingest}, or OpenTelemetry profiles. */
    public interface Sink {
        /** One request with {@code gz}, the gzipped payload queued; never throws for what the network does. */
        PyroscopeUploader.Attempt attempt(ProfileKind kind, byte[] gz, Instant from, Instant until)
                throws InterruptedException;

        /** How the log names the receiver. */
        default String receiver() {
            return "Pyroscope";
        }
    }

    /** What the queue did so far; {@code queued}: waiting now (the one being sent included). */
    public record Counts(long delivered, long retried, long dropped, int queued) {
    }

    /** One window: on disk ({@code file}) or in memory ({@code gz}). */
    private record Window(long seq, ProfileKind kind, Instant from, Instant until, Path file, byte[] gz, long bytes) {
        String describe() {
            return kind.id() + " window of " + Collector.stamp(from);
        }
    }

    /** {@code <seq>_<kind>_<from ms>_<until ms>.jfr.gz}. */
    private static final Pattern SPOOLED = Pattern.compile("(\\d{1,18})_([a-z]+)_(\\d{1,18})_(\\d{1,18})\\.jfr\\.gz");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Sink uploader;
    private final String who;
    private final Path spool;
    private final PushSettings s;
    private final Timing timing;
    private final Consumer<String> log;
    private final Deque<Window> queue = new ArrayDeque<>();

    private long nextSeq = 1;
    private long bytes;
    private Window sending;
    private boolean closing;
    private long closeDeadline;
    private long delivered;
    private long retried;
    private long dropped;
    private Thread sender;

    /**
     * @param spool a folder for the windows not yet delivered (created; what a previous run left there is queued
     *              first), or null to keep them in memory only
     * @param log   receives whole lines
     */
    public PushQueue(Sink uploader, Path spool, PushSettings settings, Consumer<String> log)
            throws IOException {
        this.uploader = uploader;
        this.who = uploader.receiver();
        this.spool = spool;
        this.s = settings;
        this.timing = settings.timing();
        this.log = log;
        if (spool != null) {
            Files.createDirectories(spool);
            recover();
        }
    }

    /** Queues what a previous run left in the spool folder, oldest first; deletes its half-written files. */
    private void recover() throws IOException {
        List<Window> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(spool)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") && n.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                    continue;
                }
                Matcher m = SPOOLED.matcher(n);
                ProfileKind kind = m.matches() ? kindOf(m.group(2)) : null;
                if (kind == null) {
                    continue; // not ours: left alone
                }
                found.add(new Window(Long.parseLong(m.group(1)), kind, Instant.ofEpochMilli(Long.parseLong(m.group(3))),
                        Instant.ofEpochMilli(Long.parseLong(m.group(4))), p, null, Files.size(p)));
            }
        }
        found.sort(Comparator.comparingLong(Window::seq));
        for (Window w : found) {
            queue.addLast(w);
            bytes += w.bytes();
            nextSeq = Math.max(nextSeq, w.seq() + 1);
        }
        if (!found.isEmpty()) {
            say(found.size() + " window" + (found.size() == 1 ? "" : "s") + " of a previous run wait" + (found.size() == 1
                    ? "s" : "") + " in " + spool + ": sent first");
        }
        int over = trim();
        if (over > 0) {
            say(who + " queue full (" + limits() + "): dropped the oldest " + over + " window" + (over == 1 ? "" : "s"));
        }
    }

    private static ProfileKind kindOf(String id) {
        try {
            return ProfileKind.of(id);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Starts the sender thread (a daemon). */
    public synchronized void start() {
        if (sender != null) {
            return;
        }
        sender = new Thread(this::sendLoop, "proflab-pyroscope-push");
        sender.setDaemon(true);
        sender.start();
    }

    /**
     * Queues the recording {@code jfr} as the window {@code from}..{@code until} of {@code kind}; returns at once.
     * The file is read (and gzipped) now: the caller may delete it afterwards.
     *
     * @throws IOException when the recording cannot be read, or the spool folder cannot be written
     */
    public void offer(ProfileKind kind, Path jfr, Instant from, Instant until) throws IOException {
        offer(kind, Files.readAllBytes(jfr), from, until);
    }

    /** As {@link #offer(ProfileKind, Path, Instant, Instant)}, with the recording's bytes. */
    public void offer(ProfileKind kind, byte[] jfr, Instant from, Instant until) throws IOException {
        byte[] gz = PyroscopeUploader.gzip(jfr);
        long seq;
        synchronized (this) {
            seq = nextSeq++;
        }
        Window w;
        if (spool != null) {
            String name = seq + "_" + kind.id() + "_" + from.toEpochMilli() + "_" + until.toEpochMilli() + ".jfr.gz";
            Path file = spool.resolve(name);
            Path tmp = spool.resolve("." + name + ".tmp");
            Files.write(tmp, gz);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            w = new Window(seq, kind, from, until, file, null, gz.length);
        } else {
            w = new Window(seq, kind, from, until, null, gz, gz.length);
        }
        int over;
        synchronized (this) {
            queue.addLast(w);
            bytes += w.bytes();
            over = trim();
            notifyAll();
        }
        if (over > 0) {
            say(who + " queue full (" + limits() + "): dropped the oldest " + over + " waiting window"
                    + (over == 1 ? "" : "s") + " (" + counts().dropped() + " dropped in all)");
        }
    }

    private String limits() {
        return "--queue-max " + s.queueMax() + ", --queue-max-bytes " + Collector.size(s.queueMaxBytes());
    }

    /** Drops the oldest waiting windows (never the one being sent) beyond the limits; returns how many. */
    private synchronized int trim() {
        int n = 0;
        Iterator<Window> it = queue.iterator();
        while ((queue.size() > s.queueMax() || bytes > s.queueMaxBytes()) && queue.size() > 1 && it.hasNext()) {
            Window w = it.next();
            if (w == sending) {
                continue;
            }
            it.remove();
            bytes -= w.bytes();
            dropped++;
            n++;
            deleteSpooled(w);
        }
        return n;
    }

    public synchronized Counts counts() {
        return new Counts(delivered, retried, dropped, queue.size());
    }

    /**
     * Stops taking windows and sends what waits, in order, for at most {@code grace}; then stops the sender. What is
     * left stays in the spool folder for the next run (then it is not counted as dropped), or, in memory only, is
     * dropped. Returns the counts after it.
     */
    public Counts flush(Duration grace) {
        Thread t;
        synchronized (this) {
            closing = true;
            closeDeadline = timing.nanoTime() + grace.toNanos();
            notifyAll();
            t = sender;
        }
        if (t != null) {
            try {
                t.join(Math.max(1, grace.toMillis()) + 500);
                if (t.isAlive()) {
                    t.interrupt(); // a request under way past the grace
                    t.join(2000);
                }
            } catch (InterruptedException e) {
                t.interrupt();
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            int left = queue.size();
            if (left > 0) {
                if (spool != null) {
                    say(left + " window" + (left == 1 ? "" : "s") + " not yet delivered kept in " + spool
                            + " for the next start");
                } else {
                    dropped += left;
                    say(left + " window" + (left == 1 ? "" : "s") + " not delivered within --stop-grace: dropped");
                    queue.clear();
                    bytes = 0;
                }
            }
            return counts();
        }
    }

    private void sendLoop() {
        long backoff = s.firstBackoff().toNanos();
        long outageSince = -1;
        String outage = null;
        boolean refusedSaid = false;
        try {
            while (true) {
                Window w;
                synchronized (this) {
                    while (queue.isEmpty() && !closing) {
                        wait();
                    }
                    if (queue.isEmpty() || closing && timing.nanoTime() - closeDeadline >= 0) {
                        return;
                    }
                    w = queue.peekFirst();
                    sending = w;
                }
                Instant now = timing.now();
                if (Duration.between(w.from(), now).compareTo(s.maxAge()) > 0) {
                    done(w, false);
                    say("gave up the " + w.describe() + ": older than --push-max-age " + human(s.maxAge())
                            + " (Pyroscope refuses older profiles)");
                    continue;
                }
                byte[] gz;
                try {
                    gz = w.gz() != null ? w.gz() : Files.readAllBytes(w.file());
                } catch (IOException e) {
                    done(w, false);
                    say("dropped the " + w.describe() + ": cannot read " + w.file() + " (" + e.getMessage() + ")");
                    continue;
                }
                PyroscopeUploader.Attempt a = uploader.attempt(w.kind(), gz, w.from(), w.until());
                gz = null;
                if (a.ok()) {
                    done(w, true);
                    if (outage != null) {
                        say(Collector.stamp(timing.now()) + " " + who + " back after "
                                + Math.round((timing.nanoTime() - outageSince) / 1e9) + " s; " + counts().queued()
                                + " window(s) still to send");
                        outage = null;
                    }
                    if (refusedSaid) {
                        say(Collector.stamp(timing.now()) + " " + who + " accepts the pushes again");
                        refusedSaid = false;
                    }
                    backoff = s.firstBackoff().toNanos();
                    continue;
                }
                if (!a.retry()) {
                    done(w, false);
                    if (a.refused()) {
                        if (!refusedSaid) {
                            say(Collector.stamp(timing.now()) + " " + who + " refuses the credentials: " + a.message()
                                    + "; windows are dropped until it accepts them (check --pyroscope-token-file,"
                                    + " --pyroscope-basic-auth-file, --tenant)");
                            refusedSaid = true;
                        }
                    } else {
                        say("dropped the " + w.describe() + ": " + a.message());
                    }
                    continue;
                }
                long wait;
                if (a.retryAfter() != null) {
                    wait = Math.max(s.firstBackoff().toNanos() / 10,
                            Math.min(a.retryAfter().toNanos(), PushSettings.MAX_RETRY_AFTER.toNanos()));
                } else {
                    wait = backoff / 2 + (long) (RANDOM.nextDouble() * (backoff - backoff / 2));
                }
                backoff = Math.min(backoff * 2, s.maxBackoff().toNanos());
                synchronized (this) {
                    retried++;
                    sending = null;
                    if (outage == null) {
                        outage = a.message();
                        outageSince = timing.nanoTime();
                        say(Collector.stamp(timing.now()) + " " + who + " unavailable (" + a.message() + "): windows wait"
                                + " in the queue (" + queue.size() + " now), tried again every "
                                + Collector.secs(s.firstBackoff()) + " .. " + Collector.secs(s.maxBackoff())
                                + (a.retryAfter() != null ? " or as Retry-After says" : ""));
                    }
                    long end = timing.nanoTime() + wait;
                    while (true) {
                        long left = end - timing.nanoTime();
                        if (closing && end - closeDeadline > 0) {
                            return; // the next try would come after the grace
                        }
                        if (left <= 0) {
                            break;
                        }
                        timing.await(this, left);
                    }
                }
            }
        } catch (InterruptedException e) {
            // flush: the grace is over
        } finally {
            synchronized (this) {
                sending = null;
            }
        }
    }

    /** Takes {@code w} off the queue: delivered, or dropped. */
    private void done(Window w, boolean ok) {
        synchronized (this) {
            sending = null;
            if (queue.remove(w)) {
                bytes -= w.bytes();
                if (ok) {
                    delivered++;
                } else {
                    dropped++;
                }
            }
        }
        deleteSpooled(w);
    }

    private void deleteSpooled(Window w) {
        if (w.file() != null) {
            try {
                Files.deleteIfExists(w.file());
            } catch (IOException e) {
                say("cannot delete " + w.file() + ": " + e.getMessage());
            }
        }
    }

    private void say(String line) {
        log.accept(line);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + " h";
        }
        if (s % 60 == 0) {
            return s / 60 + " min";
        }
        return Collector.secs(d);
    }
}
