package dev.proflab.server.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proflab.profile.EventInfo;
import dev.proflab.profile.ProfileException;
import dev.proflab.profile.ProfileReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Downloads a profile from a running service (the seed's {@code go tool pprof -proto URL > cpu.pb.gz}): streams
 * the body to a temporary file beside the target, checks that it is a profile (gzipped pprof, or a JFR
 * recording, that {@link ProfileReader} reads) and only then renames it to the target, as
 * {@link dev.proflab.io.AtomicFiles} does. Whatever goes wrong, nothing is left behind and the target, if it
 * existed, is as it was.
 *
 * <p>A server is not trusted to end its answer: the whole answer, headers and body, must arrive within the
 * timeout ({@link TimedExchange}), and at most {@code maxBytes} of it are read (counted as they arrive, as sent:
 * the JDK client does not decompress); past either limit the download stops, its temporary file is deleted and
 * the {@link FetchException} says which limit, with reason {@link FetchException.Reason#TIMEOUT} or
 * {@link FetchException.Reason#TOO_LARGE}. What inflating the saved file may cost is {@link ProfileReader}'s to
 * bound; whatever it throws while checking the file (an {@link OutOfMemoryError} included) is a
 * {@link FetchException.Reason#NOT_A_PROFILE}.
 *
 * <p>Temporary files: {@link #fetch(URI, Path, String)} writes {@code .NAME.<16 hex>.part} and holds a lock on
 * {@code .NAME.<16 hex>.lock} beside it while it runs. A process killed with SIGKILL leaves both; the next fetch into
 * the same folder deletes every such pair whose lock it can take (their writer is gone), and leaves the pairs of
 * fetches still running alone ({@link #removeStaleParts}). A lock file is used rather than a lock on the
 * {@code .part} itself because POSIX drops a process's locks on a file whenever it closes any descriptor of that
 * file, and checking the {@code .part} opens and closes it.
 *
 * <pre>{@code
 * Fetched f = new ProfileFetcher(Duration.ofSeconds(60))
 *         .fetch(URI.create("http://127.0.0.1:6060/debug/pprof/profile?seconds=5"), Path.of("cpu.pb.gz"), null);
 * }</pre>
 */
public final class ProfileFetcher {

    /** What arrived and where it went. */
    public record Fetched(Path file, long bytes, String type, List<EventInfo> events) {
        /** {@code pprof (gzipped profile.proto)}, with its events. */
        public String describe() {
            String ev = events.isEmpty() ? "no samples"
                    : events.stream().map(e -> e.name() + " (" + e.count() + ")").collect(Collectors.joining(", "));
            return type + ", " + ev;
        }

        /** True for a JFR recording, false for pprof. */
        public boolean isJfr() {
            return type.equals(JFR);
        }
    }

    /**
     * What the caller asked for, checked before the file is renamed into place: {@code null} when {@code f} is it,
     * else why not, in a few words ({@code "a cpu profile where heap was asked"}).
     */
    @FunctionalInterface
    public interface Expectation {
        String mismatch(Fetched f);
    }

    /**
     * The format {@code file}'s name promises: pprof for {@code .pb.gz}, {@code .pb} and {@code .pprof}, JFR for
     * {@code .jfr}; any other name takes either. So {@code -o cpu.pb.gz} never holds a JFR recording, which Go's
     * pprof and everything else that trusts the name would fail to read.
     */
    public static Expectation formatOfName(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean pprof = name.endsWith(".pb.gz") || name.endsWith(".pb") || name.endsWith(".pprof");
        boolean jfr = name.endsWith(".jfr");
        if (!pprof && !jfr) {
            return null;
        }
        return f -> f.isJfr() == jfr ? null
                : "the answer is " + (f.isJfr() ? "a JFR recording" : "pprof") + ", but the name " + file.getFileName()
                        + " says " + (jfr ? "JFR" : "pprof") + ": name it " + (f.isJfr() ? ".jfr" : ".pb.gz")
                        + " or ask the endpoint for " + (jfr ? "JFR (format=jfr)" : "pprof");
    }

    /**
     * The default cap on one download: 256 MB. Measured on the demo service under load: a 30 s CPU profile is
     * 70 kB as pprof and 1.7 MB as JFR, 5 s heap and allocation profiles 16 kB (pprof) and 0.4 MB (JFR), the last
     * 5 minutes of a flight recorder 8 MB; a JFR flight recorder keeps at most 250 MB by default, and a dump of all of
     * it still fits.
     */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;

    static final String PPROF = "pprof (gzipped profile.proto)";
    static final String JFR = "JFR recording";

    /** Most bytes read from an error answer to find its message. */
    private static final int MAX_ERROR_BODY = 8192;
    private static final int BUFFER = 1 << 16;
    /** A lock file without its {@code .part} may be one a fetch has just created and not yet locked. */
    private static final Duration LONE_LOCK_AGE = Duration.ofMinutes(1);
    /** {@code .NAME.<16 hex>.part} and {@code .lock}: the stem is group 1. */
    private static final Pattern TEMP = Pattern.compile("(\\..+\\.[0-9a-f]{16})\\.(part|lock)");
    /** The stems (absolute) of this JVM's fetches under way: never cleaned, never even opened by a cleaner here. */
    private static final Set<Path> RUNNING = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Duration timeout;
    private final long maxBytes;
    private final HttpClient client;

    /** {@code timeout}: for the whole answer (a CPU profile of 30 s needs more than 30 s); {@link #DEFAULT_MAX_BYTES}. */
    public ProfileFetcher(Duration timeout) {
        this(timeout, DEFAULT_MAX_BYTES);
    }

    /**
     * {@code timeout}: for the whole answer, headers and body (a CPU profile of 30 s needs more than 30 s);
     * {@code maxBytes}: the most read of one answer.
     */
    public ProfileFetcher(Duration timeout, long maxBytes) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, not " + maxBytes);
        }
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public Duration timeout() {
        return timeout;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Fetches {@code uri} into {@code target}, sending {@code Authorization: Bearer token} when token is not null.
     * First deletes the temporary files that killed fetches left in the target's folder ({@link #removeStaleParts}).
     *
     * @throws FetchException with a one-line message when the server cannot be reached, answers an error, or
     *     sends something that is not a profile; nothing is written then
     * @throws InterruptedException if interrupted; nothing is written then
     */
    public Fetched fetch(URI uri, Path target, String token) throws InterruptedException {
        return fetch(uri, target, token, null);
    }

    /**
     * {@link #fetch(URI, Path, String)}, kept only when {@code expected} (if not null) finds the answer to be what
     * was asked for; else a {@link FetchException} with reason {@link FetchException.Reason#UNEXPECTED}.
     */
    public Fetched fetch(URI uri, Path target, String token, Expectation expected) throws InterruptedException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path stem = dir.resolve("." + abs.getFileName() + "." + HexFormat.of().toHexDigits(RANDOM.nextLong()));
        Path part = sibling(stem, ".part");
        Path lock = sibling(stem, ".lock");
        FileChannel held = null;
        RUNNING.add(stem);
        try {
            try {
                Files.createDirectories(dir);
                removeStaleParts(dir);
                // the lock first, then the .part: a .part whose lock can be taken has no writer
                held = FileChannel.open(lock, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                try {
                    held.tryLock();
                } catch (IOException e) {
                    // no locks on this file system: cleaners cannot take it either, and leave the pair alone
                }
                Files.createFile(part);
            } catch (IOException e) {
                throw new FetchException(target + ": cannot write: " + e.getMessage(), FetchException.Reason.OTHER, 0);
            }
            return fetch(uri, target, part, token, timeout, expected);
        } finally {
            if (held != null) {
                try {
                    Files.deleteIfExists(lock); // after the .part is gone (renamed or deleted)
                } catch (IOException ignored) {
                    // the next fetch removes it
                } finally {
                    try {
                        held.close();
                    } catch (IOException ignored) {
                        // idem
                    }
                }
            }
            RUNNING.remove(stem);
        }
    }

    /**
     * {@link #fetch(URI, Path, String)} with a given temporary file (in the target's folder; overwritten if a
     * killed process left it behind), for callers whose readers need to know the temporary names (the collector
     * hides them as {@code .NAME.tmp}, and deletes those a killed collector left).
     */
    public Fetched fetch(URI uri, Path target, Path temp, String token) throws InterruptedException {
        return fetch(uri, target, temp, token, timeout, null);
    }

    /**
     * {@link #fetch(URI, Path, Path, String)} within {@code timeout} (instead of this fetcher's), and only when
     * {@code expected} (if not null) finds the answer to be what was asked for; else a {@link FetchException} with
     * reason {@link FetchException.Reason#UNEXPECTED}.
     */
    public Fetched fetch(URI uri, Path target, Path temp, String token, Duration timeout, Expectation expected)
            throws InterruptedException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "proflab-fetch").GET();
        if (token != null) {
            rb.header("Authorization", "Bearer " + token);
        }
        Path abs = target.toAbsolutePath();
        Path tmp = temp.toAbsolutePath();
        boolean done = false;
        try (TimedExchange x = send(uri, rb.build(), timeout)) {
            int status = x.status();
            if (status >= 300) {
                String message;
                try {
                    message = errorMessage(x.body().readNBytes(MAX_ERROR_BODY));
                } catch (IOException e) {
                    message = "";
                }
                throw new FetchException(uri + ": the server answered " + status
                        + (message.isEmpty() ? "" : ": " + message), FetchException.Reason.STATUS, status);
            }
            long declared = x.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) {
                throw new FetchException(uri + ": the answer is " + size(declared) + " (Content-Length), larger than "
                        + size(maxBytes) + ": not read", FetchException.Reason.TOO_LARGE, 0);
            }
            long bytes = copy(x.body(), tmp, target, uri, timeout);
            Fetched f;
            try {
                f = check(tmp, bytes, uri);
            } catch (IOException e) {
                throw new FetchException(target + ": cannot read the download back: " + e.getMessage(),
                        FetchException.Reason.OTHER, 0);
            }
            String mismatch = expected == null ? null : expected.mismatch(f);
            if (mismatch != null) {
                throw new FetchException(uri + ": " + mismatch, FetchException.Reason.UNEXPECTED, 0);
            }
            try {
                try {
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new FetchException(target + ": cannot write: " + e.getMessage(), FetchException.Reason.OTHER, 0);
            }
            done = true;
            return new Fetched(target, f.bytes(), f.type(), f.events());
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    /** Sends; a failure before the headers arrived as a one-line FetchException. */
    private TimedExchange send(URI uri, HttpRequest request, Duration timeout) throws InterruptedException {
        try {
            return TimedExchange.send(client, request, timeout);
        } catch (HttpConnectTimeoutException e) {
            throw new FetchException(uri + ": no connection within " + seconds(timeout),
                    FetchException.Reason.UNREACHABLE, 0);
        } catch (HttpTimeoutException e) {
            throw new FetchException(uri + ": no answer within " + seconds(timeout), FetchException.Reason.TIMEOUT, 0);
        } catch (ConnectException e) {
            throw new FetchException(uri + ": cannot connect (" + (e.getMessage() == null ? "connection refused"
                    : e.getMessage()) + ")", FetchException.Reason.UNREACHABLE, 0);
        } catch (IOException e) {
            if (Thread.interrupted()) { // the caller was interrupted (Ctrl-C): not a failure of the server
                throw new InterruptedException("interrupted while waiting for " + uri);
            }
            // the connection was closed or reset before an answer: the server went away (or a proxy dropped it)
            throw new FetchException(uri + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    FetchException.Reason.UNREACHABLE, 0);
        }
    }

    /** Copies the body into {@code tmp}, at most {@link #maxBytes}; returns the bytes. */
    private long copy(InputStream in, Path tmp, Path target, URI uri, Duration timeout) throws InterruptedException {
        OutputStream out;
        try {
            Files.createDirectories(tmp.getParent());
            out = Files.newOutputStream(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new FetchException(target + ": cannot write: " + e.getMessage(), FetchException.Reason.OTHER, 0);
        }
        byte[] buf = new byte[BUFFER];
        long total = 0;
        try (out) {
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (HttpTimeoutException e) {
                    throw new FetchException(uri + ": the answer did not complete within " + seconds(timeout) + " ("
                            + size(total) + " arrived)", FetchException.Reason.TIMEOUT, 0);
                } catch (IOException e) {
                    if (Thread.interrupted()) { // the caller was interrupted (Ctrl-C): not a failure of the server
                        throw new InterruptedException("interrupted while downloading " + uri);
                    }
                    throw new FetchException(uri + ": download failed after " + size(total) + ": " + describe(e),
                            FetchException.Reason.UNREACHABLE, 0);
                }
                if (n < 0) {
                    return total;
                }
                total += n;
                if (total > maxBytes) {
                    throw new FetchException(uri + ": the answer is larger than " + size(maxBytes)
                            + ": stopped reading it", FetchException.Reason.TOO_LARGE, 0);
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw new FetchException(target + ": cannot write: " + e.getMessage(), FetchException.Reason.OTHER, 0);
        }
    }

    /**
     * Deletes the temporary files ({@code .NAME.<16 hex>.part} and its {@code .lock}) that killed fetches left in
     * {@code dir}: those whose lock can be taken, or whose lock is gone. The files of fetches under way, here or in
     * another process, are left alone, and so is anything else in the folder. Returns how many files it deleted.
     */
    public static int removeStaleParts(Path dir) {
        Set<Path> stems = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*.{part,lock}")) {
            for (Path p : ds) {
                Matcher m = TEMP.matcher(p.getFileName().toString());
                if (m.matches()) {
                    stems.add(dir.resolve(m.group(1)).toAbsolutePath());
                }
            }
        } catch (IOException e) {
            return 0; // cannot list: nothing to clean that we could see
        }
        int n = 0;
        for (Path stem : stems) {
            if (RUNNING.contains(stem)) {
                continue; // ours: opening its lock file here would drop our own lock (POSIX)
            }
            Path part = sibling(stem, ".part");
            Path lock = sibling(stem, ".lock");
            try {
                if (!Files.exists(part) && !olderThan(lock, LONE_LOCK_AGE)) {
                    continue; // a fetch that is just starting: it locks before it creates its .part
                }
                try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
                    if (ch.tryLock() == null) {
                        continue; // its fetch is running in another process
                    }
                    n += delete(part) + delete(lock);
                } catch (NoSuchFileException e) {
                    n += delete(part); // a fetch deletes its lock last: this .part has no writer
                }
            } catch (OverlappingFileLockException | IOException e) {
                // locked by this JVM, or the file system cannot tell: leave it
            }
        }
        return n;
    }

    private static boolean olderThan(Path p, Duration age) throws IOException {
        return Files.getLastModifiedTime(p).toInstant().isBefore(Instant.now().minus(age));
    }

    private static int delete(Path p) throws IOException {
        return Files.deleteIfExists(p) ? 1 : 0;
    }

    private static Path sibling(Path stem, String suffix) {
        return stem.resolveSibling(stem.getFileName() + suffix);
    }

    /**
     * What the file is, if it is a profile; else a FetchException. Whatever reading it throws, an
     * {@link OutOfMemoryError} included (a small download may inflate to gigabytes), is a FetchException.
     */
    static Fetched check(Path file, long bytes, URI uri) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        String type;
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            type = PPROF;
        } else if (head.length == 4 && head[0] == 'F' && head[1] == 'L' && head[2] == 'R' && head[3] == 0) {
            type = JFR;
        } else {
            throw new FetchException(uri + ": the answer is not a profile (" + bytes + " bytes"
                    + (bytes == 0 ? "" : ", starting " + printable(head)) + "): expected gzipped pprof or JFR",
                    FetchException.Reason.NOT_A_PROFILE, 0);
        }
        String why;
        try {
            return new Fetched(file, bytes, type, ProfileReader.events(file));
        } catch (ProfileException e) {
            why = oneLine(e.getMessage()).replace(file.toString(), "download");
        } catch (OutOfMemoryError e) {
            why = "out of memory reading it";
        } catch (RuntimeException | StackOverflowError e) {
            why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage()));
        }
        throw new FetchException(uri + ": the answer looks like " + type + " but cannot be read (" + why + ")",
                FetchException.Reason.NOT_A_PROFILE, 0);
    }

    /** The server's message: the {@code error} of a JSON body, else the text of the first non-blank line. */
    static String errorMessage(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            try {
                JsonNode n = MAPPER.readTree(text);
                if (n.hasNonNull("error")) {
                    return oneLine(n.get("error").asText());
                }
            } catch (IOException e) {
                // not JSON after all
            }
        }
        String plain = text.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ")
                .replaceAll("(?s)<[^>]*>", " ");
        for (String line : plain.split("\\R")) {
            if (!line.isBlank()) {
                String l = oneLine(line);
                return l.length() > 200 ? l.substring(0, 200) + "..." : l;
            }
        }
        return "";
    }

    /** The JDK client's body stream says "closed" and keeps why in the cause. */
    private static String describe(IOException e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().equals("closed"))) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : oneLine(t.getMessage());
    }

    private static String printable(byte[] head) {
        StringBuilder b = new StringBuilder("'");
        for (byte x : head) {
            b.append(x >= 0x20 && x < 0x7f ? (char) x : '.');
        }
        return b.append('\'').toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s+", " ");
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** 512 bytes, 41 kB, 3.1 MB, 1.2 GB (powers of 1024, as the JVM's -Xmx). */
    public static String size(long b) {
        if (b < 1024) {
            return b + (b == 1 ? " byte" : " bytes");
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB", "EB"};
        double v = b;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return (v < 10 ? String.format(Locale.ROOT, "%.1f", v) : Long.toString(Math.round(v))) + " " + units[u];
    }
}
