package dev.proflab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which samples and frames a report looks at, shared by every report (pprof's options of the same
 * names). Regular expressions are searched for anywhere in a function's name
 * ({@code package.Class.method}, with parameter types under {@link #signatures()}), within the
 * selection's matching {@link #budget()}: focus, ignore, hide, thread and a report's own expression
 * ({@code list}, {@code peek}) share it, so that a report spends at most that long matching
 * ({@link Regex}). Take a new selection per request or command: a budget is spent, never refilled.
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
 * @param budget how long matching the regular expressions may take in all ({@link Regex#DEFAULT_BUDGET})
 * @param tags keep only samples whose labels (thread among them) {@link TagFilter match}: pprof's
 *     {@code -tagfocus} and {@code -tagignore}
 */
public record Selection(Regex focus, Regex ignore, Regex hide, Regex thread,
                        long fromNanos, long toNanos, String sampleIndex,
                        boolean signatures, boolean lines, Regex.Budget budget, TagFilter tags) {

    public Selection {
        java.util.Objects.requireNonNull(budget, "budget");
        focus = focus == null ? null : focus.withBudget(budget);
        ignore = ignore == null ? null : ignore.withBudget(budget);
        hide = hide == null ? null : hide.withBudget(budget);
        thread = thread == null ? null : thread.withBudget(budget);
        tags = tags == null ? TagFilter.NONE : tags.withBudget(budget);
    }

    /** Everything, the default value, functions without signatures; a matching budget of its own. */
    public static Selection all() {
        return new Selection(null, null, null, null, 0, Long.MAX_VALUE, null, false, false,
                Regex.Budget.of(Regex.DEFAULT_BUDGET), TagFilter.NONE);
    }

    /**
     * Compiles a user's regular expression that spends from this selection's budget (e.g. a report's
     * own: {@code list REGEX}); a syntax error is a {@link ReportException} naming the option.
     *
     * @return null when {@code regex} is null
     */
    public Regex regex(String option, String regex) {
        return Regex.compile(option, regex, budget);
    }

    /** The same filters with a new matching budget of {@code limit} (e.g. for a slow machine). */
    public Selection withMatchBudget(java.time.Duration limit) {
        return new Selection(focus, ignore, hide, thread, fromNanos, toNanos, sampleIndex, signatures, lines,
                Regex.Budget.of(limit), tags);
    }

    /** Keeps only samples with a function matching {@code regex} ({@code focus} in messages). */
    public Selection withFocus(String regex) {
        return withFocus(regex("focus", regex));
    }

    /** As {@link #withFocus(String)}, compiled by the caller (named as it likes); it spends from this budget. */
    public Selection withFocus(Regex regex) {
        return new Selection(regex, ignore, hide, thread, fromNanos, toNanos, sampleIndex, signatures, lines,
                budget, tags);
    }

    public Selection withIgnore(String regex) {
        return withIgnore(regex("ignore", regex));
    }

    public Selection withIgnore(Regex regex) {
        return new Selection(focus, regex, hide, thread, fromNanos, toNanos, sampleIndex, signatures, lines,
                budget, tags);
    }

    public Selection withHide(String regex) {
        return withHide(regex("hide", regex));
    }

    public Selection withHide(Regex regex) {
        return new Selection(focus, ignore, regex, thread, fromNanos, toNanos, sampleIndex, signatures, lines,
                budget, tags);
    }

    public Selection withThread(String regex) {
        return withThread(regex("thread", regex));
    }

    public Selection withThread(Regex regex) {
        return new Selection(focus, ignore, hide, regex, fromNanos, toNanos, sampleIndex, signatures, lines,
                budget, tags);
    }

    /** Keeps only samples with labels that {@code term} matches (pprof's {@code -tagfocus}); several must all match. */
    public Selection withTagFocus(TagFilter.Term term) {
        return new Selection(focus, ignore, hide, thread, fromNanos, toNanos, sampleIndex, signatures, lines, budget,
                tags.withFocus(term));
    }

    /** Drops samples with labels that {@code term} matches (pprof's {@code -tagignore}). */
    public Selection withTagIgnore(TagFilter.Term term) {
        return new Selection(focus, ignore, hide, thread, fromNanos, toNanos, sampleIndex, signatures, lines, budget,
                tags.withIgnore(term));
    }

    /** Reads {@code KEY=REGEX} or {@code REGEX} of option {@code option} ({@link TagFilter#parse}) within this budget. */
    public TagFilter.Term tagTerm(String option, String text) {
        return TagFilter.parse(option, text, budget);
    }

    public Selection withTimeRange(long from, long to) {
        if (from < 0 || to < from) {
            throw new ReportException(dev.proflab.text.Phrase.of(dev.proflab.text.Phrase.parameter("fromNanos"), "/",
                    dev.proflab.text.Phrase.parameter("toNanos"), ": the range " + from + "ns to " + to + "ns is empty"));
        }
        return new Selection(focus, ignore, hide, thread, from, to, sampleIndex, signatures, lines, budget, tags);
    }

    public Selection withSampleIndex(String index) {
        return new Selection(focus, ignore, hide, thread, fromNanos, toNanos, index, signatures, lines, budget, tags);
    }

    public Selection withSignatures(boolean on) {
        return new Selection(focus, ignore, hide, thread, fromNanos, toNanos, sampleIndex, on, lines, budget, tags);
    }

    public Selection withLines(boolean on) {
        return new Selection(focus, ignore, hide, thread, fromNanos, toNanos, sampleIndex, signatures, on,
                budget, tags);
    }

    /**
     * What decides a report's result (patterns, range, value, naming), for caches: two selections with
     * equal keys select the same samples the same way. The matching budget and the options' names are
     * not part of it.
     */
    public Key key() {
        return new Key(pattern(focus), pattern(ignore), pattern(hide), pattern(thread), fromNanos, toNanos,
                sampleIndex == null || sampleIndex.isBlank() ? null : sampleIndex.strip(), signatures, lines,
                tags.key());
    }

    /** See {@link #key()}. */
    public record Key(String focus, String ignore, String hide, String thread, long fromNanos, long toNanos,
                      String sampleIndex, boolean signatures, boolean lines, String tags) {

        // written out: a record's own equals and hashCode are linked by an invokedynamic bootstrap (see Frame)
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && fromNanos == k.fromNanos && toNanos == k.toNanos && signatures == k.signatures
                    && lines == k.lines && Objects.equals(focus, k.focus) && Objects.equals(ignore, k.ignore)
                    && Objects.equals(hide, k.hide) && Objects.equals(thread, k.thread)
                    && Objects.equals(sampleIndex, k.sampleIndex) && Objects.equals(tags, k.tags);
        }

        @Override
        public int hashCode() {
            int h = Objects.hashCode(focus);
            h = 31 * h + Objects.hashCode(ignore);
            h = 31 * h + Objects.hashCode(hide);
            h = 31 * h + Objects.hashCode(thread);
            h = 31 * h + Long.hashCode(fromNanos);
            h = 31 * h + Long.hashCode(toNanos);
            h = 31 * h + Objects.hashCode(sampleIndex);
            h = 31 * h + Objects.hashCode(tags);
            return 31 * h + (signatures ? 2 : 0) + (lines ? 1 : 0);
        }
    }

    private static String pattern(Regex r) {
        return r == null ? null : r.pattern();
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
        f.addAll(tags.activeFilters());
        if (fromNanos > 0) {
            f.add("from=" + dev.proflab.profile.Quantities.nanos(fromNanos));
        }
        if (toNanos != Long.MAX_VALUE) {
            f.add("to=" + dev.proflab.profile.Quantities.nanos(toNanos));
        }
        return f;
    }
}
