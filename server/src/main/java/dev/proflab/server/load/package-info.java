/**
 * {@code proflab load}: a small HTTP load generator, closed loop or fixed rate (coordinated omission corrected),
 * with HdrHistogram latency percentiles ({@link dev.proflab.server.load.LoadGenerator}).
 */
package dev.proflab.server.load;
