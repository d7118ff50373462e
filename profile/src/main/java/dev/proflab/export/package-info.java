/**
 * Exports of a {@link dev.proflab.profile.Profile} to the formats other tools read, each a pure
 * function from the model (and options) to the bytes of a file:
 *
 * <ul>
 *   <li>{@link dev.proflab.export.Pprof}: gzipped profile.proto for {@code go tool pprof}, Pyroscope,
 *       Parca; with Java source file names and line numbers, so {@code -list} shows source;
 *   <li>{@link dev.proflab.export.Collapsed}: Brendan Gregg's collapsed stacks;
 *   <li>{@link dev.proflab.export.HtmlFlameGraph}: async-profiler's interactive flame graph page;
 *   <li>{@link dev.proflab.export.SvgFlameGraph}: a static flame graph image for docs and tickets;
 *   <li>{@link dev.proflab.export.ExportFormat}: the formats by name, as {@code proflab convert --format}
 *       knows them; {@link dev.proflab.export.SampleIndex}: which value of a sample to show.
 * </ul>
 *
 * <pre>{@code
 * Profile p = ...;                                           // e.g. ProfileReader.read(...)
 * byte[] pb = Pprof.encode(p);                               // cpu.pb.gz
 * String svg = SvgFlameGraph.render(p, SampleIndex.resolve(p, null));
 * AtomicFiles.write(Path.of("cpu.svg"), out -> out.write(svg.getBytes(UTF_8)));
 * }</pre>
 */
package dev.proflab.export;
