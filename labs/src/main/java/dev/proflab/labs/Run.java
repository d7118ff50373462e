package dev.proflab.labs;

import dev.proflab.labs.alloc.Alloc;
import dev.proflab.labs.challenge.Challenge;
import dev.proflab.labs.contention.Contention;
import dev.proflab.labs.fib.Fib;
import dev.proflab.labs.leak.Leak;
import dev.proflab.labs.trace.Trace;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;

/**
 * Runs one lab workload in this JVM for a while, so that it can be profiled from outside: by
 * {@code proflab profile fib-before}, by {@code -agentpath:libasyncProfiler.so=...}, by
 * {@code -XX:StartFlightRecording} or by {@code jcmd} against its PID.
 *
 * <pre>
 *   ./proflab run &lt;workload&gt; [--seconds S] [key=value ...]
 * </pre>
 * <p>How to run it: {@code ./proflab profile <workload> [-e EVENT] [-d 10s] [key=value ...]} starts it in a
 * new JVM of the JDK the launcher found, with the profiler loaded, as
 * {@code Run <workload> --seconds S key=value ...} on the labs jar; {@code make run-cpu} and {@code make run-mem}
 * are the seed's two. {@code ./proflab profile --help} lists the workloads; this class's usage text
 * ({@code --help}) lists their parameters.
 *
 * <p>Each workload repeats its call until S seconds (default 10) have passed, at least once, then
 * prints one summary line and exits 0. {@code mem-hot} runs once, as the seed's {@code cmd/mem_hot},
 * prints {@code allocated items=N}, and then, if {@code --seconds} is given, keeps what it holds for
 * that long so that a heap dump can be taken. {@code leak} starts its threads, keeps them for S seconds
 * and stops them; with {@code every=E} it starts as many again every E seconds, so that two thread dumps
 * taken apart differ ({@code proflab threads --pid PID --twice 5s}). Bad arguments: one line on stderr and exit 2. Run without arguments for the list.
 */
public final class Run {

    static final double DEFAULT_SECONDS = 10;

    /** Recursive fib above this takes minutes per call. */
    static final int MAX_RECURSIVE_N = 45;

    /** Fib above this overflows a long. */
    static final int MAX_FIB_N = 92;

    private Run() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Parses {@code args}, runs the workload, and returns the process exit code (0, 1 or 2). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Invocation invocation;
        try {
            invocation = Invocation.parse(args);
        } catch (UsageException e) {
            err.println("proflab-labs: " + e.getMessage());
            return 2;
        }
        if (invocation == null) {
            out.print(usage());
            return 0;
        }
        try {
            out.println(invocation.run(out));
            return 0;
        } catch (UsageException e) {
            err.println("proflab-labs: " + e.getMessage());
            return 2;
        } catch (WrongResultException e) {
            err.println("proflab-labs: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("proflab-labs: " + invocation.workload + " interrupted");
            return 1;
        } catch (OutOfMemoryError e) {
            Alloc.release();
            err.println("proflab-labs: " + invocation.workload + " ran out of heap (" + e.getMessage()
                    + "); lower count/bytes or raise -Xmx");
            return 1;
        }
    }

    static String usage() {
        return """
                usage: ./proflab run <workload> [--seconds S] [key=value ...]
                   (the same as java -cp labs.jar dev.proflab.labs.Run ..., with a JDK 21 or newer)
                  fib-before          recursive fib(n), repeated            n=35 (0..45)
                  fib-after           memoized fib(n), repeated             n=35 (0..92)
                  fib-best            iterative fib(n), repeated            n=35 (0..92)
                  cpu-hot             recursive fib(n) on `workers` threads n=35 (0..45) workers=4
                  alloc-before        Alloc.allocate, repeated              bytes=1024 count=1000 hold=false
                  alloc-reuse-digest  Alloc.allocateReusingDigest           bytes=1024 count=1000 hold=false
                  alloc-after         Alloc.allocatePooled                  bytes=1024 count=1000 hold=false
                  mem-hot             Alloc.allocate once, prints "allocated items=N", then holds it
                                      for --seconds (default 0)            bytes=1024 count=100000 hold=true
                  mutex-before        one lock, `threads` threads           threads=2 work=%d
                  mutex-after         striped locks                         threads=2 work=%d
                  mutex-adder         LongAdder, no lock                    threads=2 work=%d
                  mutex-seed-before   the seed's HotMutex                   threads=2 hold-ns=%d
                  mutex-seed-after    the seed's HotMutexSharded            threads=2
                  leak                n threads parked for --seconds        n=100 bytes=65536
                                      (every=S: n more every S seconds)     every=0
                  trace               long and short-lived threads, GC, locks, waits (the timeline lesson)
                  challenge-before    the final challenge's batch job       workers=%d lines=%d
                  challenge-mine      your copy of it (MySalesReport)       workers=%d lines=%d
                  challenge-solution  the reference fix                     workers=%d lines=%d
                --seconds S: how long to repeat the workload (default 10)
                """.formatted(Contention.DEFAULT_WORK_ROUNDS, Contention.DEFAULT_WORK_ROUNDS,
                Contention.DEFAULT_WORK_ROUNDS, Contention.DEFAULT_SEED_HOLD_NANOS,
                Challenge.DEFAULT_WORKERS, Challenge.DEFAULT_LINES, Challenge.DEFAULT_WORKERS, Challenge.DEFAULT_LINES,
                Challenge.DEFAULT_WORKERS, Challenge.DEFAULT_LINES);
    }

    /** A bad command line; the message is the one line shown to the user. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** A variant that computes something else than the original: the check failed, exit 1. */
    static final class WrongResultException extends RuntimeException {
        WrongResultException(String message) {
            super(message);
        }
    }

    /** One parsed command line. */
    private static final class Invocation {
        final String workload;
        final Double seconds; // null: not given
        final Map<String, String> params;

        private Invocation(String workload, Double seconds, Map<String, String> params) {
            this.workload = workload;
            this.seconds = seconds;
            this.params = params;
        }

        /** Returns null for --help. */
        static Invocation parse(String[] args) throws UsageException {
            if (args.length == 0) {
                throw new UsageException("no workload given; run with --help for the list");
            }
            String workload = null;
            Double seconds = null;
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    return null;
                } else if (arg.equals("--seconds") || arg.startsWith("--seconds=")) {
                    String value;
                    if (arg.equals("--seconds")) {
                        if (i + 1 >= args.length) {
                            throw new UsageException("--seconds needs a value");
                        }
                        value = args[++i];
                    } else {
                        value = arg.substring("--seconds=".length());
                    }
                    seconds = parseSeconds(value);
                } else if (arg.startsWith("-")) {
                    throw new UsageException("unknown option '" + arg + "'");
                } else if (workload == null) {
                    workload = arg;
                } else {
                    int eq = arg.indexOf('=');
                    if (eq <= 0) {
                        throw new UsageException("expected key=value after the workload, got '" + arg + "'");
                    }
                    params.put(arg.substring(0, eq), arg.substring(eq + 1));
                }
            }
            if (workload == null) {
                throw new UsageException("no workload given; run with --help for the list");
            }
            return new Invocation(workload, seconds, params);
        }

        private static double parseSeconds(String value) throws UsageException {
            double s;
            try {
                s = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new UsageException("--seconds: '" + value + "' is not a number");
            }
            if (!(s >= 0) || Double.isInfinite(s)) {
                throw new UsageException("--seconds: must be a number >= 0, was '" + value + "'");
            }
            return s;
        }

        String run(PrintStream out) throws UsageException, InterruptedException {
            return switch (workload) {
                case "fib-before" -> repeatFib(Fib::recursive, MAX_RECURSIVE_N);
                case "fib-after" -> repeatFib(Fib::memo, MAX_FIB_N);
                case "fib-best" -> repeatFib(Fib::iterative, MAX_FIB_N);
                case "cpu-hot" -> cpuHot();
                case "alloc-before" -> repeatAlloc(Alloc::allocate);
                case "alloc-reuse-digest" -> repeatAlloc(Alloc::allocateReusingDigest);
                case "alloc-after" -> repeatAlloc(Alloc::allocatePooled);
                case "mem-hot" -> memHot(out);
                case "mutex-before" -> mutex("before");
                case "mutex-after" -> mutex("after");
                case "mutex-adder" -> mutex("adder");
                case "mutex-seed-before" -> mutex("seed-before");
                case "mutex-seed-after" -> mutex("seed-after");
                case "leak" -> leak(out);
                case "challenge-before", "challenge-mine", "challenge-solution" ->
                        challenge(workload.substring("challenge-".length()), out);
                case "trace" -> {
                    allowOnly();
                    yield Trace.run(deadline());
                }
                default -> throw new UsageException("unknown workload '" + workload + "'; run with --help for the list");
            };
        }

        private String repeatFib(IntToLongFunction fib, int maxN) throws UsageException {
            allowOnly("n");
            int n = intParam("n", 35, 0, maxN);
            long deadline = deadline();
            long calls = 0;
            long result = 0;
            long start = System.nanoTime();
            do {
                result = fib.applyAsLong(n);
                calls++;
            } while (System.nanoTime() - deadline < 0);
            return summary(String.format(Locale.ROOT, "n=%d: %d calls, result %d", n, calls, result), calls, start);
        }

        private String cpuHot() throws UsageException, InterruptedException {
            allowOnly("n", "workers");
            int n = intParam("n", 35, 0, MAX_RECURSIVE_N);
            int workers = intParam("workers", 4, 1, 1024);
            long deadline = deadline();
            long rounds = 0;
            long total = 0;
            long start = System.nanoTime();
            do {
                total = Fib.burnCpu(n, workers);
                rounds++;
            } while (System.nanoTime() - deadline < 0);
            return summary(String.format(Locale.ROOT, "n=%d workers=%d: %d rounds, total=%d", n, workers, rounds, total),
                    rounds, start);
        }

        @FunctionalInterface
        private interface AllocFunction {
            long allocate(int bytesPerItem, int count, boolean hold);
        }

        private String repeatAlloc(AllocFunction allocate) throws UsageException {
            allowOnly("bytes", "count", "hold");
            int bytes = intParam("bytes", 1024, 0, Integer.MAX_VALUE - 16);
            int count = intParam("count", 1000, 0, Integer.MAX_VALUE - 16);
            boolean hold = booleanParam("hold", false);
            long deadline = deadline();
            long calls = 0;
            long checksum = 0;
            long start = System.nanoTime();
            do {
                checksum = allocate.allocate(bytes, count, hold);
                calls++;
            } while (System.nanoTime() - deadline < 0);
            return summary(String.format(Locale.ROOT, "bytes=%d count=%d hold=%b: %d calls, checksum %d, held %d items",
                    bytes, count, hold, calls, checksum, Alloc.heldItems()), calls, start);
        }

        private String memHot(PrintStream out) throws UsageException, InterruptedException {
            allowOnly("bytes", "count", "hold");
            int bytes = intParam("bytes", 1024, 0, Integer.MAX_VALUE - 16);
            int count = intParam("count", 100_000, 0, Integer.MAX_VALUE - 16);
            boolean hold = booleanParam("hold", true);
            Alloc.allocate(bytes, count, hold);
            String line = "allocated items=" + count;
            if (seconds != null && seconds > 0) {
                out.println(line + " (holding " + Alloc.heldItems() + " items for " + seconds + " s)");
                out.flush();
                Thread.sleep((long) (seconds * 1000));
                return "released items=" + Alloc.release();
            }
            return line;
        }

        private String mutex(String impl) throws UsageException, InterruptedException {
            if (impl.equals("seed-before")) {
                allowOnly("threads", "hold-ns");
            } else if (impl.equals("seed-after")) {
                allowOnly("threads");
            } else {
                allowOnly("threads", "work");
            }
            int threads = intParam("threads", 2, 1, 1024);
            int work = intParam("work", Contention.DEFAULT_WORK_ROUNDS, 0, 1_000_000);
            int holdNanos = intParam("hold-ns", (int) Contention.DEFAULT_SEED_HOLD_NANOS, 0, 1_000_000_000);
            Contention.Table table = Contention.newTable(impl, work, holdNanos);
            long start = System.nanoTime();
            long records = Contention.hammer(table, threads, Long.MAX_VALUE, deadline());
            double micros = (System.nanoTime() - start) / 1e3;
            String settings = impl.equals("seed-before") ? "hold-ns=" + holdNanos
                    : impl.equals("seed-after") ? "" : "work=" + work;
            return String.format(Locale.ROOT, "%s threads=%d %s: %d records in %.1f s, %.2f records/us",
                    workload, threads, settings, records, micros / 1e6, records / micros).replace("  ", " ");
        }

        /**
         * The final challenge's job, one report after another. A variant other than the original is then checked:
         * its last report must be the original's for the same log, else exit 1 with where they differ. The default
         * log is checked against the digest of the original's report, so that the original's work stays out of a
         * profile of the variant; another log, or a report that differs, runs the original after the run.
         */
        private String challenge(String variant, PrintStream out) throws UsageException, InterruptedException {
            allowOnly("workers", "lines");
            int workers = intParam("workers", Challenge.DEFAULT_WORKERS, 1, 256);
            int lines = intParam("lines", Challenge.DEFAULT_LINES, 1, 10_000_000);
            List<String> log = Challenge.log(lines, Challenge.SEED);
            long deadline = deadline();
            long reports = 0;
            String report = "";
            long start = System.nanoTime();
            try (Challenge.Job job = Challenge.create(variant, workers)) {
                do {
                    report = job.report(log);
                    reports++;
                } while (System.nanoTime() - deadline < 0);
            }
            String line = summary(String.format(Locale.ROOT, "workers=%d lines=%d: %d reports, %s", workers, lines,
                    reports, report.lines().findFirst().orElse("")), reports, start);
            boolean known = lines == Challenge.DEFAULT_LINES
                    && Challenge.sha256(report).equals(Challenge.DEFAULT_REPORT_SHA256);
            if (!variant.equals("before") && !known) {
                String wrong;
                try (Challenge.Job original = Challenge.create("before", workers)) {
                    wrong = Challenge.difference(variant, original.report(log), report);
                }
                if (!wrong.isEmpty()) {
                    out.println(line);
                    throw new WrongResultException(wrong);
                }
            }
            if (!variant.equals("before")) {
                line += ", same report as the original";
            }
            return line;
        }

        private String leak(PrintStream out) throws UsageException, InterruptedException {
            allowOnly("n", "bytes", "every");
            int n = intParam("n", 100, 0, 100_000);
            int bytes = intParam("bytes", Leak.DEFAULT_BYTES_EACH, 0, Integer.MAX_VALUE - 16);
            int every = intParam("every", 0, 0, 3600);
            long millis = (long) (secondsOr(DEFAULT_SECONDS) * 1000);
            long end = System.nanoTime() + millis * 1_000_000;
            List<Leak> leaks = new ArrayList<>();
            try {
                leaks.add(Leak.start(n, bytes));
                out.println("leak: " + n + " threads named leaky-worker-* parked"
                        + (every == 0 ? " for " : ", " + n + " more every " + every + " s (the leaking code runs again), for ")
                        + millis / 1000.0 + " s");
                out.flush();
                long next = every == 0 ? end : System.nanoTime() + every * 1_000_000_000L;
                while (next - end < 0) {              // the next batch is due before the end
                    TimeUnit.NANOSECONDS.sleep(next - System.nanoTime());
                    leaks.add(Leak.start(n, bytes));
                    next += every * 1_000_000_000L;
                }
                TimeUnit.NANOSECONDS.sleep(end - System.nanoTime());
            } finally {
                leaks.forEach(Leak::stop);
            }
            return "leak: stopped " + (long) n * leaks.size() + " threads";
        }

        private String summary(String what, long calls, long startNanos) {
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            return String.format(Locale.ROOT, "%s %s in %.1f s, %s per call", workload, what, elapsed,
                    perCall(elapsed / calls));
        }

        private static String perCall(double seconds) {
            if (seconds >= 1) {
                return String.format(Locale.ROOT, "%.2f s", seconds);
            } else if (seconds >= 1e-3) {
                return String.format(Locale.ROOT, "%.2f ms", seconds * 1e3);
            } else if (seconds >= 1e-6) {
                return String.format(Locale.ROOT, "%.2f us", seconds * 1e6);
            }
            return String.format(Locale.ROOT, "%.1f ns", seconds * 1e9);
        }

        private double secondsOr(double fallback) {
            return seconds == null ? fallback : seconds;
        }

        private long deadline() throws UsageException {
            double s = secondsOr(DEFAULT_SECONDS);
            if (s <= 0) {
                throw new UsageException("--seconds: must be > 0 for " + workload);
            }
            return System.nanoTime() + (long) (s * 1e9);
        }

        private void allowOnly(String... keys) throws UsageException {
            for (String key : params.keySet()) {
                boolean known = false;
                for (String allowed : keys) {
                    known |= allowed.equals(key);
                }
                if (!known) {
                    throw new UsageException(workload + ": unknown parameter '" + key + "'"
                            + (keys.length == 0 ? "" : ", expected " + String.join(", ", keys)));
                }
            }
        }

        private int intParam(String key, int fallback, int min, int max) throws UsageException {
            String value = params.get(key);
            if (value == null) {
                return fallback;
            }
            int parsed;
            try {
                parsed = Integer.parseInt(value.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new UsageException(workload + ": " + key + "='" + value + "' is not an integer");
            }
            if (parsed < min || parsed > max) {
                throw new UsageException(workload + ": " + key + " must be " + min + ".." + max + ", was " + parsed);
            }
            return parsed;
        }

        private boolean booleanParam(String key, boolean fallback) throws UsageException {
            String value = params.get(key);
            if (value == null) {
                return fallback;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new UsageException(workload + ": " + key + " must be true or false, was '" + value + "'");
            };
        }
    }
}
