package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The viewer's memory grows with the distinct stacks of a recording, not with its samples: in a JVM of a 32 MB heap it
 * serves a recording of 1.2 million samples of three stacks (a small recording with its samples written 800 times over
 * in its one chunk, 18 MB), whose samples alone, one row each, would take 38 MB (a stack id, a thread id, a time and
 * two values: 32 bytes a sample). Its page's answers: the header, the flame graph, the top table, a time range, a
 * function, the timeline.
 */
@Tag("slow")
class ViewerMemoryTest {

    static final int COPIES = 800;
    static final String HEAP = "-Xmx32m";

    @Test
    void moreSamplesThanTheHeapHoldsOfThreeStacks(@TempDir Path dir) throws Exception {
        Path one = ViewerApiTest.CPU;
        Path file = dir.resolve("long.jfr");
        Files.write(file, samplesOver(Files.readAllBytes(one), COPIES));
        Profile p = ProfileReader.read(one, ReadOptions.defaults());
        long samples = (long) p.sampleCount() * COPIES;
        assertThat(32 * samples).as("the samples, one row each").isGreaterThan(32L << 20);
        long total = p.total(p.defaultValueIndex()) * COPIES;

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), HEAP, "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(out).isZero();
        JsonNode r = Json.MAPPER.readTree(out.substring(out.indexOf('{')));
        assertThat(r.get("meta_samples").asLong()).isEqualTo(samples);
        assertThat(r.get("flame_total").asLong()).isEqualTo(total);
        assertThat(r.get("top_rows").asInt()).isPositive();
        assertThat(r.get("first_half").asLong() + r.get("second_half").asLong()).isEqualTo(total);
        assertThat(r.get("first_half").asLong()).isPositive().isLessThan(total);
        assertThat(r.get("peek").asInt()).isEqualTo(200);
        assertThat(r.get("timeline_available").asBoolean()).isTrue();
        assertThat(r.get("timeline_samples").asLong()).isEqualTo(samples);
    }

    /**
     * A recording of one chunk as async-profiler writes it (metadata, settings, the samples, then the constant pool)
     * with its samples written {@code copies} times over: the header's chunk size and pool offset moved. One chunk,
     * so that what grows is the samples only (a reader holds each chunk's metadata).
     */
    static byte[] samplesOver(byte[] chunk, int copies) {
        ByteBuffer b = ByteBuffer.wrap(chunk);
        assertThat(b.getLong(8)).as("one chunk").isEqualTo(chunk.length);
        int pool = (int) b.getLong(16);
        // the records from the header to the pool: the last run of one type is the samples
        List<int[]> records = new ArrayList<>();
        for (int at = HEADER; at < pool; ) {
            long[] size = varint(chunk, at);
            records.add(new int[]{at, (int) varint(chunk, (int) size[1])[0]});
            at += (int) size[0];
        }
        int type = records.get(records.size() - 1)[1];
        int first = pool;
        for (int i = records.size() - 1; i >= 0 && records.get(i)[1] == type; i--) {
            first = records.get(i)[0];
        }
        int samples = pool - first;
        ByteBuffer out = ByteBuffer.allocate(chunk.length + samples * (copies - 1));
        out.put(chunk, 0, first);
        for (int i = 0; i < copies; i++) {
            out.put(chunk, first, samples);
        }
        out.put(chunk, pool, chunk.length - pool);
        out.putLong(8, out.capacity());
        out.putLong(16, pool + (long) samples * (copies - 1));
        return out.array();
    }

    static final int HEADER = 68;

    /** A LEB128 value at {@code at}: the value, and where the next begins. */
    private static long[] varint(byte[] b, int at) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b[at++];
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0 || shift == 56) {
                return new long[]{v, at};
            }
        }
    }

    /** Serves the file in this JVM, asks for the page's answers and prints what the test checks, as JSON. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            ViewerServer server = new ViewerServer(Path.of(args[0]), null).start("127.0.0.1", 0);
            HttpClient http = HttpClient.newHttpClient();
            ObjectNode o = Json.MAPPER.createObjectNode();
            JsonNode meta = get(http, server, "api/meta");
            o.put("meta_samples", meta.get("samples").asLong());
            long end = (long) (meta.get("duration_seconds").asDouble() * 1e9);
            o.put("flame_total", get(http, server, "api/flame").get("total").asLong());
            JsonNode top = get(http, server, "api/top?n=0");
            o.put("top_rows", top.size());
            o.put("first_half", get(http, server, "api/flame?from=0&to=" + end / 2).get("total").asLong());
            o.put("second_half", get(http, server, "api/flame?from=" + end / 2).get("total").asLong());
            String fn = java.net.URLEncoder.encode(top.get(0).get("name").asText(), StandardCharsets.UTF_8);
            o.put("peek", status(http, server, "api/peek?fn=" + fn + "&from=0&to=" + end / 2));
            JsonNode t = get(http, server, "api/timeline");
            o.put("timeline_available", t.get("available").asBoolean());
            long s = 0;
            for (JsonNode l : t.get("lanes")) {
                s += l.get("summary").get("samples").asLong();
            }
            o.put("timeline_samples", s);
            server.stop();
            System.out.println(Json.MAPPER.writeValueAsString(o));
        }

        private static JsonNode get(HttpClient http, ViewerServer server, String path) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError(path + ": " + r.statusCode() + " " + r.body());
            }
            return Json.MAPPER.readTree(r.body());
        }

        private static int status(HttpClient http, ViewerServer server, String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
