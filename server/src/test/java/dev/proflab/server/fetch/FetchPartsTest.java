package dev.proflab.server.fetch;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The temporary files of a fetch ({@code .NAME.<hex>.part} and its {@code .lock}): a fetch killed with SIGKILL leaves
 * them, the next fetch into the folder deletes them; those of a fetch still running in another process stay.
 */
@Tag("slow")
class FetchPartsTest {

    /** {@code FetchPartsTest$Child URL OUT}: one fetch with a long deadline, until killed. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            new ProfileFetcher(Duration.ofMinutes(5)).fetch(URI.create(args[0]), Path.of(args[1]), null);
        }
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static List<String> hidden(Path dir) throws IOException {
        return names(dir).stream().filter(n -> n.startsWith(".")).toList();
    }

    @Test
    void aKilledFetchsFilesGoWithTheNextFetchAndARunningOnesStay(@TempDir Path dir, @TempDir Path logs) throws Exception {
        byte[] pprof = HostileServer.cpuPprof();
        HostileServer[] self = new HostileServer[1];
        try (HostileServer server = HostileServer.start(ex -> {
            if (ex.getRequestURI().getPath().equals("/trickle")) {
                self[0].trickle(ex, Duration.ofMillis(200));
            } else {
                HostileServer.reply(ex, 200, "application/octet-stream", pprof);
            }
        })) {
            self[0] = server;
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    Child.class.getName(), server.base() + "/trickle", dir.resolve("slow.pb.gz").toString())
                    .redirectErrorStream(true).redirectOutput(logs.resolve("child.log").toFile()).start();
            try {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < end && !partHasBytes(dir)) {
                    Thread.sleep(50);
                }
                List<String> theirs = hidden(dir);
                assertThat(theirs).as("the child is downloading").hasSize(2);
                assertThat(theirs.get(0)).matches("\\.slow\\.pb\\.gz\\.[0-9a-f]{16}\\.lock");
                assertThat(theirs.get(1)).matches("\\.slow\\.pb\\.gz\\.[0-9a-f]{16}\\.part");

                // a fetch into the same folder meanwhile leaves the running one's files alone
                new ProfileFetcher(Duration.ofSeconds(10)).fetch(URI.create(server.base() + "/ok"), dir.resolve("a.pb.gz"), null);
                assertThat(names(dir)).containsExactlyElementsOf(Stream.concat(theirs.stream(), Stream.of("a.pb.gz")).sorted().toList());

                p.destroyForcibly(); // SIGKILL
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isEqualTo(137);
                assertThat(hidden(dir)).isEqualTo(theirs);

                // the next fetch deletes them
                new ProfileFetcher(Duration.ofSeconds(10)).fetch(URI.create(server.base() + "/ok"), dir.resolve("b.pb.gz"), null);
                assertThat(names(dir)).containsExactly("a.pb.gz", "b.pb.gz");
            } finally {
                p.destroyForcibly();
            }
        }
    }

    private static boolean partHasBytes(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".part")).anyMatch(f -> {
                try {
                    return Files.size(f) > 0;
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void onlyTheFetchersOwnStaleFilesAreDeleted(@TempDir Path dir) throws Exception {
        String hex = "0123456789abcdef";
        // a pair whose lock nobody holds, a .part whose lock is gone, a lock alone for minutes: stale
        Files.writeString(dir.resolve(".a.pb.gz." + hex + ".part"), "half");
        Files.writeString(dir.resolve(".a.pb.gz." + hex + ".lock"), "");
        Files.writeString(dir.resolve(".b.pb.gz." + hex + ".part"), "half");
        Path oldLock = Files.writeString(dir.resolve(".d.pb.gz." + hex + ".lock"), "");
        Files.setLastModifiedTime(oldLock, FileTime.from(Instant.now().minus(Duration.ofMinutes(2))));
        // a lock just created (its fetch has not locked it yet), and files that are not the fetcher's: kept
        Files.writeString(dir.resolve(".c.pb.gz." + hex + ".lock"), "");
        for (String other : List.of(".e.part", "f.part", ".g.pb.gz.xyz.part", ".h.pb.gz.0123.part", "notes.txt",
                ".cpu_20261126-104500.pb.gz.tmp")) {
            Files.writeString(dir.resolve(other), "mine");
        }
        assertThat(ProfileFetcher.removeStaleParts(dir)).isEqualTo(4);
        assertThat(names(dir)).containsExactly(".c.pb.gz." + hex + ".lock", ".cpu_20261126-104500.pb.gz.tmp",
                ".e.part", ".g.pb.gz.xyz.part", ".h.pb.gz.0123.part", "f.part", "notes.txt");
    }
}
