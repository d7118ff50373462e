package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static dev.proflab.viewer.ViewerApiTest.get;
import static org.assertj.core.api.Assertions.assertThat;

/** The API's tagfocus and tagignore, as the CLI's: on a Go profile with pprof labels (tenant a 270ms, b 100ms). */
class TagParamsApiTest {

    static final Path GO = Path.of("../profile/src/test/resources/profiles/go-labels.pb.gz");

    static ViewerServer server;

    @BeforeAll
    static void start() {
        server = new ViewerServer(GO, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static long flat(String query) throws Exception {
        ViewerApiTest.Reply r = get(server, "api/top?n=0" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        long t = 0;
        for (JsonNode row : r.json()) {
            t += row.get("flat").asLong();
        }
        return t;
    }

    @Test
    void tagfocusAndTagignoreSelectSamplesByLabel() throws Exception {
        assertThat(flat("")).isEqualTo(370_000_000L);
        assertThat(flat("&tagfocus=tenant%3Da")).isEqualTo(270_000_000L);
        assertThat(flat("&tagignore=tenant%3Da")).isEqualTo(100_000_000L);
        assertThat(flat("&tagfocus=users")).isEqualTo(100_000_000L);
        ViewerApiTest.Reply flame = get(server, "api/flame?tagfocus=tenant%3Db");
        assertThat(flame.status()).isEqualTo(200);
        assertThat(flame.json().get("root").get("total").asLong()).isEqualTo(100_000_000L);
    }

    @Test
    void aBadTermIs400NamingIt() throws Exception {
        ViewerApiTest.Reply noKey = get(server, "api/top?tagfocus=%3Dx");
        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.json().get("error").asText()).isEqualTo("tagfocus: '=x' has no label key before '=' (give KEY=REGEX)");
        ViewerApiTest.Reply badRegex = get(server, "api/flame?tagignore=tenant%3D(");
        assertThat(badRegex.status()).isEqualTo(400);
        assertThat(badRegex.json().get("error").asText()).startsWith("tagignore: '(' is not a valid regular expression");
        ViewerApiTest.Reply noLabel = get(server, "api/top?tagfocus=user%3Dx");
        assertThat(noLabel.status()).isEqualTo(400);
        assertThat(noLabel.json().get("error").asText()).contains("names no label key");
    }
}
