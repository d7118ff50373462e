/**
 * Files, safely: {@link dev.proflab.io.AtomicFiles} writes to a temporary name in the same folder and renames, so
 * that nobody ever reads half a file; {@link dev.proflab.io.BoundedInput} reads a user's file with a cap on what
 * it buffers or inflates, so that a hostile file fails fast instead of filling the heap;
 * {@link dev.proflab.io.FileTrees} removes a folder of temporary files. Shared by every module that reads or
 * writes a user's files.
 */
package dev.proflab.io;
