package dev.proflab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.proflab.server.load.LoadGenerator;
import dev.proflab.server.load.LoadOptions;
import dev.proflab.server.load.LoadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code proflab load URL}: HTTP load with latency percentiles, the seed's {@code while true; do curl ...; done}. */
@Command(name = "load",
        mixinStandardHelpOptions = true,
        description = {"Put a URL under HTTP load for a while: C workers, closed loop or a fixed rate.",
                "Prints throughput, latency percentiles (HdrHistogram; at a fixed rate measured from each request's",
                "scheduled start, so a stalled server is not hidden), answers by status class and errors.",
                "Progress on stderr once a second; Ctrl-C ends early and still prints the summary."},
        footer = {"", "Examples:",
                "  proflab load 'http://127.0.0.1:6060/work/cpu?n=30&workers=2' --duration 30s",
                "  proflab load 'http://127.0.0.1:6060/work/contention?workers=16&iter=5000&holdNs=50000' -c 2 -d 1m",
                "  proflab load 'http://127.0.0.1:6060/work/cpu?n=25' --rate 100 --duration 10s --format json",
                "  proflab load 'http://127.0.0.1:6060/work/cpu?n=30&workers=2' --rate 100 --warmup 5s -d 15s --timeline"})
final class LoadCommand implements Callable<Integer> {

    enum Format { text, json }

    @Parameters(index = "0", paramLabel = "URL", description = "The URL to GET (http or https)")
    String url;

    @Option(names = {"-c", "--concurrency"}, paramLabel = "C", defaultValue = "4",
            description = "Workers, each with one request in flight (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = {"-d", "--duration"}, paramLabel = "D",
            description = "How long to run, e.g. 10s, 1m (default: 10s, or until --requests when only that is given)")
    String duration;

    @Option(names = {"-r", "--rate"}, paramLabel = "R",
            description = "Requests per second over all workers (fixed rate); default: closed loop, as fast as answers come")
    Double rate;

    @Option(names = {"-n", "--requests"}, paramLabel = "N",
            description = "Stop after N requests (default: no limit)")
    Long requests;

    @Option(names = "--warmup", paramLabel = "D", defaultValue = "0s",
            description = "Load this long first without measuring it: the client's and the server's JIT, connections"
                    + " (default: ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--timeout", paramLabel = "D", defaultValue = "10s",
            description = "For each whole answer, connecting and the body included: a server that trickles"
                    + " its answer costs a worker this long, not the run (default: ${DEFAULT-VALUE})")
    String timeout;

    @Option(names = "--timeline",
            description = "Also print a line a second: answers, p50, p99, max of that second (--format json always has it)")
    boolean timeline;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Spec
    CommandSpec spec;

    /** The running generator (tests stop it as Ctrl-C would). */
    volatile LoadGenerator generator;

    private Duration warmupDuration() {
        String w = warmup.strip();
        // none by default; Durations refuses 0 (its range starts at 1 ms)
        return w.matches("0+(\\.0+)?(ms|s|m|h)?") ? Duration.ZERO : Durations.parse(w, "--warmup");
    }

    @Override
    public Integer call() throws InterruptedException {
        URI uri;
        LoadOptions options;
        try {
            uri = LoadOptions.parseUri(url);
            Duration d = duration != null ? Durations.parse(duration, "--duration")
                    : requests != null ? null : Duration.ofSeconds(10);
            options = new LoadOptions(uri, concurrency, d, rate == null ? 0 : rate,
                    requests == null ? 0 : requests, Durations.parse(timeout, "--timeout"), warmupDuration());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        LoadGenerator gen = new LoadGenerator(options);
        generator = gen;
        CountDownLatch printed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            gen.stop();
            try {
                printed.await(5, TimeUnit.SECONDS); // let the summary out before the JVM exits
            } catch (InterruptedException ignored) {
                // exit now
            }
        }, "proflab-load-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = spec.commandLine().getOut();
        boolean tty = Terminal.isInteractive();
        PrintWriter err = spec.commandLine().getErr();
        LoadResult result;
        try {
            result = gen.run(p -> {
                if (tty) {
                    err.print("\r" + p + "   ");
                } else {
                    err.println(p);
                }
                err.flush();
            });
            if (tty) {
                err.println();
            }
            if (format == Format.json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(result.toMap()));
            } else {
                out.print(result.toText());
                if (timeline) {
                    out.print(result.timelineText());
                }
            }
            out.flush();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        } finally {
            printed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
        return 0;
    }
}
