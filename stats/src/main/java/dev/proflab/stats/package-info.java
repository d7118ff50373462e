/**
 * benchstat for JMH: reads JMH {@code -rf json} result files and compares them with benchstat's
 * statistics (golang.org/x/perf {@code benchmath}, {@code benchstat}).
 *
 * <pre>{@code
 * Comparison c = Comparison.compute(
 *         List.of(StatInput.of(Path.of("old.json")), StatInput.of(Path.of("new.json"))),
 *         StatOptions.defaults());                  // alpha 0.05, 95% intervals
 * String table = StatFormat.TEXT.render(c);        // or MARKDOWN, CSV, JSON
 * c.warnings().forEach(w -> System.err.println(w));
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.proflab.stats.StatInput}, {@link dev.proflab.stats.StatOptions}: what to compare
 *       and how ({@code colParam} turns a JMH {@code @Param} into the columns, like
 *       {@code benchstat -col /impl});
 *   <li>{@link dev.proflab.stats.Comparison}: the model: tables per metric, rows, cells, geomeans,
 *       warnings;
 *   <li>{@link dev.proflab.stats.StatFormat}: pure renderers from the model to a string;
 *   <li>{@link dev.proflab.stats.Verdicts}, {@link dev.proflab.stats.Gate}: what the comparison supports
 *       saying per cell, and a regression gate for CI on top (which rows got significantly worse by more
 *       than their limit);
 *   <li>{@link dev.proflab.stats.StatException}: bad input, always a one-line message naming the
 *       file.
 * </ul>
 *
 * <p>Statistics, as benchstat: center = median; interval = the distribution-free order-statistic
 * interval of the median ({@code MedianCI}); comparison = two-sided Mann-Whitney U test
 * ({@code MannWhitney}) with a significance level alpha; a geomean row per table. Beyond benchstat
 * the comparison warns about fork effects ({@code ForkCheck}) and says when the samples are too
 * few for an interval or for significance.
 *
 * <p>Any JMH results: nothing here knows the labs' benchmarks. With {@code stats.chart} this is the artifact
 * {@code proflab-stats}, which needs Apache Commons Statistics, Jackson's streaming parser and the profile
 * library's {@code io} and {@code text}.
 */
package dev.proflab.stats;
