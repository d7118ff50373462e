package dev.proflab.capture;

import dev.proflab.io.AtomicFiles;
import dev.proflab.io.FileTrees;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;

/**
 * A hidden folder beside the output ({@code tmp/.fib-before-cpu.jfr.3f2a9c.part/}) where engines write
 * while they record. The finished recording is renamed from there to its name, so a reader never sees
 * a partial file; {@link #close()} removes the folder and whatever is left in it.
 */
final class Workspace implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path output;
    private final Path dir;

    Workspace(Path output) throws IOException {
        this.output = output.toAbsolutePath().normalize();
        Path parent = this.output.getParent();
        try {
            Files.createDirectories(parent);
            this.dir = Files.createDirectory(parent.resolve("." + this.output.getFileName() + "."
                    + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE) + ".part"));
        } catch (IOException e) {
            throw AtomicFiles.explain(this.output, e);
        }
    }

    Path output() {
        return output;
    }

    Path dir() {
        return dir;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    /** Renames {@code recording} (inside this folder) to the output, then writes the sidecar. */
    void commit(Path recording, Metadata metadata) throws IOException {
        try {
            try {
                Files.move(recording, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(recording, output, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw AtomicFiles.explain(output, e);
        }
        metadata.writeBeside(output);
    }

    /**
     * Bytes left on the output's file system, or -1 when it cannot tell: a recording cut short on a full disk
     * says so instead of "not a complete JFR recording".
     */
    long usableSpace() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        FileTrees.deleteQuietly(dir); // best effort: a hidden .part folder may stay behind
    }
}
