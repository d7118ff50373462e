package dev.proflab.gc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a unified JVM GC log ({@code -Xlog:gc}, {@code -Xlog:gc*}; JDK 9 and later) into a {@link GcLog}.
 *
 * <p>It reads only the few lines that carry the numbers, for every collector alike:
 * <ul>
 *   <li>{@code [gc] GC(n) Pause ... [before->after(committed)] 1.234ms}: a stop-the-world pause
 *       (G1, Parallel, Serial, Shenandoah);</li>
 *   <li>{@code [gc,phases] GC(n) Y: Pause Mark Start (Major) 0.025ms}: ZGC's pauses (only with {@code gc*});</li>
 *   <li>{@code [gc] GC(n) ...}: the collection's name (its first {@code gc} line) and heap
 *       ({@code 15M->1M(128M)}, ZGC: {@code 14M(11%)->12M(9%) 0.037s});</li>
 *   <li>{@code [gc,heap] GC(n) Y:  Capacity:  128M (100%) ...}: ZGC's committed heap (only with {@code gc*});</li>
 *   <li>{@code [gc] Using G1}: the collector; every line's uptime decoration: how long the JVM ran.</li>
 * </ul>
 * Lines that do not start with {@code [} are the program's own output (a log written to stdout and captured
 * with the program's output): they are skipped and counted. A line that starts with {@code [} but has no level
 * and tags, or a last line without its newline, makes the log broken: {@link GcLogException}.
 * Why not Microsoft GCToolkit: see docs/gclog.md (on JDK 25 it reads nothing from {@code -Xlog:gc} logs and
 * nothing from Shenandoah logs).
 */
public final class GcLogParser {

    private static final Pattern DECORATION = Pattern.compile("\\[([^\\]\\[]*)\\]");
    private static final Pattern UPTIME_S = Pattern.compile("(\\d+(?:[.,]\\d+)?)s");
    private static final Pattern UPTIME_MS = Pattern.compile("(\\d+)ms");
    private static final Pattern LEVEL = Pattern.compile("trace|debug|info|warning|error");
    private static final Pattern TAGS = Pattern.compile("[a-z][a-z0-9_]*(?:,[a-z][a-z0-9_]*)*\\s*");
    private static final Pattern GC_ID = Pattern.compile("GC\\((\\d+)\\) (?:[YOyo]: )?(.*)");
    private static final String SIZE = "\\d+[BKMG](?:\\(\\d+%\\))?";
    private static final Pattern HEAP = Pattern.compile(
            "(\\d+)([BKMG])(?:\\(\\d+%\\))?->(\\d+)([BKMG])(?:\\(\\d+%\\))?(?:\\((\\d+)([BKMG])\\))?");
    private static final Pattern PAUSE = Pattern.compile(
            "(Pause\\b.*?)(?:\\s+" + SIZE + "->" + SIZE + "(?:\\(\\d+[BKMG]\\))?)?\\s+(\\d+(?:[.,]\\d+)?)ms");
    /** ZGC's heap statistics row {@code Capacity:  128M (100%)  128M (100%) ...} (gc,heap; with -Xlog:gc*). */
    private static final Pattern CAPACITY = Pattern.compile("(\\d+)([BKMG]) \\(\\d+%\\)");
    private static final Pattern TRAILING = Pattern.compile(
            "(.*?)(?:\\s+" + SIZE + "->" + SIZE + "(?:\\(\\d+[BKMG]\\))?)?(?:\\s+(\\d+(?:[.,]\\d+)?)(ms|s))?");
    private static final DateTimeFormatter ISO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private GcLogParser() {
    }

    /** Reads FILE; a missing, non-GC or truncated file throws {@link GcLogException} naming it. */
    public static GcLog read(Path file) {
        if (Files.isDirectory(file)) {
            throw new GcLogException(file + ": is a directory, not a GC log");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new GcLogException(file + ": no such file");
        } catch (IOException e) {
            throw new GcLogException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads a GC log from a stream; {@code name} names it in errors. */
    public static GcLog read(InputStream in, String name) throws IOException {
        // ISO-8859-1 never fails to decode: a binary file is then rejected as "not a unified JVM log".
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16);
        State st = new State();
        StringBuilder line = new StringBuilder(256);
        int lineNo = 0;
        while (true) {
            line.setLength(0);
            int c;
            boolean newline = false;
            while ((c = r.read()) >= 0) {
                if (c == '\n') {
                    newline = true;
                    break;
                }
                line.append((char) c);
            }
            if (c < 0 && line.isEmpty()) {
                break;
            }
            lineNo++;
            int len = line.length();
            if (len > 0 && line.charAt(len - 1) == '\r') {
                line.setLength(len - 1);
            }
            String s = line.toString();
            if (!newline && !s.isBlank()) {
                throw new GcLogException(name + ":" + lineNo + ": the last line is cut short (a truncated log?)");
            }
            st.line(s, lineNo, name);
            if (c < 0) {
                break;
            }
        }
        return st.finish(name);
    }

    private static final class State {
        String collector = "unknown";
        double firstClockMs = Double.NaN;
        double lastMs;
        int logLines;
        int gcLines;
        int otherLines;
        int firstOther;
        String firstOtherText;
        final Map<Long, Builder> byId = new LinkedHashMap<>();

        void line(String s, int lineNo, String name) {
            if (s.isBlank()) {
                return;
            }
            for (int i = 0, n = Math.min(s.length(), 512); i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    throw new GcLogException(name + ":" + lineNo + ": a binary file, not a GC log "
                            + "(record one with -Xlog:gc*:file=gc.log)");
                }
            }
            Matcher d = DECORATION.matcher(s);
            int pos = 0;
            double uptime = Double.NaN;
            double clock = Double.NaN;
            String tags = null;
            boolean level = false;
            while (d.find() && d.start() == pos) {
                String v = d.group(1).strip();
                pos = d.end();
                Matcher m;
                if ((m = UPTIME_MS.matcher(v)).matches()) {
                    uptime = Long.parseLong(m.group(1));
                } else if ((m = UPTIME_S.matcher(v)).matches()) {
                    uptime = Double.parseDouble(m.group(1).replace(',', '.')) * 1000;
                } else if (!level && LEVEL.matcher(v).matches()) {
                    level = true;
                } else if (tags == null && TAGS.matcher(v).matches()) {
                    tags = v.strip();
                } else if (v.length() >= 23 && Character.isDigit(v.charAt(0)) && v.charAt(4) == '-') {
                    clock = clockMs(v);
                }
            }
            if (pos == 0 && s.charAt(0) != '[') {
                // the program's own output between log lines (-Xlog:gc to stdout, captured with > file)
                otherLines++;
                if (firstOther == 0) {
                    firstOther = lineNo;
                    firstOtherText = s;
                }
                return;
            }
            if (pos == 0 || tags == null) {
                String shown = s.length() > 60 ? s.substring(0, 60) + "..." : s;
                throw new GcLogException(name + ":" + lineNo + ": not a unified JVM log line"
                        + (logLines == 0 ? " (record a GC log with -Xlog:gc*:file=gc.log)" : "") + ": " + shown);
            }
            logLines++;
            double at = uptime;
            if (Double.isNaN(at) && !Double.isNaN(clock)) {
                if (Double.isNaN(firstClockMs)) {
                    firstClockMs = clock;
                }
                at = clock - firstClockMs;
            }
            if (!Double.isNaN(at)) {
                lastMs = Math.max(lastMs, at);
            } else {
                at = lastMs;
            }
            String msg = s.substring(pos).strip();
            boolean gc = tags.equals("gc");
            if (gc || tags.startsWith("gc,")) {
                gcLines++;
            }
            if (gc && msg.startsWith("Using ")) {
                collector = msg.substring("Using ".length()).strip();
                return;
            }
            if (!gc && !tags.startsWith("gc,")) {
                return;
            }
            Matcher id = GC_ID.matcher(msg);
            if (!id.matches()) {
                return;
            }
            long gcId = Long.parseLong(id.group(1));
            String rest = id.group(2);
            Builder b = byId.get(gcId);
            if (b == null) {
                if (!gc && !tags.equals("gc,start") && !tags.equals("gc,phases")) {
                    return;  // e.g. gc,heap,exit or gc,stats: not a collection of its own
                }
                b = new Builder(gcId);
                byId.put(gcId, b);
            }
            if (Double.isNaN(b.startMs)) {
                b.startMs = at;
            }
            if (tags.equals("gc,heap") && rest.strip().startsWith("Capacity:")) {
                // ZGC: its [gc] line gives a share of the maximum, not the committed heap; the capacity at each
                // point of the cycle (mark start ... relocate end, high, low) is the committed heap
                Matcher c = CAPACITY.matcher(rest);
                while (c.find()) {
                    b.committed = Math.max(b.committed, kb(c.group(1), c.group(2)));
                }
                return;
            }
            if (!gc && !tags.equals("gc,phases")) {
                return;
            }
            Matcher p = PAUSE.matcher(rest);
            if (p.matches()) {
                b.pauses.add(new GcLog.Pause(gcId, at, p.group(1), Double.parseDouble(p.group(2).replace(',', '.'))));
            }
            if (!gc) {
                return;
            }
            b.summarised = true;
            if (b.type == null) {
                Matcher t = TRAILING.matcher(rest);
                String type = (t.matches() ? t.group(1) : rest).strip();
                if (!type.isEmpty() && !type.endsWith(":")) {  // Shenandoah's "Cancel marking: " names no collection
                    b.type = type;
                }
            }
            Matcher h = HEAP.matcher(rest);
            if (h.find()) {
                b.before = kb(h.group(1), h.group(2));
                b.after = kb(h.group(3), h.group(4));
                if (h.group(5) != null) {
                    b.committed = kb(h.group(5), h.group(6));
                }
            }
            Matcher t = TRAILING.matcher(rest);
            // the cycle's own end line: ZGC "Major Collection (Warmup) 14M(11%)->12M(9%) 0.037s",
            // G1 "Concurrent Mark Cycle 43.768ms"
            if (t.matches() && t.group(2) != null && !t.group(1).startsWith("Pause") && t.group(1).equals(b.type)) {
                double v = Double.parseDouble(t.group(2).replace(',', '.'));
                b.cycleMs = "s".equals(t.group(3)) ? v * 1000 : v;
            }
        }

        GcLog finish(String name) {
            if (logLines == 0 && otherLines > 0) {
                String shown = firstOtherText.length() > 60 ? firstOtherText.substring(0, 60) + "..." : firstOtherText;
                throw new GcLogException(name + ":" + firstOther + ": not a unified JVM log line "
                        + "(record a GC log with -Xlog:gc*:file=gc.log): " + shown);
            }
            if (logLines == 0) {
                throw new GcLogException(name + ": empty: not a GC log (record one with -Xlog:gc*:file=gc.log)");
            }
            if (gcLines == 0) {
                throw new GcLogException(name + ": a JVM log without [gc] lines: not a GC log "
                        + "(record one with -Xlog:gc*:file=gc.log)");
            }
            List<GcLog.Collection> cs = new ArrayList<>(byId.size());
            for (Builder b : byId.values()) {
                if (b.summarised || !b.pauses.isEmpty()) {  // else it was still running when the log ends
                    cs.add(b.build());
                }
            }
            return new GcLog(collector, lastMs, cs, otherLines);
        }
    }

    private static final class Builder {
        final long id;
        double startMs = Double.NaN;
        String type;
        final List<GcLog.Pause> pauses = new ArrayList<>(4);
        long before = -1;
        long after = -1;
        long committed = -1;
        double cycleMs = -1;
        boolean summarised;

        Builder(long id) {
            this.id = id;
        }

        GcLog.Collection build() {
            String t = type;
            if (t == null) {
                t = pauses.isEmpty() ? "unknown" : pauses.get(0).name();
            } else if (t.startsWith("Concurrent ") && !t.matches("Concurrent \\w+ Cycle.*")) {
                t = "Concurrent cycle";  // Shenandoah: the cycle's first line is one of its phases
            }
            return new GcLog.Collection(id, startMs, t, pauses, before, after, committed, cycleMs);
        }
    }

    private static long kb(String n, String unit) {
        long v = Long.parseLong(n);
        return switch (unit) {
            case "B" -> v / 1024;
            case "K" -> v;
            case "M" -> v * 1024;
            case "G" -> v * 1024 * 1024;
            default -> throw new IllegalArgumentException(unit);
        };
    }

    private static double clockMs(String v) {
        try {
            return OffsetDateTime.parse(v, ISO_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return Double.NaN;
        }
    }
}
