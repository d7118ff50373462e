/**
 * Lesson 4, the thread dump (Go's goroutine dump): threads that never end unless someone stops them
 * ({@link dev.proflab.labs.leak.Leak}).
 */
package dev.proflab.labs.leak;
