package dev.proflab.report;

import dev.proflab.profile.Profile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which samples to keep by their labels: pprof's {@code -tagfocus} and {@code -tagignore}. A sample's labels are
 * those of its {@link Profile#labelSetOf label set} (pprof's string labels, {@code file} of a merge) and its thread
 * as the label {@code thread} (a JFR recording's threads are filtered as pprof's thread labels are).
 *
 * <p>A term is one option's value, as pprof reads it:
 * <ul>
 *   <li>{@code KEY=R1,R2}: the sample has a label {@code KEY} whose value one of the expressions finds;
 *   <li>{@code R1,R2}: each expression finds a label of the sample, in its value or in {@code key:value}
 *       (pprof searches {@code key:value}; the value alone lets {@code ^worker} work too).
 * </ul>
 * Expressions are separated by commas, as pprof's (so an expression cannot hold one). A sample is kept when every
 * focus term holds and no ignore term does. Numeric labels of pprof are not read ({@link Profile}), so a term
 * never matches them. Immutable.
 */
public final class TagFilter {

    /** The label every sample has: its thread's name. */
    public static final String THREAD = "thread";

    /**
     * One option's value.
     *
     * @param option the option, for messages ({@code --tagfocus}, {@code tagignore})
     * @param text the value as given
     * @param key the label key, or null for a bare term
     * @param regexes the expressions (one at least)
     */
    public record Term(String option, String text, String key, List<Regex> regexes) {

        public Term {
            regexes = List.copyOf(regexes);
        }

        Term withBudget(Regex.Budget budget) {
            return new Term(option, text, key, regexes.stream().map(r -> r.withBudget(budget)).toList());
        }
    }

    /** No term: every sample is kept. */
    public static final TagFilter NONE = new TagFilter(List.of(), List.of());

    private final List<Term> focus;
    private final List<Term> ignore;

    private TagFilter(List<Term> focus, List<Term> ignore) {
        this.focus = List.copyOf(focus);
        this.ignore = List.copyOf(ignore);
    }

    /**
     * Reads one option's value: {@code KEY=REGEX[,REGEX...]} or {@code REGEX[,REGEX...]}.
     *
     * @throws ReportException naming the option when the value has no key before {@code =}, no expression, or an
     *     expression that is not valid
     */
    public static Term parse(String option, String text, Regex.Budget budget) {
        if (text == null || text.isBlank()) {
            throw new ReportException(option + ": give KEY=REGEX or REGEX");
        }
        String key = null;
        String rest = text;
        int eq = text.indexOf('=');
        if (eq >= 0) {
            key = text.substring(0, eq).strip();
            rest = text.substring(eq + 1);
            if (key.isEmpty()) {
                throw new ReportException(option + ": '" + text + "' has no label key before '=' (give KEY=REGEX)");
            }
        }
        List<Regex> regexes = new ArrayList<>();
        for (String r : rest.split(",", -1)) {
            if (r.isEmpty()) {
                throw new ReportException(option + ": '" + text + "' has an empty regular expression"
                        + (rest.isEmpty() ? " after '='" : " (between commas)"));
            }
            regexes.add(Regex.compile(option, r, budget));
        }
        return new Term(option, text, key, regexes);
    }

    /** This filter and focus term {@code t}: samples must match it too. */
    public TagFilter withFocus(Term t) {
        List<Term> f = new ArrayList<>(focus);
        f.add(t);
        return new TagFilter(f, ignore);
    }

    /** This filter and ignore term {@code t}: samples it matches are dropped. */
    public TagFilter withIgnore(Term t) {
        List<Term> i = new ArrayList<>(ignore);
        i.add(t);
        return new TagFilter(focus, i);
    }

    public List<Term> focus() {
        return focus;
    }

    public List<Term> ignore() {
        return ignore;
    }

    public boolean isEmpty() {
        return focus.isEmpty() && ignore.isEmpty();
    }

    /** The same terms, matching within {@code budget}. */
    TagFilter withBudget(Regex.Budget budget) {
        if (isEmpty()) {
            return this;
        }
        return new TagFilter(focus.stream().map(t -> t.withBudget(budget)).toList(),
                ignore.stream().map(t -> t.withBudget(budget)).toList());
    }

    /** What decides the result, for caches; null without terms. */
    String key() {
        if (isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (Term t : focus) {
            b.append("+").append(t.text()).append('\u0000');
        }
        for (Term t : ignore) {
            b.append("-").append(t.text()).append('\u0000');
        }
        return b.toString();
    }

    /** The terms in effect, for a report's header: {@code tagfocus=file=a.jfr}. */
    List<String> activeFilters() {
        List<String> f = new ArrayList<>();
        focus.forEach(t -> f.add("tagfocus=" + t.text()));
        ignore.forEach(t -> f.add("tagignore=" + t.text()));
        return f;
    }

    /**
     * The filter against profile {@code p}: whether it keeps a sample, by its label set and thread. Null when there
     * is no term.
     *
     * @param strict a term that matches no label of the profile is an error (else it simply keeps or drops nothing)
     * @throws ReportException when {@code strict} and a term matches nothing, naming the keys the profile has
     */
    static Match match(TagFilter f, Profile p, boolean strict, String where) {
        if (f == null || f.isEmpty()) {
            return null;
        }
        return new Match(f, p, strict, where);
    }

    /**
     * For a comparison: a term must match a label of one of the two profiles at least ({@code Diff.check}'s rule).
     *
     * @throws ReportException naming the term and the keys of both when it matches neither
     */
    static void checkEither(TagFilter f, Profile base, Profile current) {
        if (f == null || f.isEmpty()) {
            return;
        }
        List<Term> all = new ArrayList<>(f.focus);
        all.addAll(f.ignore);
        for (Term t : all) {
            if (!new Compiled(t, base).any && !new Compiled(t, current).any) {
                TreeSet<String> keys = new TreeSet<>(keys(base));
                keys.addAll(keys(current));
                throw new ReportException(t.option() + " '" + t.text() + "' matches no label in either profile (keys: "
                        + String.join(", ", keys) + ")");
            }
        }
    }

    /** Keys of {@code p}'s labels, {@code thread} among them. */
    static List<String> keys(Profile p) {
        TreeSet<String> keys = new TreeSet<>(p.labelKeys());
        keys.add(THREAD);
        return List.copyOf(keys);
    }

    /** A filter compiled against one profile: per term, what it says of each label set and of each thread. */
    static final class Match {
        private final Compiled[] focus;
        private final Compiled[] ignore;

        private Match(TagFilter f, Profile p, boolean strict, String where) {
            this.focus = compile(f.focus, p, strict, where);
            this.ignore = compile(f.ignore, p, strict, where);
        }

        private static Compiled[] compile(List<Term> terms, Profile p, boolean strict, String where) {
            Compiled[] out = new Compiled[terms.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = new Compiled(terms.get(i), p);
                if (strict && !out[i].any) {
                    Term t = terms.get(i);
                    List<String> keys = keys(p);
                    throw new ReportException(where + t.option() + " '" + t.text() + "' "
                            + (t.key() != null && !keys.contains(t.key()) ? "names no label key of this profile"
                            : "matches no label of this profile") + " (keys: " + String.join(", ", keys) + ")");
                }
            }
            return out;
        }

        /** Whether a sample of label set {@code set} and thread {@code thread} is kept. */
        boolean keeps(int set, int thread) {
            for (Compiled c : focus) {
                if (!c.holds(set, thread)) {
                    return false;
                }
            }
            for (Compiled c : ignore) {
                if (c.holds(set, thread)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** One term against one profile. */
    private static final class Compiled {
        /** Keyed: per label set or per thread, whether it holds; the other null. */
        private final boolean[] bySet;
        private final boolean[] byThread;
        /** Bare: per expression, per label set and per thread, whether it finds a label there. */
        private final boolean[][] setsOf;
        private final boolean[][] threadsOf;
        /** Whether it holds for some label set or thread of the profile. */
        final boolean any;

        Compiled(Term t, Profile p) {
            int sets = p.labelSetCount();
            int threads = p.threadCount();
            if (t.key() != null) {
                List<Regex> rs = t.regexes();
                Map<String, Boolean> seen = new HashMap<>();
                if (t.key().equals(THREAD)) {
                    byThread = new boolean[threads];
                    for (int th = 0; th < threads; th++) {
                        byThread[th] = seen.computeIfAbsent(p.threadName(th), v -> anyFinds(rs, v));
                    }
                    bySet = null;
                    any = any(byThread);
                } else {
                    bySet = new boolean[sets];
                    for (int s = 0; s < sets; s++) {
                        for (String v : p.labelValues(s, t.key())) {
                            if (seen.computeIfAbsent(v, x -> anyFinds(rs, x))) {
                                bySet[s] = true;
                                break;
                            }
                        }
                    }
                    byThread = null;
                    any = any(bySet);
                }
                setsOf = null;
                threadsOf = null;
            } else {
                int n = t.regexes().size();
                setsOf = new boolean[n][sets];
                threadsOf = new boolean[n][threads];
                boolean all = true;
                for (int r = 0; r < n; r++) {
                    Regex re = t.regexes().get(r);
                    Map<String, Boolean> seenThread = new HashMap<>();
                    Map<String, Boolean> seen = new HashMap<>();
                    for (int th = 0; th < threads; th++) {
                        threadsOf[r][th] = seenThread.computeIfAbsent(p.threadName(th),
                                v -> re.find(v) || re.find(THREAD + ":" + v));
                    }
                    for (int s = 0; s < sets; s++) {
                        for (int k = 0, m = p.labelCount(s); k < m; k++) {
                            String key = p.labelKey(s, k);
                            String v = p.labelValue(s, k);
                            if (seen.computeIfAbsent(key + ":" + v, kv -> re.find(v) || re.find(kv))) {
                                setsOf[r][s] = true;
                                break;
                            }
                        }
                    }
                    all &= any(setsOf[r]) || any(threadsOf[r]);
                }
                bySet = null;
                byThread = null;
                any = all;
            }
        }

        boolean holds(int set, int thread) {
            if (bySet != null) {
                return bySet[set];
            }
            if (byThread != null) {
                return byThread[thread];
            }
            for (int r = 0; r < setsOf.length; r++) {
                if (!setsOf[r][set] && !threadsOf[r][thread]) {
                    return false;
                }
            }
            return true;
        }

        private static boolean anyFinds(List<Regex> rs, String v) {
            for (Regex r : rs) {
                if (r.find(v)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean any(boolean[] a) {
            for (boolean b : a) {
                if (b) {
                    return true;
                }
            }
            return false;
        }
    }
}
