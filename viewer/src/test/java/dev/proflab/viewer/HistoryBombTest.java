package dev.proflab.viewer;

import static dev.proflab.viewer.ViewerApiTest.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proflab view DIR} with a decompression bomb among the collected windows (a gzip that inflates to
 * 8 GB, named as the collector names its windows) and one without such a name: the viewer starts in
 * seconds, lists the bomb as an unreadable window with its reason, and the good windows around it read and
 * merge as ever, the bomb left out with a warning.
 */
@Tag("slow")
class HistoryBombTest {

    @TempDir
    Path dir;

    /** A gzip of 8 GB of zeros in 128 members: about 8 MB. */
    static Path bomb(Path file) throws IOException {
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        try (GZIPOutputStream z = new GZIPOutputStream(member, 1 << 16)) {
            for (int i = 0; i < 64; i++) {
                z.write(zeros);
            }
        }
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 128; i++) {
                out.write(member.toByteArray());
            }
        }
        return file;
    }

    @Test
    void aBombIsOneUnreadableWindow() throws Exception {
        HistoryApiTest.window(dir, HistoryApiTest.BEFORE, "cpu", 0, "jfr");
        bomb(dir.resolve("cpu/cpu_20261126-100100.pb.gz"));
        HistoryApiTest.window(dir, HistoryApiTest.AFTER, "cpu", 2, "jfr");
        bomb(dir.resolve("profile.pb.gz"));

        ViewerServer server = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> new ViewerServer(dir, null).start("127.0.0.1", 0));
        try {
            JsonNode h = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> get(server, "api/history").json());
            assertThat(HistoryApiTest.names(h.get("windows"))).containsExactly("cpu/cpu_20261126-100000.jfr",
                    "cpu/cpu_20261126-100100.pb.gz", "cpu/cpu_20261126-100200.jfr");
            assertThat(h.get("windows").get(0).get("problem").isNull()).isTrue();
            assertThat(h.get("windows").get(1).get("problem").asText())
                    .startsWith("gzip data that inflates to more than ").endsWith(": not read (a decompression bomb?)");
            assertThat(h.get("skipped")).singleElement().satisfies(s -> {
                assertThat(s.get("name").asText()).isEqualTo("profile.pb.gz");
                assertThat(s.get("reason").asText()).startsWith("gzip data that inflates to more than ");
            });

            // the bomb alone: a 400 with the reason, in one line
            ViewerApiTest.Reply one = get(server, "api/meta?kind=cpu&range=" + HistoryApiTest.at(1));
            assertThat(one.status()).isEqualTo(400);
            assertThat(one.json().get("error").asText())
                    .startsWith("cpu/cpu_20261126-100100.pb.gz: gzip data that inflates to more than ")
                    .doesNotContain("\n");
            // all three: the two good ones merged, the bomb left out with a warning
            String all = (HistoryApiTest.T0 - 1000) + ".." + (HistoryApiTest.T0 + 150_000);
            JsonNode m = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> get(server, "api/meta?kind=cpu&range=" + all).json());
            assertThat(m.get("windows")).hasSize(2);
            assertThat(m.get("warnings")).singleElement().satisfies(w -> assertThat(w.asText())
                    .startsWith("cpu/cpu_20261126-100100.pb.gz left out: gzip data that inflates to more than "));
            assertThat(get(server, "api/flame?kind=cpu&range=" + all).status()).isEqualTo(200);
            // the latest window, and the page, as ever
            assertThat(get(server, "api/flame?kind=cpu").status()).isEqualTo(200);
            assertThat(get(server, "").status()).isEqualTo(200);
        } finally {
            server.stop();
        }
    }
}
