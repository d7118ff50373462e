package dev.proflab.jmh;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * JMH's machine-wide lock. JMH refuses to start ("Another JMH instance might be running") while another JMH run
 * holds {@code jmh.lock} in the temporary folder, because two benchmark runs at once measure each other. proflab
 * takes that same lock itself around each JMH run it starts, waiting for it, and starts JMH with
 * {@link #IGNORE_LOCK}: a second {@code compare}, {@code bench} or {@code profile --bench} waits for the first
 * (or for any other JMH run on the machine) instead of failing, and still never runs beside it.
 *
 * <p>When the lock file cannot be opened (another user's file, a read-only temporary folder), proflab holds
 * nothing and JMH decides as it always does.
 */
public final class JmhLock implements AutoCloseable {

    /** For the JMH process proflab starts while it holds the lock (JMH then only warns that it is taken). */
    public static final String IGNORE_LOCK = "-Djmh.ignoreLock=true";

    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration NOTE_EVERY = Duration.ofMinutes(1);

    private final FileChannel channel;
    private final FileLock lock;

    private JmhLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The file JMH locks: {@code jmh.lock} in {@code java.io.tmpdir}, as JMH's {@code Runner} names it. */
    public static Path file() {
        return Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
    }

    /**
     * Takes JMH's lock, waiting as long as another run holds it; {@code waiting} hears why, once a minute.
     *
     * @param cancelled stops the wait (then {@link InterleavedRun.CancelledException})
     * @return the lock; {@link #held()} is false when the file could not be opened
     */
    public static JmhLock acquire(Consumer<String> waiting, BooleanSupplier cancelled) throws InterruptedException {
        return acquire(file(), waiting, cancelled);
    }

    static JmhLock acquire(Path file, Consumer<String> waiting, BooleanSupplier cancelled) throws InterruptedException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return new JmhLock(null, null);
        }
        long start = System.nanoTime();
        long nextNote = 0;
        try {
            while (true) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // held by this JVM, e.g. another thread's run
                } catch (IOException e) {
                    channel.close();
                    return new JmhLock(null, null);
                }
                if (lock != null) {
                    return new JmhLock(channel, lock);
                }
                long waited = System.nanoTime() - start;
                if (waited >= nextNote) {
                    waiting.accept("waiting for another JMH run to end (it holds " + file + "; two runs at once would"
                            + " measure each other)" + (waited >= 1_000_000_000L ? ": " + waited / 1_000_000_000L + " s so far" : ""));
                    nextNote += NOTE_EVERY.toNanos();
                }
                if (cancelled.getAsBoolean()) {
                    throw new InterleavedRun.CancelledException();
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (InterruptedException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held
            }
            throw e;
        } catch (IOException e) {
            return new JmhLock(null, null);
        }
    }

    /** Whether proflab holds JMH's lock (so the JMH it starts gets {@link #IGNORE_LOCK}). */
    public boolean held() {
        return lock != null;
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close(); // releases the lock
            } catch (IOException ignored) {
                // the lock goes with the process anyway
            }
        }
    }
}
