package dev.proflab.export;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;

import java.util.List;

/**
 * Which value of a sample an export that shows one number per frame (collapsed stacks, flame graphs)
 * uses, as pprof's {@code -sample_index}: an index ({@code 0}), a type ({@code alloc_space}) or a word
 * ({@code bytes}, {@code objects}, {@code samples}, {@code time}; see {@link ValueType#indexOf}).
 * Without a choice it is the profile's {@link Profile#defaultValueIndex() default}: the one asked for
 * when it was read, else the last value type, as pprof does ({@code cpu} of {@code samples, cpu};
 * {@code alloc_space} of {@code alloc_objects, alloc_space}).
 */
public final class SampleIndex {

    private SampleIndex() {
    }

    /**
     * Resolves {@code name} (null or blank: the profile's default) against the profile's value types.
     *
     * @throws ExportException naming the value types there are, when none fits
     */
    public static int resolve(Profile profile, String name) {
        List<ValueType> types = profile.valueTypes();
        if (name == null || name.isBlank()) {
            return profile.defaultValueIndex();
        }
        int i = ValueType.indexOf(types, name);
        if (i < 0) {
            throw new ExportException("sample index '" + name.strip() + "' is not in this profile"
                    + " (or fits more than one value): it has " + describe(types));
        }
        return i;
    }

    /** {@code 0=samples/count, 1=cpu/nanoseconds}, for messages. */
    static String describe(List<ValueType> types) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < types.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(i).append('=').append(types.get(i));
        }
        return sb.toString();
    }
}
