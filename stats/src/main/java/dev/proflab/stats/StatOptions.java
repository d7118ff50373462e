package dev.proflab.stats;

import java.util.List;

/**
 * How to compare.
 *
 * @param alpha significance level of the Mann-Whitney U test: a difference is reported when
 *     {@code p <= alpha} (benchstat's rule), otherwise the delta shows as {@code ~}
 * @param confidence confidence level of the interval around each median, e.g. 0.95
 * @param colParam a JMH {@code @Param} whose values become the columns (the CLI's {@code --col}),
 *     or null for one column per input file
 * @param colOrder with {@code colParam}: the values to put first, in this order (the first one is
 *     the baseline); values not listed follow in order of first appearance. Empty for order of
 *     first appearance.
 */
public record StatOptions(double alpha, double confidence, String colParam, List<String> colOrder) {

    public static final double DEFAULT_ALPHA = 0.05;
    public static final double DEFAULT_CONFIDENCE = 0.95;

    public StatOptions {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be between 0 and 1 (exclusive), got " + alpha);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1 (exclusive), got " + confidence);
        }
        if (colParam != null && colParam.isBlank()) {
            colParam = null;
        }
        colOrder = colOrder == null ? List.of() : List.copyOf(colOrder);
        if (!colOrder.isEmpty() && colParam == null) {
            throw new IllegalArgumentException("a column order needs a column parameter (colParam)");
        }
    }

    /** alpha 0.05, confidence 0.95, one column per input. */
    public static StatOptions defaults() {
        return new StatOptions(DEFAULT_ALPHA, DEFAULT_CONFIDENCE, null, List.of());
    }

    public StatOptions withAlpha(double alpha) {
        return new StatOptions(alpha, confidence, colParam, colOrder);
    }

    public StatOptions withConfidence(double confidence) {
        return new StatOptions(alpha, confidence, colParam, colOrder);
    }

    public StatOptions withColParam(String colParam) {
        return new StatOptions(alpha, confidence, colParam, colParam == null ? List.of() : colOrder);
    }

    public StatOptions withColParam(String colParam, List<String> colOrder) {
        return new StatOptions(alpha, confidence, colParam, colOrder);
    }
}
