package dev.proflab.profile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The types of one JFR chunk, from its metadata event: enough to decode any event field by field. */
final class JfrMetadata {

    /** One field of a type. */
    record Field(String name, long typeId, boolean constantPool, boolean array) {
    }

    /** A class of the metadata: an event type, a constant-pool type or a struct. */
    static final class Type {
        final long id;
        final String name;
        final String superType;
        final List<Field> fields = new ArrayList<>();
        /**
         * The fields that take bytes in a record, and their indexes in {@link #fields}: a field whose type is
         * a struct of nothing (however nested) reads nothing, so loops over fields never visit it and every
         * step of decoding consumes input: a file cannot make decoding cost more than its size.
         */
        Field[] data = new Field[0];
        int[] dataIndex = new int[0];

        Type(long id, String name, String superType) {
            this.id = id;
            this.name = name;
            this.superType = superType;
        }

        int fieldIndex(String field) {
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).name().equals(field)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public String toString() {
            return name + "#" + id;
        }
    }

    private final Map<Long, Type> byId = new HashMap<>();
    /**
     * The types of ids below {@link #DENSE} by index: type ids are small numbers (the JDK's and async-profiler's from
     * 0 to a few hundred), and a field's type is looked up for every value decoded, so without boxing a Long.
     */
    private Type[] dense = new Type[0];
    private static final int DENSE = 1 << 12;
    private final Map<String, Type> byName = new HashMap<>();

    Type type(long id) {
        if (id >= 0 && id < dense.length) {
            return dense[(int) id];
        }
        return id >= 0 && id < DENSE ? null : byId.get(id);
    }

    Type type(String name) {
        return byName.get(name);
    }

    Iterable<Type> types() {
        return byId.values();
    }

    /** Parses the metadata event at the cursor (its size, type 0, times, id, strings, element tree). */
    static JfrMetadata read(JfrCursor c) {
        JfrMetadata m = new JfrMetadata();
        int start = c.pos();
        int size = c.varint();
        int type = c.varint();
        if (size <= 0 || type != 0) {
            throw new IllegalStateException("no metadata at byte " + start);
        }
        c.varlong(); // start time
        c.varlong(); // duration
        c.varlong(); // metadata id
        int n = c.varint();
        if (n < 0 || n > size || n > c.remaining()) {
            throw new IllegalStateException("bad metadata string count " + n);
        }
        String[] strings = new String[n];
        for (int i = 0; i < n; i++) {
            strings[i] = c.string();
        }
        m.element(c, strings, null, 0);
        m.resolve();
        return m;
    }

    private static boolean primitive(String name) {
        return switch (name) {
            case "boolean", "byte", "short", "int", "long", "char", "float", "double", "java.lang.String" -> true;
            default -> false;
        };
    }

    /** Fills every type's {@link Type#data}. */
    private void resolve() {
        Map<Long, Boolean> memo = new HashMap<>();
        for (Type t : byId.values()) {
            List<Field> data = new ArrayList<>();
            List<Integer> index = new ArrayList<>();
            for (int i = 0; i < t.fields.size(); i++) {
                Field f = t.fields.get(i);
                if (f.array() || f.constantPool() || takesBytes(f.typeId(), memo)) {
                    data.add(f);
                    index.add(i);
                }
            }
            t.data = data.toArray(new Field[0]);
            t.dataIndex = index.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** Whether a value of a type takes bytes; unknown types do (reading them fails), and so do types that contain themselves. */
    private boolean takesBytes(long typeId, Map<Long, Boolean> memo) {
        Type t = type(typeId);
        if (t == null || primitive(t.name)) {
            return true;
        }
        Boolean known = memo.get(typeId);
        if (known != null) {
            return known;
        }
        memo.put(typeId, true); // while deciding: a type that contains itself is not empty (and nests too deep)
        boolean takes = false;
        for (Field f : t.fields) {
            if (f.array() || f.constantPool() || takesBytes(f.typeId(), memo)) {
                takes = true;
                break;
            }
        }
        memo.put(typeId, takes);
        return takes;
    }

    /** Whether the values of a field's type take no bytes (structs of nothing). */
    private boolean empty(Field f) {
        if (f.constantPool()) {
            return false;
        }
        Type t = type(f.typeId());
        return t != null && !primitive(t.name) && t.data.length == 0;
    }

    private void element(JfrCursor c, String[] strings, Type parent, int depth) {
        if (depth > 64) {
            throw new IllegalStateException("metadata nested too deep");
        }
        String name = strings[c.varint()];
        int attributes = c.varint();
        Map<String, String> attrs = new HashMap<>();
        for (int i = 0; i < attributes; i++) {
            attrs.put(strings[c.varint()], strings[c.varint()]);
        }
        Type self = null;
        if ("class".equals(name)) {
            long id = number(attrs, "id");
            self = new Type(id, attrs.getOrDefault("name", ""), attrs.get("superType"));
            byId.put(id, self);
            if (id >= 0 && id < DENSE) {
                if (id >= dense.length) {
                    dense = java.util.Arrays.copyOf(dense, (int) Math.min(DENSE, Math.max(id + 1, 2L * dense.length)));
                }
                dense[(int) id] = self;
            }
            byName.put(self.name, self);
        } else if ("field".equals(name) && parent != null) {
            parent.fields.add(new Field(attrs.getOrDefault("name", ""),
                    number(attrs, "class"),
                    "true".equals(attrs.get("constantPool")),
                    attrs.containsKey("dimension") && !"0".equals(attrs.get("dimension"))));
        }
        int children = c.varint();
        for (int i = 0; i < children; i++) {
            element(c, strings, self, depth + 1);
        }
    }

    /** A metadata attribute that holds a type id (-1 when absent); a damaged one is said as such. */
    private static long number(Map<String, String> attrs, String key) {
        String v = attrs.getOrDefault(key, "-1");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the metadata's type id '" + (v.length() > 20 ? v.substring(0, 20) + "..." : v)
                    + "' is not a number");
        }
    }

    // ---- generic field decoding -----------------------------------------------------------------

    /** Skips one value of a field (any type, arrays and nested structs included). */
    void skip(JfrCursor c, Field f) {
        skip(c, f, 0);
    }

    private void skip(JfrCursor c, Field f, int depth) {
        if (f.array()) {
            int n = c.varint();
            if (n < 0) {
                throw new IllegalStateException("negative array length " + n);
            }
            if (empty(f)) {
                return; // n values of nothing
            }
            for (int i = 0; i < n; i++) {
                scalar(c, f, false, depth);
            }
        } else {
            scalar(c, f, false, depth);
        }
    }

    /**
     * Reads one value: a Long for integers, booleans, constant-pool references; a Double for
     * floating point; a String for strings; null for arrays and structs (skipped).
     */
    Object value(JfrCursor c, Field f) {
        if (f.array()) {
            skip(c, f);
            return null;
        }
        return scalar(c, f, true, 0);
    }

    private Object scalar(JfrCursor c, Field f, boolean keep, int depth) {
        if (depth > 16) {
            throw new IllegalStateException("type " + f.typeId() + " nests too deep (a type that contains itself?)");
        }
        if (f.constantPool()) {
            return c.varlong();
        }
        Type t = type(f.typeId());
        if (t == null) {
            throw new IllegalStateException("field " + f.name() + " has unknown type " + f.typeId());
        }
        switch (t.name) {
            case "boolean", "byte":
                return (long) c.u1();
            case "short", "int", "long", "char":
                return c.varlong();
            case "float":
                return (double) c.f4();
            case "double":
                return c.f8();
            case "java.lang.String":
                if (keep) {
                    return c.string();
                }
                c.skipString();
                return null;
            default:
                for (Field sub : t.data) {
                    skip(c, sub, depth + 1);
                }
                return null;
        }
    }

    /** Operation codes of {@link Layout}. */
    static final int OP_VARINT = 0;
    static final int OP_BYTE = 1;
    static final int OP_F4 = 2;
    static final int OP_F8 = 3;
    static final int OP_STRING = 4;
    static final int OP_OTHER = 5;

    /**
     * A precomputed plan to read chosen numeric fields of one event type into slots of a long[]:
     * the fast path of the reader (no allocation per event).
     */
    final class Layout {
        private final int[] ops;
        private final int[] slots;
        private final Field[] fields;

        /** @param slotOfField field name -> slot, for the fields to capture */
        Layout(Type type, Map<String, Integer> slotOfField) {
            int last = -1;
            for (int i = 0; i < type.data.length; i++) {
                if (slotOfField.containsKey(type.data[i].name())) {
                    last = i;
                }
            }
            int n = last + 1;
            ops = new int[n];
            slots = new int[n];
            fields = new Field[n];
            for (int i = 0; i < n; i++) {
                Field f = type.data[i];
                fields[i] = f;
                slots[i] = slotOfField.getOrDefault(f.name(), -1);
                ops[i] = op(f);
            }
        }

        /** How many of the type's {@link Type#data} fields it reads; the rest are the caller's to skip. */
        int fieldsRead() {
            return fields.length;
        }

        private int op(Field f) {
            if (f.array()) {
                return OP_OTHER;
            }
            if (f.constantPool()) {
                return OP_VARINT;
            }
            Type t = type(f.typeId());
            if (t == null) {
                return OP_OTHER;
            }
            return switch (t.name) {
                case "boolean", "byte" -> OP_BYTE;
                case "short", "int", "long", "char" -> OP_VARINT;
                case "float" -> OP_F4;
                case "double" -> OP_F8;
                case "java.lang.String" -> OP_STRING;
                default -> OP_OTHER;
            };
        }

        void read(JfrCursor c, long[] out) {
            for (int i = 0; i < ops.length; i++) {
                long v;
                switch (ops[i]) {
                    case OP_VARINT -> v = c.varlong();
                    case OP_BYTE -> v = c.u1();
                    case OP_F4 -> v = (long) c.f4();
                    case OP_F8 -> v = (long) c.f8();
                    case OP_STRING -> {
                        c.skipString();
                        v = 0;
                    }
                    default -> {
                        skip(c, fields[i]);
                        v = 0;
                    }
                }
                int s = slots[i];
                if (s >= 0) {
                    out[s] = v;
                }
            }
        }
    }
}
