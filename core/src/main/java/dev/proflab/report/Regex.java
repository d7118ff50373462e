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
        try {
            return new Regex(option, Pattern.compile(regex), budget);
        } catch (PatternSyntaxException e) {
            throw new ReportException(option + ": '" + regex + "' is not a valid regular expression: "
                    + e.getDescription());
        } catch (StackOverflowError e) {
            // the parser recurses per nesting level: ((((...)))) thousands deep
            throw new ReportException(option + ": the regular expression is nested too deeply: simplify it");
        }
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
