package dev.proflab.analysis;

import java.nio.file.Path;

/** The profile module's checked-in recordings, by path from this module (its test jar is a jar under verify). */
final class Fixture {

    private Fixture() {
    }

    static Path path(String name) {
        return Path.of("../profile/src/test/resources/profiles", name);
    }
}
