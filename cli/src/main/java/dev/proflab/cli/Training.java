package dev.proflab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import dev.proflab.viewer.ViewerServer;

/**
 * The training run of the start-up cache: runs the short commands, in one JVM, on a small recording kept in the
 * jar, their output thrown away, so that a JDK 25 AOT cache ({@code -XX:AOTCacheOutput}) or a CDS archive
 * ({@code -XX:ArchiveClassesAtExit}) made from this run holds the classes every one of them loads and links.
 * The launcher runs it once per build, in the background ({@code docs/benchmarks.md}, start-up).
 *
 * <pre>{@code
 * java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:AOTCacheOutput=proflab.aot -cp proflab.jar dev.proflab.cli.Training
 * }</pre>
 *
 * <p>Exit code 0 when every command gave the exit code it should, 1 otherwise (then no cache should be kept:
 * the commands did not run as users run them).
 */
public final class Training {

    private Training() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("proflab-training");
        try {
            int failed = run(dir);
            System.exit(failed == 0 ? 0 : 1);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Runs the commands in {@code dir} (a recording and the converted files go there); returns how many failed. */
    static int run(Path dir) {
        Path f = dir.resolve("training.jfr");
        try (InputStream in = Training.class.getResourceAsStream("training.jfr")) {
            if (in == null) {
                throw new IllegalStateException("training.jfr is missing from the jar");
            }
            Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String file = f.toString();
        List<String[]> commands = new ArrayList<>(List.of(
                new String[] {"--version"},
                new String[] {"--help"},
                new String[] {"top", file},
                new String[] {"top", file, "--format", "json", "--cum"},
                new String[] {"top", file, "--focus", "Workload", "--hide", "main"},
                new String[] {"peek", ".", file, "-n", "5"},
                new String[] {"tree", file},
                new String[] {"traces", file, "-n", "5"},
                new String[] {"list", "methodA", file},
                new String[] {"timeline", file},
                new String[] {"diff", file, file},
                new String[] {"top", "--help"}));
        for (String ext : List.of("svg", "html", "pb.gz", "collapsed")) {
            commands.add(new String[] {"convert", file, "-o", dir.resolve("out." + ext).toString()});
        }
        int failed = view(f);
        PrintWriter none = new PrintWriter(OutputStream.nullOutputStream());
        for (String[] c : commands) {
            int code = Main.run(c, none, none);
            if (code != 0 && !(code == 2 && c[0].equals("list"))) {   // list says when sources are missing: 2
                System.err.println("training: proflab " + String.join(" ", c) + " exited " + code);
                failed++;
            }
        }
        return failed;
    }

    /** The viewer as {@code proflab view} starts it, and what the page asks first; returns 1 if one failed. */
    static int view(Path file) {
        ViewerServer server = new ViewerServer(file, null, null);
        try {
            server.start("127.0.0.1", 0);
            HttpClient client = HttpClient.newHttpClient();
            for (String path : List.of("/", "/app.js", "/app.css", "/api/meta", "/api/flame", "/api/top",
                    "/api/timeline")) {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 200) {
                    System.err.println("training: GET " + path + " answered " + r.statusCode());
                    return 1;
                }
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("training: the viewer: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            server.stop();
        }
    }
}
