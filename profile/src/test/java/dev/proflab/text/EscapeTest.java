package dev.proflab.text;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The two contexts names are written into: XML/HTML text and attributes, and a terminal. */
class EscapeTest {

    @Test
    void xmlEscapesMarkupAndBothQuotes() {
        assertThat(Escape.xml("\"><img src=x onerror=alert(1)>"))
                .isEqualTo("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
        assertThat(Escape.xml("';alert(1);//")).isEqualTo("&#39;;alert(1);//");
        assertThat(Escape.xml("a & b ]]>")).isEqualTo("a &amp; b ]]&gt;");
        assertThat(Escape.xml("plain.Name.method")).isSameAs(Escape.xml("plain.Name.method"));
    }

    @Test
    void xmlReplacesWhatXmlCannotHold() {
        // NUL, ESC, lone surrogates, U+FFFE: not even a reference to them is allowed in XML 1.0
        assertThat(Escape.xml("a\u0000b\u001bc")).isEqualTo("a\uFFFDb\uFFFDc");
        assertThat(Escape.xml("x\uD800y\uDC00z")).isEqualTo("x\uFFFDy\uFFFDz");
        assertThat(Escape.xml("\uFFFE\uFFFF")).isEqualTo("\uFFFD\uFFFD");
        // a pair is one character and stays; tab, newline and CR survive attribute normalisation
        assertThat(Escape.xml("\uD83D\uDE00")).isEqualTo("\uD83D\uDE00");
        assertThat(Escape.xml("a\tb\nc\rd")).isEqualTo("a&#9;b&#10;c&#13;d");
        // allowed in XML 1.0: kept as they are
        assertThat(Escape.xml("\u2028\u0085\u009b")).isEqualTo("\u2028\u0085\u009b");
    }

    @Test
    void terminalWritesOutControlCharacters() {
        assertThat(Escape.terminal("\u001b[2Jclear")).isEqualTo("\\x1b[2Jclear");
        assertThat(Escape.terminal("\u001b]0;title\u0007")).isEqualTo("\\x1b]0;title\\x07");
        assertThat(Escape.terminal("a\nb\tc\rd")).isEqualTo("a\\nb\\tc\\rd");
        assertThat(Escape.terminal("nul\u0000del\u007fcsi\u009b")).isEqualTo("nul\\x00del\\x7fcsi\\x9b");
        assertThat(Escape.terminal("rtl\u202eevil\u2066x\u2028")).isEqualTo("rtl\\u202eevil\\u2066x\\u2028");
        assertThat(Escape.terminal("lone\uD800")).isEqualTo("lone\\ud800");
        assertThat(Escape.terminal("\uDC00x")).isEqualTo("\\udc00x");
        // what a terminal shows is left alone
        String shown = "java.lang.Thread.run \\ é 漢字 \uD83D\uDE00";
        assertThat(Escape.terminal(shown)).isSameAs(shown);
        assertThat(Escape.terminal(null)).isNull();
    }

    @Test
    void sourceLinesKeepTheirTabs() {
        assertThat(Escape.terminalKeepTabs("\t\treturn x;\u001b[31m")).isEqualTo("\t\treturn x;\\x1b[31m");
    }

    @Test
    void prefixDoesNotSplitASurrogatePair() {
        assertThat(Escape.prefix("ab\uD83D\uDE00cd", 3)).isEqualTo("ab");
        assertThat(Escape.prefix("ab\uD83D\uDE00cd", 4)).isEqualTo("ab\uD83D\uDE00");
        assertThat(Escape.prefix("abc", 10)).isEqualTo("abc");
        assertThat(Escape.prefix("abc", 0)).isEmpty();
    }
}
