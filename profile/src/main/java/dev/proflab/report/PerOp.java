package dev.proflab.report;

import dev.proflab.profile.Operations;
import dev.proflab.profile.Quantities;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Top} per operation: each function's flat and cum divided by the operations the recording covers
 * ({@link Operations}: JMH operations, requests, or a number given). With CPU or wall-clock time that is the
 * time per operation spent in the function (samples times the interval, or the CPU time the engine measured);
 * with allocations bytes or objects per operation; with locks the waiting per operation.
 *
 * <pre>{@code
 * PerOp.Result r = PerOp.of(Top.compute(profile, Selection.all(), 10, false), Operations.read(file));
 * r.rows().forEach(row -> System.out.println(PerOp.format(row.cumPerOp(), r.unit()) + "/op " + row.name()));
 * }</pre>
 *
 * <p>The values are the profile's, divided: everything the recording holds counts, including threads that are
 * not the operations' own (the JIT compiler, GC, a benchmark harness), so the total per operation is at least
 * what the operation itself costs; the functions of the operation read closest to a benchmark's own score.
 */
public final class PerOp {

    /**
     * One function.
     *
     * @param row its row of the top report (raw values, percentages)
     * @param flatPerOp flat over the operations
     * @param cumPerOp cum over the operations
     */
    public record Row(Top.Row row, double flatPerOp, double cumPerOp) {
    }

    /**
     * The report.
     *
     * @param top the top report the values come from
     * @param operations the count they are divided by
     * @param unit the unit of the values (e.g. {@code nanoseconds}, {@code bytes}, {@code count})
     * @param totalPerOp the profile's total over the operations
     * @param rows the rows of {@code top}, per operation
     */
    public record Result(Top.Result top, Operations operations, String unit, double totalPerOp, List<Row> rows) {
        public Result {
            rows = List.copyOf(rows);
        }

        /** {@code nanoseconds/op}, {@code bytes/request}. */
        public String perUnit() {
            return unit + "/" + operations.unit();
        }
    }

    private PerOp() {
    }

    /** The rows of {@code top}, per operation of {@code operations}. */
    public static Result of(Top.Result top, Operations operations) {
        if (operations == null) {
            throw new IllegalArgumentException("no operation count");
        }
        double n = operations.count();
        List<Row> rows = new ArrayList<>();
        for (Top.Row r : top.rows()) {
            rows.add(new Row(r, r.flat() / n, r.cum() / n));
        }
        return new Result(top, operations, top.header().type().unit(), top.header().total() / n, rows);
    }

    /**
     * A value per operation as people read it, in the profile's unit: {@code 37.12ms}, {@code 580ns},
     * {@code 0.58ns}, {@code 1.50kB}, {@code 12.5}; below one unit two significant digits.
     */
    public static String format(double v, String unit) {
        double a = Math.abs(v);
        if (v == 0) {
            return "0";
        }
        if (a >= 1) {
            return switch (unit) {
                case "nanoseconds" -> a >= 1e3 ? Quantities.nanos(Math.round(v)) : twoDecimals(v) + "ns";
                case "bytes" -> a >= 1024 ? Quantities.bytes(Math.round(v)) : twoDecimals(v) + "B";
                default -> twoDecimals(v);
            };
        }
        String s = (v < 0 ? "-" : "") + TextReport.twoDigits(a);
        return switch (unit) {
            case "nanoseconds" -> s + "ns";
            case "bytes" -> s + "B";
            default -> s;
        };
    }

    private static String twoDecimals(double v) {
        String s = String.format(Quantities.PLAIN, "%.2f", v);
        return s.endsWith(".00") ? s.substring(0, s.length() - 3) : s;
    }
}
