/**
 * JMH benchmarks of the labs, one class per lab, each with an {@code impl} parameter whose values are the lab's
 * variants ("before", "after" and the others): {@code FibBench}, {@code AllocBench}, {@code MutexBench},
 * {@code ChallengeBench}, and {@code DeadCodeBench}, the pitfall of a dropped result. Packaged as
 * {@code bench/target/benchmarks.jar}, which {@code proflab compare}, {@code bench} and {@code profile --bench}
 * run, and which also runs as JMH's own command line.
 */
package dev.proflab.bench;
