package dev.proflab.export;

import dev.proflab.profile.Profile;
import dev.proflab.report.Diff;
import dev.proflab.report.Selected;
import dev.proflab.report.Selection;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The formats a profile can be exported to, each a pure function from a {@link Profile} to the
 * bytes of a file. {@link #JFR} is the odd one: a recording is exported by copying it, which needs
 * the recording, not the model; {@link #export} refuses it.
 */
public enum ExportFormat {
    /** Gzipped profile.proto with source file names and lines ({@link Pprof}). */
    PPROF("pb.gz", ".pb.gz", ".pprof", ".pb"),
    /** Collapsed stacks, {@code root;caller;leaf value} per line ({@link Collapsed}). */
    COLLAPSED("collapsed", ".collapsed", ".folded"),
    /** async-profiler's interactive flame graph, one self-contained page ({@link HtmlFlameGraph}). */
    HTML("html", ".html", ".htm"),
    /** A static flame graph image ({@link SvgFlameGraph}). */
    SVG("svg", ".svg"),
    /** The JFR recording itself (a copy of the input). */
    JFR("jfr", ".jfr");

    private final String extension;
    private final String[] suffixes;

    ExportFormat(String extension, String... suffixes) {
        this.extension = extension;
        this.suffixes = suffixes;
    }

    /** The usual file extension, without the dot: {@code pb.gz}, {@code collapsed}, {@code html}, ... */
    public String extension() {
        return extension;
    }

    /** The name users type: {@code pprof}, {@code collapsed}, {@code html}, {@code svg}, {@code jfr}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a format name, case-insensitively; {@code flamegraph} means html, {@code folded} collapsed. */
    public static ExportFormat parse(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "pprof", "pb.gz", "pb", "proto" -> PPROF;
            case "collapsed", "folded" -> COLLAPSED;
            case "html", "flamegraph" -> HTML;
            case "svg" -> SVG;
            case "jfr" -> JFR;
            default -> throw new ExportException("unknown format '" + name + "': use " + ids());
        };
    }

    /** The format a file name's extension stands for, if any ({@code cpu.pb.gz} is pprof). */
    public static Optional<ExportFormat> ofFileName(String fileName) {
        String f = fileName.toLowerCase(Locale.ROOT);
        for (ExportFormat format : values()) {
            for (String s : format.suffixes) {
                if (f.endsWith(s)) {
                    return Optional.of(format);
                }
            }
        }
        return Optional.empty();
    }

    /** {@code pprof, collapsed, html, svg or jfr}, for messages. */
    public static String ids() {
        String all = Arrays.stream(values()).map(ExportFormat::id).collect(Collectors.joining(", "));
        int last = all.lastIndexOf(", ");
        return all.substring(0, last) + " or " + all.substring(last + 2);
    }

    /**
     * Exports {@code profile}.
     *
     * @param sampleIndex which value to show ({@link SampleIndex}); for pprof, which one is the
     *     default sample type (all values are always written); null for the profile's default
     * @throws ExportException for {@link #JFR} (copy the recording instead) or an unknown sample index
     */
    public byte[] export(Profile profile, String sampleIndex) {
        return export(profile, sampleIndex, null);
    }

    /**
     * Exports {@code profile}; {@code title} (null: one naming event, samples, total and source) is
     * the title of the flame graphs and ignored by the other formats.
     */
    public byte[] export(Profile profile, String sampleIndex, String title) {
        return export(profile, Selection.all(), sampleIndex, title);
    }

    /**
     * Exports {@code profile} through {@code selection}: the samples it selects, without the frames it
     * hides, as every report sees them. pprof keeps every value of those samples (and the times and
     * threads); the others show value {@code sampleIndex}.
     *
     * @param sampleIndex which value ({@link SampleIndex}); null for the profile's default
     * @param title the flame graphs' title, null for one naming event, total, source and filters
     * @throws ExportException for {@link #JFR} (copy the recording instead) or an unknown sample index
     */
    public byte[] export(Profile profile, Selection selection, String sampleIndex, String title) {
        int v = SampleIndex.resolve(profile, sampleIndex);
        Selection s = selection.withSampleIndex(String.valueOf(v));
        return switch (this) {
            case PPROF -> Pprof.encode(selection.activeFilters().isEmpty() ? profile : Selected.profile(profile, s),
                    new Pprof.Options(v, true));
            case COLLAPSED -> Collapsed.render(profile, s).getBytes(StandardCharsets.UTF_8);
            case HTML -> HtmlFlameGraph.render(profile, s, title).getBytes(StandardCharsets.UTF_8);
            case SVG -> SvgFlameGraph.render(profile, s, new SvgFlameGraph.Options(1200, 2, title))
                    .getBytes(StandardCharsets.UTF_8);
            case JFR -> throw new ExportException("a profile cannot be written as JFR: copy the recording");
        };
    }

    /**
     * Writes what {@link #export(Profile, Selection, String, String)} returns to {@code out} (flushed, not
     * closed). The HTML flame graph goes out as it is made, without the page or its tree in memory: the
     * memory it needs grows with the profile's distinct call paths, not with the page.
     *
     * @throws ExportException as {@link #export(Profile, Selection, String, String)}, before anything is written
     */
    public void write(Profile profile, Selection selection, String sampleIndex, String title, OutputStream out)
            throws IOException {
        if (this == HTML) {
            int v = SampleIndex.resolve(profile, sampleIndex);
            HtmlFlameGraph.write(profile, selection.withSampleIndex(String.valueOf(v)), title, out);
            out.flush();
            return;
        }
        out.write(export(profile, selection, sampleIndex, title));
        out.flush();
    }

    /**
     * Exports a comparison: {@link #SVG} a differential flame graph ({@link SvgFlameGraph#render(Diff.Result,
     * String, SvgFlameGraph.Options)}), {@link #HTML} the same picture in a page, {@link #COLLAPSED} the
     * two-column collapsed stacks of Brendan Gregg's {@code difffolded.pl} ({@code stack base new}, raw
     * values of each side).
     *
     * @param title null for one naming the event and the two files
     * @throws ExportException for pprof and JFR, which hold one profile
     */
    public byte[] export(Diff.Result diff, String title) {
        String t = title != null ? title : diff.header().event() + ": " + diff.header().file() + " compared with "
                + diff.baseHeader().file() + " (" + (diff.normalize() == Diff.Normalize.TOTAL ? "shares of each total"
                : diff.normalize() == Diff.Normalize.OPS ? "per " + diff.operations().unit() : "per second") + ")";
        return switch (this) {
            case SVG -> SvgFlameGraph.render(diff, t, SvgFlameGraph.Options.defaults())
                    .getBytes(StandardCharsets.UTF_8);
            case HTML -> ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"
                    + dev.proflab.text.Escape.xml(t) + "</title></head>\n<body style=\"margin:0\">\n"
                    + SvgFlameGraph.render(diff, t, SvgFlameGraph.Options.defaults())
                            .replaceFirst("^<\\?xml[^>]*>\\n", "")
                    + "</body></html>\n").getBytes(StandardCharsets.UTF_8);
            case COLLAPSED -> Collapsed.render(diff).getBytes(StandardCharsets.UTF_8);
            case PPROF, JFR -> throw new ExportException(id() + " holds one profile, not a comparison: write each"
                    + " profile and compare them with go tool pprof -diff_base BASE NEW, or write svg, html or"
                    + " collapsed");
        };
    }
}
