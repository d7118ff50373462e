package dev.proflab.export;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;
import dev.proflab.report.Flame;
import dev.proflab.report.Selection;
import dev.proflab.text.Escape;

import dev.proflab.report.Diff;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;

/**
 * A flame graph as a static SVG image, for pasting into docs and tickets where an interactive HTML
 * page cannot go: the call tree of a {@link Flame} report, callers below callees, each method a box
 * as wide as its share of the total; boxes narrower than {@link Options#minWidth()} pixels are left
 * out (and counted in the footer). Colours by what ran ({@link FrameColors}): green the
 * application's Java code, aqua the JDK's and inlined code, red native, yellow the JVM's C++,
 * orange the kernel. Each box carries a tooltip (SVG {@code <title>}) with its name, total and
 * share, shown by browsers.
 *
 * <p>Fixed width (1200 px by default), height by the depth of the tree (boxes under 2 px, which
 * no one can read, are left out by default, so that a lone deep stack does not make the picture tall); fonts are generic
 * (Verdana, DejaVu Sans, sans-serif), labels are cut to what fits with {@code ..}, leaving out the
 * package first ({@code Fib.recursive} before {@code dev.proflab.labs.fib.Fib.recursive}).
 */
public final class SvgFlameGraph {

    /**
     * How to draw.
     *
     * @param width image width in pixels
     * @param minWidth boxes narrower than this (pixels) are not drawn
     * @param title the title line, or null for one naming event, samples, total and source
     */
    public record Options(int width, double minWidth, String title) {

        public Options {
            if (width < 200) {
                throw new IllegalArgumentException("width must be at least 200 pixels, not " + width);
            }
            if (!(minWidth >= 0)) {
                throw new IllegalArgumentException("minWidth must not be negative, not " + minWidth);
            }
        }

        public static Options defaults() {
            return new Options(1200, 2, null);
        }
    }

    static final int FRAME_HEIGHT = 16;
    static final int FONT_SIZE = 11;
    /** Average advance of a character at {@link #FONT_SIZE} in Verdana/DejaVu Sans, rounded up. */
    static final double CHAR_WIDTH = 6.7;
    private static final int PAD = 10;
    private static final int HEADER = 62;
    private static final int FOOTER = 34;
    private static final String FONT = "Verdana, 'DejaVu Sans', 'Bitstream Vera Sans', sans-serif";

    private SvgFlameGraph() {
    }

    /** The flame graph of value {@code valueIndex} with default options. */
    public static String render(Profile profile, int valueIndex) {
        return render(profile, valueIndex, Options.defaults());
    }

    public static String render(Profile profile, int valueIndex, Options options) {
        return render(profile, Selection.all().withSampleIndex(String.valueOf(valueIndex)), options);
    }

    /** The flame graph of {@code profile} through {@code selection}. */
    public static String render(Profile profile, Selection selection, Options options) {
        Flame.Result flame = Flame.compute(profile, selection, 0);
        String title = options.title() != null ? options.title()
                : Values.title(profile, selection, flame.header().type());
        return render(flame, title, options);
    }

    /** Draws a {@link Flame} report. */
    public static String render(Flame.Result flame, String title, Options options) {
        return render(flame.header().type(), flame.root(), null, title, options);
    }

    /**
     * A differential flame graph of a comparison, as Brendan Gregg's: each box as wide as its value in
     * the new profile, red where its share grew and blue where it shrank by more than noise (the
     * comparison's own test), grey where the change is not significant. What the new profile no longer
     * has is not drawn (it has no width): the report's rows list it.
     */
    public static String render(Diff.Result diff, String title, Options options) {
        Map<Flame.Node, Diff.Node> of = new IdentityHashMap<>();
        Flame.Node root = flame(diff.root(), of);
        double max = 0;
        for (Diff.Node d : of.values()) {
            if (d.kind() != null) {
                max = Math.max(max, Math.abs(d.delta()));
            }
        }
        double maxDelta = max;
        return render(diff.header().type(), root, n -> of.get(n), title, options, maxDelta, diff.normalize(),
                diff.operations() == null ? "" : diff.operations().unit());
    }

    private static Flame.Node flame(Diff.Node d, Map<Flame.Node, Diff.Node> of) {
        List<Flame.Node> kids = new ArrayList<>();
        for (Diff.Node k : d.children()) {
            if (k.current() > 0) {
                kids.add(flame(k, of));
            }
        }
        Flame.Node n = new Flame.Node(d.name(), d.type(), d.kind() == null ? dev.proflab.profile.Frame.Kind.UNKNOWN
                : d.kind(), d.self(), d.current(), List.copyOf(kids));
        of.put(n, d);
        return n;
    }

    private static String render(ValueType vt, Flame.Node root, java.util.function.Function<Flame.Node, Diff.Node> diff,
                                 String title, Options options) {
        return render(vt, root, diff, title, options, 0, Diff.Normalize.TOTAL, "");
    }

    private static String render(ValueType vt, Flame.Node root, java.util.function.Function<Flame.Node, Diff.Node> diff,
                                 String title, Options options, double maxDelta, Diff.Normalize normalize, String opUnit) {
        long total = root.total();
        double inner = options.width() - 2.0 * PAD;
        double scale = total > 0 ? inner / total : 0;

        // Lay out: every node wide enough, depth first.
        List<Box> boxes = new ArrayList<>();
        int[] hidden = new int[1];
        int depth = total > 0 ? layout(root, 0, 0, scale, options.minWidth(), boxes, hidden) : 0;
        int height = HEADER + Math.max(depth, 1) * FRAME_HEIGHT + FOOTER;
        int bottom = HEADER + depth * FRAME_HEIGHT; // y of the root box's bottom edge

        StringBuilder sb = new StringBuilder(256 + boxes.size() * 220);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\""
                        + " viewBox=\"0 0 %d %d\" font-family=\"%s\" font-size=\"%d\">%n",
                options.width(), height, options.width(), height, FONT, FONT_SIZE));
        sb.append("<title>").append(xml(title)).append("</title>\n");
        sb.append("<defs><linearGradient id=\"bg\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">"
                + "<stop offset=\"5%\" stop-color=\"#f8f8f8\"/><stop offset=\"95%\" stop-color=\"#eeeeb0\"/>"
                + "</linearGradient></defs>\n");
        sb.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"url(#bg)\"/>%n",
                options.width(), height));
        sb.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"24\" font-size=\"17\" font-weight=\"bold\" fill=\"#222\">%s</text>%n",
                PAD, xml(fit(title, (options.width() - 2 * PAD) / 10.5))));
        String how;
        if (total <= 0) {
            how = "No samples with a value of " + vt.type() + ": nothing to draw.";
        } else if (diff != null) {
            how = "Each box is a method, stacked on the method that called it, as wide as its " + vt.type()
                    + " in the new profile; red: its share grew, blue: it shrank, beyond noise; grey: no"
                    + " significant change.";
        } else {
            how = "Each box is a method, stacked on the method that called it; its width is its share of "
                    + vt.type() + " (" + Values.format(total, vt.unit()) + " in all). "
                    + switch (vt.unit()) {
                        case "nanoseconds" -> "Wide boxes with nothing above them are where the time goes.";
                        case "bytes" -> "Wide boxes with nothing above them allocate the most.";
                        default -> "Wide boxes with nothing above them are the hot spots.";
                    };
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"44\" font-size=\"12\" fill=\"#555\">%s</text>%n",
                PAD, xml(fit(how, (options.width() - 2 * PAD) / 6.9))));

        sb.append("<g stroke=\"#ffffff\" stroke-width=\"0.5\">\n");
        for (Box b : boxes) {
            double y = bottom - (b.level + 1) * FRAME_HEIGHT;
            FrameColors.Category cat = b.level == 0 ? FrameColors.Category.ROOT
                    : FrameColors.of(b.node.kind(), b.node.type(), b.node.name());
            String share = Values.percent(total == 0 ? 0 : (double) b.node.total() / total);
            sb.append("<g><title>").append(xml(b.node.name())).append(" (")
                    .append(xml(Values.format(b.node.total(), vt.unit()))).append(", ").append(share);
            if (b.node.self() > 0 && b.level > 0) {
                sb.append("; self ").append(xml(Values.format(b.node.self(), vt.unit())));
            }
            Diff.Node d = diff == null ? null : diff.apply(b.node);
            if (d != null && b.level > 0) {
                if (normalize == Diff.Normalize.OPS) {
                    // per operation: 29.52ms -> 443.90ns a op
                    sb.append("; per ").append(xml(opUnit)).append(' ')
                            .append(xml(dev.proflab.report.PerOp.format(d.normBase(), vt.unit()))).append(" \u2192 ")
                            .append(xml(dev.proflab.report.PerOp.format(d.normCurrent(), vt.unit())));
                } else if (normalize == Diff.Normalize.DURATION) {
                    sb.append("; per second ").append(xml(Values.format(Math.round(d.normBase()), vt.unit())))
                            .append(" \u2192 ").append(xml(Values.format(Math.round(d.normCurrent()), vt.unit())));
                } else {
                    sb.append("; share ").append(Values.percent(d.normBase())).append(" \u2192 ")
                            .append(Values.percent(d.normCurrent()));
                }
                sb.append(d.significant() ? ", significant" : "");
            }
            sb.append(")</title>");
            String fill = d == null ? FrameColors.fill(cat, b.node.name())
                    : b.level == 0 ? "#e0e0e0" : diffFill(d, maxDelta);
            sb.append(String.format(Locale.ROOT,
                    "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" rx=\"2\" fill=\"%s\"/>",
                    PAD + b.x, y, b.width, FRAME_HEIGHT - 1, fill));
            String label = b.level == 0
                    ? "all (" + Values.format(total, vt.unit()) + ")"
                    : label(b.node.name(), b.width);
            if (!label.isEmpty()) {
                sb.append(String.format(Locale.ROOT, "<text x=\"%.2f\" y=\"%.1f\" stroke=\"none\" fill=\"#000\">%s</text>",
                        PAD + b.x + 3, y + 11.5, xml(label)));
            }
            sb.append("</g>\n");
        }
        sb.append("</g>\n");

        // Legend and footnote.
        double lx = PAD;
        double ly = height - 14;
        if (diff != null) {
            String[][] legend = {{"#d7301f", "grew"}, {"#2b6cb0", "shrank"}, {"#d9d9d9", "no significant change"}};
            for (String[] l : legend) {
                sb.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" rx=\"2\" fill=\"%s\"/>"
                                + "<text x=\"%.1f\" y=\"%.1f\" fill=\"#333\">%s</text>%n",
                        lx, ly - 10, l[0], lx + 16, ly, xml(l[1])));
                lx += 16 + l[1].length() * 6.2 + 20;
            }
        }
        for (FrameColors.Category c : FrameColors.Category.values()) {
            if (c == FrameColors.Category.ROOT || diff != null) {
                continue;
            }
            sb.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" rx=\"2\" fill=\"%s\"/>"
                            + "<text x=\"%.1f\" y=\"%.1f\" fill=\"#333\">%s</text>%n",
                    lx, ly - 10, c.base(), lx + 16, ly, xml(c.label)));
            lx += 16 + c.label.length() * 6.2 + 20;
        }
        String note = hidden[0] == 0 ? "proflab" : String.format(Locale.ROOT,
                "%,d frame%s narrower than %s px not shown; proflab", hidden[0], hidden[0] == 1 ? "" : "s",
                trim(options.minWidth()));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#777\">%s</text>%n",
                options.width() - PAD, ly, xml(note)));
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** Red or blue, deeper as the change is larger, for a significant change; grey otherwise. */
    static String diffFill(Diff.Node d, double maxDelta) {
        if (!d.significant() || d.delta() == 0 || maxDelta <= 0) {
            return "#d9d9d9";
        }
        double t = Math.min(1, Math.abs(d.delta()) / maxDelta);
        int[] from = {0xf0, 0xf0, 0xf0};
        int[] to = d.delta() > 0 ? new int[] {0xd7, 0x30, 0x1f} : new int[] {0x2b, 0x6c, 0xb0};
        double k = 0.35 + 0.65 * t;
        return String.format(Locale.ROOT, "#%02x%02x%02x", (int) (from[0] + (to[0] - from[0]) * k),
                (int) (from[1] + (to[1] - from[1]) * k), (int) (from[2] + (to[2] - from[2]) * k));
    }

    private record Box(Flame.Node node, int level, double x, double width) {
    }

    /** Adds the boxes of {@code n} and its callees; returns the number of levels drawn. */
    private static int layout(Flame.Node n, int level, double x, double scale, double minWidth, List<Box> boxes,
            int[] hidden) {
        double w = n.total() * scale;
        boxes.add(new Box(n, level, x, w));
        int depth = level + 1;
        double cx = x;
        for (Flame.Node c : n.children()) {
            double cw = c.total() * scale;
            if (cw >= minWidth && c.total() > 0) {
                depth = Math.max(depth, layout(c, level + 1, cx, scale, minWidth, boxes, hidden));
            } else if (c.total() > 0) {
                hidden[0] += count(c);
            }
            cx += cw;
        }
        return depth;
    }

    private static int count(Flame.Node n) {
        int c = 1;
        for (Flame.Node k : n.children()) {
            c += count(k);
        }
        return c;
    }

    /** The label that fits a box: the full name, else without the package, else cut with "..". */
    static String label(String name, double width) {
        int chars = (int) ((width - 6) / CHAR_WIDTH);
        if (name.length() <= chars) {
            return name;
        }
        String shorter = shortName(name);
        if (shorter.length() <= chars) {
            return shorter;
        }
        // "Fi.." says nothing: cut only when a few letters of the name remain
        return chars < 6 ? "" : Escape.prefix(shorter, chars - 2) + "..";
    }

    /** {@code Fib.recursive} for {@code dev.proflab.labs.fib.Fib.recursive}; other names as they are. */
    static String shortName(String name) {
        int cpp = name.indexOf("::");
        if (cpp > 0) {
            // libjvm.so.Thread::call_run -> Thread::call_run
            int dot = name.lastIndexOf('.', cpp);
            return dot >= 0 ? name.substring(dot + 1) : name;
        }
        int paren = name.indexOf('(');
        String head = paren >= 0 ? name.substring(0, paren) : name;
        int last = head.lastIndexOf('.');
        if (last <= 0 || head.contains(" ")) {
            return name;
        }
        int cls = head.lastIndexOf('.', last - 1);
        return cls < 0 ? name : name.substring(cls + 1);
    }

    private static String fit(String s, double chars) {
        int n = (int) chars;
        return s.length() <= n ? s : Escape.prefix(s, Math.max(0, n - 1)) + "…";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Names, title and labels as XML text: whatever a name holds, the image stays one well-formed document. */
    static String xml(String s) {
        return Escape.xml(s);
    }
}
