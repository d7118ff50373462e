package dev.proflab.text;

/**
 * How names from a profile are written where they could be read as something else. Function,
 * class, thread, file and event names come from the profiled program or from a profile file (a
 * pprof string table holds any text): {@code </script>}, quotes, {@code <img onerror=...>}, NUL,
 * ESC, U+2028 and lone surrogates all occur in hostile input. Every writer of markup or terminal
 * text goes through here, so that one function per context decides what a name can do.
 *
 * <ul>
 *   <li>{@link #xml}: XML 1.0 and HTML text and attribute values (SVG, the HTML pages);
 *   <li>{@link #terminal}: one field of text printed to a terminal (report tables, messages).
 * </ul>
 * JSON needs nothing from here: Jackson escapes what JSON cannot hold.
 */
public final class Escape {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Escape() {
    }

    /**
     * {@code s} as XML 1.0 character data, safe in element text and in attribute values quoted
     * with either quote, and the same in HTML: {@code & < > " '} as references; tab, newline and
     * carriage return as character references (so that an attribute keeps them rather than
     * turning them into spaces); characters XML 1.0 cannot hold at all (other C0 controls such as
     * NUL and ESC, lone surrogates, U+FFFE, U+FFFF) as U+FFFD, the replacement character, since
     * even a reference to them makes the document unparseable.
     */
    public static String xml(String s) {
        StringBuilder sb = null;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String r;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (sb != null) {
                    sb.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                case '\t' -> "&#9;";
                case '\n' -> "&#10;";
                case '\r' -> "&#13;";
                default -> c < 0x20 || Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF' ? "\uFFFD" : null;
            };
            if (r != null && sb == null) {
                sb = new StringBuilder(n + 16).append(s, 0, i);
            }
            if (sb != null) {
                if (r != null) {
                    sb.append(r);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }

    /**
     * One field of text (a name, a message) as it may be printed to a terminal: characters that
     * make a terminal do something rather than show something are written out as escapes, so that
     * a name cannot move the cursor, clear the screen, retitle the window, start a new line or
     * reorder what follows it. C0 controls, DEL and C1 controls as {@code \x1b} ({@code \t},
     * {@code \n}, {@code \r} for those three), line and paragraph separators, bidirectional
     * formatting characters and lone surrogates as {@code \u202e}. Everything else, including
     * backslashes and any printable script, is left as it is.
     */
    public static String terminal(String s) {
        return terminal(s, false);
    }

    /**
     * As {@link #terminal(String)}, but tabs are left as they are: for a line of source code,
     * whose tabs are its indentation.
     */
    public static String terminalKeepTabs(String s) {
        return terminal(s, true);
    }

    private static String terminal(String s, boolean tabs) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = null;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1));
            boolean bad = !pair && !(tabs && c == '\t') && isTerminalControl(c);
            if (bad && sb == null) {
                sb = new StringBuilder(n + 16).append(s, 0, i);
            }
            if (sb != null) {
                if (!bad) {
                    sb.append(c);
                } else if (c == '\t') {
                    sb.append("\\t");
                } else if (c == '\n') {
                    sb.append("\\n");
                } else if (c == '\r') {
                    sb.append("\\r");
                } else if (c < 0x100) {
                    sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                } else {
                    sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                            .append(HEX[c & 0xf]);
                }
            }
            if (pair) {
                if (sb != null) {
                    sb.append(s.charAt(i + 1));
                }
                i++;
            }
        }
        return sb == null ? s : sb.toString();
    }

    /**
     * The first {@code n} characters of {@code s} (all of it when shorter), one fewer when the cut
     * would split a surrogate pair: for labels cut to fit, which should not end in half a character.
     */
    public static String prefix(String s, int n) {
        if (n >= s.length()) {
            return s;
        }
        int end = Math.max(0, n);
        return end > 0 && Character.isHighSurrogate(s.charAt(end - 1)) ? s.substring(0, end - 1) : s.substring(0, end);
    }

    /** Whether a terminal acts on {@code c} (outside a surrogate pair) rather than showing it. */
    static boolean isTerminalControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f)
                || c == '\u061c' || c == '\u200e' || c == '\u200f'
                || (c >= '\u2028' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || Character.isSurrogate(c);
    }
}
