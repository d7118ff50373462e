package dev.proflab.viewer;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The viewer's one Jackson mapper, made at its first use rather than when the server's classes load: a cold
 * {@code ObjectMapper} costs about 0.1 s, which {@link ViewerServer} spends on the side while it reads the file
 * ({@link #warm}).
 */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** Makes the mapper and writes a little JSON with it, so that the first answer finds its classes loaded. */
    static void warm() {
        try {
            MAPPER.writeValueAsString(MAPPER.createObjectNode().put("warm", 1).putNull("none"));
        } catch (Exception | LinkageError e) {
            // the first request does it again and reports what fails
        }
    }
}
