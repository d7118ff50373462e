package dev.proflab.server.debug;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the {@code /debug} endpoints behave. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * DebugOptions o = DebugOptions.builder()
 *         .tokenFile(Path.of("/run/secrets/debug-token"))   // needed on non-loopback addresses
 *         .maxSeconds(120)                                  // cap of ?seconds=
 *         .heapDumps(Path.of("/var/tmp/heapdumps"))          // off unless given
 *         .build();
 * }</pre>
 *
 * @param maxSeconds     the largest {@code ?seconds=} accepted (default 120)
 * @param defaultSeconds CPU and wall profiles and {@code /debug/jfr} without {@code ?seconds=} (default 30, as Go)
 * @param shortSeconds   heap, allocs, block and mutex without {@code ?seconds=} (default 5): the JVM keeps no
 *                       running totals of these, so they are sampled for this long
 * @param token          the bearer token required on non-loopback addresses, or null: then the endpoints are off
 *                       there (404)
 * @param heapDumpFolder where {@code /debug/pprof/heapdump} writes {@code .hprof} files, or null: heap dumps off
 * @param lockThreshold  block and mutex: contended waits shorter than this are not recorded (default 10 us)
 * @param tempFolder     where captures are written before they are sent (and then deleted); default java.io.tmpdir
 */
public record DebugOptions(int maxSeconds, int defaultSeconds, int shortSeconds, String token, Path heapDumpFolder,
                           Duration lockThreshold, Path tempFolder) {

    /** The cap of {@code ?seconds=} unless configured. */
    public static final int DEFAULT_MAX_SECONDS = 120;

    public DebugOptions {
        if (maxSeconds < 1 || maxSeconds > 3600) {
            throw new IllegalArgumentException("maxSeconds must be 1..3600, not " + maxSeconds);
        }
        if (defaultSeconds < 1 || shortSeconds < 1) {
            throw new IllegalArgumentException("default seconds must be at least 1");
        }
        defaultSeconds = Math.min(defaultSeconds, maxSeconds);
        shortSeconds = Math.min(shortSeconds, maxSeconds);
        if (token != null) {
            token = token.strip();
            if (token.isEmpty()) {
                throw new IllegalArgumentException("the debug token is empty");
            }
            if (token.length() < 16) {
                throw new IllegalArgumentException("the debug token is too short: use at least 16 characters");
            }
        }
        Objects.requireNonNull(lockThreshold, "lockThreshold");
        if (tempFolder == null) {
            tempFolder = Path.of(System.getProperty("java.io.tmpdir"));
        }
    }

    /** Loopback only, no token, no heap dumps, 120 s cap. */
    public static DebugOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when heap dumps may be written. */
    public boolean heapDumpsEnabled() {
        return heapDumpFolder != null;
    }

    /** Builds {@link DebugOptions}. */
    public static final class Builder {
        private int maxSeconds = DEFAULT_MAX_SECONDS;
        private int defaultSeconds = 30;
        private int shortSeconds = 5;
        private String token;
        private Path heapDumpFolder;
        private Duration lockThreshold = Duration.ofNanos(10_000);
        private Path tempFolder;

        private Builder() {
        }

        public Builder maxSeconds(int s) {
            this.maxSeconds = s;
            return this;
        }

        public Builder defaultSeconds(int s) {
            this.defaultSeconds = s;
            return this;
        }

        public Builder shortSeconds(int s) {
            this.shortSeconds = s;
            return this;
        }

        /** The bearer token (at least 16 characters) that non-loopback clients must send. */
        public Builder token(String t) {
            this.token = t;
            return this;
        }

        /**
         * Reads the token from a file (its first line, trimmed), as {@code --debug-token-file} does.
         *
         * @throws IllegalArgumentException when the file cannot be read or is empty (the message names the file)
         */
        public Builder tokenFile(Path file) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8).strip();
                int nl = text.indexOf('\n');
                this.token = nl < 0 ? text : text.substring(0, nl).strip();
                if (this.token.isEmpty()) {
                    throw new IllegalArgumentException(file + ": the debug token file is empty");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": cannot read the debug token file ("
                        + e.getClass().getSimpleName() + ")", e);
            }
            return this;
        }

        /** Enables {@code /debug/pprof/heapdump}, writing into {@code folder} (created if missing). */
        public Builder heapDumps(Path folder) {
            this.heapDumpFolder = folder;
            return this;
        }

        public Builder lockThreshold(Duration d) {
            this.lockThreshold = d;
            return this;
        }

        public Builder tempFolder(Path folder) {
            this.tempFolder = folder;
            return this;
        }

        public DebugOptions build() {
            return new DebugOptions(maxSeconds, defaultSeconds, shortSeconds, token, heapDumpFolder, lockThreshold,
                    tempFolder);
        }
    }
}
