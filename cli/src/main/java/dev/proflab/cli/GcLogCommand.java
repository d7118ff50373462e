package dev.proflab.cli;

import dev.proflab.gc.GcLog;
import dev.proflab.gc.GcLogParser;
import dev.proflab.gc.GcLogReport;
import dev.proflab.gc.GcLogSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code proflab gclog FILE}: the gctrace lesson, a unified JVM GC log summarised. */
@Command(name = "gclog", addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        description = {"Summarise a unified JVM GC log (-Xlog:gc, -Xlog:gc*): collections, pauses, throughput.",
                "Java's GODEBUG=gctrace=1: every collection's type, pause and heap",
                "before->after(committed); pause percentiles (p50/p90/p99/max, nearest rank);",
                "throughput (1 - pauses / uptime); allocation rate. Reads G1, Parallel, Serial,",
                "ZGC and Shenandoah logs; ZGC logs its pauses only with -Xlog:gc*. See docs/gclog.md."},
        footer = {"", "Examples:",
                "  java -Xlog:gc*:file=tmp/gc.log -cp labs/target/proflab-labs-0.1.0.jar \\",
                "       dev.proflab.labs.Run alloc-before --seconds 3",
                "  proflab gclog tmp/gc.log",
                "  proflab gclog -n 0 --format markdown tmp/gc.log",
                "  proflab gclog --format json tmp/gc.log"})
final class GcLogCommand implements Callable<Integer> {

    enum Format { TEXT, MARKDOWN, JSON }

    @Parameters(index = "0", paramLabel = "FILE", description = "A unified GC log, as -Xlog:gc*:file=FILE writes it")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, markdown or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "-n", paramLabel = "N", defaultValue = "20",
            description = "Collections to list: the N with the longest pauses, in log order; 0 lists all "
                    + "(default: ${DEFAULT-VALUE}). The numbers above the table always count them all.")
    int rows;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (rows < 0) {
            throw new UsageException("-n: " + rows + " is negative (0 lists every collection)");
        }
        GcLog log = GcLogParser.read(file);
        GcLogSummary s = GcLogSummary.of(log);
        String name = file.getFileName().toString();
        PrintWriter out = spec.commandLine().getOut();
        out.print(switch (format) {
            case TEXT -> GcLogReport.text(s, name, rows);
            case MARKDOWN -> GcLogReport.markdown(s, name, rows);
            case JSON -> GcLogReport.json(s, name, rows);
        });
        out.flush();
        return 0;
    }
}
