package dev.proflab.report;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;

import dev.proflab.io.BoundedInput;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * pprof's {@code list}: for every function matching a regular expression, its value per source line
 * (flat: the line was running; cum: the line was on the stack), with the source text when the file
 * is found under the source roots.
 */
public final class Lines {

    /** One source line: its number (0: unknown), values, and text (null when the source was not found). */
    public record Line(int number, long flat, long cum, String text) {
    }

    /**
     * One function.
     *
     * @param name {@code package.Class.method}
     * @param file its source file by Java's convention ({@code dev/proflab/labs/fib/Fib.java}), or empty
     * @param source where that file was found, or null
     */
    public record Function(String name, String file, Path source, long flat, long cum, List<Line> lines) {
    }

    public record Result(Header header, List<Function> functions) {
    }

    /** Lines of context shown around the lines with samples. */
    static final int CONTEXT = 2;

    private Lines() {
    }

    /**
     * Source roots of a Maven project: {@code dir/src/main/java} and {@code dir/}*{@code /src/main/java}
     * (one level of modules), those that exist.
     */
    public static List<Path> defaultSourceRoots(Path dir) {
        List<Path> roots = new ArrayList<>();
        Path own = dir.resolve("src/main/java");
        if (Files.isDirectory(own)) {
            roots.add(own);
        }
        try (DirectoryStream<Path> modules = Files.newDirectoryStream(dir, Files::isDirectory)) {
            List<Path> found = new ArrayList<>();
            for (Path m : modules) {
                Path r = m.resolve("src/main/java");
                if (Files.isDirectory(r)) {
                    found.add(r);
                }
            }
            found.sort(null);
            roots.addAll(found);
        } catch (IOException | RuntimeException e) {
            // no modules
        }
        return roots;
    }

    public static Result compute(Profile profile, Selection selection, String regex, List<Path> sourceRoots) {
        return compute(CallIndex.of(profile, selection), regex, sourceRoots);
    }

    /** The same of an index, e.g. a comparison ({@link CallIndex#diff}). */
    public static Result compute(CallIndex x, String regex, List<Path> sourceRoots) {
        Profile profile = x.profile;
        Selection selection = x.selection;
        Names.Naming naming = x.names.naming;
        Regex re = selection.regex("list", regex);
        // function names of the frames, matched
        int frames = profile.frameCount();
        int[] fnOfFrame = new int[frames];
        Map<String, Integer> fnIds = new HashMap<>();
        List<String> fnNames = new ArrayList<>();
        List<Frame> fnFrame = new ArrayList<>();
        Map<String, Boolean> matches = new HashMap<>();
        for (int i = 0; i < frames; i++) {
            Frame fr = profile.frame(i);
            String name = naming.function(fr);
            if (!matches.computeIfAbsent(name, re::find)) {
                fnOfFrame[i] = -1;
                continue;
            }
            Integer id = fnIds.get(name);
            if (id == null) {
                id = fnNames.size();
                fnIds.put(name, id);
                fnNames.add(name);
                fnFrame.add(fr);
            }
            fnOfFrame[i] = id;
        }
        int fns = fnNames.size();
        long[] flat = new long[fns];
        long[] cum = new long[fns];
        List<TreeMap<Integer, long[]>> byLine = new ArrayList<>();
        for (int i = 0; i < fns; i++) {
            byLine.add(new TreeMap<>());
        }
        Set<Long> seen = new HashSet<>();
        x.forEachStack((st, w) -> {
            seen.clear();
            for (int k = 0; k < st.length; k++) {
                int fn = fnOfFrame[st[k]];
                if (fn < 0) {
                    continue;
                }
                int line = profile.frame(st[k]).line();
                long[] v = byLine.get(fn).computeIfAbsent(line, l -> new long[2]);
                if (k == 0) {
                    flat[fn] += w;
                    v[0] += w;
                }
                if (seen.add((long) fn << 32 | 0xffffffffL)) {
                    cum[fn] += w;
                }
                if (seen.add((long) fn << 32 | (line & 0xffffffffL))) {
                    v[1] += w;
                }
            }
        });
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < fns; i++) {
            if (cum[i] != 0) {
                order.add(i);
            }
        }
        if (order.isEmpty()) {
            throw new ReportException((x.file.isEmpty() ? "" : x.file + ": ") + "list '" + regex
                    + "' matches no function with samples"
                    + (selection.activeFilters().isEmpty() ? "" : " under the filters"));
        }
        order.sort((a, b) -> cum[a] != cum[b] ? Long.compare(Math.abs(cum[b]), Math.abs(cum[a]))
                : fnNames.get(a).compareTo(fnNames.get(b)));
        List<Function> out = new ArrayList<>();
        Map<Path, List<String>> sources = new HashMap<>();
        for (int fn : order) {
            Frame fr = fnFrame.get(fn);
            String file = fr.sourceFile();
            Path source = find(file, sourceRoots);
            List<String> text = source == null ? null : sources.computeIfAbsent(source, Lines::read);
            if (text == null) {
                source = null;
            }
            out.add(new Function(fnNames.get(fn), file, source, flat[fn], cum[fn], lines(byLine.get(fn), text)));
        }
        return new Result(x.header(), out);
    }

    private static List<Line> lines(TreeMap<Integer, long[]> values, List<String> text) {
        List<Line> out = new ArrayList<>();
        long[] unknown = values.get(0);
        if (unknown != null && (unknown[0] != 0 || unknown[1] != 0)) {
            out.add(new Line(0, unknown[0], unknown[1], null));
        }
        TreeMap<Integer, long[]> known = new TreeMap<>(values.tailMap(1));
        known.values().removeIf(v -> v[0] == 0 && v[1] == 0);
        if (known.isEmpty()) {
            return out;
        }
        if (text == null) {
            known.forEach((n, v) -> out.add(new Line(n, v[0], v[1], null)));
            return out;
        }
        int from = Math.max(1, known.firstKey() - CONTEXT);
        int to = Math.min(text.size(), known.lastKey() + CONTEXT);
        for (int n = from; n <= to; n++) {
            long[] v = known.getOrDefault(n, new long[2]);
            out.add(new Line(n, v[0], v[1], text.get(n - 1)));
        }
        // lines past the end of the file (the source changed since the recording)
        known.tailMap(to + 1).forEach((n, v) -> out.add(new Line(n, v[0], v[1], null)));
        return out;
    }

    private static Path find(String file, List<Path> roots) {
        if (file.isEmpty()) {
            return null;
        }
        for (Path root : roots) {
            Path p = root.resolve(file).normalize();
            // a recording names its files; it does not get to read outside the source roots
            if (p.startsWith(root.normalize()) && Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** The largest source file read: a larger one (no Java source is) is shown as not found. */
    static final long MAX_SOURCE_BYTES = 16L << 20;
    /** The longest source line shown; a longer one is cut, with an ellipsis. */
    static final int MAX_LINE_CHARS = 4096;

    private static List<String> read(Path p) {
        byte[] bytes;
        try {
            bytes = BoundedInput.readAll(p, MAX_SOURCE_BYTES);
        } catch (IOException e) {
            return null; // too large, or unreadable: no source
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            text = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        return text.lines().map(l -> l.length() > MAX_LINE_CHARS ? l.substring(0, MAX_LINE_CHARS) + "\u2026" : l).toList();
    }
}
