package dev.proflab.profile;

/**
 * What one value of a sample measures, as pprof's ValueType: {@code samples/count},
 * {@code cpu/nanoseconds}, {@code alloc_space/bytes}, {@code alloc_objects/count}, {@code delay/nanoseconds}.
 */
public record ValueType(String type, String unit) {

    @Override
    public String toString() {
        return type + "/" + unit;
    }
}
