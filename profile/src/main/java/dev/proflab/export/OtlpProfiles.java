package dev.proflab.export;

import one.convert.Arguments;
import one.convert.JfrToOtlp;
import one.jfr.JfrReader;
import one.jfr.event.Event;
import one.jfr.event.EventCollector;
import one.proto.Proto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * OpenTelemetry profiles of a JFR recording: the bytes of an OTLP {@code ExportProfilesServiceRequest}
 * (opentelemetry-proto v1.10.0's {@code profiles/v1development} schema), written by async-profiler's converter
 * itself ({@code jfr-converter -o otlp}, {@code JfrToOtlp}), from the recording, not from the profile model: like
 * the heatmap, it needs the file. One {@code Profile} per JFR chunk, one {@code Sample} per thread and stack with the
 * timestamp of each event and, when an event weighs more than one, its value; the thread's name is the sample's
 * {@code thread.name} attribute.
 *
 * <p>The converter writes no {@code Resource}: {@link #withResource} adds one (service, host, process: who sent the
 * profiles) to its output, encoded by the converter's own protobuf writer ({@code one.proto.Proto}); the converter's
 * {@code ResourceProfiles} message is kept byte for byte after it. Nothing here depends on the OpenTelemetry classes.
 */
public final class OtlpProfiles {

    /** The events the converter writes, by the names proflab gives them. */
    public static final java.util.Set<String> EVENTS = java.util.Set.of("cpu", "cpu-time", "wall", "alloc", "live",
            "lock", "itimer");

    /** {@code ExportProfilesServiceRequest.resource_profiles} and {@code ResourceProfiles.resource}. */
    private static final int RESOURCE_PROFILES = 1;
    private static final int RESOURCE = 1;
    /** {@code Resource.attributes}; {@code KeyValue.key}, {@code .value}; {@code AnyValue.string_value}, {@code .int_value}. */
    private static final int ATTRIBUTES = 1;
    private static final int KEY = 1;
    private static final int VALUE = 2;
    private static final int STRING_VALUE = 1;
    private static final int INT_VALUE = 3;

    private OtlpProfiles() {
    }

    /**
     * A request and how many events of the recording it holds (0: the converter found none of the event; the
     * request then has profiles without samples).
     */
    public record Request(byte[] bytes, long events) {
        public Request {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /**
     * The profiles of {@code event} (null: the converter's default, every execution sample) of {@code jfr}.
     *
     * @throws ExportException for an event the converter cannot write, or a file it cannot read
     */
    public static Request of(Path jfr, String event) throws IOException {
        checkEvent(event);
        Counting converter;
        try (JfrReader reader = new JfrReader(jfr.toString())) {
            converter = new Counting(reader, new Arguments(arguments(reader, event)));
            converter.convert();
        } catch (RuntimeException | IOException e) {
            // the converter's reader meeting a file it does not understand (IOException: "Not a valid JFR file")
            throw new ExportException("async-profiler's converter could not read it: " + e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        converter.dump(out);
        return new Request(out.toByteArray(), converter.events);
    }

    /** As {@link #of(Path, String)}, of a recording held in memory (a window of {@code proflab collect}). */
    public static Request of(byte[] jfr, String event) {
        checkEvent(event);
        Counting converter;
        try (JfrReader reader = new JfrReader(java.nio.ByteBuffer.wrap(jfr))) {
            converter = new Counting(reader, new Arguments(arguments(reader, event)));
            converter.convert();
        } catch (RuntimeException | IOException e) {
            throw new ExportException("async-profiler's converter could not read it: " + e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            converter.dump(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return new Request(out.toByteArray(), converter.events);
    }

    private static void checkEvent(String event) {
        if (event != null && !EVENTS.contains(event)) {
            throw new ExportException("OTLP profiles are written of " + String.join(", ",
                    EVENTS.stream().sorted().toList()) + ", not " + event);
        }
    }

    /**
     * The converter's options for {@code event}. Its {@code --cpu} takes the samples of async-profiler's cpu engine
     * (thread state {@code STATE_DEFAULT}); the JDK's {@code jdk.ExecutionSample}, proflab's cpu of a Flight
     * Recorder recording, has the state {@code STATE_RUNNABLE}, which the converter would count as wall-clock: for
     * a recording without async-profiler's state, cpu is {@code --state runnable}.
     */
    private static String[] arguments(JfrReader reader, String event) {
        if (event == null) {
            return new String[0];
        }
        if (event.equals("cpu") || event.equals("itimer")) {
            Map<Integer, String> states = reader.enums.get("jdk.types.ThreadState");
            boolean asyncProfilers = states != null && states.containsValue("STATE_DEFAULT");
            return asyncProfilers || states == null ? new String[] {"--cpu"} : new String[] {"--state", "runnable"};
        }
        return new String[] {"--" + event};
    }

    /**
     * Writes the profiles of {@code event} of {@code jfr} to {@code out}, as the converter's {@code -o otlp} does.
     *
     * @throws ExportException for an event without samples, an event the converter cannot write, or a file it
     *                         cannot read
     */
    public static void write(Path jfr, String event, OutputStream out) throws IOException {
        Request r = of(jfr, event);
        if (r.events() == 0) {
            throw new ExportException("no " + (event == null ? "execution" : event) + " samples to write");
        }
        out.write(r.bytes());
    }

    /**
     * The attributes that say who sent a window's profiles: {@code service.name}, {@code host.name} and
     * {@code process.pid} (OpenTelemetry's semantic conventions), in that order.
     */
    public static Map<String, Object> resource(String serviceName, String hostName, long pid) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("service.name", Objects.requireNonNull(serviceName, "serviceName"));
        attributes.put("host.name", Objects.requireNonNull(hostName, "hostName"));
        attributes.put("process.pid", pid);
        return attributes;
    }

    /**
     * {@code request} (a converter's output, one {@code ResourceProfiles} without a resource first) with
     * {@code attributes} (values: strings, or integers) as its resource's.
     *
     * @throws ExportException when the request does not start with a {@code ResourceProfiles} message
     */
    public static byte[] withResource(byte[] request, Map<String, ?> attributes) {
        if (request.length < 2 || request[0] != (byte) (RESOURCE_PROFILES << 3 | 2)) {
            throw new ExportException("not an OTLP profiles request starting with its resource profiles");
        }
        // the length of the converter's ResourceProfiles (a varint, padded to 5 bytes by the converter)
        long length = 0;
        int pos = 1;
        for (int shift = 0; ; shift += 7) {
            if (pos >= request.length || shift > 28) {
                throw new ExportException("OTLP profiles request: a malformed length of its resource profiles");
            }
            byte b = request[pos++];
            length |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                break;
            }
        }
        if (length > request.length - pos) {
            throw new ExportException("OTLP profiles request: its resource profiles run past its end");
        }

        Proto resource = new Proto(256);
        for (Map.Entry<String, ?> a : attributes.entrySet()) {
            Proto value = new Proto(64);
            switch (a.getValue()) {
                case String s -> value.field(STRING_VALUE, s);
                case Long l -> value.field(INT_VALUE, (long) l);
                case Integer i -> value.field(INT_VALUE, (long) i);
                case null, default -> throw new IllegalArgumentException(a.getKey() + ": a resource attribute is a"
                        + " string or an integer, not " + a.getValue());
            }
            Proto keyValue = new Proto(64).field(KEY, a.getKey()).field(VALUE, value);
            resource.field(ATTRIBUTES, keyValue);
        }
        Proto resourceField = new Proto(resource.size() + 8).field(RESOURCE, resource);

        ByteArrayOutputStream resourceProfiles = new ByteArrayOutputStream((int) length + resourceField.size());
        resourceProfiles.write(resourceField.buffer(), 0, resourceField.size());
        resourceProfiles.write(request, pos, (int) length);
        Proto head = new Proto(resourceProfiles.size() + 8).field(RESOURCE_PROFILES, resourceProfiles.toByteArray());

        int rest = pos + (int) length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.size() + request.length - rest);
        out.write(head.buffer(), 0, head.size());
        out.write(request, rest, request.length - rest);
        return out.toByteArray();
    }

    /** The converter, counting the events it takes (to refuse an event the recording has none of). */
    private static final class Counting extends JfrToOtlp {
        // no initializer: the collector below is made, and may count, during the super constructor
        long events;

        Counting(JfrReader jfr, Arguments args) {
            super(jfr, args);
        }

        @Override
        protected EventCollector createCollector(Arguments args) {
            EventCollector collector = super.createCollector(args);
            return new EventCollector() {
                @Override
                public void collect(Event e) {
                    events++;
                    collector.collect(e);
                }

                @Override
                public void beforeChunk() {
                    collector.beforeChunk();
                }

                @Override
                public void afterChunk() {
                    collector.afterChunk();
                }

                @Override
                public boolean finish() {
                    return collector.finish();
                }

                @Override
                public void forEach(Visitor visitor) {
                    collector.forEach(visitor);
                }
            };
        }
    }
}
