package dev.proflab.gc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The JSON of the GC reports ({@code proflab gc}, {@code proflab gclog}): numbers to four decimals, null when unknown. */
final class GcJson {

    static final ObjectMapper MAPPER = JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    private GcJson() {
    }

    /** Four decimals at most, trailing zeros dropped; null for unknown, NaN or infinite. */
    static void num(ObjectNode o, String field, Double v) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            o.putNull(field);
        } else {
            o.put(field, BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros());
        }
    }

    /** Indented, with a final newline. */
    static String write(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
