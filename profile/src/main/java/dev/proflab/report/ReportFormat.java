package dev.proflab.report;

/** How a report is printed: pprof-like text, or JSON (see {@link JsonReport}). */
public enum ReportFormat {
    TEXT,
    JSON
}
