package dev.proflab.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentOptionsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreLoopbackPort6060() {
        for (String none : new String[] {null, "", " ", ","}) {
            AgentOptions o = AgentOptions.parse(none);
            assertThat(o.bind()).isEqualTo("127.0.0.1");
            assertThat(o.port()).isEqualTo(6060);
            assertThat(o.debug().token()).isNull();
            assertThat(o.debug().heapDumpsEnabled()).isFalse();
            assertThat(o.debug().flightRecorder()).isNull();
            assertThat(o.debug().maxSeconds()).isEqualTo(120);
        }
    }

    @Test
    void everyOption() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "0123456789abcdef-token\nignored\n");
        AgentOptions o = AgentOptions.parse("port=7070, bind=0.0.0.0,token-file=" + token
                + ",flight-recorder=30m,flight-recorder-size=50m,debug-heap-dumps=" + dir.resolve("heap")
                + ",max-seconds=60,allow-hosts=devbox.lan;proxy.internal");
        assertThat(o.port()).isEqualTo(7070);
        assertThat(o.bind()).isEqualTo("0.0.0.0");
        assertThat(o.debug().token()).isEqualTo("0123456789abcdef-token");
        assertThat(o.debug().flightRecorder().maxAge()).isEqualTo(Duration.ofMinutes(30));
        assertThat(o.debug().flightRecorder().maxBytes()).isEqualTo(50L << 20);
        assertThat(o.debug().heapDumpFolder()).isEqualTo(dir.resolve("heap"));
        assertThat(o.debug().maxSeconds()).isEqualTo(60);
        assertThat(o.debug().allowHosts()).isEqualTo(List.of("devbox.lan", "proxy.internal"));
    }

    @Test
    void flightRecorderAloneIsFifteenMinutes() {
        assertThat(AgentOptions.parse("flight-recorder").debug().flightRecorder().maxAge())
                .isEqualTo(Duration.ofMinutes(15));
        assertThat(AgentOptions.parse("flight-recorder=2h").debug().flightRecorder().maxAge())
                .isEqualTo(Duration.ofHours(2));
        assertThat(AgentOptions.parse("flight-recorder=off").debug().flightRecorder()).isNull();
    }

    @Test
    void mistakesNameTheOption() {
        assertThatThrownBy(() -> AgentOptions.parse("prot=1")).hasMessageStartingWith("unknown option 'prot'");
        assertThatThrownBy(() -> AgentOptions.parse("port=x")).hasMessage("port=x: not a whole number");
        assertThatThrownBy(() -> AgentOptions.parse("port=70000")).hasMessageContaining("not a port");
        assertThatThrownBy(() -> AgentOptions.parse("port=1,port=2")).hasMessageContaining("given twice");
        assertThatThrownBy(() -> AgentOptions.parse("flight-recorder=soon")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> AgentOptions.parse("flight-recorder=5s")).hasMessageContaining("10 s to 7 days");
        assertThatThrownBy(() -> AgentOptions.parse("flight-recorder-size=10m"))
                .hasMessageContaining("needs flight-recorder=");
        assertThatThrownBy(() -> AgentOptions.parse("token-file=" + dir.resolve("missing")))
                .hasMessageContaining("cannot read the debug token file");
        assertThatThrownBy(() -> AgentOptions.parse("max-seconds=0")).hasMessageContaining("maxSeconds");
        assertThatThrownBy(() -> AgentOptions.parse("bind=")).hasMessageContaining("bind= is empty");
    }

    @Test
    void durationsAndSizes() {
        assertThat(AgentOptions.duration("90", "k")).isEqualTo(Duration.ofSeconds(90));
        assertThat(AgentOptions.duration("15min", "k")).isEqualTo(Duration.ofMinutes(15));
        assertThat(AgentOptions.duration("1d", "k")).isEqualTo(Duration.ofDays(1));
        assertThat(AgentOptions.bytes("512k", "k")).isEqualTo(512L << 10);
        assertThat(AgentOptions.bytes("1GB", "k")).isEqualTo(1L << 30);
    }
}
