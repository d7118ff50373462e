package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The speed of {@code proflab view} on one (large) recording: reading the file both ways (with and
 * without aggregation: time and retained heap), starting the server, the API endpoints the page calls
 * (each warmed up, then repeated: median and max), and the first paint in headless Chromium (from
 * {@code page.navigate} to a drawn flame graph, in fresh browser contexts). Not a test: run by
 * {@code scripts/bench-viewer}, which builds the class path.
 *
 * <pre>{@code java -cp ... dev.proflab.viewer.ViewerBench FILE [--runs 20] [--warmup 5] [--pages 5] [--no-read] [--no-browser]}</pre>
 */
public final class ViewerBench {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ViewerBench FILE [--runs N] [--warmup N] [--pages N] [--focus RE] [--no-read] [--no-browser]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int runs = 20;
        int warmup = 5;
        int pages = 5;
        boolean read = true;
        boolean browser = true;
        String focus = "Service.serviceSearch";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--pages" -> pages = Integer.parseInt(args[++i]);
                case "--focus" -> focus = args[++i];
                case "--no-read" -> read = false;
                case "--no-browser" -> browser = false;
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        System.out.printf(Locale.ROOT, "file: %s (%.1f MB), JVM: %s %s%n", file, Files.size(file) / 1e6,
                System.getProperty("java.vm.version"), ManagementFactory.getRuntimeMXBean().getInputArguments());

        // 1. the server: reads the main event (the first construction in this JVM is the cold one)
        long t0 = System.nanoTime();
        ViewerServer server = new ViewerServer(file, null);
        long startNanos = System.nanoTime() - t0;
        server.start("127.0.0.1", 0);
        System.out.printf(Locale.ROOT, "server start (new ViewerServer: file read, flame index, default view; cold JVM): %d ms, heap used after GC: %d MB%n",
                startNanos / 1_000_000, usedAfterGc() / 1_000_000);

        JsonNode meta = MAPPER.readTree(get(server, "api/meta").body());
        long samples = meta.get("samples").asLong();
        long duration = Math.round(meta.get("duration_seconds").asDouble() * 1e9);
        System.out.printf(Locale.ROOT, "event %s, samples (meta): %,d, duration %.1f s%n",
                meta.get("event").asText(), samples, duration / 1e9);

        // 2. the API, as the page calls it, and with filters
        Map<String, String> calls = new LinkedHashMap<>();
        calls.put("meta", "api/meta");
        calls.put("flame", "api/flame");
        calls.put("top n=0 (the page's call)", "api/top?n=0");
        calls.put("top (default n)", "api/top");
        calls.put("flame focus=" + focus, "api/flame?focus=" + enc(focus));
        calls.put("top n=0 focus=" + focus, "api/top?n=0&focus=" + enc(focus));
        long half = duration / 2;
        calls.put("flame from/to (middle half)", "api/flame?from=" + duration / 4 + "&to=" + (duration / 4 + half));
        calls.put("top n=0 from/to (middle half)", "api/top?n=0&from=" + duration / 4 + "&to=" + (duration / 4 + half));
        calls.put("flame thread=worker-1", "api/flame?thread=" + enc("worker-1$"));
        calls.put("flame hide=java.util", "api/flame?hide=" + enc("^java\\.util"));
        // the unfiltered answers are computed once and kept: a range over the whole recording computes them
        calls.put("flame, all as a range (computed)", "api/flame?from=0&to=" + (duration + 1_000_000_000L));
        calls.put("top n=0, all as a range (computed)", "api/top?n=0&from=0&to=" + (duration + 1_000_000_000L));
        System.out.printf(Locale.ROOT, "%nAPI: %d warm-up calls, then %d timed calls each (ms, client side)%n", warmup, runs);
        System.out.printf(Locale.ROOT, "%-36s %8s %8s %8s %10s %s%n", "call", "first", "median", "max", "bytes", "status/total");
        for (Map.Entry<String, String> c : calls.entrySet()) {
            long first = 0;
            HttpResponse<String> last = null;
            for (int i = 0; i < warmup; i++) {
                long s = System.nanoTime();
                last = get(server, c.getValue());
                if (i == 0) {
                    first = System.nanoTime() - s;
                }
            }
            long[] t = new long[runs];
            for (int i = 0; i < runs; i++) {
                long s = System.nanoTime();
                last = get(server, c.getValue());
                t[i] = System.nanoTime() - s;
            }
            String status = String.valueOf(last.statusCode());
            JsonNode body = MAPPER.readTree(last.body());
            if (body.has("total")) {
                status += " total=" + body.get("total").asLong();
            } else if (body.has("error")) {
                status += " " + body.get("error").asText();
            }
            if (body.has("nodes")) {
                status += " nodes=" + body.get("nodes").asInt();
            }
            System.out.printf(Locale.ROOT, "%-36s %8.1f %8.1f %8.1f %10d %s%n", c.getKey(), first / 1e6,
                    median(t) / 1e6, Arrays.stream(t).max().orElse(0) / 1e6, last.body().length(), status);
        }

        // 3. first paint in headless Chromium
        if (browser) {
            firstPaint(server, pages);
        }
        server.stop();
        server = null;

        // 4. reading the file both ways: time and retained heap
        if (read) {
            System.out.printf(Locale.ROOT, "%nReading the main event, 3 times each way, alternating (warm JVM)%n");
            Map<Boolean, List<Long>> times = new LinkedHashMap<>();
            Map<Boolean, Long> heap = new LinkedHashMap<>();
            Map<Boolean, Integer> counts = new LinkedHashMap<>();
            List<Long> index = new ArrayList<>();
            int fine = 0;
            int shown = 0;
            long indexHeap = 0;
            for (int r = 0; r < 3; r++) {
                for (boolean aggregate : new boolean[] {false, true}) {
                    long before = usedAfterGc();
                    long s = System.nanoTime();
                    Profile p = ProfileReader.read(file, ReadOptions.defaults().withAggregate(aggregate));
                    times.computeIfAbsent(aggregate, k -> new ArrayList<>()).add(System.nanoTime() - s);
                    long afterRead = usedAfterGc();
                    heap.put(aggregate, afterRead - before);
                    if (!aggregate) {
                        long i0 = System.nanoTime();
                        dev.proflab.report.CallIndex x = dev.proflab.report.CallIndex.of(p,
                                dev.proflab.report.Selection.all());
                        index.add(System.nanoTime() - i0);
                        fine = x.paths();
                        shown = x.nodes();
                        // the path index's arrays and the call tree's sums (estimates kept by the cache)
                        indexHeap = x.pathBytes() + x.bytes() + x.treeBytes();
                    }
                    counts.put(aggregate, p.sampleCount());
                    if (r == 0 && !aggregate) {
                        System.out.printf(Locale.ROOT, "  %,d samples, %,d distinct stacks, %,d frames, %,d threads%n",
                                p.sampleCount(), p.stackCount(), p.frameCount(), p.threadCount());
                    }
                    p = null;
                }
            }
            for (boolean aggregate : new boolean[] {false, true}) {
                long[] t = times.get(aggregate).stream().mapToLong(Long::longValue).toArray();
                System.out.printf(Locale.ROOT, "  aggregate=%-5s %,9d samples in the model  read: median %6.0f ms (%s)  retained heap %4d MB%n",
                        aggregate, counts.get(aggregate), median(t) / 1e6, Arrays.toString(Arrays.stream(t).map(x -> x / 1_000_000).toArray()),
                        heap.get(aggregate) / 1_000_000);
            }
            long[] ix = index.stream().mapToLong(Long::longValue).toArray();
            System.out.printf(Locale.ROOT, "  flame graph index (built once per profile): median %.0f ms (%s), %,d nodes by (function, kind), %,d by function, its arrays %d MB%n",
                    median(ix) / 1e6, Arrays.toString(Arrays.stream(ix).map(x -> x / 1_000_000).toArray()), fine, shown, indexHeap / 1_000_000);
        }
    }

    private static void firstPaint(ViewerServer server, int pages) {
        Path chromium = Paths.get(System.getProperty("proflab.chromium", "/usr/bin/chromium"));
        try (Playwright pw = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
            Browser b = pw.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(chromium)
                    .setArgs(List.of("--no-sandbox", "--disable-gpu")));
            System.out.printf(Locale.ROOT, "%nFirst paint in headless Chromium %s, 1200x800, fresh context each (ms)%n", b.version());
            System.out.printf(Locale.ROOT, "(open: navigate() to the page's time origin, the new page's process and request; "
                    + "dom: to DOMContentLoaded; js: to the page's first API request; meta, flame, top: the requests' durations; "
                    + "after: from the last response to drawn)%n");
            System.out.printf(Locale.ROOT, "%-6s %8s %8s %8s %8s %8s %8s %8s %8s %8s%n", "page", "paint", "open", "dom", "js",
                    "meta", "flame", "top", "after", "frames");
            long[] paint = new long[pages + 1];
            for (int i = 0; i <= pages; i++) {
                try (BrowserContext ctx = b.newContext(new Browser.NewContextOptions().setViewportSize(1200, 800))) {
                    Page page = ctx.newPage();
                    page.setDefaultTimeout(60_000);
                    long s = System.nanoTime();
                    double epoch = System.currentTimeMillis();
                    page.navigate(server.url());
                    page.waitForFunction("() => window.proflabView && window.proflabView.ready && window.proflabView.drawn.length > 0");
                    long took = System.nanoTime() - s;
                    paint[i] = took;
                    // where the time went: the API fetches (browser's resource timing) and what came after the last
                    @SuppressWarnings("unchecked")
                    Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                            () => {
                              const e = performance.getEntriesByType('resource');
                              const d = n => { const x = e.find(r => r.name.includes(n)); return x ? x.duration : -1; };
                              const end = Math.max(...e.map(r => r.responseEnd));
                              const m = e.find(r => r.name.includes('api/meta'));
                              const nav = performance.getEntriesByType('navigation')[0];
                              return {meta: d('api/meta'), flame: d('api/flame'), top: d('api/top'),
                                      after: performance.now() - end, frames: window.proflabView.drawn.length,
                                      origin: performance.timeOrigin, dom: nav ? nav.domContentLoadedEventEnd : -1,
                                      script: m ? m.startTime : -1};
                            }""");
                    System.out.printf(Locale.ROOT, "%-6s %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f %8d%n", i == 0 ? "warmup" : String.valueOf(i),
                            took / 1e6, num(r.get("origin")) - epoch, num(r.get("dom")), num(r.get("script")),
                            num(r.get("meta")), num(r.get("flame")), num(r.get("top")), num(r.get("after")),
                            (long) num(r.get("frames")));
                }
            }
            long[] measured = Arrays.copyOfRange(paint, 1, paint.length);
            System.out.printf(Locale.ROOT, "first paint: median %.0f ms, max %.0f ms (n=%d, after one warm-up page)%n",
                    median(measured) / 1e6, Arrays.stream(measured).max().orElse(0) / 1e6, measured.length);
            b.close();
        }
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : -1;
    }

    private static HttpResponse<String> get(ViewerServer s, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(s.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static long median(long[] t) {
        long[] c = t.clone();
        Arrays.sort(c);
        int n = c.length;
        return n == 0 ? 0 : n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
