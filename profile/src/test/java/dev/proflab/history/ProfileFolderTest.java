package dev.proflab.history;

import dev.proflab.export.Pprof;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileException;
import dev.proflab.profile.ProfileKind;
import dev.proflab.profile.ProfileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A folder of windows as {@code proflab collect} writes it, and flat folders of profiles, on real recordings. */
class ProfileFolderTest {

    static final Path PROFILES = Path.of("src/test/resources/profiles");
    static final Path CPU = PROFILES.resolve("ap-cpu.jfr");
    static final Path CPU_PPROF = PROFILES.resolve("ap-cpu.pb.gz");
    static final Path ALLOC = PROFILES.resolve("ap-alloc.jfr");
    static final Path LOCK = PROFILES.resolve("ap-lock.jfr");

    @TempDir
    Path dir;

    private Path put(Path from, String name) throws IOException {
        Path to = dir.resolve(name);
        Files.createDirectories(to.getParent());
        return Files.copy(from, to);
    }

    @Test
    void readsTheCollectorsLayoutByNameAndIgnoresTempFilesAndOthers() throws IOException {
        put(CPU, "cpu/cpu_20261126-100100.jfr");
        put(CPU, "cpu/cpu_20261126-100000.jfr");
        put(CPU, "cpu/cpu_20261126-100000-1.jfr");
        put(CPU_PPROF, "cpu/cpu_20261126-100200.pb.gz");
        put(ALLOC, "allocs/allocs_20261126-100000.jfr");
        put(LOCK, "mutex/mutex_20261126-100030.jfr");
        put(CPU, "cpu/.cpu_20261126-100300.jfr.tmp");          // the collector's temp file
        put(CPU, "cpu/.cpu_20261126-100300.jfr.1f2e.part");    // AtomicFiles' temp file
        Files.writeString(dir.resolve("cpu/README.txt"), "not a profile");
        put(CPU, "other/cpu_20261126-100400.jfr");              // not a kind's folder

        ProfileFolder.Listing l = new ProfileFolder(dir).scan();
        assertThat(l.skipped()).isEmpty();
        assertThat(l.kinds()).containsExactly(ProfileKind.CPU, ProfileKind.ALLOCS, ProfileKind.MUTEX);
        assertThat(l.of(ProfileKind.CPU)).extracting(Window::name).containsExactly(
                "cpu/cpu_20261126-100000.jfr", "cpu/cpu_20261126-100000-1.jfr",
                "cpu/cpu_20261126-100100.jfr", "cpu/cpu_20261126-100200.pb.gz");
        Window first = l.of(ProfileKind.CPU).get(0);
        assertThat(first.start()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(first.timeSource()).isEqualTo(Window.TimeSource.NAME);
        assertThat(l.of(ProfileKind.CPU).get(1).sequence()).isEqualTo(1);
        assertThat(first.size()).isEqualTo(Files.size(CPU));
        // the length is the recording's own (chunk header)
        Profile p = ProfileReader.read(CPU);
        assertThat(first.duration()).isEqualTo(p.meta().duration());
        assertThat(first.end()).isEqualTo(first.start().plus(p.meta().duration()));
        assertThat(l.windows()).extracting(w -> w.kind().id())
                .containsExactly("allocs", "cpu", "cpu", "mutex", "cpu", "cpu");
    }

    @Test
    void aFlatFolderTakesKindAndTimeFromTheProfileWhenTheNameHasNone() throws IOException {
        put(CPU, "service-a.jfr");                        // kind from its events, time from its chunk
        put(ALLOC, "alloc-2026.jfr");                     // kind from the prefix
        put(CPU, "cpu_20200101-090000.jfr");             // both from the name
        Profile cpu = ProfileReader.read(CPU);
        Files.write(dir.resolve("heap.pb.gz"), Pprof.encode(cpu));   // pprof: time_nanos from the export
        Files.writeString(dir.resolve("broken.jfr"), "FLR");          // no kind, no time, no header
        ProfileFolder.Listing l = new ProfileFolder(dir).scan();

        Window a = l.windows().stream().filter(w -> w.name().equals("service-a.jfr")).findFirst().orElseThrow();
        assertThat(a.kind()).isEqualTo(ProfileKind.CPU);
        assertThat(a.timeSource()).isEqualTo(Window.TimeSource.PROFILE);
        assertThat(a.start()).isEqualTo(cpu.meta().start());
        Window alloc = l.windows().stream().filter(w -> w.name().equals("alloc-2026.jfr")).findFirst().orElseThrow();
        assertThat(alloc.kind()).isEqualTo(ProfileKind.ALLOCS);
        Window heap = l.windows().stream().filter(w -> w.name().equals("heap.pb.gz")).findFirst().orElseThrow();
        assertThat(heap.kind()).isEqualTo(ProfileKind.HEAP);
        assertThat(heap.timeSource()).isEqualTo(Window.TimeSource.PROFILE);
        assertThat(heap.start()).isEqualTo(cpu.meta().start());
        assertThat(l.windows().get(0).name()).isEqualTo("cpu_20200101-090000.jfr");
        assertThat(l.skipped()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("broken.jfr");
            assertThat(s.reason()).isNotBlank();
        });
    }

    @Test
    void everyScanSeesNewAndDeletedFiles() throws IOException {
        ProfileFolder f = new ProfileFolder(dir);
        assertThat(f.scan().windows()).isEmpty();
        Path one = put(CPU, "cpu/cpu_20261126-100000.jfr");
        assertThat(f.scan().windows()).hasSize(1);
        put(CPU, "cpu/cpu_20261126-100100.jfr");
        assertThat(f.scan().windows()).hasSize(2);
        Files.delete(one);
        assertThat(f.scan().windows()).extracting(Window::name).containsExactly("cpu/cpu_20261126-100100.jfr");
    }

    @Test
    void aMissingFolderIsOneLine() {
        assertThatThrownBy(() -> new ProfileFolder(dir.resolve("nope")).scan())
                .isInstanceOf(ProfileException.class).hasMessageEndingWith("nope: no such folder");
    }

    @Test
    void profileTimesReadOnlyTheHeaders() {
        Profile p = ProfileReader.read(CPU);
        ProfileTimes jfr = ProfileTimes.read(CPU);
        assertThat(jfr.format()).isEqualTo("jfr");
        assertThat(jfr.start()).isEqualTo(p.meta().start());
        assertThat(jfr.duration()).isEqualTo(p.meta().duration());
        ProfileTimes pprof = ProfileTimes.read(CPU_PPROF);
        assertThat(pprof.format()).isEqualTo("pprof");
        Profile pp = ProfileReader.read(CPU_PPROF);
        assertThat(pprof.start()).isEqualTo(pp.meta().start());
        assertThat(pprof.duration()).isEqualTo(pp.meta().duration());
        assertThatThrownBy(() -> ProfileTimes.read(PROFILES.resolve("README.md"))).isInstanceOf(ProfileException.class);
    }

    @Test
    void kindsByNameAndEvent() {
        assertThat(ProfileFolder.kindOfName("cpu_20261126-100000.pb.gz")).isEqualTo(ProfileKind.CPU);
        assertThat(ProfileFolder.kindOfName("cpu-time_x.jfr")).isEqualTo(ProfileKind.CPU);
        assertThat(ProfileFolder.kindOfName("allocs-1.jfr")).isEqualTo(ProfileKind.ALLOCS);
        assertThat(ProfileFolder.kindOfName("profile_20261126-100000.pb.gz")).isEqualTo(ProfileKind.CPU);
        assertThat(ProfileFolder.kindOfName("park-1.jfr")).isEqualTo(ProfileKind.BLOCK);
        assertThat(ProfileFolder.kindOfName("fib-before-cpu.jfr")).isNull();
    }
}
