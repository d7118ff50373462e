package dev.proflab.report;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A user's regular expression ({@code --focus}, {@code thread=}, {@code list REGEX}...), searched for
 * in names within a time {@link Budget}. The JDK's engine backtracks: a pattern with a backreference or
 * nested quantifiers, such as {@code ((.+)+)\2Z}, can take minutes on one 40-character function name, and
 * a report matches it against thousands of names. Every match here reads the name through a
 * {@link CharSequence} that looks at the clock every few thousand characters read; past the budget it
 * throws, which unwinds the engine at once, and the match ends in a {@link ReportException} naming the
 * option: {@code --focus: the regular expression takes too long to match (over 1 s): simplify it}.
 * The engine also repeats a group that matches nothing ({@code (?=){999999999}}) without reading a
 * character, which no deadline on reads can stop: a pattern's size with its counted repetitions
 * expanded is bounded (10000 items, as RE2 bounds its programs), so that one name costs
 * little without reads; the time of every match is still counted. A name long enough to overflow the
 * engine's stack is a {@link ReportException} too.
 *
 * <p>The budget is the time spent matching, summed over every name and every expression that shares it
 * (a {@link Selection}'s focus, ignore, hide and thread share the selection's), so that one request or
 * command spends at most about that long on them whatever the number of names. Once spent, every
 * further match fails at once. The pattern itself is never exposed: a caller cannot match it without
 * the budget.
 *
 * <pre>{@code
 * Regex re = Regex.compile("--focus", "Workload\\.method[AB]");   // a budget of its own: 1 s
 * boolean hot = re.find("dev.proflab.Workload.methodA");
 * }</pre>
 */
public final class Regex {

    /** How long matching may take, in all, unless told otherwise: 1 s. */
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(1);

    /** Characters read between two looks at the clock (System.nanoTime costs ~25 ns; a read ~1 ns). */
    private static final int CHECK_EVERY = 4096;

    private final String option;
    private final Pattern pattern;
    private final Budget budget;

    private Regex(String option, Pattern pattern, Budget budget) {
        this.option = option;
        this.pattern = pattern;
        this.budget = budget;
    }

    /**
     * Compiles a user's regular expression, with a budget of its own ({@link #DEFAULT_BUDGET}).
     *
     * @param option how the user gave it, for the messages: {@code --focus}, {@code thread}, {@code list}
     * @return null when {@code regex} is null
     * @throws ReportException naming the option when the expression is not valid
     */
    public static Regex compile(String option, String regex) {
        return compile(option, regex, Budget.of(DEFAULT_BUDGET));
    }

    /** As {@link #compile(String, String)}, spending from {@code budget} (shared with other expressions). */
    public static Regex compile(String option, String regex, Budget budget) {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(budget, "budget");
        if (regex == null) {
            return null;
        }
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ReportException(option + ": '" + regex + "' is not a valid regular expression: "
                    + e.getDescription());
        } catch (StackOverflowError e) {
            // the parser recurses per nesting level: ((((...)))) thousands deep
            throw new ReportException(option + ": the regular expression is nested too deeply: simplify it");
        }
        long size = size(regex);
        if (size > MAX_SIZE) {
            throw new ReportException(option + ": the regular expression is too large with its repetitions expanded ("
                    + (size > 1_000_000_000L ? "over 1000000000" : String.valueOf(size)) + " items, at most "
                    + MAX_SIZE + "): simplify it");
        }
        return new Regex(option, p, budget);
    }

    /**
     * The most items a pattern may have with its counted repetitions expanded ({@code a{3}} is 3,
     * {@code (ab){1000}} 2000), as RE2 (and so pprof) bounds its programs. The engine repeats a group
     * that matches nothing, such as {@code (?=)} in {@code (?=){999999999}}, as many times as the count
     * says without reading a character, so no check on reads could stop it: the count has to be bounded.
     */
    static final int MAX_SIZE = 10_000;

    /**
     * The size of a valid pattern with its counted repetitions expanded: each character, escape, class
     * or group is an item, and a count multiplies the item it follows. A close upper bound is enough.
     */
    static long size(String re) {
        final long cap = 1_000_000_000_000L;   // far above MAX_SIZE: sums and products saturate there
        java.util.ArrayDeque<long[]> outer = new java.util.ArrayDeque<>();
        long sum = 0;     // of the group being read
        long last = 0;    // the last item's size, which a count multiplies
        int n = re.length();
        for (int i = 0; i < n; i++) {
            char c = re.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 < n && re.charAt(i + 1) == 'Q') {
                        int end = re.indexOf("\\E", i + 2);
                        end = end < 0 ? n : end;
                        sum = Math.min(cap, sum + Math.max(1, end - (i + 2)));
                        last = 1;
                        i = end + 1;
                        continue;
                    }
                    if (i + 2 < n && "pPxNk".indexOf(re.charAt(i + 1)) >= 0 && "{<".indexOf(re.charAt(i + 2)) >= 0) {
                        int end = re.indexOf(re.charAt(i + 2) == '{' ? '}' : '>', i + 3);
                        i = end < 0 ? n : end;
                    } else {
                        i++;
                    }
                    sum = Math.min(cap, sum + 1);
                    last = 1;
                }
                case '[' -> {
                    // a class, maybe nested ([a-z&&[^b]]); a ']' right after '[' or '[^' is a character
                    int depth = 0;
                    for (; i < n; i++) {
                        char d = re.charAt(i);
                        if (d == '\\') {
                            i++;
                        } else if (d == '[') {
                            depth++;
                            if (i + 1 < n && re.charAt(i + 1) == '^') {
                                i++;
                            }
                            if (i + 1 < n && re.charAt(i + 1) == ']') {
                                i++;
                            }
                        } else if (d == ']' && --depth == 0) {
                            break;
                        }
                    }
                    sum = Math.min(cap, sum + 1);
                    last = 1;
                }
                case '(' -> {
                    outer.push(new long[] {sum});
                    sum = 0;
                    last = 0;
                    if (i + 1 < n && re.charAt(i + 1) == '?') {
                        // not items: (?: (?= (?! (?> (?<= (?<! (?<name> (?i) (?i:
                        int j = i + 2;
                        if (j < n && re.charAt(j) == '<' && j + 1 < n && "=!".indexOf(re.charAt(j + 1)) < 0) {
                            j = re.indexOf('>', j);
                        } else {
                            while (j < n && "=!<>:)".indexOf(re.charAt(j)) < 0) {
                                j++;
                            }
                            while (j < n && "=!<>:".indexOf(re.charAt(j)) >= 0) {
                                j++;
                            }
                            j--;
                        }
                        i = j < 0 ? n : j;
                    }
                }
                case ')' -> {
                    long group = Math.max(1, sum);
                    sum = outer.isEmpty() ? 0 : outer.pop()[0];
                    sum = Math.min(cap, sum + group);
                    last = group;
                }
                case '{' -> {
                    // a count: {n}, {n,}, {n,m} (the pattern is valid: a '{' here is one)
                    long k = 0;
                    long most = 0;
                    for (i++; i < n && re.charAt(i) != '}'; i++) {
                        char d = re.charAt(i);
                        if (d >= '0' && d <= '9') {
                            k = Math.min(cap, k * 10 + (d - '0'));
                        } else if (d == ',') {
                            most = Math.max(most, k);
                            k = 0;
                        }
                    }
                    k = Math.max(most, k);
                    long grown = mul(last, k, cap);
                    sum = Math.min(cap, sum - last + grown);
                    last = grown;
                }
                case '*', '+', '?', '|' -> {
                    // no count: the engine stops repeating an item that matches nothing
                }
                default -> {
                    sum = Math.min(cap, sum + 1);
                    last = 1;
                }
            }
        }
        while (!outer.isEmpty()) {
            sum = Math.min(cap, outer.pop()[0] + sum);
        }
        return sum;
    }

    private static long mul(long a, long b, long cap) {
        return a == 0 || b == 0 ? 0 : a > cap / b ? cap : Math.min(cap, a * b);
    }

    /** The same expression spending from another budget. */
    public Regex withBudget(Budget other) {
        return other == budget ? this : new Regex(option, pattern, Objects.requireNonNull(other, "other"));
    }

    /** The option it was given with, as passed to {@link #compile}. */
    public String option() {
        return option;
    }

    /** The expression as the user wrote it. */
    public String pattern() {
        return pattern.pattern();
    }

    public Budget budget() {
        return budget;
    }

    /**
     * Whether the expression occurs anywhere in {@code name} ({@link java.util.regex.Matcher#find()}).
     *
     * @throws ReportException naming the option when the budget is spent (by this match or earlier
     *     ones), or when the engine runs out of stack on this name
     */
    public boolean find(CharSequence name) {
        long spent = budget.spent.get();
        if (spent >= budget.limitNanos) {
            throw tooSlow();
        }
        long start = System.nanoTime();
        try {
            return pattern.matcher(new Metered(name, start + (budget.limitNanos - spent))).find();
        } catch (OverBudget e) {
            budget.spent.accumulateAndGet(budget.limitNanos, Math::max);
            throw tooSlow();
        } catch (StackOverflowError e) {
            // the engine recurses per repetition of some groups, e.g. (a|b)* on a long name
            throw new ReportException(option + ": the regular expression is too complex for a name of "
                    + name.length() + " characters: simplify it");
        } finally {
            budget.spent.addAndGet(System.nanoTime() - start);
        }
    }

    private ReportException tooSlow() {
        return new ReportException(option + ": the regular expression takes too long to match (over "
                + Budget.text(budget.limitNanos) + "): simplify it");
    }

    @Override
    public String toString() {
        return pattern.pattern();
    }

    /**
     * How long matching may take in all, for the expressions that share it. Thread-safe; it is spent,
     * never refilled: take a new one per request or command.
     */
    public static final class Budget {
        private final long limitNanos;
        private final AtomicLong spent = new AtomicLong();

        private Budget(long limitNanos) {
            this.limitNanos = limitNanos;
        }

        /** A budget of {@code limit} (more than zero, at most a day). */
        public static Budget of(Duration limit) {
            Objects.requireNonNull(limit, "limit");
            if (limit.isNegative() || limit.isZero() || limit.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("a matching budget of " + limit + " is not from 1 ns to 1 day");
            }
            return new Budget(limit.toNanos());
        }

        public Duration limit() {
            return Duration.ofNanos(limitNanos);
        }

        /** The time spent matching so far (the limit, or a little more, once exceeded). */
        public Duration spent() {
            return Duration.ofNanos(spent.get());
        }

        static String text(long nanos) {
            if (nanos % 1_000_000_000L == 0) {
                return nanos / 1_000_000_000L + " s";
            }
            if (nanos % 1_000_000L == 0) {
                return nanos / 1_000_000L + " ms";
            }
            return String.format(java.util.Locale.ROOT, "%.3f ms", nanos / 1e6);
        }

        @Override
        public String toString() {
            return "Budget[" + text(limitNanos) + ", spent " + spent.get() + " ns]";
        }
    }

    /** Thrown from inside the engine to stop it; no stack trace (it is caught right away). */
    private static final class OverBudget extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OverBudget() {
            super(null, null, false, false);
        }
    }

    /**
     * The name as the engine reads it: every {@link #CHECK_EVERY} characters read, the clock is checked
     * against the deadline. The engine reads the input only through {@code charAt} (and
     * {@code length}) while it searches, so a search cannot outrun the check by more than that many steps.
     */
    private static final class Metered implements CharSequence {
        private final CharSequence s;
        private final long deadline;
        private int countdown = CHECK_EVERY;

        Metered(CharSequence s, long deadline) {
            this.s = s;
            this.deadline = deadline;
        }

        @Override
        public char charAt(int index) {
            if (--countdown < 0) {
                countdown = CHECK_EVERY;
                if (System.nanoTime() - deadline > 0) {
                    throw new OverBudget();
                }
            }
            return s.charAt(index);
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return s.subSequence(start, end);
        }

        @Override
        public String toString() {
            return s.toString();
        }
    }
}
