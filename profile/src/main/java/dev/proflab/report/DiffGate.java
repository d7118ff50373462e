package dev.proflab.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Profiles as a regression gate: which functions' share of the profile grew, significantly by the diff's own
 * test, by more than their limit. A pure function of a {@link Diff.Result} and a list of rules; {@code proflab diff
 * --max-growth REGEX=LIMIT} and {@code --budget FILE} make the rules, print {@link TextReport#diffGate} and exit 1
 * when {@link Result#failed()}.
 *
 * <pre>{@code
 * Diff.Result d = Diff.compute(bases, currents, Selection.all(), Diff.Normalize.TOTAL, 0);   // 3+ recordings a side
 * DiffGate.Rule r = new DiffGate.Rule(Regex.compile("--max-growth", "Workload\\.checksum"), DiffGate.Limit.of(2, "--max-growth"));
 * DiffGate.Result g = DiffGate.check(d, List.of(r), DiffGate.Measure.CUM);
 * if (g.limitation() != null) ...           // fewer than 3 recordings a side: nothing can be judged
 * if (g.failed()) g.failures().forEach(...); // grew significantly by more than 2 percentage points
 * }</pre>
 *
 * <p><b>What fails.</b> A function fails when (1) the first rule whose expression occurs in its name (as the
 * reports print it, generated parts normalised: {@link Diff.Row#name()}) has a limit, not {@code none}; (2) the
 * diff's test calls the change of the measured share significant (its own q-value at most {@link Diff#ALPHA}:
 * the cum test for {@link Measure#CUM}, the flat test for {@link Measure#FLAT}); and (3) that share grew by more
 * than the limit, in percentage points of each side's total: {@code 100 * (new share - base share) > points}. A
 * limit of 0 fails any significant growth; a share that fell never fails. Functions no rule finds are not checked.
 *
 * <p><b>Cum by default.</b> A function's cum share holds everything below it, so a regression in a callee shows
 * in every caller on the way up and a rule on an entry point ({@code OrderService\.}) catches it; its flat share
 * moves only when the time is spent in the function itself, and a callee inlined differently by the JIT moves it
 * between frames (docs/diff-significance.md). {@link Measure#FLAT} gates what a function does itself.
 *
 * <p><b>What cannot be judged</b> is said, never passed: a rule whose expression finds no function in either
 * profile is a {@link ReportException} (a typo must not pass silently), and when the diff cannot claim any change
 * ({@link Diff.Result#limitation()}: fewer than {@value ChangeTest#MIN_RECORDINGS} recordings a side, or too few
 * samples) the result carries that sentence and no checks. Limits are points of a share, so the diff must compare
 * shares ({@link Diff.Normalize#TOTAL}).
 */
public final class DiffGate {

    private DiffGate() {
    }

    /** Which share of a function the gate reads. */
    public enum Measure {
        /** Its samples and its callees': a regression anywhere below it shows. */
        CUM,
        /** The samples where it is the leaf: what it does itself. */
        FLAT;

        /** {@code cum} or {@code flat}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code cum} or {@code flat} (any case); anything else is a {@link ReportException}. */
        public static Measure parse(String s) {
            if (s != null) {
                for (Measure m : values()) {
                    if (m.label().equalsIgnoreCase(s.strip())) {
                        return m;
                    }
                }
            }
            throw new ReportException("'" + s + "' is not cum or flat");
        }
    }

    /**
     * How much a function's share may grow: {@code points} percentage points of each side's total (2 for
     * {@code 2pp}), from 0 to 100.
     *
     * @param source where it was given, for the report: {@code --max-growth}, or {@code budget.txt:3}
     */
    public record Limit(double points, String source) {

        public Limit {
            if (!(points >= 0 && points <= 100)) {
                throw new IllegalArgumentException("a limit of " + points + " points is not from 0 to 100");
            }
            Objects.requireNonNull(source, "source");
        }

        public static Limit of(double points, String source) {
            return new Limit(points, source);
        }

        private static final Pattern POINTS = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)pp", Pattern.CASE_INSENSITIVE);

        /**
         * The points of a limit as written, {@code 2pp}, {@code 0.5pp}, {@code 0pp}: 2, 0.5, 0; NaN when it is not
         * one (a bare number or a percentage is not: a share's growth is in points, not in percent of itself).
         */
        public static double points(String s) {
            if (s == null) {
                return Double.NaN;
            }
            Matcher m = POINTS.matcher(s.strip());
            if (!m.matches()) {
                return Double.NaN;
            }
            double v = Double.parseDouble(m.group(1));
            return v >= 0 && v <= 100 ? v : Double.NaN;
        }

        /** {@code 2pp}, {@code 0.5pp}. */
        public String label() {
            return points(this.points) + "pp";
        }

        static String points(double v) {
            return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%s", v);
        }
    }

    /**
     * A rule: an expression looked for in a function's name ({@link Regex#find}), and its limit; a null limit
     * ({@code none} in a budget file) exempts the functions it finds. {@link Regex#option()} says where the rule
     * came from in messages.
     */
    public record Rule(Regex regex, Limit limit) {
        public Rule {
            Objects.requireNonNull(regex, "regex");
        }
    }

    /** What the gate made of one function that a rule finds. */
    public enum Status {
        /** Its share grew significantly by more than its limit. */
        FAILED,
        /** Grew significantly, by no more than its limit. */
        WITHIN_LIMIT,
        /** Did not grow significantly (or fell). */
        PASSED,
        /** Its rule says {@code none}. */
        EXEMPT;

        /** {@code failed}, {@code within_limit}, {@code passed}, {@code exempt}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One function a rule finds.
     *
     * @param row the diff's row of the function
     * @param rule the first rule that finds it
     * @param baseShare its measured share of the base's total, in percent
     * @param share its measured share of the new side's total, in percent
     * @param growth {@code share - baseShare}, percentage points
     * @param significant the diff's test of the measured share: changed beyond noise
     * @param q that test's q-value (NaN: not tested)
     */
    public record Check(Diff.Row row, Rule rule, double baseShare, double share, double growth, boolean significant,
                       double q, Status status) {

        /** The rule's limit, null when exempt. */
        public Limit limit() {
            return rule.limit();
        }
    }

    /**
     * The gate's outcome.
     *
     * @param on the share it read
     * @param alpha the false discovery rate of the diff's test
     * @param checks every function a rule finds, failures first (largest growth first), then the others by
     *     growth; empty when {@code limitation} is not null
     * @param unchecked functions no rule finds
     * @param limitation why nothing could be judged (the diff's {@link Diff.Result#limitation()}), or null
     */
    public record Result(Measure on, double alpha, List<Check> checks, int unchecked, String limitation) {

        public Result {
            checks = List.copyOf(checks);
        }

        /** Whether it was judged: the diff could claim changes. */
        public boolean judged() {
            return limitation == null;
        }

        /** Whether a function failed. */
        public boolean failed() {
            return checks.stream().anyMatch(c -> c.status() == Status.FAILED);
        }

        /** The functions that failed, largest growth first. */
        public List<Check> failures() {
            return with(Status.FAILED);
        }

        /** The checks of one status, in the order of {@link #checks()}. */
        public List<Check> with(Status s) {
            return checks.stream().filter(c -> c.status() == s).toList();
        }

        /** The check of a function by its name, or null. */
        public Check of(String name) {
            for (Check c : checks) {
                if (c.row().name().equals(name)) {
                    return c;
                }
            }
            return null;
        }
    }

    /**
     * Checks every function of {@code diff} against the first of {@code rules} that finds its name.
     *
     * @throws ReportException when a rule's expression finds no function in either profile (naming where the rule
     *     came from), when the diff is not of shares, or when an expression takes too long to match
     * @throws IllegalArgumentException when there are no rules
     */
    public static Result check(Diff.Result diff, List<Rule> rules, Measure on) {
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("a gate without rules");
        }
        if (diff.normalize() != Diff.Normalize.TOTAL) {
            throw new ReportException("the gate's limits are percentage points of each side's total, and the"
                    + " comparison is per second: compare shares (--normalize total)");
        }
        // which rule finds each function, and whether every rule finds one
        List<Diff.Row> rows = diff.rows();
        Rule[] ruleOf = new Rule[rows.size()];
        boolean[] found = new boolean[rules.size()];
        for (int i = 0; i < rows.size(); i++) {
            String name = rows.get(i).name();
            for (int k = 0; k < rules.size(); k++) {
                // after the first rule that finds it, only rules not yet known to find something are tried
                if ((ruleOf[i] == null || !found[k]) && rules.get(k).regex().find(name)) {
                    found[k] = true;
                    if (ruleOf[i] == null) {
                        ruleOf[i] = rules.get(k);
                    }
                }
            }
        }
        for (int k = 0; k < rules.size(); k++) {
            if (!found[k]) {
                Regex re = rules.get(k).regex();
                throw new ReportException(re.option() + ": '" + re.pattern()
                        + "' matches no function in either profile (a rule that finds nothing checks nothing)");
            }
        }
        if (diff.limitation() != null) {
            return new Result(on, diff.alpha(), List.of(), 0, diff.limitation());
        }
        List<Check> checks = new ArrayList<>();
        int unchecked = 0;
        for (int i = 0; i < rows.size(); i++) {
            Rule rule = ruleOf[i];
            if (rule == null) {
                unchecked++;
                continue;
            }
            Diff.Row r = rows.get(i);
            boolean cum = on == Measure.CUM;
            double base = 100 * (cum ? r.normBaseCum() : r.normBaseFlat());
            double now = 100 * (cum ? r.normCum() : r.normFlat());
            double growth = 100 * (cum ? r.deltaCum() : r.deltaFlat());
            boolean sig = cum ? r.cumSignificant() : r.flatSignificant();
            double q = cum ? r.qCum() : r.qFlat();
            Status s;
            if (rule.limit() == null) {
                s = Status.EXEMPT;
            } else if (sig && growth > 0) {
                s = growth > rule.limit().points() ? Status.FAILED : Status.WITHIN_LIMIT;
            } else {
                s = Status.PASSED;
            }
            checks.add(new Check(r, rule, base, now, growth, sig, q, s));
        }
        checks.sort(Comparator.<Check>comparingInt(c -> c.status().ordinal())
                .thenComparingDouble(c -> -c.growth())
                .thenComparing(c -> c.row().name()));
        return new Result(on, diff.alpha(), checks, unchecked, null);
    }
}
