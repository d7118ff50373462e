package dev.proflab.cli;

import dev.proflab.profile.Profile;
import dev.proflab.report.ReportFormat;
import dev.proflab.report.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every report command shares (a picocli mixin): the {@link SelectionOptions}, and the format. */
// addMethodSubcommands = false: picocli would otherwise read the annotations of every method of a mixin too
@Command(addMethodSubcommands = false)
final class ReportOptions {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    SelectionOptions select;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE})")
    ReportFormat format;

    /** Reads the event of the file that the options ask for, aggregated (reports need no more). */
    Profile load(Path file) {
        return select.load(file);
    }

    /** Reads several recordings (or {@code a,b,c}, or a folder) merged into one. */
    Profile load(java.util.List<Path> files) {
        return select.loadMerged(files);
    }

    /** The arguments as {@code --base} and diff take them: {@code a,b,c}. */
    static String joined(java.util.List<Path> files) {
        return String.join(",", files.stream().map(Path::toString).toList());
    }

    /** The index every report reads: of {@code current}, or of its change from {@code --base}. */
    dev.proflab.report.CallIndex index(Profile current) {
        return select.index(current);
    }

    /** The filters (the value was chosen when reading; the time range too, it is here for the header). */
    Selection selection() {
        return select.selection();
    }
}
