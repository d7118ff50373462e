package dev.proflab.profile;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scalar fields of a few event types of a JFR recording, read as {@link JfrProfileReader} reads events (field by
 * field from each chunk's metadata) but without its constant pools: no stack trace, thread or class is resolved, so a
 * recording of a million stacks costs what its records do. What rules need beside the samples: the JVM's CPU load,
 * the machine's CPU count, each garbage collection's pauses, how many events of a type there are.
 *
 * <pre>{@code
 * JfrEvents e = JfrEvents.read(Path.of("cpu.jfr"), Set.of("jdk.CPULoad"), 10_000);
 * for (JfrEvents.Event x : e.events()) { double jvm = x.number("jvmUser") + x.number("jvmSystem"); }
 * }</pre>
 *
 * <p>Integers, booleans and constant-pool references are {@code Long}, floating point {@code Double}, strings
 * {@code String}; arrays and structs are left out. A field whose value is a time span in the chunk's ticks
 * ({@code jdk.GarbageCollection}'s {@code sumOfPauses}, an event's {@code duration}) is converted to nanoseconds by
 * {@link Event#nanos}.
 */
public final class JfrEvents {

    /**
     * One event.
     *
     * @param type       its type's name
     * @param startNanos when it started, nanoseconds since the epoch
     * @param fields     its scalar fields by name, {@code startTime} and {@code duration} as recorded (ticks)
     */
    public record Event(String type, long startNanos, Map<String, Object> fields, double nanosPerTick) {

        /** A numeric field, or 0 when it is missing or not a number. */
        public double number(String field) {
            return fields.get(field) instanceof Number n ? n.doubleValue() : 0;
        }

        /** A field that counts the chunk's ticks, in nanoseconds (0 when missing). */
        public long nanos(String field) {
            return fields.get(field) instanceof Long l ? (long) (l * nanosPerTick) : 0;
        }
    }

    /**
     * What {@link #read} found.
     *
     * @param events the events of the types asked for, in file order, at most the {@code max} given
     * @param counts how many events of each type asked for the recording holds (also beyond {@code max})
     */
    public record Result(List<Event> events, Map<String, Long> counts) {
    }

    private JfrEvents() {
    }

    /**
     * Reads the events of {@code types} from the JFR recording {@code path}, at most {@code max} of them.
     *
     * @throws ProfileException when it cannot be read (one line)
     */
    public static Result read(Path path, Set<String> types, int max) {
        return read(path, types, Set.of(), max);
    }

    /** As {@link #read(Path, Set, int)}, and how many events of {@code countOnly} there are, none of them read. */
    public static Result read(Path path, Set<String> types, Set<String> countOnly, int max) {
        List<Event> out = new ArrayList<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String t : types) {
            counts.put(t, 0L);
        }
        for (String t : countOnly) {
            counts.put(t, 0L);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ProfileException(path, "no such file");
        } catch (AccessDeniedException e) {
            throw new ProfileException(path, "permission denied");
        } catch (IOException e) {
            throw new ProfileException(path, "cannot read it: " + e.getMessage());
        }
        try (JfrFile file = JfrFile.open(path, ch)) {
            for (JfrFile.Chunk chunk : file.chunks) {
                Map<Integer, JfrMetadata.Type> wanted = new HashMap<>();
                for (String t : types) {
                    JfrMetadata.Type type = chunk.meta.type(t);
                    if (type != null && chunk.count(type.id) > 0) {
                        wanted.put((int) type.id, type);
                        counts.merge(t, chunk.count(type.id), Long::sum);
                    }
                }
                for (String t : countOnly) {
                    counts.merge(t, chunk.count(t), Long::sum);
                }
                if (wanted.isEmpty() || out.size() >= max) {
                    continue;
                }
                double nanosPerTick = chunk.ticksPerSec > 0 ? 1e9 / chunk.ticksPerSec : 1;
                JfrFile.walk(chunk, (c, typeId, cur) -> {
                    JfrMetadata.Type type = wanted.get(typeId);
                    if (type == null || out.size() >= max) {
                        return;
                    }
                    Map<String, Object> fields = new HashMap<>();
                    for (JfrMetadata.Field f : type.data) {
                        Object v = c.meta.value(cur, f);
                        if (v != null) {
                            fields.put(f.name(), v);
                        }
                    }
                    long start = fields.get("startTime") instanceof Long t ? c.epochNanos(t) : c.startNanos;
                    out.add(new Event(type.name, start, Collections.unmodifiableMap(fields), nanosPerTick));
                });
            }
        } catch (IOException e) {
            throw new ProfileException(path, "cannot read it: " + e.getMessage());
        } catch (ProfileException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new ProfileException(path, "corrupted JFR recording: " + JfrFile.describe(e), e);
        }
        return new Result(out, counts);
    }
}
