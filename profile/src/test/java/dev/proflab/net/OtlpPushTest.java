package dev.proflab.net;

import com.sun.net.httpserver.HttpServer;
import dev.proflab.export.OtlpProfiles;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.Sample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A push to a receiver on this machine (the JDK's HttpServer, answering as an OTLP/HTTP receiver does), which
 * decodes what it was sent with the official OpenTelemetry classes.
 */
class OtlpPushTest {

    static final Path AP_CPU = Path.of("src/test/resources/profiles/ap-cpu.jfr");

    record Received(String method, String path, String contentType, byte[] body) {
    }

    HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(200);
    volatile String retryAfter;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestBody().readAllBytes()));
            byte[] answer = ExportProfilesServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            if (retryAfter != null) {
                exchange.getResponseHeaders().set("Retry-After", retryAfter);
            }
            exchange.sendResponseHeaders(status.get(), answer.length == 0 ? -1 : answer.length);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void aWindowIsPostedAsProtobufToTheProfilesPathWithItsResource() throws Exception {
        Map<String, Object> resource = OtlpProfiles.resource("checkout", "box-1.example", ProcessHandle.current().pid());
        byte[] bytes = OtlpProfiles.withResource(OtlpProfiles.of(AP_CPU, "cpu").bytes(), resource);
        OtlpPush push = OtlpPush.to(base(), Duration.ofSeconds(10));
        assertThat(push.url().getPath()).isEqualTo("/v1development/profiles");

        OtlpPush.Accepted accepted = push.push(bytes);
        assertThat(accepted.status()).isEqualTo(200);

        assertThat(received).hasSize(1);
        Received r = received.get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v1development/profiles");
        assertThat(r.contentType()).isEqualTo("application/x-protobuf");

        ExportProfilesServiceRequest request = ExportProfilesServiceRequest.parseFrom(r.body());
        Map<String, String> attributes = request.getResourceProfiles(0).getResource().getAttributesList().stream()
                .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().hasIntValue()
                        ? String.valueOf(kv.getValue().getIntValue()) : kv.getValue().getStringValue()));
        assertThat(attributes).containsExactlyInAnyOrderEntriesOf(Map.of("service.name", "checkout",
                "host.name", "box-1.example", "process.pid", String.valueOf(ProcessHandle.current().pid())));

        long samples = request.getResourceProfilesList().stream()
                .flatMap(rp -> rp.getScopeProfilesList().stream())
                .flatMap(sp -> sp.getProfilesList().stream())
                .flatMap(p -> p.getSamplesList().stream())
                .mapToLong(OtlpPushTest::count).sum();
        Profile window = ProfileReader.read(AP_CPU, "cpu");
        assertThat(samples).isEqualTo(window.total(window.valueIndex("samples")));
    }

    static long count(Sample s) {
        return s.getValuesCount() > 0 ? s.getValuesList().stream().mapToLong(Long::longValue).sum()
                : s.getTimestampsUnixNanoCount();
    }

    @Test
    void aUrlWithAPathIsUsedAsItIs() throws Exception {
        OtlpPush push = OtlpPush.to(base().resolve("/otlp/v1development/profiles"), Duration.ofSeconds(10));
        push.push(new byte[0]);
        assertThat(received.get(0).path()).isEqualTo("/otlp/v1development/profiles");
    }

    @Test
    void aRefusalSaysWhetherTheSpecificationAllowsARetryAndThePusherNeverRetriesItself() throws Exception {
        OtlpPush push = OtlpPush.to(base(), Duration.ofSeconds(10));
        status.set(503);
        retryAfter = "7";
        assertThatThrownBy(() -> push.push(new byte[] {1}))
                .isInstanceOfSatisfying(OtlpPush.Failure.class, f -> {
                    assertThat(f.status()).isEqualTo(503);
                    assertThat(f.retryable()).isTrue();
                    assertThat(f.retryAfterSeconds()).hasValue(7);
                });
        status.set(400);
        retryAfter = null;
        assertThatThrownBy(() -> push.push(new byte[] {1}))
                .isInstanceOfSatisfying(OtlpPush.Failure.class, f -> {
                    assertThat(f.status()).isEqualTo(400);
                    assertThat(f.retryable()).isFalse();
                    assertThat(f.retryAfterSeconds()).isEmpty();
                    assertThat(f.getMessage()).endsWith("/v1development/profiles: HTTP 400");
                });
        assertThat(received).hasSize(2);  // one attempt each
    }

    @Test
    void noReceiverIsAFailureThatMayBeRetried() throws Exception {
        URI gone = base();
        server.stop(0);
        assertThatThrownBy(() -> OtlpPush.to(gone, Duration.ofSeconds(2)).push(new byte[] {1}))
                .isInstanceOfSatisfying(OtlpPush.Failure.class, f -> {
                    assertThat(f.status()).isZero();
                    assertThat(f.retryable()).isTrue();
                });
    }

    @Test
    void anEndpointThatIsNotHttpOrATimeoutOfZeroIsRefused() {
        assertThatThrownBy(() -> OtlpPush.to(URI.create("ftp://x/"), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("endpoint:");
        assertThatThrownBy(() -> OtlpPush.to(URI.create("localhost:4318"), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OtlpPush.to(URI.create("http://localhost:4318"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("timeout:");
    }
}
