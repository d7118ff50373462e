package dev.proflab.agent;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the packaged jar holds: the manifest's agent entries, and classes only under {@code dev/proflab/} (Jackson
 * and jfr-converter relocated there) and async-profiler's {@code one/profiler/} (not relocated: JNI names), so that
 * nothing of the agent's can shadow or be shadowed by an application's Jackson or jfr-converter.
 */
class AgentJarIT {

    @Test
    void manifestNamesTheEntryPoint() throws Exception {
        try (JarFile jar = new JarFile(AgentProcess.agentJar().toFile())) {
            Manifest m = jar.getManifest();
            assertThat(m.getMainAttributes().getValue("Premain-Class")).isEqualTo("dev.proflab.agent.AgentMain");
            assertThat(m.getMainAttributes().getValue("Agent-Class")).isEqualTo("dev.proflab.agent.AgentMain");
            assertThat(m.getMainAttributes().getValue("Main-Class")).isNull();
            // Java 8 bytecode (major 52), so that an older JVM can load it and hear one line
            try (var in = jar.getInputStream(jar.getEntry("dev/proflab/agent/AgentMain.class"))) {
                byte[] head = in.readNBytes(8);
                assertThat(((head[6] & 0xff) << 8) | (head[7] & 0xff)).isEqualTo(52);
            }
        }
    }

    @Test
    void classesAreOursOrAsyncProfilersOnly() throws Exception {
        List<String> foreign = new ArrayList<>();
        boolean jackson = false;
        boolean converter = false;
        try (JarFile jar = new JarFile(AgentProcess.agentJar().toFile())) {
            for (var e : java.util.Collections.list(jar.entries())) {
                String n = e.getName();
                if (!n.endsWith(".class")) {
                    continue;
                }
                jackson |= n.startsWith("dev/proflab/agent/shaded/jackson/databind/ObjectMapper");
                converter |= n.startsWith("dev/proflab/agent/shaded/one/jfr/JfrReader");
                if (!n.startsWith("dev/proflab/") && !n.startsWith("one/profiler/")) {
                    foreign.add(n);
                }
            }
            assertThat(jar.getEntry("one/profiler/AsyncProfiler.class")).isNotNull();
            assertThat(jar.getEntry("linux-x64/libasyncProfiler.so")).isNotNull();
        }
        assertThat(foreign).isEmpty();
        assertThat(jackson).as("Jackson relocated").isTrue();
        assertThat(converter).as("jfr-converter relocated").isTrue();
    }
}
