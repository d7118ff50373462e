/**
 * {@code proflab fetch}: downloads a profile from a running service, checks that it is one, and only then writes
 * it ({@link dev.proflab.server.fetch.ProfileFetcher}).
 */
package dev.proflab.server.fetch;
