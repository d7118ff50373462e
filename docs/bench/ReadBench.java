import dev.proflab.profile.*;
import java.nio.file.Path;
import java.util.HashMap;
import one.jfr.JfrReader;
import one.jfr.event.*;

/**
 * ours|ap FILE [ITER]: read the main cpu/wall event of FILE ITER times; prints ms per read. "ours" is proflab's reader
 * (merged per stack and thread, as the reports read), "ap" async-profiler's JfrReader doing what its converter does
 * per sample (the event, then its (stack, thread) counted). Run with the CLI jar, which holds both:
 *
 *   J=$JAVA_HOME/bin; mkdir -p tmp/rb && $J/javac -d tmp/rb -cp cli/target/proflab.jar docs/bench/ReadBench.java
 *   $J/java -cp tmp/rb:cli/target/proflab.jar ReadBench ours tmp/big50.jfr 15
 *   $J/java -cp tmp/rb:cli/target/proflab.jar ReadBench ap tmp/big50.jfr 15
 */
public class ReadBench {
    public static void main(String[] a) throws Exception {
        String mode = a[0];
        Path f = Path.of(a[1]);
        int iter = a.length > 2 ? Integer.parseInt(a[2]) : 1;
        for (int it = 0; it < iter; it++) {
            long t0 = System.nanoTime();
            String r;
            if (mode.equals("ours")) {
                Profile p = ProfileReader.read(f, ReadOptions.defaults().withAggregate(true));
                r = p.sampleCount() + " rows, " + p.stackCount() + " stacks";
            } else {
                // what jfr-converter does per sample: the event, then its (stack, thread) counted
                HashMap<Long, long[]> agg = new HashMap<>();
                long n = 0;
                try (JfrReader jr = new JfrReader(f.toString())) {
                    for (Event e; (e = jr.readEvent(ExecutionSample.class)) != null; ) {
                        long key = (long) e.stackTraceId << 32 | e.tid;
                        agg.computeIfAbsent(key, k -> new long[1])[0] += e.samples();
                        n++;
                    }
                    r = n + " events, " + agg.size() + " (stack, thread) pairs, " + jr.stackTraces.size() + " stack traces";
                }
            }
            long t1 = System.nanoTime();
            System.out.printf("%s %s: %.0f ms (%s)%n", mode, f.getFileName(), (t1 - t0) / 1e6, r);
        }
    }
}
