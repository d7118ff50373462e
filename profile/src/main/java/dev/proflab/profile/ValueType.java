package dev.proflab.profile;

import java.util.List;
import java.util.Locale;

/**
 * What one value of a sample measures, as pprof's ValueType: {@code samples/count},
 * {@code cpu/nanoseconds}, {@code alloc_space/bytes}, {@code alloc_objects/count}, {@code delay/nanoseconds}.
 */
public record ValueType(String type, String unit) {

    @Override
    public String toString() {
        return type + "/" + unit;
    }

    /**
     * Finds a value type as users name it, like pprof's {@code -sample_index}: an index ({@code 0}), a
     * type ({@code alloc_space}), or a word: {@code bytes}/{@code space}, {@code objects},
     * {@code samples}/{@code count}, {@code time}/{@code nanoseconds}, {@code contentions},
     * {@code delay}. Returns -1 when none fits or the word is ambiguous.
     */
    public static int indexOf(List<ValueType> types, String name) {
        if (name == null || name.isBlank()) {
            return -1;
        }
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.length() < 4 && n.chars().allMatch(Character::isDigit)) {
            int i = Integer.parseInt(n);
            return i < types.size() ? i : -1;
        }
        for (int i = 0; i < types.size(); i++) {
            if (types.get(i).type().equalsIgnoreCase(n)) {
                return i;
            }
        }
        int found = -1;
        for (int i = 0; i < types.size(); i++) {
            if (matches(types.get(i), n)) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }

    private static boolean matches(ValueType t, String n) {
        String type = t.type().toLowerCase(Locale.ROOT);
        String unit = t.unit().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "bytes", "space", "size" -> unit.equals("bytes");
            case "objects", "allocations" -> type.endsWith("objects");
            case "samples", "count", "contentions" -> unit.equals("count") && !type.endsWith("objects")
                    || type.equals(n);
            case "time", "nanoseconds", "ns", "delay" -> unit.equals("nanoseconds");
            default -> unit.equals(n);
        };
    }
}
