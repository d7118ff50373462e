package dev.proflab.server.collect;

import dev.proflab.profile.ProfileKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static dev.proflab.server.collect.CollectTestSupport.visible;
import static org.assertj.core.api.Assertions.assertThat;

/** Retention by count per kind and by bytes over all kinds; only the collector's own files are touched. */
class RetentionTest {

    private static Path file(Path out, String kind, String name, int bytes) throws IOException {
        Path p = Files.createDirectories(out.resolve(kind)).resolve(name);
        Files.write(p, new byte[bytes]);
        return p;
    }

    private static List<String> names(Path dir) throws IOException {
        return visible(dir).stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void keepsTheNewestNOfEachKindInTimeOrderNotNameOrder(@TempDir Path out) throws IOException {
        file(out, "cpu", "cpu_20261126-104500.pb.gz", 10);
        file(out, "cpu", "cpu_20261126-104500-1.pb.gz", 10); // later in the same second, sorts first by name
        file(out, "cpu", "cpu_20261126-104400.pb.gz", 10);
        file(out, "cpu", "cpu_20261126-104600.jfr", 10);
        file(out, "heap", "heap_20261126-104000.pb.gz", 10);
        file(out, "cpu", "notes.txt", 10);                    // not ours
        file(out, "cpu", "cpu_latest.pb.gz", 10);             // not ours
        Retention.Result r = new Retention(out, 2, 0).apply(Set.of());
        assertThat(names(out.resolve("cpu"))).containsExactlyInAnyOrder(
                "cpu_20261126-104500-1.pb.gz", "cpu_20261126-104600.jfr", "notes.txt", "cpu_latest.pb.gz");
        assertThat(names(out.resolve("heap"))).containsExactly("heap_20261126-104000.pb.gz");
        assertThat(r.files()).isEqualTo(3);
        assertThat(r.bytes()).isEqualTo(30);
        assertThat(r.deleted()).isEqualTo(2);
        assertThat(r.withinQuota()).isTrue();
    }

    @Test
    void aByteQuotaDeletesTheOldestOfAnyKindButNeverTheCycleJustWritten(@TempDir Path out) throws IOException {
        file(out, "heap", "heap_20261126-100000.pb.gz", 400);
        file(out, "cpu", "cpu_20261126-100100.pb.gz", 300);
        file(out, "cpu", "cpu_20261126-100200.pb.gz", 300);
        Path newest = file(out, "heap", "heap_20261126-100300.pb.gz", 300);
        Retention.Result r = new Retention(out, 0, 700).apply(Set.of(newest.toAbsolutePath()));
        assertThat(names(out.resolve("heap"))).containsExactly("heap_20261126-100300.pb.gz");
        assertThat(names(out.resolve("cpu"))).containsExactly("cpu_20261126-100200.pb.gz");
        assertThat(r.bytes()).isEqualTo(600);
        assertThat(r.withinQuota()).isTrue();

        // a quota smaller than the cycle just written: reported, the new files stay
        Retention.Result tight = new Retention(out, 0, 100).apply(Set.of(newest.toAbsolutePath()));
        assertThat(names(out.resolve("heap"))).containsExactly("heap_20261126-100300.pb.gz");
        assertThat(names(out.resolve("cpu"))).isEmpty();
        assertThat(tight.withinQuota()).isFalse();
        assertThat(tight.bytes()).isEqualTo(300);
    }

    @Test
    void staleTemporaryFilesAreRemovedAndOnlyThey(@TempDir Path out) throws IOException {
        file(out, "cpu", ".cpu_20261126-104500.pb.gz.tmp", 5);
        file(out, "wall", ".wall_20261126-104500.jfr.tmp", 5);
        file(out, "cpu", "cpu_20261126-104500.pb.gz", 5);
        file(out, "cpu", ".keep", 1);
        assertThat(Retention.removeStaleTemps(out)).isEqualTo(2);
        assertThat(names(out.resolve("cpu"))).containsExactly("cpu_20261126-104500.pb.gz");
        assertThat(Files.exists(out.resolve("cpu/.keep"))).isTrue();
    }

    @Test
    void namesParse() {
        assertThat(Retention.parse(Path.of("cpu_20261126-104500-12.pb.gz"), 1)).hasValueSatisfying(e -> {
            assertThat(e.kind()).isEqualTo(ProfileKind.CPU);
            assertThat(e.seq()).isEqualTo(12);
            assertThat(e.start()).hasToString("2026-11-26T10:45");
        });
        assertThat(Retention.parse(Path.of("cpu_20261399-104500.pb.gz"), 1)).isEmpty();
        assertThat(Retention.parse(Path.of("cpu_20261126-104500.pprof"), 1)).isEmpty();
        assertThat(Retention.parse(Path.of(".cpu_20261126-104500.pb.gz.tmp"), 1)).isEmpty();
    }
}
