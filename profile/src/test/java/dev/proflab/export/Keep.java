package dev.proflab.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Keeps a test's output for a human to look at: {@code -Dexport.keep=DIR} copies files there. */
final class Keep {

    private Keep() {
    }

    static void copy(Path file) {
        String dir = System.getProperty("export.keep");
        if (dir == null || dir.isBlank()) {
            return;
        }
        try {
            Path d = Files.createDirectories(Path.of(dir));
            Files.copy(file, d.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
