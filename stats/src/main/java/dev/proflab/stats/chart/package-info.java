/**
 * Pictures of benchmark comparisons: {@link dev.proflab.stats.chart.ComparisonChart} draws a
 * {@link dev.proflab.stats.Comparison} as an SVG (every sample on a log axis, the median and its
 * confidence interval, the change from the baseline in words). {@code proflab compare} writes it
 * next to the table as {@code tmp/<lab>.svg}.
 *
 * <pre>{@code
 * Comparison c = Comparison.compute(inputs, options);
 * String svg = ComparisonChart.svg(c, ComparisonChart.Options.defaults().withTitle("compare fib"));
 * }</pre>
 */
package dev.proflab.stats.chart;
