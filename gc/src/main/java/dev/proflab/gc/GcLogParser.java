package dev.proflab.gc;

import java.io.IOException;
import java.io.InputStream;
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
    // Every pattern here runs in time linear in the line (possessive digits, no lookups that restart inside a
    // run of digits, no lazy prefix before an optional tail): a log line may be 64 kB of whatever.
    private static final String SIZE = "\\d++[BKMG](?:\\(\\d++%\\))?";
    private static final Pattern HEAP = Pattern.compile(
            "(?<!\\d)(\\d++)([BKMG])(?:\\(\\d++%\\))?->(\\d++)([BKMG])(?:\\(\\d++%\\))?(?:\\((\\d++)([BKMG])\\))?");
    /** ZGC's heap statistics row {@code Capacity:  128M (100%)  128M (100%) ...} (gc,heap; with -Xlog:gc*). */
    private static final Pattern CAPACITY = Pattern.compile("(?<!\\d)(\\d++)([BKMG]) \\(\\d++%\\)");
    /** The heap token of a line's tail: {@code 15M->1M(128M)}, ZGC {@code 14M(11%)->12M(9%)}. */
    private static final Pattern HEAP_TOKEN = Pattern.compile(SIZE + "->" + SIZE + "(?:\\(\\d++[BKMG]\\))?");
    /** The time token that ends a line: {@code 1.234ms}, {@code 0.037s}. */
    private static final Pattern TIME_TOKEN = Pattern.compile("(\\d++(?:[.,]\\d++)?)(ms|s)");
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

    /**
     * The longest line read: a longer one is skipped whole and counted with the program's output (unified
     * log lines are at most a few hundred bytes; a log captured from stdout may hold anything). A longer
     * line that starts like a binary file makes the file one, at once.
     */
    public static final int MAX_LINE = 64 * 1024;
    /** The most collections and pauses kept from one log (a day of a busy service logs a few hundred thousand). */
    public static final int MAX_EVENTS = 2_000_000;
    /**
     * The most lines read from one log: 2 GB of log lines, a hundred times what the JVM writes to one file before
     * it rotates (20 MB by default); a FIFO or a device does not end by itself.
     */
    public static final int MAX_LINES = 20_000_000;

    /** Reads a GC log from a stream; {@code name} names it in errors. */
    public static GcLog read(InputStream in, String name) throws IOException {
        // bytes as ISO-8859-1, which never fails to decode: a binary file is then rejected as "not a unified JVM log"
        State st = new State();
        byte[] buf = new byte[1 << 16];
        byte[] line = new byte[256];
        int len = 0;
        boolean tooLong = false;
        int lineNo = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            int off = 0;
            while (off < n) {
                int nl = off;
                while (nl < n && buf[nl] != '\n') {
                    nl++;
                }
                int add = nl - off;
                if (!tooLong) {
                    if (len + add > MAX_LINE) {
                        // its first 512 bytes (the rest of a MAX_LINE is more than that) tell a binary file
                        byte[] head = java.util.Arrays.copyOf(line, 512);
                        int have = Math.min(len, 512);
                        System.arraycopy(buf, off, head, have, 512 - have);
                        st.longLine(new String(head, StandardCharsets.ISO_8859_1), lineNo + 1, name);
                        tooLong = true;
                    } else {
                        if (len + add > line.length) {
                            line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(len + add, line.length * 2)));
                        }
                        System.arraycopy(buf, off, line, len, add);
                        len += add;
                    }
                }
                if (nl == n) {
                    break;
                }
                if (++lineNo > MAX_LINES) {
                    throw new GcLogException(name + ": more than " + MAX_LINES + " lines: more than proflab summarises"
                            + " from one log (split it, or log less)");
                }
                if (!tooLong) {
                    st.line(text(line, len), lineNo, name);
                }
                len = 0;
                tooLong = false;
                off = nl + 1;
            }
        }
        if (len > 0 || tooLong) {
            lineNo++;
            if (tooLong) {
                throw new GcLogException(name + ":" + lineNo + ": a line of more than " + MAX_LINE / 1024
                        + " kB that does not end (a truncated log, or not a GC log)");
            }
            String s = text(line, len);
            if (!s.isBlank()) {
                throw new GcLogException(name + ":" + lineNo + ": the last line is cut short (a truncated log?)");
            }
            st.line(s, lineNo, name);
        }
        return st.finish(name);
    }

    private static String text(byte[] line, int len) {
        int n = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
        return new String(line, 0, n, StandardCharsets.ISO_8859_1);
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

        /** Collections and pauses kept so far. */
        int kept;

        private void keep(int lineNo, String name) {
            if (++kept > MAX_EVENTS) {
                throw new GcLogException(name + ":" + lineNo + ": more than " + MAX_EVENTS + " collections and pauses:"
                        + " more than proflab summarises from one log (split it, or log less)");
            }
        }

        private static void checkText(String s, int lineNo, String name) {
            for (int i = 0, n = Math.min(s.length(), 512); i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    throw new GcLogException(name + ":" + lineNo + ": a binary file, not a GC log "
                            + "(record one with -Xlog:gc*:file=gc.log)");
                }
            }
        }

        /** A line longer than {@link #MAX_LINE}, of which {@code head} is the start: skipped as the program's output. */
        void longLine(String head, int lineNo, String name) {
            checkText(head, lineNo, name);
            otherLines++;
            if (firstOther == 0) {
                firstOther = lineNo;
                firstOtherText = head + " (a line of more than " + MAX_LINE / 1024 + " kB)";
            }
        }

        void line(String s, int lineNo, String name) {
            if (s.isBlank()) {
                return;
            }
            checkText(s, lineNo, name);
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
                keep(lineNo, name);
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
            Tail tail = Tail.of(rest);
            if (tail.isPause()) {
                keep(lineNo, name);
                b.pauses.add(new GcLog.Pause(gcId, at, tail.head(), Double.parseDouble(tail.number().replace(',', '.'))));
            }
            if (!gc) {
                return;
            }
            b.summarised = true;
            if (b.type == null) {
                String type = tail.head().strip();
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
            // the cycle's own end line: ZGC "Major Collection (Warmup) 14M(11%)->12M(9%) 0.037s",
            // G1 "Concurrent Mark Cycle 43.768ms"
            if (tail.number() != null && !tail.head().startsWith("Pause") && tail.head().equals(b.type)) {
                double v = Double.parseDouble(tail.number().replace(',', '.'));
                b.cycleMs = "s".equals(tail.unit()) ? v * 1000 : v;
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

    /**
     * A message as {@code HEAD[ HEAP][ TIME]}, read from its end: {@code Pause Young (Normal) (G1 Evacuation
     * Pause) 24M->5M(256M) 3.048ms}, {@code Major Collection (Warmup) 14M(11%)->12M(9%) 0.037s}, {@code Using G1}.
     *
     * @param head what is before the heap and the time (all of it when there are neither)
     * @param number the time's number, or null when the message does not end with a time
     * @param unit {@code ms} or {@code s}, or null
     */
    record Tail(String head, String number, String unit) {

        static Tail of(String s) {
            int end = s.length();
            String number = null;
            String unit = null;
            int token = tokenStart(s, end);
            int space = spaceStart(s, token);
            if (space < token) {
                Matcher t = TIME_TOKEN.matcher(s).region(token, end);
                if (t.matches()) {
                    number = t.group(1);
                    unit = t.group(2);
                    end = space;
                }
            }
            token = tokenStart(s, end);
            space = spaceStart(s, token);
            if (space < token && token < end && HEAP_TOKEN.matcher(s).region(token, end).matches()) {
                end = space;
            }
            return new Tail(s.substring(0, end), number, unit);
        }

        /** {@code Pause...} ending with a time in ms: a stop-the-world pause. */
        boolean isPause() {
            return "ms".equals(unit) && head.startsWith("Pause")
                    && (head.length() == 5 || !isWordChar(head.charAt(5)));
        }

        private static boolean isWordChar(char c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
        }

        private static boolean isSpace(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
        }

        /** Where the token that ends at {@code end} starts. */
        private static int tokenStart(String s, int end) {
            int i = end;
            while (i > 0 && !isSpace(s.charAt(i - 1))) {
                i--;
            }
            return i;
        }

        /** Where the whitespace that ends at {@code end} starts. */
        private static int spaceStart(String s, int end) {
            int i = end;
            while (i > 0 && isSpace(s.charAt(i - 1))) {
                i--;
            }
            return i;
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
