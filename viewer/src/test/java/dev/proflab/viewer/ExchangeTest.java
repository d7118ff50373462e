package dev.proflab.viewer;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The query string as the API reads it: as Javalin's {@code ctx.queryParam} did, and a bad %-escape a 400. */
class ExchangeTest {

    static Exchange of(String query) {
        return new Exchange(query, name -> name.equalsIgnoreCase("Host") ? List.of("127.0.0.1:7070") : null,
                () -> java.time.Duration.ofSeconds(1));
    }

    @Test
    void aRepeatedParameterIsItsFirstValue() {
        Exchange x = of("n=1&n=zz&focus=a&focus=b");
        assertThat(x.queryParam("n")).isEqualTo("1");
        assertThat(x.queryParam("focus")).isEqualTo("a");
        assertThat(x.queryParam("missing")).isNull();
        assertThat(of(null).queryParam("n")).isNull();
        assertThat(of("").queryParam("n")).isNull();
    }

    @Test
    void namesAndValuesArePercentDecodedAsUtf8WithPlusForASpace() {
        Exchange x = of("focus=method+B&hide=%5Ejava%5C.util&fo%63us2=x&fn=caf%C3%A9&eq=a%3Db%26c&raw=m\u00c3\u00a9thod");
        assertThat(x.queryParam("focus")).isEqualTo("method B");
        assertThat(x.queryParam("hide")).isEqualTo("^java\\.util");
        assertThat(x.queryParam("focus2")).isEqualTo("x");
        assertThat(x.queryParam("fn")).isEqualTo("café");
        assertThat(x.queryParam("eq")).isEqualTo("a=b&c");
        // bytes the request line carried raw (read as ISO-8859-1): UTF-8 too
        assertThat(x.queryParam("raw")).isEqualTo("méthod");
        // bytes that are no UTF-8: the replacement character, as Jetty decoded them
        assertThat(of("focus=%C3%28").queryParam("focus")).isEqualTo("\uFFFD(");
    }

    @Test
    void emptyPairsAndPairsWithoutAValue() {
        Exchange x = of("&&n=1&=x&focus&thread=");
        assertThat(x.queryParam("n")).isEqualTo("1");
        assertThat(x.queryParam("focus")).isEmpty();
        assertThat(x.queryParam("thread")).isEmpty();
        assertThat(x.queryParam("")).isNull();
        assertThat(Params.get(x, "focus")).as("blank is missing").isNull();
    }

    @Test
    void aMalformedEscapeIsABadRequestNamingTheParameterAskedFor() {
        for (String bad : new String[] {"%zz", "a%", "a%2", "%G0", "%\u0663\u0663"}) {
            Exchange x = of("n=1&focus=" + bad + "&x=%zz");
            assertThat(x.queryParam("n")).isEqualTo("1");
            assertThatThrownBy(() -> x.queryParam("focus")).as(bad).isInstanceOf(BadRequest.class)
                    .hasMessageStartingWith("focus: '" + bad + "' has a malformed %-escape");
        }
        // the first value counts: a bad one after it is never read
        assertThat(of("n=2&n=%zz").queryParam("n")).isEqualTo("2");
        // a name that cannot be decoded names nothing
        assertThat(of("%zz=1&n=3").queryParam("n")).isEqualTo("3");
    }

    @Test
    void requestHeadersAndTheAnswer() {
        Exchange x = of(null);
        assertThat(x.header("host")).isEqualTo("127.0.0.1:7070");
        assertThat(x.headers("Origin")).isEmpty();
        assertThat(x.header("Origin")).isNull();
        assertThat(x.status()).isEqualTo(200);
        assertThat(x.contentType()).isEqualTo("text/plain");
        assertThat(x.body()).isEmpty();
        x.status(400).contentType("application/json").header("A", "1").header("A", "2").result("{\"é\":1}");
        assertThat(x.responseHeaders()).isEqualTo(Map.of("A", "2"));
        assertThat(new String(x.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"é\":1}");
    }
}
