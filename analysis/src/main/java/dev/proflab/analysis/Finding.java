package dev.proflab.analysis;

import java.util.List;
import java.util.Objects;

/**
 * One thing a rule found.
 *
 * @param rule        the rule's id (JMC's own ids for its rules, {@code proflab.*} for proflab's)
 * @param source      {@code jmc} or {@code proflab}
 * @param score       0–100 as JMC scores (at least 75 a warning, 25 information), or -1 when the rule gives none
 * @param severity    what the score means
 * @param summary     one sentence
 * @param explanation why it matters, plain text
 * @param evidence    the frames, numbers or time range it rests on
 * @param next        the command or page to look at next, or empty
 */
public record Finding(String rule, String source, double score, Severity severity, String summary, String explanation,
                      List<String> evidence, String next) {

    /** JMC's severities, in the order a reader cares: {@code WARNING} first. */
    public enum Severity {
        WARNING, INFO, OK, NA
    }

    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(severity, "severity");
        summary = summary == null ? "" : summary;
        explanation = explanation == null ? "" : explanation;
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        next = next == null ? "" : next;
    }

    /** The severity JMC gives a score: 75 and above a warning, 25 and above information, below that OK. */
    public static Severity severityOf(double score) {
        return score >= 75 ? Severity.WARNING : score >= 25 ? Severity.INFO : Severity.OK;
    }
}
