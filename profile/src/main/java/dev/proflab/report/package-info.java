/**
 * Reports over a {@link dev.proflab.profile.Profile}, as pprof's: pure functions from a profile and a
 * {@link dev.proflab.report.Selection} to rows; {@link dev.proflab.report.TextReport} and
 * {@link dev.proflab.report.JsonReport} render them, and so do the exports ({@code dev.proflab.export})
 * and the viewer's JSON.
 *
 * <p>One pipeline: profile + selection &rarr; one {@link dev.proflab.report.CallIndex} (the call tree
 * of the selected samples, with one definition of total, flat, cum, self and samples, built once and
 * kept in the bounded {@link dev.proflab.report.ProfileCache} with the per-profile path index it reads)
 * &rarr; every report below &rarr; renderers.
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
 *   <li>{@link dev.proflab.report.Traces}: the distinct stacks, heaviest first ({@code traces});
 *   <li>{@link dev.proflab.report.Flame}: the call tree as flame graphs draw it (SVG, HTML, collapsed,
 *       the page);
 *   <li>{@link dev.proflab.report.Diff}: two profiles through one selection, merged, with a test of
 *       each change;
 *   <li>{@link dev.proflab.report.Sandwich}: one function's callers and callees as two trees rooted at it
 *       (the page's sandwich), or as two profiles to compare;
 *   <li>{@link dev.proflab.report.Inverted}: the profile bottom-up, each stack turned over ({@code tree --inverted});
 *   <li>{@link dev.proflab.report.Selected}: the selected samples as a profile (pprof export).
 * </ul>
 *
 * <p>Filters follow pprof: percentages are of the total before {@code focus}/{@code ignore}/
 * {@code hide}/{@code thread} (the time range defines the total); a regular expression that matches
 * nothing is a {@link dev.proflab.report.ReportException}, not an empty report.
 */
package dev.proflab.report;
