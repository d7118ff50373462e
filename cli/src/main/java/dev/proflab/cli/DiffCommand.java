package dev.proflab.cli;

import dev.proflab.profile.Operations;
import dev.proflab.profile.Profile;
import dev.proflab.report.ChangeTest;
import dev.proflab.report.Diff;
import dev.proflab.report.DiffGate;
import dev.proflab.report.Regex;
import dev.proflab.report.ReportException;
import dev.proflab.report.JsonReport;
import dev.proflab.report.ReportFormat;
import dev.proflab.report.TextReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code proflab diff BASE NEW}: what changed between two profiles, and whether it is more than noise. */
@Command(name = "diff", addMethodSubcommands = false,
        description = {"What changed between two profiles of the same program, and whether it is noise.",
                "Function by function, like pprof's -diff_base top: each side's flat and cum",
                "as a share of its own total (--normalize duration: per second; ops: per",
                "operation, from FILE.ops.json or --ops-base/--ops), the change",
                "(new - base), and a q-value from a test against the differences between",
                "runs; * marks a change beyond them at a 5%% false discovery rate. A claim",
                "needs 3 recordings a side (BASE and NEW take a,b,c or a folder); with fewer",
                "the report says so. The filters apply to both sides; tree, peek, traces,",
                "list, top and convert take --base too.",
                "With --max-growth or --budget, a regression gate: exit 1 when a function's",
                "share grew significantly by more than its limit in percentage points, else 0."},
        footer = {"", "Examples:",
                "  proflab diff before.jfr after.jfr",
                "  proflab diff --hide '^java\\.' -n 20 before.jfr after.jfr",
                "  proflab diff --normalize duration --format json before.jfr after.jfr",
                "  proflab diff --normalize ops before.jfr after.jfr  # per op: FILE.ops.json",
                "  proflab diff before1.jfr,before2.jfr,before3.jfr after/   # 3+ runs a side: a claim",
                "  proflab tree --base before.jfr after.jfr      # the change along the call tree",
                "  proflab diff base/ new/ --max-growth 'OrderService\\.=2pp'  # a gate for CI",
                "",
                "A budget file (--budget) has a rule a line, 'REGEX LIMIT', and # comments;",
                "the first rule whose REGEX occurs in a function's name (as the report prints",
                "it) gives its limit, and 'none' exempts it (--max-growth rules come first):",
                "  Workload\\.checksum   0.5pp",
                "  ^java\\.              none",
                "  OrderService\\.       2pp",
                "The gate needs 3+ recordings a side; a rule that finds no function is an",
                "error (exit 2). Profiles as a gate in CI: docs/ci.md"})
final class DiffCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "BASE",
            description = "The profile to compare with (before); several recordings as a,b,c or a folder")
    String base;

    @Parameters(index = "1", paramLabel = "NEW", description = "The profile to compare (after); the same")
    String file;

    @Option(names = "-n", paramLabel = "N", defaultValue = "20",
            description = "Functions to show (the largest changes of flat first), 0 for all (default: ${DEFAULT-VALUE})")
    int n;

    @Mixin
    ReportOptions options;

    @Option(names = "--max-growth", paramLabel = "REGEX=LIMIT",
            description = {"Regression gate: exit 1 when a function whose name REGEX finds grew its share of the"
                    + " total significantly (the diff's test) by more than LIMIT percentage points: 2pp, 0.5pp; 0pp"
                    + " fails any significant growth. Repeatable; the first rule that finds a function wins."
                    + " Needs 3+ recordings a side."})
    List<String> maxGrowth = new ArrayList<>();

    @Option(names = "--budget", paramLabel = "FILE",
            description = "Regression gate with a limit per function: lines 'REGEX LIMIT' (LIMIT such as 2pp, or"
                    + " 'none'); tried after --max-growth, the first that finds a function wins")
    Path budget;

    @Option(names = "--gate-on", paramLabel = "SHARE",
            description = "The share the gate reads: cum (the function and all below it) or flat (the function"
                    + " itself) (default: cum)")
    String gateOn;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (options.select.base != null) {
            throw new UsageException("--base: BASE is the first argument of diff");
        }
        List<DiffGate.Rule> rules = rules(maxGrowth, budget);
        if (rules.isEmpty()) {
            if (gateOn != null) {
                throw new UsageException("--gate-on: only with a gate (--max-growth or --budget)");
            }
            return print(options, base, file, n, spec.commandLine().getOut());
        }
        DiffGate.Measure on;
        try {
            on = gateOn == null ? DiffGate.Measure.CUM : DiffGate.Measure.parse(gateOn);
        } catch (ReportException e) {
            throw new UsageException("--gate-on: '" + gateOn + "' is not cum or flat");
        }
        if (options.select.normalization() != Diff.Normalize.TOTAL) {
            throw new UsageException("--normalize " + options.select.normalization().label() + ": the gate's limits are percentage points of each side's"
                    + " total; leave --normalize out (total)");
        }
        List<Path> bases = SelectionOptions.files("BASE", base);
        List<Path> news = SelectionOptions.files("NEW", file);
        int fewest = Math.min(bases.size(), news.size());
        if (fewest < ChangeTest.MIN_RECORDINGS) {
            throw new UsageException(gateOption() + ": the gate needs at least " + ChangeTest.MIN_RECORDINGS
                    + " recordings per side (separate runs, as a,b,c or a folder) to call a growth significant; "
                    + (bases.size() < ChangeTest.MIN_RECORDINGS ? "BASE has " + bases.size() : "NEW has " + news.size()));
        }
        List<Profile> b = options.select.loadAll(bases);
        List<Profile> p = options.select.loadAll(news);
        Diff.Result r = Diff.compute(b, p, options.selection(), Diff.Normalize.TOTAL, 0);
        DiffGate.Result gate = DiffGate.check(r, rules, on);
        PrintWriter out = spec.commandLine().getOut();
        if (options.format == ReportFormat.JSON) {
            out.print(JsonReport.diff(r, n, gate));
        } else {
            out.print(TextReport.diff(r, n));
            out.print('\n');
            out.print(TextReport.diffGate(gate));
        }
        out.flush();
        if (!gate.judged()) {
            throw new UsageException(gateOption() + ": the gate cannot judge: " + gate.limitation());
        }
        if (gate.failed()) {
            throw new CheckFailedException(failures(gate));
        }
        return 0;
    }

    private String gateOption() {
        return maxGrowth.isEmpty() ? "--budget" : "--max-growth";
    }

    /** The gate's rules: --max-growth in order, then the budget file's lines; empty when neither is given. */
    static List<DiffGate.Rule> rules(List<String> maxGrowth, Path budget) {
        Regex.Budget time = Regex.Budget.of(Regex.DEFAULT_BUDGET);
        List<DiffGate.Rule> rules = new ArrayList<>();
        for (String rule : maxGrowth) {
            int eq = rule.lastIndexOf('=');
            if (eq <= 0) {
                throw new UsageException("--max-growth: '" + rule + "' is not REGEX=LIMIT (e.g. 'OrderService\\.=2pp')");
            }
            String limit = rule.substring(eq + 1);
            double points = DiffGate.Limit.points(limit);
            if (Double.isNaN(points)) {
                throw new UsageException("--max-growth: '" + limit + "' is not a limit in percentage points: write it"
                        + " as 2pp, 0.5pp or 0pp (points of each side's total, from 0 to 100)");
            }
            rules.add(new DiffGate.Rule(Regex.compile("--max-growth", rule.substring(0, eq), time),
                    DiffGate.Limit.of(points, "--max-growth")));
        }
        if (budget != null) {
            for (BudgetFile.Line line : BudgetFile.read(budget, "percentage points such as 2pp, or 'none'")) {
                DiffGate.Limit limit = null;
                if (!line.limit().equals("none")) {
                    double points = DiffGate.Limit.points(line.limit());
                    if (Double.isNaN(points)) {
                        throw new UsageException(line.where() + ": '" + line.limit() + "' is not a limit in percentage"
                                + " points or 'none': write it as 2pp, 0.5pp or 0pp (comments take a whole line,"
                                + " starting with #)");
                    }
                    limit = DiffGate.Limit.of(points, line.where());
                }
                rules.add(new DiffGate.Rule(Regex.compile(line.where(), line.regex(), time), limit));
            }
        }
        return rules;
    }

    /** The failures in one line, the first five: the message of exit code 1. */
    static String failures(DiffGate.Result gate) {
        List<DiffGate.Check> fs = gate.failures();
        StringBuilder sb = new StringBuilder("profile gate failed: ").append(fs.size())
                .append(fs.size() == 1 ? " function's " : " functions' ").append(gate.on().label())
                .append(" share grew significantly beyond the limit: ");
        int shown = Math.min(5, fs.size());
        for (int i = 0; i < shown; i++) {
            DiffGate.Check c = fs.get(i);
            sb.append(i == 0 ? "" : ", ").append(c.row().name())
                    .append(String.format(Locale.ROOT, " %+.2fpp (limit %s)", c.growth(), c.limit().label()));
        }
        if (fs.size() > shown) {
            sb.append(" and ").append(fs.size() - shown).append(" more");
        }
        return sb.toString();
    }

    /** Prints the comparison of {@code file} with {@code base} under {@code options}. */
    static int print(ReportOptions options, String base, String file, int n, PrintWriter out) {
        options.select.checkOps();
        List<Path> baseFiles = SelectionOptions.files("BASE", base);
        List<Path> newFiles = SelectionOptions.files("NEW", file);
        Diff.Normalize how = options.select.normalization();
        // the counts first: a missing one is said before any recording is read
        Operations bo = how == Diff.Normalize.OPS ? options.select.baseOperations("BASE", baseFiles) : null;
        Operations no = how == Diff.Normalize.OPS ? options.select.operations("NEW", newFiles) : null;
        List<Profile> b = options.select.loadAll(baseFiles);
        List<Profile> p = options.select.loadAll(newFiles);
        Diff.Result r = Diff.compute(b, p, options.selection(), how, 0, bo, no);
        out.print(options.format == ReportFormat.JSON ? JsonReport.diff(r, n) : TextReport.diff(r, n));
        out.flush();
        return 0;
    }
}
