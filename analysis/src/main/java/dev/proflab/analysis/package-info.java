/**
 * Findings: what a recording says, in sentences with their evidence and the command to look next. Two sources:
 * JDK Mission Control's rule engine run headless on a JFR file ({@link JmcRules}), and proflab's own rules, pure
 * functions of the profile model that work for every engine and for pprof files ({@link ProfileRules}). Nothing here
 * knows of the command line or HTTP; {@link Findings} renders text, markdown and JSON.
 */
package dev.proflab.analysis;
