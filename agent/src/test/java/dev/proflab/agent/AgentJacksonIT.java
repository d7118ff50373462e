package dev.proflab.agent;

import dev.proflab.profile.Profile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with an older Jackson (2.17.2) on its class path, and the agent (whose Jackson 2.23 is relocated):
 * the application gets its own Jackson, the agent's JSON endpoints work, and the CPU profile shows the application's
 * Jackson frames under their own names.
 */
@Tag("slow")
class AgentJacksonIT {

    @TempDir
    Path dir;

    @Test
    void theApplicationKeepsItsOwnJackson() throws Exception {
        Path jacksonDir = Path.of(System.getProperty("proflab.appJackson", "target/app-jackson"));
        String cp;
        try (Stream<Path> jars = Files.list(jacksonDir)) {
            cp = Stream.concat(Stream.of(Path.of("target/test-classes").toAbsolutePath().toString()),
                    jars.map(Path::toString)).collect(Collectors.joining(File.pathSeparator));
        }
        try (AgentProcess app = AgentProcess.start(dir, "port=0", List.of(),
                List.of("-cp", cp, JacksonApp.class.getName(), "15"))) {
            String base = app.awaitBase();
            HttpResponse<byte[]> gc = Http.get(base + "/debug/gc");
            assertThat(gc.statusCode()).isEqualTo(200);
            assertThat(Http.text(gc)).startsWith("{").contains("\"heap\"");
            HttpResponse<byte[]> cpu = Http.get(base + "/debug/pprof/profile?seconds=2");
            assertThat(cpu.statusCode()).isEqualTo(200);
            Profile p = Http.profile(cpu.body());
            assertThat(Http.anyFrame(p, "com.fasterxml.jackson.databind.")).as("the app's Jackson frames").isTrue();
            assertThat(app.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(app.stdout()).contains("jackson 2.17.2 from ", "jackson-databind-2.17.2.jar", "done");
            assertThat(app.stderr()).doesNotContain("Exception");
        }
    }
}
