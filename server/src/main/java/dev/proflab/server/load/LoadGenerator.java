package dev.proflab.server.load;

import dev.proflab.server.fetch.TimedExchange;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A small HTTP load generator: the seed's {@code while true; do curl ...; done}, bounded, measured.
 *
 * <pre>{@code
 * LoadOptions o = new LoadOptions(URI.create("http://127.0.0.1:6060/work/cpu?n=30"), 4, Duration.ofSeconds(10),
 *         0, 0, Duration.ofSeconds(10));
 * LoadResult r = new LoadGenerator(o).run(progress -> System.err.println(progress));
 * System.out.print(r.toText());
 * }</pre>
 *
 * <p>Each of the {@code concurrency} workers is a platform thread sending one request at a time through a shared
 * {@link HttpClient} (HTTP/1.1, keep-alive). Closed loop: a worker sends its next request as soon as the previous
 * answer arrived; latency is the time of that request. Fixed rate: request {@code i} is due at
 * {@code start + i / rate}; the next free worker waits until then and sends it; latency runs from that due time, so
 * time spent waiting for a free worker behind a slow answer counts (no coordinated omission). With too few workers
 * for the rate, the achieved rate falls short and the latencies show why.
 */
public final class LoadGenerator {

    /** Progress of a running load, reported once a second (its counts include the warm-up's requests). */
    public record Progress(double elapsedSeconds, double durationSeconds, long requests, long errors,
                           long non2xx, double lastSecondRate, LoadResult.Interval lastSecond, boolean warmingUp) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "load: %s%.0f s%s, %d requests (%.0f/s), %d errors, %d non-2xx%s",
                    warmingUp ? "warm-up, " : "", elapsedSeconds,
                    durationSeconds > 0 ? String.format(java.util.Locale.ROOT, " of %.0f s", durationSeconds) : "",
                    requests, lastSecondRate, errors, non2xx,
                    lastSecond == null || lastSecond.answered() == 0 ? ""
                            : ", last second p99 " + LoadResult.ms(lastSecond.p99Millis()));
        }
    }

    private static final long HIGHEST_MICROS = 3_600_000_000L;

    private final LoadOptions options;
    private final HttpClient client;
    private final HttpRequest request;
    private final AtomicLong next = new AtomicLong();
    /** Measured requests started (after the warm-up), for {@code requests}. */
    private final AtomicLong measuredStarted = new AtomicLong();
    /** Latencies of answered requests, swapped out once a second into the timeline (wait-free for the workers). */
    private final Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
    private final LongAdder done = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder non2xx = new LongAdder();
    private final LongAdder warmupDone = new LongAdder();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean stopped;

    public LoadGenerator(LoadOptions options) {
        this.options = options;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.request = HttpRequest.newBuilder(options.uri())
                .timeout(options.timeout())
                .header("User-Agent", "proflab-load")
                .GET()
                .build();
    }

    /** Ends a running load early: requests in flight are abandoned, the result says {@code interrupted}. */
    public void stop() {
        stopped = true;
        synchronized (workers) {
            for (Thread t : workers) {
                t.interrupt();
            }
        }
    }

    /**
     * Requests answered so far (any HTTP status; warm-up included, failures to connect or time-outs not): two
     * readings tell how many were answered between them, e.g. while a profiler recorded the server.
     */
    public long answered() {
        return done.sum() - failed.sum();
    }

    /** Waits until {@link #run} has returned (for a shutdown hook that must not exit before the summary). */
    public boolean awaitFinished(long millis) throws InterruptedException {
        return finished.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Runs the load and returns what it measured; {@code progress} (may be null) hears once a second. */
    public LoadResult run(Consumer<Progress> progress) throws InterruptedException {
        try {
            return doRun(progress);
        } finally {
            finished.countDown();
        }
    }

    private LoadResult doRun(Consumer<Progress> progress) throws InterruptedException {
        int c = options.concurrency();
        Worker[] ws = new Worker[c];
        long start = System.nanoTime();
        long measureFrom = start + options.warmup().toNanos();
        long end = options.duration() == null ? Long.MAX_VALUE : measureFrom + options.duration().toNanos();
        long period = options.fixedRate() ? Math.max(1, Math.round(1e9 / options.rate())) : 0;
        synchronized (workers) {
            for (int i = 0; i < c; i++) {
                ws[i] = new Worker(start, measureFrom, end, period);
                Thread t = new Thread(ws[i], "proflab-load-" + i);
                t.setDaemon(true);
                workers.add(t);
            }
            if (stopped) {
                return result(ws, new Histogram(HIGHEST_MICROS, 3), List.of(), 0, true);
            }
            for (Thread t : workers) {
                t.start();
            }
        }
        long lastCount = 0;
        // once a second from the start during the warm-up, then once a second from its end: the timeline's seconds
        // are whole seconds of the measured run (only its requests reach the recorder)
        long second = 1_000_000_000L;
        long nextTick = start + second - measureFrom > 0 ? measureFrom + second : start + second;
        double durationSeconds = options.duration() == null ? 0
                : (options.warmup().toNanos() + options.duration().toNanos()) / 1e9;
        Histogram all = new Histogram(HIGHEST_MICROS, 3);
        List<LoadResult.Interval> timeline = new ArrayList<>();
        Histogram interval = null;
        for (Thread t : workers) {
            while (t.isAlive()) {
                long wait = nextTick - System.nanoTime();
                if (wait <= 0) {
                    boolean warmingUp = nextTick - measureFrom <= 0;
                    LoadResult.Interval last = null;
                    if (!warmingUp) {
                        interval = recorder.getIntervalHistogram(interval);
                        last = endInterval(interval, all, timeline, measureFrom);
                    }
                    long count = done.sum();
                    if (progress != null) {
                        progress.accept(new Progress((System.nanoTime() - start) / 1e9, durationSeconds, count,
                                failed.sum(), non2xx.sum(), count - lastCount, last, warmingUp));
                    }
                    lastCount = count;
                    nextTick += second;
                    if (warmingUp && nextTick - measureFrom > 0) {
                        nextTick = measureFrom + second;
                    }
                    continue;
                }
                try {
                    t.join(Math.max(1, wait / 1_000_000L));
                } catch (InterruptedException e) {
                    stop();
                }
            }
        }
        long elapsed = Math.max(0, System.nanoTime() - measureFrom);
        interval = recorder.getIntervalHistogram(interval);
        if (interval.getTotalCount() > 0) {
            endInterval(interval, all, timeline, measureFrom);
        }
        return result(ws, all, timeline, elapsed, stopped);
    }

    /** Adds the interval just ended to the whole run's histogram and to the timeline. */
    private static LoadResult.Interval endInterval(Histogram interval, Histogram all, List<LoadResult.Interval> timeline,
                                                   long measureFrom) {
        all.add(interval);
        LoadResult.Interval second = LoadResult.Interval.of((System.nanoTime() - measureFrom) / 1e9, interval);
        timeline.add(second);
        return second;
    }

    private LoadResult result(Worker[] ws, Histogram all, List<LoadResult.Interval> timeline, long elapsedNanos,
                              boolean interrupted) {
        long[] status = new long[5];
        long[] errors = new long[LoadResult.ERROR_KINDS.length];
        for (Worker w : ws) {
            for (int i = 0; i < status.length; i++) {
                status[i] += w.status[i];
            }
            for (int i = 0; i < errors.length; i++) {
                errors[i] += w.errors[i];
            }
        }
        return new LoadResult(options, all, timeline, status, errors, warmupDone.sum(), elapsedNanos / 1e9, interrupted);
    }

    private final class Worker implements Runnable {
        final long[] status = new long[5];
        final long[] errors = new long[LoadResult.ERROR_KINDS.length];
        private final long start;
        private final long measureFrom;
        private final long end;
        private final long period;

        Worker(long start, long measureFrom, long end, long period) {
            this.start = start;
            this.measureFrom = measureFrom;
            this.end = end;
            this.period = period;
        }

        @Override
        public void run() {
            long limit = options.requests() == 0 ? Long.MAX_VALUE : options.requests();
            while (!stopped) {
                long i = next.getAndIncrement();
                long due;
                boolean measured;
                if (period > 0) {
                    due = start + i * period;
                    if (due - end >= 0) {
                        return;
                    }
                    // the count is checked before waiting for the request's time, so the run ends with its last one
                    measured = due - measureFrom >= 0;
                    if (measured && measuredStarted.getAndIncrement() >= limit) {
                        return;
                    }
                    while (!stopped) {
                        long wait = due - System.nanoTime();
                        if (wait <= 0) {
                            break;
                        }
                        LockSupport.parkNanos(wait);
                    }
                    if (stopped) {
                        return;
                    }
                } else {
                    due = System.nanoTime();
                    if (due - end >= 0) {
                        return;
                    }
                    measured = due - measureFrom >= 0;
                    if (measured && measuredStarted.getAndIncrement() >= limit) {
                        return;
                    }
                }
                if (!send(due, measured)) {
                    return;
                }
            }
        }

        /**
         * Sends one request; false when the run was stopped meanwhile (the request is not counted). A request of the
         * warm-up ({@code measured} false) is sent and its answer read, and nothing of it is counted.
         */
        private boolean send(long due, boolean measured) {
            int kind;
            try (TimedExchange x = TimedExchange.send(client, request, options.timeout())) {
                // the whole answer within --timeout: a server that sends its headers and then trickles (or never
                // ends its body) costs a worker one timeout, not the rest of the run
                x.body().transferTo(OutputStream.nullOutputStream());
                int klass = x.status() / 100;
                if (measured) {
                    long micros = Math.max(1, (System.nanoTime() - due) / 1000);
                    recorder.recordValue(Math.min(micros, HIGHEST_MICROS));
                    status[Math.min(5, Math.max(1, klass)) - 1]++;
                }
                if (klass != 2) {
                    non2xx.increment();
                }
                done.increment();
                if (!measured) {
                    warmupDone.increment();
                }
                return true;
            } catch (InterruptedException e) {
                return false;
            } catch (HttpConnectTimeoutException e) {
                kind = 1;
            } catch (HttpTimeoutException e) {
                kind = 1;
            } catch (ConnectException | UnresolvedAddressException e) {
                kind = 0;
            } catch (IOException e) {
                if (stopped) {
                    return false;
                }
                kind = e.getCause() instanceof ConnectException ? 0 : 2;
            } catch (RuntimeException e) {
                kind = 3;
            }
            if (stopped) {
                return false;
            }
            if (measured) {
                errors[kind]++;
            } else {
                warmupDone.increment();
            }
            failed.increment();
            done.increment();
            if (kind == 0) {
                // nothing listens: do not spin on refused connections
                LockSupport.parkNanos(10_000_000L);
            }
            return true;
        }
    }
}
