package dev.proflab.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesAndReplaces() throws IOException {
        Path f = dir.resolve("sub/out.txt");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeString(f, "two");
        assertThat(f).hasContent("two");
        AtomicFiles.append(f, "+three");
        assertThat(f).hasContent("two+three");
        try (var files = Files.list(f.getParent())) {
            assertThat(files).containsExactly(f);
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path f = dir.resolve("out.txt");
        AtomicFiles.writeString(f, "old");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write("half of the new".getBytes());
            throw new IOException("No space left on device"); // how the OS's ENOSPC arrives from a write
        })).isInstanceOf(java.nio.file.FileSystemException.class)
                .hasMessage(f + ": no space left on device");
        assertThat(f).hasContent("old");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }
    }

    @Test
    void filesAreReadableByOthersLikeAnyNewFile() throws IOException {
        Path f = dir.resolve("results.md");
        AtomicFiles.writeString(f, "x");
        Path plain = Files.writeString(dir.resolve("plain.md"), "x");
        assertThat(Files.getPosixFilePermissions(f)).isEqualTo(Files.getPosixFilePermissions(plain));
        assertThat(Files.getPosixFilePermissions(f)).contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void aPathThroughAFileNamesTheTargetAndTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "x");
        Path target = file.resolve("out.svg");
        assertThatThrownBy(() -> AtomicFiles.writeString(target, "<svg/>"))
                .isInstanceOf(java.nio.file.FileSystemException.class)
                .hasMessage(target + ": " + file + " is not a folder");
        assertThat(file).hasContent("x");
    }

    @Test
    void aFolderThatCannotBeWrittenNamesTheTargetNotTheTemporaryFile() throws IOException {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Path target = ro.resolve("out.txt");
        // the refusal as the file system reports it for the hidden temporary file beside the target
        Path tmp = ro.resolve(".out.txt.1a2b.part");
        IOException e = AtomicFiles.explain(target, new java.nio.file.AccessDeniedException(tmp.toString()));
        assertThat(e).hasMessage(target + ": permission denied (in " + ro + ")").hasMessageNotContaining(".part");
        IOException rofs = AtomicFiles.explain(target,
                new java.nio.file.FileSystemException(tmp.toString(), null, "Read-only file system"));
        assertThat(rofs).hasMessage(target + ": read-only file system (in " + ro + ")");
        // explained once: explaining again changes nothing
        assertThat(AtomicFiles.explain(target, rofs)).isSameAs(rofs);
        // the content's own errors are not the file system's
        IOException own = new java.io.EOFException("source ended");
        assertThat(AtomicFiles.explain(target, own)).isSameAs(own);
    }
}
