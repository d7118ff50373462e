package dev.proflab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which samples and frames a report looks at, shared by every report (pprof's options of the same
 * names). Regular expressions are searched for anywhere in a function's name
 * ({@code package.Class.method}, with parameter types under {@link #signatures()}).
 *
 * @param focus keep only samples whose stack has a matching function (null: all)
 * @param ignore drop samples whose stack has a matching function
 * @param hide remove matching functions from the stacks (their time goes to their callers' flat)
 * @param thread keep only samples of threads whose name matches
 * @param fromNanos keep samples at or after this time since the start of the recording
 * @param toNanos keep samples before this time since the start of the recording
 * @param sampleIndex which value: {@code bytes}, {@code objects}, {@code samples}, {@code time}, a
 *     value type name, or null for the profile's default
 * @param signatures tell overloads apart: {@code Foo.bar(int)} and {@code Foo.bar(long)}
 * @param lines one node per source line instead of per function ({@code Foo.bar Foo.java:12})
 */
public record Selection(Pattern focus, Pattern ignore, Pattern hide, Pattern thread,
                        long fromNanos, long toNanos, String sampleIndex,
                        boolean signatures, boolean lines) {

    /** Everything, the default value, functions without signatures. */
    public static Selection all() {
        return new Selection(null, null, null, null, 0, Long.MAX_VALUE, null, false, false);
    }

    /** Compiles a user's regular expression; a syntax error is a {@link ReportException} naming the option. */
    public static Pattern regex(String option, String regex) {
        if (regex == null) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ReportException(option + ": '" + regex + "' is not a valid regular expression: "
                    + e.getDescription());
        }
    }

    public Selection withFocus(String regex) {
        return new Selection(regex("--focus", regex), ignore, hide, thread, fromNanos, toNanos, sampleIndex, signatures, lines);
    }

    public Selection withIgnore(String regex) {
        return new Selection(focus, regex("--ignore", regex), hide, thread, fromNanos, toNanos, sampleIndex, signatures, lines);
    }

    public Selection withHide(String regex) {
        return new Selection(focus, ignore, regex("--hide", regex), thread, fromNanos, toNanos, sampleIndex, signatures, lines);
    }

    public Selection withThread(String regex) {
        return new Selection(focus, ignore, hide, regex("--thread", regex), fromNanos, toNanos, sampleIndex, signatures, lines);
    }

    public Selection withTimeRange(long from, long to) {
        if (from < 0 || to < from) {
            throw new ReportException("--from/--to: the range " + from + "ns to " + to + "ns is empty");
        }
        return new Selection(focus, ignore, hide, thread, from, to, sampleIndex, signatures, lines);
    }

    public Selection withSampleIndex(String index) {
        return new Selection(focus, ignore, hide, thread, fromNanos, toNanos, index, signatures, lines);
    }

    public Selection withSignatures(boolean on) {
        return new Selection(focus, ignore, hide, thread, fromNanos, toNanos, sampleIndex, on, lines);
    }

    public Selection withLines(boolean on) {
        return new Selection(focus, ignore, hide, thread, fromNanos, toNanos, sampleIndex, signatures, on);
    }

    /** The filters in effect, for the report header: {@code focus=methodA}, {@code thread=main}. */
    public List<String> activeFilters() {
        List<String> f = new ArrayList<>();
        if (focus != null) {
            f.add("focus=" + focus.pattern());
        }
        if (ignore != null) {
            f.add("ignore=" + ignore.pattern());
        }
        if (hide != null) {
            f.add("hide=" + hide.pattern());
        }
        if (thread != null) {
            f.add("thread=" + thread.pattern());
        }
        if (fromNanos > 0) {
            f.add("from=" + dev.proflab.profile.Quantities.nanos(fromNanos));
        }
        if (toNanos != Long.MAX_VALUE) {
            f.add("to=" + dev.proflab.profile.Quantities.nanos(toNanos));
        }
        return f;
    }
}
