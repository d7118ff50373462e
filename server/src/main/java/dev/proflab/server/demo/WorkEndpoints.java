package dev.proflab.server.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proflab.labs.alloc.Alloc;
import dev.proflab.labs.contention.Contention;
import dev.proflab.labs.fib.Fib;
import dev.proflab.labs.leak.Leak;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToLongFunction;

/**
 * The load endpoints of the demo service, {@code /work/*}: each runs one lab's real code, its {@code before} or
 * its {@code after}, so that a profile taken while they are under load shows the lesson. Every parameter is
 * bounded ({@link Limits}); a bad one gets a 400 with {@code {"error": "...", "parameter": "n"}}, a full
 * service a 503 with {@code Retry-After}, success a 200 with what ran and how long it took.
 *
 * <pre>{@code
 * WorkEndpoints work = new WorkEndpoints(WorkEndpoints.Limits.defaults());
 * Javalin app = Javalin.create(config -> work.register(config));   // one call mounts /work/*
 * }</pre>
 */
public final class WorkEndpoints {

    /**
     * The bounds of the endpoints. The maxima keep one request to a few seconds of CPU and a few tens of MiB on a
     * laptop; {@code maxConcurrent} caps how many run at once, so the worst case of the whole service is bounded
     * too (see docs/service.md for the numbers).
     *
     * @param maxConcurrent      requests doing work at the same time; more get 503
     * @param workTimeoutMillis  how long one contention request may run before it stops early (complete: false);
     *                           below a load client's usual 10 s timeout
     * @param maxHeldBytes       what {@code /work/mem?hold=true} may keep in all
     * @param maxLeakedThreads   threads {@code /work/leak} may leave behind in all
     * @param maxLeakedBytes     bytes those threads may hold in all
     */
    public record Limits(int maxConcurrent, long workTimeoutMillis, long maxHeldBytes, int maxLeakedThreads,
                         long maxLeakedBytes) {

        public static Limits defaults() {
            return new Limits(8, 5_000, 256L << 20, 1000, 256L << 20);
        }

        public Limits withMaxConcurrent(int n) {
            return new Limits(n, workTimeoutMillis, maxHeldBytes, maxLeakedThreads, maxLeakedBytes);
        }

        public Limits withWorkTimeoutMillis(long ms) {
            return new Limits(maxConcurrent, ms, maxHeldBytes, maxLeakedThreads, maxLeakedBytes);
        }
    }

    // Bounds of the parameters (documented in docs/service.md and at GET /work).
    static final int MAX_RECURSIVE_N = 40;   // recursive fib(40): ~0.3 s per worker here
    static final int MAX_FIB_N = 92;         // above this fib overflows a long
    static final int MAX_CPU_WORKERS = 16;   // 16 x fib(40) recursive: ~5 s on 2 cores (0.31 s each)
    static final int MAX_MEM_BYTES = 16 << 20;
    static final int MAX_MEM_COUNT = 100_000;
    static final long MAX_MEM_TOTAL = 64L << 20; // bytes x count: the "before" keeps every item until it returns
    static final int MAX_CONTENTION_WORKERS = 64;
    static final int MAX_CONTENTION_ITER = 100_000;
    static final int MAX_HOLD_NS = 1_000_000;
    static final int MAX_LEAK_N = 1000;
    static final int MAX_LEAK_BYTES = 1 << 20;

    static final List<String> CPU_IMPLS = List.of("before", "after", "best");
    static final List<String> MEM_IMPLS = List.of("before", "after", "reuse-digest");
    static final List<String> LEAK_IMPLS = List.of("before", "after");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Limits limits;
    private final Semaphore permits;
    private final List<Leak> leaks = new ArrayList<>();
    private long leakedBytes;
    /**
     * The threads of {@code /work/cpu}: long-lived and reused, as a real service's workers (and Go's goroutines,
     * which run on long-lived OS threads) are. One request's workers still run at the same time, one thread each;
     * the pool only grows to the most that can run at once ({@code maxConcurrent x MAX_CPU_WORKERS}) and lets a
     * thread go after a minute idle. A new platform thread per worker (what {@code Fib.burnCpu} does) lived a few
     * ms each under load, and a profiler that counts CPU time per thread from the thread's start (async-profiler's
     * {@code cpu}, {@code ctimer}) never reached its first 10 ms on most of them: docs/debug-endpoints.md.
     */
    private final ThreadPoolExecutor cpuWorkers;

    public WorkEndpoints(Limits limits) {
        this.limits = limits;
        if (limits.maxConcurrent() < 1) {
            throw new IllegalArgumentException("maxConcurrent must be >= 1, was " + limits.maxConcurrent());
        }
        this.permits = new Semaphore(limits.maxConcurrent());
        AtomicInteger ids = new AtomicInteger();
        this.cpuWorkers = new ThreadPoolExecutor(0, limits.maxConcurrent() * MAX_CPU_WORKERS, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "fib-worker-" + ids.getAndIncrement());
                    t.setDaemon(true);
                    return t;
                });
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Adds {@code GET /work}, {@code /work/cpu}, {@code /work/mem}, {@code /work/contention}, {@code /work/leak}
     * and JSON answers for errors (400, 404, 405, 409, 503 and an opaque 500) to a Javalin configuration.
     */
    public void register(JavalinConfig config) {
        config.routes.get("/work", ctx -> json(ctx, 200, index()));
        config.routes.get("/work/", ctx -> json(ctx, 200, index()));
        config.routes.get("/work/cpu", ctx -> run(ctx, "cpu", this::cpu));
        config.routes.get("/work/mem", ctx -> run(ctx, "mem", this::mem));
        config.routes.get("/work/contention", ctx -> run(ctx, "contention", this::contention));
        config.routes.get("/work/leak", ctx -> run(ctx, "leak", this::leak));
        config.routes.exception(BadRequest.class, (e, ctx) -> error(ctx, e.status, e.getMessage(), e.parameter));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                e.getStatus() == 404 ? "no such endpoint: see GET /work for the list"
                        : e.getStatus() == 405 ? "method not allowed: the endpoints take GET"
                        : "request refused (" + e.getStatus() + ")", null));
        config.routes.exception(Exception.class, (e, ctx) -> error(ctx, 500, "internal error", null));
        // Jetty's and Javalin's own 404 and 405 become JSON too; answers that are JSON already (ours, and those of
        // other routes on the same server such as /debug/pprof) are left as they are
        config.routes.error(404, ctx -> {
            if (!isJson(ctx)) {
                error(ctx, 404, "no such endpoint: see GET /work for the list", null);
            }
        });
        config.routes.error(405, ctx -> {
            if (!isJson(ctx)) {
                error(ctx, 405, "method not allowed: the endpoints take GET", null);
            }
        });
    }

    /** Already answered: a JSON body is set, or the response went out directly (committed). */
    private static boolean isJson(Context ctx) {
        if (ctx.res().isCommitted()) {
            return true;
        }
        String type = ctx.res().getContentType();
        return type != null && type.startsWith("application/json") && ctx.result() != null;
    }

    /** Ends every thread {@code /work/leak} left behind; returns how many there were. */
    public int releaseLeaks() {
        List<Leak> stop;
        synchronized (leaks) {
            stop = List.copyOf(leaks);
            leaks.clear();
            leakedBytes = 0;
        }
        int n = 0;
        for (Leak leak : stop) {
            n += leak.threads().size();
            leak.stop();
        }
        return n;
    }

    /** Threads {@code /work/leak?impl=before} has left behind and not yet released. */
    public int leakedThreads() {
        synchronized (leaks) {
            int n = 0;
            for (Leak leak : leaks) {
                n += leak.alive();
            }
            return n;
        }
    }

    /** The work of one request, parsed and checked: runs after a permit was taken. */
    @FunctionalInterface
    private interface Work {
        Map<String, Object> run() throws Exception;
    }

    @FunctionalInterface
    private interface Parser {
        Work parse(Query q, Map<String, Object> echo);
    }

    private void run(Context ctx, String endpoint, Parser parser) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("endpoint", endpoint);
        Map<String, Object> params = new LinkedHashMap<>();
        Work work = parser.parse(Query.parse(ctx.queryString(), known(endpoint)), params); // 400 before any work
        body.put("params", params);
        if (!permits.tryAcquire()) {
            ctx.header("Retry-After", "1");
            error(ctx, 503, "busy: " + limits.maxConcurrent() + " requests are already running (the cap); retry later",
                    null);
            return;
        }
        long start = System.nanoTime();
        try {
            body.putAll(work.run());
        } catch (OutOfMemoryError e) {
            Alloc.release();
            ctx.header("Retry-After", "5");
            error(ctx, 503, "out of heap: released what /work/mem held; retry later", null);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ctx.header("Retry-After", "1");
            error(ctx, 503, "interrupted: the service is stopping", null);
            return;
        } finally {
            permits.release();
        }
        body.put("elapsed_ms", Math.round((System.nanoTime() - start) / 1e4) / 100.0);
        json(ctx, 200, body);
    }

    private static Set<String> known(String endpoint) {
        return switch (endpoint) {
            case "cpu" -> Set.of("n", "workers", "impl");
            case "mem" -> Set.of("bytes", "count", "hold", "impl", "release");
            case "contention" -> Set.of("workers", "iter", "holdNs", "impl");
            case "leak" -> Set.of("n", "bytes", "impl", "release");
            default -> throw new IllegalArgumentException(endpoint);
        };
    }

    // ---- /work/cpu?n=&workers=&impl=before|after|best

    private Work cpu(Query q, Map<String, Object> params) {
        String impl = q.choice("impl", "before", CPU_IMPLS);
        int maxN = impl.equals("before") ? MAX_RECURSIVE_N : MAX_FIB_N;
        int n = q.intParam("n", 30, 0, maxN, impl.equals("before")
                ? "recursive fib grows 1.6x per step (fib(40) ~0.3 s per worker); impl=after takes n up to " + MAX_FIB_N
                : "fib(93) overflows a long");
        int workers = q.intParam("workers", 1, 1, MAX_CPU_WORKERS, "one pooled thread per worker");
        params.put("impl", impl);
        params.put("n", n);
        params.put("workers", workers);
        return () -> {
            long result = switch (impl) {
                case "before" -> onWorkers(workers, Fib::recursive, n);
                case "after" -> onWorkers(workers, Fib::memo, n);
                default -> onWorkers(workers, Fib::iterative, n);
            };
            return ordered("ran", impl.equals("before") ? "Fib.recursive"
                    : impl.equals("after") ? "Fib.memo" : "Fib.iterative", "result", result);
        };
    }

    /**
     * {@code fib(n)} on {@code workers} threads of the pool at once (named {@code fib-worker-<i>}), as Fib.burnCpu
     * does on new threads; returns the first worker's result (all are equal).
     */
    private long onWorkers(int workers, IntToLongFunction fib, int n) throws InterruptedException {
        List<Future<Long>> running = new ArrayList<>(workers);
        try {
            for (int w = 0; w < workers; w++) {
                running.add(cpuWorkers.submit(() -> fib.applyAsLong(n)));
            }
            long first = 0;
            for (int w = 0; w < workers; w++) {
                long r = running.get(w).get();
                if (w == 0) {
                    first = r;
                }
            }
            return first;
        } catch (ExecutionException e) {
            throw new IllegalStateException("fib worker failed", e.getCause());
        } finally {
            for (Future<Long> f : running) {
                f.cancel(true); // no-op when done; an interrupted request leaves nothing running
            }
        }
    }

    /** Ends the pooled threads of {@code /work/cpu} (the service stops). */
    public void shutdown() {
        cpuWorkers.shutdownNow();
    }

    // ---- /work/mem?bytes=&count=&hold=&impl=before|after|reuse-digest, /work/mem?release=true

    private Work mem(Query q, Map<String, Object> params) {
        if (q.booleanParam("release", false)) {
            params.put("release", true);
            return () -> {
                long bytes = Alloc.heldBytes();
                int items = Alloc.release();
                return ordered("released_items", items, "released_bytes", bytes);
            };
        }
        String impl = q.choice("impl", "before", MEM_IMPLS);
        int bytes = q.intParam("bytes", 1024, 0, MAX_MEM_BYTES, "16 MiB per item at most");
        int count = q.intParam("count", 1000, 0, MAX_MEM_COUNT, "100000 items per request at most");
        boolean hold = q.booleanParam("hold", false);
        if ((long) bytes * count > MAX_MEM_TOTAL) {
            throw BadRequest.parameter("count", "bytes x count = " + (long) bytes * count + " is more than "
                    + MAX_MEM_TOTAL + " (64 MiB): the before keeps every item until the request ends");
        }
        if (hold && Alloc.heldBytes() + (long) bytes * count > limits.maxHeldBytes()) {
            throw new BadRequest(409, "hold", "hold: the service already holds " + Alloc.heldBytes()
                    + " bytes and may hold " + limits.maxHeldBytes() + ": release with /work/mem?release=true");
        }
        params.put("impl", impl);
        params.put("bytes", bytes);
        params.put("count", count);
        params.put("hold", hold);
        return () -> {
            long checksum = switch (impl) {
                case "before" -> Alloc.allocate(bytes, count, hold);
                case "after" -> Alloc.allocatePooled(bytes, count, hold);
                default -> Alloc.allocateReusingDigest(bytes, count, hold);
            };
            return ordered("ran", impl.equals("before") ? "Alloc.allocate" : impl.equals("after")
                            ? "Alloc.allocatePooled" : "Alloc.allocateReusingDigest",
                    "result", checksum, "held_items", Alloc.heldItems(), "held_bytes", Alloc.heldBytes());
        };
    }

    // ---- /work/contention?workers=&iter=&holdNs=&impl=before|after|adder|seed-before|seed-after

    private Work contention(Query q, Map<String, Object> params) {
        String impl = q.choice("impl", "before", Contention.IMPLS);
        int workers = q.intParam("workers", 4, 1, MAX_CONTENTION_WORKERS, "one platform thread per worker");
        int iter = q.intParam("iter", 10_000, 0, MAX_CONTENTION_ITER, "records per worker");
        int holdNs = q.intParam("holdNs", 1_000, 0, MAX_HOLD_NS, "work done holding the lock, ~1 ns per round");
        params.put("impl", impl);
        params.put("workers", workers);
        params.put("iter", iter);
        params.put("holdNs", holdNs);
        return () -> {
            Contention.Table table = Contention.newTable(impl, holdNs, holdNs);
            long deadline = System.nanoTime() + limits.workTimeoutMillis() * 1_000_000L;
            long records = iter == 0 ? 0 : Contention.hammer(table, workers, iter, deadline);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("ran", table.getClass().getSimpleName());
            r.put("records", records);
            r.put("complete", records == (long) workers * iter);
            r.put("result", table.count());
            r.put("sum", table.sum());
            return r;
        };
    }

    // ---- /work/leak?n=&bytes=&impl=before|after, /work/leak?release=true

    private Work leak(Query q, Map<String, Object> params) {
        if (q.booleanParam("release", false)) {
            params.put("release", true);
            return () -> ordered("released_threads", releaseLeaks());
        }
        String impl = q.choice("impl", "before", LEAK_IMPLS);
        int n = q.intParam("n", 10, 0, MAX_LEAK_N, "threads per request");
        int bytes = q.intParam("bytes", Leak.DEFAULT_BYTES_EACH, 0, MAX_LEAK_BYTES, "1 MiB per thread at most");
        params.put("impl", impl);
        params.put("n", n);
        params.put("bytes", bytes);
        if (impl.equals("before")) {
            synchronized (leaks) {
                int threads = leakedThreads();
                if (threads + n > limits.maxLeakedThreads()
                        || leakedBytes + (long) n * bytes > limits.maxLeakedBytes()) {
                    throw new BadRequest(409, "n", "n: the service already holds " + threads + " leaked threads ("
                            + leakedBytes + " bytes; caps " + limits.maxLeakedThreads() + " threads, "
                            + limits.maxLeakedBytes() + " bytes): release them with /work/leak?release=true");
                }
                leakedBytes += (long) n * bytes; // reserved now, so that concurrent requests cannot pass the cap
            }
        }
        return () -> {
            Leak leak = Leak.start(n, bytes);
            if (impl.equals("before")) {
                synchronized (leaks) {
                    leaks.add(leak); // nothing stops them: the leak, until release=true
                }
            } else {
                leak.close(); // the fix: whoever starts the threads stops them
            }
            return ordered("ran", impl.equals("before") ? "Leak.start (never stopped)" : "Leak.start + close",
                    "result", n, "leaked_threads", leakedThreads());
        };
    }

    private Map<String, Object> index() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("/work/cpu", "n (0.." + MAX_RECURSIVE_N + " for impl=before, 0.." + MAX_FIB_N + " otherwise, default 30), "
                + "workers (1.." + MAX_CPU_WORKERS + ", default 1, each on a pooled thread), impl (" + String.join("|", CPU_IMPLS) + ")");
        m.put("/work/mem", "bytes (0.." + MAX_MEM_BYTES + ", default 1024), count (0.." + MAX_MEM_COUNT
                + ", default 1000; bytes x count <= " + MAX_MEM_TOTAL + "), hold (true|false), impl ("
                + String.join("|", MEM_IMPLS) + "); release=true drops what is held");
        m.put("/work/contention", "workers (1.." + MAX_CONTENTION_WORKERS + ", default 4), iter (0.."
                + MAX_CONTENTION_ITER + ", default 10000), holdNs (0.." + MAX_HOLD_NS + ", default 1000), impl ("
                + String.join("|", Contention.IMPLS) + ")");
        m.put("/work/leak", "n (0.." + MAX_LEAK_N + ", default 10), bytes (0.." + MAX_LEAK_BYTES
                + ", default 65536), impl (" + String.join("|", LEAK_IMPLS) + "); release=true stops the leaked threads");
        m.put("max_concurrent", limits.maxConcurrent());
        return m;
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static void error(Context ctx, int status, String message, String parameter) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        if (parameter != null) {
            m.put("parameter", parameter);
        }
        json(ctx, status, m);
    }

    static void json(Context ctx, int status, Map<String, Object> body) {
        String text;
        try {
            text = MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            text = "{\"error\":\"internal error\"}";
            status = 500;
        }
        ctx.status(status).contentType("application/json").result(text + "\n");
    }
}
