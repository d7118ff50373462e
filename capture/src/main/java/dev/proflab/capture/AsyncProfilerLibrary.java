package dev.proflab.capture;

import dev.proflab.io.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;

/**
 * The async-profiler agent library: taken from the {@code tools.profiler:async-profiler} jar on the class
 * path, extracted once to a cache folder (forked and attached JVMs load it from there by path), and
 * checked by loading it into this JVM.
 *
 * <p>Where: {@code $XDG_CACHE_HOME/proflab/async-profiler/<version>-<sha256 prefix>/<platform>/libasyncProfiler.so}
 * ({@code ~/.cache} when the variable is unset; {@code java.io.tmpdir/proflab-<user>} when the home folder
 * cannot be written). The system property {@value #LIBRARY_PROPERTY} or the environment variable
 * {@value #LIBRARY_ENV} names another library to use instead (a local build, another version, or a
 * path that does not exist to see the JDK Flight Recorder fallback).
 */
public final class AsyncProfilerLibrary {

    public static final String LIBRARY_PROPERTY = "proflab.asyncProfiler";
    public static final String LIBRARY_ENV = "PROFLAB_ASYNC_PROFILER";

    /**
     * The outcome of looking for the library.
     *
     * @param library the library file, or null when there is none
     * @param version async-profiler's own version ("4.5"), or null when it did not load
     * @param problem why it cannot be used here, or null when it can
     */
    public record Status(Path library, String version, String problem) {
        public boolean usable() {
            return problem == null;
        }
    }

    private static final java.util.Map<String, Status> CACHE = new java.util.HashMap<>();
    /** Why this JVM must not load the library, or null ({@link #refuse}). */
    private static String refused;

    private AsyncProfilerLibrary() {
    }

    /**
     * Finds, extracts and loads the library once per JVM (and per {@value #LIBRARY_PROPERTY} value); later calls
     * return the same answer.
     */
    public static synchronized Status probe() {
        if (refused != null) {
            return new Status(null, null, refused);
        }
        String override = System.getProperty(LIBRARY_PROPERTY);
        if (override == null || override.isBlank()) {
            override = System.getenv(LIBRARY_ENV);
        }
        String key = override == null || override.isBlank() ? "" : override;
        Status known = CACHE.get(key);
        if (known != null) {
            return known;
        }
        Status found;
        if (Thread.currentThread().isVirtual()) {
            // loaded from a virtual thread, async-profiler cannot find the JVM's thread structures and
            // refuses every start afterwards ("Could not find VMThread bridge"): load it on a platform thread
            Status[] out = new Status[1];
            Thread t = Thread.ofPlatform().daemon().name("proflab-async-profiler-load").start(() -> out[0] = find(key));
            boolean interrupted = false;
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            found = out[0] != null ? out[0] : new Status(null, null, "the library could not be loaded");
        } else {
            found = find(key);
        }
        CACHE.put(key, found);
        return found;
    }

    /**
     * From now on {@link #probe()} answers "not usable: {@code reason}" in this JVM, so that captures fall back to
     * JDK Flight Recorder: proflab-agent calls it when the JVM it was loaded into already has an async-profiler of
     * its own (a second copy of the library would take over its signal handler and stop its profiling). Does not
     * undo a library already loaded.
     */
    public static synchronized void refuse(String reason) {
        refused = java.util.Objects.requireNonNull(reason, "reason");
    }

    private static Status find(String override) {
        Path lib;
        if (!override.isEmpty()) {
            lib = Path.of(override).toAbsolutePath();
            if (!Files.isRegularFile(lib)) {
                return new Status(null, null, lib + " (from " + LIBRARY_ENV + ") does not exist");
            }
        } else {
            String tag = platformTag();
            if (tag == null) {
                return new Status(null, null, "no async-profiler library for " + System.getProperty("os.name")
                        + " " + System.getProperty("os.arch"));
            }
            try {
                lib = extract(tag);
            } catch (IOException | RuntimeException e) {
                return new Status(null, null, "cannot extract the library: " + e.getMessage());
            }
            if (lib == null) {
                return new Status(null, null, "tools.profiler:async-profiler has no " + tag + " library on the class path");
            }
        }
        try {
            Class<?> api = Class.forName("one.profiler.AsyncProfiler");
            Object profiler = api.getMethod("getInstance", String.class).invoke(null, lib.toString());
            String version = (String) api.getMethod("getVersion").invoke(profiler);
            return new Status(lib, version, null);
        } catch (ClassNotFoundException e) {
            return new Status(lib, null, "the async-profiler Java API is not on the class path");
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable c = e.getCause();
            return new Status(lib, null, c.getClass().getSimpleName() + ": " + c.getMessage());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return new Status(lib, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** async-profiler's name for this platform's folder in its jar, or null when it has none. */
    static String platformTag() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            return switch (arch) {
                case "amd64", "x86_64" -> "linux-x64";
                case "aarch64", "arm64" -> "linux-arm64";
                default -> null;
            };
        } else if (os.contains("mac")) {
            return "macos";
        }
        return null;
    }

    private static Path extract(String tag) throws IOException {
        byte[] bytes;
        try (InputStream in = resource("/" + tag + "/libasyncProfiler.so")) {
            if (in == null) {
                return null;
            }
            bytes = in.readAllBytes();
        }
        String hash = sha256(bytes).substring(0, 12);
        Path dir = cacheRoot().resolve("async-profiler").resolve(jarVersion() + "-" + hash).resolve(tag);
        Path lib = dir.resolve("libasyncProfiler.so");
        if (Files.isRegularFile(lib) && Files.size(lib) == bytes.length
                && sha256(Files.readAllBytes(lib)).startsWith(hash)) {
            return lib;
        }
        AtomicFiles.write(lib, out -> out.write(bytes));
        return lib;
    }

    private static InputStream resource(String name) {
        try {
            Class<?> api = Class.forName("one.profiler.AsyncProfiler");
            return api.getResourceAsStream(name);
        } catch (ClassNotFoundException e) {
            return AsyncProfilerLibrary.class.getResourceAsStream(name);
        }
    }

    private static String jarVersion() {
        try (InputStream in = resource("/META-INF/maven/tools.profiler/async-profiler/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path home = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home", "."), ".cache");
        Path root = home.resolve("proflab");
        try {
            Files.createDirectories(root);
            if (Files.isWritable(root)) {
                return root;
            }
        } catch (IOException e) {
            // fall through to the temporary folder
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "proflab-" + System.getProperty("user.name", "user"));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
