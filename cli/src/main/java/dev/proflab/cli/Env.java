package dev.proflab.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where things are: the project folder, the benchmarks jar, the java that runs this CLI. */
final class Env {

    private Env() {
    }

    /** The project folder: {@code PROFLAB_HOME} (set by the launcher), else the working directory. */
    static Path home() {
        String h = System.getenv("PROFLAB_HOME");
        return (h == null || h.isBlank() ? Path.of("") : Path.of(h)).toAbsolutePath().normalize();
    }

    /** The java binary of the JVM running this CLI: forks use the same JDK. */
    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static Path benchmarksJar(Path override) {
        Path jar = override != null ? override : home().resolve("bench/target/benchmarks.jar");
        if (!Files.isRegularFile(jar)) {
            throw new UsageException(jar + ": benchmarks jar not found (build it with 'make build', or pass --jar)");
        }
        return jar;
    }

    /** The labs jar: {@code override} (--labs-jar) when given, else the one built in {@code labs/target}. */
    static Path labsJar(Path override) {
        if (override != null) {
            if (!Files.isRegularFile(override)) {
                throw new UsageException(override + ": labs jar not found");
            }
            return override.toAbsolutePath();
        }
        Path dir = home().resolve("labs/target");
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "proflab-labs-*.jar")) {
                for (Path p : s) {
                    String n = p.getFileName().toString();
                    if (!n.endsWith("-sources.jar") && !n.endsWith("-tests.jar") && !n.endsWith("-javadoc.jar")) {
                        return p;
                    }
                }
            } catch (IOException e) {
                // fall through
            }
        }
        throw new UsageException(dir.resolve("proflab-labs-*.jar")
                + ": labs jar not found (build it with 'make build', or pass --labs-jar)");
    }

    /** Output folder for raw results, as the seed kept them: {@code tmp/} in the project. */
    static Path tmp() {
        return home().resolve("tmp");
    }
}
