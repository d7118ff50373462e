/**
 * GC logs and the comparison of collectors.
 *
 * <ul>
 *   <li>Reading: {@link dev.proflab.gc.GcLogParser} reads a unified JVM GC log ({@code -Xlog:gc} or
 *       {@code -Xlog:gc*}, any collector) into a {@link dev.proflab.gc.GcLog};
 *       {@link dev.proflab.gc.GcLogSummary} gives its numbers (pause percentiles, throughput, allocation rate,
 *       peak heap) and {@link dev.proflab.gc.GcLogReport} renders them as text, Markdown or JSON.</li>
 *   <li>Comparing: {@link dev.proflab.gc.GcRunner} forks a caller's {@link dev.proflab.gc.GcRunner.Probe} under
 *       each {@link dev.proflab.gc.GcConfig} (a collector, heap sizes, any JVM options), interleaved, with the GC
 *       log on; {@link dev.proflab.gc.GcRow} holds the medians of a configuration's runs,
 *       {@link dev.proflab.gc.GcReport} the table and {@link dev.proflab.gc.GcCharts} the SVG charts.</li>
 * </ul>
 *
 * <p>Nothing here knows the labs: which program a run forks and what its workloads are called is the caller's
 * (the CLI's {@code proflab gc} forks the mem-hot lab's probe). Bad input is a
 * {@link dev.proflab.gc.GcCompareException} or a {@link dev.proflab.gc.GcLogException}, one line; parameters are
 * named as this package names them, for the caller to phrase.
 */
package dev.proflab.gc;
