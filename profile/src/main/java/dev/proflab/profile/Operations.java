package dev.proflab.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The work a recording covers: how many operations (JMH operations, HTTP requests, or a number the user gave)
 * were done while it recorded, so that a profile can be read per operation ("37 ms per op") instead of as
 * shares or per second.
 *
 * <p>The count lives in a small JSON file beside the recording, {@code FILE.ops.json} (for {@code cpu.jfr},
 * {@code cpu.jfr.ops.json}): {@code {"operations": 135, "unit": "op", "source": "jmh", "covers": "..."}}. The
 * recording itself is never changed, so it stays a JFR or pprof file that {@code jfr}, async-profiler's
 * converter and {@code go tool pprof} read as before; a copy of the recording without its sidecar simply has no
 * count. The sidecar is written atomically ({@link AtomicFiles}).
 *
 * @param count the operations, at least 1
 * @param unit {@code op} (a JMH operation, or the user's) or {@code request}
 * @param source {@code jmh}, {@code load} or {@code user}
 * @param covers what was counted, in words (e.g. "measurement iterations 1-5, all threads")
 */
public record Operations(long count, String unit, String source, String covers) {

    /** The largest sidecar read. */
    static final long MAX_BYTES = 64 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Operations {
        if (count < 1) {
            throw new IllegalArgumentException("operations " + count + " is not at least 1");
        }
        unit = unit == null || unit.isBlank() ? "op" : unit;
        source = source == null || source.isBlank() ? "user" : source;
        covers = covers == null ? "" : covers;
    }

    /** A count the user gave. */
    public static Operations user(long count) {
        return new Operations(count, "op", "user", "given on the command line");
    }

    /** The sidecar of {@code recording}: {@code FILE.ops.json} beside it. */
    public static Path sidecarOf(Path recording) {
        return recording.resolveSibling(recording.getFileName() + ".ops.json");
    }

    /**
     * The count beside {@code recording}, or null when it has no sidecar.
     *
     * @throws ProfileException when the sidecar is there but is not a count (one line naming it)
     */
    public static Operations read(Path recording) {
        Path f = sidecarOf(recording);
        byte[] bytes;
        try {
            if (Files.size(f) > MAX_BYTES) {
                throw new ProfileException(f, "larger than " + MAX_BYTES / 1024 + " KB: not an operation count");
            }
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ProfileException(f, "cannot read: " + e.getMessage());
        }
        return parse(f, bytes);
    }

    static Operations parse(Path f, byte[] bytes) {
        JsonNode n;
        try {
            n = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new ProfileException(f, "not JSON: " + firstLine(e.getMessage()));
        }
        if (n == null || !n.isObject()) {
            throw new ProfileException(f, "not a JSON object with \"operations\"");
        }
        JsonNode ops = n.get("operations");
        if (ops == null || !ops.isIntegralNumber() || !ops.canConvertToLong() || ops.asLong() < 1) {
            throw new ProfileException(f, "\"operations\" must be a whole number of at least 1");
        }
        String unit = text(n, "unit");
        if (unit != null && !unit.equals("op") && !unit.equals("request")) {
            throw new ProfileException(f, "\"unit\" '" + unit + "' is not op or request");
        }
        return new Operations(ops.asLong(), unit, text(n, "source"), text(n, "covers"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Writes the sidecar of {@code recording} atomically. */
    public void write(Path recording) throws IOException {
        AtomicFiles.writeString(sidecarOf(recording), toJson());
    }

    /** {@code {"operations", "unit", "source", "covers"}}, one field a line. */
    public String toJson() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("operations", count);
        o.put("unit", unit);
        o.put("source", source);
        o.put("covers", covers);
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The count of several recordings read as one (a side of a comparison, merged files): their sum, or null
     * when one of them has none or their units differ.
     */
    public static Operations sum(List<Operations> parts) {
        if (parts.isEmpty()) {
            return null;
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        long n = 0;
        Operations first = parts.get(0);
        for (Operations o : parts) {
            if (o == null || !o.unit.equals(first.unit)) {
                return null;
            }
            n = Math.addExact(n, o.count);
        }
        boolean oneSource = parts.stream().allMatch(o -> o.source.equals(first.source));
        return new Operations(n, first.unit, oneSource ? first.source : "mixed", parts.size() + " recordings together");
    }

    /** {@code 135 ops (jmh)}, {@code 1 request (load)}. */
    public String describe() {
        return String.format(Locale.ROOT, "%,d %s%s (%s)", count, unit, count == 1 ? "" : "s", source);
    }
}
