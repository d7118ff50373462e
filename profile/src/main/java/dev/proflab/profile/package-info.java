/**
 * One in-memory profile model and its readers: {@link dev.proflab.profile.ProfileReader} reads JFR
 * recordings of async-profiler and of JDK Flight Recorder (any event: cpu, wall, alloc, live, lock,
 * cpu-time, native) and pprof profiles into a {@link dev.proflab.profile.Profile}.
 *
 * <p>JFR chunks are read from the file by position, not mapped, and checked ({@code JfrFile}): headers,
 * record sizes, the constant-pool chain. Constant pools are read straight into interned frames and stacks
 * ({@code JfrConstants}: half a million stack traces in a few hundred milliseconds, no object per
 * frame, each distinct stack held once however many chunks repeat it); events are decoded field by field
 * from each chunk's metadata ({@code JfrMetadata}), so each JFR event type stays apart and nothing is
 * allocated per event: what a report holds grows with the distinct stacks, not with the recording's length. The tests compare every
 * sample with async-profiler's own parser, {@code one.jfr.JfrReader}. pprof is decoded by hand
 * ({@code PprofReader}). Problems are {@link dev.proflab.profile.ProfileException}s with one-line
 * messages naming the file; damaged files never cause another exception or a hang (the tests
 * damage real files at random).
 *
 * <p>Also here: {@link dev.proflab.profile.ProfileMerge} (several profiles of one kind as one, as pprof merges
 * files), {@link dev.proflab.profile.TimelineReader} (what each thread did over time, a
 * {@link dev.proflab.profile.Timeline}, from a JFR recording's samples and JDK events; its constant pools read by
 * the same {@code JfrConstants}) and {@link dev.proflab.profile.ProfileKind}, the one vocabulary of kinds of
 * profile (cpu, heap, allocs, mutex, block, wall) that the {@code /debug/pprof} endpoints answer, the collector
 * writes folders of and the viewer reads them by, with the reader's events behind each.
 *
 * <p>This package and {@code report}, {@code export}, {@code history}, {@code io}, {@code text} and {@code net}
 * make the artifact {@code proflab-profile}, which needs Jackson (JSON) and async-profiler's converter (pprof's
 * protobuf writer, the HTML flame graph) and nothing else.
 */
package dev.proflab.profile;
