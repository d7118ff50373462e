package dev.proflab.cli;

import dev.proflab.export.ExportException;
import dev.proflab.export.ExportFormat;
import dev.proflab.export.OtlpProfiles;
import dev.proflab.io.AtomicFiles;
import dev.proflab.profile.EventInfo;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.report.CallIndex;
import dev.proflab.report.Diff;
import dev.proflab.report.Inverted;
import dev.proflab.report.Selection;
import dev.proflab.text.Escape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code proflab convert IN -o OUT --format pprof|collapsed|html|svg|heatmap|otlp|jfr}: a recording (JFR of
 * either engine, or pprof) to the formats other tools read.
 */
@Command(name = "convert", addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        description = {"Convert a profile to pprof, collapsed stacks, a flame graph, a heatmap or OTLP.",
                "Input: JFR of async-profiler or JDK Flight Recorder, or pprof. Output formats:",
                "  pprof      gzipped profile.proto with Java source files and lines,",
                "             so that 'go tool pprof -list' shows the source",
                "  collapsed  collapsed stacks (flamegraph.pl, speedscope)",
                "  html       async-profiler's interactive flame graph, one file",
                "  svg        a static flame graph image, for docs and tickets",
                "  heatmap    async-profiler's heatmap: seconds across, sub-second rows,",
                "             a selected moment's flame graph (JFR input; --event)",
                "  otlp       OpenTelemetry profiles: the bytes of an OTLP/HTTP request",
                "             (ExportProfilesServiceRequest, JFR input; --event)",
                "  jfr        a copy of the JFR recording",
                "OUT is written whole or not at all."},
        footer = {"", "Examples:",
                "  proflab convert tmp/cpu.jfr -o tmp/cpu.pb.gz      # format from the name",
                "  go tool pprof -list Fib.recursive \\",
                "      -source_path labs/src/main/java tmp/cpu.pb.gz",
                "  proflab convert tmp/cpu.jfr --format svg -o docs/img/cpu.svg",
                "  proflab convert app.jfr --event alloc --sample-index objects \\",
                "      -o alloc.html",
                "  proflab convert cpu.pb.gz -o cpu.collapsed",
                "  proflab convert cpu.jfr --inverted -o cpu.bottom-up.html",
                "  proflab convert app.jfr --event wall -o app.heatmap.html",
                "  proflab convert app.jfr --event cpu -o app.otlp",
                "  proflab convert cpu.jfr --focus 'Fib\\.' --hide '^java\\.' -o fib.svg",
                "  proflab convert a1.jfr,a2.jfr,a3.jfr --base b1.jfr,b2.jfr,b3.jfr -o change.svg",
                "      # the change from b to a: red grew, blue shrank (3 runs a side make a claim)"},
        descriptionHeading = "%n",
        optionListHeading = "%nOptions (the filters are those of top, peek and the page: every format shows the"
                + " samples they select)%n")
final class ConvertCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN", description = "The profile: .jfr (either engine) or pprof (.pb.gz);"
            + " with --base, several recordings as a,b,c or a folder")
    Path in;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The file to write")
    Path out;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
            description = "pprof, collapsed, html, svg, heatmap, otlp or jfr (default: from OUT's name: .pb.gz,"
                    + " .collapsed, .html, .svg, .heatmap.html, .otlp, .jfr)")
    String format;

    @Mixin
    SelectionOptions select;

    @Option(names = "--inverted",
            description = "Bottom-up (html, svg, collapsed): each stack turned over, the frames that were running"
                    + " at its root, their callers above them")
    boolean inverted;

    @Option(names = "--title", paramLabel = "TEXT",
            description = "Title of the flame graph (html, svg; default: event, samples, total and file)")
    String title;

    @Spec
    CommandSpec spec;

    private static final byte[] JFR_MAGIC = {'F', 'L', 'R', 0};

    @Override
    public Integer call() throws IOException {
        if (isHeatmap(format, out)) {
            return heatmap(spec.commandLine().getOut());
        }
        if (isOtlp(format, out)) {
            return otlp(spec.commandLine().getOut());
        }
        if (inverted && select.base != null) {
            throw new UsageException("--inverted and --base: compare the two top down, or invert each alone");
        }
        if (select.base != null) {
            // a comparison: IN may be several recordings too (a,b,c or a folder), as a claim needs runs
            if (Files.isDirectory(out)) {
                throw new UsageException(out + ": is a directory; -o names the file to write");
            }
            return diff(format(format, out), spec.commandLine().getOut());
        }
        if (!Files.exists(in)) {
            throw new UsageException(in + ": no such file");
        }
        if (Files.isDirectory(in)) {
            throw new UsageException(in + ": is a directory, not a profile");
        }
        if (Files.isDirectory(out)) {
            throw new UsageException(out + ": is a directory; -o names the file to write");
        }
        if (Files.exists(out) && Files.isSameFile(in, out)) {
            throw new UsageException(out + ": is the input file; write to another file");
        }
        ExportFormat f = format(format, out);
        if (inverted && f != ExportFormat.HTML && f != ExportFormat.SVG && f != ExportFormat.COLLAPSED) {
            throw new UsageException("--inverted turns the stacks of a flame graph over (html, svg, collapsed);"
                    + " --format " + f.id() + " keeps them as recorded");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        if (f == ExportFormat.JFR) {
            if (select.event != null || select.sampleIndex != null || title != null || select.selects()) {
                throw new UsageException("--format jfr copies the recording as it is: --event, --sample-index,"
                        + " --title and the filters do not apply");
            }
            if (!isJfr(in)) {
                throw new UsageException(in + ": not a JFR recording (pprof?): --format jfr copies a recording,"
                        + " it cannot make one");
            }
            AtomicFiles.write(out, o -> Files.copy(in, o));
            stdout.printf("wrote %s: a copy of the JFR recording (%s)%n", display(out), size(Files.size(out)));
            stdout.flush();
            return 0;
        }

        Profile loaded = select.tagFrames(select.load(in));
        Profile p = inverted ? Inverted.of(loaded) : loaded;
        Selection selection = select.selection();
        try {
            // written as it is made: a flame graph page of a large profile is not held in memory
            AtomicFiles.write(out, o -> f.write(p, selection, null, title, o));
        } catch (ExportException e) {
            throw new UsageException(in + ": " + e.getMessage());
        }
        long written = Files.size(out);

        Profile.Meta m = p.meta();
        String values = f == ExportFormat.PPROF
                ? "values " + p.valueTypes().toString().replaceAll("[\\[\\]]", "")
                : "value " + p.valueTypes().get(p.defaultValueIndex());
        String selected = "";
        if (!selection.activeFilters().isEmpty()) {
            CallIndex x = CallIndex.of(p, selection.withSampleIndex(String.valueOf(p.defaultValueIndex())));
            selected = String.format(Locale.ROOT, " (%,d selected: %s)", x.selectedCount(),
                    Escape.terminal(String.join(", ", selection.activeFilters())));
        }
        stdout.printf(Locale.ROOT, "wrote %s: %s%s, %s profile (%s), %s%s, %s, %s%n", display(out), f.id(),
                inverted ? " bottom-up" : "",
                Escape.terminal(m.event()), Escape.terminal(m.engine()), count(p), selected, Escape.terminal(values),
                size(written));
        if (p.sampleCount() == 0) {
            spec.commandLine().getErr().println("warning: " + display(in) + " has no samples of "
                    + Escape.terminal(m.event()));
        }
        if (f == ExportFormat.PPROF) {
            stdout.printf("  go tool pprof -top %s%n", display(out));
            stdout.printf("  go tool pprof -list 'Class.method' -source_path <source root, e.g. src/main/java> %s%n",
                    display(out));
        }
        stdout.flush();
        return 0;
    }

    static boolean isHeatmap(String format, Path out) {
        return format != null ? format.strip().equalsIgnoreCase("heatmap")
                : out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".heatmap.html");
    }

    static boolean isOtlp(String format, Path out) {
        return format != null ? format.strip().equalsIgnoreCase("otlp")
                : out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".otlp");
    }

    /** OpenTelemetry profiles, written by async-profiler's converter from the recording itself. */
    private int otlp(PrintWriter stdout) throws IOException {
        if (select.base != null || select.sampleIndex != null || select.selects() || title != null || inverted) {
            throw new UsageException("OTLP profiles are written by async-profiler's converter from the whole"
                    + " recording: --event applies; --base, --sample-index, --title, --inverted and the filters do not");
        }
        if (!Files.isRegularFile(in)) {
            throw new UsageException(in + ": no such file");
        }
        if (Files.isDirectory(out)) {
            throw new UsageException(out + ": is a directory; -o names the file to write");
        }
        if (Files.exists(out) && Files.isSameFile(in, out)) {
            throw new UsageException(out + ": is the input file; write to another file");
        }
        if (!isJfr(in)) {
            throw new UsageException(in + ": not a JFR recording: OTLP profiles are written of JFR (async-profiler's"
                    + " or the JDK's)");
        }
        // as the reports: the recording's main event (cpu if there is one) unless --event names one
        String event = select.event != null ? select.event : ProfileReader.events(in).stream()
                .map(EventInfo::name).filter(OtlpProfiles.EVENTS::contains)
                .findFirst().orElseThrow(() -> new UsageException(in + ": no samples of an event OTLP profiles are"
                        + " written of (" + String.join(", ", OtlpProfiles.EVENTS.stream().sorted()
                        .toList()) + ")"));
        OtlpProfiles.Request r;
        try {
            r = OtlpProfiles.of(in, event);
        } catch (ExportException e) {
            throw new UsageException(in + ": " + e.getMessage());
        }
        if (r.events() == 0) {
            throw new UsageException(in + ": no " + Escape.terminal(event) + " samples to write");
        }
        AtomicFiles.write(out, o -> o.write(r.bytes()));
        stdout.printf(Locale.ROOT, "wrote %s: OTLP profiles (ExportProfilesServiceRequest) of %s, %,d events"
                        + " (async-profiler's converter), %s%n", display(out), Escape.terminal(event), r.events(),
                size(Files.size(out)));
        stdout.flush();
        return 0;
    }

    /** async-profiler's heatmap, drawn by its converter from the recording itself. */
    private int heatmap(PrintWriter stdout) throws IOException {
        if (select.base != null || select.sampleIndex != null || select.selects() || title != null || inverted) {
            throw new UsageException("the heatmap is drawn by async-profiler's converter from the whole recording:"
                    + " --event applies; --base, --sample-index, --title, --inverted and the filters do not");
        }
        if (!Files.isRegularFile(in)) {
            throw new UsageException(in + ": no such file");
        }
        if (Files.isDirectory(out)) {
            throw new UsageException(out + ": is a directory; -o names the file to write");
        }
        if (!isJfr(in)) {
            throw new UsageException(in + ": not a JFR recording: the heatmap reads JFR (async-profiler's or the JDK's)");
        }
        try {
            AtomicFiles.write(out, o -> dev.proflab.export.Heatmap.write(in, select.event, o));
        } catch (ExportException e) {
            throw new UsageException(in + ": " + e.getMessage());
        }
        stdout.printf("wrote %s: heatmap of %s (async-profiler's converter), %s%n", display(out),
                select.event == null ? "cpu" : Escape.terminal(select.event), size(Files.size(out)));
        stdout.flush();
        return 0;
    }

    /** {@code --base}: a differential flame graph (svg, html) or two-column collapsed stacks. */
    private int diff(ExportFormat f, PrintWriter stdout) throws IOException {
        select.checkOps();
        List<Path> baseFiles = SelectionOptions.files("--base", select.base);
        List<Path> inFiles = SelectionOptions.files("IN", in.toString());
        Diff.Normalize how = select.normalization();
        var bo = how == Diff.Normalize.OPS ? select.baseOperations("--base", baseFiles) : null;
        var no = how == Diff.Normalize.OPS ? select.operations("IN", inFiles) : null;
        List<Profile> b = select.loadAll(baseFiles);
        List<Profile> p = select.loadAll(inFiles);
        Diff.Result r = Diff.compute(b, p, select.selection(), how, 0, bo, no);
        byte[] bytes;
        try {
            bytes = f.export(r, title);
        } catch (ExportException e) {
            throw new UsageException("--base: " + e.getMessage());
        }
        AtomicFiles.write(out, o -> o.write(bytes));
        long significant = r.rows().stream().filter(Diff.Row::significant).count();
        stdout.printf(Locale.ROOT, "wrote %s: %s, %s compared with %s, %,d function%s changed beyond noise%s, %s%n",
                display(out), f.id(), Escape.terminal(r.header().file()), Escape.terminal(r.baseHeader().file()),
                significant, significant == 1 ? "" : "s",
                r.limitation() == null ? "" : " (" + Escape.terminal(r.limitation()) + ")", size(bytes.length));
        stdout.flush();
        return 0;
    }

    /** {@code 4,027 samples} when the profile counts them, else how many distinct stacks it has. */
    private static String count(Profile p) {
        int samples = p.valueIndex("samples");
        if (samples < 0) {
            samples = p.valueIndex("contentions");
        }
        return samples >= 0 ? String.format(Locale.ROOT, "%,d samples", p.total(samples))
                : String.format(Locale.ROOT, "%,d stacks", p.stackCount());
    }

    /** The format asked for, else the one OUT's extension stands for. */
    static ExportFormat format(String name, Path out) {
        if (name != null && !name.isBlank()) {
            try {
                return ExportFormat.parse(name);
            } catch (ExportException e) {
                throw new UsageException("--format: " + e.getMessage());
            }
        }
        return ExportFormat.ofFileName(out.getFileName().toString()).orElseThrow(() -> new UsageException(
                "--format is needed: " + out.getFileName() + "'s extension does not tell (use "
                        + ExportFormat.ids() + ")"));
    }

    static boolean isJfr(Path file) throws IOException {
        try (InputStream s = Files.newInputStream(file)) {
            return Arrays.equals(s.readNBytes(4), JFR_MAGIC);
        }
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    private static String display(Path p) {
        return Escape.terminal(CompareCommand.display(p));
    }
}
