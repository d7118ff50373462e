package dev.proflab.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import dev.proflab.server.collect.Series;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the official Pyroscope Java agent ({@code io.pyroscope:agent}, from Maven Central) sends to {@code /ingest},
 * beside what {@code proflab collect --pyroscope} sends for the same kind of JVM ({@link BurnFixture}, the same
 * {@code java}), both recorded by one local receiver: the fields Pyroscope reads are the same, and where they
 * differ the difference is asserted and explained.
 *
 * <p>The agent runs from its Maven Central jar (a test dependency, version 2.9.2), with its own async-profiler,
 * configured by environment variables only. Its sources cited are grafana/pyroscope-java
 * ({@code agent/src/main/java/io/pyroscope/javaagent/}, read at main after v2.9.1; the requests recorded here are
 * 2.9.2's): {@code impl/PyroscopeExporter.java} ({@code urlForSnapshot}, {@code requestBody},
 * {@code addAuthHeader}, {@code nameWithStaticLabels}, {@code otelRequiredLabels}), {@code config/Config.java} (the
 * {@code PYROSCOPE_*} settings and their defaults), {@code impl/ContinuousProfilingScheduler.java} (when it
 * uploads), {@code AsyncProfilerDelegate.java} (how it starts async-profiler) and {@code EventType.java} (units,
 * aggregation). What the server reads: grafana/pyroscope
 * {@code pkg/ingester/pyroscope/ingest_handler.go}, {@code pkg/og/convert/jfr/profile.go} and grafana/jfr-parser
 * {@code pprof/parser.go} (the series made of the JFR part, see {@link #series}).
 */
@Tag("slow")
class PyroscopeAgentParityIT {

    /**
     * The agent's {@code PYROSCOPE_UPLOAD_INTERVAL} (default 10 s), and proflab's {@code --window}. The agent's first
     * window is a random part of it but at least 2 s ({@code ContinuousProfilingScheduler.startFirst}): with 2 s the
     * first upload is due 2 s after the agent starts, then one every 2 s.
     */
    static final int WINDOW_SECONDS = 2;
    /**
     * How long a JVM's start-up line, a request, or proflab's delivery is waited for: ten upload intervals, for a
     * loaded 2-core machine (each comes within about one).
     */
    static final int WAIT_SECONDS = 10 * WINDOW_SECONDS;
    static final String APP = "parity";
    static final String TENANT = "team-a";
    static final String USER = "lab";
    static final String PASSWORD = "s3cret";

    /** One POST as received: method, path, raw and decoded query, headers, the multipart parts. */
    record Received(String method, String path, String rawQuery, Map<String, String> query,
                    Map<String, String> headers, Map<String, Part> parts) {
    }

    /** A multipart part: its own headers (lower-case names) and its bytes. */
    record Part(Map<String, String> headers, byte[] body) {
    }

    final List<Received> received = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path dir;

    HttpServer receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        receiver.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "parity-receiver");
            t.setDaemon(true);
            return t;
        }));
        receiver.createContext("/", this::record);
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    /**
     * What one run of each sent: the agent's first request and how long its JVM had run then; proflab's requests
     * of one collect cycle and how long collect ran; the Unix seconds before and after.
     */
    record Run(Received agent, double agentSeconds, List<Received> proflab, double proflabSeconds, long t0, long t1) {
    }

    /**
     * The agent with {@code PYROSCOPE_PROFILER_EVENT=event} and {@code PYROSCOPE_PROFILING_INTERVAL=interval}
     * (configured by its environment variables, Config.java), then one cycle of {@code proflab collect} with
     * {@code more} options against proflab-agent, each in a {@link BurnFixture} JVM.
     */
    Run run(String event, String interval, String... more) throws Exception {
        return run(event, interval, Map.of(), "burn", 2 * WINDOW_SECONDS + 1, more);
    }

    /**
     * As {@link #run(String, String, String...)}, with more of the agent's settings ({@code agentEnv}), the
     * fixture's {@code mode} ({@link BurnFixture}'s second argument) and proflab's {@code --interval}, long enough
     * for one cycle of every kind asked for.
     */
    Run run(String event, String interval, Map<String, String> agentEnv, String mode, int intervalSeconds,
            String... more) throws Exception {
        int port = receiver.getAddress().getPort();
        long t0 = Instant.now().getEpochSecond();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PYROSCOPE_SERVER_ADDRESS", "http://127.0.0.1:" + port);
        env.put("PYROSCOPE_APPLICATION_NAME", APP);
        env.put("PYROSCOPE_UPLOAD_INTERVAL", WINDOW_SECONDS + "s");
        env.put("PYROSCOPE_FORMAT", "jfr");
        env.put("PYROSCOPE_PROFILER_EVENT", event);
        env.put("PYROSCOPE_PROFILING_INTERVAL", interval);
        env.put("PYROSCOPE_TENANT_ID", TENANT);
        env.put("PYROSCOPE_BASIC_AUTH_USER", USER);
        env.put("PYROSCOPE_BASIC_AUTH_PASSWORD", PASSWORD);
        env.putAll(agentEnv);
        long agentStarted = System.nanoTime();
        Received agent;
        try (Jvm jvm = Jvm.start(dir.resolve("agent-" + event + ".txt"), env, "-javaagent:" + pyroscopeAgentJar(), mode)) {
            jvm.await("burning");
            // the first window that began after the fixture said so (from is truncated to the second): all of it
            // burning (allocating, contending) and none of it the JVM's start, however slow the machine
            long burning = Instant.now().getEpochSecond();
            agent = awaitRequest(jvm, false, burning + 1);
        }
        double agentSeconds = (System.nanoTime() - agentStarted) / 1e9;

        Path agentJar = Path.of(System.getProperty("proflab.agentJar", "../agent/target/proflab-agent.jar"));
        assertThat(agentJar).as("run after the agent module's package (./mvnw verify)").isRegularFile();
        try (Jvm jvm = Jvm.start(dir.resolve("proflab-" + event + ".txt"), Map.of(),
                "-javaagent:" + agentJar.toAbsolutePath() + "=port=0", mode)) {
            String line = jvm.await("listening on http://");
            Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(line);
            assertThat(m.find()).as(line).isTrue();
            jvm.await("burning");
            long started = System.nanoTime();
            // one cycle; its captures (a CPU window, a wall window with --wall) are taken one after the other
            List<String> args = new ArrayList<>(List.of("collect", "--target", "http://127.0.0.1:" + m.group(1),
                    "--interval", intervalSeconds + "s", "--window", WINDOW_SECONDS + "s", "--no-heap",
                    "--cycles", "1", "--stop-grace", WAIT_SECONDS + "s",
                    "--pyroscope", "http://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port,
                    "--app", APP, "--tenant", TENANT));
            args.addAll(List.of(more));
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains(" 0 left"); // every window delivered before collect returned
            awaitRequest(jvm, true, 0);
            double proflabSeconds = (System.nanoTime() - started) / 1e9;
            List<Received> proflab;
            synchronized (received) {
                proflab = received.stream().filter(in -> "proflab-collect".equals(in.headers().get("user-agent")))
                        .toList();
            }
            return new Run(agent, agentSeconds, proflab, proflabSeconds, t0, Instant.now().getEpochSecond());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aCpuWindowIsSentAsTheAgentSendsIt() throws Exception {
        // itimer every 10 ms: the agent's default event and interval (Config.DEFAULT_PROFILER_EVENT,
        // DEFAULT_PROFILING_INTERVAL), and those of proflab's /debug/pprof/profile: set here all the same
        Run run = run("itimer", "10ms");
        assertThat(run.proflab()).hasSize(1);
        Received agent = run.agent();
        Received proflab = run.proflab().get(0);
        System.out.println("agent:   POST " + agent.path() + "?" + agent.rawQuery());
        System.out.println("proflab: POST " + proflab.path() + "?" + proflab.rawQuery());
        sameEnvelope(run, proflab);
        // sampleRate: Config.profilingIntervalInHertz() of 10 ms, sent for cpu, itimer and wall; units and
        // aggregationType: EventType.ITIMER's
        assertThat(agent.query()).containsEntry("sampleRate", "100").containsEntry("units", "samples")
                .containsEntry("aggregationType", "sum");

        // --- the recording: the same sample event, the same series and jfr_event for the server
        Series as = series(agent.parts().get("jfr").body());
        Series ps = series(proflab.parts().get("jfr").body());
        System.out.println("agent:   " + as);
        System.out.println("proflab: " + ps);
        assertThat(as.sampleEvents()).containsExactly("jdk.ExecutionSample");
        assertThat(ps.sampleEvents()).isEqualTo(as.sampleEvents());
        assertThat(as.metrics()).containsExactly("process_cpu");
        assertThat(ps.metrics()).isEqualTo(as.metrics());
        assertThat(as.jfrEvent()).isEqualTo("itimer");
        assertThat(ps.jfrEvent()).isEqualTo(as.jfrEvent());
        assertThat(as.samples()).isPositive();
        assertThat(ps.samples()).isPositive();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aWallWindowIsSentAsTheAgentSendsIt() throws Exception {
        // wall every 50 ms: what proflab's /debug/pprof/wall samples; the agent samples wall at its profiling
        // interval (AsyncProfilerDelegate.createStartCommand: interval=), given the same here
        Run run = run("wall", "50ms", "--wall");
        Received agent = run.agent();
        // proflab's cycle: a CPU window (itimer) and a wall window, pushed one after the other
        assertThat(run.proflab()).hasSize(2);
        Map<String, Received> proflab = new LinkedHashMap<>();
        Map<String, Series> series = new LinkedHashMap<>();
        for (Received in : run.proflab()) {
            Series sr = series(in.parts().get("jfr").body());
            String kind = sr.sampleEvents().contains("profiler.WallClockSample") ? "wall" : "cpu";
            proflab.put(kind, in);
            series.put(kind, sr);
        }
        assertThat(proflab).containsOnlyKeys("cpu", "wall");
        Received wall = proflab.get("wall");
        System.out.println("agent (wall):   POST " + agent.path() + "?" + agent.rawQuery());
        System.out.println("proflab (wall): POST " + wall.path() + "?" + wall.rawQuery());
        sameEnvelope(run, wall);
        // sampleRate: 1 / 50 ms, sent for wall too (PyroscopeExporter.urlForSnapshot); EventType.WALL's units and
        // aggregationType
        assertThat(agent.query()).containsEntry("sampleRate", "20").containsEntry("units", "samples")
                .containsEntry("aggregationType", "sum");

        Series as = series(agent.parts().get("jfr").body());
        Series ws = series.get("wall");
        Series cs = series.get("cpu");
        System.out.println("agent (wall):   " + as);
        System.out.println("proflab (wall): " + ws);
        System.out.println("proflab (cpu):  " + cs);
        // the same sample event and jfr_event
        assertThat(as.sampleEvents()).containsExactly("profiler.WallClockSample");
        assertThat(ws.sampleEvents()).isEqualTo(as.sampleEvents());
        assertThat(as.jfrEvent()).isEqualTo("wall");
        assertThat(ws.jfrEvent()).isEqualTo("wall");
        assertThat(as.samples()).isPositive();
        assertThat(ws.samples()).isPositive();
        // the series differ, on purpose: the agent's recording says event=wall before its samples, so the parser
        // also counts its RUNNABLE wall samples as process_cpu (the agent's only CPU series in wall mode, labelled
        // jfr_event=wall). proflab also pushes a CPU window of its own each cycle: its wall push says event=wall
        // after the samples (PushRecording), so that it makes the wall series only and no CPU is counted twice;
        // process_cpu comes from the itimer window, labelled jfr_event=itimer
        assertThat(as.metrics()).containsExactly("process_cpu", "wall");
        assertThat(ws.metrics()).containsExactly("wall");
        assertThat(cs.metrics()).containsExactly("process_cpu");
        assertThat(cs.jfrEvent()).isEqualTo("itimer");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void allocationAndLockProfilesAsTheAgentSendsThem() throws Exception {
        // the agent: itimer every 10 ms with an allocation sample every 512 KB and lock waits of 10 us or more
        // (PYROSCOPE_PROFILER_ALLOC and _LOCK go to async-profiler as they are: AsyncProfilerDelegate
        // .createStartCommand, alloc=512k,lock=10us); proflab's /debug/pprof/allocs and /mutex sample the same
        // (CaptureSettings.DEFAULT_ALLOC_BYTES, DebugOptions.lockThreshold). --mutex and --block: the agent's lock
        // events are both jdk.JavaMonitorEnter (mutex) and jdk.ThreadPark (block)
        Map<String, String> env = Map.of("PYROSCOPE_PROFILER_ALLOC", "512k", "PYROSCOPE_PROFILER_LOCK", "10us");
        // one cycle: the CPU window, then three snapshots of one window each
        Run run = run("itimer", "10ms", env, "alloc-lock", 4 * WINDOW_SECONDS + 1, "--allocs", "--mutex",
                "--block", "--snapshot", WINDOW_SECONDS + "s");
        Received agent = run.agent();
        Series as = series(agent.parts().get("jfr").body());
        System.out.println("agent (alloc, lock): POST " + agent.path() + "?" + agent.rawQuery());
        System.out.println("agent (alloc, lock): " + as);
        System.out.println("agent (alloc, lock): " + settings(agent.parts().get("jfr").body()));
        System.out.println("agent (alloc, lock): " + profileTypes(as));

        // --- the agent: one request a window, every event in one recording, under the CPU event's query
        // parameters (urlForSnapshot: units, aggregationType of EventType.ITIMER, sampleRate for itimer)
        assertThat(agent.query()).containsEntry("units", "samples").containsEntry("aggregationType", "sum")
                .containsEntry("sampleRate", "100");
        assertThat(as.sampleEvents()).contains("jdk.ExecutionSample", "jdk.ObjectAllocationInNewTLAB",
                "jdk.JavaMonitorEnter", "jdk.ThreadPark");
        assertThat(as.metrics()).containsExactly("block", "memory", "mutex", "process_cpu");
        assertThat(as.jfrEvent()).isEqualTo("itimer");

        // --- proflab: one push a kind, each with its own sample events only (PushRecording.samplesOf)
        Map<String, Received> proflab = new LinkedHashMap<>();
        Map<String, Series> series = new LinkedHashMap<>();
        for (Received in : run.proflab()) {
            Series sr = series(in.parts().get("jfr").body());
            assertThat(sr.metrics()).as("one series a push: %s", sr).hasSize(1);
            String metric = sr.metrics().first();
            proflab.put(metric, in);
            series.put(metric, sr);
            System.out.println("proflab (" + metric + "): POST " + in.path() + "?" + in.rawQuery());
            System.out.println("proflab (" + metric + "): " + sr);
            System.out.println("proflab (" + metric + "): " + settings(in.parts().get("jfr").body()));
        }
        assertThat(run.proflab()).hasSize(4);
        // the same series, the same sample events, the same jfr_event: what Pyroscope stores is the same
        assertThat(series.keySet()).containsExactlyInAnyOrderElementsOf(as.metrics());
        SortedSet<String> events = new TreeSet<>();
        SortedSet<String> types = new TreeSet<>();
        series.values().forEach(sr -> {
            events.addAll(sr.sampleEvents());
            types.addAll(profileTypes(sr));
            assertThat(sr.jfrEvent()).as("jfr_event of %s", sr).isEqualTo(as.jfrEvent());
            assertThat(sr.samples()).isPositive();
        });
        System.out.println("proflab (alloc, lock): " + types);
        // async-profiler writes an allocation outside a TLAB only when one is sampled there (1 KB arrays rarely
        // are): compare the events both always have
        Set<String> sometimes = Set.of("jdk.ObjectAllocationOutsideTLAB");
        assertThat(without(events, sometimes)).isEqualTo(without(as.sampleEvents(), sometimes));
        assertThat(without(types, Set.of("memory:alloc_outside_tlab_objects:count:space:bytes",
                "memory:alloc_outside_tlab_bytes:bytes:space:bytes")))
                .isEqualTo(without(profileTypes(as), Set.of("memory:alloc_outside_tlab_objects:count:space:bytes",
                        "memory:alloc_outside_tlab_bytes:bytes:space:bytes")));
        // the same sampling: async-profiler's own settings in each recording (alloc and lock in bytes and ns)
        Map<String, String> agentSettings = settings(agent.parts().get("jfr").body());
        assertThat(settings(proflab.get("memory").parts().get("jfr").body()).get("alloc"))
                .isEqualTo(agentSettings.get("alloc"));
        assertThat(settings(proflab.get("mutex").parts().get("jfr").body()).get("lock"))
                .isEqualTo(agentSettings.get("lock"));
        assertThat(settings(proflab.get("block").parts().get("jfr").body()).get("lock"))
                .isEqualTo(agentSettings.get("lock"));

        // --- what differs, and the server reads none of it for format=jfr: units and aggregationType are per
        // kind in proflab (objects for allocations, PyroscopeUploader.units), where the agent sends its CPU event's
        // for the whole recording; grafana/pyroscope pkg/og/convert/jfr/profile.go ParseToPprof hands the JFR parser
        // only the window and sampleRate. sampleRate: proflab sends it for cpu and wall only, the agent for every
        // event in its recording; the parser multiplies by its period only CPU and wall samples (grafana/jfr-parser
        // pprof/pprof.go addStacktrace: mul = period for sampleTypeCPU and sampleTypeWall), allocation and lock
        // samples count 1 and their bytes or nanoseconds either way
        assertThat(proflab.get("process_cpu").query()).containsEntry("units", "samples")
                .containsEntry("sampleRate", "100");
        assertThat(proflab.get("memory").query()).containsEntry("units", "objects")
                .containsEntry("aggregationType", "sum").doesNotContainKey("sampleRate");
        for (String m : List.of("mutex", "block")) {
            assertThat(proflab.get(m).query()).as(m).containsEntry("units", "samples")
                    .containsEntry("aggregationType", "sum").doesNotContainKey("sampleRate");
        }
        // the windows: the agent's events share one window (one recording); proflab's kinds are captured one
        // after the other in a cycle (the target runs one capture at a time), so each push has a window of its own
        List<Received> byTime = new ArrayList<>(run.proflab());
        byTime.sort(java.util.Comparator.comparingLong(in -> Long.parseLong(in.query().get("from"))));
        for (int i = 0; i < byTime.size(); i++) {
            checkWindow(byTime.get(i), run.proflabSeconds(), run.t0(), run.t1());
            if (i > 0) {
                assertThat(Long.parseLong(byTime.get(i).query().get("from")))
                        .isGreaterThanOrEqualTo(Long.parseLong(byTime.get(i - 1).query().get("until")) - 1);
            }
        }
        checkWindow(agent, run.agentSeconds(), run.t0(), run.t1());
        // the name and headers as in the CPU test
        for (Received in : run.proflab()) {
            assertThat(in.query().get("name")).isEqualTo(proflab.get("process_cpu").query().get("name"));
            assertThat(in.headers().get("authorization")).isEqualTo(agent.headers().get("authorization"));
            assertThat(in.headers().get("x-scope-orgid")).isEqualTo(TENANT);
            assertThat(in.parts().keySet()).containsExactly("jfr");
        }

        // --- context labels: the fixture burns inside the agent's ScopedContext(endpoint=/fib) when the agent's
        // API is on its class path. The agent then sends a second part, labels (PyroscopeExporter.requestBody: the
        // gzipped LabelsSnapshot of Pyroscope.LabelsWrapper.dump(), when not empty), and its samples carry the
        // context's id (contextId), which the parser joins to those labels (jfr-parser pprof/parser.go
        // StacktraceCorrelation.ContextId, pprof.go contextLabels): the series' samples get endpoint=/fib. proflab
        // has no API inside the JVM: its labels are per collector (--label k=v, in name), one part
        assertThat(agent.parts().keySet()).containsExactly("jfr", "labels");
        Part labels = agent.parts().get("labels");
        assertThat(labels.headers().get("content-disposition")).isEqualTo("form-data; name=\"labels\"; filename=\"labels\"");
        // gzipped (PYROSCOPE_EXPORT_COMPRESSION_LEVEL_LABELS, by default Deflater.BEST_SPEED), application/x-protobuf
        assertThat((labels.body()[0] & 0xff) == 0x1f && (labels.body()[1] & 0xff) == 0x8b).as("gzipped").isTrue();
        assertThat(labels.headers()).containsEntry("content-type", "application/x-protobuf");
        Map<Long, Map<String, String>> contexts = contexts(labels.body());
        System.out.println("agent (labels part): " + labels.headers() + " " + contexts);
        assertThat(contexts.values()).contains(Map.of("endpoint", "/fib"));
        Map<String, Long> withContext = samplesWithContext(agent.parts().get("jfr").body());
        System.out.println("agent (samples with a contextId): " + withContext);
        assertThat(withContext.get("jdk.ExecutionSample")).as("CPU samples labelled").isPositive();
        Map<String, Long> proflabWithContext = samplesWithContext(proflab.get("process_cpu").parts().get("jfr").body());
        System.out.println("proflab (samples with a contextId): " + proflabWithContext);
        assertThat(proflabWithContext.values()).allMatch(n -> n == 0);
    }

    /** The agent's labels part: gzipped {@code LabelsSnapshot}, read with the agent's own classes: id -> labels. */
    static Map<Long, Map<String, String>> contexts(byte[] gz) throws IOException {
        byte[] raw = (gz.length > 2 && (gz[0] & 0xff) == 0x1f && (gz[1] & 0xff) == 0x8b)
                ? new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes() : gz;
        io.pyroscope.labels.pb.JfrLabels.LabelsSnapshot snap = io.pyroscope.labels.pb.JfrLabels.LabelsSnapshot
                .parseFrom(raw);
        Map<Long, Map<String, String>> out = new java.util.TreeMap<>();
        snap.getContextsMap().forEach((id, ctx) -> {
            Map<String, String> kv = new java.util.TreeMap<>();
            ctx.getLabelsMap().forEach((k, v) -> kv.put(snap.getStringsMap().get(k), snap.getStringsMap().get(v)));
            out.put(id, kv);
        });
        return out;
    }

    /** Per sample event of a gzipped JFR part, how many have a non-zero {@code contextId}. */
    Map<String, Long> samplesWithContext(byte[] gz) throws IOException {
        Path f = Files.createTempFile(dir, "ctx", ".jfr");
        Files.write(f, new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes());
        Map<String, Long> n = new java.util.TreeMap<>();
        try (jdk.jfr.consumer.RecordingFile r = new jdk.jfr.consumer.RecordingFile(f)) {
            while (r.hasMoreEvents()) {
                jdk.jfr.consumer.RecordedEvent e = r.readEvent();
                String type = e.getEventType().getName();
                if (Series.SAMPLE_EVENTS.contains(type)) {
                    boolean ctx = e.hasField("contextId") && e.getLong("contextId") != 0;
                    n.merge(type, ctx ? 1L : 0L, Long::sum);
                }
            }
        }
        return n;
    }

    static SortedSet<String> without(Set<String> s, Set<String> drop) {
        SortedSet<String> r = new TreeSet<>(s);
        r.removeAll(drop);
        return r;
    }

    /**
     * The profile types Pyroscope stores for a part, {@code metric:sample type:unit:period type:unit} (grafana/jfr-parser
     * pprof/pprof.go {@code profileBuilderForSampleType}), from the part's sample events and series.
     */
    static SortedSet<String> profileTypes(Series s) {
        SortedSet<String> t = new TreeSet<>();
        if (s.metrics().contains("process_cpu")) {
            t.add("process_cpu:cpu:nanoseconds:cpu:nanoseconds");
        }
        if (s.metrics().contains("wall")) {
            t.add("wall:wall:nanoseconds:wall:nanoseconds");
        }
        for (String e : s.sampleEvents()) {
            switch (e) {
                case "jdk.ObjectAllocationInNewTLAB" -> t.addAll(List.of(
                        "memory:alloc_in_new_tlab_objects:count:space:bytes",
                        "memory:alloc_in_new_tlab_bytes:bytes:space:bytes"));
                case "jdk.ObjectAllocationOutsideTLAB" -> t.addAll(List.of(
                        "memory:alloc_outside_tlab_objects:count:space:bytes",
                        "memory:alloc_outside_tlab_bytes:bytes:space:bytes"));
                case "jdk.ObjectAllocationSample" -> t.addAll(List.of(
                        "memory:alloc_sample_objects:count:space:bytes", "memory:alloc_sample_bytes:bytes:space:bytes"));
                case "jdk.JavaMonitorEnter" -> t.addAll(List.of("mutex:contentions:count:mutex:count",
                        "mutex:delay:nanoseconds:mutex:count"));
                case "jdk.ThreadPark" -> t.addAll(List.of("block:contentions:count:block:count",
                        "block:delay:nanoseconds:block:count"));
                case "profiler.LiveObject" -> t.add("memory:live:count:objects:count");
                default -> {
                }
            }
        }
        return t;
    }

    /** async-profiler's settings in a gzipped JFR part: the last {@code jdk.ActiveSetting} of each name. */
    Map<String, String> settings(byte[] gz) throws IOException {
        Path f = Files.createTempFile(dir, "settings", ".jfr");
        Files.write(f, new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes());
        Map<String, String> s = new java.util.TreeMap<>();
        try (jdk.jfr.consumer.RecordingFile r = new jdk.jfr.consumer.RecordingFile(f)) {
            while (r.hasMoreEvents()) {
                jdk.jfr.consumer.RecordedEvent e = r.readEvent();
                if (e.getEventType().getName().equals("jdk.ActiveSetting")) {
                    s.put(e.getString("name"), e.getString("value"));
                }
            }
        }
        return s;
    }

    /**
     * What both requests carry alike: the request line, the query parameters but the name's labels, from/until,
     * the auth and tenant headers, the multipart body; and the differences in the name's labels.
     */
    void sameEnvelope(Run run, Received proflab) {
        Received agent = run.agent();
        // --- the request line: POST /ingest with the same query parameters, whatever their order
        for (Received in : List.of(agent, proflab)) {
            assertThat(in.method()).isEqualTo("POST");
            assertThat(in.path()).isEqualTo("/ingest");
        }
        assertThat(proflab.query().keySet()).containsExactlyInAnyOrderElementsOf(agent.query().keySet())
                .containsExactlyInAnyOrder("name", "from", "until", "format", "spyName", "sampleRate", "units",
                        "aggregationType");
        for (String k : List.of("format", "spyName", "sampleRate", "units", "aggregationType")) {
            assertThat(proflab.query().get(k)).as(k).isEqualTo(agent.query().get(k));
        }
        // format=jfr (PYROSCOPE_FORMAT), spyName Config.DEFAULT_SPY_NAME
        assertThat(agent.query()).containsEntry("format", "jfr").containsEntry("spyName", "javaspy");

        // --- from and until: Unix seconds within the run, a window as long as the upload interval. Both are
        // truncated to the second, so 1 s less at least; at most the time the agent's JVM (or proflab collect) ran:
        // the agent's until is when its scheduler's tick stopped the profiler (late under load), proflab's when the
        // target's answer had arrived
        checkWindow(agent, run.agentSeconds(), run.t0(), run.t1());
        checkWindow(proflab, run.proflabSeconds(), run.t0(), run.t1());
        System.out.printf("windows: agent %d s (its JVM ran %.1f s), proflab %d s (collect ran %.1f s)%n",
                window(agent), run.agentSeconds(), window(proflab), run.proflabSeconds());

        // --- name: app{k=v,...}; the same app, the same runtime labels, and each one's own labels
        Map<String, String> a = labels(agent.query().get("name"), APP);
        Map<String, String> p = labels(proflab.query().get("name"), APP);
        // PyroscopeExporter.otelRequiredLabels: process.runtime.version is the JVM's java.runtime.version in both
        // (proflab reads it from the recording's jdk.InitialSystemProperty events: async-profiler writes
        // java.vm.version, the same string)
        assertThat(p.get("process.runtime.version")).isEqualTo(a.get("process.runtime.version"))
                .isEqualTo(System.getProperty("java.runtime.version"));
        // process.runtime.name: the agent reads java.runtime.name in the JVM ("OpenJDK Runtime Environment");
        // async-profiler's recording holds only java.vm.name ("OpenJDK 64-Bit Server VM"): proflab sends that
        assertThat(a.get("process.runtime.name")).isEqualTo(System.getProperty("java.runtime.name"));
        assertThat(p.get("process.runtime.name")).isEqualTo(System.getProperty("java.vm.name"));
        // otel.scope.name/version (otelRequiredLabels) name the agent itself (com.grafana.pyroscope/java, its
        // Implementation-Version): proflab is not that agent and does not claim to be
        assertThat(a).containsEntry("otel.scope.name", "com.grafana.pyroscope/java")
                .containsEntry("otel.scope.version", "2.9.2");
        // host and instance: proflab's defaults (PyroscopeLabels.defaults), so that two JVMs of one service pulled
        // by one collector stay two series; the agent, inside its JVM, adds none (only PYROSCOPE_LABELS)
        assertThat(a.keySet()).containsExactlyInAnyOrder("otel.scope.name", "otel.scope.version",
                "process.runtime.name", "process.runtime.version");
        assertThat(p.keySet()).containsExactlyInAnyOrder("host", "instance", "process.runtime.name",
                "process.runtime.version");

        // --- headers the server (or its gateway) reads: the same basic auth, the same tenant
        // (PyroscopeExporter.addAuthHeader: PYROSCOPE_BASIC_AUTH_USER/PASSWORD, PYROSCOPE_TENANT_ID)
        for (String h : List.of("authorization", "x-scope-orgid")) {
            assertThat(proflab.headers().get(h)).as(h).isEqualTo(agent.headers().get(h)).isNotNull();
        }
        assertThat(agent.headers().get("authorization")).isEqualTo("Basic " + java.util.Base64.getEncoder()
                .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        assertThat(agent.headers().get("x-scope-orgid")).isEqualTo(TENANT);
        // neither encodes the body as a whole (the agent adds Content-Encoding: gzip for format=otlp only)
        assertThat(agent.headers()).doesNotContainKey("content-encoding");
        assertThat(proflab.headers()).doesNotContainKey("content-encoding");
        // User-Agent differs (okhttp/x vs proflab-collect), and the agent streams its body chunked where proflab
        // sends a Content-Length: HTTP's business, the server reads neither

        // --- the body: multipart/form-data with one part, jfr, file name jfr, gzipped (requestBody: the labels
        // part only when the application set context labels; the fixture sets none but in alloc-lock mode)
        for (Received in : List.of(agent, proflab)) {
            assertThat(in.headers().get("content-type")).startsWith("multipart/form-data; boundary=");
            assertThat(in.parts().keySet()).containsExactly("jfr");
            assertThat(in.parts().get("jfr").headers().get("content-disposition"))
                    .isEqualTo("form-data; name=\"jfr\"; filename=\"jfr\"");
            byte[] body = in.parts().get("jfr").body();
            assertThat(body.length > 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b).as("gzipped").isTrue();
        }
        // the part's own Content-Type: the agent sends none (RequestBody.create(byte[]) has no media type),
        // proflab application/octet-stream; Go's multipart reader hands the bytes over either way
        assertThat(agent.parts().get("jfr").headers()).doesNotContainKey("content-type");
        assertThat(proflab.parts().get("jfr").headers()).containsEntry("content-type", "application/octet-stream");
    }

    static void checkWindow(Received in, double ran, long t0, long t1) {
        long from = Long.parseLong(in.query().get("from"));
        long until = Long.parseLong(in.query().get("until"));
        assertThat(from).as("from").isBetween(t0 - 1, t1);
        assertThat(until).as("until").isBetween(from + 1, t1 + 1);
        assertThat(until - from).as("window of %s", in.headers().get("user-agent"))
                .isBetween(WINDOW_SECONDS - 1L, (long) Math.ceil(ran) + 1);
    }

    static long window(Received in) {
        return Long.parseLong(in.query().get("until")) - Long.parseLong(in.query().get("from"));
    }

    // ---- the receiver ----------------------------------------------------------------------------------------

    private void record(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String raw = ex.getRequestURI().getRawQuery();
            Map<String, String> query = new LinkedHashMap<>();
            if (raw != null) {
                for (String kv : raw.split("&")) {
                    int eq = kv.indexOf('=');
                    query.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            Matcher b = Pattern.compile("boundary=\"?([^\";]+)\"?")
                    .matcher(headers.getOrDefault("content-type", ""));
            Map<String, Part> parts = b.find() ? multipart(body, b.group(1)) : Map.of();
            received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(), raw, query, headers, parts));
            ex.sendResponseHeaders(200, -1);
        }
    }

    /** Parts between {@code --boundary} lines, each with its headers, a blank line and its bytes. */
    static Map<String, Part> multipart(byte[] body, String boundary) {
        String s = new String(body, StandardCharsets.ISO_8859_1);
        String delim = "--" + boundary;
        int end = s.lastIndexOf(delim + "--");
        assertThat(s).as("multipart body").startsWith(delim);
        assertThat(end).as("closing delimiter").isPositive();
        Map<String, Part> parts = new LinkedHashMap<>();
        for (String part : s.substring(delim.length(), end).split("\r\n" + Pattern.quote(delim))) {
            int headersEnd = part.indexOf("\r\n\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h : part.substring(2, headersEnd).split("\r\n")) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
                        h.substring(colon + 1).strip());
            }
            String content = part.substring(headersEnd + 4);
            if (content.endsWith("\r\n")) {
                content = content.substring(0, content.length() - 2);
            }
            Matcher n = Pattern.compile("name=\"([^\"]+)\"").matcher(headers.getOrDefault("content-disposition", ""));
            assertThat(n.find()).as("a named part: " + headers).isTrue();
            parts.put(n.group(1), new Part(headers, content.getBytes(StandardCharsets.ISO_8859_1)));
        }
        return parts;
    }

    /** The labels of {@code app{k=v,...}} (Pyroscope's labelset.Parse), checking the app. */
    static Map<String, String> labels(String name, String app) {
        Matcher m = Pattern.compile("([^{]*)\\{(.*)}").matcher(name);
        assertThat(m.matches()).as(name).isTrue();
        assertThat(m.group(1)).isEqualTo(app);
        Map<String, String> labels = new LinkedHashMap<>();
        if (!m.group(2).isEmpty()) {
            for (String kv : m.group(2).split(",")) {
                String[] p = kv.split("=", 2);
                labels.put(p[0], p[1]);
            }
        }
        return labels;
    }

    /** What Pyroscope's JFR parser makes of a gzipped {@code jfr} part ({@link Series}, the server module's tests). */
    Series series(byte[] gz) throws IOException {
        Path f = Files.createTempFile(dir, "part", ".jfr");
        Files.write(f, new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes());
        return Series.of(f);
    }

    // ---- the JVMs --------------------------------------------------------------------------------------------

    /**
     * The first request received from proflab (its User-Agent is {@code proflab-collect}) or from anyone else (the
     * agent, whose okhttp says {@code okhttp/x}) whose window begins at {@code minFrom} (Unix seconds) or later,
     * waiting up to {@link #WAIT_SECONDS}; the JVM must stay alive.
     */
    private Received awaitRequest(Jvm jvm, boolean fromProflab, long minFrom) throws Exception {
        long end = System.nanoTime() + WAIT_SECONDS * 1_000_000_000L;
        while (true) {
            synchronized (received) {
                for (Received in : received) {
                    if ("proflab-collect".equals(in.headers().get("user-agent")) == fromProflab
                            && Long.parseLong(in.query().getOrDefault("from", "0")) >= minFrom) {
                        return in;
                    }
                }
            }
            assertThat(System.nanoTime()).as("a request within %d s; the JVM said:%n%s", WAIT_SECONDS, jvm.output())
                    .isLessThan(end);
            assertThat(jvm.process().isAlive()).as("the JVM ended; it said:%n%s", jvm.output()).isTrue();
            Thread.sleep(100);
        }
    }

    /** The Pyroscope agent's jar, a test dependency: from the Maven class path. */
    static Path pyroscopeAgentJar() {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (p.getFileName() != null && p.getFileName().toString().matches("agent-[0-9.]+\\.jar")
                    && p.toString().replace(File.separatorChar, '/').contains("io/pyroscope/agent/")) {
                return p.toAbsolutePath();
            }
        }
        throw new IllegalStateException("io.pyroscope:agent is not on the test class path (a test dependency of cli)");
    }

    /** {@link BurnFixture} in a JVM of this test's {@code java}, its output in a file. */
    record Jvm(Process process, Path out) implements AutoCloseable {

        static Jvm start(Path out, Map<String, String> env, String javaagent, String mode) throws IOException {
            Path classes = Path.of(URLDecoder.decode(BurnFixture.class.getProtectionDomain().getCodeSource()
                    .getLocation().getPath(), StandardCharsets.UTF_8));
            ProcessBuilder pb = new ProcessBuilder(Targets.java().toString(), "--enable-native-access=ALL-UNNAMED",
                    javaagent, "-cp", classes.toString(), BurnFixture.class.getName(), "100", mode)
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("PYROSCOPE_"));
            pb.environment().putAll(env);
            return new Jvm(pb.start(), out);
        }

        /** Waits (up to {@link #WAIT_SECONDS}) for a line of output containing {@code text}; returns it. */
        String await(String text) throws IOException, InterruptedException {
            long end = System.nanoTime() + WAIT_SECONDS * 1_000_000_000L;
            while (true) {
                for (String line : Files.readAllLines(out)) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
                assertThat(process.isAlive()).as("the JVM ended without '%s':%n%s", text, output()).isTrue();
                assertThat(System.nanoTime()).as("'%s' within %d s:%n%s", text, WAIT_SECONDS, output()).isLessThan(end);
                Thread.sleep(50);
            }
        }

        String output() throws IOException {
            return Files.readString(out, StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
