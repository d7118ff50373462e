package dev.proflab.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress of a recording on stderr: elapsed / duration in seconds (or elapsed only when the end is not known),
 * redrawn in place at a terminal, a line every few seconds in a log. Starts counting at {@link #start()}.
 */
final class Progress implements AutoCloseable {

    private final ProgressBar bar;
    private final long max;
    private final boolean timed;
    private ScheduledExecutorService ticker;
    private volatile long startNanos;

    private Progress(ProgressBar bar, long max, boolean timed) {
        this.bar = bar;
        this.max = max;
        this.timed = timed;
    }

    /** A bar of {@code duration} (null: open-ended), counting tenths of seconds. */
    static Progress ofTime(String task, Duration duration) {
        long max = duration == null ? -1 : Math.max(1, duration.toMillis() / 100);
        return new Progress(builder(task).setInitialMax(max).setUnit("s", 10).build(), max, true);
    }

    /** A bar of {@code total} steps (JMH iterations). */
    static Progress ofSteps(String task, int total, String unit) {
        return new Progress(builder(task).setInitialMax(total).setUnit(unit, 1).build(), total, false);
    }

    private static ProgressBarBuilder builder(String task) {
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(task)
                .setStyle(ProgressBarStyle.ASCII)
                .setMaxRenderedLength(100);
        if (Terminal.isInteractive()) {
            b.setConsumer(new ConsoleProgressBarConsumer(System.err)).continuousUpdate();
        } else {
            b.setConsumer(new DelegatingProgressBarConsumer(System.err::println, 100)).setUpdateIntervalMillis(3000);
        }
        return b;
    }

    /** Starts the clock (time bars). */
    synchronized void start() {
        if (ticker != null || !timed) {
            return;
        }
        startNanos = System.nanoTime();
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "proflab-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> {
            long tenths = (System.nanoTime() - startNanos) / 100_000_000L;
            bar.stepTo(max > 0 ? Math.min(tenths, max) : tenths);
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    void step(int done) {
        bar.stepTo(done);
    }

    void message(String m) {
        bar.setExtraMessage(m);
    }

    /** Stops the clock where it is (the end, or earlier when interrupted). */
    void done() {
        stopTicker();
    }

    private synchronized void stopTicker() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    @Override
    public void close() {
        stopTicker();
        bar.close();
    }
}
