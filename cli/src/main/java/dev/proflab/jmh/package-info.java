/**
 * What the lab runner knows of JMH and of the labs' benchmarks: {@link dev.proflab.jmh.Lab} (the labs that
 * {@code proflab compare} knows: benchmark, variants and their roles), {@link dev.proflab.jmh.InterleavedRun} (the
 * variants' forks in interleaved rounds, merged into one JMH JSON file) and {@link dev.proflab.jmh.JmhLock} (JMH's
 * machine-wide lock, taken by every JMH run proflab starts so that a second one waits instead of failing).
 *
 * <p>Part of the command line, not of the libraries: the statistics ({@code dev.proflab.stats}) read any JMH
 * JSON, and a capture of a benchmark ({@code dev.proflab.capture.Capture.Bench}) takes the lock as a parameter.
 */
package dev.proflab.jmh;
