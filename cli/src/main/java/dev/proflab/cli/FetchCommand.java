package dev.proflab.cli;

import dev.proflab.server.fetch.FetchException;
import dev.proflab.server.fetch.ProfileFetcher;
import dev.proflab.server.load.LoadOptions;
import dev.proflab.text.Escape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code proflab fetch URL -o FILE}: the seed's {@code go tool pprof -proto URL > cpu.pb.gz}, checked. */
@Command(name = "fetch", addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        description = {"Download a profile from a running service (a /debug/pprof endpoint) into FILE.",
                "Written to a temporary file beside FILE and renamed only when what arrived is a profile",
                "(gzipped pprof or JFR) of the format FILE's name says (.pb.gz pprof, .jfr JFR, else either):",
                "an error page or a broken download leaves nothing behind.",
                "The whole answer must arrive within --timeout (a server that sends its headers and then",
                "trickles is given up) and be at most --max-profile-bytes. The hidden .FILE.*.part files",
                "a killed fetch leaves are deleted by the next fetch into the same folder."},
        footer = {"", "Examples:",
                "  proflab fetch 'http://127.0.0.1:6060/debug/pprof/profile?seconds=30' -o cpu.pb.gz",
                "  proflab fetch 'https://app:6060/debug/pprof/heap' --token-file ~/.proflab-token -o heap.pb.gz",
                "", "Exit codes: 0 written, 2 bad arguments, or no profile: the server cannot be reached, answers",
                "an error, too slowly or too much, or what it sends is not a profile."})
final class FetchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "URL", description = "The profile's URL (http or https)")
    String url;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "Where to write it")
    Path output;

    @Option(names = "--token-file", paramLabel = "F",
            description = "Send 'Authorization: Bearer <the file's content, trimmed>'")
    Path tokenFile;

    @Option(names = "--timeout", paramLabel = "D",
            description = "For the whole answer, headers and body (default: the URL's seconds= plus 30 s, else 60 s)")
    String timeout;

    @Option(names = "--max-profile-bytes", paramLabel = "SIZE", defaultValue = "256MB",
            description = "Give up on an answer larger than this, counted as sent (compressed), e.g. 64MB, 1GB"
                    + " (powers of 1024) (default: ${DEFAULT-VALUE})")
    String maxProfileBytes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        URI uri;
        try {
            uri = LoadOptions.parseUri(url);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Duration t = timeout != null ? Durations.parse(timeout, "--timeout") : defaultTimeout(uri);
        long cap = CollectCommand.parseSize(maxProfileBytes, "--max-profile-bytes");
        String token = tokenFile == null ? null : readToken(tokenFile);
        if (Files.isDirectory(output)) {
            throw new UsageException("-o " + output + ": is a folder; give a file name");
        }
        ProfileFetcher.Fetched f;
        // Ctrl-C or SIGTERM: the fetch is interrupted and deletes its temporary files before the JVM halts
        Thread fetching = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            fetching.interrupt();
            try {
                finished.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "proflab-fetch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            f = new ProfileFetcher(t, cap).fetch(uri, output, token, ProfileFetcher.formatOfName(output));
        } catch (FetchException e) {
            throw new FetchException(e.getMessage() + switch (e.reason()) {
                case TIMEOUT -> " (--timeout)";
                case TOO_LARGE -> " (--max-profile-bytes)";
                default -> "";
            }, e.reason(), e.status());
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "proflab fetch: wrote %s (%,d bytes): %s%n", output, f.bytes(),
                Escape.terminal(f.describe()));
        out.printf(Locale.ROOT, "  read it: proflab top %s   |   proflab view %s%n", output, output);
        out.flush();
        return 0;
    }

    static Duration defaultTimeout(URI uri) {
        Matcher m = Pattern.compile("(?:^|&)seconds=(\\d{1,6})(?:&|$)").matcher(uri.getRawQuery() == null ? "" : uri.getRawQuery());
        return m.find() ? Duration.ofSeconds(Long.parseLong(m.group(1)) + 30) : Duration.ofSeconds(60);
    }

    static String readToken(Path file) {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new UsageException("--token-file " + file + ": no such file");
        } catch (IOException e) {
            throw new UsageException("--token-file " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        if (token.isEmpty()) {
            throw new UsageException("--token-file " + file + ": the file is empty");
        }
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new UsageException("--token-file " + file + ": the token must be one line of printable ASCII");
        }
        return token;
    }
}
