package dev.proflab.export;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A profile whose names are attacks: markup that would run script, quotes that would end a string
 * or an attribute, line terminators, characters XML cannot hold, terminal escape sequences. A
 * profiled program chooses its class, method and thread names, and a pprof file's string table
 * holds any text, so every writer must take these.
 */
public final class Hostile {

    /** Method names (each also appears in a class name and as a thread name). */
    public static final List<String> NAMES = List.of(
            "</script><script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "';alert(1);//",
            "</SCRIPT/x>",
            "<!--<script>",
            "line\u2028sep\u2029para",
            "]]><x>",
            "nul\u0000byte",
            "\u001b[2J\u001b]0;pwned\u0007clear",
            "csi\u009b31mred",
            "lone\uD800surrogate",
            "new\nline\rcr\ttab",
            "back\\slash\\'quote",
            "%u0041 not an A",
            "&amp; stays &amp;",
            "rtl\u202eoverride",
            "smile\uD83D\uDE00pair");

    private Hostile() {
    }

    /** Frame names as reports show them: one per name in {@link #NAMES}, in a class named after the first. */
    public static List<String> frameNames() {
        List<String> out = new ArrayList<>();
        for (String n : NAMES) {
            out.add("evil.Cls" + "." + n);
        }
        out.add(NAMES.get(1) + ".m");
        return out;
    }

    /**
     * Each hostile frame on its own stack under {@code java.lang.Thread.run}, on a thread of a
     * hostile name; the file, JDK and command name are hostile too. Values: samples and cpu.
     */
    public static Profile profile() {
        Profile.Builder b = new Profile.Builder(
                new Profile.Meta("async-profiler", "cpu", 10_000_000, Instant.parse("2026-11-26T06:00:00Z"),
                        Duration.ofSeconds(2), "25\u001b[2J", "java <img src=x onerror=alert(1)>",
                        "/tmp/\"><img src=x onerror=alert(1)>\u001b[2J.jfr"),
                List.of(new ValueType("samples", "count"), new ValueType("cpu", "nanoseconds")));
        int run = b.frame(new Frame("java.lang.Thread", "run", "()V", 1, Frame.Kind.JIT));
        List<Frame> frames = new ArrayList<>();
        for (String n : NAMES) {
            frames.add(new Frame("evil.Cls", n, "()V", 7, Frame.Kind.JIT));
        }
        frames.add(new Frame(NAMES.get(1), "m", "", 0, Frame.Kind.NATIVE));
        for (int i = 0; i < frames.size(); i++) {
            int f = b.frame(frames.get(i));
            int s = b.stack(new int[] {f, run});
            int t = b.thread(NAMES.get(i % NAMES.size()));
            b.sample(s, t, i, i + 1, 10_000_000L * (i + 1));
        }
        return b.build();
    }

    /** What XML 1.0 can carry of {@code s}: characters it cannot hold become U+FFFD. */
    public static String asXmlCan(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || Character.isSurrogate(c)
                    || c == '\uFFFE' || c == '\uFFFF') {
                sb.append('\uFFFD');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Characters a terminal acts on: none of them may reach it from a name. */
    public static boolean actsOnTerminal(char c) {
        return c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029'
                || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069' || Character.isSurrogate(c);
    }

    /** The first character of {@code text} a terminal would act on, or -1. */
    public static int firstTerminalControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (actsOnTerminal(c)) {
                return i;
            }
        }
        return -1;
    }
}
