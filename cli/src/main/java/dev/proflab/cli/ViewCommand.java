package dev.proflab.cli;

import dev.proflab.net.HostCheck;
import dev.proflab.viewer.ViewerException;
import dev.proflab.viewer.ViewerServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code proflab view FILE [--base BASE]}: the local web UI of one recording, or of the difference of two;
 * {@code proflab view DIR}: the profiles collected in a folder over time ({@code proflab collect --out DIR})
 * on a time axis, one window or a range merged, and two ranges compared. An empty folder is served (the
 * page says how to fill it, and shows windows as they arrive); {@code --base} with a folder is an error.
 */
@Command(name = "view", addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        description = {"Open a recording in the browser: flame graph, top table, source, callers/callees.",
                "Click a frame to zoom and select it, search to highlight, switch between the file's events;",
                "with --base, the difference of two profiles; a timeline of threads when the recording has times.",
                "FILE may be a folder of profiles collected over time (proflab collect --out DIR): a time axis of",
                "the windows, click one, drag a range (merged), Compare two ranges; new windows appear as they come.",
                "Listens on 127.0.0.1 only, unless --bind says otherwise; Ctrl-C stops it.",
                "It has no token. Against DNS rebinding it answers only requests whose Host",
                "is localhost, 127.0.0.1 or [::1] (any port), or a host given with --allow-host;",
                "with --bind to another address, also that address and any IP address (give",
                "this machine's names with --allow-host). Anything else gets 403, and so do",
                "requests that another site's page sends (an <img> or fetch of evil.example)."},
        footer = {"", "Examples:",
                "  proflab view cpu.jfr",
                "  proflab view --event alloc --port 9000 app.jfr",
                "  proflab view --no-browser cpu.jfr",
                "  proflab view --base before.jfr after.jfr",
                "  proflab view run1.jfr run2.jfr          # merged; tagfocus=file=run1 filters",
                "  proflab view profiles/",
                "  proflab view --event heap profiles/",
                "  proflab view --source-path ~/app/src/main/java cpu.jfr",
                "  proflab view --bind 0.0.0.0 --allow-host devbox.lan cpu.jfr"})
final class ViewCommand implements Callable<Integer> {

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "FILE", description = "A .jfr recording (async-profiler or JFR) or a pprof file;"
            + " or a folder of profiles collected over time (DIR/<kind>/<kind>_<yyyyMMdd-HHmmss>.pb.gz|.jfr, or flat); several recordings (a.jfr b.jfr, a,b or a pattern) are shown merged")
    List<Path> files;

    /** The first of {@link #files}: the recording (or folder) shown, when it is one. */
    private Path file;

    @Option(names = "--event", paramLabel = "EVENT",
            description = "The event shown first (default: the recording's main event); the page switches between all."
                    + " With a folder: the kind shown first (cpu, heap, allocs, mutex, block, wall)")
    String event;

    @Option(names = "--base", paramLabel = "FILE",
            description = "The profile to compare against: the page shows base, current and their difference,"
                    + " normalised by total or by duration")
    Path base;

    @Option(names = "--source-path", paramLabel = "DIRS",
            description = "Source roots for the Source tab, searched first (separated by the path separator,"
                    + " ':' on Unix; repeatable); then src/main/java of this folder and its modules")
    List<String> sourcePath = new ArrayList<>();

    @Option(names = "--port", paramLabel = "N", defaultValue = "7070",
            description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}); another address exposes the profile to the"
                    + " network (there is no token): requests may then name that address, any IP address, or --allow-host")
    String bind;

    @Option(names = "--allow-host", paramLabel = "HOST",
            description = "Also answer requests whose Host is HOST (a name or an IP address, without a port;"
                    + " repeatable): this machine's name with --bind, a reverse proxy's or an SSH tunnel's name")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--no-browser", description = "Do not open a browser, only print the URL")
    boolean noBrowser;

    @Option(names = "--no-jmc", description = "Findings panel: only proflab's rules, not JDK Mission Control's"
            + " (they run after the page's first answers; their parser holds every event in memory)")
    boolean noJmc;

    @Option(names = "--until-key",
            description = "Also stop, with exit 0, on q, Enter or Ctrl-C read from the standard input, or at its end:"
                    + " for a terminal whose Ctrl-C no longer sends a signal (stty -isig -icanon), as the make"
                    + " targets set it so that make itself is not interrupted (scripts/view-page)")
    boolean untilKey;

    /** Where --until-key reads its keys (tests replace it). */
    InputStream keys = System.in;

    @Spec
    CommandSpec spec;

    /** Counted down to stop a running viewer (tests); Ctrl-C stops it through the shutdown hook. */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port: " + port + " is not a port (0 to 65535)");
        }
        List<Path> all = files;
        String one = files.get(0).toString();
        if (files.size() > 1 || !java.nio.file.Files.exists(files.get(0)) && (one.contains(",") || Globs.isGlob(one))) {
            // several recordings (or a pattern, or a,b): merged on one page, each sample labelled with its file
            all = new ArrayList<>();
            for (Path f : files) {
                if (java.nio.file.Files.isDirectory(f)) {
                    throw new UsageException(f + ": a folder of windows is shown alone (proflab view DIR)");
                }
                all.addAll(SelectionOptions.files("FILE", f.toString()));
            }
        }
        file = all.get(0);
        boolean folder = all.size() == 1 && java.nio.file.Files.isDirectory(file);
        if (folder && base != null) {
            throw new UsageException("--base " + base + ": with a folder the page compares two ranges of its windows"
                    + " (select one, then Compare); --base takes a file");
        }
        for (String h : allowHosts) {
            try {
                HostCheck.allowedName(h);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--allow-host " + e.getMessage());
            }
        }
        // a bad file or base fails here, before listening
        ViewerServer server = all.size() == 1 ? new ViewerServer(file, base, event) : new ViewerServer(all, base, event);
        server.sourceRoots(ListCommand.sourceRoots(sourcePath));
        server.allowHosts(allowHosts);
        if (noJmc) {
            server.jmcLimits(null);
        }
        try {
            server.start(bind, port);
        } catch (ViewerException e) {
            throw new UsageException(e.getMessage());
        }
        Thread hook = new Thread(() -> {
            server.stop();
            stop.countDown();
        }, "proflab-view-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = spec.commandLine().getOut();
        String what = (all.size() == 1 ? file.toString() : all.size() + " recordings merged ("
                + String.join(", ", all.stream().map(Path::toString).toList()) + ")")
                + (base == null ? "" : " against " + base);
        if (folder) {
            int n = server.windowCount();
            what = file + (n == 0 ? " (no profiles yet: the page shows them as proflab collect writes them)"
                    : " (" + n + (n == 1 ? " window" : " windows") + ")");
        }
        out.println("proflab view: " + what + " at " + server.url()
                + (untilKey ? " (q, Enter or Ctrl-C to stop)" : " (Ctrl-C to stop)"));
        out.flush();
        if (!noBrowser) {
            String problem = openBrowser(server.url());
            if (problem != null) {
                out.println("proflab view: could not open a browser (" + problem + "): open " + server.url());
                out.flush();
            }
        }
        if (untilKey) {
            Thread reader = new Thread(() -> {
                awaitKey(keys);
                out.println("proflab view: stopped");
                out.flush();
                stop.countDown();
            }, "proflab-view-keys");
            reader.setDaemon(true);
            reader.start();
        }
        try {
            stop.await();
        } finally {
            server.stop();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
        return 0;
    }

    /** Returns when {@code in} gives q, Q, Enter (CR or LF), Ctrl-C or Ctrl-D, ends, or fails. */
    static void awaitKey(InputStream in) {
        try {
            int b;
            while ((b = in.read()) >= 0) {
                if (b == 'q' || b == 'Q' || b == '\n' || b == '\r' || b == 3 || b == 4) {
                    return;
                }
            }
        } catch (IOException e) {
            // no keys to read: stop, as at the end of the input
        }
    }

    /** Opens the URL in the user's browser; returns why it could not, or null. */
    static String openBrowser(String url) {
        try {
            if (!GraphicsEnvironment.isHeadless() && Desktop.isDesktopSupported()
                    && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(URI.create(url));
                return null;
            }
        } catch (Exception | LinkageError e) {
            // fall back to the platform's opener
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String[] cmd = os.contains("mac") ? new String[] {"open", url}
                : os.contains("win") ? new String[] {"rundll32", "url.dll,FileProtocolHandler", url}
                : new String[] {"xdg-open", url};
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() != 0) {
                return cmd[0] + " exited with " + p.exitValue();
            }
            return null;
        } catch (IOException e) {
            return cmd[0] + " not found";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
