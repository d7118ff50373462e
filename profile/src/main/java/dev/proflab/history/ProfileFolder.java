package dev.proflab.history;

import dev.proflab.profile.EventInfo;
import dev.proflab.profile.ProfileException;
import dev.proflab.profile.ProfileKind;
import dev.proflab.profile.ProfileReader;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A folder of profiles collected over time: what {@code proflab collect} writes,
 * {@code DIR/<kind>/<kind>_<yyyyMMdd-HHmmss>[-N].<ext>} (the window's start, UTC; {@code .pb.gz} or
 * {@code .jfr}), or a flat folder of profiles. Each {@link #scan()} reads the listing again (names,
 * sizes, modification times): windows keep arriving while the collector runs, and old ones are
 * deleted by its retention.
 *
 * <ul>
 *   <li>Kind ({@link ProfileKind}): the sub-folder ({@code cpu/}), else the name's prefix ({@code cpu_...},
 *       {@code alloc-...}: an id or an alias), else the first of the profile's events that a kind reads.
 *   <li>Start: the time in the name ({@code 20261126-104500}, UTC), else the profile's own (JFR chunk
 *       start, pprof {@code time_nanos}), else the file's modification time.
 *   <li>Duration: the profile's own (JFR chunks, pprof {@code duration_nanos}), else unknown.
 *   <li>Ignored: hidden files ({@code .cpu_....pb.gz.tmp}, the collector's temp files), folders other
 *       than the kinds', and files that are not {@code .jfr}, {@code .pb.gz}, {@code .pb} or {@code .pprof}.
 *       A profile whose header cannot be read (being written by another tool, corrupted) is listed
 *       in {@link Listing#skipped()} with the reason.
 * </ul>
 *
 * <p>What is read from inside a file (its header; its events when the kind is not in the name) is
 * kept per path, size and modification time, for the files of the last scan only.
 */
public final class ProfileFolder {

    /** {@code 20261126-104500}, optionally {@code -N}, anywhere in a name. */
    private static final Pattern TIME = Pattern.compile("(?<![0-9])([0-9]{8}-[0-9]{6})(?:-([0-9]{1,6}))?(?![0-9])");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss", Locale.ROOT);
    private static final List<String> EXTENSIONS = List.of(".pb.gz", ".jfr", ".pb", ".pprof");

    /**
     * What a scan found.
     *
     * @param dir the folder
     * @param windows every profile, by start (then {@code -N}, then name)
     * @param skipped profiles that could not be placed, with why
     */
    public record Listing(Path dir, List<Window> windows, List<Skipped> skipped) {

        public Listing {
            windows = List.copyOf(windows);
            skipped = List.copyOf(skipped);
        }

        /** The windows of one kind, oldest first. */
        public List<Window> of(ProfileKind kind) {
            return windows.stream().filter(w -> w.kind() == kind).toList();
        }

        /** The windows of the kind a word names ({@link ProfileKind#of(String)}), oldest first; none for no kind. */
        public List<Window> of(String kind) {
            ProfileKind k = ProfileKind.of(kind);
            return k == null ? List.of() : of(k);
        }

        /** The kinds present, in {@link ProfileKind}'s order. */
        public List<ProfileKind> kinds() {
            Set<ProfileKind> present = EnumSet.noneOf(ProfileKind.class);
            windows.forEach(w -> present.add(w.kind()));
            return List.copyOf(present);
        }
    }

    /** A file that looks like a profile but could not be placed on the time axis. */
    public record Skipped(String name, String reason) {
    }

    /** What was read from inside a file, for one size and modification time of it. */
    private record Inside(long size, Instant modified, ProfileTimes times, ProfileKind kind, String problem) {
    }

    private final Path dir;
    private final Map<Path, Inside> inside = new HashMap<>();

    public ProfileFolder(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    public Path dir() {
        return dir;
    }

    /**
     * Lists the folder again.
     *
     * @throws ProfileException when the folder is missing or is not a folder
     */
    public synchronized Listing scan() {
        if (!Files.isDirectory(dir)) {
            throw new ProfileException(dir, Files.exists(dir) ? "not a folder" : "no such folder");
        }
        List<Window> windows = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        try (DirectoryStream<Path> top = Files.newDirectoryStream(dir)) {
            for (Path p : top) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    ProfileKind kind = ProfileKind.of(name);
                    if (kind != null && kind.id().equals(name.toLowerCase(Locale.ROOT))) {
                        try (DirectoryStream<Path> files = Files.newDirectoryStream(p)) {
                            for (Path f : files) {
                                consider(f, name + "/" + f.getFileName(), kind, windows, skipped, seen);
                            }
                        } catch (NoSuchFileException | NotDirectoryException gone) {
                            // removed while listing
                        }
                    }
                    continue;
                }
                consider(p, name, null, windows, skipped, seen);
            }
        } catch (IOException e) {
            throw new ProfileException(dir, "cannot list: " + e.getMessage(), e);
        }
        inside.keySet().retainAll(seen);
        windows.sort(Comparator.comparing(Window::start).thenComparingInt(Window::sequence).thenComparing(Window::name));
        return new Listing(dir, windows, skipped);
    }

    private void consider(Path f, String name, ProfileKind dirKind, List<Window> windows, List<Skipped> skipped,
                          Set<Path> seen) {
        String file = f.getFileName().toString();
        String lower = file.toLowerCase(Locale.ROOT);
        if (file.startsWith(".") || EXTENSIONS.stream().noneMatch(lower::endsWith)) {
            return;
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(f, BasicFileAttributes.class);
        } catch (IOException e) {
            return;   // deleted by the collector's retention since the listing
        }
        if (!a.isRegularFile()) {
            return;
        }
        Instant modified = a.lastModifiedTime().toInstant();
        ProfileKind kind = dirKind != null ? dirKind : kindOfName(lower);
        Instant start = null;
        int sequence = 0;
        Matcher m = TIME.matcher(file);
        if (m.find()) {
            try {
                start = LocalDateTime.parse(m.group(1), STAMP).toInstant(ZoneOffset.UTC);
                sequence = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            } catch (DateTimeParseException e) {
                start = null;   // 20261399-...: not a time
            }
        }
        seen.add(f);
        Inside in = inside(f, a.size(), modified, kind == null);
        if (in.problem() != null && (kind == null || start == null)) {
            skipped.add(new Skipped(name, in.problem()));
            return;
        }
        if (kind == null) {
            kind = in.kind();
            if (kind == null) {
                skipped.add(new Skipped(name, "no kind: the name starts with none of " + ProfileKind.ids()
                        + " and the profile holds none of their events"));
                return;
            }
        }
        ProfileTimes t = in.times();
        Window.TimeSource source = Window.TimeSource.NAME;
        if (start == null) {
            if (t != null && t.start() != null) {
                start = t.start();
                source = Window.TimeSource.PROFILE;
            } else {
                start = modified;
                source = Window.TimeSource.MODIFIED;
            }
        }
        Duration duration = t == null ? null : t.duration();
        windows.add(new Window(name, kind, start, duration, f, a.size(), modified, source, sequence, in.problem()));
    }

    private Inside inside(Path f, long size, Instant modified, boolean needKind) {
        Inside in = inside.get(f);
        if (in != null && in.size() == size && in.modified().equals(modified) && (!needKind || in.kind() != null
                || in.problem() != null)) {
            return in;
        }
        ProfileTimes times = null;
        ProfileKind kind = null;
        String problem = null;
        try {
            times = ProfileTimes.read(f);
            if (needKind) {
                List<EventInfo> events = ProfileReader.events(f);
                for (EventInfo e : events) {
                    kind = ProfileKind.ofEvent(e.name());
                    if (kind != null) {
                        break;
                    }
                }
            }
        } catch (ProfileException e) {
            problem = message(e);
            String prefix = f + ": ";
            if (problem.startsWith(prefix)) {
                problem = problem.substring(prefix.length());
            }
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // whatever a hostile file does to a reader, the folder is listed: the file is unreadable
            problem = "unreadable (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                    + e.getMessage().lines().findFirst().orElse("")) + ")";
        }
        in = new Inside(size, modified, times, kind, problem);
        inside.put(f, in);
        return in;
    }

    private static String message(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.strip();
    }

    /** The kind a file name starts with ({@code cpu_...}, {@code alloc-...}), or null. */
    static ProfileKind kindOfName(String lowerName) {
        int end = 0;
        while (end < lowerName.length() && (Character.isLetter(lowerName.charAt(end)) || lowerName.charAt(end) == '-'
                && end + 1 < lowerName.length() && Character.isLetter(lowerName.charAt(end + 1)))) {
            end++;
        }
        // "cpu-time_..." and "cpu_..." and "cpu.jfr"
        for (int e = end; e > 0; e--) {
            if (e == lowerName.length() || !Character.isLetter(lowerName.charAt(e))) {
                ProfileKind k = ProfileKind.of(lowerName.substring(0, e));
                if (k != null) {
                    return k;
                }
            }
        }
        return null;
    }
}
