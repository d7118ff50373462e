package dev.proflab.capture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetadataTest {

    @TempDir
    Path dir;

    static Metadata sample() {
        CaptureSettings s = CaptureSettings.of(EnumSet.of(Event.CPU, Event.ALLOC));
        return new Metadata(Metadata.FORMAT, "fib-before-cpu.jfr", "async-profiler", "4.5", List.of("cpu", "alloc"),
                s.eventTypes(Engine.ASYNC_PROFILER), Metadata.settingsOf(s, Engine.ASYNC_PROFILER, s.asyncProfilerOptions()),
                new Metadata.Target("lab", "fib-before", 42L, List.of("java", "-cp", "labs.jar", "dev.proflab.labs.Run", "fib-before")),
                new Metadata.Jdk("25.0.3+9-LTS", "Eclipse Adoptium", "/usr/lib/jvm/temurin-25-jdk-amd64"),
                "2026-11-26T06:30:00.123Z", "2026-11-26T06:30:10.456Z", 10.333, 10.0, false,
                Map.of("jdk.ExecutionSample", 1002L), new Metadata.Host("Linux 6.18", "amd64", 2),
                "proflab profile fib-before -e cpu,alloc");
    }

    @Test
    void sidecarSitsBesideTheRecordingAndReadsBack() throws IOException {
        Path jfr = dir.resolve("fib-before-cpu.jfr");
        Metadata m = sample();
        m.writeBeside(jfr);
        assertThat(Metadata.sidecarOf(jfr)).isEqualTo(dir.resolve("fib-before-cpu.jfr.json")).exists();
        assertThat(Metadata.read(jfr)).isEqualTo(m);
        assertThat(Metadata.read(dir.resolve("fib-before-cpu.jfr.json"))).isEqualTo(m);
        assertThat(Metadata.read(dir.resolve("other.jfr"))).isNull();
    }

    @Test
    void stableFieldNamesAndNoNulls() {
        String json = sample().toJson();
        assertThat(json).startsWith("{\n  \"format\" : \"proflab-capture/1\",\n  \"file\" : \"fib-before-cpu.jfr\",\n  \"engine\" : \"async-profiler\",");
        assertThat(json).contains("\"eventTypes\" : {", "\"cpu\" : [ \"jdk.ExecutionSample\" ]",
                "\"intervalNanos\" : 10000000", "\"allocBytes\" : 524288", "\"options\" : \"event=cpu,interval=10000000,alloc=524288\"",
                "\"kind\" : \"lab\"", "\"pid\" : 42", "\"requestedSeconds\" : 10.0", "\"interrupted\" : false",
                "\"commandLine\" : \"proflab profile fib-before -e cpu,alloc\"");
        assertThat(json).doesNotContain("null", "lockThresholdNanos", "wallIntervalNanos", "allocThrottle");
    }

    @Test
    void readerIgnoresFieldsItDoesNotKnowButNotOtherFiles() throws IOException {
        Path side = dir.resolve("x.jfr.json");
        Files.writeString(side, sample().toJson().replace("\"file\" :", "\"addedLater\" : 1, \"file\" :"));
        assertThat(Metadata.read(side).file()).isEqualTo("fib-before-cpu.jfr");
        Files.writeString(side, "{\"name\": \"something else\"}");
        assertThatThrownBy(() -> Metadata.read(side)).hasMessageContaining("not a proflab capture sidecar");
    }
}
