package dev.proflab.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes files so that a reader never sees half of one: the content goes to a temporary file in the
 * same folder, which is then renamed over the target. A failed write leaves the target as it was.
 */
public final class AtomicFiles {

    /** Produces the content of a file. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} through a temporary file beside it. A failure of the file system is a
     * {@link FileSystemException} that names {@code target} (never the temporary file alone) and says why in
     * words: permission denied, a read-only file system, no space left, a part of the path that is not a folder.
     */
    public static void write(Path target, Writer content) throws IOException {
        try {
            writeAtomically(target, content);
        } catch (IOException e) {
            throw explain(target, e);
        }
    }

    /**
     * The error to show for a failure to write {@code target} (or a temporary file or folder beside it): a
     * {@link FileSystemException} naming {@code target}, with the reason in words. Errors that are not the
     * file system's (the content's own) come back as they are.
     */
    public static IOException explain(Path target, IOException e) {
        if (e instanceof Explained) {
            return e;
        }
        if (e instanceof FileSystemException f) {
            return failure(target, e, f.getReason() != null ? f.getReason() : e.getClass().getSimpleName());
        }
        if (e.getClass() == IOException.class && e.getMessage() != null) {
            // the OS's own words (ENOSPC, EIO, EDQUOT...), which a plain IOException carries alone
            return failure(target, e, e.getMessage());
        }
        return e; // the content's own error (a failed encoder, a source that cannot be read)
    }

    private static FileSystemException failure(Path target, IOException e, String reason) {
        String why = switch (e) {
            case AccessDeniedException a -> "permission denied" + where(a, target);
            case FileAlreadyExistsException f when !Files.isDirectory(Path.of(f.getFile()))
                    && !Path.of(f.getFile()).toAbsolutePath().equals(target.toAbsolutePath())
                    -> f.getFile() + " is not a folder";
            case NotDirectoryException n -> n.getFile() + " is not a folder";
            case NoSuchFileException n -> "no such folder" + where(n, target);
            default -> lower(reason) + where(e instanceof FileSystemException f ? f : null, target);
        };
        FileSystemException out = new Explained(target.toString(), why);
        out.initCause(e);
        return out;
    }

    /** A failure already put in words: "TARGET: reason". */
    private static final class Explained extends FileSystemException {
        private static final long serialVersionUID = 1L;

        Explained(String file, String reason) {
            super(file, null, reason);
        }
    }

    /** "(in FOLDER)" when the failing file is the temporary one or a folder, not the target itself. */
    private static String where(FileSystemException e, Path target) {
        if (e == null || e.getFile() == null) {
            return "";
        }
        Path f = Path.of(e.getFile()).toAbsolutePath();
        Path abs = target.toAbsolutePath();
        if (f.equals(abs)) {
            return "";
        }
        Path dir = f.getFileName() != null && f.getFileName().toString().endsWith(".part") ? f.getParent() : f;
        return " (in " + dir + ")";
    }

    private static String lower(String reason) {
        return reason.isEmpty() || reason.length() > 1 && Character.isUpperCase(reason.charAt(1))
                ? reason : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
    }

    private static void writeAtomically(Path target, Writer content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: its files are private (0600); this one gets the usual permissions.
        Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".part");
        boolean done = false;
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Appends text by rewriting the whole file atomically (for small files such as docs/results.md). */
    public static void append(Path target, String text) throws IOException {
        String old = Files.exists(target) ? Files.readString(target, StandardCharsets.UTF_8) : "";
        writeString(target, old + text);
    }
}
