package dev.proflab.export;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real client, Go's {@code go tool pprof} ({@code apt-get install golang-go}), on files the
 * exporters wrote. Tests that need it are skipped with a visible message when Go is not installed,
 * and fail when the environment says CI=true (CI must have it).
 */
final class GoPprof {

    private GoPprof() {
    }

    record Result(int exitCode, String out, String err) {
    }

    /** The go binary: {@code -Dproflab.go=PATH} ({@code none}: as if not installed), else PATH, else the usual places. */
    static Optional<Path> go() {
        String forced = System.getProperty("proflab.go");
        if (forced != null && !forced.isBlank()) {
            return forced.equals("none") ? Optional.empty() : Optional.of(Path.of(forced));
        }
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "go"));
                }
            }
        }
        candidates.add(Path.of("/usr/lib/go/bin/go"));
        candidates.add(Path.of("/usr/local/go/bin/go"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** The go binary, or skips the test (fails it on CI) saying how to get it. */
    static Path requireGo() {
        Optional<Path> go = go();
        if (go.isEmpty()) {
            String msg = "go tool pprof not found (apt-get install -y golang-go): skipping the check with Go's pprof";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(msg.replace("skipping", "CI=true, so not skipping"));
            }
            System.err.println("SKIPPED: " + msg);
            Assumptions.abort(msg);
        }
        return go.get();
    }

    /** {@code go tool pprof ARGS}, in {@code dir}, with its temporary files in {@code dir}. */
    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(requireGo().toString(), "tool", "pprof"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("PPROF_TMPDIR", dir.toString());
        pb.environment().put("PPROF_BINARY_PATH", dir.toString());
        pb.environment().putIfAbsent("HOME", dir.toString());
        Path out = dir.resolve("pprof.out");
        Path err = dir.resolve("pprof.err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            Assertions.fail("go tool pprof did not finish in 120 s: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
