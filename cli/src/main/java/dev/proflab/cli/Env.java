package dev.proflab.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where things are: the project folder, the benchmarks and labs jars, the java that runs this CLI. Two layouts: the
 * source tree ({@code ./proflab} sets {@code PROFLAB_HOME} to it: jars in each module's {@code target/}, results in
 * its {@code tmp/}) and an installed archive ({@code bin/proflab} sets {@code PROFLAB_LIB} to its {@code lib/}, where
 * the jars are; results go to {@code tmp/} of the working directory, as the install folder may not be writable).
 */
final class Env {

    private Env() {
    }

    /** The project folder: {@code PROFLAB_HOME} (set by the launcher), else the working directory. */
    static Path home() {
        String h = System.getenv("PROFLAB_HOME");
        return (h == null || h.isBlank() ? Path.of("") : Path.of(h)).toAbsolutePath().normalize();
    }

    /** The installed archive's {@code lib/} ({@code PROFLAB_LIB}, set by its launcher), or null in the source tree. */
    static Path lib() {
        String l = System.getenv("PROFLAB_LIB");
        return l == null || l.isBlank() ? null : Path.of(l).toAbsolutePath().normalize();
    }

    /** The java binary of the JVM running this CLI: forks use the same JDK. */
    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static Path benchmarksJar(Path override) {
        Path lib = lib();
        Path jar = override != null ? override
                : lib != null ? lib.resolve("benchmarks.jar") : home().resolve("bench/target/benchmarks.jar");
        if (!Files.isRegularFile(jar)) {
            throw new UsageException(jar + ": benchmarks jar not found ("
                    + (override == null && lib == null ? "build it with 'make build', or pass --jar)" : "pass --jar)"));
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
        Path lib = lib();
        if (lib != null) {
            Path jar = lib.resolve("proflab-labs.jar");
            if (!Files.isRegularFile(jar)) {
                throw new UsageException(jar + ": labs jar not found (pass --labs-jar)");
            }
            return jar;
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

    /**
     * Output folder for raw results, as the seed kept them: {@code tmp/} in the project, or in the working directory
     * when run from an installed archive.
     */
    static Path tmp() {
        return home().resolve("tmp");
    }
}
