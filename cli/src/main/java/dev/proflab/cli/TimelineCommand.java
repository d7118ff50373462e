package dev.proflab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.profile.Timeline;
import dev.proflab.profile.TimelineReader;
import dev.proflab.report.JsonReport;
import dev.proflab.report.Regex;
import dev.proflab.report.ReportFormat;
import dev.proflab.report.TimelineReport;
import dev.proflab.text.Escape;
import dev.proflab.text.Phrase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code proflab timeline FILE}: what every thread did over time, and the GC pauses and safepoints. */
@Command(name = "timeline", addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        description = {"What each thread did over the recording, and the longest GC pauses and safepoints.",
                "Per thread: lifetime, running share, parked, blocked, waiting and sleeping time.",
                "The terminal's view of the timeline that 'proflab view' draws; record with",
                "'proflab profile --timeline' (JDK Flight Recorder) to get waits, GC pauses and safepoints."},
        footer = {"", "Examples:",
                "  proflab timeline tmp/trace.jfr",
                "  proflab timeline --sort busy -n 10 --from 1s --to 2s tmp/trace.jfr",
                "  proflab timeline --thread 'lock-' --format json tmp/trace.jfr"})
final class TimelineCommand implements Callable<Integer> {

    /** The capture settings a timeline's note names ({@link Timeline#notePhrase()}), as this tool sets them. */
    static final Map<String, String> NOTE_FLAGS = Map.of("timeline", "proflab profile --timeline", "engine", "--engine");

    @Parameters(index = "0", paramLabel = "FILE", description = "A .jfr recording (JDK Flight Recorder or async-profiler)")
    Path file;

    @Option(names = "-n", paramLabel = "N", defaultValue = "40",
            description = "Threads to show at most (default: ${DEFAULT-VALUE}); the rest are counted")
    int lanes;

    @Option(names = "--sort", paramLabel = "ORDER", defaultValue = "busy",
            description = "start, busy (running time), lifetime or name (default: ${DEFAULT-VALUE})")
    String sort;

    @Option(names = "--thread", paramLabel = "REGEX", description = "Only threads whose name matches")
    String thread;

    @Option(names = "--from", paramLabel = "TIME", description = "Start of the window into the recording (e.g. 2s, 1500ms)")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End of the window (default: the end of the recording)")
    String to;

    @Option(names = "--bands", paramLabel = "N", defaultValue = "10",
            description = "The longest GC pauses and safepoints to list (default: ${DEFAULT-VALUE})")
    int bands;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}); json is the viewer's /api/timeline")
    ReportFormat format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (lanes < 1) {
            throw new UsageException("-n: " + lanes + " threads: show at least 1");
        }
        if (bands < 0) {
            throw new UsageException("--bands: " + bands + " is negative");
        }
        TimelineReport.Sort order = TimelineReport.Sort.of(sort);
        var threadRe = Regex.compile("--thread", thread);
        // one window: read in one pass that sums each thread's samples instead of keeping them all
        TimelineReport.Result r;
        Phrase notePhrase;
        try (TimelineReader.Recording t = TimelineReader.open(file)) {
            long start = from == null ? 0 : SelectionOptions.nanos(from, "--from");
            long end = to == null ? Math.max(1, t.durationNanos()) : SelectionOptions.nanos(to, "--to");
            if (end <= start) {
                throw new UsageException("--from/--to: the window " + (from == null ? "0" : from) + " to "
                        + (to == null ? "the end" : to) + " is empty");
            }
            notePhrase = t.notePhrase();
            r = TimelineReport.compute(t, start, end, 1, threadRe, lanes, order);
        }
        PrintWriter out = spec.commandLine().getOut();
        String note = notePhrase == null ? null : notePhrase.in(NOTE_FLAGS::get);
        if (format == ReportFormat.JSON) {
            ObjectNode o = JsonReport.timelineNode(r, file.getFileName().toString());
            if (note != null) {
                o.put("note", note);
            }
            try {
                out.print(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            out.flush();
            return 0;
        }
        out.printf(Locale.ROOT, "File: %s%nEngine: %s%nWindow: %s to %s of %s%n",
                Escape.terminal(file.getFileName().toString()), Escape.terminal(r.engine()),
                ms(r.from()), ms(r.to()), ms(r.durationNanos()));
        if (note != null && !note.isBlank()) {
            out.println("Note: " + Escape.terminal(note));
        }
        out.print(TimelineReport.text(r));
        List<Timeline.Band> longest = r.bands().stream()
                .sorted(Comparator.comparingLong(Timeline.Band::duration).reversed())
                .limit(bands)
                .toList();
        if (!longest.isEmpty()) {
            out.printf("Longest GC pauses and safepoints:%n");
            for (Timeline.Band b : longest) {
                out.printf(Locale.ROOT, "  %-9s %9s at %9s  %s%n", b.kind().id(), ms(b.duration()), ms(b.start()),
                        Escape.terminal(b.name()));
            }
        }
        out.flush();
        return 0;
    }

    private static String ms(long ns) {
        return String.format(Locale.ROOT, "%.1fms", ns / 1e6);
    }
}
