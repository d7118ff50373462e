package dev.proflab.stats;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Test resources under {@code src/test/resources/stats}. */
final class TestFiles {

    private TestFiles() {
    }

    static Path dir() {
        try {
            return Path.of(TestFiles.class.getResource("/stats/fib-old.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file(String name) {
        return dir().resolve(name);
    }

    /** An input named like a user would type it, relative to the resource folder. */
    static StatInput input(String name) {
        return StatInput.of(name, file(name));
    }
}
