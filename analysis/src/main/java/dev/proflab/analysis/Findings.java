package dev.proflab.analysis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.text.Escape;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The findings of one file, ordered and rendered: text for a terminal, markdown for a pull request, JSON. */
public final class Findings {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Findings() {
    }

    /** Warnings first, then information, then the rest; by score within each. */
    public static List<Finding> ordered(List<Finding> all) {
        List<Finding> l = new ArrayList<>(all);
        l.sort(Comparator.comparing(Finding::severity).thenComparing(Comparator.comparingDouble(Finding::score).reversed())
                .thenComparing(Finding::rule));
        return l;
    }

    /** Those worth showing: warnings and information, or every result with {@code all}. */
    public static List<Finding> shown(List<Finding> all, boolean everything) {
        return ordered(all).stream().filter(f -> everything
                || f.severity() == Finding.Severity.WARNING || f.severity() == Finding.Severity.INFO
                || f.rule().equals("proflab.jmc-rules")).toList();
    }

    public static String text(String file, List<Finding> shown, int evaluated) {
        StringBuilder b = new StringBuilder();
        b.append("File: ").append(Escape.terminal(file)).append('\n');
        b.append(shown.size()).append(shown.size() == 1 ? " finding" : " findings").append(" (")
                .append(evaluated).append(" rules evaluated)\n");
        for (Finding f : shown) {
            b.append('\n').append(label(f)).append("  ").append(Escape.terminal(f.rule())).append('\n');
            b.append("  ").append(Escape.terminal(f.summary())).append('\n');
            if (!f.explanation().isEmpty()) {
                b.append("  ").append(Escape.terminal(f.explanation())).append('\n');
            }
            for (String e : f.evidence()) {
                b.append("  - ").append(Escape.terminal(e)).append('\n');
            }
            if (!f.next().isEmpty()) {
                b.append("  next: ").append(Escape.terminal(f.next())).append('\n');
            }
        }
        return b.toString();
    }

    public static String markdown(String file, List<Finding> shown, int evaluated) {
        StringBuilder b = new StringBuilder();
        b.append("**").append(md(file)).append("**: ").append(shown.size()).append(" findings (").append(evaluated)
                .append(" rules evaluated)\n\n| | score | rule | finding | next |\n|---|---|---|---|---|\n");
        for (Finding f : shown) {
            b.append("| ").append(f.severity().name().toLowerCase(Locale.ROOT)).append(" | ").append(score(f))
                    .append(" | `").append(md(f.rule())).append("` | ").append(md(f.summary())).append(" | ")
                    .append(f.next().isEmpty() ? "" : "`" + md(f.next()) + "`").append(" |\n");
        }
        return b.toString();
    }

    public static String json(String file, List<Finding> shown, int evaluated) {
        ObjectNode root = JSON.createObjectNode();
        root.put("file", file);
        root.put("rulesEvaluated", evaluated);
        ArrayNode arr = root.putArray("findings");
        for (Finding f : shown) {
            ObjectNode o = arr.addObject();
            o.put("rule", f.rule());
            o.put("source", f.source());
            if (f.score() >= 0) {
                o.put("score", Math.round(f.score() * 10) / 10.0);
            } else {
                o.putNull("score");
            }
            o.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
            o.put("summary", f.summary());
            o.put("explanation", f.explanation());
            ArrayNode ev = o.putArray("evidence");
            f.evidence().forEach(ev::add);
            o.put("next", f.next());
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String label(Finding f) {
        return String.format(Locale.ROOT, "%-7s %5s", f.severity().name(), score(f));
    }

    private static String score(Finding f) {
        return f.score() < 0 ? "-" : String.format(Locale.ROOT, "%.0f", f.score());
    }

    private static String md(String s) {
        return Escape.terminal(s).replace("|", "\\|").replace("`", "'");
    }
}
