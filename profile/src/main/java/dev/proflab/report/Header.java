package dev.proflab.report;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What every report says first: which file, engine, event and value, how long, how much in total,
 * which filters.
 *
 * @param file the file name (without folders)
 * @param engine async-profiler, jfr or pprof
 * @param jdk the profiled JDK, or empty
 * @param event cpu, wall, alloc, ... (as the recording names it: itimer)
 * @param interval the sampling interval in the event's unit, 0 if unknown
 * @param duration the length of the recording, or null
 * @param type the value the report shows
 * @param total the sum of that value over the samples in the time range, before filters
 * @param samples how many samples that is, or -1 when the profile does not count them
 * @param filters the active filters ({@code focus=...})
 * @param base for a comparison, what was subtracted and how ({@code base.jfr, scaled by 0.93 to the same
 *     total}); empty otherwise
 */
public record Header(String file, String engine, String jdk, String event, long interval, Duration duration,
                     ValueType type, long total, long samples, List<String> filters, String base) {

    public Header {
        filters = List.copyOf(filters);
        base = base == null ? "" : base;
    }

    /** A header of one profile (no base). */
    public Header(String file, String engine, String jdk, String event, long interval, Duration duration,
                  ValueType type, long total, long samples, List<String> filters) {
        this(file, engine, jdk, event, interval, duration, type, total, samples, filters, "");
    }

    /** This header with {@code base} said. */
    Header withBase(String base) {
        return new Header(file, engine, jdk, event, interval, duration, type, total, samples, filters, base);
    }

    static Header of(Profile p, ValueType type, long total, long samples, Selection s) {
        Profile.Meta m = p.meta();
        String file = m.source().isEmpty() ? "" : fileName(m.source());
        return new Header(file, m.engine(), m.jdk(), m.event(), m.interval(), m.duration(), type, total, samples,
                s.activeFilters());
    }

    private static String fileName(String source) {
        try {
            Path f = Path.of(source).getFileName();
            return f == null ? source : f.toString();
        } catch (RuntimeException e) {
            return source;
        }
    }
}
