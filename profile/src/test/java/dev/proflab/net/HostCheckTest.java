package dev.proflab.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Host rule against DNS rebinding: a table of what a loopback server answers, and the cross-site rule. */
class HostCheckTest {

    /** Host value (`<none>`: no header; `<empty>`: empty), loopback only, with --allow-host devbox.lan, bound to 0.0.0.0. */
    @ParameterizedTest(name = "{0}: loopback {1}, allowed {2}, 0.0.0.0 {3}")
    @CsvSource(delimiter = '|', textBlock = """
            localhost                 | true  | true  | true
            localhost:7070            | true  | true  | true
            LOCALHOST:7070            | true  | true  | true
            LocalHost                 | true  | true  | true
            localhost.                | true  | true  | true
            localhost.:7070           | true  | true  | true
            127.0.0.1                 | true  | true  | true
            127.0.0.1:7070            | true  | true  | true
            127.0.0.2:80              | true  | true  | true
            '  127.0.0.1:7070  '      | true  | true  | true
            [::1]                     | true  | true  | true
            [::1]:7070                | true  | true  | true
            [0:0:0:0:0:0:0:1]:7070    | true  | true  | true
            [::ffff:127.0.0.1]:7070   | true  | true  | true
            devbox.lan                | false | true  | false
            devbox.lan:7070           | false | true  | false
            DEVBOX.LAN.:7070          | false | true  | false
            www.devbox.lan            | false | false | false
            devbox.lan.evil.example   | false | false | false
            192.168.1.20:7070         | false | false | true
            [fe80::1]:7070            | false | false | true
            evil.example              | false | false | false
            evil.example:7070         | false | false | false
            localhost.evil.example    | false | false | false
            localhost.evil.example:80 | false | false | false
            evil-localhost            | false | false | false
            foo.localhost             | false | false | false
            127.0.0.1.nip.io          | false | false | false
            127.0.0.1.nip.io:7070     | false | false | false
            localhost..               | false | false | false
            .localhost                | false | false | false
            localhost:                | false | false | false
            localhost:0               | false | false | false
            localhost:65536           | false | false | false
            localhost:123456          | false | false | false
            localhost:+80             | false | false | false
            localhost:80:80           | false | false | false
            localhost:7070/           | false | false | false
            localhost/x               | false | false | false
            localhost?x               | false | false | false
            localhost#x               | false | false | false
            user@localhost            | false | false | false
            localhost@evil.example    | false | false | false
            evil.example@127.0.0.1    | false | false | false
            localhost%00.evil.example | false | false | false
            'local host'              | false | false | false
            localhost\\evil.example   | false | false | false
            127.1                     | false | false | false
            127.0.1                   | false | false | false
            2130706433                | false | false | false
            0x7f.0.0.1                | false | false | false
            0x7f000001                | false | false | false
            0177.0.0.1                | false | false | false
            127.0.0.01                | false | false | false
            127.0.0.1.                | false | false | false
            127.0.0.256               | false | false | false
            1.2.3.4.5                 | false | false | false
            ::1                       | false | false | false
            ::1:7070                  | false | false | false
            [::1                      | false | false | false
            [::1]x                    | false | false | false
            [::1]:                    | false | false | false
            [localhost]               | false | false | false
            [fe80::1%25eth0]          | false | false | false
            [::1]:7070@evil.example   | false | false | false
            http://localhost          | false | false | false
            <empty>                   | false | false | false
            <none>                    | false | false | false
            """)
    void hostsAnsweredOnLoopbackWithAllowedNamesAndOnEveryAddress(String host, boolean loopback, boolean allowed,
                                                                 boolean anyAddress) {
        String h = host.equals("<none>") ? null : host.equals("<empty>") ? "" : host;
        assertThat(HostCheck.loopback().allows(h)).as("loopback: " + host).isEqualTo(loopback);
        assertThat(HostCheck.loopback(List.of("devbox.lan")).allows(h)).as("--allow-host devbox.lan: " + host)
                .isEqualTo(allowed);
        assertThat(HostCheck.of("0.0.0.0", List.of()).allows(h)).as("bound to 0.0.0.0: " + host).isEqualTo(anyAddress);
        assertThat(HostCheck.of("::", List.of()).allows(h)).as("bound to :: " + host).isEqualTo(anyAddress);
    }

    @Test
    void controlCharactersAndHugeValuesAreRefused() {
        for (String h : new String[] {"localhost\r\nX: y", "localhost\u0000", "localhost\t.evil", "l\u0131calhost",
                "ｌocalhost", "\u212Abox.lan", "localhost\u2003", "\u00a0localhost", "localhost\n", "localhost\u3002evil.example", "a".repeat(64) + ".example", "a.".repeat(130) + "example",
                "localhost:" + "9".repeat(10_000), "[" + "0:".repeat(5000) + "1]"}) {
            assertThat(HostCheck.loopback().allows(h)).as(HostCheck.shown(h)).isFalse();
        }
        // the Kelvin sign lower-cases to an ASCII k
        assertThat(HostCheck.loopback(List.of("kbox.lan")).allows("\u212Abox.lan")).isFalse();
        assertThat(HostCheck.loopback(List.of("kbox.lan")).allows("KBOX.lan")).isTrue();
        // the longest legal name is fine when allowed
        String longest = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61));
        assertThat(longest).hasSize(253);
        assertThat(HostCheck.loopback(List.of(longest)).allows(longest + ":8080")).isTrue();
    }

    @Test
    void theBindAddressItselfIsAnswered() {
        assertThat(HostCheck.of("127.0.0.1", List.of()).allows("devbox.lan")).isFalse();
        assertThat(HostCheck.of("127.0.0.1", List.of()).allows("10.0.0.5")).isFalse();
        assertThat(HostCheck.of("localhost", List.of()).anyAddress()).isFalse();
        assertThat(HostCheck.of("::1", List.of()).anyAddress()).isFalse();
        HostCheck named = HostCheck.of("devbox.lan", List.of());
        assertThat(named.allows("devbox.lan:7070")).isTrue();
        assertThat(named.allows("10.0.0.5:7070")).isTrue();
        assertThat(named.allows("evil.example:7070")).isFalse();
        HostCheck addr = HostCheck.of("10.0.0.5", List.of());
        assertThat(addr.allows("10.0.0.5:7070")).isTrue();
        assertThat(addr.allows("evil.example:7070")).isFalse();
        assertThat(addr.allows("localhost:7070")).isTrue();
    }

    @Test
    void allowedHostsAreNamesOrAddressesWithoutAPort() {
        assertThat(HostCheck.allowedName(" DevBox.Lan. ")).isEqualTo("devbox.lan");
        assertThat(HostCheck.allowedName("10.0.0.5")).isEqualTo("10.0.0.5");
        assertThat(HostCheck.allowedName("fe80::1")).isEqualTo("[fe80:0:0:0:0:0:0:1]");
        assertThat(HostCheck.allowedName("[FE80::1]")).isEqualTo("[fe80:0:0:0:0:0:0:1]");
        HostCheck v6 = HostCheck.loopback(List.of("fe80::1"));
        assertThat(v6.allows("[fe80::1]:7070")).isTrue();
        assertThat(v6.allows("[fe80:0::1]")).isTrue();
        assertThat(v6.allows("[fe80::2]")).isFalse();

        assertThatThrownBy(() -> HostCheck.allowedName("devbox.lan:7070")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'devbox.lan:7070': give the host without a port (every port is accepted)");
        assertThatThrownBy(() -> HostCheck.allowedName("[::1]:7070")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a port");
        for (String bad : new String[] {"", "  ", "*", "*.example", "http://devbox.lan", "user@devbox.lan", "a b",
                "devbox.lan/", "127.1", "x".repeat(300)}) {
            assertThatThrownBy(() -> HostCheck.allowedName(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> HostCheck.loopback(List.of("ok.lan", "bad host")))
                .hasMessage("'bad host' is not a host name or an IP address");
    }

    @Test
    void refusalsSayWhy() {
        HostCheck c = HostCheck.loopback();
        assertThat(c.refusal(List.of("localhost:1"))).isNull();
        assertThat(c.refusal(List.of("evil.example:7070")))
                .isEqualTo("Host 'evil.example:7070' is not a loopback name (DNS rebinding protection)");
        assertThat(HostCheck.loopback(List.of("a.lan")).refusal(List.of("evil.example")))
                .isEqualTo("Host 'evil.example' is not a loopback name or an allowed host (DNS rebinding protection)");
        assertThat(c.refusal(List.of())).contains("without a Host header");
        assertThat(c.refusal(null)).contains("without a Host header");
        assertThat(c.refusal(Arrays.asList("localhost", "evil.example"))).contains("2 Host headers");
        assertThat(c.refusal(List.of("x\r\n" + "y".repeat(500))))
                .startsWith("Host 'x??yyy").contains("...'").hasSizeLessThan(200);
    }

    /** Sec-Fetch-Site, -Mode, -Dest, Origin, Host; refused or not. */
    @ParameterizedTest(name = "site={0} mode={1} dest={2} origin={3} host={4}: refused {5}")
    @CsvSource(nullValues = "-", delimiter = '|', textBlock = """
            -           | -        | -        | -                       | localhost:7070 | false
            none        | navigate | document | -                       | localhost:7070 | false
            same-origin | cors     | empty    | -                       | localhost:7070 | false
            same-origin | cors     | empty    | http://localhost:7070   | localhost:7070 | false
            cross-site  | navigate | document | -                       | localhost:7070 | false
            same-site   | navigate | document | -                       | localhost:7070 | false
            cross-site  | navigate | iframe   | -                       | localhost:7070 | true
            cross-site  | no-cors  | image    | -                       | localhost:7070 | true
            cross-site  | cors     | empty    | https://evil.example    | localhost:7070 | true
            same-site   | cors     | empty    | http://localhost:8080   | localhost:7070 | true
            same-site   | no-cors  | script   | -                       | localhost:7070 | true
            CROSS-SITE  | no-cors  | image    | -                       | localhost:7070 | true
            -           | -        | -        | http://localhost:7070   | localhost:7070 | false
            -           | -        | -        | HTTP://LOCALHOST:7070   | localhost:7070 | false
            -           | -        | -        | https://localhost:7070  | localhost:7070 | false
            -           | -        | -        | http://localhost:8080   | localhost:7070 | true
            -           | -        | -        | http://evil.example     | localhost:7070 | true
            -           | -        | -        | null                    | localhost:7070 | true
            -           | -        | -        | http://localhost:7070   | -              | true
            """)
    void crossSiteRequestsAreRefusedButNavigationsAndToolsPass(String site, String mode, String dest, String origin,
                                                              String host, boolean refused) {
        String why = HostCheck.crossSite(site, mode, dest, origin, host);
        if (refused) {
            assertThat(why).startsWith("a request made by another site's page").doesNotContain("\n");
        } else {
            assertThat(why).isNull();
        }
    }
}
