/**
 * Reports over a {@link dev.proflab.profile.Profile}, as pprof's: pure functions from a profile and a
 * {@link dev.proflab.report.Selection} to rows; {@link dev.proflab.report.TextReport} and
 * {@link dev.proflab.report.JsonReport} render them.
 *
 * <pre>{@code
 * Profile p = ProfileReader.read(Path.of("cpu.jfr"), ReadOptions.defaults().withAggregate(true));
 * Selection s = Selection.all().withFocus("Fib").withHide("^java\\.");
 * System.out.print(TextReport.top(Top.compute(p, s, 10, false)));
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.proflab.report.Top}: flat and cum per function ({@code top});
 *   <li>{@link dev.proflab.report.Lines}: per source line of matching functions ({@code list});
 *   <li>{@link dev.proflab.report.Peek}: callers and callees of matching functions ({@code peek});
 *   <li>{@link dev.proflab.report.Tree}: the call tree, top down, with cum and self;
 *   <li>{@link dev.proflab.report.Traces}: the distinct stacks, heaviest first ({@code traces}).
 * </ul>
 *
 * <p>Filters follow pprof: percentages are of the total before {@code focus}/{@code ignore}/
 * {@code hide}/{@code thread} (the time range defines the total); a regular expression that matches
 * nothing is a {@link dev.proflab.report.ReportException}, not an empty report.
 */
package dev.proflab.report;
