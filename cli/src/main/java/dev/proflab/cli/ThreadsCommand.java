package dev.proflab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.proflab.capture.CaptureException;
import dev.proflab.capture.ThreadDump;
import dev.proflab.capture.ThreadSummary;
import dev.proflab.text.Escape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code proflab threads --pid PID [--twice 5s]}: a thread dump summarised like Go's goroutine dump — threads by
 * state, grouped by identical stacks, deadlocks named — and with {@code --twice} what grew between two dumps.
 */
@Command(name = "threads", addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Summarise the threads of a running JVM, like a goroutine dump.",
                "Counts by state, threads grouped by identical stack (largest group first), deadlocks spelled out. With --twice, take a second dump later and show what",
                "grew: a thread leak is a group that keeps growing. Over JMX through the Attach API (platform threads)."})
final class ThreadsCommand implements Callable<Integer> {

    @Option(names = "--pid", paramLabel = "PID", required = true, description = "The JVM")
    long pid;

    @Option(names = "--twice", paramLabel = "DURATION",
            description = "Take a second dump after DURATION and show the growth between the two")
    String twice;

    @Option(names = "--depth", paramLabel = "N", defaultValue = "8",
            description = "Frames shown per group of 2+ threads, 0 for all (default: ${DEFAULT-VALUE}); single threads show 1")
    int depth;

    @Option(names = "--full", description = "Show --depth frames for single threads too")
    boolean full;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE})")
    String format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        boolean json = switch (format.toLowerCase(Locale.ROOT)) {
            case "text" -> false;
            case "json" -> true;
            default -> throw new UsageException("--format: '" + format + "' is not text or json");
        };
        if (depth < 0) {
            throw new UsageException("--depth must not be negative, not " + depth);
        }
        Duration wait = twice == null ? null : Durations.parse(twice, "--twice");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ThreadDump.Sampler sampler = ThreadDump.Sampler.attach(pid)) {
            ThreadDump first = sampler.take();
            ThreadDump last = first;
            ThreadSummary.Growth growth = null;
            if (wait != null) {
                boolean cut = waitFor(wait);
                if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new UsageException("PID " + pid + " exited before the second dump");
                }
                last = sampler.take();
                growth = ThreadSummary.growth(first, last);
                if (cut) {
                    err.println("proflab: interrupted: second dump taken early");
                }
            }
            ThreadSummary summary = ThreadSummary.of(last);
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("summary", summary);
                if (growth != null) {
                    doc.put("growth", growth);
                    doc.put("before", ThreadSummary.of(first));
                }
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
            } else {
                print(out, summary, growth);
            }
            out.flush();
            return 0;
        } catch (CaptureException e) {
            throw new UsageException(e.getMessage());
        } finally {
            finished.countDown();
            for (Thread h : hooks) {
                try {
                    Runtime.getRuntime().removeShutdownHook(h);
                } catch (IllegalStateException e) {
                    // shutting down: the hook is running
                }
            }
        }
    }

    /** Counted down when the command is over: a Ctrl-C hook waits for it so that the output is complete. */
    private final CountDownLatch finished = new CountDownLatch(1);

    /** Waits with a progress bar; true when cut short by Ctrl-C (the second dump is then taken at once). */
    private boolean waitFor(Duration d) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "proflab-threads-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        hooks.add(hook);
        try (Progress p = Progress.ofTime("until the second dump", d)) {
            p.start();
            boolean cut = stop.await(d.toMillis(), TimeUnit.MILLISECONDS);
            p.done();
            return cut;
        }
    }

    private final List<Thread> hooks = new ArrayList<>();

    void print(PrintWriter out, ThreadSummary s, ThreadSummary.Growth growth) {
        String cmd = s.command() == null || s.command().isBlank() ? "" : t(s.command()) + ", ";
        out.printf("==> threads of PID %d (%sJDK %s): %d threads%n", s.pid(), cmd, t(s.jdk()), s.threads());
        List<String> states = new ArrayList<>();
        s.states().forEach((k, v) -> states.add(t(String.valueOf(k)) + " " + v));
        out.println("    " + String.join(", ", states));
        if (s.groups().stream().anyMatch(g -> g.names().startsWith("RMI TCP Connection"))) {
            out.println("    (the RMI and JMX threads include those of the connection that took this dump)");
        }
        if (growth != null) {
            out.println();
            out.printf("==> growth over %.1f s: %d -> %d threads (%+d)%n", growth.seconds(), growth.before(),
                    growth.after(), growth.after() - growth.before());
            if (growth.changes().isEmpty()) {
                out.println("    no group of threads grew or shrank");
            }
            for (ThreadSummary.Change c : growth.changes()) {
                out.printf("    %+5d  %-13s %s  (%d -> %d)  at %s%n", c.delta(), t(c.state()), t(c.names()), c.before(),
                        c.after(), t(interesting(c.stack())));
            }
        }
        out.println();
        int width = Integer.toString(s.groups().isEmpty() ? 1 : s.groups().get(0).count()).length();
        for (ThreadSummary.Group g : s.groups()) {
            out.printf("%" + width + "d x %-13s %s%n", g.count(), t(g.state()), t(g.names()));
            int show = g.count() > 1 || full ? (depth == 0 ? g.stack().size() : Math.min(depth, g.stack().size()))
                    : Math.min(1, g.stack().size());
            for (int i = 0; i < show; i++) {
                out.println(" ".repeat(width + 5) + t(g.stack().get(i)));
            }
            if (show < g.stack().size()) {
                String from = interesting(g.stack());
                boolean hidden = g.stack().indexOf(from) >= show;
                out.println(" ".repeat(width + 5) + "... " + (g.stack().size() - show) + " more"
                        + (hidden ? ", called from " + t(from) : ""));
            }
        }
        if (!s.deadlocks().isEmpty()) {
            out.println();
            for (ThreadSummary.Deadlock d : s.deadlocks()) {
                out.printf("==> DEADLOCK: %d threads wait for each other%n", d.cycle().size());
                for (ThreadSummary.Link l : d.cycle()) {
                    out.printf("    \"%s\" (%s) waits for %s held by \"%s\"%n", t(l.thread()), t(l.state()),
                            t(l.lock()), t(l.heldBy()));
                    out.printf("        at %s%n", t(l.at()));
                }
            }
        }
    }

    /** Names and frames from the target's thread dump, as they may be printed: control characters written out. */
    private static String t(String s) {
        return Escape.terminal(s);
    }

    /** The first frame outside the JDK: where the program's own code is, or the top frame. */
    static String interesting(List<String> stack) {
        for (String f : stack) {
            if (!(f.startsWith("java.") || f.startsWith("jdk.") || f.startsWith("sun.") || f.startsWith("com.sun."))) {
                return f;
            }
        }
        return stack.isEmpty() ? "(no frames)" : stack.get(0);
    }
}
