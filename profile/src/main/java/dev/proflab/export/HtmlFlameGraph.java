package dev.proflab.export;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;
import dev.proflab.report.Flame;
import dev.proflab.report.Selection;
import dev.proflab.text.Escape;
import one.convert.Arguments;
import one.convert.CallStack;
import one.convert.FlameGraph;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An interactive flame graph in one self-contained HTML file (no network): async-profiler's own
 * ({@code one.convert.FlameGraph} and its template from {@code tools.profiler:jfr-converter}), fed
 * with the profile's samples, so it looks and behaves exactly like async-profiler's
 * {@code -o flamegraph}: click to zoom, Ctrl+F to search, I to invert.
 *
 * <p>Two things are added to async-profiler's page: the title (event, total, source) and, when the
 * value is not a count, the tooltip and status line say {@code 1.23 s} or {@code 4.5 MiB} instead
 * of async-profiler's {@code samples}.
 *
 * <p>Names reach the page's script as JavaScript string literals, and async-profiler escapes only
 * backslashes and quotes in them: a name holding {@code </script>} would end the script, a newline
 * would break it. So each name is handed to async-profiler already encoded ({@link #encodeName}):
 * letters, digits and a few harmless punctuation marks as they are, every other character as
 * {@code %uXXXX}; the page decodes the names once they are unpacked. Whatever the name, the script
 * then holds only those characters (and async-profiler's prefix-length marks), and the page shows
 * the name exactly, as text.
 */
public final class HtmlFlameGraph {

    /** async-profiler's tooltip formatter, replaced by a unit-aware one for values that are not counts. */
    static final Pattern SAMPLES_FUNCTION = Pattern.compile("(?s)function samples\\(n\\) \\{.*?\\n\\s*}");

    private HtmlFlameGraph() {
    }

    /** The flame graph of value {@code valueIndex} with a title that names event, total and source. */
    public static String render(Profile profile, int valueIndex) {
        return render(profile, valueIndex, Values.title(profile, valueIndex));
    }

    /** The flame graph of value {@code valueIndex} under the given title (plain text). */
    public static String render(Profile profile, int valueIndex, String title) {
        return render(Flame.compute(profile, Selection.all().withSampleIndex(String.valueOf(valueIndex)), 0), title);
    }

    /** The flame graph of {@code profile} through {@code selection}; {@code title} null for the default. */
    public static String render(Profile profile, Selection selection, String title) {
        Flame.Result flame = Flame.compute(profile, selection, 0);
        return render(flame, title != null ? title : Values.title(profile, selection, flame.header().type()));
    }

    /** A {@link Flame} report under the given title (plain text). */
    public static String render(Flame.Result flame, String title) {
        Arguments args = new Arguments();
        args.title = escape(title);
        FlameGraph fg = new FlameGraph(args);
        CallStack cs = new CallStack();
        Flame.Node root = flame.root();
        if (root.self() > 0) {
            cs.push("[no stack]", one.convert.Frame.TYPE_NATIVE);
            fg.addSample(cs, root.self());
            cs.clear();
        }
        for (Flame.Node c : root.children()) {
            add(fg, cs, c);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            fg.dump(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String html = decodeNames(out.toString(StandardCharsets.UTF_8));
        ValueType vt = flame.header().type();
        if (!vt.unit().equals("count")) {
            html = SAMPLES_FUNCTION.matcher(html).replaceFirst(Matcher.quoteReplacement(unitFunction(vt.unit())));
        }
        return html;
    }

    /** Adds the stacks that end in {@code n} or under it (FlameGraph's widths are counts: only positive values). */
    private static void add(FlameGraph fg, CallStack cs, Flame.Node n) {
        if (n.total() <= 0) {
            return;
        }
        cs.push(encodeName(n.name()), type(n.kind(), n.type(), n.name()));
        if (n.self() > 0) {
            fg.addSample(cs, n.self());
        }
        for (Flame.Node c : n.children()) {
            add(fg, cs, c);
        }
        cs.pop();
    }

    /** async-profiler's frame type, which picks the colour: green Java, aqua inlined, red native, ... */
    static byte type(Frame f) {
        return type(f.kind(), f.type(), f.name());
    }

    /** The same for a node of a call tree, by the kind that contributed most of it. */
    static byte type(Frame.Kind kind, String type, String name) {
        return switch (kind) {
            case INTERPRETED -> one.convert.Frame.TYPE_INTERPRETED;
            case JIT -> one.convert.Frame.TYPE_JIT_COMPILED;
            case INLINED -> one.convert.Frame.TYPE_INLINED;
            case NATIVE -> name.contains("::") ? one.convert.Frame.TYPE_CPP : one.convert.Frame.TYPE_NATIVE;
            case KERNEL -> one.convert.Frame.TYPE_KERNEL;
            case UNKNOWN -> switch (FrameColors.guess(type, name)) {
                case JAVA -> one.convert.Frame.TYPE_JIT_COMPILED;
                case JDK -> one.convert.Frame.TYPE_INLINED;
                case CPP -> one.convert.Frame.TYPE_CPP;
                case KERNEL -> one.convert.Frame.TYPE_KERNEL;
                default -> one.convert.Frame.TYPE_NATIVE;
            };
        };
    }

    /** A JavaScript {@code samples(n)} that prints n in the unit: seconds, bytes, or a plain number. */
    private static String unitFunction(String unit) {
        String body = switch (unit) {
            case "nanoseconds" -> """
                    		const units = [[1e9, ' s'], [1e6, ' ms'], [1e3, ' \\u00b5s']];
                    		for (const [f, u] of units) if (n >= f) return (n / f).toPrecision(3) + u;
                    		return n + ' ns';""";
            case "bytes" -> """
                    		const units = [[1 << 30, ' GiB'], [1 << 20, ' MiB'], [1 << 10, ' KiB']];
                    		for (const [f, u] of units) if (n >= f) return (n / f).toPrecision(3) + u;
                    		return n + ' B';""";
            default -> "\t\treturn n.toString().replace(/\\B(?=(\\d{3})+(?!\\d))/g, ',') + ' "
                    + unit.replaceAll("[^A-Za-z0-9 _/-]", "") + "';";
        };
        return "function samples(n) {\n" + body + "\n\t}";
    }

    static String escape(String s) {
        return Escape.xml(s);
    }

    /** Where the page has unpacked its names: the decoding goes right after it, before any frame uses them. */
    static final String UNPACKED = "\nunpack(cpool);\n";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Undoes {@link #encodeName} on every name of the page's constant pool. */
    static final String DECODE = "for (let i = 0; i < cpool.length; i++) "
            + "cpool[i] = cpool[i].replace(/%u([0-9A-F]{4})/g, (m, h) => String.fromCharCode(parseInt(h, 16)));\n";

    /**
     * A name as it goes into async-profiler's page: ASCII letters and digits and {@code . _ $ : ; , ( ) [ ] { }
     * - + * = # @ ? ^ | ~} and space as they are; every other UTF-16 unit (quotes, backslash, {@code < > & / ! %},
     * controls, line terminators, anything beyond ASCII, lone surrogates included) as {@code %uXXXX}.
     */
    static String encodeName(String name) {
        StringBuilder sb = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean keep = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "._$:;,()[]{}-+*=#@?^|~ ".indexOf(c) >= 0;
            if (!keep && sb == null) {
                sb = new StringBuilder(name.length() + 32).append(name, 0, i);
            }
            if (sb != null) {
                if (keep) {
                    sb.append(c);
                } else {
                    sb.append("%u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                            .append(HEX[c & 0xf]);
                }
            }
        }
        return sb == null ? name : sb.toString();
    }

    /** Puts the decoding of the names after the page's {@code unpack(cpool);}. */
    private static String decodeNames(String html) {
        int at = html.lastIndexOf(UNPACKED);
        if (at < 0) {
            throw new IllegalStateException("async-profiler's flame graph page has no 'unpack(cpool);' line");
        }
        int end = at + UNPACKED.length();
        return html.substring(0, end) + DECODE + html.substring(end);
    }
}
