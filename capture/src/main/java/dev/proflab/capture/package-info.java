/**
 * Capture: recording profiles of JVMs into one JFR file each.
 *
 * <p>{@link dev.proflab.capture.Capture} records one target — a program started for it (a lab workload or any
 * command), a running JVM by PID, or a JMH benchmark — with one {@link dev.proflab.capture.Engine}:
 * <ul>
 *   <li><b>async-profiler</b> ({@code tools.profiler:async-profiler}; the library is extracted from its jar by
 *       {@link dev.proflab.capture.AsyncProfilerLibrary}), as {@code -agentpath:...=start,...,jfr,file=...} at JVM
 *       start, through the Attach API for a PID, or through JMH's {@code -prof async};</li>
 *   <li><b>JDK Flight Recorder</b>, the fallback when async-profiler cannot load
 *       ({@link dev.proflab.capture.Engines#choose}): {@code -XX:StartFlightRecording} with the JDK's
 *       {@code default} settings plus the sampling asked for, the {@code FlightRecorderMXBean} for a PID, or
 *       JMH's {@code -prof jfr} with a generated {@code .jfc};</li>
 *   <li><b>jfr-cpu-time</b>: the same with CPU time sampled by {@code jdk.CPUTimeSample} (JEP 509, JDK 25+).</li>
 * </ul>
 *
 * <p>Events ({@link dev.proflab.capture.Event}): cpu, wall, alloc, lock, live, itimer, several at once where the
 * engine allows ({@link dev.proflab.capture.CaptureSettings#check}). Which JFR event types hold each one depends
 * on the engine and is written down in the sidecar:
 *
 * <table>
 *   <caption>JFR event types by engine</caption>
 *   <tr><th>event</th><th>async-profiler</th><th>jfr</th><th>jfr-cpu-time</th></tr>
 *   <tr><td>cpu, itimer</td><td>jdk.ExecutionSample</td><td>jdk.ExecutionSample</td><td>jdk.CPUTimeSample</td></tr>
 *   <tr><td>wall</td><td>profiler.WallClockSample</td><td>-</td><td>-</td></tr>
 *   <tr><td>alloc</td><td>jdk.ObjectAllocationInNewTLAB, jdk.ObjectAllocationOutsideTLAB</td>
 *       <td>jdk.ObjectAllocationSample</td><td>jdk.ObjectAllocationSample</td></tr>
 *   <tr><td>live</td><td>profiler.LiveObject</td><td>jdk.OldObjectSample</td><td>jdk.OldObjectSample</td></tr>
 *   <tr><td>lock</td><td>jdk.JavaMonitorEnter, jdk.ThreadPark</td><td>the same</td><td>the same</td></tr>
 * </table>
 *
 * <p>Output: one {@code .jfr} file, written under a hidden {@code .NAME.<random>.part} folder beside it and
 * renamed into place once checked ({@link dev.proflab.capture.RecordingCheck}), and beside it the sidecar
 * {@code NAME.jfr.json} ({@link dev.proflab.capture.Metadata}, format {@code proflab-capture/1}): engine and
 * version, events and their JFR types, interval/alloc/lock settings and the exact engine options, the target
 * (kind, name, PID, command), the target's JDK, start, end, seconds, requested seconds, whether Ctrl-C cut it
 * short, event counts, host and the proflab command line. One recording is always one JVM: recordings of
 * different JVMs must not be concatenated (JDK and async-profiler constant pool ids collide across them).
 *
 * <p>A JMH benchmark is any benchmarks jar's: this package knows JMH's command line, not the labs. The lock that
 * keeps two benchmark runs of a machine apart is the caller's ({@link dev.proflab.capture.Capture.RunLock}); a
 * message about a setting names it as this package does ({@code interval}, {@code allocBytes},
 * {@code lockThreshold}, {@code timeline}, {@code engine}, {@code event}), marked in
 * {@link dev.proflab.capture.CaptureException#phrase()} for the caller to name its own way.
 *
 * <p>Also here: {@link dev.proflab.capture.SelfCapture} (recording this JVM, one capture at a time, for in-process
 * endpoints such as {@code /debug/pprof}), {@link dev.proflab.capture.ContinuousRecording} (an always-on JFR
 * recording whose last minutes can be dumped), {@link dev.proflab.capture.Jvms} (is a PID a JVM, attach, JMX) and
 * {@link dev.proflab.capture.ThreadDump} / {@link dev.proflab.capture.ThreadSummary}, the thread dump summarised
 * like Go's goroutine dump.
 *
 * <p>The artifact {@code proflab-capture} needs async-profiler and {@code proflab-profile} (and Jackson, for the
 * sidecar).
 */
package dev.proflab.capture;
