package dev.proflab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * proflab load --profile PID: the server recorded while the load is measured, and the requests answered in that
 * window written beside the recording, so that top --per-op reads the cost of one request.
 */
class LoadProfileIT {

    @TempDir
    Path out;

    @Test
    void theRecordingCarriesTheRequestsAnsweredWhileItRecorded() throws Exception {
        Path jfr = out.resolve("srv.jfr");
        try (Targets.Jvm server = Targets.fixture(HttpFixture.class, null, "22", "60")) {
            String port = server.awaitLine("listening").split(" ")[1];
            CliRun r = CliRun.of("load", "http://127.0.0.1:" + port + "/work", "-c", "2", "-d", "3s", "--warmup", "1s",
                    "--profile", Long.toString(server.pid()), "-o", jfr.toString(), "--format", "json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode j = new ObjectMapper().readTree(r.out());
            JsonNode ops = new ObjectMapper().readTree(Files.readString(out.resolve("srv.jfr.ops.json")));
            assertThat(ops.get("unit").asText()).isEqualTo("request");
            assertThat(ops.get("source").asText()).isEqualTo("load");
            long n = ops.get("operations").asLong();
            assertThat(j.at("/profile/requests").asLong()).isEqualTo(n);
            assertThat(j.at("/profile/file").asText()).isEqualTo(jfr.toString());
            // the recording starts after the warm-up and the attach: some, never more, of the measured requests
            assertThat(n).isPositive().isLessThanOrEqualTo(j.get("requests").asLong() + 2L * 2);
            CliRun top = CliRun.of("top", "--per-op", "-n", "40", jfr.toString());
            assertThat(top.exitCode()).as(top.err()).isZero();
            assertThat(top.out()).contains("Operations: ", " requests (load)", "flat/request", "HttpFixture.work");
        }
        try (var files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted())
                    .containsExactly("srv.jfr", "srv.jfr.json", "srv.jfr.ops.json");
        }
    }

    @Test
    void badUseIsOneLineAndExit2() {
        CliRun noDuration = CliRun.of("load", "http://127.0.0.1:1/work", "-n", "10", "--profile", "1");
        assertThat(noDuration.exitCode()).isEqualTo(2);
        assertThat(noDuration.err().strip())
                .isEqualTo("proflab: --profile: needs --duration (the recording lasts as long as the measured load)");
        CliRun noPid = CliRun.of("load", "http://127.0.0.1:1/work", "-d", "1s", "-o", "x.jfr");
        assertThat(noPid.exitCode()).isEqualTo(2);
        assertThat(noPid.err().strip()).isEqualTo("proflab: -o: only with --profile PID (the recording of the server"
                + " under load)");
    }
}
