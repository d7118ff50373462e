package dev.proflab.export;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import io.opentelemetry.proto.profiles.v1development.ResourceProfiles;
import io.opentelemetry.proto.profiles.v1development.Sample;
import io.opentelemetry.proto.profiles.v1development.ScopeProfiles;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The converter's OTLP profiles of the checked-in recordings, decoded by the official OpenTelemetry classes
 * (opentelemetry-proto 1.10.0-alpha, the schema jfr-converter 4.5 writes), against what proflab reads of the same
 * recording: the same number of samples, and the same samples where each function was running.
 */
class OtlpProfilesTest {

    static final Path PROFILES = Path.of("src/test/resources/profiles");
    static final Path AP_CPU = PROFILES.resolve("ap-cpu.jfr");
    static final Path AP_ALLOC = PROFILES.resolve("ap-alloc.jfr");
    static final Path JFR_CPU = PROFILES.resolve("jfr-cpu.jfr");

    /** A decoded request: the samples of each leaf function (class names dotted) and the total. */
    record Decoded(ExportProfilesServiceRequest request, Map<String, Long> selfByFunction, long samples) {
    }

    static Decoded decode(byte[] bytes) throws Exception {
        ExportProfilesServiceRequest request = ExportProfilesServiceRequest.parseFrom(bytes);
        assertThat(request.getUnknownFields().asMap()).as("fields the schema does not know").isEmpty();
        ProfilesDictionary d = request.getDictionary();
        Map<String, Long> self = new TreeMap<>();
        long total = 0;
        for (ResourceProfiles rp : request.getResourceProfilesList()) {
            for (ScopeProfiles sp : rp.getScopeProfilesList()) {
                for (var profile : sp.getProfilesList()) {
                    for (Sample s : profile.getSamplesList()) {
                        // values when an event weighs more than one, else one per timestamp
                        long n = s.getValuesCount() > 0
                                ? s.getValuesList().stream().mapToLong(Long::longValue).sum()
                                : s.getTimestampsUnixNanoCount();
                        total += n;
                        var locations = d.getStackTable(s.getStackIndex()).getLocationIndicesList();
                        if (!locations.isEmpty()) {
                            var leaf = d.getLocationTable(locations.get(0));
                            var line = leaf.getLines(leaf.getLinesCount() - 1);
                            String name = d.getStringTable(d.getFunctionTable(line.getFunctionIndex()).getNameStrindex());
                            self.merge(name.replace('/', '.'), n, Long::sum);
                        }
                    }
                }
            }
        }
        return new Decoded(request, self, total);
    }

    /**
     * proflab's own reading: the samples of each leaf function, as {@code proflab top} counts them (its samples value,
     * or, for an event without one as allocations, the samples the recording holds).
     */
    static Map<String, Long> selfByFunction(Profile p) {
        int samples = p.valueIndex("samples");
        Map<String, Long> self = new TreeMap<>();
        for (int i = 0; i < p.sampleCount(); i++) {
            int[] stack = p.stack(p.stackOf(i));
            if (stack.length > 0) {
                self.merge(p.frame(stack[0]).name(), samples >= 0 ? p.value(i, samples) : p.recordsOf(i), Long::sum);
            }
        }
        return self;
    }

    static Map<String, Long> workload(Map<String, Long> self) {
        return self.entrySet().stream().filter(e -> e.getKey().contains("fixture.Workload."))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Long::sum, TreeMap::new));
    }

    @Test
    void cpuSamplesAreTheOnesProflabCountsFunctionByFunction() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OtlpProfiles.write(AP_CPU, "cpu", out);
        Decoded otlp = decode(out.toByteArray());

        Profile p = ProfileReader.read(AP_CPU, "cpu");
        long proflab = p.total(p.valueIndex("samples"));
        assertThat(proflab).isGreaterThan(1000);
        assertThat(otlp.samples()).isEqualTo(proflab);
        assertThat(OtlpProfiles.of(AP_CPU, "cpu").events()).isEqualTo(proflab);

        Map<String, Long> expected = workload(selfByFunction(p));
        assertThat(expected).containsKeys("dev.proflab.profile.fixture.Workload.methodA",
                "dev.proflab.profile.fixture.Workload.methodB");
        assertThat(workload(otlp.selfByFunction())).isEqualTo(expected);

        var profile = otlp.request().getResourceProfiles(0).getScopeProfiles(0).getProfiles(0);
        var strings = otlp.request().getDictionary().getStringTableList();
        assertThat(strings.get(profile.getSampleType().getTypeStrindex())).isEqualTo("cpu");
        assertThat(profile.getTimeUnixNano()).isEqualTo(p.meta().start().getEpochSecond() * 1_000_000_000L
                + p.meta().start().getNano());
        assertThat(profile.getDurationNano()).isPositive();
        // each sample names its thread
        var attribute = otlp.request().getDictionary().getAttributeTable(profile.getSamples(0).getAttributeIndices(0));
        assertThat(strings.get(attribute.getKeyStrindex())).isEqualTo("thread.name");
    }

    @Test
    void theJdksCpuAndCpuTimeSamplesAreTheOnesProflabCounts() throws Exception {
        for (String event : new String[] {"cpu", "cpu-time"}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OtlpProfiles.write(JFR_CPU, event, out);
            Decoded otlp = decode(out.toByteArray());
            Profile p = ProfileReader.read(JFR_CPU, event);
            assertThat(otlp.samples()).as(event).isPositive().isEqualTo(p.recordCount());
            Map<String, Long> expected = workload(selfByFunction(p));
            assertThat(expected).as(event).isNotEmpty();
            assertThat(workload(otlp.selfByFunction())).as(event).isEqualTo(expected);
        }
    }

    @Test
    void allocationSamplesAreCountedToo() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OtlpProfiles.write(AP_ALLOC, "alloc", out);
        Decoded otlp = decode(out.toByteArray());
        Profile p = ProfileReader.read(AP_ALLOC, "alloc");
        assertThat(p.valueIndex("samples")).isNegative();  // proflab weighs allocations: objects, bytes
        assertThat(otlp.samples()).isPositive().isEqualTo(p.recordCount());
        assertThat(workload(otlp.selfByFunction())).isEqualTo(workload(selfByFunction(p)));
    }

    @Test
    void theResourceSaysWhoSentItAndTheProfilesAreUnchanged() throws Exception {
        byte[] plain = OtlpProfiles.of(AP_CPU, "cpu").bytes();
        byte[] bytes = OtlpProfiles.withResource(plain, OtlpProfiles.resource("checkout", "box-1.example", 4242));
        ExportProfilesServiceRequest withResource = ExportProfilesServiceRequest.parseFrom(bytes);
        assertThat(withResource.getUnknownFields().asMap()).isEmpty();
        assertThat(withResource.getResourceProfilesCount()).isEqualTo(1);
        assertThat(withResource.getResourceProfiles(0).getResource().getAttributesList()).containsExactly(
                KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("checkout")).build(),
                KeyValue.newBuilder().setKey("host.name").setValue(AnyValue.newBuilder().setStringValue("box-1.example")).build(),
                KeyValue.newBuilder().setKey("process.pid").setValue(AnyValue.newBuilder().setIntValue(4242)).build());

        // without its resource, the request is the converter's
        ExportProfilesServiceRequest converters = ExportProfilesServiceRequest.parseFrom(plain);
        assertThat(withResource.toBuilder().setResourceProfiles(0,
                withResource.getResourceProfiles(0).toBuilder().clearResource()).build()).isEqualTo(converters);
        assertThat(decode(bytes).samples()).isEqualTo(decode(plain).samples());
    }

    @Test
    void anEventWithoutSamplesAndAFileThatIsNotJfrAreRefused() {
        assertThatThrownBy(() -> OtlpProfiles.write(AP_ALLOC, "lock", new ByteArrayOutputStream()))
                .isInstanceOf(ExportException.class).hasMessage("no lock samples to write");
        assertThatThrownBy(() -> OtlpProfiles.of(AP_CPU, "bogus"))
                .isInstanceOf(ExportException.class).hasMessageEndingWith("not bogus");
        assertThatThrownBy(() -> OtlpProfiles.of(PROFILES.resolve("ap-cpu.pb.gz"), "cpu"))
                .isInstanceOf(ExportException.class).hasMessageStartingWith("async-profiler's converter could not read it");
        assertThatThrownBy(() -> OtlpProfiles.withResource(new byte[] {0x12, 0}, Map.of()))
                .isInstanceOf(ExportException.class);
    }
}
