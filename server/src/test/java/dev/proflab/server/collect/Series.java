package dev.proflab.server.collect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What Grafana Pyroscope makes of a JFR push, restated in Java for the tests (grafana/jfr-parser
 * {@code pprof/parser.go} ({@code parse}) and {@code pprof/pprof.go} ({@code profileBuilderForSampleType})): the
 * events in file order, chunk after chunk; the last {@code jdk.ActiveSetting} named {@code event} is the
 * {@code jfr_event}, and while it is {@code wall} RUNNABLE wall samples (and every not-sleeping execution sample)
 * also count as CPU. Shared by the server's tests and the CLI's comparison with the official agent.
 *
 * @param sampleEvents the parser's sample event types the recording has
 * @param metrics      the series' {@code __name__}s ({@code process_cpu}, {@code wall}, {@code memory}, ...)
 * @param jfrEvent     the {@code jfr_event} label
 * @param samples      how many sample events
 */
public record Series(SortedSet<String> sampleEvents, SortedSet<String> metrics, String jfrEvent, long samples) {

    /** The sample events of Pyroscope's JFR parser (grafana/jfr-parser pprof/parser.go). */
    public static final Set<String> SAMPLE_EVENTS = Set.of("jdk.ExecutionSample", "profiler.WallClockSample",
            "jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB", "jdk.ObjectAllocationSample",
            "profiler.LiveObject", "profiler.Malloc", "jdk.JavaMonitorEnter", "jdk.ThreadPark");

    /** The series of the JFR recording {@code jfr}. */
    public static Series of(Path jfr) throws IOException {
        SortedSet<String> events = new TreeSet<>();
        SortedSet<String> metrics = new TreeSet<>();
        String event = "";
        long samples = 0;
        try (jdk.jfr.consumer.RecordingFile r = new jdk.jfr.consumer.RecordingFile(jfr)) {
            while (r.hasMoreEvents()) {
                jdk.jfr.consumer.RecordedEvent e = r.readEvent();
                String type = e.getEventType().getName();
                if (SAMPLE_EVENTS.contains(type)) {
                    events.add(type);
                    samples++;
                }
                String state = e.hasField("state") ? String.valueOf((Object) e.getValue("state")) : null;
                switch (type) {
                    case "jdk.ExecutionSample" -> {
                        if (state != null && !state.contains("STATE_SLEEPING")) {
                            metrics.add("process_cpu");
                        }
                        if (event.equals("wall")) {
                            metrics.add("wall");
                        }
                    }
                    case "profiler.WallClockSample" -> {
                        if (state != null && state.contains("STATE_RUNNABLE") && event.equals("wall")) {
                            metrics.add("process_cpu");
                        }
                        metrics.add("wall");
                    }
                    case "jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB",
                         "jdk.ObjectAllocationSample", "profiler.LiveObject", "profiler.Malloc" -> metrics.add("memory");
                    case "jdk.JavaMonitorEnter" -> metrics.add("mutex");
                    case "jdk.ThreadPark" -> metrics.add("block");
                    case "jdk.ActiveSetting" -> {
                        if ("event".equals(e.getString("name"))) {
                            event = e.getString("value") == null ? "" : e.getString("value");
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        return new Series(events, metrics, event, samples);
    }
}
