package dev.proflab.labs.contention;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lesson 3 (step 3, lock contention; step 5, before/after): one table of counters, three ways to lock it.
 *
 * <p>A {@link Table} is a histogram: {@code record(key)} adds one to the count of the key's slot
 * ({@value #SLOTS} slots, 16 KiB) and adds {@link #work(long, int) work(key)} to the slot's sum. The critical
 * section is that read-modify-write of one random cache line of a shared table, plus {@code workRounds}
 * rounds of integer hashing standing for whatever else real code does while it holds the lock. The three
 * tables below do the <em>same</em> work, at the <em>same</em> place, on the <em>same</em> number of threads;
 * only the locking differs. Each one's comment says what its profiles show. The Go seed's own pair follows
 * them, then "how to run" at the end of the file.
 *
 * <p>The numbers measured on the project's test machine, and how this lab came to look like this (a first
 * layout that did not work, the choice of {@link #DEFAULT_WORK_ROUNDS}), are in {@code docs/labs.md}.
 */
public final class Contention {

    /** Slots in a table; a power of two. */
    public static final int SLOTS = 1024;

    /** Locks in a {@link StripedLockTable}; a power of two. */
    public static final int STRIPES = 64;

    /** Locks in the seed's sharded version ({@code NewHotMutexSharded(8)}). */
    public static final int SEED_SHARDS = 8;

    /*
     * Why no extra work by default, and a trap worth knowing. Give the critical section more work
     * (-p work=5,10,20,40) and the waiting thread finds the lock free less often; HotSpot's adaptive spinning
     * gives up, the waiter parks, and the owner re-takes the lock again and again while the other thread
     * sleeps. The JVM trades fairness for throughput: the one-lock table then runs at one thread's speed,
     * about as fast as the striped one, while the second thread starves. A throughput benchmark cannot see
     * starvation, so with more work the measured gain shrinks, and in some forks even with work=0 the JVM
     * picks this mode and the "before" looks fine. The cost is then latency: one thread waits while the other
     * works. That is why contention is read from a lock profile or a wall-clock profile, and why one number
     * from one fork proves nothing: compare medians over several forks and rounds.
     */

    /** Rounds of {@link #work} per record: none, so that the lock itself is what is measured (see above). */
    public static final int DEFAULT_WORK_ROUNDS = 0;

    /** The seed benchmark's hold time: {@code WorkWithContention(1000, 10)}, 10 ns of busy-wait per increment. */
    public static final long DEFAULT_SEED_HOLD_NANOS = 10;

    /** The names accepted by {@link #newTable}, in the order before, after, lock-free, then the seed's pair. */
    public static final List<String> IMPLS = List.of("before", "after", "adder", "seed-before", "seed-after");

    private Contention() {
    }

    /** A table of counters that several threads record into at once. */
    public interface Table {
        /** Counts one event for {@code key}. Safe to call from any number of threads. */
        void record(long key);

        /** Events recorded so far. Exact once the recording threads have finished. */
        long count();

        /** The sum of the values recorded: {@code work(key)} per event, or 1 per event for the seed's pair. */
        long sum();
    }

    /**
     * Returns a new table of the given kind.
     *
     * @param impl       one of {@link #IMPLS}
     * @param workRounds rounds of {@link #work} per record in before/after/adder (ignored by the seed's pair)
     * @param holdNanos  busy-wait per record of {@code seed-before} (ignored by the others)
     * @throws IllegalArgumentException for an unknown name or a negative number
     */
    public static Table newTable(String impl, int workRounds, long holdNanos) {
        return switch (impl) {
            case "before" -> new OneLockTable(workRounds);
            case "after" -> new StripedLockTable(workRounds);
            case "adder" -> new AdderTable(workRounds);
            case "seed-before" -> new SeedHotMutex(holdNanos);
            case "seed-after" -> new SeedShardedMutex();
            default -> throw new IllegalArgumentException(
                    "unknown contention impl '" + impl + "', expected one of " + String.join(", ", IMPLS));
        };
    }

    /**
     * The extra work done for each record: {@code rounds} rounds of a multiply-xorshift mix of the key, the key
     * itself for 0 rounds. Each round depends on the previous one, so it cannot be vectorised or skipped;
     * about 1 ns per round here.
     */
    public static long work(long key, int rounds) {
        long h = key;
        for (int i = 0; i < rounds; i++) {
            h ^= h >>> 31;
            h *= 0x9E3779B97F4A7C15L;
        }
        return h;
    }

    /** The slot of a key: its low bits. Keys from {@link #nextKey} spread evenly over all slots. */
    public static int slot(long key) {
        return (int) key & (SLOTS - 1);
    }

    /**
     * Next key of a cheap per-thread pseudo-random sequence (xorshift64). Start from any non-zero seed,
     * e.g. {@link #seed(int)}; the sequence never reaches 0.
     */
    public static long nextKey(long previous) {
        long x = previous;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        return x;
    }

    /** A distinct non-zero starting point for thread number {@code thread}. */
    public static long seed(int thread) {
        return 0x9E3779B97F4A7C15L * (thread + 1L) | 1L;
    }

    /**
     * Records from {@code threads} new threads at once into {@code table}. Thread {@code t} records the keys
     * {@code nextKey(seed(t))}, {@code nextKey(nextKey(seed(t)))}, ... until it has recorded {@code opsPerThread}
     * of them or {@code deadlineNanos} (a {@link System#nanoTime()} value) has passed, whichever is first.
     *
     * @return the number of records made, summed over the threads
     */
    public static long hammer(Table table, int threads, long opsPerThread, long deadlineNanos)
            throws InterruptedException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        long[] done = new long[threads];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            workers[t] = new Thread(() -> done[index] = recordMany(table, seed(index), opsPerThread, deadlineNanos),
                    "contention-worker-" + t);
        }
        for (Thread worker : workers) {
            worker.start();
        }
        try {
            for (Thread worker : workers) {
                worker.join();
            }
        } catch (InterruptedException e) {
            for (Thread worker : workers) {
                worker.interrupt();
            }
            throw e;
        }
        long total = 0;
        for (long d : done) {
            total += d;
        }
        return total;
    }

    private static long recordMany(Table table, long seed, long ops, long deadlineNanos) {
        long key = seed;
        long done = 0;
        while (done < ops) {
            long batchEnd = Math.min(ops, done + 1024);
            for (; done < batchEnd; done++) {
                key = nextKey(key);
                table.record(key);
            }
            if (System.nanoTime() - deadlineNanos >= 0 || Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        return done;
    }

    /*
     * Before: one synchronized lock for the whole table. Two threads can never record at the same time, even
     * into different slots, and every time the lock changes hands the lock word and the slot's cache line
     * have to move from one core to the other: each hand-over costs more than the whole critical section.
     *
     * What its profiles show on an idle machine (a busy one hides the contention: docs/labs.md), against the after's:
     * - CPU (-e cpu): a large share of the samples is in HotSpot's monitor code, ObjectMonitor::try_lock,
     *   try_spin, SpinPause: a thread spinning for a lock it will get within a few hundred nanoseconds. Most
     *   of the rest is self time of OneLockTable.record, where the inlined lock fast path and the cache misses
     *   on the lock word and the table land. In the after those monitor frames nearly vanish.
     * - Lock (-e lock, JFR's jdk.JavaMonitorEnter): with the default work both are nearly empty, because a
     *   wait is recorded only when a thread blocks after spinning, and these waits are shorter than that.
     *   Hold the lock longer (work=40) and the waiter parks: the before's lock profile then has many times
     *   the after's samples, all under OneLockTable.record.
     * Short, hot critical sections show up as CPU burnt spinning; long ones as time blocked.
     */

    /** Before: one lock around the whole table, the work done while holding it. */
    public static final class OneLockTable implements Table {
        private final Object lock = new Object();
        private final long[][] stripes = newStripes();
        private final int workRounds;

        public OneLockTable(int workRounds) {
            this.workRounds = checkRounds(workRounds);
        }

        @Override
        public void record(long key) {
            int s = slot(key);
            long[] cells = stripes[s & (STRIPES - 1)];
            synchronized (lock) {
                long value = work(key, workRounds);
                cells[countIndex(s)]++;
                cells[countIndex(s) + 1] += value;
            }
        }

        @Override
        public long count() {
            synchronized (lock) {
                return total(stripes, 0);
            }
        }

        @Override
        public long sum() {
            synchronized (lock) {
                return total(stripes, 1);
            }
        }
    }

    /*
     * After: 64 locks, slot s guarded by lock s % 64. Two threads meet on the same lock once in 64 records,
     * so neither waits, and the table records several times faster than the one lock (make compare-mutex).
     *
     * Striping removes the waiting, not the sharing, and the memory layout decides how much sharing is left:
     * with the counters in one flat array, two threads on different stripes would still write into each
     * other's cache lines all the time. So each stripe keeps the counters of its slots in a padded block of
     * its own (newStripes, at the end of the file), and that block is its lock. The before uses the same
     * layout, so both tables do the same memory work.
     */

    /** After: {@value #STRIPES} locks, each the padded block of its stripe's counters: no common cache line. */
    public static final class StripedLockTable implements Table {
        private final long[][] stripes = newStripes();
        private final int workRounds;

        public StripedLockTable(int workRounds) {
            this.workRounds = checkRounds(workRounds);
        }

        @Override
        public void record(long key) {
            int s = slot(key);
            long[] cells = stripes[s & (STRIPES - 1)];
            synchronized (cells) {
                long value = work(key, workRounds);
                cells[countIndex(s)]++;
                cells[countIndex(s) + 1] += value;
            }
        }

        @Override
        public long count() {
            return lockedTotal(0);
        }

        @Override
        public long sum() {
            return lockedTotal(1);
        }

        private long lockedTotal(int offset) {
            long total = 0;
            for (long[] cells : stripes) {
                synchronized (cells) {
                    total += total(cells, offset);
                }
            }
            return total;
        }
    }

    /*
     * Lock-free: a LongAdder per slot, no lock at all. Only possible because the update is an addition.
     * A LongAdder is the best answer to ONE hot counter: when threads collide on it, it gives each thread
     * its own padded cell. In a table of 1024 of them two threads rarely collide, so every adder stays a
     * plain CAS on a shared cache line, two per record (count and sum): better than the one lock, worse than
     * striping. Measure before you reach for the "lock-free" tool.
     */

    /** Lock-free: no lock at all; a {@link LongAdder} per slot for the count and one for the sum. */
    public static final class AdderTable implements Table {
        private final LongAdder[] counts = new LongAdder[SLOTS];
        private final LongAdder[] sums = new LongAdder[SLOTS];
        private final int workRounds;

        public AdderTable(int workRounds) {
            this.workRounds = checkRounds(workRounds);
            for (int s = 0; s < SLOTS; s++) {
                counts[s] = new LongAdder();
                sums[s] = new LongAdder();
            }
        }

        @Override
        public void record(long key) {
            int s = slot(key);
            long value = work(key, workRounds);
            counts[s].increment();
            sums[s].add(value);
        }

        @Override
        public long count() {
            long total = 0;
            for (LongAdder adder : counts) {
                total += adder.sum();
            }
            return total;
        }

        @Override
        public long sum() {
            long total = 0;
            for (LongAdder adder : sums) {
                total += adder.sum();
            }
            return total;
        }
    }

    /*
     * The Go seed's pair, kept for comparison (./proflab compare mutex-seed): HotMutex, one lock and a
     * busy-wait on the clock while holding it, and HotMutexSharded, 8 plain locks side by side and no
     * busy-wait at all. The seed's 41x came mostly from deleting the busy-wait, that is from shortening the
     * critical section, not from sharding; and its benchmarks ran on one goroutine, so there was no
     * contention to remove. Shortening the critical section is a good fix too, often the first one to try;
     * it is simply a different fix. Here seed-before against before shows what holding the lock for a clock
     * read costs, and seed-after (its 8 unpadded locks in two cache lines, its counters in one) against after
     * what false sharing costs.
     */

    /**
     * The seed's {@code HotMutex}: one lock, and while holding it a busy-wait of {@code holdNanos} on the clock
     * (the seed's {@code busyWait}, which also drew random numbers while it waited). The key is ignored.
     */
    public static final class SeedHotMutex implements Table {
        private final long holdNanos;
        private long data;

        public SeedHotMutex(long holdNanos) {
            if (holdNanos < 0) {
                throw new IllegalArgumentException("holdNanos must be >= 0, was " + holdNanos);
            }
            this.holdNanos = holdNanos;
        }

        @Override
        public synchronized void record(long key) {
            busyWait(holdNanos); // deliberately waiting while holding the lock (the bad example)
            data++;
        }

        @Override
        public synchronized long count() {
            return data;
        }

        @Override
        public long sum() {
            return count();
        }

        private static void busyWait(long nanos) {
            long start = System.nanoTime();
            while (System.nanoTime() - start < nanos) {
                ThreadLocalRandom.current().nextInt(); // "a little computation", as in the seed
            }
        }
    }

    /**
     * The seed's {@code HotMutexSharded}: 8 plain locks side by side and no busy-wait. The seed picked the shard
     * round-robin ({@code i % 8}); here the key picks it ({@code key mod 8}), which spreads the same way.
     */
    public static final class SeedShardedMutex implements Table {
        private final Object[] locks = new Object[SEED_SHARDS];
        private final long[] data = new long[SEED_SHARDS];

        public SeedShardedMutex() {
            for (int i = 0; i < SEED_SHARDS; i++) {
                locks[i] = new Object();
            }
        }

        @Override
        public void record(long key) {
            int shard = (int) Math.floorMod(key, (long) SEED_SHARDS);
            synchronized (locks[shard]) {
                data[shard]++;
            }
        }

        @Override
        public long count() {
            long total = 0;
            for (int i = 0; i < SEED_SHARDS; i++) {
                synchronized (locks[i]) {
                    total += data[i];
                }
            }
            return total;
        }

        @Override
        public long sum() {
            return count();
        }
    }

    /** Slots per stripe; slot {@code s} lives in stripe {@code s % STRIPES} at position {@code s / STRIPES}. */
    private static final int SLOTS_PER_STRIPE = SLOTS / STRIPES;

    /** Unused longs before and after the counters of a stripe: 64 bytes, one cache line each side. */
    private static final int PAD = 8;

    /**
     * The counters of the table, grouped by stripe: {@code [PAD][count, sum of each of the stripe's slots][PAD]}.
     * The padding keeps the array header (where a lock on the array lives) and the neighbouring arrays out of
     * the counters' cache lines. Both tables use the same layout, so they do the same memory work.
     */
    private static long[][] newStripes() {
        long[][] stripes = new long[STRIPES][];
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new long[PAD + 2 * SLOTS_PER_STRIPE + PAD];
        }
        return stripes;
    }

    /** Index of slot {@code s}'s count within its stripe's array; its sum follows it. */
    private static int countIndex(int s) {
        return PAD + 2 * (s / STRIPES);
    }

    private static long total(long[] cells, int offset) {
        long total = 0;
        for (int i = 0; i < SLOTS_PER_STRIPE; i++) {
            total += cells[PAD + 2 * i + offset];
        }
        return total;
    }

    private static long total(long[][] stripes, int offset) {
        long total = 0;
        for (long[] cells : stripes) {
            total += total(cells, offset);
        }
        return total;
    }

    private static int checkRounds(int workRounds) {
        if (workRounds < 0) {
            throw new IllegalArgumentException("workRounds must be >= 0, was " + workRounds);
        }
        return workRounds;
    }

    /*
     * ============================== HOW TO RUN THIS LAB ==============================
     *
     *   make compare-mutex                                   # before, after, adder: ops/s, statistics, verdict
     *   ./proflab compare mutex-seed                         # the Go seed's pair
     *   ./proflab bench mutex                                # 2 threads, JMH's report, higher is better
     *   ./proflab bench mutex -- -p work=0,5,20,40           # more work inside the lock: see DEFAULT_WORK_ROUNDS
     *   ./proflab bench mutex -- -t 1                        # one thread: what the lock costs alone
     *   ./proflab profile mutex-before -e cpu -d 5s          # then ./proflab top tmp/mutex-before-cpu.jfr
     *   ./proflab profile mutex-before -e lock -d 5s work=40 # then ./proflab top tmp/mutex-before-lock.jfr
     */
}
