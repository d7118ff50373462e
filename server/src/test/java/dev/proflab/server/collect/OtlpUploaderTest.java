package dev.proflab.server.collect;

import com.sun.net.httpserver.HttpServer;
import dev.proflab.profile.ProfileKind;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ResourceProfiles;
import io.opentelemetry.proto.profiles.v1development.ScopeProfiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenTelemetry profiles: what is pushed decodes with the OpenTelemetry protobuf classes
 * ({@code io.opentelemetry.proto:opentelemetry-proto}) as an {@code ExportProfilesServiceRequest} with samples and
 * the resource attributes given.
 */
@Tag("slow")
class OtlpUploaderTest {

    static Map<String, String> attributes(ResourceProfiles rp) {
        Map<String, String> m = new LinkedHashMap<>();
        for (KeyValue kv : rp.getResource().getAttributesList()) {
            m.put(kv.getKey(), kv.getValue().getStringValue());
        }
        return m;
    }

    @Test
    void aWindowIsPushedAsOtlpProfilesWithItsResource() throws Exception {
        List<byte[]> bodies = Collections.synchronizedList(new ArrayList<>());
        List<String> heads = Collections.synchronizedList(new ArrayList<>());
        HttpServer receiver = CollectTestSupport.fake(ex -> {
            heads.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " "
                    + ex.getRequestHeaders().getFirst("Content-Type") + " "
                    + ex.getRequestHeaders().getFirst("Content-Encoding") + " "
                    + ex.getRequestHeaders().getFirst("Authorization"));
            bodies.add(ex.getRequestBody().readAllBytes());
            CollectTestSupport.reply(ex, 200, "application/x-protobuf", new byte[0]);
        });
        try {
            Map<String, String> resource = new LinkedHashMap<>();
            resource.put("service.name", "demo");
            resource.put("host.name", "vm-1");
            OtlpUploader u = new OtlpUploader(PyroscopeUploader.Server.parse("http://otel:pw@127.0.0.1:"
                    + receiver.getAddress().getPort() + "/"), resource, null, null, Duration.ofSeconds(10));
            byte[] request = u.convert(ProfileKind.CPU, CollectTestSupport.jfr());
            PushQueue q = new PushQueue(u, null, PushSettings.DEFAULTS, line -> { });
            q.start();
            Instant from = Instant.now().minusSeconds(5);
            q.offer(ProfileKind.CPU, request, from, from.plusSeconds(5));
            assertThat(q.flush(Duration.ofSeconds(10))).isEqualTo(new PushQueue.Counts(1, 0, 0, 0));
        } finally {
            receiver.stop(0);
        }
        assertThat(heads).containsExactly("POST /v1development/profiles application/x-protobuf gzip Basic "
                + java.util.Base64.getEncoder().encodeToString("otel:pw".getBytes(StandardCharsets.UTF_8)));
        byte[] body = new GZIPInputStream(new ByteArrayInputStream(bodies.get(0))).readAllBytes();
        ExportProfilesServiceRequest r = ExportProfilesServiceRequest.parseFrom(body);
        assertThat(r.getResourceProfilesCount()).isPositive();
        long samples = 0;
        for (ResourceProfiles rp : r.getResourceProfilesList()) {
            assertThat(attributes(rp)).containsEntry("service.name", "demo").containsEntry("host.name", "vm-1");
            for (ScopeProfiles sp : rp.getScopeProfilesList()) {
                for (Profile p : sp.getProfilesList()) {
                    samples += p.getSamplesCount();
                }
            }
        }
        assertThat(samples).isPositive();
        assertThat(r.getDictionary().getStringTableList()).anyMatch(s -> s.contains("burn"));
    }

    /** The collector against the real endpoints, pushing only OTLP: each window a request that decodes. */
    @Test
    void theCollectorPushesEachWindowAsOtlp(@org.junit.jupiter.api.io.TempDir java.nio.file.Path out) throws Exception {
        List<byte[]> bodies = Collections.synchronizedList(new ArrayList<>());
        HttpServer receiver = CollectTestSupport.fake(ex -> {
            bodies.add(ex.getRequestBody().readAllBytes());
            CollectTestSupport.reply(ex, 200, "application/x-protobuf", new byte[0]);
        });
        CollectTestSupport.Target target = new CollectTestSupport.Target().start(0);
        CollectTestSupport.Log log = new CollectTestSupport.Log();
        try (AutoCloseable load = CollectTestSupport.load()) {
            OtlpUploader u = new OtlpUploader(PyroscopeUploader.Server.parse("http://127.0.0.1:"
                    + receiver.getAddress().getPort()), Map.of("service.name", "proflab-demo"), null, null,
                    Duration.ofSeconds(10));
            Collector.Summary s = new Collector(CollectOptions.of(URI.create(target.base()), Duration.ofSeconds(2),
                    Duration.ofSeconds(1), Duration.ofSeconds(1), List.of(ProfileKind.CPU, ProfileKind.HEAP), out,
                    true, 0, 0, null, null).withOtlp(u).withMaxCycles(2), log).run();
            assertThat(s.files()).as(log.toString()).isEqualTo(4);
            assertThat(s.otlp()).as(log.toString()).isEqualTo(new PushQueue.Counts(4, 0, 0, 0));
            assertThat(s.pushed()).isNull();
        } finally {
            target.stop();
            receiver.stop(0);
        }
        assertThat(bodies).hasSize(4);
        assertThat(CollectTestSupport.visible(out.resolve(Collector.OTLP_SPOOL))).isEmpty(); // all delivered
        for (byte[] b : bodies) {
            ExportProfilesServiceRequest r = ExportProfilesServiceRequest.parseFrom(
                    new GZIPInputStream(new ByteArrayInputStream(b)).readAllBytes());
            assertThat(r.getResourceProfilesList()).isNotEmpty()
                    .allSatisfy(rp -> assertThat(attributes(rp)).containsEntry("service.name", "proflab-demo"));
        }
        assertThat(log.lines()).filteredOn(l -> l.contains(" cycle ")).hasSize(2)
                .allMatch(l -> l.contains("; OTLP: ") && l.contains(" 0 dropped"));
    }
}
