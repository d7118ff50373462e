/**
 * Lesson 3, lock contention: one table of counters, three ways to lock it
 * ({@link dev.proflab.labs.contention.Contention}).
 */
package dev.proflab.labs.contention;
