package dev.proflab.stats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.proflab.io.BoundedInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams a JMH {@code -rf json} file into {@link JmhResult}s.
 *
 * <p>Only what the statistics need is kept: benchmark, mode, params, the primary metric's unit and
 * raw samples per fork, and {@code gc.alloc.rate.norm} (B/op; {@code ·gc.alloc.rate.norm} before
 * JMH 1.36) when the GC profiler ran. Everything
 * else (percentiles, other secondary metrics, JVM details) is skipped without building a tree, so a
 * file of thousands of results reads in milliseconds.
 *
 * <p>Samples: {@code rawData} is {@code [[fork 1 iteration scores...], [fork 2 ...]]}. In
 * {@code sample} mode JMH writes {@code rawDataHistogram} instead, {@code [fork][iteration][[value,
 * count], ...]}: each iteration becomes one sample, the mean of its histogram (which is how JMH
 * computes that mode's score), so sample mode compares like {@code avgt}.
 */
final class JmhReader {

    static final String ALLOC_NORM = "gc.alloc.rate.norm";
    /** The same metric as JMH before 1.36 named it. */
    static final String ALLOC_NORM_OLD = "\u00b7gc.alloc.rate.norm";

    /** The largest file read (JMH writes a few kB per benchmark, a few MB for a big suite). */
    static final long MAX_FILE_BYTES = 256L << 20;
    /** The most results in one file. */
    static final int MAX_RESULTS = 100_000;
    /** The most samples (iterations, or histogram iterations) in one file, all results together. */
    static final int MAX_SAMPLES = 10_000_000;
    /** JMH's JSON nests 7 deep (the pairs of a histogram). */
    static final int MAX_DEPTH = 32;
    /** A number JMH writes has at most ~25 characters ({@code -1.2345678901234567E-100}). */
    static final int MAX_NUMBER_LENGTH = 100;
    /** Strings (kept: benchmark names, modes, units, parameters) and field names. */
    static final int MAX_STRING_LENGTH = 1 << 20;
    static final int MAX_NAME_LENGTH = 4096;

    /**
     * Streaming only (no ObjectMapper), with Jackson's fast double parser: samples are most of the work.
     * Jackson's read constraints stop what no JMH file holds (a number of a million digits, nesting a
     * thousand deep, a field name of megabytes) before it is buffered.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(MAX_FILE_BYTES)
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNameLength(MAX_NAME_LENGTH)
                    .build())
            .build();

    /** One entry of a JMH result array, values already in base units. */
    record JmhResult(
            String benchmark,
            String mode,
            Map<String, String> params,
            String unit,
            String metric,
            List<double[]> forks,
            List<double[]> allocForks,
            double iterationSeconds) {

        JmhResult(String benchmark, String mode, Map<String, String> params, String unit, String metric,
                List<double[]> forks, List<double[]> allocForks) {
            this(benchmark, mode, params, unit, metric, forks, allocForks, Double.NaN);
        }
    }

    private final Path file;
    private JsonParser p;
    private int index;
    private long samples;

    private JmhReader(Path file) {
        this.file = file;
    }

    /** Reads every result in {@code file}; throws {@link StatException} with a one-line reason. */
    static List<JmhResult> read(Path file) {
        return new JmhReader(file).readAll();
    }

    private List<JmhResult> readAll() {
        try {
            if (Files.isDirectory(file)) {
                throw fail("is a directory, not a JMH JSON file");
            }
            if (Files.exists(file) && Files.size(file) == 0) {
                throw fail("file is empty (expected JMH JSON output, as written by -rf json)");
            }
            if (Files.exists(file) && Files.size(file) > MAX_FILE_BYTES) {
                throw fail("a file of " + BoundedInput.size(Files.size(file)) + ", more than the "
                        + BoundedInput.size(MAX_FILE_BYTES) + " of JMH results proflab reads");
            }
            try (InputStream in = Files.newInputStream(file); JsonParser parser = FACTORY.createParser(in)) {
                this.p = parser;
                return parse();
            }
        } catch (StatException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw fail("too large to read in this JVM's " + BoundedInput.maxHeap() + " heap", e);
        } catch (StreamConstraintsException e) {
            // "Number value length (1001) exceeds the maximum allowed (100, from `StreamReadConstraints...`)"
            String why = StatException.oneLine(e.getOriginalMessage()).replaceAll(", from `[^`]*`", "");
            // where, when Jackson says (the parser's position has moved on by then)
            throw fail("not JMH output: " + why + (e.getLocation() == null ? "" : " " + where(e.getLocation())), e);
        } catch (JsonEOFException e) {
            throw fail("truncated JSON: the file ends " + where(e.getLocation())
                    + " in the middle of " + (index == 0 ? "the array" : "result #" + index)
                    + " (was the benchmark run interrupted?)", e);
        } catch (JsonProcessingException e) {
            if (index == 0 && looksLikeJmhText()) {
                throw fail("this is JMH's text output, not JSON: run the benchmarks with -rf json -rff FILE.json"
                        + " and compare those files", e);
            }
            throw fail("not valid JSON: " + firstSentence(e.getOriginalMessage()) + " " + where(e.getLocation())
                    + " (expected JMH JSON output, as written by -rf json)", e);
        } catch (NoSuchFileException e) {
            throw fail("no such file", e);
        } catch (AccessDeniedException e) {
            throw fail("cannot read file: permission denied", e);
        } catch (IOException e) {
            throw fail("cannot read file: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
    }

    private List<JmhResult> parse() throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw fail("file is empty (expected JMH JSON output, as written by -rf json)");
        }
        if (t != JsonToken.START_ARRAY) {
            throw notJmh("the top level is " + describe(t) + ", not the array of results JMH writes");
        }
        List<JmhResult> results = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new JsonEOFException(p, null, "unexpected end of input");
            }
            index++;
            if (index > MAX_RESULTS) {
                throw fail("more than " + MAX_RESULTS + " results: more than proflab compares from one file");
            }
            if (t != JsonToken.START_OBJECT) {
                throw notJmh("element #" + index + " of the top-level array is " + describe(t)
                        + ", not a benchmark result");
            }
            results.add(readResult());
        }
        if (p.nextToken() != null) {
            throw fail("unexpected content after the JSON array " + where(p.currentLocation())
                    + " (two JMH outputs concatenated? compare them as separate files)");
        }
        if (results.isEmpty()) {
            throw fail("no benchmark results (the JSON array is empty)");
        }
        return results;
    }

    private JmhResult readResult() throws IOException {
        String benchmark = null;
        String mode = null;
        Map<String, String> params = Map.of();
        Metric primary = null;
        Metric alloc = null;
        double iterationSeconds = Double.NaN;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            t = p.nextToken();
            switch (name) {
                case "benchmark" -> benchmark = t.isScalarValue() ? p.getValueAsString() : null;
                case "mode" -> mode = t.isScalarValue() ? p.getValueAsString() : null;
                case "params" -> params = readParams(t);
                case "primaryMetric" -> primary = readMetric(t, true);
                case "secondaryMetrics" -> alloc = readSecondary(t);
                case "measurementTime" -> iterationSeconds = t.isScalarValue() ? seconds(p.getValueAsString()) : Double.NaN;
                default -> p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new JsonEOFException(p, t, "unexpected end of input");
        }
        if (benchmark == null || benchmark.isBlank()) {
            throw notJmh("result #" + index + " has no \"benchmark\" name");
        }
        if (primary == null) {
            throw notJmh("result #" + index + " (" + benchmark + ") has no \"primaryMetric\"");
        }
        if (primary.unit == null) {
            throw fail("result #" + index + " (" + benchmark + ") has no primaryMetric.scoreUnit");
        }
        if (primary.forks == null) {
            throw fail("result #" + index + " (" + benchmark + ") has no primaryMetric.rawData"
                    + " (needed for the statistics; JMH writes it unless -Djmh.json.rawData=false)");
        }
        if (primary.forks.isEmpty() || primary.forks.stream().allMatch(f -> f.length == 0)) {
            throw fail("result #" + index + " (" + benchmark + ") has an empty primaryMetric.rawData"
                    + " (was JMH run with -Djmh.json.rawData=false?)");
        }
        for (double[] fork : primary.forks) {
            for (double v : fork) {
                if (!Double.isFinite(v)) {
                    throw fail("result #" + index + " (" + benchmark + ") has a non-numeric sample (" + v
                            + ") in primaryMetric.rawData");
                }
            }
        }
        Units.Conversion conv = Units.of(primary.unit);
        if (conv == null) {
            throw fail("result #" + index + " (" + benchmark + ") has an unsupported scoreUnit \""
                    + primary.unit + "\" (expected a time per op like ns/op or a throughput like ops/s)");
        }
        List<double[]> forks = scale(primary.forks, conv.factor());
        List<double[]> allocForks = null;
        if (alloc != null && alloc.forks != null && Units.BYTES_PER_OP.equals(alloc.unit) && allFinite(alloc.forks)) {
            allocForks = alloc.forks.stream().filter(f -> f.length > 0).toList();
            if (allocForks.isEmpty()) {
                allocForks = null;
            }
        }
        return new JmhResult(benchmark, mode == null ? "" : mode, params, primary.unit, conv.metric(), forks,
                allocForks, iterationSeconds);
    }

    /**
     * JMH's {@code TimeValue} as written in {@code measurementTime} ({@code "200 ms"}, {@code "1 s"}), in
     * seconds; NaN for anything else (e.g. {@code "single-invocation"} in single-shot mode).
     */
    static double seconds(String value) {
        if (value == null) {
            return Double.NaN;
        }
        String[] parts = value.strip().split("\\s+");
        if (parts.length != 2) {
            return Double.NaN;
        }
        double v;
        try {
            v = Double.parseDouble(parts[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
        double unit = switch (parts[1]) {
            case "ns" -> 1e-9;
            case "us", "µs" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            case "hr" -> 3600;
            case "day" -> 86400;
            default -> Double.NaN;
        };
        return v > 0 ? v * unit : Double.NaN;
    }

    private static boolean allFinite(List<double[]> forks) {
        for (double[] fork : forks) {
            for (double v : fork) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<double[]> scale(List<double[]> forks, double factor) {
        List<double[]> out = new ArrayList<>(forks.size());
        for (double[] fork : forks) {
            if (fork.length == 0) {
                continue;
            }
            double[] s = new double[fork.length];
            for (int i = 0; i < fork.length; i++) {
                s[i] = fork[i] * factor;
            }
            out.add(s);
        }
        return out;
    }

    private Map<String, String> readParams(JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Map.of();
        }
        Map<String, String> params = new LinkedHashMap<>();
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            t = p.nextToken();
            if (t.isScalarValue()) {
                params.put(key, p.getValueAsString());
            } else {
                p.skipChildren();
            }
        }
        return Collections.unmodifiableMap(params);
    }

    /** The parts of a metric object that matter. */
    private static final class Metric {
        String unit;
        List<double[]> forks;
    }

    private Metric readMetric(JsonToken t, boolean primary) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        Metric m = new Metric();
        List<double[]> histogram = null;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            t = p.nextToken();
            switch (name) {
                case "scoreUnit" -> m.unit = t.isScalarValue() ? p.getValueAsString() : null;
                case "rawData" -> m.forks = readRawData(t);
                case "rawDataHistogram" -> {
                    if (primary) {
                        histogram = readHistogram(t);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new JsonEOFException(p, t, "unexpected end of input");
        }
        if ((m.forks == null || m.forks.isEmpty()) && histogram != null) {
            m.forks = histogram;
        }
        return m;
    }

    private Metric readSecondary(JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        Metric alloc = null;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            t = p.nextToken();
            if (name.equals(ALLOC_NORM) || name.equals(ALLOC_NORM_OLD)) {
                alloc = readMetric(t, false);
            } else {
                p.skipChildren();
            }
        }
        return alloc;
    }

    /** {@code [[v, v, ...], [v, ...]]}: one array of iteration scores per fork. */
    private List<double[]> readRawData(JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        List<double[]> forks = new ArrayList<>();
        double[] buf = new double[16];
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new JsonEOFException(p, null, "unexpected end of input");
            }
            if (t != JsonToken.START_ARRAY) {
                throw fail("result #" + index + " has a malformed rawData (expected an array per fork, found "
                        + describe(t) + ")");
            }
            int n = 0;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new JsonEOFException(p, null, "unexpected end of input");
                }
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, n * 2);
                }
                counted();
                buf[n++] = number(t, "rawData");
            }
            forks.add(Arrays.copyOf(buf, n));
        }
        return forks;
    }

    /** {@code [fork][iteration][[value, count], ...]}: one sample (the mean) per iteration. */
    private List<double[]> readHistogram(JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        List<double[]> forks = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            expectArray(t, "rawDataHistogram fork");
            List<Double> iterations = new ArrayList<>();
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                expectArray(t, "rawDataHistogram iteration");
                double sum = 0;
                double count = 0;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    expectArray(t, "rawDataHistogram [value, count] pair");
                    double value = number(p.nextToken(), "rawDataHistogram");
                    double c = number(p.nextToken(), "rawDataHistogram");
                    t = p.nextToken();
                    if (t != JsonToken.END_ARRAY) {
                        throw fail("result #" + index + " has a malformed rawDataHistogram [value, count] pair "
                                + where(p.currentLocation()));
                    }
                    sum += value * c;
                    count += c;
                }
                if (count > 0) {
                    counted();
                    iterations.add(sum / count);
                }
            }
            forks.add(iterations.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return forks;
    }

    /** One more sample kept. */
    private void counted() {
        if (++samples > MAX_SAMPLES) {
            throw fail("more than " + MAX_SAMPLES + " samples: more than proflab compares from one file");
        }
    }

    private void expectArray(JsonToken t, String what) throws IOException {
        if (t == null) {
            throw new JsonEOFException(p, null, "unexpected end of input");
        }
        if (t != JsonToken.START_ARRAY) {
            throw fail("result #" + index + " has a malformed " + what + " " + where(p.currentLocation()));
        }
    }

    private double number(JsonToken t, String what) throws IOException {
        if (t == null) {
            throw new JsonEOFException(p, null, "unexpected end of input");
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
            return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            // JMH writes non-finite scores as strings.
            switch (p.getText()) {
                case "NaN":
                    return Double.NaN;
                case "+INF", "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-INF", "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw fail("result #" + index + " has a non-numeric value in " + what + " " + where(p.currentLocation()));
    }

    /** True when the file starts like JMH's console log or its text result table. */
    private boolean looksLikeJmhText() {
        try (InputStream in = Files.newInputStream(file)) {
            String head = new String(in.readNBytes(256), StandardCharsets.UTF_8).stripLeading();
            return head.startsWith("# JMH") || head.startsWith("# Run") || head.startsWith("Benchmark ")
                    || head.startsWith("Benchmark\t");
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static String where(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 0) {
            return "";
        }
        return "at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private static String firstSentence(String msg) {
        if (msg == null) {
            return "syntax error";
        }
        String s = StatException.oneLine(msg);
        // Jackson appends long hints after a colon ("expected a valid value (JSON String, ...)").
        for (String hint : new String[] {": was expecting", ": expected"}) {
            int cut = s.indexOf(hint);
            if (cut > 0) {
                s = s.substring(0, cut);
            }
        }
        return s;
    }

    private StatException notJmh(String why) {
        return fail("JSON, but not JMH output: " + why + " (expected the file written by -rf json)");
    }

    private StatException fail(String message) {
        return new StatException(file, message, null);
    }

    private StatException fail(String message, Throwable cause) {
        return new StatException(file, message, cause);
    }
}
