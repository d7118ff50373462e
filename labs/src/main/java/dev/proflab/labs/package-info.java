/**
 * The lessons: one package per lab, each the "before" and "after" of one performance problem side by side, with
 * prose that says what a profile of each shows. {@link dev.proflab.labs.Run} runs a workload in its own JVM for
 * a while, so that it can be profiled from outside ({@code ./proflab run --help} lists them). Plain Java, no
 * dependencies.
 */
package dev.proflab.labs;
