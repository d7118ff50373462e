/** Lesson 1, the CPU profile: the same number computed three ways ({@link dev.proflab.labs.fib.Fib}). */
package dev.proflab.labs.fib;
