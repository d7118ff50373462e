package dev.proflab.report;

import dev.proflab.profile.Frame;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where {@link Lines} looks for source files: under the source roots and nowhere else. */
class LinesSourceTest {

    private static Profile oneFrame(String type) {
        Profile.Builder b = new Profile.Builder(new Profile.Meta("jfr", "cpu", 1_000_000, null, null, "", "", "x.jfr"),
                List.of(new ValueType("samples", "count")));
        int f = b.frame(new Frame(type, "run", "()V", 2, Frame.Kind.JIT));
        b.sample(b.stack(new int[] {f}), b.thread("main"), 0, 5);
        return b.build();
    }

    @Test
    void findsTheFileUnderARoot(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("src/main/java"));
        Files.createDirectories(root.resolve("p"));
        Files.writeString(root.resolve("p/Hot.java"), "package p;\nclass Hot { void run() { spin(); } }\n");
        Lines.Function f = Lines.compute(oneFrame("p.Hot"), Selection.all(), "Hot", List.of(root)).functions().get(0);
        assertThat(f.source()).isEqualTo(root.resolve("p/Hot.java"));
        assertThat(f.lines()).anySatisfy(l -> {
            assertThat(l.number()).isEqualTo(2);
            assertThat(l.flat()).isEqualTo(5);
            assertThat(l.text()).contains("spin()");
        });
    }

    @Test
    void aClassNameThatLeadsOutOfTheRootsReadsNothing(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("src/main/java"));
        // a type ".tmp.x.secret" maps to the absolute "/tmp/x/secret.java", outside the root
        Path secret = Files.writeString(dir.resolve("secret.java"), "secret\nsecret\n").toAbsolutePath();
        String type = secret.toString().replace(".java", "").replace('/', '.');
        assertThat(type).as("a temp folder without dots").startsWith(".").doesNotContain("..");
        Lines.Function f = Lines.compute(oneFrame(type), Selection.all(), "secret", List.of(root)).functions().get(0);
        assertThat(f.file()).isEqualTo(secret.toString().substring(0));
        assertThat(f.source()).isNull();
        assertThat(f.lines()).allSatisfy(l -> assertThat(l.text()).isNull());
    }

    @Test
    void aSourceOfGigabytesIsNotRead(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("src/main/java"));
        Files.createDirectories(root.resolve("p"));
        Path huge = root.resolve("p/Hot.java");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.write("package p; class Hot {".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            f.setLength(2L << 30); // 2 GB without a newline (a hole: no disk taken)
        }
        Lines.Function f = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(15),
                () -> Lines.compute(oneFrame("p.Hot"), Selection.all(), "Hot", List.of(root)).functions().get(0));
        assertThat(f.source()).isNull();
        assertThat(f.lines()).singleElement().satisfies(l -> assertThat(l.text()).isNull());
        Files.delete(huge);
    }

    @Test
    void aLineOfMegabytesIsCut(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("src/main/java"));
        Files.createDirectories(root.resolve("p"));
        Files.writeString(root.resolve("p/Hot.java"), "package p;\n" + "x".repeat(3 << 20) + "\n");
        Lines.Function f = Lines.compute(oneFrame("p.Hot"), Selection.all(), "Hot", List.of(root)).functions().get(0);
        assertThat(f.lines()).anySatisfy(l -> {
            assertThat(l.number()).isEqualTo(2);
            assertThat(l.text()).hasSize(Lines.MAX_LINE_CHARS + 1).endsWith("\u2026");
        });
    }
}
