/**
 * Lesson 2, the heap profile, and the GC experiments of step 7: the same items made several ways
 * ({@link dev.proflab.labs.alloc.Alloc}), and the mem-hot probe that {@code proflab gc} forks under each collector
 * ({@link dev.proflab.labs.alloc.MemProbe}).
 */
package dev.proflab.labs.alloc;
