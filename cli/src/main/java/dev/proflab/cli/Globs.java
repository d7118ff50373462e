package dev.proflab.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * File arguments with wildcards that no shell expanded: {@code proflab top 'runs/*.jfr'} quoted, in a script, or on
 * Windows, where the program expands them. The syntax is Java's glob ({@link FileSystems#getPathMatcher}):
 * {@code *} and {@code ?} within a name, {@code [abc]}, {@code **} across folders ({@code {a,b}} does not work: a
 * comma separates recordings, {@code a.jfr,b.jfr}). The folders before the first wildcard are taken as
 * they are; the matches are files only, sorted by path.
 */
final class Globs {

    /** The most folders {@code **} descends. */
    static final int MAX_DEPTH = 16;

    /** The most entries one pattern may visit: a pattern over a whole disk fails rather than runs for minutes. */
    static final int MAX_VISITED = 100_000;

    private Globs() {
    }

    /** Whether {@code arg} has a wildcard: {@code * ? [ {}. */
    static boolean isGlob(String arg) {
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return true;
            }
        }
        return false;
    }

    /**
     * The regular files {@code pattern} matches, sorted.
     *
     * @throws UsageException naming {@code what} when the pattern is not valid, matches no file, or visits more than
     *     {@link #MAX_VISITED} entries
     */
    static List<Path> expand(String what, String pattern) {
        String unified = pattern.replace(java.io.File.separatorChar, '/');
        String[] parts = unified.split("/", -1);
        int lit = 0;
        while (lit < parts.length - 1 && !isGlob(parts[lit])) {
            lit++;
        }
        final int literal = lit;
        String prefix = String.join("/", java.util.Arrays.copyOfRange(parts, 0, literal));
        String rest = String.join("/", java.util.Arrays.copyOfRange(parts, literal, parts.length));
        Path base = literal == 0 ? Path.of(".") : Path.of(prefix.isEmpty() ? "/" : prefix);
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        } catch (RuntimeException e) {
            throw new UsageException(what + ": '" + pattern + "' is not a valid pattern: " + e.getMessage());
        }
        int depth = rest.contains("**") ? MAX_DEPTH : parts.length - literal;
        List<Path> out = new ArrayList<>();
        if (Files.isDirectory(base)) {
            int[] visited = {0};
            try (Stream<Path> walk = Files.walk(base, depth)) {
                walk.forEach(f -> {
                    if (++visited[0] > MAX_VISITED) {
                        throw new UsageException(what + ": '" + pattern + "' visits more than " + MAX_VISITED
                                + " files and folders: name a narrower folder");
                    }
                    Path rel = base.relativize(f);
                    if (!rel.toString().isEmpty() && matcher.matches(rel) && Files.isRegularFile(f)) {
                        out.add(literal == 0 ? rel : f);
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                throw new UsageException(what + ": '" + pattern + "': " + e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw new UsageException(what + ": '" + pattern + "' matches no file");
        }
        out.sort(null);
        return out;
    }
}
