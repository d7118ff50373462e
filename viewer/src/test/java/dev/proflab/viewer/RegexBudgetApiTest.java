package dev.proflab.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A regular expression that backtracks catastrophically on the JDK's engine, sent as a filter of any
 * view, is stopped by the request's matching budget (1 s by default): the answer is a 400 naming the
 * parameter, and no thread goes on matching, even when the client has left. Unprotected, these patterns
 * take hours on the fixture's function names ({@code ((.+)+)\2Z}: ~0.1 s on 18 characters, doubling every
 * two; the names have 40) and thread names ({@code ((.*)*)*\2Z} on {@code lock-waiter-3}: over minutes).
 * Time bounds are generous, for a loaded machine.
 */
@Tag("slow")
class RegexBudgetApiTest {

    static final String ON_FUNCTIONS = "((.+)+)\\2Z";
    static final String ON_THREADS = "((.*)*)*\\2Z";
    static final String TOO_SLOW = ": the regular expression takes too long to match (over 1 s): simplify it";

    static ViewerServer server;
    static ViewerServer diff;
    static ViewerServer trace;

    @BeforeAll
    static void start() {
        server = new ViewerServer(ViewerApiTest.CPU, null).start("127.0.0.1", 0);
        diff = new ViewerServer(DiffApiTest.SWAPPED, ViewerApiTest.CPU, null).start("127.0.0.1", 0);
        trace = new ViewerServer(TimelineApiTest.TRACE, null).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.stop();
        diff.stop();
        trace.stop();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"api/flame?focus=", "api/flame?ignore=", "api/flame?hide=", "api/top?focus=",
            "api/top?ignore=", "api/top?hide=", "api/peek?fn=" + ViewerApiTest.METHOD_A + "&focus=",
            "api/source?fn=" + ViewerApiTest.METHOD_A + "&hide=", "diff:api/diff/flame?focus=",
            "diff:api/diff/top?ignore=", "diff:api/diff/flame?hide=", "trace:api/timeline?thread=",
            "trace:api/flame?thread=", "trace:api/top?thread="})
    void aCatastrophicRegexIsA400NamingTheParameterWithinTheBudget(String call) throws Exception {
        ViewerServer s = call.startsWith("diff:") ? diff : call.startsWith("trace:") ? trace : server;
        String path = call.substring(call.indexOf(':') + 1);
        String param = path.substring(path.lastIndexOf(path.contains("&") ? '&' : '?') + 1, path.length() - 1);
        String regex = param.equals("thread") ? ON_THREADS : ON_FUNCTIONS;
        long t0 = System.nanoTime();
        ViewerApiTest.Reply r = ViewerApiTest.get(s, path + enc(regex));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().get("error").asText()).isEqualTo(param + TOO_SLOW);
        // the budget is 1 s of matching; the rest is the request's own work, on a loaded machine
        assertThat(took).isLessThan(Duration.ofSeconds(15));
        assertThat(matchingThreads()).isEmpty();
        assertThat(ViewerApiTest.get(s, "api/meta").status()).isEqualTo(200);
    }

    @Test
    void theBudgetCanBeSetAndSpansEveryParameterOfTheRequest() throws Exception {
        ViewerServer s = new ViewerServer(ViewerApiTest.CPU, null).matchBudget(Duration.ofMillis(300)).start("127.0.0.1", 0);
        try {
            long t0 = System.nanoTime();
            // four filters, each would take hours: the first one spends the request's budget
            ViewerApiTest.Reply r = ViewerApiTest.get(s, "api/top?focus=" + enc(ON_FUNCTIONS) + "&ignore="
                    + enc(ON_FUNCTIONS) + "&hide=" + enc(ON_FUNCTIONS) + "&thread=" + enc(ON_THREADS));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("error").asText())
                    .isEqualTo("focus: the regular expression takes too long to match (over 300 ms): simplify it");
            assertThat(took).isLessThan(Duration.ofSeconds(15));
            // each request has a budget of its own
            JsonNode ok = ViewerApiTest.get(s, "api/top?focus=methodB").json();
            assertThat(ok.findValuesAsText("name")).anyMatch(n -> n.endsWith("methodB"));
        } finally {
            s.stop();
        }
        assertThatThrownBy(() -> server.matchBudget(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noThreadGoesOnMatchingAfterTheClientLeaves() throws Exception {
        HttpRequest q = HttpRequest.newBuilder(URI.create(server.url() + "api/flame?focus=" + enc(ON_FUNCTIONS)))
                .timeout(Duration.ofMillis(200)).build();
        assertThatThrownBy(() -> ViewerApiTest.HTTP.send(q, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        // the handler is still matching now; within the budget (and a generous margin) it stops
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String left = matchingThreads();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = matchingThreads();
        }
        assertThat(left).isEmpty();
        assertThat(ViewerApiTest.get(server, "api/meta").status()).isEqualTo(200);
    }

    /** The stacks of the threads (platform and virtual) that are inside a regular expression match, or "". */
    static String matchingThreads() throws Exception {
        Path dump = Files.createTempFile("threads", ".txt");
        try {
            Files.delete(dump);   // dumpThreads creates it
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            StringBuilder hits = new StringBuilder();
            for (String stack : Files.readString(dump).split("\\R\\R")) {
                if (stack.contains("dev.proflab.report.Regex") || stack.contains("java.util.regex.Pattern$")) {
                    hits.append(stack).append("\n\n");
                }
            }
            return hits.toString();
        } finally {
            Files.deleteIfExists(dump);
        }
    }
}
