package dev.proflab.cli;

import dev.proflab.profile.Operations;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;
import dev.proflab.profile.ProfileMerge;
import dev.proflab.report.CallIndex;
import dev.proflab.report.Diff;
import dev.proflab.report.Regex;
import dev.proflab.report.Selection;
import dev.proflab.report.TagFrames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options that choose what a command looks at in a profile (a picocli mixin), shared by every
 * command that takes one: which event and value, which samples (time range, thread, focus, ignore),
 * which frames (hide) and how they are named (signatures, lines).
 */
// addMethodSubcommands = false: picocli would otherwise read the annotations of every method of a mixin too
@Command(addMethodSubcommands = false)
final class SelectionOptions {

    @Option(names = "--event", paramLabel = "EVENT",
            description = "cpu, cpu-time, wall, alloc, live, lock, monitor, park or native "
                    + "(default: the recording's main event, cpu if there is one)")
    String event;

    @Option(names = "--sample-index", paramLabel = "VALUE",
            description = "Which value: bytes or objects (alloc, live), samples or time (cpu, wall), "
                    + "contentions or delay (lock), or a value type such as alloc_space")
    String sampleIndex;

    @Option(names = "--focus", paramLabel = "REGEX",
            description = "Keep only samples with a function matching REGEX on the stack")
    String focus;

    @Option(names = "--ignore", paramLabel = "REGEX",
            description = "Drop samples with a function matching REGEX on the stack")
    String ignore;

    @Option(names = "--hide", paramLabel = "REGEX",
            description = "Remove functions matching REGEX from the stacks (their samples go to the callers)")
    String hide;

    @Option(names = "--thread", paramLabel = "REGEX", description = "Keep only samples of threads matching REGEX")
    String thread;

    @Option(names = "--tagfocus", paramLabel = "KEY=REGEX",
            description = "Keep only samples with a label KEY whose value matches REGEX (R1,R2: either); a bare"
                    + " REGEX must match some label. Labels: file (of several files), thread, pprof's. Repeatable")
    List<String> tagfocus;

    @Option(names = "--tagignore", paramLabel = "KEY=REGEX",
            description = "Drop samples with a label KEY whose value matches REGEX (as --tagfocus)")
    List<String> tagignore;

    @Option(names = "--tagroot", paramLabel = "KEYS",
            description = "Add a frame KEY:VALUE above each stack's root per label key (a,b: a outermost): one"
                    + " tree per file, thread or label value")
    List<String> tagroot;

    @Option(names = "--tagleaf", paramLabel = "KEYS",
            description = "Add a frame KEY:VALUE below each stack's leaf per label key (a,b: b innermost)")
    List<String> tagleaf;

    @Option(names = "--from", paramLabel = "TIME",
            description = "Keep samples from this time into the recording (e.g. 2s, 1500ms)")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Keep samples up to this time into the recording")
    String to;

    @Option(names = "--signatures", description = "Tell overloads apart: show parameter types (Foo.bar(int))")
    boolean signatures;

    @Option(names = "--lines", description = "One row per source line instead of per function")
    boolean lines;

    @Option(names = "--base", paramLabel = "FILES",
            description = "Compare with this profile: show the change from it (new - base), as pprof's -diff_base;"
                    + " several recordings of the base as a,b,c or a folder of them")
    String base;

    @Option(names = "--normalize", paramLabel = "HOW", defaultValue = "total",
            description = "With --base: compare shares of each side's total (total), values per second of each"
                    + " recording (duration), or per operation of each side (ops: FILE.ops.json, --ops,"
                    + " --ops-base) (default: ${DEFAULT-VALUE})")
    String normalize;

    @Option(names = "--ops", paramLabel = "N",
            description = "The operations (or requests) the recordings cover, for --per-op and --normalize ops;"
                    + " instead of their FILE.ops.json")
    String ops;

    @Option(names = "--ops-base", paramLabel = "N",
            description = "The same for the --base side (diff: BASE), for --normalize ops")
    String opsBase;

    @Option(names = "--classes",
            description = "alloc, live, lock: add the allocated class or the monitor's class as the leaf frame")
    boolean classes;

    /** The current side's files, as {@link #loadMerged} last read them (for their operation counts). */
    private List<Path> loaded = List.of();

    /** The files {@link #loadMerged} read last. */
    static List<Path> loadedOf(SelectionOptions o) {
        return o.loaded;
    }

    /** Whether any filter (time range, thread, focus, ignore, hide) or naming option is given. */
    boolean selects() {
        return focus != null || ignore != null || hide != null || thread != null || from != null || to != null
                || signatures || lines || classes || tagfocus != null || tagignore != null || tagroot != null
                || tagleaf != null;
    }

    private long fromNanos() {
        return from == null ? 0 : nanos(from, "--from");
    }

    private long toNanos() {
        long t = to == null ? Long.MAX_VALUE : nanos(to, "--to");
        if (t <= fromNanos()) {
            throw new UsageException("--from/--to: the range " + (from == null ? "0" : from) + " to " + to + " is empty");
        }
        return t;
    }

    /** Reads the event of the file that the options ask for, aggregated (reports need no more). */
    Profile load(Path file) {
        ReadOptions o = ReadOptions.defaults()
                .withEvent(event)
                .withSampleIndex(sampleIndex)
                .withTimeRange(fromNanos(), toNanos())
                .withAggregate(true)
                .withClassFrames(classes);
        return ProfileReader.read(file, o);
    }

    /**
     * The recordings the arguments name (each a file, {@code a,b,c} or a folder), merged into one profile when they
     * are several (pprof's merge: the values of each stack and thread summed).
     */
    Profile loadMerged(List<Path> args) {
        List<Path> all = new ArrayList<>();
        for (Path a : args) {
            all.addAll(files("FILE", a.toString()));
        }
        loaded = List.copyOf(all);
        if (all.size() == 1) {
            return tagFrames(load(all.get(0)));
        }
        return tagFrames(merge(all, all.size() + " recordings: " + String.join(", ",
                all.stream().map(f -> String.valueOf(f.getFileName())).toList())));
    }

    /** Several recordings read and merged, each sample labelled with its file ({@link ProfileMerge#FILE}). */
    private Profile merge(List<Path> all, String source) {
        List<String> names = ProfileMerge.uniqueNames(all);
        List<Profile> profiles = loadAll(all);
        List<ProfileMerge.Part> parts = new ArrayList<>();
        for (int i = 0; i < profiles.size(); i++) {
            parts.add(new ProfileMerge.Part(profiles.get(i), null, names.get(i)));
        }
        return ProfileMerge.merge(parts, source);
    }

    /** The profile with the pseudo frames of {@code --tagroot} and {@code --tagleaf}. */
    Profile tagFrames(Profile p) {
        return TagFrames.of(p, TagFrames.keys(tagroot), TagFrames.keys(tagleaf));
    }

    /** The base to compare with ({@code --base}), its recordings together, or null. */
    Profile loadBase() {
        if (base == null) {
            return null;
        }
        List<Path> all = files("--base", base);
        if (all.size() == 1) {
            return tagFrames(load(all.get(0)));
        }
        return tagFrames(merge(all, base));
    }

    /** Each of {@code files} read as the options ask. */
    List<Profile> loadAll(List<Path> files) {
        List<Profile> out = new ArrayList<>();
        for (Path f : files) {
            out.add(load(f));
        }
        return out;
    }

    /**
     * The recordings an argument names: one file, several as {@code a,b,c}, or a folder (its {@code .jfr},
     * {@code .pb.gz} and {@code .pprof} files, by name).
     */
    static List<Path> files(String what, String arg) {
        List<Path> out = new ArrayList<>();
        for (String part : arg.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            // a pattern no shell expanded ('dir/*.jfr' quoted), unless a file has that very name
            if (Globs.isGlob(part.strip()) && !exists(part.strip())) {
                out.addAll(Globs.expand(what, part.strip()));
                continue;
            }
            Path p = Path.of(part.strip());
            if (java.nio.file.Files.isDirectory(p)) {
                try (var list = java.nio.file.Files.list(p)) {
                    list.filter(f -> {
                        String n = f.getFileName().toString();
                        return java.nio.file.Files.isRegularFile(f)
                                && (n.endsWith(".jfr") || n.endsWith(".pb.gz") || n.endsWith(".pprof"));
                    }).sorted().forEach(out::add);
                } catch (java.io.IOException e) {
                    throw new UsageException(what + ": " + p + ": " + e.getMessage());
                }
                if (out.isEmpty()) {
                    throw new UsageException(what + ": " + p + ": no .jfr, .pb.gz or .pprof file in this folder");
                }
            } else if (!java.nio.file.Files.isRegularFile(p)) {
                throw new UsageException(what + ": " + p + ": no such file");
            } else {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new UsageException(what + ": no file given");
        }
        if (out.size() > MAX_RECORDINGS) {
            throw new UsageException(what + ": " + out.size() + " recordings; at most " + MAX_RECORDINGS
                    + " a side are read (a test of a change needs 3 to 10)");
        }
        return out;
    }

    private static boolean exists(String name) {
        try {
            return java.nio.file.Files.exists(Path.of(name));
        } catch (java.nio.file.InvalidPathException e) {
            return false; // a wildcard is no file name here (Windows)
        }
    }

    /** The most recordings one side of a comparison reads. */
    static final int MAX_RECORDINGS = 64;

    /** How the two sides of a comparison are made comparable ({@code --normalize}). */
    Diff.Normalize normalization() {
        try {
            return Diff.Normalize.parse(normalize);
        } catch (dev.proflab.report.ReportException e) {
            throw new UsageException("--normalize: '" + normalize + "' is not total, duration or ops");
        }
    }

    /** The index every report reads: of {@code current}, or of its change from {@code --base}. */
    CallIndex index(Profile current) {
        checkOps();
        Profile b = loadBase();
        if (b == null) {
            return CallIndex.of(current, selection());
        }
        Diff.Normalize how = normalization();
        if (how == Diff.Normalize.OPS) {
            return CallIndex.diff(b, current, selection(), how, operations("--base", files("--base", base), opsBase,
                    "--ops-base"), operations("FILE", loaded, ops, "--ops"));
        }
        return CallIndex.diff(b, current, selection(), how);
    }

    /**
     * The operations of the current side: {@code --ops}, else the sum of its recordings' {@code FILE.ops.json};
     * a {@link UsageException} naming the file without one.
     */
    Operations operations(String what, List<Path> files) {
        return operations(what, files, ops, "--ops");
    }

    /** The operations of the base side: {@code --ops-base}, else its recordings' sidecars. */
    Operations baseOperations(String what, List<Path> files) {
        return operations(what, files, opsBase, "--ops-base");
    }

    /** {@code --ops}/{@code --ops-base} checked (a whole number of at least 1), or null when not given. */
    static Operations given(String value, String option) {
        if (value == null) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(value.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": '" + value + "' is not a whole number of operations");
        }
        if (n < 1) {
            throw new UsageException(option + ": " + n + " operations; give at least 1 (a recording with no work"
                    + " done has no cost per operation)");
        }
        return Operations.user(n);
    }

    /** Checks both counts given on the command line, whether or not this command reads them. */
    void checkOps() {
        given(ops, "--ops");
        given(opsBase, "--ops-base");
    }

    private static Operations operations(String what, List<Path> files, String value, String option) {
        Operations g = given(value, option);
        if (g != null) {
            return g;
        }
        List<Operations> each = new ArrayList<>();
        for (Path f : files) {
            Operations o;
            try {
                o = Operations.read(f);
            } catch (dev.proflab.profile.ProfileException e) {
                throw new UsageException(e.getMessage());
            }
            if (o == null) {
                throw new UsageException(what + ": " + f + " has no operation count (no "
                        + Operations.sidecarOf(f).getFileName() + " beside it): give " + option + " N");
            }
            each.add(o);
        }
        Operations sum = Operations.sum(each);
        if (sum == null) {
            throw new UsageException(what + ": its recordings count different things (ops and requests): give "
                    + option + " N");
        }
        return sum;
    }

    /** The filters (the value was chosen when reading; the time range too, it is here for the header). */
    Selection selection() {
        Selection s = Selection.all()
                .withTimeRange(fromNanos(), toNanos())
                .withFocus(Regex.compile("--focus", focus))
                .withIgnore(Regex.compile("--ignore", ignore))
                .withHide(Regex.compile("--hide", hide))
                .withThread(Regex.compile("--thread", thread))
                .withSignatures(signatures)
                .withLines(lines);
        for (String t : tagfocus == null ? List.<String>of() : tagfocus) {
            s = s.withTagFocus(s.tagTerm("--tagfocus", t));
        }
        for (String t : tagignore == null ? List.<String>of() : tagignore) {
            s = s.withTagIgnore(s.tagTerm("--tagignore", t));
        }
        return s;
    }

    private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|m|min|h)?");

    /** 2s, 1500ms, 1.5s, 250us, 1m, 0; a bare number is seconds. */
    static long nanos(String text, String option) {
        Matcher m = TIME.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UsageException(option + ": '" + text + "' is not a time (use e.g. 2s, 1500ms)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double ns = switch (unit) {
            case "ns" -> v;
            case "us" -> v * 1e3;
            case "ms" -> v * 1e6;
            case "s" -> v * 1e9;
            case "h" -> v * 3600e9;
            default -> v * 60e9;
        };
        if (ns > 366 * 86400e9) {
            throw new UsageException(option + ": '" + text + "' is out of range");
        }
        return (long) ns;
    }
}
