package dev.proflab.export;

import one.convert.Arguments;
import one.convert.JfrToHeatmap;
import one.jfr.JfrReader;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * async-profiler's heatmap of a JFR recording (its converter's {@code -o heatmap}: one self-contained page, columns of
 * seconds, rows of sub-second buckets, a click shows that moment's flame graph), written by the converter itself from
 * the recording, not from the profile model: like the copy of a recording, it needs the file. Reads async-profiler's
 * recordings and the JDK's ({@code jdk.ExecutionSample} as cpu).
 */
public final class Heatmap {

    /** The events the converter draws, by the names proflab gives them. */
    public static final Set<String> EVENTS = Set.of("cpu", "wall", "alloc", "live", "lock", "itimer");

    private Heatmap() {
    }

    /**
     * Writes the heatmap of {@code event} (null: the converter's default, CPU) of {@code jfr} to {@code out}.
     *
     * @throws ExportException for an event the heatmap cannot draw, or a file the converter cannot read
     */
    public static void write(Path jfr, String event, OutputStream out) throws IOException {
        List<String> args = new ArrayList<>();
        if (event != null) {
            if (!EVENTS.contains(event)) {
                throw new ExportException("the heatmap draws " + String.join(", ", EVENTS.stream().sorted().toList())
                        + ", not " + event);
            }
            args.add("--" + (event.equals("itimer") ? "cpu" : event));
        }
        JfrToHeatmap converter;
        try (JfrReader reader = new JfrReader(jfr.toString())) {
            converter = new JfrToHeatmap(reader, new Arguments(args.toArray(new String[0])));
            converter.convert();
        } catch (RuntimeException e) {
            // the converter's reader meeting a file it does not understand
            throw new ExportException("async-profiler's converter could not read it: " + e);
        }
        java.io.ByteArrayOutputStream page = new java.io.ByteArrayOutputStream();
        converter.dump(page); // a compact page (the converter packs the stacks): a few MB for a 24 MB recording
        if (page.size() < 64 && page.toString(java.nio.charset.StandardCharsets.UTF_8).startsWith("No samples")) {
            throw new ExportException("no " + (event == null ? "cpu" : event) + " samples to draw");
        }
        page.writeTo(out);
    }
}
