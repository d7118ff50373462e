package dev.proflab.agent;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** HTTP, profiles and {@code go tool pprof} for the agent's tests. */
final class Http {

    private Http() {
    }

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    static HttpResponse<byte[]> get(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** A gzipped profile.proto read by the profile library's ProfileReader. */
    static Profile profile(byte[] body) throws IOException {
        Path f = Files.createTempFile("agent-test-", ".pb.gz");
        try {
            Files.write(f, body);
            return ProfileReader.read(f);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /** True when some stack of the profile has a frame whose name contains {@code part}. */
    static boolean anyFrame(Profile p, String part) {
        for (int s = 0; s < p.stackCount(); s++) {
            for (int f : p.stack(s)) {
                if (p.frame(f).name().contains(part)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Go's {@code go} binary, or null. */
    static String go() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "go"))) {
                return Path.of(dir, "go").toString();
            }
        }
        for (String p : List.of("/usr/bin/go", "/usr/local/go/bin/go", "/usr/lib/go/bin/go")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    /** {@code go tool pprof ARGS}: its standard output; throws with its stderr on a non-zero exit. */
    static String pprof(String go, Path home, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(go, "tool", "pprof"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PPROF_TMPDIR", home.toString());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("GOCACHE", home.resolve("gocache").toString());
        Path out = Files.createTempFile(home, "pprof-out", ".txt");
        Path err = Files.createTempFile(home, "pprof-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("go tool pprof did not finish in 90 s: " + cmd);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        System.out.println("$ go tool pprof " + String.join(" ", args) + "\n" + stderr
                + String.join("\n", stdout.lines().limit(16).toList()));
        if (p.exitValue() != 0) {
            throw new AssertionError("go tool pprof exit " + p.exitValue() + ": " + stderr);
        }
        return stdout;
    }
}
