package dev.proflab.viewer;

import dev.proflab.report.Regex;
import dev.proflab.report.Selection;

import java.time.Duration;

/** The query parameters every view shares, read the same way everywhere; a bad one is a {@link BadRequest}. */
final class Params {

    private Params() {
    }

    /** The parameter, or null when it is missing or blank. */
    static String get(Exchange ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : v;
    }

    /**
     * The page's filters: {@code sampleIndex}, {@code focus}, {@code ignore}, {@code hide}, {@code thread}
     * (regular expressions), {@code tagfocus}/{@code tagignore} (labels: {@code KEY=REGEX}) and {@code from}/{@code to}
     * (nanoseconds since the start of the recording).
     */
    static Selection selection(Exchange ctx) {
        Selection s = Selection.all().withMatchBudget(matchBudget(ctx)).withSampleIndex(get(ctx, "sampleIndex"));
        s = s.withFocus(s.regex("focus", get(ctx, "focus")))
                .withIgnore(s.regex("ignore", get(ctx, "ignore")))
                .withHide(s.regex("hide", get(ctx, "hide")))
                .withThread(s.regex("thread", get(ctx, "thread")));
        // labels, as the CLI's --tagfocus/--tagignore: KEY=REGEX[,REGEX] or REGEX[,REGEX] (thread and file among them)
        String tagfocus = get(ctx, "tagfocus");
        if (tagfocus != null) {
            s = s.withTagFocus(s.tagTerm("tagfocus", tagfocus));
        }
        String tagignore = get(ctx, "tagignore");
        if (tagignore != null) {
            s = s.withTagIgnore(s.tagTerm("tagignore", tagignore));
        }
        FlameJson.Range r = range(ctx);
        return r.all() ? s : s.withTimeRange(r.from(), r.to());
    }

    /** A request's regular expression other than the selection's, with a matching budget of its own; null when missing. */
    static Regex regex(Exchange ctx, String name) {
        return Regex.compile(name, get(ctx, name), Regex.Budget.of(matchBudget(ctx)));
    }

    /**
     * How long a request may spend matching its regular expressions, in all ({@link ViewerServer#matchBudget}):
     * past it the request is a 400 naming the parameter.
     */
    static Duration matchBudget(Exchange ctx) {
        return ctx.matchBudget();
    }

    /** {@code from} and {@code to}: nanoseconds since the start of the recording; open ends when missing. */
    static FlameJson.Range range(Exchange ctx) {
        long from = nanos(ctx, "from", 0);
        long to = nanos(ctx, "to", Long.MAX_VALUE);
        if (to < from) {
            throw new BadRequest("to: " + to + " is before from (" + from + ")");
        }
        return new FlameJson.Range(from, to);
    }

    /** A non-negative number of nanoseconds, or {@code absent} when the parameter is missing. */
    static long nanos(Exchange ctx, String name, long absent) {
        String v = get(ctx, name);
        if (v == null) {
            return absent;
        }
        long n;
        try {
            n = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0) {
            throw new BadRequest(name + ": '" + shorten(v) + "' is not a time in nanoseconds since the start of the recording");
        }
        return n;
    }

    /** The value as it may be repeated in a message: at most 80 characters. */
    static String shorten(String v) {
        return v.length() <= 80 ? v : v.substring(0, 77) + "...";
    }

    /** {@code minFraction}: the share under which flame graph nodes are left out, 0 to 1; {@code absent} when missing. */
    static double minFraction(Exchange ctx, double absent) {
        String v = get(ctx, "minFraction");
        if (v == null) {
            return absent;
        }
        double f;
        try {
            f = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            f = Double.NaN;
        }
        if (!(f >= 0 && f <= 1)) {
            throw new BadRequest("minFraction: '" + shorten(v) + "' is not a number from 0 to 1");
        }
        return f;
    }

    /** {@code inverted}: {@code 1} or {@code true} for the tree bottom-up, {@code 0} or {@code false} (the default) top-down. */
    static boolean inverted(Exchange ctx) {
        String v = get(ctx, "inverted");
        if (v == null) {
            return false;
        }
        return switch (v.strip()) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw new BadRequest("inverted: '" + shorten(v) + "' is not 1 or 0");
        };
    }

    /** {@code n}: how many rows of a table, 0 (the default) for all. */
    static int rows(Exchange ctx) {
        String v = get(ctx, "n");
        if (v == null) {
            return 0;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0) {
            throw new BadRequest("n: '" + shorten(v) + "' is not a number of rows (0 for all)");
        }
        return n;
    }
}
