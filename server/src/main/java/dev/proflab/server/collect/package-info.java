/**
 * {@code proflab collect}: continuous profiling of a running service, Step 8 of the guide. Every interval a
 * {@link dev.proflab.server.collect.Collector} fetches a CPU window, a heap snapshot and optionally allocation,
 * lock and wall windows from the service's {@code /debug/pprof} endpoints (through
 * {@link dev.proflab.server.fetch.ProfileFetcher}, which checks that each answer is a profile, and
 * {@link dev.proflab.server.collect.AnswerCheck}, that it is of the kind asked for), saves them as
 * {@code <out>/<kind>/<kind>_<yyyyMMdd-HHmmss>.<ext>} (written as {@code .NAME.tmp} and renamed), keeps the folder
 * within a count and a byte quota ({@link dev.proflab.server.collect.Retention}), and can push each window to
 * Grafana Pyroscope ({@link dev.proflab.server.collect.PyroscopeUploader}). The kinds, their endpoints, folders and
 * whether each is a window or a snapshot are the profile library's ({@link dev.proflab.profile.ProfileKind}), the
 * same names the viewer reads the folder by.
 */
package dev.proflab.server.collect;
