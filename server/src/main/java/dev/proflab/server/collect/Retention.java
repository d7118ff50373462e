package dev.proflab.server.collect;

import dev.proflab.profile.ProfileKind;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Keeps a collection folder within bounds: at most {@code keep} files of each kind (the newest), and at most
 * {@code maxBytes} in all (the oldest files go first, whatever their kind). Only files named as the collector names
 * them ({@code <kind>/<kind>_<yyyyMMdd-HHmmss>[-N].<ext>}) are counted or deleted; anything else in the folder is left
 * alone. The files of the cycle just written are never deleted (a quota smaller than one cycle is reported, not
 * obeyed by deleting what was just collected).
 */
public final class Retention {

    /** {@code <kind>_<yyyyMMdd-HHmmss>[-N].<pb.gz|jfr>}. */
    private static final Pattern NAME = Pattern.compile("(" + Arrays.stream(ProfileKind.values()).map(ProfileKind::id)
            .collect(Collectors.joining("|")) + ")_(\\d{8}-\\d{6})(?:-(\\d{1,6}))?\\.(pb\\.gz|jfr)");
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** One collected file: its kind, its window's start, its {@code -N} (0 without) and size. */
    public record Entry(Path file, ProfileKind kind, LocalDateTime start, int seq, long bytes) {
        static final Comparator<Entry> OLDEST_FIRST = Comparator.comparing(Entry::start)
                .thenComparingInt(Entry::seq).thenComparing(e -> e.kind().ordinal());
    }

    /** What is left after {@link #apply}: files and bytes kept, files deleted, and whether the quota holds. */
    public record Result(int files, long bytes, int deleted, boolean withinQuota) {
    }

    private final Path out;
    private final int keep;
    private final long maxBytes;

    /** {@code keep}: per kind, 0 for no limit; {@code maxBytes}: all kinds together, 0 for no limit. */
    public Retention(Path out, int keep, long maxBytes) {
        if (keep < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("keep and maxBytes must not be negative");
        }
        this.out = out.toAbsolutePath();
        this.keep = keep;
        this.maxBytes = maxBytes;
    }

    /** The collector's file name in {@code file}'s name, if it is one. */
    public static Optional<Entry> parse(Path file, long bytes) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Entry(file, ProfileKind.of(m.group(1)), LocalDateTime.parse(m.group(2), STAMP),
                    m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), bytes));
        } catch (RuntimeException e) {
            return Optional.empty(); // 20261399-... is no date
        }
    }

    /** Every collected file under {@code out}, oldest first. */
    public List<Entry> list() throws IOException {
        List<Entry> all = new ArrayList<>();
        for (ProfileKind k : ProfileKind.values()) {
            Path dir = out.resolve(k.id());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, k.id() + "_*")) {
                for (Path p : ds) {
                    long size;
                    try {
                        size = Files.size(p);
                    } catch (NoSuchFileException e) {
                        continue; // deleted meanwhile
                    }
                    parse(p, size).filter(e -> e.kind() == k).ifPresent(all::add);
                }
            }
        }
        all.sort(Entry.OLDEST_FIRST);
        return all;
    }

    /** Deletes what is over the limits, never a file in {@code protect} (absolute paths). */
    public Result apply(Set<Path> protect) throws IOException {
        List<Entry> all = list();
        List<Entry> kept = new ArrayList<>(all);
        int deleted = 0;
        if (keep > 0) {
            for (ProfileKind k : ProfileKind.values()) {
                List<Entry> ofKind = all.stream().filter(e -> e.kind() == k).toList();
                for (int i = 0; i < ofKind.size() - keep; i++) {
                    Entry e = ofKind.get(i);
                    if (!protect.contains(e.file()) && delete(e.file())) {
                        kept.remove(e);
                        deleted++;
                    }
                }
            }
        }
        long total = kept.stream().mapToLong(Entry::bytes).sum();
        if (maxBytes > 0) {
            for (Entry e : new ArrayList<>(kept)) { // oldest first
                if (total <= maxBytes) {
                    break;
                }
                if (!protect.contains(e.file()) && delete(e.file())) {
                    kept.remove(e);
                    total -= e.bytes();
                    deleted++;
                }
            }
        }
        return new Result(kept.size(), total, deleted, maxBytes == 0 || total <= maxBytes);
    }

    /**
     * Deletes the temporary files ({@code .NAME.tmp}) that a killed collector left in the kind folders; returns how
     * many. Readers never see them (the dot), but they take room.
     */
    public static int removeStaleTemps(Path out) throws IOException {
        int n = 0;
        for (ProfileKind k : ProfileKind.values()) {
            Path dir = out.resolve(k.id());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*.tmp")) {
                for (Path p : ds) {
                    if (Files.deleteIfExists(p)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static boolean delete(Path p) throws IOException {
        Files.deleteIfExists(p);
        return true;
    }
}
