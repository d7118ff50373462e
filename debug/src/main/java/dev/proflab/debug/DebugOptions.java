package dev.proflab.debug;

import dev.proflab.net.HostCheck;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * How the {@code /debug} endpoints behave. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * DebugOptions o = DebugOptions.builder()
 *         .tokenFile(Path.of("/run/secrets/debug-token"))   // needed on non-loopback addresses
 *         .maxSeconds(120)                                  // cap of ?seconds=
 *         .heapDumps(Path.of("/var/tmp/heapdumps"))          // off unless given
 *         .flightRecorder(DebugOptions.FlightRecorder.defaults())  // /debug/jfr?last=5m; off unless given
 *         .allowHosts(List.of("devbox.lan"))                // Host names answered on loopback without the token
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
 * @param flightRecorder the always-on JFR recording that {@code /debug/jfr?last=} dumps, or null: off
 * @param allowHosts     on loopback without the token, requests are answered only when their {@code Host} is a
 *                       loopback name or address ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}, any port) or
 *                       one of these names or addresses (any port): DNS rebinding protection ({@link HostCheck});
 *                       empty by default. Stored in canonical form (lower case, IPv6 in brackets).
 */
public record DebugOptions(int maxSeconds, int defaultSeconds, int shortSeconds, String token, Path heapDumpFolder,
                           Duration lockThreshold, Path tempFolder, FlightRecorder flightRecorder,
                           List<String> allowHosts) {

    /**
     * The always-on recording: a continuous JFR recording that keeps the last {@code maxAge} (at most about
     * {@code maxBytes} on disk), started with the endpoints and stopped by {@link DebugEndpoints#close()}.
     *
     * @param maxAge        how far back {@code /debug/jfr?last=} can reach (default 15 minutes)
     * @param maxBytes      JFR's repository keeps at most about this much (default 100 MB)
     * @param configuration {@code default} (JFR's always-on settings, about 1% overhead) or {@code profile}
     */
    public record FlightRecorder(Duration maxAge, long maxBytes, String configuration) {

        public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(15);
        public static final long DEFAULT_MAX_BYTES = 100L << 20;

        public FlightRecorder {
            Objects.requireNonNull(maxAge, "maxAge");
            Objects.requireNonNull(configuration, "configuration");
            if (maxAge.compareTo(Duration.ofSeconds(10)) < 0 || maxAge.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException("the flight recorder's age must be 10 s to 7 days, not "
                        + maxAge.toSeconds() + " s");
            }
            if (maxBytes < (1L << 20)) {
                throw new IllegalArgumentException("the flight recorder's size must be at least 1 MB");
            }
        }

        /** 15 minutes, 100 MB, JFR's {@code default} settings. */
        public static FlightRecorder defaults() {
            return new FlightRecorder(DEFAULT_MAX_AGE, DEFAULT_MAX_BYTES, "default");
        }
    }

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
        List<String> hosts = new ArrayList<>();
        for (String h : allowHosts == null ? List.<String>of() : allowHosts) {
            String c = HostCheck.allowedName(h); // IllegalArgumentException naming the value
            if (!hosts.contains(c)) {
                hosts.add(c);
            }
        }
        allowHosts = List.copyOf(hosts);
    }

    /** What the endpoints answer on loopback without the token: loopback names and {@link #allowHosts()}. */
    public HostCheck hostCheck() {
        return HostCheck.loopback(allowHosts);
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
        private FlightRecorder flightRecorder;
        private final List<String> allowHosts = new ArrayList<>();

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

        /** Keeps a continuous JFR recording that {@code /debug/jfr?last=5m} dumps (null: none, the default). */
        public Builder flightRecorder(FlightRecorder f) {
            this.flightRecorder = f;
            return this;
        }

        /**
         * Host names or addresses (without a port) answered on loopback without the token, besides {@code localhost},
         * {@code 127.0.0.1} and {@code [::1]}: e.g. the name a reverse proxy or an SSH tunnel sends. Adds to those
         * given before.
         *
         * @throws IllegalArgumentException naming the value when one is not a host name or an address literal
         */
        public Builder allowHosts(Collection<String> hosts) {
            for (String h : hosts) {
                HostCheck.allowedName(h);
                allowHosts.add(h);
            }
            return this;
        }

        public DebugOptions build() {
            return new DebugOptions(maxSeconds, defaultSeconds, shortSeconds, token, heapDumpFolder, lockThreshold,
                    tempFolder, flightRecorder, allowHosts);
        }
    }
}
