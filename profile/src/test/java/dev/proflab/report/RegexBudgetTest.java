package dev.proflab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Regular expressions that backtrack catastrophically on the JDK's engine (a backreference defeats its
 * memoisation: {@code ((.+)+)\2Z} takes ~0.1 s on an 18-character name, doubling every two characters,
 * minutes on a 40-character one) are stopped by the matching budget, with a one-line
 * {@link ReportException} naming the option, within about the budget whatever the number of names.
 * The bounds on time are generous (the unprotected code runs for hours on these inputs).
 */
@Tag("slow")
class RegexBudgetTest {

    /** Explodes on the JDK's engine (measured: JDK 21 and 25). */
    static final String CATASTROPHIC = "((.+)+)\\2Z";

    /** {@code names} distinct functions of {@code length} characters, one sample each, on thread "worker-N". */
    static Profile profile(int names, int length) {
        Profile.Builder b = new Profile.Builder(new Profile.Meta("jfr", "cpu", 1_000_000, null, null, "", "", "x.jfr"),
                List.of(new ValueType("samples", "count"), new ValueType("cpu", "nanoseconds")));
        int main = b.frame(new Frame("p.Main", "main", "()V", 1, Frame.Kind.JIT));
        for (int i = 0; i < names; i++) {
            String cls = "gen.W" + i;
            String method = "m" + "x".repeat(Math.max(1, length - cls.length() - 2));
            int f = b.frame(new Frame(cls, method, "()V", 1, Frame.Kind.JIT));
            b.sample(b.stack(new int[] {f, main}), b.thread("worker-" + (i % 8)), i * 1_000_000L, 1, 1_000_000);
        }
        return b.build();
    }

    @Test
    void aCatastrophicFocusStopsWithinTheBudgetNamingTheOption() {
        Profile p = profile(10_000, 40);
        long t0 = System.nanoTime();
        Selection s = Selection.all().withFocus(CATASTROPHIC);
        assertThatThrownBy(() -> Top.compute(p, s, 0, false))
                .isInstanceOf(ReportException.class)
                .hasMessage("focus: the regular expression takes too long to match (over 1 s): simplify it");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        assertThat(s.budget().spent()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theBudgetIsATotalOverEveryName() {
        // ~0.1 s per name, 2,000 names: over 3 minutes unless the time is summed over the names
        Profile p = profile(2_000, 18);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Top.compute(p, Selection.all().withHide(CATASTROPHIC), 0, false))
                .isInstanceOf(ReportException.class)
                .hasMessage("hide: the regular expression takes too long to match (over 1 s): simplify it");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void theFiltersOfASelectionShareItsBudget() {
        Selection s = Selection.all().withMatchBudget(Duration.ofMillis(200))
                .withIgnore("zzz").withThread(CATASTROPHIC).withFocus(Regex.compile("focus", "x"));
        assertThat(List.of(s.focus(), s.ignore(), s.thread())).allMatch(r -> r.budget() == s.budget());
        assertThatThrownBy(() -> s.thread().find("a-thread-name-of-forty-characters-long-x"))
                .hasMessage("thread: the regular expression takes too long to match (over 200 ms): simplify it");
        // spent: even a trivial match of another filter now fails at once
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> s.focus().find("x"))
                .hasMessage("focus: the regular expression takes too long to match (over 200 ms): simplify it");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        // a new selection has a new budget
        assertThat(Selection.all().withFocus("x").focus().find("x")).isTrue();
    }

    @Test
    void theReportsOwnExpressionsSpendFromTheSelectionsBudget() {
        Profile p = profile(500, 40);
        Selection s = Selection.all().withMatchBudget(Duration.ofMillis(300));
        assertThatThrownBy(() -> Peek.compute(p, s, CATASTROPHIC, 0, false))
                .hasMessage("peek: the regular expression takes too long to match (over 300 ms): simplify it");
        Selection s2 = Selection.all().withMatchBudget(Duration.ofMillis(300));
        assertThatThrownBy(() -> Lines.compute(p, s2, CATASTROPHIC, List.of()))
                .hasMessage("list: the regular expression takes too long to match (over 300 ms): simplify it");
    }

    @Test
    void aDiffStopsWithinTheBudgetOfBothSides() {
        Profile p = profile(1_000, 40);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Diff.compute(p, p, Selection.all().withFocus(CATASTROPHIC), Diff.Normalize.TOTAL, 0))
                .isInstanceOf(ReportException.class)
                .hasMessage("focus: the regular expression takes too long to match (over 1 s): simplify it");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void aTimelineThreadFilterStops() {
        Regex thread = Regex.compile("--thread", "(.*?){20}Z", Regex.Budget.of(Duration.ofMillis(100)));
        assertThatThrownBy(() -> thread.find("proflab-worker-thread-number-000000042"))
                .isInstanceOf(ReportException.class)
                .hasMessage("--thread: the regular expression takes too long to match (over 100 ms): simplify it");
    }

    @Test
    void ordinaryExpressionsMatchAsBeforeAndSpendLittle() {
        Profile p = profile(10_000, 40);
        Selection s = Selection.all().withFocus("gen\\.W(12|345)\\.");
        Top.Result r = Top.compute(p, s, 0, false);
        assertThat(r.rows()).extracting(Top.Row::name).contains("p.Main.main")
                .anyMatch(n -> n.startsWith("gen.W12.")).anyMatch(n -> n.startsWith("gen.W345."))
                .hasSize(3);
        assertThat(s.budget().spent()).isLessThan(Duration.ofMillis(500));
        assertThat(Regex.compile("x", "a.c").find("xxabcxx")).isTrue();
        assertThat(Regex.compile("x", "^a.c$").find("xxabcxx")).isFalse();
        assertThat(Regex.compile("x", null)).isNull();
    }

    @Test
    void aNameTooLongForTheEnginesStackIsAReportException() {
        // (a|b)* recurses once per character on the JDK's engine
        Regex r = Regex.compile("--focus", "(a|b)*c");
        assertThatThrownBy(() -> r.find("ab".repeat(500_000)))
                .isInstanceOf(ReportException.class)
                .hasMessage("--focus: the regular expression is too complex for a name of 1000000 characters: simplify it");
    }

    @Test
    void anInvalidExpressionIsStillASyntaxError() {
        assertThatThrownBy(() -> Selection.all().withFocus("("))
                .isInstanceOf(ReportException.class)
                .hasMessageStartingWith("focus: '(' is not a valid regular expression: ");
        assertThatThrownBy(() -> Regex.Budget.of(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCountThatRepeatsAnEmptyMatchIsBoundedBeforeMatching() {
        // the engine repeats (?=) as often as the count says without reading the name: no deadline on reads
        // could stop it, so counts are bounded as RE2's are (the pattern's size with repetitions expanded)
        for (String re : List.of("(?=){999999999}Z", "(?:()){999999999}Z", "(?:(?:){1000}){1000}Z", "a{10001}")) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Selection.all().withFocus(re))
                    .isInstanceOf(ReportException.class)
                    .hasMessageStartingWith("focus: the regular expression is too large with its repetitions expanded (")
                    .hasMessageEndingWith(" items, at most 10000): simplify it");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        }
        // the largest allowed, on long names, stays within about the budget
        Regex r = Regex.compile("--focus", "(?:(?=)(?=)(?=)(?=)(?=)(?=)(?=)(?=)(?=)(?=)){999}Z",
                Regex.Budget.of(Duration.ofMillis(200)));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100_000; i++) {
                r.find("gen.W" + i + ".m" + "x".repeat(200));
            }
        }).hasMessage("--focus: the regular expression takes too long to match (over 200 ms): simplify it");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void theSizeOfAPatternCountsItsExpandedRepetitions() {
        assertThat(Regex.size("abc")).isEqualTo(3);
        assertThat(Regex.size("a{3}")).isEqualTo(3);
        assertThat(Regex.size("(ab){1000}")).isEqualTo(2000);
        assertThat(Regex.size("(?:a{10}b){10}")).isEqualTo(110);
        assertThat(Regex.size("x{2,5}y{4,}")).isEqualTo(9);
        assertThat(Regex.size("[a{9999}]\\p{L}{2}\\Q{9999}\\E")).isEqualTo(1 + 2 + 6);
        assertThat(Regex.size("((.+)+)\\2Z")).isLessThan(10);
        assertThat(Regex.size("(?=){999999999}Z")).isGreaterThan(999_999_999L);
        assertThat(Regex.size("((((a{1000}){1000}){1000}){1000}){1000}")).isGreaterThan(1_000_000_000_000L - 1);
        // an exact function name, as the viewer asks for one (4096 characters at most)
        assertThat(Regex.size("^\\Q" + "a".repeat(4096) + "\\E$")).isLessThanOrEqualTo(Regex.MAX_SIZE);
    }

    @Test
    void theSizeOfAnyValidPatternIsComputed() {
        // random patterns over the characters with a meaning: whatever compiles is sized without error
        java.util.Random random = new java.util.Random(42);
        String alphabet = "()[]{}\\?*+|:=!<>^$.aQEpPkx0123,-&L#";
        int valid = 0;
        for (int t = 0; t < 200_000; t++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(14); k >= 0; k--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String re = b.toString();
            try {
                java.util.regex.Pattern.compile(re);
            } catch (java.util.regex.PatternSyntaxException e) {
                continue;
            }
            valid++;
            assertThat(Regex.size(re)).as(re).isNotNegative();
        }
        assertThat(valid).isGreaterThan(1000);
    }
}
