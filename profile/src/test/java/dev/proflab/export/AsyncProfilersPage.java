package dev.proflab.export;

import dev.proflab.profile.ValueType;
import dev.proflab.report.Flame;
import one.convert.Arguments;
import one.convert.CallStack;
import one.convert.FlameGraph;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;

/**
 * The flame graph page as async-profiler's own {@code one.convert.FlameGraph} makes it, fed with the
 * stacks of a {@link Flame} tree: how {@link HtmlFlameGraph} made it before it wrote the page itself,
 * kept as the oracle the page it writes must equal byte for byte.
 */
final class AsyncProfilersPage {

    private AsyncProfilersPage() {
    }

    static String render(Flame.Result flame, String title) {
        Arguments args = new Arguments();
        args.title = HtmlFlameGraph.escape(title);
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
        String html = out.toString(StandardCharsets.UTF_8);
        int at = html.lastIndexOf(HtmlFlameGraph.UNPACKED);
        int end = at + HtmlFlameGraph.UNPACKED.length();
        html = html.substring(0, end) + HtmlFlameGraph.DECODE + html.substring(end);
        ValueType vt = flame.header().type();
        if (!vt.unit().equals("count")) {
            html = HtmlFlameGraph.SAMPLES_FUNCTION.matcher(html)
                    .replaceFirst(Matcher.quoteReplacement(HtmlFlameGraph.unitFunction(vt.unit())));
        }
        return html;
    }

    private static void add(FlameGraph fg, CallStack cs, Flame.Node n) {
        if (n.total() <= 0) {
            return;
        }
        cs.push(HtmlFlameGraph.encodeName(n.name()), HtmlFlameGraph.type(n.kind(), n.type(), n.name()));
        if (n.self() > 0) {
            fg.addSample(cs, n.self());
        }
        for (Flame.Node c : n.children()) {
            add(fg, cs, c);
        }
        cs.pop();
    }
}
