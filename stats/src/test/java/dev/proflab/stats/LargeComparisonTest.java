package dev.proflab.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The size the CLI must handle in under two seconds: two JMH files of 1,000 benchmarks each, with
 * 5 forks x 5 iterations and the GC profiler's secondary metrics (about 8 MB per file). This test
 * checks the result, not the time (the time is printed for information only).
 */
class LargeComparisonTest {

    static final int BENCHMARKS = 1000;

    @Test
    void twoFilesOfAThousandBenchmarks(@TempDir Path tmpDir) throws IOException {
        // -Dstat.largeDir=DIR keeps the two files there, for timing 'proflab stat' on them (docs/benchmarks.md)
        String keep = System.getProperty("stat.largeDir");
        Path tmp = keep == null ? tmpDir : Files.createDirectories(Path.of(keep));
        Path old = tmp.resolve("old.json");
        Path now = tmp.resolve("new.json");
        writeJmh(old, 1.00, 1);
        writeJmh(now, 0.97, 2); // 3% faster everywhere

        long t0 = System.nanoTime();
        Comparison c = Comparison.compute(List.of(StatInput.of(old), StatInput.of(now)));
        long t1 = System.nanoTime();
        String text = StatFormat.TEXT.render(c);
        String json = StatFormat.JSON.render(c);
        String csv = StatFormat.CSV.render(c);
        String md = StatFormat.MARKDOWN.render(c);
        long t2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "2 x %d benchmarks (%d + %d bytes): compute %d ms, 4 renders %d ms%n",
                BENCHMARKS, Files.size(old), Files.size(now), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);

        assertThat(c.tables()).extracting(Comparison.Table::metric).containsExactly("sec/op", "B/op");
        assertThat(c.tables().get(0).rows()).hasSize(BENCHMARKS);
        assertThat(c.tables().get(1).rows()).hasSize(BENCHMARKS);
        for (Comparison.Row r : c.tables().get(0).rows()) {
            assertThat(r.cell(0).n()).isEqualTo(25);
            assertThat(r.cell(1).n()).isEqualTo(25);
            assertThat(r.cell(0).ciFinite()).isTrue();
        }
        // A 3% shift with about 1% noise and 25 + 25 samples is nearly always detected.
        long significant = c.tables().get(0).rows().stream().filter(r -> r.cell(1).delta().significant()).count();
        assertThat(significant).isGreaterThan(BENCHMARKS * 95L / 100);
        assertThat(c.tables().get(0).geomean().ratioPercent().get(1)).isBetween(-4.0, -2.0);
        assertThat(text.lines().count()).isEqualTo(2 * (BENCHMARKS + 3) + 1);
        assertThat(json).startsWith("[\n").endsWith("]\n");
        assertThat(csv.lines().count()).isEqualTo(1 + 2 * (BENCHMARKS + 1));
        assertThat(md).contains("| *geomean* |");
    }

    /** Writes a JMH -rf json file the way JMH lays it out (abridged: fewer JVM details). */
    static void writeJmh(Path file, double shift, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("[\n");
            for (int i = 0; i < BENCHMARKS; i++) {
                double center = 100.0 * (1 + i % 37) * shift;
                double[][] time = new double[5][5];
                double[][] alloc = new double[5][5];
                for (int f = 0; f < 5; f++) {
                    for (int k = 0; k < 5; k++) {
                        time[f][k] = center * (1 + 0.01 * Math.abs(rnd.nextGaussian()));
                        alloc[f][k] = 8.0 * (i % 7) + 1e-4 * Math.abs(rnd.nextGaussian());
                    }
                }
                w.write("    {\n");
                w.write("        \"jmhVersion\" : \"1.37\",\n");
                w.write("        \"benchmark\" : \"dev.proflab.bench.gen.Bench" + String.format(Locale.ROOT, "%03d", i / 10)
                        + ".run\",\n");
                w.write("        \"mode\" : \"avgt\",\n        \"threads\" : 1,\n        \"forks\" : 5,\n");
                w.write("        \"jvm\" : \"/usr/lib/jvm/temurin-25-jdk-amd64/bin/java\",\n");
                w.write("        \"jvmArgs\" : [\n            \"-Xmx1g\"\n        ],\n");
                w.write("        \"jdkVersion\" : \"25\",\n        \"vmName\" : \"OpenJDK 64-Bit Server VM\",\n");
                w.write("        \"warmupIterations\" : 5,\n        \"warmupTime\" : \"10 s\",\n");
                w.write("        \"warmupBatchSize\" : 1,\n        \"measurementIterations\" : 5,\n");
                w.write("        \"measurementTime\" : \"10 s\",\n        \"measurementBatchSize\" : 1,\n");
                w.write("        \"params\" : {\n            \"size\" : \"" + i % 10 + "\",\n            \"kind\" : \"k"
                        + i % 3 + "\"\n        },\n");
                metric(w, "        ", "\"primaryMetric\" : {", time, "ns/op");
                w.write(",\n        \"secondaryMetrics\" : {\n");
                metric(w, "            ", "\"gc.alloc.rate\" : {", alloc, "MB/sec");
                w.write(",\n");
                metric(w, "            ", "\"gc.alloc.rate.norm\" : {", alloc, "B/op");
                w.write(",\n");
                metric(w, "            ", "\"gc.count\" : {", new double[5][5], "counts");
                w.write("\n        }\n    }" + (i < BENCHMARKS - 1 ? "," : "") + "\n");
            }
            w.write("]\n");
        }
    }

    private static void metric(BufferedWriter w, String in, String head, double[][] forks, String unit)
            throws IOException {
        double sum = 0;
        int n = 0;
        for (double[] f : forks) {
            for (double v : f) {
                sum += v;
                n++;
            }
        }
        double mean = sum / n;
        w.write(in + head + "\n");
        w.write(in + "    \"score\" : " + mean + ",\n");
        w.write(in + "    \"scoreError\" : " + mean / 100 + ",\n");
        w.write(in + "    \"scoreConfidence\" : [\n" + in + "        " + mean * 0.99 + ",\n" + in + "        " + mean * 1.01
                + "\n" + in + "    ],\n");
        w.write(in + "    \"scorePercentiles\" : {\n");
        String[] ps = {"0.0", "50.0", "90.0", "95.0", "99.0", "99.9", "99.99", "99.999", "99.9999", "100.0"};
        for (int i = 0; i < ps.length; i++) {
            w.write(in + "        \"" + ps[i] + "\" : " + mean + (i < ps.length - 1 ? "," : "") + "\n");
        }
        w.write(in + "    },\n");
        w.write(in + "    \"scoreUnit\" : \"" + unit + "\",\n");
        w.write(in + "    \"rawData\" : [\n");
        for (int f = 0; f < forks.length; f++) {
            w.write(in + "        [\n");
            for (int k = 0; k < forks[f].length; k++) {
                w.write(in + "            " + forks[f][k] + (k < forks[f].length - 1 ? "," : "") + "\n");
            }
            w.write(in + "        ]" + (f < forks.length - 1 ? "," : "") + "\n");
        }
        w.write(in + "    ]\n" + in + "}");
    }
}
