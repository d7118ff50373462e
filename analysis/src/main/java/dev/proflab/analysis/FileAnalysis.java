package dev.proflab.analysis;

import dev.proflab.profile.EventInfo;
import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import dev.proflab.profile.ReadOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The findings of one file, as {@code proflab analyze} and the viewer's findings panel both gather them: proflab's
 * own rules on each event the file holds and, for a JFR recording, on its own events; then JDK Mission Control's. The two are separate
 * calls because JMC's take seconds on a large file where proflab's take a fraction of one: a page shows the first
 * while the second still runs.
 */
public final class FileAnalysis {

    /**
     * Findings and how many rules were evaluated to find them.
     *
     * @param findings every rule's result, of every severity ({@link Findings#shown} chooses what to show)
     * @param evaluated the rules evaluated, as {@code rulesEvaluated} of the JSON counts them
     */
    public record Result(List<Finding> findings, int evaluated) {
        public Result {
            findings = List.copyOf(findings);
        }

        /** This result and {@code other}'s together. */
        public Result plus(Result other) {
            List<Finding> all = new ArrayList<>(findings);
            all.addAll(other.findings);
            return new Result(all, evaluated + other.evaluated);
        }
    }

    private FileAnalysis() {
    }

    /**
     * proflab's rules on every event of {@code file}, each event's samples read merged per stack and thread (the rules
     * need each stack and thread once with its count, not every sample); for a JFR recording, then the rules of its
     * own events ({@link RecordingRules}).
     */
    public static Result profileRules(Path file) {
        return profileRules(file, event -> ProfileReader.read(file,
                ReadOptions.defaults().withEvent(event).withAggregate(true)), (f, e) -> { });
    }

    /**
     * As {@link #profileRules(Path)}, each event's profile given by {@code profileOf} (a viewer that holds some of
     * them already passes those), and each finding told with the event it is of ({@code eventOf}: null for the
     * recording's own events).
     */
    public static Result profileRules(Path file, Function<String, Profile> profileOf, BiConsumer<Finding, String> eventOf) {
        String name = file.getFileName().toString();
        List<Finding> out = new ArrayList<>();
        int evaluated = 0;
        Profile cpu = null;
        Duration recorded = null;
        boolean jfr = false;
        for (EventInfo e : ProfileReader.events(file)) {
            Profile p = profileOf.apply(e.name());
            for (Finding f : ProfileRules.run(p, name)) {
                out.add(f);
                eventOf.accept(f, e.name());
            }
            evaluated += ProfileRules.RULES;
            if (recorded == null) {
                recorded = p.meta().duration();
            }
            if (cpu == null && (e.name().equals("cpu") || e.name().equals("itimer"))) {
                cpu = p;
            }
            jfr |= !p.meta().engine().equals("pprof");
        }
        if (jfr) {
            List<Finding> rec = RecordingRules.run(file, name, cpu, recorded);
            for (Finding f : rec) {
                out.add(f);
                eventOf.accept(f, null);
            }
            if (rec.stream().noneMatch(f -> f.rule().equals("proflab.recording-rules"))) {
                evaluated += RecordingRules.RULES; // else they did not run, and one finding says why
            }
        }
        return new Result(out, evaluated);
    }

    /** proflab's rules on one profile (e.g. windows of a folder merged), named {@code name} in the commands they suggest. */
    public static Result profileRules(Profile p, String name) {
        return new Result(ProfileRules.run(p, name), ProfileRules.RULES);
    }

    /**
     * JDK Mission Control's rules on a JFR recording, within {@code limits}; the rules evaluated are JMC's own that
     * ran (none when they did not: the one finding then says why).
     */
    public static Result jmcRules(Path jfr, JmcRules.Limits limits) {
        List<Finding> jmc = JmcRules.run(jfr, limits);
        return new Result(jmc, (int) jmc.stream().filter(f -> f.source().equals("jmc")).count());
    }
}
