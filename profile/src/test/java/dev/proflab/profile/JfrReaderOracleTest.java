package dev.proflab.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proflab.profile.fixture.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import one.jfr.ClassRef;
import one.jfr.JfrReader;
import one.jfr.MethodRef;
import one.jfr.StackTrace;
import one.jfr.event.AllocationSample;
import one.jfr.event.ContendedLock;
import one.jfr.event.Event;
import one.jfr.event.ExecutionSample;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reader against the reference: async-profiler's own parser ({@code one.jfr.JfrReader}) must see
 * the same samples (thread, stack of method:line frames, value) in every recording, of both engines.
 * This checks the constant pools ({@code JfrConstants}), the event decoding by metadata and the
 * values (samples, weights, durations).
 */
@Tag("slow")
class JfrReaderOracleTest {

    /** {@code thread|method:line;method:line;...} (leaf first) -> summed value, by the reference parser. */
    private static Map<String, Long> oracle(Path file, Class<? extends Event> type, Predicate<Event> keep,
                                           java.util.function.ToLongFunction<Event> value) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (JfrReader r = new JfrReader(file.toString())) {
            for (Event e; (e = r.readEvent(type)) != null; ) {
                if (!keep.test(e)) {
                    continue;
                }
                StringBuilder sb = new StringBuilder();
                String thread = r.threads.get(e.tid);
                sb.append(thread == null ? "[tid=" + e.tid + "]" : thread).append('|');
                StackTrace st = r.stackTraces.get(e.stackTraceId);
                if (st != null) {
                    for (int i = 0; i < st.methods.length; i++) {
                        MethodRef m = r.methods.get(st.methods[i]);
                        String name = m == null ? "[unknown]" : new String(r.symbols.get(m.name), StandardCharsets.UTF_8);
                        int line = st.locations[i] >>> 16;
                        sb.append(name).append(':').append(line == 0xffff ? 0 : line).append(';'); // -1: unknown
                    }
                }
                out.merge(sb.toString(), value.applyAsLong(e), Long::sum);
            }
        }
        return out;
    }

    private static Map<String, Long> ours(Path file, String event, String valueType) {
        Profile p = ProfileReader.read(file, event);
        int v = p.valueIndex(valueType);
        Map<String, Long> out = new TreeMap<>();
        for (int i = 0; i < p.sampleCount(); i++) {
            StringBuilder sb = new StringBuilder(p.threadName(p.threadOf(i))).append('|');
            for (int f : p.stack(p.stackOf(i))) {
                Frame fr = p.frame(f);
                sb.append(fr.method()).append(':').append(fr.line()).append(';');
            }
            out.merge(sb.toString(), p.value(i, v), Long::sum);
        }
        return out;
    }

    static List<Path> files(String name) {
        List<Path> l = new ArrayList<>();
        l.add(Fixtures.checkedIn(name + ".jfr"));
        l.add(Fixtures.fresh(name.substring(0, name.indexOf('-')), name.substring(name.indexOf('-') + 1)));
        return l;
    }

    @ParameterizedTest
    @CsvSource({"ap-cpu", "jfr-cpu"})
    void executionSamples(String name) throws IOException {
        for (Path f : files(name)) {
            Map<String, Long> expected = oracle(f, ExecutionSample.class,
                    e -> ((ExecutionSample) e).threadState != ExecutionSample.CPU_TIME_SAMPLE, e -> e.samples());
            assertThat(expected).isNotEmpty();
            assertThat(ours(f, "cpu", "samples")).as(f.toString()).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @CsvSource({"jfr-cpu"})
    void cpuTimeSamples(String name) throws IOException {
        for (Path f : files(name)) {
            Map<String, Long> expected = oracle(f, ExecutionSample.class,
                    e -> ((ExecutionSample) e).threadState == ExecutionSample.CPU_TIME_SAMPLE, e -> 1);
            assertThat(expected).isNotEmpty();
            assertThat(ours(f, "cpu-time", "samples")).as(f.toString()).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @CsvSource({"ap-alloc", "jfr-alloc"})
    void allocationWeights(String name) throws IOException {
        for (Path f : files(name)) {
            // the converter's weight: the TLAB size for in-TLAB events, else the size (for JFR's samples: the weight)
            Map<String, Long> expected = oracle(f, AllocationSample.class, e -> true, Event::value);
            assertThat(expected).isNotEmpty();
            assertThat(ours(f, "alloc", "alloc_space")).as(f.toString()).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @CsvSource({"ap-lock", "jfr-lock"})
    void lockDurations(String name) throws IOException {
        for (Path f : files(name)) {
            double nanosPerTick;
            try (JfrReader r = new JfrReader(f.toString())) {
                nanosPerTick = 1e9 / r.ticksPerSec;
            }
            Map<String, Long> expected = oracle(f, ContendedLock.class, e -> true, e -> (long) (e.value() * nanosPerTick));
            assertThat(expected).isNotEmpty();
            assertThat(ours(f, "lock", "delay")).as(f.toString()).isEqualTo(expected);
            assertThat(ours(f, "lock", "contentions").values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(oracle(f, ContendedLock.class, e -> true, e -> 1).values().stream().mapToLong(Long::longValue).sum());
        }
    }

    @ParameterizedTest
    @CsvSource({"ap-lock"})
    void wallClockSamples(String name) throws IOException {
        for (Path f : files(name)) {
            Map<String, Long> expected = oracle(f, ExecutionSample.class, e -> true, e -> e.samples());
            assertThat(expected).isNotEmpty();
            assertThat(ours(f, "wall", "samples")).as(f.toString()).isEqualTo(expected);
        }
    }

    /** Class names (alloc, lock) as the reference resolves them. */
    @ParameterizedTest
    @CsvSource({"ap-lock", "jfr-lock"})
    void monitorClasses(String name) throws IOException {
        Path f = Fixtures.checkedIn(name + ".jfr");
        Map<String, Long> expected = new TreeMap<>();
        try (JfrReader r = new JfrReader(f.toString())) {
            for (ContendedLock e; (e = r.readEvent(ContendedLock.class)) != null; ) {
                ClassRef c = r.classes.get(e.classId);
                expected.merge(new String(r.symbols.get(c.name), StandardCharsets.UTF_8).replace('/', '.'), 1L, Long::sum);
            }
        }
        Profile p = ProfileReader.read(f, ReadOptions.defaults().withEvent("lock").withClassFrames(true));
        Map<String, Long> ours = new TreeMap<>();
        for (int i = 0; i < p.sampleCount(); i++) {
            ours.merge(p.frame(p.stack(p.stackOf(i))[0]).name(), p.value(i, 0), Long::sum);
        }
        assertThat(ours).isEqualTo(expected);
    }
}
