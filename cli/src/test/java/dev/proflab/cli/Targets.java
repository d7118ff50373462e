package dev.proflab.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** JVMs for the capture tests to record: lab workloads from the labs jar, fixtures from the test class path. */
final class Targets {

    private Targets() {
    }

    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static Path labsJar() throws IOException {
        Path dir = Path.of("../labs/target");
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "proflab-labs-*.jar")) {
            for (Path p : s) {
                if (!p.getFileName().toString().matches(".*-(sources|tests|javadoc)\\.jar")) {
                    return p.toAbsolutePath();
                }
            }
        }
        throw new IllegalStateException("labs jar not found in " + dir.toAbsolutePath() + ": build the labs module first");
    }

    static Path benchmarksJar() {
        return Path.of(System.getProperty("proflab.benchmarksJar", "../bench/target/benchmarks.jar")).toAbsolutePath();
    }

    /** A started JVM, stopped on close; {@link #awaitLine} reads its output. */
    record Jvm(Process process, BufferedReader out) implements AutoCloseable {

        long pid() {
            return process.pid();
        }

        /** Waits (up to 20 s) for a line of output that contains {@code text}. */
        String awaitLine(String text) throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.contains(text)) {
                    return line;
                }
            }
            throw new IllegalStateException("the JVM ended without printing '" + text + "'");
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code java -cp labs.jar dev.proflab.labs.Run ARGS...}, waiting for {@code ready} on its output. */
    static Jvm lab(String ready, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java().toString(), "-cp", labsJar().toString(), "dev.proflab.labs.Run"));
        cmd.addAll(List.of(args));
        return start(cmd, ready);
    }

    /** A main class of the test class path. */
    static Jvm fixture(Class<?> main, String ready, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java().toString(), "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return start(cmd, ready);
    }

    private static Jvm start(List<String> cmd, String ready) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Jvm jvm = new Jvm(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        if (ready != null) {
            jvm.awaitLine(ready);
        }
        return jvm;
    }
}
