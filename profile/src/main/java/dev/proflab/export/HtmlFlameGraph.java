package dev.proflab.export;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.report.Flame;
import dev.proflab.report.Selection;
import dev.proflab.text.Escape;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * An interactive flame graph in one self-contained HTML file (no network): async-profiler's own page
 * (the template of {@code tools.profiler:jfr-converter}), filled in byte for byte as its
 * {@code one.convert.FlameGraph} fills it, so it looks and behaves exactly like async-profiler's
 * {@code -o flamegraph}: click to zoom, Ctrl+F to search, I to invert. The page is written as it is
 * made, from the call tree's arrays ({@link Flame.Table}, {@link PageWriter}): neither the page nor a
 * tree of objects is held, so a large profile's page needs about the heap of its call tree.
 *
 * <p>Two things are added to async-profiler's page: the title (event, total, source) and, when the
 * value is not a count, the tooltip and status line say {@code 1.23 s} or {@code 4.5 MiB} instead
 * of async-profiler's {@code samples}.
 *
 * <p>Names reach the page's script as JavaScript string literals, and async-profiler escapes only
 * backslashes and quotes in them: a name holding {@code </script>} would end the script, a newline
 * would break it. So each name goes into the page encoded ({@link #encodeName}):
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
        return render(Flame.table(profile, Selection.all().withSampleIndex(String.valueOf(valueIndex)), 0), title);
    }

    /** The flame graph of {@code profile} through {@code selection}; {@code title} null for the default. */
    public static String render(Profile profile, Selection selection, String title) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(profile, selection, title, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A {@link Flame} tree under the given title (plain text). */
    public static String render(Flame.Table flame, String title) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(flame, title, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Writes the flame graph of {@code profile} through {@code selection} to {@code out} as it goes (see
     * {@link #write(Flame.Table, String, OutputStream)}); {@code title} null for the default. {@code out} is
     * flushed, not closed.
     */
    public static void write(Profile profile, Selection selection, String title, OutputStream out)
            throws IOException {
        Flame.Table flame = Flame.table(profile, selection, 0);
        write(flame, title != null ? title : Values.title(profile, selection, flame.header().type()), out);
    }

    /**
     * Writes the page of a {@link Flame} tree under the given title (plain text) to {@code out}, byte for byte
     * the page async-profiler's {@code FlameGraph} makes of the same stacks, without building it: neither the
     * page nor a tree of objects is held, only a few numbers per node of the call tree and the distinct names,
     * so that the memory needed grows with the number of distinct call paths and not with the size of the
     * page. {@code out} is flushed, not closed.
     */
    public static void write(Flame.Table flame, String title, OutputStream out) throws IOException {
        new PageWriter(flame, escape(title), out).write();
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
    static String unitFunction(String unit) {
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
}
