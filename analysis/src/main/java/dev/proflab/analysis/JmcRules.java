package dev.proflab.analysis;

import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.flightrecorder.CouldNotLoadRecordingException;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IRule;
import org.openjdk.jmc.flightrecorder.rules.ResultToolkit;
import org.openjdk.jmc.flightrecorder.rules.RuleRegistry;
import org.openjdk.jmc.flightrecorder.rules.TypedResult;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * JDK Mission Control's automated analysis, headless: its rule registry ({@code flightrecorder.rules.jdk}, the rules
 * JMC's "Automated Analysis Results" page shows) evaluated on the events its own parser reads from a JFR file. Works
 * on the JDK's recordings and on async-profiler's (which carry fewer of the events most rules need: those rules say
 * N/A). JMC's parser holds every event in memory, so files above a size limit are not given to it, and the whole run
 * has a deadline; either is said as a finding and proflab's own rules still run.
 */
public final class JmcRules {

    /** How far JMC's rules may go: the largest file given to its parser and the time they may take. */
    public record Limits(long maxBytes, Duration deadline) {
        public static final Limits DEFAULT = new Limits(256L << 20, Duration.ofSeconds(120));
    }

    private static final Logger JMC_LOG = Logger.getLogger("org.openjdk.jmc");

    private JmcRules() {
    }

    /** The number of rules JMC's registry holds. */
    public static int ruleCount() {
        return RuleRegistry.getRules().size();
    }

    /**
     * Every rule's result on {@code jfr}, or one finding that says why they did not run (too large, too slow, a file
     * JMC's parser refuses). Results of every severity are returned; the caller chooses which to show.
     */
    public static List<Finding> run(Path jfr, Limits limits) {
        long size;
        try {
            size = Files.size(jfr);
        } catch (IOException e) {
            throw new AnalysisException(jfr + ": " + e.getMessage(), e);
        }
        if (size > limits.maxBytes()) {
            return List.of(skipped("JDK Mission Control's rules did not run: " + jfr.getFileName() + " is "
                    + (size >> 20) + " MB, above the " + (limits.maxBytes() >> 20) + " MB its parser is given "
                    + "(it holds every event in memory); --jmc-max-size raises the limit"));
        }
        JMC_LOG.setLevel(Level.OFF); // its parser warns on stderr about fields of newer JDKs it does not know
        ExecutorService exec = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jmc-rules");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<List<Finding>> f = exec.submit(() -> evaluate(jfr));
            return f.get(limits.deadline().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return List.of(skipped("JDK Mission Control's rules did not finish within "
                    + limits.deadline().toSeconds() + " s; --jmc-timeout gives them longer"));
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof OutOfMemoryError) {
                return List.of(skipped("JDK Mission Control's rules ran out of memory on " + jfr.getFileName()
                        + " (its parser holds every event): give the JVM more with PROFLAB_JAVA_OPTS=-Xmx..."));
            }
            if (c instanceof CouldNotLoadRecordingException || c instanceof IOException) {
                return List.of(skipped("JDK Mission Control's parser could not read " + jfr.getFileName() + ": "
                        + c.getMessage()));
            }
            throw new AnalysisException("JDK Mission Control's rules failed on " + jfr.getFileName() + ": " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnalysisException("interrupted", e);
        } finally {
            exec.shutdownNow();
        }
    }

    private static List<Finding> evaluate(Path jfr) throws Exception {
        IItemCollection items = JfrLoaderToolkit.loadEvents(jfr.toFile());
        Collection<IRule> rules = RuleRegistry.getRules();
        Map<IRule, Future<IResult>> results = RulesToolkit.evaluateParallel(rules, items,
                IPreferenceValueProvider.DEFAULT_VALUES, Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<IRule, Future<IResult>> e : results.entrySet()) {
            IRule rule = e.getKey();
            IResult r;
            try {
                r = e.getValue().get();
            } catch (ExecutionException ex) {
                out.add(new Finding(rule.getId(), "jmc", -1, Finding.Severity.NA, rule.getName() + ": the rule failed ("
                        + ex.getCause() + ")", "", List.of(), ""));
                continue;
            }
            out.add(toFinding(rule, r, jfr));
        }
        return out;
    }

    private static Finding toFinding(IRule rule, IResult r, Path jfr) {
        IQuantity q = r.getResult(TypedResult.SCORE);
        double score = q == null ? -1 : Math.max(0, Math.min(100, q.doubleValue()));
        Finding.Severity severity = switch (r.getSeverity()) {
            case WARNING -> Finding.Severity.WARNING;
            case INFO -> Finding.Severity.INFO;
            case OK -> Finding.Severity.OK;
            default -> Finding.Severity.NA;
        };
        String summary = plain(ResultToolkit.populateMessage(r, r.getSummary(), false));
        String explanation = plain(ResultToolkit.populateMessage(r, r.getExplanation(), false));
        String solution = plain(ResultToolkit.populateMessage(r, r.getSolution(), false));
        if (!solution.isEmpty()) {
            explanation = explanation.isEmpty() ? solution : explanation + " " + solution;
        }
        List<String> evidence = List.of("JMC rule \"" + rule.getName() + "\" (topic " + rule.getTopic() + ")");
        return new Finding(rule.getId(), "jmc", score, severity, summary.isEmpty() ? rule.getName() : summary,
                explanation, evidence, next(rule.getTopic(), jfr));
    }

    private static String next(String topic, Path jfr) {
        String f = jfr.getFileName().toString();
        if (topic == null) {
            return "";
        }
        return switch (topic) {
            case "garbage_collection", "gc_configuration", "heap", "memory_leak" -> "proflab timeline " + f
                    + "   (GC pauses); proflab gclog on a -Xlog:gc* log";
            case "lock_instances", "threads", "java_blocking", "thread_dumps" -> "proflab timeline " + f
                    + "   (parked, blocked, waiting per thread)";
            case "method_profiling", "code_execution", "compilations" -> "proflab top " + f;
            case "allocations", "tlab" -> "proflab profile -e alloc ...; proflab top --sample-index bytes FILE";
            default -> "";
        };
    }

    /** JMC's messages are HTML fragments: their text, on one line. */
    static String plain(String html) {
        if (html == null) {
            return "";
        }
        String s = html.replaceAll("(?i)<br\\s*/?>|</?p>|</li>|</?ul>", " ").replaceAll("(?i)<li>", " - ")
                .replaceAll("<[^>]{0,200}>", "");
        s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", " ").replace("&amp;", "&");
        // JMC's texts are MessageFormat patterns: '' is one quote
        return s.replace("''", "'").replaceAll("\\s+", " ").strip();
    }

    private static Finding skipped(String why) {
        return new Finding("proflab.jmc-rules", "proflab", -1, Finding.Severity.NA, why, "", List.of(), "");
    }
}
