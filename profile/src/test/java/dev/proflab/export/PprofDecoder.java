package dev.proflab.export;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A test-only reader of profile.proto, written from the .proto file and independent of the encoder:
 * a generic protobuf wire-format parser (varint, fixed64, length-delimited, packed and unpacked
 * repeated scalars) and the pprof messages as records with resolved strings.
 */
final class PprofDecoder {

    record ValueType(String type, String unit) {
    }

    record Label(String key, String str, long num) {
    }

    record Sample(List<Long> locationIds, List<Long> values, List<Label> labels) {
    }

    record Mapping(long id, long start, long limit, String file, boolean hasFunctions, boolean hasFilenames,
                   boolean hasLineNumbers) {
    }

    record Line(long functionId, long line) {
    }

    record Location(long id, long mappingId, long address, List<Line> lines) {
    }

    record Function(long id, String name, String systemName, String filename, long startLine) {
    }

    record Decoded(List<ValueType> sampleTypes, List<Sample> samples, List<Mapping> mappings,
                   Map<Long, Location> locations, Map<Long, Function> functions, List<String> strings,
                   long timeNanos, long durationNanos, ValueType periodType, long period, List<String> comments,
                   String defaultSampleType, List<Integer> unknownFields) {

        /** Function names of a sample's locations, leaf first (the first line of each location). */
        List<String> stack(Sample s) {
            List<String> names = new ArrayList<>();
            for (long id : s.locationIds()) {
                Location l = locations.get(id);
                names.add(functions.get(l.lines().get(0).functionId()).name());
            }
            return names;
        }

        long total(int valueIndex) {
            return samples.stream().mapToLong(s -> s.values().get(valueIndex)).sum();
        }
    }

    /** One field as read off the wire. */
    record Field(int number, int wireType, long varint, byte[] bytes) {
        String string() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private PprofDecoder() {
    }

    static byte[] gunzip(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Decoded decodeGzipped(byte[] gz) {
        return decode(gunzip(gz));
    }

    /** Parses one message into its fields, in wire order. */
    static List<Field> fields(byte[] buf) {
        List<Field> out = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < buf.length) {
            long tag = varint(buf, pos);
            int number = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (number <= 0) {
                throw new IllegalStateException("bad field number " + number + " at " + pos[0]);
            }
            switch (wire) {
                case 0 -> out.add(new Field(number, wire, varint(buf, pos), null));
                case 1 -> {
                    long v = 0;
                    for (int i = 7; i >= 0; i--) {
                        v = v << 8 | (buf[pos[0] + i] & 0xff);
                    }
                    pos[0] += 8;
                    out.add(new Field(number, wire, v, null));
                }
                case 2 -> {
                    int len = (int) varint(buf, pos);
                    if (len < 0 || pos[0] + len > buf.length) {
                        throw new IllegalStateException("field " + number + ": length " + len + " past the end");
                    }
                    byte[] b = java.util.Arrays.copyOfRange(buf, pos[0], pos[0] + len);
                    pos[0] += len;
                    out.add(new Field(number, wire, 0, b));
                }
                case 5 -> {
                    long v = (buf[pos[0]] & 0xff) | (buf[pos[0] + 1] & 0xff) << 8 | (buf[pos[0] + 2] & 0xff) << 16
                            | (long) (buf[pos[0] + 3] & 0xff) << 24;
                    pos[0] += 4;
                    out.add(new Field(number, wire, v, null));
                }
                default -> throw new IllegalStateException("wire type " + wire + " of field " + number);
            }
        }
        if (pos[0] != buf.length) {
            throw new IllegalStateException("message overruns its length");
        }
        return out;
    }

    static long varint(byte[] buf, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = buf[pos[0]++];
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new IllegalStateException("varint longer than 10 bytes");
    }

    /** Repeated scalar: packed (one length-delimited field) or not (several varints). */
    static List<Long> repeated(List<Field> fields, int number) {
        List<Long> out = new ArrayList<>();
        for (Field f : fields) {
            if (f.number() != number) {
                continue;
            }
            if (f.wireType() == 2) {
                int[] pos = {0};
                while (pos[0] < f.bytes().length) {
                    out.add(varint(f.bytes(), pos));
                }
            } else {
                out.add(f.varint());
            }
        }
        return out;
    }

    static long scalar(List<Field> fields, int number) {
        long v = 0;
        for (Field f : fields) {
            if (f.number() == number) {
                v = f.varint(); // last one wins, as in protobuf
            }
        }
        return v;
    }

    static List<byte[]> messages(List<Field> fields, int number) {
        List<byte[]> out = new ArrayList<>();
        for (Field f : fields) {
            if (f.number() == number) {
                if (f.wireType() != 2) {
                    throw new IllegalStateException("field " + number + " is not a message");
                }
                out.add(f.bytes());
            }
        }
        return out;
    }

    static Decoded decode(byte[] raw) {
        List<Field> top = fields(raw);
        List<String> strings = new ArrayList<>();
        for (Field f : top) {
            if (f.number() == 6) {
                strings.add(f.string());
            }
        }
        if (strings.isEmpty() || !strings.get(0).isEmpty()) {
            throw new IllegalStateException("string_table[0] must be the empty string");
        }
        java.util.function.LongFunction<String> s = i -> strings.get(Math.toIntExact(i));
        List<ValueType> sampleTypes = new ArrayList<>();
        for (byte[] m : messages(top, 1)) {
            List<Field> f = fields(m);
            sampleTypes.add(new ValueType(s.apply(scalar(f, 1)), s.apply(scalar(f, 2))));
        }
        List<Sample> samples = new ArrayList<>();
        for (byte[] m : messages(top, 2)) {
            List<Field> f = fields(m);
            List<Label> labels = new ArrayList<>();
            for (byte[] lm : messages(f, 3)) {
                List<Field> lf = fields(lm);
                labels.add(new Label(s.apply(scalar(lf, 1)), s.apply(scalar(lf, 2)), scalar(lf, 3)));
            }
            samples.add(new Sample(repeated(f, 1), repeated(f, 2), labels));
        }
        List<Mapping> mappings = new ArrayList<>();
        for (byte[] m : messages(top, 3)) {
            List<Field> f = fields(m);
            mappings.add(new Mapping(scalar(f, 1), scalar(f, 2), scalar(f, 3), s.apply(scalar(f, 5)),
                    scalar(f, 7) != 0, scalar(f, 8) != 0, scalar(f, 9) != 0));
        }
        Map<Long, Location> locations = new HashMap<>();
        for (byte[] m : messages(top, 4)) {
            List<Field> f = fields(m);
            List<Line> lines = new ArrayList<>();
            for (byte[] lm : messages(f, 4)) {
                List<Field> lf = fields(lm);
                lines.add(new Line(scalar(lf, 1), scalar(lf, 2)));
            }
            Location l = new Location(scalar(f, 1), scalar(f, 2), scalar(f, 3), lines);
            if (locations.put(l.id(), l) != null) {
                throw new IllegalStateException("duplicate location id " + l.id());
            }
        }
        Map<Long, Function> functions = new HashMap<>();
        for (byte[] m : messages(top, 5)) {
            List<Field> f = fields(m);
            Function fn = new Function(scalar(f, 1), s.apply(scalar(f, 2)), s.apply(scalar(f, 3)),
                    s.apply(scalar(f, 4)), scalar(f, 5));
            if (functions.put(fn.id(), fn) != null) {
                throw new IllegalStateException("duplicate function id " + fn.id());
            }
        }
        ValueType periodType = null;
        for (byte[] m : messages(top, 11)) {
            List<Field> f = fields(m);
            periodType = new ValueType(s.apply(scalar(f, 1)), s.apply(scalar(f, 2)));
        }
        List<String> comments = repeated(top, 13).stream().map(s::apply).toList();
        long def = scalar(top, 14);
        List<Integer> unknown = top.stream().map(Field::number).filter(n -> n < 1 || n > 14).distinct().toList();
        return new Decoded(sampleTypes, samples, mappings, locations, functions, strings, scalar(top, 9),
                scalar(top, 10), periodType, scalar(top, 12), comments, def == 0 ? "" : s.apply(def), unknown);
    }
}
